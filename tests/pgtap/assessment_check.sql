-- The validation trigger of antq.assessment in two parts (extension/facts/assessment_check.c): a test
-- in C passes the rows the full check (antq.assessment_check_full) would accept unchanged, and
-- every other row goes to the full check. At each edge of the test in C: the row just inside is
-- stored as written, the row just outside gets the full check's error or change, field by field
-- (the 20 counts, the 4 parts and wholes, the year and 3 dates, the rating, the version taking
-- part at the window's last day for both kinds), on INSERT and UPDATE, and on a table whose
-- columns lie elsewhere (the positions are looked up again, not misread).
BEGIN;
SELECT plan(20);
\ir engine_fixture.psql
SET client_min_messages = warning;

-- An error as 'SQLSTATE COLUMN: message', or 'no error'.
CREATE FUNCTION pg_temp.err(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; col text; msg text;
BEGIN
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, col = COLUMN_NAME, msg = MESSAGE_TEXT;
    RETURN st || ' ' || coalesce(col, '') || ': ' || msg;
END $$;
-- What a write of p_value into each column in turn gives (the row deleted after each).
CREATE FUNCTION pg_temp.refused(p_table text, p_unit bigint, p_columns text[], p_value text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    c text;
    got text[] := '{}';
BEGIN
    FOREACH c IN ARRAY p_columns LOOP
        got := got || pg_temp.err(format('INSERT INTO %s (unit_id, year, %I) VALUES (%s, 2025, %s)', p_table, c, p_unit, p_value));
        EXECUTE format('DELETE FROM %s WHERE unit_id = %s AND year = 2025', p_table, p_unit);
    END LOOP;
    RETURN array_to_string(got, '; ');
END $$;

SELECT pg_temp.add_unit('residential_area', '00691-T1') AS t1 \gset
SELECT pg_temp.add_unit('agency', 'CQ1') AS cq1 \gset

-- 1. Counts: each of the 20 refused at -1 naming it, stored at 0.
CREATE TEMP TABLE counts (c text);
INSERT INTO counts VALUES ('households_total'), ('households_registered'), ('staff_total'), ('staff_briefed'), ('active_models'),
    ('crime_count'), ('new_hotspots'), ('new_vice_persons'), ('force_disciplined'), ('offenders_count'), ('subunits_total'),
    ('subunits_rated_good'), ('crime_reports_received'), ('crime_reports_handled'), ('outreach_target'), ('outreach_reached'),
    ('traffic_accidents'), ('traffic_deaths'), ('traffic_injuries'), ('tipoffs');
SELECT is(pg_temp.refused('antq.assessment', :t1, ARRAY(SELECT c FROM counts), '-1'),
          (SELECT string_agg(format('23514 %s: %s for residential_area 00691-T1 "Unit 00691-T1" in 2025: negative count -1', c, c), '; ')
             FROM counts),
          'each of the 20 counts at -1 is refused by the full check, naming it');
SELECT is(pg_temp.refused('antq.assessment', :t1, ARRAY(SELECT c FROM counts), '0'),
          (SELECT string_agg('no error', '; ') FROM counts), 'and each at 0 is stored');

-- 2. Parts and wholes: equal is stored, one more is refused naming the part.
SELECT is(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, %s) VALUES (%s, 2025, 5, 5, 5, 5, 5, 5, 5, 5)',
                             'households_total, households_registered, staff_total, staff_briefed, crime_reports_received, crime_reports_handled, subunits_total, subunits_rated_good', :t1)),
          'no error', 'parts equal to their wholes are stored');
DELETE FROM antq.assessment WHERE unit_id = :t1;
SELECT is(array_to_string(ARRAY[
            pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, households_total, households_registered) VALUES (%s, 2025, 5, 6)', :t1)),
            pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, staff_total, staff_briefed) VALUES (%s, 2025, 5, 6)', :t1)),
            pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, crime_reports_received, crime_reports_handled) VALUES (%s, 2025, 5, 6)', :t1)),
            pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, subunits_total, subunits_rated_good) VALUES (%s, 2025, 5, 6)', :t1))], '; '),
          '23514 households_registered: households_registered for residential_area 00691-T1 "Unit 00691-T1" in 2025: 6 households registered out of 5; '
          '23514 staff_briefed: staff_briefed for residential_area 00691-T1 "Unit 00691-T1" in 2025: 6 briefed out of 5; '
          '23514 crime_reports_handled: crime_reports_handled for residential_area 00691-T1 "Unit 00691-T1" in 2025: 6 reports handled out of 5 received; '
          '23514 subunits_rated_good: subunits_rated_good for residential_area 00691-T1 "Unit 00691-T1" in 2025: 6 sub-units rated good out of 5',
          'a part one above its whole is refused naming the part, each of the four');

-- 3. The year and the dates: the first and last accepted are stored, one beyond is refused
-- (the window starting in 2015, when the units are in force).
SET LOCAL antq.year_min = 2015;
SELECT is(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, antq.year_min())', :cq1)), 'no error',
          'the first year accepted is stored');
SELECT matches(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, antq.year_min() - 1)', :cq1)),
               '^22008 year: year for agency CQ1 "Unit CQ1" in 2014: year 2014 is outside the years antq accepts', 'the year before is refused');
SELECT matches(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, antq.year_max() + 1)', :cq1)),
               '^22008 year: year for agency CQ1 "Unit CQ1" in \d+: year \d+ is outside the years antq accepts', 'the year after the last is refused');
SELECT is(pg_temp.refused('antq.assessment', :t1, ARRAY['registered_on', 'resolution_on', 'plan_on'], 'antq.date_min()'),
          'no error; no error; no error', 'the first day accepted is stored, each date');
SELECT is(pg_temp.refused('antq.assessment', :t1, ARRAY['registered_on', 'resolution_on', 'plan_on'], 'antq.date_max()'),
          'no error; no error; no error', 'and the last');
SELECT matches(pg_temp.refused('antq.assessment', :t1, ARRAY['registered_on', 'resolution_on', 'plan_on'], 'antq.date_min() - 1'),
               '^22008 registered_on: .*; 22008 resolution_on: .*; 22008 plan_on: ', 'the day before the first is refused, each date');
SELECT matches(pg_temp.refused('antq.assessment', :t1, ARRAY['registered_on', 'resolution_on', 'plan_on'], '''infinity'''),
               '^22008 registered_on: .*; 22008 resolution_on: .*; 22008 plan_on: ', 'and infinity');
RESET antq.year_min;

-- 4. The rating: the four stored, another refused; a decomposed Vietnamese one refused in NFC.
INSERT INTO antq.assessment (unit_id, year, force_rating)
SELECT :t1, 2020 + n, r FROM unnest(ARRAY['not_completed', 'completed', 'completed_well', 'completed_excellently']) WITH ORDINALITY AS x(r, n);
SELECT is((SELECT string_agg(force_rating, ' ' ORDER BY year) FROM antq.assessment WHERE unit_id = :t1),
          'not_completed completed completed_well completed_excellently', 'the four ratings are stored');
DELETE FROM antq.assessment WHERE unit_id = :t1;
SELECT is(array_to_string(ARRAY[pg_temp.refused('antq.assessment', :t1, ARRAY['force_rating'], '''Completed'''),
                                pg_temp.refused('antq.assessment', :t1, ARRAY['force_rating'], 'normalize(''hoàn thành'', NFD)')], '; '),
          '23514 force_rating: force_rating for residential_area 00691-T1 "Unit 00691-T1" in 2025: unknown rating "Completed"; '
          '23514 force_rating: force_rating for residential_area 00691-T1 "Unit 00691-T1" in 2025: unknown rating "hoàn thành"',
          'another rating is refused by the full check, a decomposed one named in NFC');

-- 5. The version taking part: in force on 31 Oct (residential areas) or 15 Nov (others). Two
-- versions of a code split on p_split; a 2025 fact written on either is stored on the one that
-- takes part, shown by its first day.
CREATE FUNCTION pg_temp.split(p_kind text, p_code text, p_split date) RETURNS void LANGUAGE sql AS $$
  INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from, valid_to)
  SELECT p_kind, CASE WHEN p_kind = 'residential_area' THEN 'thon' END, p_code, 'Unit ' || p_code, c.unit_id,
         CASE WHEN p_kind <> 'residential_area' THEN c.unit_id END, v.valid_from, v.valid_to
    FROM antq.unit_at('00691', '2020-01-01') c, (VALUES ('2010-01-01'::date, p_split), (p_split, NULL)) AS v(valid_from, valid_to)
$$;
CREATE FUNCTION pg_temp.stored_on(p_code text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v record;
    got text[] := '{}';
    day date;
BEGIN
    FOR v IN SELECT u.unit_id FROM antq.unit u WHERE u.code = p_code ORDER BY u.valid_from LOOP
        INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (v.unit_id, 2025, 1);
        SELECT u.valid_from INTO day FROM antq.assessment a JOIN antq.unit u USING (unit_id) WHERE u.code = p_code AND a.year = 2025;
        got := got || day::text;
        DELETE FROM antq.assessment a USING antq.unit u WHERE u.unit_id = a.unit_id AND u.code = p_code;
    END LOOP;
    RETURN p_code || ' ' || array_to_string(got, ' ');
END $$;
SELECT pg_temp.split('residential_area', '00691-T2', '2025-11-01'), pg_temp.split('residential_area', '00691-T3', '2025-10-31'),
       pg_temp.split('agency', 'CQ2', '2025-11-16'), pg_temp.split('agency', 'CQ3', '2025-11-15');
SELECT is(array_to_string(ARRAY[pg_temp.stored_on('00691-T2'), pg_temp.stored_on('00691-T3'), pg_temp.stored_on('CQ2'), pg_temp.stored_on('CQ3')], '; '),
          '00691-T2 2010-01-01 2010-01-01; 00691-T3 2025-10-31 2025-10-31; CQ2 2010-01-01 2010-01-01; CQ3 2025-11-15 2025-11-15',
          'a fact written on either version is stored on the one in force on 31 Oct (residential) or 15 Nov (agency) of its year');

-- 6. UPDATE goes through the same test.
INSERT INTO antq.assessment (unit_id, year, crime_count, tipoffs) VALUES (:t1, 2025, 1, 1);
SELECT is(pg_temp.err(format('UPDATE antq.assessment SET tipoffs = -2 WHERE unit_id = %s AND year = 2025', :t1)),
          '23514 tipoffs: tipoffs for residential_area 00691-T1 "Unit 00691-T1" in 2025: negative count -2', 'an UPDATE to a negative count is refused');
UPDATE antq.assessment SET tipoffs = 2, force_rating = 'completed' WHERE unit_id = :t1 AND year = 2025;
SELECT is((SELECT tipoffs || ' ' || force_rating FROM antq.assessment WHERE unit_id = :t1 AND year = 2025), '2 completed', 'a good one is stored');
UPDATE antq.assessment a SET unit_id = u.unit_id FROM antq.unit u
 WHERE a.unit_id = :t1 AND u.code = '00691-T3' AND u.valid_from = '2010-01-01';
SELECT is((SELECT u.valid_from::text FROM antq.assessment a JOIN antq.unit u USING (unit_id) WHERE u.code = '00691-T3'), '2025-10-31',
          'an UPDATE onto a version not taking part is stored on the one that does');

-- 7. A table with the check whose columns lie elsewhere: the positions are looked up again
-- for each table in turn, never read from the other's.
CREATE TABLE pg_temp.shifted (note text, LIKE antq.assessment);
CREATE TRIGGER assessment_check BEFORE INSERT OR UPDATE ON pg_temp.shifted FOR EACH ROW EXECUTE FUNCTION antq.assessment_check();
SELECT is(array_to_string(ARRAY[
            pg_temp.err(format('INSERT INTO pg_temp.shifted (unit_id, year, tipoffs) VALUES (%s, 2025, -3)', :t1)),
            pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, tipoffs) VALUES (%s, 2024, -4)', :t1)),
            pg_temp.err(format('INSERT INTO pg_temp.shifted (unit_id, year, tipoffs, note) VALUES (%s, 2025, 3, ''x'')', :t1)),
            pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, tipoffs) VALUES (%s, 2024, 4)', :t1)),
            pg_temp.err(format('INSERT INTO pg_temp.shifted (unit_id, year, staff_total, staff_briefed) VALUES (%s, 2025, 1, 2)', :t1))], '; '),
          '23514 tipoffs: tipoffs for residential_area 00691-T1 "Unit 00691-T1" in 2025: negative count -3; '
          '23514 tipoffs: tipoffs for residential_area 00691-T1 "Unit 00691-T1" in 2024: negative count -4; no error; no error; '
          '23514 staff_briefed: staff_briefed for residential_area 00691-T1 "Unit 00691-T1" in 2025: 2 briefed out of 1',
          'rows of two tables with their columns in other places are checked by name, alternately');
SELECT is((SELECT note || ' ' || tipoffs FROM pg_temp.shifted), 'x 3', 'and stored as written');

-- 8. Misuse: called other than as a row trigger before a write.
CREATE TABLE pg_temp.after_check (LIKE antq.assessment);
CREATE TRIGGER late AFTER INSERT ON pg_temp.after_check FOR EACH ROW EXECUTE FUNCTION antq.assessment_check();
SELECT is(pg_temp.err(format('INSERT INTO pg_temp.after_check (unit_id, year) VALUES (%s, 2025)', :t1)),
          '39P01 : antq.assessment_check checks the rows written to antq.assessment', 'as an AFTER trigger it refuses to run');

SELECT * FROM finish();
ROLLBACK;

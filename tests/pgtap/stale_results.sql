-- antq.results_stale, the C pass a national recompute starts with (extension/recompute/stale_results.c):
-- it must find every stored result that a full recompute would rewrite, whichever column
-- differs, and nothing else; and antq.compute_results(NULL, year), which rewrites only what it
-- finds and then every commune, must leave the same rows as the one-pass SQL path
-- (antq.verify compares with results_computed).
BEGIN;
SELECT plan(81);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT unit_id FROM antq.unit WHERE code = p_code ORDER BY valid_from DESC LIMIT 1 $$;
-- The codes of the units results_stale reports, sorted.
CREATE FUNCTION pg_temp.stale() RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(u.code ORDER BY u.code), '{}') FROM unnest((antq.results_stale(2024)).stale) AS s(id) JOIN antq.unit u ON u.unit_id = s.id $$;
-- Stored results that differ from a full recompute (antq.verify; summaries are not written here).
CREATE FUNCTION pg_temp.differences() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM antq.verify(NULL, 2024) WHERE what NOT IN ('summary', 'nation') $$;
-- Change one column of a unit's stored row, ask which units are stale, then recompute the
-- nation; returns the stale units and the rows the recompute wrote.
CREATE FUNCTION pg_temp.stale_after(p_column text, p_code text, p_value text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    found text[];
    written bigint;
BEGIN
    EXECUTE format('UPDATE antq.unit_result SET %I = %s WHERE unit_id = pg_temp.u(%L) AND year = 2024', p_column, p_value, p_code);
    found := pg_temp.stale();
    written := antq.compute_results(NULL, 2024);
    RETURN format('%s, %s written', found, written);
END
$$;

-- A district before the reform with a commune in it, so that units carry a district code.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
VALUES ('district', 'huyen', '070', 'Huyện Sơn Dương', pg_temp.u('08'), '2004-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
VALUES ('commune', 'xa', '02230', 'Xã Hợp Thành', pg_temp.u('070'), '2004-01-01');
SELECT pg_temp.add_unit('residential_area', 'R1'), pg_temp.add_unit('residential_area', 'R2'),
       pg_temp.add_unit('residential_area', 'R3', p_commune => '00694'), pg_temp.add_unit('residential_area', 'R4', p_commune => '02230'),
       pg_temp.add_unit('residential_area', 'R5', p_commune => '00694'), pg_temp.add_unit('residential_area', 'R6', p_commune => '00694'),
       pg_temp.add_unit('residential_area', 'R7'), pg_temp.add_unit('residential_area', 'R8'), pg_temp.add_unit('residential_area', 'R9'),
       pg_temp.add_unit('agency', 'A1'), pg_temp.add_unit('enterprise', 'E1'), pg_temp.add_unit('school', 'S1');
SELECT pg_temp.good(pg_temp.u(c)) FROM unnest(ARRAY['00691', '00694', '02230', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R8', 'R9', 'A1', 'E1', 'S1']) AS c;
-- R7 has no assessment at all. R6 and R8 grew out of others on 1 January 2024: the new R6 has
-- no 2023 row of its own, so its previous year is R5's and the old R6's together (walk: 12
-- crimes against 5 + 5); the new R8 has its own. Both read their predecessors' incidents in
-- their window (R8 fails on a serious crime of its old version).
DELETE FROM antq.assessment WHERE unit_id IN (pg_temp.u('R5'), pg_temp.u('R6'), pg_temp.u('R8'), pg_temp.u('R9')) AND year = 2024;
SELECT antq.merge_units(pg_temp.u('R6'), ARRAY[pg_temp.u('R5')], '2024-01-01');
SELECT antq.merge_units(pg_temp.u('R8'), ARRAY[pg_temp.u('R9')], '2024-01-01');
SELECT pg_temp.good(pg_temp.u('R6')), pg_temp.good(pg_temp.u('R8'));
DELETE FROM antq.assessment WHERE unit_id = pg_temp.u('R6') AND year = 2023;
UPDATE antq.assessment SET crime_count = 12 WHERE unit_id = pg_temp.u('R6') AND year = 2024;
UPDATE antq.assessment SET tipoffs = 4, outreach_target = 10, outreach_reached = 7, traffic_accidents = 1
 WHERE unit_id = pg_temp.u('R1') AND year = 2024;
-- Incidents of two kinds for R1 (one outside its window), one for A1; scores and decisions.
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES
    (pg_temp.u('R1'), '2024-03-02', 'crime', 'serious'), (pg_temp.u('R1'), '2024-05-02', 'crime', 'less_serious'),
    (pg_temp.u('R1'), '2024-06-01', 'school_violence', NULL), (pg_temp.u('R1'), '2024-11-02', 'crime', 'serious'),
    (pg_temp.u('A1'), '2023-11-20', 'crime', 'less_serious'),
    ((SELECT unit_id FROM antq.unit WHERE code = 'R5'), '2023-12-15', 'crime', 'less_serious'),
    ((SELECT unit_id FROM antq.unit WHERE code = 'R5'), '2023-10-01', 'crime', 'serious'),
    ((SELECT min(unit_id) FROM antq.unit WHERE code = 'R8'), '2023-11-05', 'crime', 'serious');
INSERT INTO antq.score (unit_id, year, item, points) VALUES
    (pg_temp.u('A1'), 2024, '1', 2.5), (pg_temp.u('A1'), 2024, '2', 3), (pg_temp.u('A1'), 2024, '3', 4.875),
    (pg_temp.u('A1'), 2024, '4', 0.125), (pg_temp.u('A1'), 2024, 'other', 80), (pg_temp.u('S1'), 2024, 'other', 40);
INSERT INTO antq.decision (unit_id, year, kind, met, rating, number, decided_on, authority) VALUES
    (pg_temp.u('R2'), 2024, 'recognition', false, NULL, '12/QĐ', '2024-12-01', 'UBND xã'),
    (pg_temp.u('A1'), 2024, 'classification', NULL, 'Khá', '13/QĐ', '2024-12-01', 'UBND xã');
INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES
    (pg_temp.u('R3'), 2024, 1, true), (pg_temp.u('R3'), 2024, 2, false), (pg_temp.u('R3'), 2024, 3, true);

SELECT is(antq.compute_results(NULL, 2024), 14::bigint, 'the first national computation writes every unit taking part: 3 communes, a district, 7 residential areas, an agency, an enterprise, a school');
SELECT is(pg_temp.differences(), 0::bigint, 'and equals a full recompute');
SELECT isnt((antq.results_stale(2024)).stale, NULL,
            'the pass runs, not handing over to the SQL path: it compares every column of antq.unit_result');
SELECT is(pg_temp.stale(), '{}'::text[], 'nothing is stale: the pass computes what the SQL stored, also for versions grown out of others');
SELECT is(antq.compute_results(NULL, 2024), 0::bigint, 'a national recompute with nothing changed writes nothing');
SELECT ok((SELECT r.district_code = '070' AND r.commune_code = '02230' FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R4')),
          'the fixture has a unit with a district code');
SELECT ok((SELECT r.incidents = 3 AND r.tipoffs = 4 FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R1')),
          'and one with incidents and facts');
SELECT is((SELECT r.score FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('A1')), 90.500, 'and one scored on five items');
SELECT is((SELECT string_agg(format('%s:%s:%s', u.code, r.safe_met::text, r.incidents), ' ' ORDER BY u.code)
             FROM antq.unit_result r JOIN antq.unit u USING (unit_id) WHERE u.code IN ('R6', 'R8')),
          'R6:false:1 R8:false:1', 'and versions grown out of others that fail on their predecessors'' incidents, which they count as theirs (docs/reform.md)');

-- Each column of a stored row, changed: exactly that unit is stale, and one row is rewritten.
CREATE TEMP TABLE changes AS SELECT row_number() OVER () AS n, v.* FROM (VALUES ('kind', 'R1', $$'school'$$, 'R1'),
               ('code', 'R2', $$'X'$$, 'R2'),
               ('name', 'E1', $$'X'$$, 'E1'),
               ('province_code', 'S1', $$'09'$$, 'S1'),
               ('registered', 'R3', 'NOT registered', 'R3'),
               ('registered', 'R7', 'NOT registered', 'R7'),
               ('assessed', 'R7', 'NOT assessed', 'R7'),
               ('assessed', 'R1', 'NOT assessed', 'R1'),
               ('safe_attainment', 'R1', 'antq.attainment(ARRAY[true, false])', 'R1'),
               ('safe_attainment', 'R7', 'antq.attainment(ARRAY[true])', 'R7'),
               ('safe_met', 'A1', 'NOT safe_met', 'A1'),
               ('score', 'A1', 'score + 0.5', 'A1'),
               ('score', 'R2', '1', 'R2'),
               ('rating', 'S1', $$CASE WHEN rating::integer = 1 THEN 2 ELSE 1 END::antq.rating$$, 'S1'),
               ('model_attainment', 'R3', $$CASE WHEN model_attainment IS NULL THEN antq.attainment(ARRAY[true]) END$$, 'R3'),
               ('model_met', 'R3', 'CASE WHEN model_met IS NULL THEN true END', 'R3'),
               ('model_programme', 'A1', 'NOT model_programme', 'A1'),
               ('model_on_track', 'E1', 'CASE WHEN model_on_track IS NULL THEN true END', 'E1'),
               ('unit_counts', 'E1', $$'{1,2,3}'$$, 'E1'),
               ('decision_met', 'R2', 'NULL', 'R2'),
               ('decision_met', 'R1', 'true', 'R1'),
               ('decision_rating', 'A1', 'NULL', 'A1'),
               ('disagrees', 'R2', 'NOT disagrees', 'R2'),
               ('commune_code', 'R1', $$'00694'$$, 'R1'),
               ('commune_code', 'A1', $$'X'$$, 'A1'),
               ('district_code', 'R4', 'NULL', 'R4'),
               ('district_code', 'R3', $$'070'$$, 'R3'),
               ('incidents', 'R1', 'incidents - 1', 'R1'),
               ('incidents_by_kind', 'R1', $$'{"crime": 2}'$$, 'R1'),
               ('incidents_by_kind', 'R2', $$'{"crime": 0}'$$, 'R2'),
               ('tipoffs', 'R1', 'NULL', 'R1'),
               ('outreach_target', 'R1', '11', 'R1'),
               ('outreach_reached', 'R2', '1', 'R2'),
               ('crime_reports_received', 'R3', '1', 'R3'),
               ('crime_reports_handled', 'A1', '1', 'A1'),
               ('traffic_accidents', 'R1', 'NULL', 'R1'),
               ('traffic_deaths', 'E1', '1', 'E1'),
               ('traffic_injuries', 'S1', '1', 'S1')) AS v(col, code, value, expect);
SELECT is(pg_temp.stale_after(v.col, v.code, v.value), format('{%s}, 1 written', v.expect), format('a changed %s is found (%s)', v.col, v.code))
  FROM changes v ORDER BY v.n;
-- The list above is every column of antq.unit_result: a column added to the table must be
-- added to it, and to the pass (extension/recompute/stale_results.c), or this fails.
SELECT is(ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = 'antq.unit_result'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                   AND a.attname NOT IN ('computed_at', 'unit_id', 'year') ORDER BY 1),
          ARRAY(SELECT DISTINCT v.col FROM pg_temp.changes v ORDER BY 1),
          'every column of antq.unit_result but the key and computed_at is changed above');
SELECT is(pg_temp.stale_after('computed_at', 'R1', $$'2000-01-01'$$), '{}, 0 written', 'computed_at is not compared');
SELECT is(pg_temp.differences(), 0::bigint, 'after every repair the stored results equal a full recompute');

-- A stored row missing, and one of a unit that no longer takes part.
DELETE FROM antq.unit_result WHERE unit_id = pg_temp.u('R2');
INSERT INTO antq.unit_result
SELECT (jsonb_populate_record(r, jsonb_build_object('unit_id', pg_temp.u('R5')))).* FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R1');
SELECT is(pg_temp.stale(), ARRAY['R2', 'R5'], 'a missing row and the row of a unit no longer taking part are stale');
SELECT is(antq.compute_results(NULL, 2024), 2::bigint, 'the recompute adds the one and removes the other');
SELECT is(pg_temp.differences(), 0::bigint, 'and nothing differs');

-- Communes are never reported: every one is recomputed after the units.
UPDATE antq.unit_result SET safe_met = NOT safe_met, unit_counts = '{0,0,0,0,0,0,0,0,0,0,0,0}' WHERE unit_id = pg_temp.u('00691');
SELECT is(pg_temp.stale(), '{}'::text[], 'a changed commune row is not reported');
SELECT is(antq.compute_results(NULL, 2024), 1::bigint, 'but the national recompute rewrites it');
-- A fact change: the unit and, through its counts, its commune.
UPDATE antq.assessment SET registered_on = NULL WHERE unit_id = pg_temp.u('R2') AND year = 2024;
SELECT is(pg_temp.stale(), ARRAY['R2'], 'a unit whose facts changed is stale');
SELECT is(antq.compute_results(NULL, 2024), 2::bigint, 'the unit and the commune counting it are rewritten');
SELECT is(pg_temp.differences(), 0::bigint, 'and nothing differs');

-- What a version grown out of others reads of them: a change there makes it stale.
UPDATE antq.assessment SET crime_count = 20 WHERE unit_id = (SELECT unit_id FROM antq.unit WHERE code = 'R5') AND year = 2023;
SELECT is(pg_temp.stale(), ARRAY['R6'], 'a predecessor''s previous year changed: its successor is stale');
SELECT is(antq.compute_results(NULL, 2024), 2::bigint, 'and rewritten, with the commune counting it (it now meets the standard)');
DELETE FROM antq.incident WHERE unit_id = (SELECT min(unit_id) FROM antq.unit WHERE code = 'R8');
SELECT is(pg_temp.stale(), ARRAY['R8'], 'a predecessor''s incident withdrawn: its successor is stale');
SELECT is(antq.compute_results(NULL, 2024), 2::bigint, 'and rewritten, with the commune it lies in (which counts its units'' incidents)');
SELECT is(pg_temp.differences(), 0::bigint, 'and nothing differs');

-- The counts the pass tallies for the communes step equal the stored communes' criterion-4 counts.
SELECT results_eq($$ SELECT x.id, s.commune_counts[(x.n - 1) * 12 + 1 : x.n * 12]
                       FROM antq.results_stale(2024) s, unnest(s.commune_ids) WITH ORDINALITY AS x(id, n) ORDER BY 1 $$,
                  $$ SELECT r.unit_id, r.unit_counts FROM antq.unit_result r
                      WHERE r.kind = 'commune' AND r.year = 2024 AND r.unit_counts <> '{0,0,0,0,0,0,0,0,0,0,0,0}' ORDER BY 1 $$,
                  'antq.results_stale tallies each commune''s counts as its stored result has them');

-- The pass split between processes (antq.stale_workers): the same units and counts whether the
-- backend does it alone or shares it with three workers.
CREATE FUNCTION pg_temp.answer(p_workers integer) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('antq.stale_workers', p_workers::text, true);
    RETURN (SELECT format('%s %s', pg_temp.stale(),
                          (SELECT string_agg(format('%s:%s', x.id, s.commune_counts[(x.n - 1) * 12 + 1 : x.n * 12]), ' ' ORDER BY x.id)
                             FROM antq.results_stale(2024) s, unnest(s.commune_ids) WITH ORDINALITY AS x(id, n))));
END
$$;
UPDATE antq.unit_result SET name = 'X' WHERE unit_id IN (pg_temp.u('R1'), pg_temp.u('R2'), pg_temp.u('R3'), pg_temp.u('A1'), pg_temp.u('S1'));
SELECT is(pg_temp.answer(3), pg_temp.answer(0), 'three workers and none find the same stale units and counts');
SELECT is(pg_temp.answer(1), pg_temp.answer(0), 'and so does one');
SELECT ok(pg_temp.answer(0) LIKE '{A1,R1,R2,R3,S1} %', 'those changed');
SELECT set_config('max_parallel_workers', '0', true);
SELECT is(pg_temp.answer(2), pg_temp.answer(0), 'with no worker to be had, the backend does it all');
SELECT set_config('max_parallel_workers', '8', true);
SELECT set_config('antq.stale_workers', '1', true);
SELECT is(antq.compute_results(NULL, 2024), 5::bigint, 'and they are rewritten');

-- More stale units than antq.stale_limit: the one-pass path, with the same result.
UPDATE antq.unit_result SET name = 'X' WHERE unit_id IN (pg_temp.u('R1'), pg_temp.u('R3'));
SET LOCAL antq.stale_limit = 1;
SELECT is(antq.compute_results(NULL, 2024), 2::bigint, 'past antq.stale_limit the one-pass path rewrites the same rows');
SET LOCAL antq.stale_limit = -1;
UPDATE antq.unit_result SET tipoffs = 99 WHERE unit_id = pg_temp.u('E1');
SELECT is(antq.compute_results(NULL, 2024), 1::bigint, 'at -1 the one-pass path runs without the pass in C');
RESET antq.stale_limit;
SELECT is(pg_temp.differences(), 0::bigint, 'and nothing differs');

-- Where the pass cannot stand for the SQL path it says so with NULL, and the SQL path runs:
-- row-level security (the confinement policies, sql/57_confine.sql) applying to the caller. It
-- does not apply to the owner and superusers (the worker, antq.refresh), who keep the pass.
SET LOCAL ROLE antq_reader;
SELECT is((antq.results_stale(2024)).stale, NULL, 'row-level security applying to the caller: NULL');
RESET ROLE;
UPDATE antq.unit_result SET score = 1 WHERE unit_id = pg_temp.u('A1');
SELECT is((antq.results_stale(2024)).stale, ARRAY[pg_temp.u('A1')],
          'row-level security enabled but bypassed by a superuser: the pass in C runs, and finds the changed row');
SELECT is(antq.compute_results(NULL, 2024), 1::bigint, 'and the recompute rewrites it');
ALTER TABLE antq.unit_result ADD COLUMN extra integer;
SELECT is((antq.results_stale(2024)).stale, NULL, 'a column of antq.unit_result it does not know: NULL (with a warning)');
ALTER TABLE antq.unit_result DROP COLUMN extra;
-- antq.compute_results (sql/47_compute.sql) names the columns of antq.unit_result in each of its
-- three statements: each compared (antq's types with their own <>), set and inserted. A column
-- it does not name would be neither compared nor written.
SELECT is(ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = 'antq.unit_result'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                   AND ((a.attname <> 'computed_at'
                         AND (SELECT count(*) FROM regexp_matches(p.prosrc,
                                CASE WHEN t.typnamespace = 'antq'::regnamespace
                                     THEN format('\mr\.%1$s OPERATOR\(antq\.<>\) f\.%1$s\M', a.attname)
                                     ELSE format('\mr\.%1$s IS DISTINCT FROM f\.%1$s\M', a.attname) END, 'g')) <> 3)
                        OR (SELECT count(*) FROM regexp_matches(p.prosrc, format('\m%1$s = d\.%1$s\M', a.attname), 'g')) < 3
                        OR (SELECT count(*) FROM regexp_matches(p.prosrc, format('\md\.%1$s\M', a.attname), 'g')) < 6)
                 ORDER BY a.attnum),
          '{}'::text[], 'compute_results compares, sets and inserts every column of antq.unit_result in its three statements')
  FROM pg_catalog.pg_proc p WHERE p.oid = 'antq.compute_results(text,integer)'::regprocedure;
SELECT is(pg_temp.stale(), '{}'::text[], 'a dropped column is no column');

-- Privileges: only the extension's own code recomputes (a writer may not: issue 17, hole 4);
-- the pass reads as the caller, so a role that may not read the facts gets the error a query
-- would give.
UPDATE antq.unit_result SET name = 'X' WHERE unit_id = pg_temp.u('R1');
SET LOCAL ROLE antq_writer;
SELECT throws_ok('SELECT antq.compute_results(NULL, 2024)', '42501', NULL, 'antq_writer may not run a national recompute');
RESET ROLE;
SELECT is(antq.compute_results(NULL, 2024), 1::bigint, 'the owner runs a national recompute through the pass in C');
CREATE ROLE antq_test_nobody;
SET LOCAL ROLE antq_test_nobody;
SELECT throws_ok('SELECT antq.results_stale(2024)', '42501', NULL, 'without SELECT on the tables: permission denied');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

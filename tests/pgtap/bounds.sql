-- Bounds on facts and rules (issue 17, hole 7): every value that could break evaluation or the
-- queue is refused from writers and admins with its SQLSTATE, a message naming the unit (or the
-- rule) and the field, and a hint giving the range and where it is configured; the statement
-- stores nothing; the values just inside the bounds are accepted; messages quoting user text
-- stay short.
BEGIN;
SELECT plan(75);
\ir engine_fixture.psql

-- The window as configured by default, whatever the cluster says.
SET LOCAL antq.year_min = 1990;
SET LOCAL antq.years_ahead = 1;
SELECT is(antq.year_max(), extract(year FROM now())::int + 1, 'the latest year accepted is next year');
SELECT is(antq.date_max(), make_date(extract(year FROM now())::int + 1, 12, 31), 'the latest date accepted is 31 December of next year');
SELECT is(antq.date_min(), date '1990-01-01', 'the earliest date accepted is 1 January of antq.year_min');

SELECT pg_temp.add_unit('agency', 'CQ1'), pg_temp.add_unit('residential_area', '00691-T1');
-- A province and commune in force from the first day accepted (the boundary, as a superuser
-- loading history would write them).
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '09', 'Tỉnh Chín', '1990-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
VALUES ('commune', 'xa', '00901', 'Xã Một', (antq.unit_at('09', '1990-01-01')).unit_id, '1990-01-01');
SELECT ok((antq.unit_at('00901', '1990-01-01')).unit_id IS NOT NULL, 'a unit valid from 1 January of antq.year_min is accepted');

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, '2024-06-01')).unit_id $$;
-- SQLSTATE, message, hint and column of the error p_sql raises (its subtransaction rolls back).
CREATE FUNCTION pg_temp.err(p_sql text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; hint text; col text;
BEGIN
    EXECUTE p_sql;
    RETURN ARRAY['no error'];
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT, col = COLUMN_NAME;
    RETURN ARRAY[st, msg, hint, col];
END
$$;
-- Rows of every table a rejected write could have touched.
CREATE FUNCTION pg_temp.counts() RETURNS text LANGUAGE sql AS $$
  SELECT format('unit %s lineage %s assessment %s incident %s score %s model_check %s decision %s set %s criterion %s sheet %s item %s band %s',
                (SELECT count(*) FROM antq.unit), (SELECT count(*) FROM antq.unit_lineage), (SELECT count(*) FROM antq.assessment),
                (SELECT count(*) FROM antq.incident), (SELECT count(*) FROM antq.score), (SELECT count(*) FROM antq.model_check),
                (SELECT count(*) FROM antq.decision), (SELECT count(*) FROM antq.criteria_set), (SELECT count(*) FROM antq.criterion),
                (SELECT count(*) FROM antq.scoring_sheet), (SELECT count(*) FROM antq.scoring_item), (SELECT count(*) FROM antq.rating_band))
$$;
CREATE TEMP TABLE v (name text PRIMARY KEY, value text);
INSERT INTO v VALUES ('cq1', pg_temp.u('CQ1')::text), ('t1', pg_temp.u('00691-T1')::text), ('c901', (antq.unit_at('00901', '1990-01-01')).unit_id::text), ('p09', (antq.unit_at('09', '1990-01-01')).unit_id::text),
                     ('ymax', antq.year_max()::text), ('dmax', antq.date_max()::text), ('hint', antq.year_window_hint()),
                     ('counts', pg_temp.counts());
GRANT SELECT, UPDATE ON v TO PUBLIC;
CREATE FUNCTION pg_temp.v(p_name text) RETURNS text LANGUAGE sql AS $$ SELECT value FROM v WHERE name = p_name $$;

------------------------------------------------------------------ writers: facts
SET LOCAL ROLE antq_writer;

SELECT throws_ok('SET antq.years_ahead = 5', '42501', NULL, 'a writer cannot widen the window of years');

-- assessment.year
SELECT is(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, 2024), (%s, 6000000)', pg_temp.v('cq1'), pg_temp.v('cq1'))),
    ARRAY['22008', 'year for agency CQ1 "Unit CQ1" in 6000000: year 6000000 is outside the years antq accepts', pg_temp.v('hint'), 'year'],
    'an assessment for year 6000000 is refused (22008), naming the unit and the field, with the window and its settings as hint');
SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, 1989)', pg_temp.v('cq1')),
    '22008', 'year for agency CQ1 "Unit CQ1" in 1989: year 1989 is outside the years antq accepts', 'a year before antq.year_min is refused');
SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, %s)', pg_temp.v('cq1'), pg_temp.v('ymax')::int + 1),
    '22008', format('year for agency CQ1 "Unit CQ1" in %s: year %s is outside the years antq accepts', pg_temp.v('ymax')::int + 1, pg_temp.v('ymax')::int + 1),
    'the year after next is refused');
SELECT is(pg_temp.counts(), pg_temp.v('counts'), 'nothing was stored by the refused assessments');
SELECT lives_ok(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, 1990), (%s, %s)', pg_temp.v('c901'), pg_temp.v('c901'), pg_temp.v('ymax')),
    'assessments for antq.year_min and for next year are accepted');
SELECT throws_ok(format('UPDATE antq.assessment SET year = 2147483000 WHERE unit_id = %s AND year = 1990', pg_temp.v('c901')),
    '22008', NULL, 'an UPDATE to an absurd year is refused too');

-- assessment dates
SELECT is(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, registered_on, plan_on) VALUES (%s, 2024, ''2024-02-01'', ''infinity'')', pg_temp.v('cq1'))),
    ARRAY['22008', 'plan_on for agency CQ1 "Unit CQ1" in 2024: date infinity is outside the years antq accepts', pg_temp.v('hint'), 'plan_on'],
    'an assessment date of infinity is refused, naming the field');
SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year, resolution_on) VALUES (%s, 2024, ''1989-12-31'')', pg_temp.v('cq1')),
    '22008', 'resolution_on for agency CQ1 "Unit CQ1" in 2024: date 1989-12-31 is outside the years antq accepts', 'a date before antq.year_min is refused');
SELECT lives_ok(format('INSERT INTO antq.assessment (unit_id, year, registered_on, resolution_on) VALUES (%s, 2024, ''1990-01-01'', %L)', pg_temp.v('cq1'), pg_temp.v('dmax')),
    'dates on 1 January of antq.year_min and 31 December of next year are accepted');

-- assessment.extra: numbers the engine holds, a bounded object
SELECT is(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, extra) VALUES (%s, 2023, ''{"night_patrols": 1e13}'')', pg_temp.v('cq1'))),
    ARRAY['22003', 'extra.night_patrols for agency CQ1 "Unit CQ1" in 2023: 10000000000000 is out of range',
          'Numbers in extra lie in the integer range, -2147483648 to 2147483647, as the typed counts do.', 'extra.night_patrols'],
    'a provincial fact beyond the integer range is refused (22003)');
SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year, extra) VALUES (%s, 2023, jsonb_build_object(''note'', repeat(''x'', 20000)))', pg_temp.v('cq1')),
    '22001', 'extra for agency CQ1 "Unit CQ1" in 2023: extra takes 20020 bytes', 'provincial facts of more than 16 kB are refused (22001)');
SELECT lives_ok(format('INSERT INTO antq.assessment (unit_id, year, extra) VALUES (%s, 2023, ''{"a": 2147483647, "b": -2147483648}'')', pg_temp.v('cq1')),
    'provincial facts at the ends of the integer range are accepted');

-- incident.occurred_on, reference, description
UPDATE v SET value = pg_temp.counts() WHERE name = 'counts';
SELECT is(pg_temp.err(format('INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (%s, ''2024-05-01'', ''sabotage''), (%s, ''5874897-12-31'', ''sabotage'')', pg_temp.v('t1'), pg_temp.v('t1'))),
    ARRAY['22008', 'occurred_on for residential_area 00691-T1 "Unit 00691-T1" in 5874897: date 5874897-12-31 is outside the years antq accepts', pg_temp.v('hint'), 'occurred_on'],
    'an incident dated 5874897-12-31 is refused (22008)');
SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (%s, ''-infinity'', ''sabotage'')', pg_temp.v('t1')),
    '22008', 'occurred_on for residential_area 00691-T1 "Unit 00691-T1" in (no year): date -infinity is outside the years antq accepts', 'an incident dated -infinity is refused');
SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (%s, %L::date + 1, ''sabotage'')', pg_temp.v('t1'), pg_temp.v('dmax')),
    '22008', NULL, 'an incident dated after next year is refused');
SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind, reference) VALUES (%s, ''2024-05-01'', ''sabotage'', repeat(''R'', 101))', pg_temp.v('t1')),
    '22001', 'reference for residential_area 00691-T1 "Unit 00691-T1" in 2024: a reference of 101 characters', 'a reference of more than 100 characters is refused (22001)');
SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind, description) VALUES (%s, ''2024-05-01'', ''sabotage'', repeat(''d'', 2001))', pg_temp.v('t1')),
    '22001', 'description for residential_area 00691-T1 "Unit 00691-T1" in 2024: a description of 2001 characters', 'a description of more than 2000 characters is refused');
SELECT is(pg_temp.counts(), pg_temp.v('counts'), 'nothing was stored by the refused incidents');
SELECT lives_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind, reference, description) VALUES (%s, %L, ''sabotage'', repeat(''R'', 100), repeat(''d'', 2000)), (%s, ''1990-01-01'', ''sabotage'', NULL, NULL)',
                       pg_temp.v('t1'), pg_temp.v('dmax'), pg_temp.v('c901')),
    'incidents on the first and last days accepted, with a 100-character reference and a 2000-character description, are accepted');

-- score, model_check, decision
UPDATE v SET value = pg_temp.counts() WHERE name = 'counts';
SELECT throws_ok(format('INSERT INTO antq.score (unit_id, year, item, points) VALUES (%s, 6000000, ''1'', 1)', pg_temp.v('cq1')),
    '22008', 'year for agency CQ1 "Unit CQ1" in 6000000: year 6000000 is outside the years antq accepts', 'a score for year 6000000 is refused');
SELECT is(pg_temp.err(format('INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES (%s, 2024, 1, true), (%s, 6000000, 1, true)', pg_temp.v('cq1'), pg_temp.v('cq1'))),
    ARRAY['22008', 'year for agency CQ1 "Unit CQ1" in 6000000: year 6000000 is outside the years antq accepts', pg_temp.v('hint'), 'year'],
    'a model check for year 6000000 is refused (22008)');
SELECT throws_ok(format('INSERT INTO antq.model_check (unit_id, year, criterion_no, met, note) VALUES (%s, 2024, 1, true, repeat(''n'', 2001))', pg_temp.v('cq1')),
    '22001', 'note for agency CQ1 "Unit CQ1" in 2024: a note of 2001 characters', 'a note of more than 2000 characters is refused');
SELECT is(pg_temp.err(format('INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority) VALUES (%s, 6000000, ''recognition'', true, ''1/QĐ'', ''2024-11-20'', ''UBND'')', pg_temp.v('cq1'))),
    ARRAY['22008', 'year for agency CQ1 "Unit CQ1" in 6000000: year 6000000 is outside the years antq accepts', pg_temp.v('hint'), 'year'],
    'a decision for year 6000000 is refused (22008)');
SELECT throws_ok(format('INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority) VALUES (%s, 2024, ''recognition'', true, ''1/QĐ'', ''20240-11-20'', ''UBND'')', pg_temp.v('cq1')),
    '22008', 'decided_on for agency CQ1 "Unit CQ1" in 2024: date 20240-11-20 is outside the years antq accepts', 'a decision dated in year 20240 is refused');
SELECT throws_ok(format('INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority) VALUES (%s, 2024, ''recognition'', true, repeat(''9'', 101), ''2024-11-20'', ''UBND'')', pg_temp.v('cq1')),
    '22001', 'number for agency CQ1 "Unit CQ1" in 2024: a number of 101 characters', 'a decision number of more than 100 characters is refused');
SELECT throws_ok(format('INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority) VALUES (%s, 2024, ''recognition'', true, ''1/QĐ'', ''2024-11-20'', repeat(''A'', 501))', pg_temp.v('cq1')),
    '22001', 'authority for agency CQ1 "Unit CQ1" in 2024: an authority of 501 characters', 'an authority of more than 500 characters is refused');
SELECT is(pg_temp.counts(), pg_temp.v('counts'), 'nothing was stored by the refused scores, model checks and decisions');
SELECT lives_ok(format('INSERT INTO antq.model_check (unit_id, year, criterion_no, met, note) VALUES (%s, %s, 1, true, repeat(''n'', 2000))', pg_temp.v('cq1'), pg_temp.v('ymax')),
    'a model check for next year with a 2000-character note is accepted');
SELECT lives_ok(format('INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority) VALUES (%s, %s, ''recognition'', true, repeat(''9'', 100), %L, repeat(''A'', 500))',
                       pg_temp.v('cq1'), pg_temp.v('ymax'), pg_temp.v('dmax')),
    'a decision for next year, dated its last day, with a 100-character number and a 500-character authority is accepted');
SELECT lives_ok(format('INSERT INTO antq.score (unit_id, year, item, points) VALUES (%s, %s, ''1'', 1)', pg_temp.v('cq1'), pg_temp.v('ymax')),
    'a score for next year is accepted');

------------------------------------------------------------------ writers: the registry
UPDATE v SET value = pg_temp.counts() WHERE name = 'counts';
SELECT is((pg_temp.err(format('INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from) VALUES (''agency'', ''CQ2'', repeat(''Tên'', 3495254), %s, %s, ''2020-01-01'')',
                              pg_temp.u('00691'), pg_temp.u('00691'))))[1:2],
    ARRAY['22001', format('unit agency CQ2 "%s… (10485762 characters)" has a name of 10485762 characters', left(repeat('Tên', 30), 80))],
    'a 10 MB unit name is refused (22001), the message quoting 80 characters of it');
SELECT throws_ok(format('INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from) VALUES (''agency'', ''CQ2'', repeat(''n'', 501), %s, %s, ''2020-01-01'')', pg_temp.u('00691'), pg_temp.u('00691')),
    '22001', NULL, 'a unit name of 501 characters is refused');
SELECT is(pg_temp.err(format('INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES (''commune'', ''xa'', ''00902'', ''Xã Hai'', %s, ''1989-12-31'')', pg_temp.v('p09'))),
    ARRAY['22008', 'unit commune 00902 "Xã Hai" has valid_from 1989-12-31, outside the years antq accepts', pg_temp.v('hint'), 'valid_from'],
    'a unit valid from before antq.year_min is refused (22008)');
SELECT throws_ok(format('INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from, valid_to) VALUES (''commune'', ''xa'', ''00902'', ''Xã Hai'', %s, ''2000-01-01'', %L::date + 2)', pg_temp.v('p09'), pg_temp.v('dmax')),
    '22008', format('unit commune 00902 "Xã Hai" has valid_to %s, outside the years antq accepts', (pg_temp.v('dmax')::date + 2)::text), 'a unit valid to after next year is refused');
SELECT throws_ok(format('INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES (''commune'', ''xa'', repeat(''0'', 100000), ''Xã Ba'', %s, ''2000-01-01'')', pg_temp.v('p09')),
    '23514', format('malformed code "%s… (100000 characters)" for unit commune %s… (100000 characters) "Xã Ba"', repeat('0', 40), repeat('0', 40)),
    'a 100,000-character code is refused with 40 characters of it quoted');
SELECT throws_ok(format('INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date) VALUES (%s, %s, ''merge'', ''5874897-12-31'')', pg_temp.v('cq1'), pg_temp.v('t1')),
    '22008', 'lineage of agency CQ1 "Unit CQ1" has effective_date 5874897-12-31, outside the years antq accepts', 'a lineage effective in year 5874897 is refused');
SELECT throws_ok(format('INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date, legal_basis) VALUES (%s, %s, ''merge'', ''2024-01-01'', repeat(''L'', 501))', pg_temp.v('cq1'), pg_temp.v('t1')),
    '22001', 'lineage of agency CQ1 "Unit CQ1" has a legal_basis of 501 characters', 'a legal basis of more than 500 characters is refused');
SELECT is(pg_temp.counts(), pg_temp.v('counts'), 'nothing was stored by the refused units');
SELECT lives_ok(format('INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from, valid_to) VALUES (''commune'', ''xa'', ''00902'', repeat(''n'', 500), %s, ''2000-01-01'', %L::date + 1)', pg_temp.v('p09'), pg_temp.v('dmax')),
    'a unit with a 500-character name, valid to the day after the last date accepted, is accepted');

-- A rejected fact of a unit whose name is long quotes 80 characters of it: the log line is short.
SELECT ok(length(array_to_string(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (%s, 2024, -1)', (antq.unit_at('00902', '2024-01-01')).unit_id)), ' ')) < 400,
    'the error of a rejected fact for a unit with a 500-character name is under 400 characters');
RESET ROLE;
-- A 10 MB name stored before the bounds existed (written here with the checks off).
ALTER TABLE antq.unit DISABLE TRIGGER unit_check;
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, management_level, province_id, province_code, valid_from)
SELECT 'agency', 'CQ-BIG', repeat('X', 10485760), u.unit_id, u.unit_id, 'commune', u.province_id, u.province_code, '2020-01-01' FROM antq.unit u WHERE u.unit_id = pg_temp.u('00691');
ALTER TABLE antq.unit ENABLE TRIGGER unit_check;
SET LOCAL ROLE antq_writer;
SELECT is((pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (%s, 2024, -1)', pg_temp.u('CQ-BIG'))))[2],
    format('crime_count for agency CQ-BIG "%s… (10485760 characters)" in 2024: negative count -1', repeat('X', 80)),
    'a rejected fact of a unit with a 10 MB name quotes 80 characters of the name');
SELECT ok(length(array_to_string(pg_temp.err(format('INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (%s, 2024, -1)', pg_temp.u('CQ-BIG'))), ' ')) < 400,
    'and the whole error (message, hint, field) stays under 400 characters');

------------------------------------------------------------------ admins: rules
SET LOCAL ROLE antq_admin;
UPDATE v SET value = pg_temp.counts() WHERE name = 'counts';
SELECT throws_ok('SET antq.year_min = 1900', '42501', NULL, 'an admin cannot widen the window of years');

-- criterion.threshold
SELECT is(pg_temp.err($$ INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, threshold) VALUES ('tt124-agency', 'X', 6, 'Few tip-offs', 'count_at_most', 'tipoffs', 1e13) $$),
    ARRAY['22003', 'threshold of criterion X of set tt124-agency: threshold 10000000000000 is out of range for form count_at_most',
          'A threshold lies from 0 to 2147483647, the range of the counts it compares with. The engine holds thresholds to 6 decimals (limits fixed in antq.criterion_check).', 'threshold'],
    'a criterion threshold of 1e13 is refused (22003)');
SELECT throws_ok($$ INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, threshold) VALUES ('tt124-agency', 'X', 6, 'Few tip-offs', 'count_at_most', 'tipoffs', 'NaN') $$,
    '22003', 'threshold of criterion X of set tt124-agency: threshold NaN is out of range for form count_at_most', 'a NaN threshold is refused');
SELECT throws_ok($$ UPDATE antq.criterion SET threshold = 1.5 WHERE set_id = 'tt124-commune' AND label = '4-recognized' $$,
    '22003', 'threshold of criterion 4-recognized of set tt124-commune: threshold 1.5 is out of range for form units_recognized', 'a share above 1 is refused');
SELECT throws_ok($$ UPDATE antq.criterion SET threshold = 0.0000001 WHERE set_id = 'tt124-commune' AND label = '4-recognized' $$,
    '22003', 'threshold of criterion 4-recognized of set tt124-commune: threshold 0.0000001 has more than 6 decimals', 'a threshold finer than the engine holds is refused');
SELECT throws_ok(format($$ INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact) VALUES ('tt124-agency', 'X', 6, %L, 'fact_true', 'internal_rules') $$, repeat('t', 1001)),
    '22001', 'title of criterion X of set tt124-agency: a title of 1001 characters', 'a criterion title of more than 1000 characters is refused');

-- criteria sets and sheets
SELECT is(pg_temp.err($$ INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, first_year, title) VALUES ('08-agency', 'safe', 'agency', '08', 6000000, 'Tiêu chí bổ sung') $$),
    ARRAY['22008', 'first_year of criteria set 08-agency: year 6000000 is outside the years antq accepts',
          pg_temp.v('hint') || ' Leave first_year empty for a rule in force from the beginning.', 'first_year'],
    'a criteria set from year 6000000 is refused (22008)');
SELECT throws_ok($$ INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, title) VALUES ('08-agency', 'safe', 'agency', repeat('8', 1000), 'Tiêu chí bổ sung') $$,
    '23514', format('province_code of criteria set 08-agency: malformed province code "%s… (1000 characters)"', repeat('8', 40)), 'a malformed province code is refused');
SELECT throws_ok($$ INSERT INTO antq.scoring_sheet (unit_kind, province_code, first_year, last_year, title) VALUES ('school', '08', 2024, 6000000, 'Bảng điểm') $$,
    '22008', NULL, 'a scoring sheet to year 6000000 is refused');
SELECT throws_ok($$ INSERT INTO antq.scoring_item (sheet_id, item, title, max_points) SELECT sheet_id, '99', 'Mục', 'NaN' FROM antq.scoring_sheet WHERE unit_kind = 'agency' AND province_code IS NULL $$,
    '22003', NULL, 'an item maximum of NaN is refused');
SELECT throws_ok($$ INSERT INTO antq.scoring_item (sheet_id, item, title, max_points) SELECT sheet_id, '99', 'Mục', 1001 FROM antq.scoring_sheet WHERE unit_kind = 'agency' AND province_code IS NULL $$,
    '22003', NULL, 'an item maximum above 1000 is refused');
SELECT is(pg_temp.counts(), pg_temp.v('counts'), 'nothing was stored by the refused rules');
SELECT lives_ok(format($$ INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, threshold) VALUES ('tt124-agency', 'X', 6, %L, 'count_at_most', 'tipoffs', 2147483647) $$, repeat('t', 1000)),
    'a count threshold of 2147483647 with a 1000-character title is accepted');
SELECT lives_ok($$ UPDATE antq.criterion SET threshold = 1 WHERE set_id = 'tt124-commune' AND label = '4-recognized' $$, 'a share of 1 is accepted');
SELECT lives_ok(format($$ INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, first_year, last_year, title) VALUES ('08-agency', 'safe', 'agency', '08', 1990, %s, 'Tiêu chí bổ sung') $$, pg_temp.v('ymax')),
    'a provincial set from antq.year_min to next year is accepted');
SELECT lives_ok($$ INSERT INTO antq.scoring_item (sheet_id, item, title, max_points) SELECT sheet_id, '99', 'Mục', 1000 FROM antq.scoring_sheet WHERE unit_kind = 'agency' AND province_code IS NULL $$,
    'an item maximum of 1000 is accepted');
-- The rules cache compiles the accepted rules: evaluation still runs.
SELECT lives_ok(format('SELECT * FROM antq.explain_unit(%s, 2024, ''safe'')', pg_temp.v('cq1')), 'the engine evaluates with the boundary threshold');

-- rating bands
UPDATE v SET value = pg_temp.counts() WHERE name = 'counts';
CREATE TEMP TABLE national AS SELECT sheet_id FROM antq.scoring_sheet WHERE unit_kind = 'agency' AND province_code IS NULL;
GRANT SELECT ON national TO PUBLIC;
SELECT is(pg_temp.err($$ DELETE FROM antq.rating_band WHERE sheet_id = (SELECT sheet_id FROM national) AND rating::integer = 1 $$),
    ARRAY['23514', format('min_score of the rating bands of sheet %s: the lowest band (Trung bình) starts at 50, not 0', (SELECT sheet_id FROM national)),
          'The bands of a sheet cover [0, infinity) without gaps or overlaps: each max_score equals the next min_score, the top band has no max_score, better levels lie higher. Write a sheet''s bands in one statement.',
          'min_score'],
    'deleting the lowest rating band is refused (23514): scores below 50 would have no rating');
SELECT throws_ok($$ DELETE FROM antq.rating_band WHERE sheet_id = (SELECT sheet_id FROM national) $$,
    '23514', format('rating of the rating bands of sheet %s: every band deleted, so no score has a rating', (SELECT sheet_id FROM national)),
    'deleting every band of a sheet still in place is refused');
SELECT throws_ok($$ UPDATE antq.rating_band SET min_score = 10 WHERE sheet_id = (SELECT sheet_id FROM national) AND rating::integer = 1 $$,
    '23514', NULL, 'moving the lowest band off 0 is refused');
SELECT throws_ok($$ UPDATE antq.rating_band SET max_score = 'Infinity' WHERE sheet_id = (SELECT sheet_id FROM national) AND rating::integer = 1 $$,
    '22003', format('max_score of band Yếu of sheet %s: score Infinity is out of range', (SELECT sheet_id FROM national)), 'an infinite band score is refused (22003)');
SELECT is(pg_temp.counts(), pg_temp.v('counts'), 'no band was deleted or changed');
INSERT INTO antq.scoring_sheet (sheet_id, unit_kind, province_code, first_year, title) VALUES (5000, 'school', '08', 2024, 'Bảng điểm trường của tỉnh 08');
SELECT lives_ok($$ INSERT INTO antq.rating_band (sheet_id, rating, min_score, max_score) VALUES (5000, 'Yếu', 0, 500), (5000, 'Trung bình', 500, 700), (5000, 'Khá', 700, 1000), (5000, 'Xuất sắc', 1000, NULL) $$,
    'bands from 0 to 1000 are accepted');
SELECT lives_ok($$ DELETE FROM antq.scoring_sheet WHERE sheet_id = 5000 $$, 'deleting a sheet with its bands is accepted');
SELECT is((SELECT count(*) FROM antq.rating_band WHERE sheet_id = 5000), 0::bigint, 'its bands went with it');

------------------------------------------------------------------ the window is configured
RESET ROLE;
SET LOCAL antq.years_ahead = 3;
SELECT is(antq.year_max(), extract(year FROM now())::int + 3, 'a superuser widens the window with antq.years_ahead');
SET LOCAL ROLE antq_writer;
SELECT lives_ok(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, %s)', pg_temp.v('cq1'), pg_temp.v('ymax')::int + 2),
    'a year within the widened window is accepted');
RESET ROLE;
SET LOCAL antq.year_min = 2000;
SET LOCAL ROLE antq_writer;
SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year) VALUES (%s, 1999)', pg_temp.v('cq1')),
    '22008', NULL, 'raising antq.year_min refuses the years before it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

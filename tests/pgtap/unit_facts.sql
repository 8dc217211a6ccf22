-- Facts belong to the unit, not to a version (issue 19, items 1 and 2; sql/48_facts_unit.sql):
-- on 1 July 2025 commune 00691 of Hà Giang (02) absorbs 00688 and carries on in Tuyên Quang
-- (08). Its facts of 2025 follow it to its new version, writes on the old version id land
-- there, incidents land on the version in force on their day, facts of a code taking part
-- nowhere are refused (new) or listed (stored), two versions holding one key are refused, a
-- writer confined to 02 cannot reach 08 that way, and results count the incidents their
-- criteria read: their own and their predecessors'.
BEGIN;
SELECT plan(32);

CREATE FUNCTION pg_temp.err(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; hint text;
BEGIN
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
    RETURN st || ' ' || msg || ' | ' || coalesce(hint, '');
END $$;
CREATE FUNCTION pg_temp.v(p_code text, p_on date) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, p_on)).unit_id $$;
GRANT EXECUTE ON FUNCTION pg_temp.err(text), pg_temp.v(text, date) TO PUBLIC;

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'tinh', '02', 'Tỉnh Hà Giang', '1991-10-01'), ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('commune', 'phuong', '00688', 'Phường Quang Trung', pg_temp.v('02', '2020-01-01'), '2010-09-27'),
    ('commune', 'phuong', '00691', 'Phường Trần Phú', pg_temp.v('02', '2020-01-01'), '2010-09-27');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('residential_area', 'to_dan_pho', '00691-TDP1', 'Tổ dân phố 1', pg_temp.v('00691', '2020-01-01'), '2015-01-01');

-- Before the reform: Q1 registrations, an incident of each commune and one of the area.
INSERT INTO antq.assessment (unit_id, year, registered_on, active_models) VALUES
    (pg_temp.v('00691', '2025-03-01'), 2025, '2025-02-10', 1), (pg_temp.v('00688', '2025-03-01'), 2025, '2025-02-12', 2),
    (pg_temp.v('00691', '2025-03-01'), 2024, '2024-02-10', 1);
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference) VALUES
    (pg_temp.v('00691', '2025-03-01'), '2025-03-10', 'crime', 'serious', 'TP-1'),
    (pg_temp.v('00688', '2025-03-01'), '2025-04-01', 'serious_fire_explosion', NULL, 'QT-1'),
    (pg_temp.v('00691-TDP1', '2025-03-01'), '2025-05-01', 'crime', 'less_serious', 'TDP-1');
CREATE TEMP TABLE old (code text PRIMARY KEY, unit_id bigint);
INSERT INTO old SELECT c, pg_temp.v(c, '2025-06-30') FROM unnest(ARRAY['00688', '00691', '00691-TDP1']) c;
GRANT SELECT ON old TO PUBLIC;

-- The reform: 00691 absorbs 00688 and moves under province 08.
SELECT antq.merge_units(pg_temp.v('00691', '2025-06-30'), ARRAY[pg_temp.v('00688', '2025-06-30')], '2025-07-01',
                        pg_temp.v('08', '2025-07-01'), 'Phường Hà Giang 2', NULL, 'Nghị quyết 1656/NQ-UBTVQH15');

-- Registry changes move the facts.
SELECT is((SELECT string_agg(format('%s:%s', a.year, u.province_code), ' ' ORDER BY a.year)
             FROM antq.assessment a JOIN antq.unit u USING (unit_id) WHERE u.code = '00691'), '2024:02 2025:08',
          'the 2025 registration of 00691 moved to its version in province 08; 2024 stays where it took part');
SELECT is((SELECT a.unit_id FROM antq.assessment a WHERE a.year = 2025 AND a.unit_id IN (SELECT unit_id FROM antq.unit WHERE code = '00691')),
          pg_temp.v('00691', '2025-07-01'), 'it is stored on the version taking part in 2025');
SELECT is((SELECT count(*) FROM antq.assessment a JOIN old o USING (unit_id) WHERE o.code = '00688'), 1::bigint,
          'the absorbed 00688 keeps its 2025 registration stored');
SELECT is((SELECT string_agg(format('%s@%s', i.reference, u.valid_to), ' ' ORDER BY i.reference)
             FROM antq.incident i JOIN antq.unit u USING (unit_id)), 'QT-1@2025-07-01 TDP-1@2025-07-01 TP-1@2025-07-01',
          'incidents before the reform stay on the versions in force on their day');

-- Writes on the old version id land on the version taking part.
INSERT INTO antq.assessment (unit_id, year, registered_on, active_models)
SELECT o.unit_id, 2025, '2025-02-10', 3 FROM old o WHERE o.code = '00691'
ON CONFLICT (unit_id, year) DO UPDATE SET active_models = EXCLUDED.active_models;
SELECT is((SELECT format('%s:%s', count(*), max(a.active_models)) FROM antq.assessment a JOIN antq.unit u USING (unit_id)
            WHERE u.code = '00691' AND a.year = 2025), '1:3',
          'a late correction written on the old version id updates the one 2025 row, on the new version');
INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority)
SELECT o.unit_id, 2025, 'recognition', true, '12/QĐ-UBND', '2025-11-20', 'UBND phường' FROM old o WHERE o.code = '00691';
SELECT is((SELECT d.unit_id FROM antq.decision d), pg_temp.v('00691', '2025-07-01'), 'a decision of 2025 written on the old version is stored on the new');
SELECT lives_ok($$UPDATE antq.assessment SET active_models = 4 WHERE unit_id = pg_temp.v('00691', '2025-07-01') AND year = 2025$$,
                'updating the row on its version works as before');

-- No version takes part: refused, naming the code and the year, with the merger as hint.
SELECT matches(pg_temp.err($$INSERT INTO antq.assessment (unit_id, year, registered_on) SELECT unit_id, 2026, '2026-02-01' FROM old WHERE code = '00688'$$),
    '^23514 unit_id for commune 00688 "Phường Quang Trung" in 2026: no version of code 00688 is in force on 2026-11-15, the last day of its 2026 window: it does not take part in 2026 \| Facts of the unit from then on are written on its successor \(commune 00691 "Phường Hà Giang 2" on 2025-07-01\)',
    'a fact for a year in which no version of the code takes part is refused (23514), naming code and year, hinting at the successor');
SELECT is((SELECT count(*) FROM antq.assessment WHERE year = 2026), 0::bigint, 'and nothing was stored');
SELECT matches(pg_temp.err($$INSERT INTO antq.score (unit_id, year, item, points) SELECT unit_id, 2009, 'x', 1 FROM old WHERE code = '00691'$$),
    '^23514 unit_id for commune 00691 "Phường Trần Phú" in 2009: no version of code 00691 is in force on 2009-11-15',
    'so is a score of a year before the code existed');

-- Incidents: stored on the version in force on their day.
INSERT INTO antq.incident (unit_id, occurred_on, kind, reference)
VALUES (pg_temp.v('00691', '2025-07-01'), '2025-06-20', 'illegal_strike', 'TP-2'),
       ((SELECT unit_id FROM old WHERE code = '00691'), '2025-08-01', 'sabotage', 'TP-3');
SELECT is((SELECT string_agg(format('%s:%s', i.reference, i.unit_id = o.unit_id), ' ' ORDER BY i.reference)
             FROM antq.incident i, old o WHERE o.code = '00691' AND i.reference IN ('TP-2', 'TP-3')), 'TP-2:t TP-3:f',
          'an incident written on the new version dated before the reform lands on the old, and one after it on the new');
SELECT is((SELECT i.unit_id FROM antq.incident i WHERE i.reference = 'TP-3'), pg_temp.v('00691', '2025-07-01'),
          'the one after the reform is on the version in force that day');
SELECT matches(pg_temp.err($$INSERT INTO antq.incident (unit_id, occurred_on, kind) SELECT unit_id, '2025-08-01', 'sabotage' FROM old WHERE code = '00688'$$),
    '^23514 unit_id for commune 00688 "Phường Quang Trung" in 2025: no version of code 00688 is in force on 2025-08-01 \| Facts of the unit from then on are written on its successor \(commune 00691',
    'an incident on a day no version of the code is in force is refused, hinting at the successor');

-- What counts nowhere is listed.
SELECT is((SELECT string_agg(format('%s %s %s %s', f.table_name, f.unit_code, f.year, f.reason), '; ') FROM antq.facts_not_counted f),
    'assessment 00688 2025 no version of code 00688 is in force on 2025-11-15, the last day of its 2025 window; merged into commune 00691 "Phường Hà Giang 2" on 2025-07-01',
    'facts_not_counted lists the absorbed unit''s registration, not its incident (its successor reads it) nor 00691''s rows');

-- Two versions holding one key: refused on the next registry change, naming code, year, table.
SET LOCAL session_replication_role = replica;  -- as a subscription applying rows would, without the checks
INSERT INTO antq.assessment (unit_id, year, registered_on) SELECT unit_id, 2025, '2025-02-01' FROM old WHERE code = '00691';
RESET session_replication_role;
SELECT matches(pg_temp.err($$UPDATE antq.unit SET name = 'Phường Hà Giang II', valid_from = '2025-07-01' WHERE code = '00691' AND valid_to IS NULL$$),
    '^no error', 'a change that moves no validity moves nothing');
SELECT matches(pg_temp.err($$UPDATE antq.unit SET valid_from = '2010-01-01' WHERE unit_id = (SELECT unit_id FROM old WHERE code = '00691')$$),
    '^23505 code 00691 has rows of antq.assessment for 2025 on more than one version \| Keep one of the rows',
    'a change of validity with two versions holding 2025 rows is refused (23505), naming code, table and year');
DELETE FROM antq.assessment WHERE unit_id = (SELECT unit_id FROM old WHERE code = '00691') AND year = 2025;
SET LOCAL session_replication_role = replica;  -- two incidents on a version not in force on their day
INSERT INTO antq.incident (unit_id, occurred_on, kind)
SELECT o.unit_id, x.d, 'sabotage' FROM old o, (VALUES (date '2025-08-03'), ('2025-08-04')) x(d) WHERE o.code = '00691';
RESET session_replication_role;
SELECT lives_ok($$UPDATE antq.unit SET valid_from = '2010-01-01' WHERE unit_id = (SELECT unit_id FROM old WHERE code = '00691')$$,
    'with one row left the change goes through');
SELECT is((SELECT count(*) FROM antq.incident WHERE occurred_on IN ('2025-08-03', '2025-08-04') AND unit_id = pg_temp.v('00691', '2025-07-01')),
          2::bigint, 'and moves incidents to the version in force on their day, those without a reference (no natural key) together');
DELETE FROM antq.incident WHERE occurred_on IN ('2025-08-03', '2025-08-04');

-- A writer confined to 02 cannot write into 08 through the old version.
CREATE ROLE uf_w02 LOGIN IN ROLE antq_writer;
SELECT antq.grant_province('uf_w02', '02');
SET LOCAL ROLE uf_w02;
SELECT matches(pg_temp.err($$INSERT INTO antq.assessment (unit_id, year, tipoffs) SELECT unit_id, 2025, 1 FROM old WHERE code = '00691'
                             ON CONFLICT (unit_id, year) DO UPDATE SET tipoffs = 1$$),
    '^42501 commune 00691 \(unit_id \d+\) of province 08 is outside the provinces this session may write \(02\)',
    'a confined writer''s fact redirected into another province is refused (42501), naming the unit and province');
SELECT matches(pg_temp.err($$INSERT INTO antq.incident (unit_id, occurred_on, kind) SELECT unit_id, '2025-08-02', 'sabotage' FROM old WHERE code = '00691'$$),
    '^42501 commune 00691 \(unit_id \d+\) of province 08', 'so is its incident after the reform');
SELECT lives_ok($$INSERT INTO antq.incident (unit_id, occurred_on, kind, reference) SELECT unit_id, '2025-06-21', 'sabotage', 'W02' FROM old WHERE code = '00691'$$,
    'its incident before the reform, on its own province''s version, is accepted');
RESET ROLE;
SELECT is((SELECT tipoffs FROM antq.assessment WHERE unit_id = pg_temp.v('00691', '2025-07-01') AND year = 2025), NULL::integer,
          'nothing of the refused write was stored');
-- A writer confined to 08, which took the unit over, writes its facts with the id kept from 02,
-- but not those of the days 02 held it.
CREATE ROLE uf_w08 LOGIN IN ROLE antq_writer;
SELECT antq.grant_province('uf_w08', '08');
SET LOCAL ROLE uf_w08;
SELECT lives_ok($$INSERT INTO antq.assessment (unit_id, year, tipoffs) SELECT unit_id, 2025, 7 FROM old WHERE code = '00691'
                  ON CONFLICT (unit_id, year) DO UPDATE SET tipoffs = EXCLUDED.tipoffs$$,
    'a writer confined to 08 corrects the 2025 facts of the unit 08 took over through the id it had in 02');
SELECT matches(pg_temp.err($$INSERT INTO antq.incident (unit_id, occurred_on, kind) SELECT unit_id, '2025-06-22', 'sabotage' FROM old WHERE code = '00691'$$),
    '^42501 commune 00691 \(unit_id \d+\) of province 02 is outside the provinces this session may write \(08\)',
    'but not an incident of a day it lay in 02');
RESET ROLE;
SELECT is((SELECT tipoffs FROM antq.assessment WHERE unit_id = pg_temp.v('00691', '2025-07-01') AND year = 2025), 7,
          'the correction is stored on the version in 08');

-- Results count what their criteria read: the commune its own and its predecessors' (TP-1,
-- TP-2, QT-1, W02 and TP-3), not its area's (TDP-1), which counts in the area's successor row.
SELECT antq.refresh();
SELECT is((SELECT format('%s %s', r.incidents, r.incidents_by_kind) FROM antq.unit_result r
            WHERE r.unit_id = pg_temp.v('00691', '2025-07-01') AND r.year = 2025),
          '5 {"crime": 1, "sabotage": 2, "illegal_strike": 1, "serious_fire_explosion": 1}',
          'the successor commune counts its predecessors'' incidents, not those of its area');
SELECT is((SELECT format('%s %s', r.incidents, r.incidents_by_kind) FROM antq.unit_result r
            WHERE r.unit_id = pg_temp.v('00691-TDP1', '2025-07-01') AND r.year = 2025), '1 {"crime": 1}',
          'the area''s successor counts its predecessor''s incident');
SELECT is((SELECT s.incidents FROM antq.summary s WHERE s.area_level = 'province' AND s.area_code = '08' AND s.year = 2025 AND s.unit_kind = 'commune'),
          5, 'province 08''s commune row counts them once');
SELECT is((SELECT count(*) FROM antq.verify()), 0::bigint, 'verify() finds nothing to fix');
SELECT is((antq.results_stale(2025)).stale, '{}'::bigint[], 'the C pass computes what the SQL stored');

-- antq.move_facts (sql/48_facts_unit.sql) is written out table by table: every fact table of
-- antq.year_fact_tables and the incidents, each with its key, and no other.
SELECT is(ARRAY(SELECT (regexp_matches(p.prosrc, 'UPDATE antq\.(\w+) m SET unit_id', 'g'))[1]
                  FROM pg_catalog.pg_proc p WHERE p.oid = 'antq.move_facts(text[],text[])'::regprocedure),
          ARRAY(SELECT y.table_name FROM antq.year_fact_tables() y) || 'incident'::text,
          'move_facts moves the rows of every table of antq.year_fact_tables, then the incidents');
SELECT is(ARRAY(SELECT (regexp_matches(p.prosrc, 'GROUP BY w\.unit_id, ([^H]+) HAVING', 'g'))[1]
                  FROM pg_catalog.pg_proc p WHERE p.oid = 'antq.move_facts(text[],text[])'::regprocedure),
          ARRAY(SELECT 'f.year' || CASE WHEN y.key_columns = '' THEN '' ELSE ', f.' || y.key_columns END
                  FROM antq.year_fact_tables() y) || 'f.reference'::text,
          'and checks each one''s key, as antq.year_fact_tables names it');

SELECT * FROM finish();
ROLLBACK;

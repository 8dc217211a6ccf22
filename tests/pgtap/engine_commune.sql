-- Communes (xã, phường): Circular 124 criteria 1–4 each failing alone, criterion 4 from the
-- units under the commune's authority (69% vs 70%, decisions where recorded), the 15/16 Nov
-- window, a merged commune against the sum of its predecessors, and Circular 23 before 2022.
BEGIN;
SELECT plan(17);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, '2024-06-01')).unit_id $$;
SELECT pg_temp.add_unit('residential_area', '00691-T' || n) FROM generate_series(1, 8) AS n;
SELECT pg_temp.add_unit('agency', '00691-CQ1'), pg_temp.add_unit('school', '00691-TH1');
SELECT pg_temp.good(u.unit_id) FROM antq.unit u WHERE u.code LIKE '00691%';

SELECT is(pg_temp.att(pg_temp.u('00691')), '++++', 'a commune with good facts and good units meets all 4 criteria');

UPDATE antq.assessment SET active_models = 0 WHERE unit_id = pg_temp.u('00691') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('00691')), '-+++', 'criterion 1 fails alone without a movement model');
SELECT is(pg_temp.why(pg_temp.u('00691')), '1-models: active_models = 0, at least 1 required', 'criterion 1 reason');
UPDATE antq.assessment SET active_models = 1 WHERE unit_id = pg_temp.u('00691') AND year = 2024;

-- An event in a residential area lying in the commune counts for the commune's criterion 2.
INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.u('00691-T1'), '2024-07-01', 'inciting_crowds');
SELECT is(pg_temp.att(pg_temp.u('00691')), '+-++', 'criterion 2 fails alone on an event in one of its residential areas');
SELECT is(pg_temp.why(pg_temp.u('00691')), '2-3: inciting crowds on 2024-07-01', 'criterion 2 reason names the event');
DELETE FROM antq.incident;

UPDATE antq.assessment SET police_proactive = false WHERE unit_id = pg_temp.u('00691') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('00691')), '++-+', 'criterion 3 fails alone when the police are not proactive');
UPDATE antq.assessment SET police_proactive = true WHERE unit_id = pg_temp.u('00691') AND year = 2024;

UPDATE antq.assessment SET registered_on = NULL WHERE unit_id = pg_temp.u('00691-TH1') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('00691')), '+++-', 'criterion 4 fails alone when a school under it did not register');
SELECT is(pg_temp.why(pg_temp.u('00691')), '4-registered: 9 of 10 units registered (90.0%), at least 100% required', 'criterion 4 reason counts the units');
UPDATE antq.assessment SET registered_on = '2024-02-01' WHERE unit_id = pg_temp.u('00691-TH1') AND year = 2024;

-- Window of communes: 16 Nov (Y-1) – 15 Nov (Y).
INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.u('00691'), '2024-11-15', 'anti_state');
SELECT is(pg_temp.att(pg_temp.u('00691')), '+-++', 'an event at the commune on 15 Nov counts for that year');
UPDATE antq.incident SET occurred_on = '2024-11-16';
SELECT is(pg_temp.att(pg_temp.u('00691')), '++++', 'an event at the commune on 16 Nov does not');
DELETE FROM antq.incident;

-- 69% and 70% recognized: commune 00694 with 100 residential areas, 69 meeting the standard.
SELECT pg_temp.add_unit('residential_area', '00694-T' || n, NULL, '00694') FROM generate_series(1, 100) AS n;
SELECT pg_temp.good(u.unit_id) FROM antq.unit u WHERE u.code LIKE '00694%';
UPDATE antq.assessment a SET implements_policy = false
  FROM antq.unit u WHERE u.unit_id = a.unit_id AND a.year = 2024 AND u.code ~ '^00694-T([7-9][0-9]|100)$';
SELECT is(pg_temp.why(pg_temp.u('00694')), '4-recognized: 69 of 100 units recognized (by decision where one is recorded, else as computed) (69.0%), at least 70% required', 'a commune at 69% recognized fails criterion 4');
INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority)
VALUES (pg_temp.u('00694-T100'), 2024, 'recognition', true, '12/QĐ-UBND', '2024-11-14', 'UBND xã Minh Thanh');
SELECT is(pg_temp.att(pg_temp.u('00694')), '++++', 'a recognition decision counts where recorded: 70% recognized meets criterion 4');
SELECT is((SELECT disagrees FROM antq.results_computed('08', 2024) r WHERE r.unit_id = pg_temp.u('00694-T100')), true,
          'the decision that disagrees with the computed result is flagged');

-- A merged commune compares its crime with the sum of its predecessors.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', 'xa', c.code, c.name, (antq.unit_at('08', '2020-01-01')).unit_id, '2004-01-01'
  FROM (VALUES ('00700', 'Xã Hồng Thái'), ('00703', 'Xã Kim Quan')) AS c(code, name);
SELECT pg_temp.good(pg_temp.u('00700')), pg_temp.good(pg_temp.u('00703'));
SELECT antq.merge_units(pg_temp.u('00700'), ARRAY[pg_temp.u('00703')], '2025-07-01') AS merged \gset
SELECT pg_temp.good(:merged, 2025);
DELETE FROM antq.assessment WHERE unit_id = :merged AND year = 2024;
UPDATE antq.assessment SET crime_count = 10 WHERE unit_id = :merged AND year = 2025;
SELECT is(pg_temp.att(:merged, 2025), '+++.', 'a merged commune (no units: criterion 4 not applicable) with 10 crimes meets 4a against 5 + 5 of its predecessors');
UPDATE antq.assessment SET crime_count = 11 WHERE unit_id = :merged AND year = 2025;
SELECT is(pg_temp.why(:merged, 2025), '2-4a: crime_count = 11, above 2024''s 10 (sum of 2 predecessors)',
          'with 11 crimes it fails, against the sum of its predecessors');

-- Circular 23/2012 before 2022: at least 70% of residential areas recognized (16 of 25 fails, 18 pass).
SELECT pg_temp.add_unit('residential_area', '00694-X' || n, NULL, '00694') FROM generate_series(1, 25) AS n;
DELETE FROM antq.unit_lineage;
DELETE FROM antq.assessment a USING antq.unit u WHERE u.unit_id = a.unit_id AND u.code LIKE '00694-T%';
DELETE FROM antq.decision;
DELETE FROM antq.unit WHERE code LIKE '00694-T%';
SELECT pg_temp.good(pg_temp.u('00694'), 2021);
INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority)
SELECT u.unit_id, 2021, 'recognition', substr(u.code, 8)::integer <= 16, n::text || '/QĐ-UBND', '2021-11-14', 'UBND xã Minh Thanh'
  FROM antq.unit u, generate_series(1, 1) AS n WHERE u.code LIKE '00694-X%';
SELECT is(pg_temp.why(pg_temp.u('00694'), 2021), '4: 16 of 25 units recognized (by decision where one is recorded, else as computed) (64.0%), at least 70% required',
          'Circular 23: 16 of 25 residential areas recognized (64%) fails');
UPDATE antq.decision d SET met = true FROM antq.unit u WHERE u.unit_id = d.unit_id AND u.code IN ('00694-X17', '00694-X18');
SELECT is(pg_temp.att(pg_temp.u('00694'), 2021), '++++', 'Circular 23: 18 of 25 (72%) meets criterion 4');

SELECT * FROM finish();
ROLLBACK;

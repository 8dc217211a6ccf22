-- Agencies, enterprises (Art. 6) and schools (Art. 7): one unit failing exactly each criterion,
-- criteria that do not apply (no Party organisation, vocational school, no guard force), and
-- the 15/16 Nov window.
BEGIN;
SELECT plan(21);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, '2024-06-01')).unit_id $$;
SELECT pg_temp.add_unit('agency', 'CQ' || n) FROM generate_series(0, 7) AS n;
SELECT pg_temp.add_unit('enterprise', 'DN' || n) FROM generate_series(0, 1) AS n;
SELECT pg_temp.add_unit('school', 'TH' || n) FROM generate_series(0, 7) AS n;
SELECT pg_temp.add_unit('school', 'TH-VOC', 'vocational');
SELECT pg_temp.good(u.unit_id) FROM antq.unit u WHERE u.kind IN ('agency', 'enterprise', 'school');

SELECT is(pg_temp.att(pg_temp.u('CQ0')), '+++++', 'an agency with good facts meets all 5 criteria');
UPDATE antq.assessment SET staff_briefed = 49 WHERE unit_id = pg_temp.u('CQ1') AND year = 2024;
SELECT is(pg_temp.why(pg_temp.u('CQ1')), '1-briefed: staff_briefed/staff_total = 49/50 (98.0%), at least 100% required', 'agency criterion 1 fails when one staff member was not briefed');
UPDATE antq.assessment SET has_party_org = false, resolution_on = NULL WHERE unit_id = pg_temp.u('CQ2') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('CQ2')), '+++++', 'without a Party organisation the resolution does not apply');
UPDATE antq.assessment SET implements_policy = false WHERE unit_id = pg_temp.u('CQ3') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('CQ3')), '+-+++', 'agency criterion 2 fails alone');
INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.u('CQ4'), '2024-08-01', 'illegal_strike');
SELECT is(pg_temp.why(pg_temp.u('CQ4')), '3: illegal strike on 2024-08-01', 'agency criterion 3 fails on an illegal strike');
UPDATE antq.assessment SET force_disciplined = 1 WHERE unit_id = pg_temp.u('CQ5') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('CQ5')), '+++-+', 'agency criterion 4 fails alone when a guard was disciplined');
SELECT is(pg_temp.why(pg_temp.u('CQ5')), '4-discipline: force_disciplined = 1, at most 0 allowed', 'agency criterion 4 reason');
UPDATE antq.assessment SET subunits_rated_good = 6 WHERE unit_id = pg_temp.u('CQ6') AND year = 2024;
SELECT is(pg_temp.why(pg_temp.u('CQ6')), '5: subunits_rated_good/subunits_total = 6/10 (60.0%), at least 70% required', 'agency criterion 5 fails at 60% of sub-units');

-- Window of agencies: 16 Nov (Y-1) – 15 Nov (Y).
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (pg_temp.u('CQ7'), '2024-11-15', 'crime', 'very_serious');
SELECT is(pg_temp.why(pg_temp.u('CQ7')), '3đ: very serious crime on 2024-11-15, not force majeure, not handled promptly', 'a crime on 15 Nov counts for that year');
UPDATE antq.incident SET occurred_on = '2024-11-16' WHERE unit_id = pg_temp.u('CQ7');
SELECT is(pg_temp.att(pg_temp.u('CQ7')), '+++++', 'a crime on 16 Nov does not');

SELECT is(pg_temp.att(pg_temp.u('DN0')), '+++++', 'an enterprise with good facts meets all 5 criteria');
UPDATE antq.assessment SET subunits_rated_good = 6 WHERE unit_id = pg_temp.u('DN1') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('DN1')), '++++-', 'enterprise criterion 5 fails alone');

SELECT is(pg_temp.att(pg_temp.u('TH0')), '++++++', 'a school with good facts meets all 6 criteria');
UPDATE antq.assessment SET active_models = 0 WHERE unit_id = pg_temp.u('TH1') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('TH1')), '-+++++', 'school criterion 1 fails alone without a model');
UPDATE antq.assessment SET parents_board_coordination = false WHERE unit_id IN (pg_temp.u('TH2'), pg_temp.u('TH-VOC')) AND year = 2024;
SELECT is(pg_temp.why(pg_temp.u('TH2')), '2-parents: parents_board_coordination is false', 'school criterion 2 fails for a general-education school without the parents'' board');
SELECT is(pg_temp.att(pg_temp.u('TH-VOC')), '++++++', 'the parents'' board does not apply to a vocational school');
INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.u('TH3'), '2024-04-10', 'state_secret_breach');
SELECT is(pg_temp.att(pg_temp.u('TH3')), '++-+++', 'school criterion 3 fails alone on a breach of state secrets');
INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.u('TH4'), '2024-04-10', 'school_violence');
SELECT is(pg_temp.why(pg_temp.u('TH4')), '4-violence: school violence on 2024-04-10', 'school criterion 4 fails on school violence');
UPDATE antq.assessment SET force_rating = 'completed' WHERE unit_id = pg_temp.u('TH5') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('TH5')), '++++-+', 'school criterion 5 fails alone when the guard force only completed its task');
UPDATE antq.assessment SET has_guard_force = false, force_rating = NULL WHERE unit_id = pg_temp.u('TH6') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('TH6')), '++++.+', 'school criterion 5 does not apply without a guard force');
UPDATE antq.assessment SET subunits_rated_good = 6 WHERE unit_id = pg_temp.u('TH7') AND year = 2024;
SELECT is(pg_temp.att(pg_temp.u('TH7')), '+++++-', 'school criterion 6 fails alone at 60% of sub-units');

SELECT * FROM finish();
ROLLBACK;

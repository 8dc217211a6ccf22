-- Residential areas (khu dân cư), Circular 124 Art. 5: one unit failing exactly each criterion,
-- the force-majeure and handled-promptly exceptions, and the 1 Nov – 31 Oct window.
BEGIN;
SELECT plan(22);
\ir engine_fixture.psql

SELECT pg_temp.add_unit('residential_area', '00691-T' || n) FROM generate_series(0, 9) AS n;
SELECT pg_temp.good((antq.unit_at('00691-T' || n, '2024-06-01')).unit_id) FROM generate_series(0, 9) AS n;
CREATE FUNCTION pg_temp.ra(n integer) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at('00691-T' || n, '2024-06-01')).unit_id $$;

SELECT is(pg_temp.att(pg_temp.ra(0)), '+++++', 'a residential area with good facts meets all 5 criteria');

UPDATE antq.assessment SET households_registered = 90 WHERE unit_id = pg_temp.ra(1) AND year = 2024;
SELECT is(pg_temp.att(pg_temp.ra(1)), '-++++', 'criterion 1 fails alone when 90 of 100 households registered');
SELECT is(pg_temp.why(pg_temp.ra(1)), '1-households: households_registered/households_total = 90/100 (90.0%), at least 100% required',
          'criterion 1 reason names the households');

UPDATE antq.assessment SET implements_policy = false WHERE unit_id = pg_temp.ra(2) AND year = 2024;
SELECT is(pg_temp.att(pg_temp.ra(2)), '+-+++', 'criterion 2 fails alone when policy is not implemented');
SELECT is(pg_temp.why(pg_temp.ra(2)), '2: implements_policy is false', 'criterion 2 reason');

INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.ra(3), '2024-05-01', 'separatism');
SELECT is(pg_temp.att(pg_temp.ra(3)), '++-++', 'criterion 3 fails alone on a separatism event');
SELECT is(pg_temp.why(pg_temp.ra(3)), '3: separatism on 2024-05-01', 'criterion 3 reason names the event and date');

UPDATE antq.assessment SET crime_count = 6 WHERE unit_id = pg_temp.ra(4) AND year = 2024;
SELECT is(pg_temp.att(pg_temp.ra(4)), '+++-+', 'criterion 4 fails alone when crime rose from 5 to 6');
SELECT is(pg_temp.why(pg_temp.ra(4)), '4a: crime_count = 6, above 2023''s 5', 'criterion 4a reason compares with last year');

UPDATE antq.assessment SET force_rating = 'not_completed' WHERE unit_id = pg_temp.ra(5) AND year = 2024;
SELECT is(pg_temp.att(pg_temp.ra(5)), '++++-', 'criterion 5 fails alone when the force did not complete its task');
SELECT is(pg_temp.why(pg_temp.ra(5)), '5-rating: force_rating is not_completed, below the level required (completed)', 'criterion 5 reason');

-- 4b: serious crime and its exceptions.
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (pg_temp.ra(6), '2024-03-02', 'crime', 'serious');
SELECT is(pg_temp.why(pg_temp.ra(6)), '4b: serious crime on 2024-03-02, not force majeure, not handled promptly',
          'a serious crime fails 4b with a readable reason');
UPDATE antq.incident SET force_majeure = true WHERE unit_id = pg_temp.ra(6);
SELECT is(pg_temp.att(pg_temp.ra(6)), '+++++', 'a serious crime by force majeure is excepted');
UPDATE antq.incident SET force_majeure = false, handled_promptly = true WHERE unit_id = pg_temp.ra(6);
SELECT is(pg_temp.att(pg_temp.ra(6)), '+++++', 'a serious crime detected and handled promptly is excepted');
UPDATE antq.incident SET handled_promptly = false, severity = 'less_serious' WHERE unit_id = pg_temp.ra(6);
SELECT is(pg_temp.att(pg_temp.ra(6)), '+++++', 'a less serious crime does not break 4b');

-- 4d: only force majeure excuses a fatal workplace accident.
INSERT INTO antq.incident (unit_id, occurred_on, kind, handled_promptly) VALUES (pg_temp.ra(7), '2024-06-01', 'fatal_workplace_accident', true);
SELECT is(pg_temp.why(pg_temp.ra(7)), '4d: fatal workplace accident on 2024-06-01, not force majeure',
          'handling a fatal workplace accident promptly does not excuse it');
UPDATE antq.incident SET force_majeure = true WHERE unit_id = pg_temp.ra(7);
SELECT is(pg_temp.att(pg_temp.ra(7)), '+++++', 'a fatal workplace accident by force majeure is excepted');

-- Window of residential areas: 1 Nov (Y-1) – 31 Oct (Y).
INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (pg_temp.ra(8), '2024-10-31', 'sabotage');
SELECT is(pg_temp.att(pg_temp.ra(8)), '++-++', 'an event on 31 Oct counts for that year');
UPDATE antq.incident SET occurred_on = '2024-11-01' WHERE unit_id = pg_temp.ra(8);
SELECT is(pg_temp.att(pg_temp.ra(8)), '+++++', 'an event on 1 Nov does not count for that year');
SELECT pg_temp.good(pg_temp.ra(8), 2025);
SELECT is(pg_temp.att(pg_temp.ra(8), 2025), '++-++', 'an event on 1 Nov counts for the next year');
UPDATE antq.incident SET occurred_on = '2023-10-31' WHERE unit_id = pg_temp.ra(8);
SELECT is(pg_temp.att(pg_temp.ra(8)), '+++++', 'an event on 31 Oct of the year before does not count');

-- No assessment for the previous year: 4a is not applicable, the rest still decide.
DELETE FROM antq.assessment WHERE unit_id = pg_temp.ra(9) AND year = 2023;
SELECT is(pg_temp.att(pg_temp.ra(9)), '+++++', 'without last year''s facts 4a does not apply and criterion 4 rests on 4b–4d');

SELECT * FROM finish();
ROLLBACK;

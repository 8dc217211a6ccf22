-- Impossible facts and rules are rejected (23514) with a message naming the unit, year and
-- field, and the table is left unchanged.
BEGIN;
SELECT plan(19);
\ir engine_fixture.psql

SELECT pg_temp.add_unit('residential_area', '00691-T1'), pg_temp.add_unit('agency', 'CQ1');
CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, '2024-06-01')).unit_id $$;
SELECT pg_temp.good(pg_temp.u('00691-T1'));

SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year, households_total, households_registered) VALUES (%s, 2025, 10, 11)', pg_temp.u('00691-T1')),
    '23514', 'households_registered for residential_area 00691-T1 "Unit 00691-T1" in 2025: 11 households registered out of 10',
    'registered households above the total are rejected');
SELECT is((SELECT count(*) FROM antq.assessment WHERE year = 2025), 0::bigint, 'no assessment was written');

SELECT throws_ok(format('UPDATE antq.assessment SET crime_reports_received = 3, crime_reports_handled = 4 WHERE unit_id = %s AND year = 2024', pg_temp.u('00691-T1')),
    '23514', 'crime_reports_handled for residential_area 00691-T1 "Unit 00691-T1" in 2024: 4 reports handled out of 3 received',
    'handled reports above received are rejected');
SELECT is((SELECT crime_reports_received FROM antq.assessment WHERE unit_id = pg_temp.u('00691-T1') AND year = 2024), NULL, 'the row is unchanged');

SELECT throws_ok(format('INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (%s, 2025, -1)', pg_temp.u('CQ1')),
    '23514', 'crime_count for agency CQ1 "Unit CQ1" in 2025: negative count -1', 'negative counts are rejected');
SELECT is((SELECT count(*) FROM antq.assessment WHERE year = 2025), 0::bigint, 'no assessment was written');

SELECT throws_ok(format('INSERT INTO antq.score (unit_id, year, item, points) VALUES (%s, 2024, ''1'', 4)', pg_temp.u('CQ1')),
    '23514', 'points for agency CQ1 "Unit CQ1" in 2024: 4 points for item 1, whose maximum is 3', 'a score above the item''s maximum is rejected');
SELECT throws_ok(format('INSERT INTO antq.score (unit_id, year, item, points) VALUES (%s, 2024, ''99'', 1)', pg_temp.u('CQ1')),
    '23514', 'item for agency CQ1 "Unit CQ1" in 2024: no item "99" on the scoring sheet', 'a score for an item not on the sheet is rejected');
SELECT is((SELECT count(*) FROM antq.score), 0::bigint, 'no score was written');

SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (%s, ''2009-05-01'', ''sabotage'')', pg_temp.u('00691-T1')),
    '23514', 'unit_id for residential_area 00691-T1 "Unit 00691-T1" in 2009: no version of code 00691-T1 is in force on 2009-05-01',
    'an incident for a unit not valid on that date is rejected');
SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (%s, ''2024-05-01'', ''crime'')', pg_temp.u('00691-T1')),
    '23514', 'severity for residential_area 00691-T1 "Unit 00691-T1" in 2024: a crime without severity', 'a crime without severity is rejected');
SELECT throws_ok(format('INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (%s, ''2024-05-01'', ''theft'')', pg_temp.u('00691-T1')),
    '23514', 'kind for residential_area 00691-T1 "Unit 00691-T1" in 2024: unknown kind "theft"', 'an unknown incident kind is rejected');
SELECT is((SELECT count(*) FROM antq.incident), 0::bigint, 'no incident was written');

SELECT throws_ok($$ INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact) VALUES ('tt124-agency', 'X', 6, 'Happy staff', 'fact_true', 'staff_happiness') $$,
    '23514', 'fact of criterion X of set tt124-agency: no fact "staff_happiness"', 'a criterion naming a fact that does not exist is rejected');
SELECT throws_ok($$ INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact) VALUES ('tt124-agency', 'X', 6, 'Dated', 'date_in_q1', 'crime_count') $$,
    '23514', 'fact of criterion X of set tt124-agency: fact "crime_count" is integer, which form date_in_q1 cannot read', 'a criterion reading a fact of the wrong type is rejected');
SELECT is((SELECT count(*) FROM antq.criterion WHERE set_id = 'tt124-agency'), 13::bigint, 'the agency set still has its 13 conditions');

INSERT INTO antq.scoring_sheet (sheet_id, unit_kind, province_code, first_year, title) VALUES (5000, 'school', '08', 2024, 'Bảng điểm trường của tỉnh 08');
SELECT throws_ok($$ INSERT INTO antq.rating_band (sheet_id, rating, min_score, max_score) VALUES (5000, 'Yếu', 0, 50), (5000, 'Trung bình', 60, 70), (5000, 'Khá', 70, 90), (5000, 'Xuất sắc', 90, NULL) $$,
    '23514', 'min_score of the rating bands of sheet 5000: gap between 50 and 60 before Trung bình', 'a band set with a gap is rejected');
SELECT throws_ok($$ INSERT INTO antq.rating_band (sheet_id, rating, min_score, max_score) VALUES (5000, 'Yếu', 0, 55), (5000, 'Trung bình', 50, 70), (5000, 'Khá', 70, 90), (5000, 'Xuất sắc', 90, NULL) $$,
    '23514', 'min_score of the rating bands of sheet 5000: overlap between 50 and 55 at Trung bình', 'a band set with an overlap is rejected');
SELECT is((SELECT count(*) FROM antq.rating_band WHERE sheet_id = 5000), 0::bigint, 'no band was written');

SELECT * FROM finish();
ROLLBACK;

-- Classification (xếp loại phong trào): band edges, the safe-standard cap, a province's own sheet
-- for one year, results written by compute_results, a provincial added criterion that applies
-- only in that province (and the compiled-rules cache noticing it), and model-unit progress.
BEGIN;
SELECT plan(26);
\ir engine_fixture.psql

SELECT is(antq.classify('agency', '08', 2024, 90, true)::text, 'Xuất sắc', '90 points is Xuất sắc');
SELECT is(antq.classify('agency', '08', 2024, 89.99, true)::text, 'Khá', '89.99 points is Khá');
SELECT is(antq.classify('agency', '08', 2024, 70, true)::text, 'Khá', '70 points is Khá');
SELECT is(antq.classify('agency', '08', 2024, 69.99, true)::text, 'Trung bình', '69.99 points is Trung bình');
SELECT is(antq.classify('agency', '08', 2024, 50, true)::text, 'Trung bình', '50 points is Trung bình');
SELECT is(antq.classify('agency', '08', 2024, 49.99, true)::text, 'Yếu', '49.99 points is Yếu');
SELECT is(antq.classify('agency', '08', 2024, 95, false)::text, 'Trung bình', 'a unit not meeting the safe standard is capped at Trung bình');
SELECT is(antq.classify('agency', '08', 2024, 40, false)::text, 'Yếu', 'the cap never raises a rating');
SELECT is(antq.classify('agency', '08', 2024, 95, NULL)::text, 'Xuất sắc', 'no cap when the safe result is unknown');
SELECT is(antq.classify('agency', '08', 2021, 95, true)::text, NULL, 'no sheet before 2022: no rating');

-- Province 08 overrides the sheet for 2024: Xuất sắc from 95 and no cap.
INSERT INTO antq.scoring_sheet (sheet_id, unit_kind, province_code, first_year, last_year, cap_unmet, title)
VALUES (5000, 'agency', '08', 2024, 2024, NULL, 'Bảng điểm cơ quan của tỉnh 08, 2024');
INSERT INTO antq.scoring_item (sheet_id, item, title, max_points) VALUES (5000, 'other', 'All items', 100);
INSERT INTO antq.rating_band (sheet_id, rating, min_score, max_score)
VALUES (5000, 'Yếu', 0, 60), (5000, 'Trung bình', 60, 80), (5000, 'Khá', 80, 95), (5000, 'Xuất sắc', 95, NULL);
SELECT is(antq.classify('agency', '08', 2024, 92, true)::text, 'Khá', 'the province''s own bands apply in its province and year');
SELECT is(antq.classify('agency', '08', 2024, 96, false)::text, 'Xuất sắc', 'the province''s sheet has no cap');
SELECT is(antq.classify('agency', '09', 2024, 92, true)::text, 'Xuất sắc', 'other provinces keep the national bands');
SELECT is(antq.classify('agency', '08', 2025, 92, true)::text, 'Xuất sắc', 'the next year falls back to the national bands');

-- Results: score summed over items, rating capped when the safe standard is not met.
SELECT pg_temp.add_unit('agency', 'CQ1'), pg_temp.add_unit('agency', 'CQ2');
SELECT pg_temp.good(u.unit_id, 2025) FROM antq.unit u WHERE u.kind = 'agency';
INSERT INTO antq.score (unit_id, year, item, points)
SELECT (antq.unit_at(c, '2025-06-01')).unit_id, 2025, i.item, i.points
  FROM (VALUES ('CQ1'), ('CQ2')) AS v(c), (VALUES ('1', 3), ('2', 3), ('3', 5), ('4', 1), ('other', 80)) AS i(item, points);
UPDATE antq.assessment SET implements_policy = false WHERE unit_id = (antq.unit_at('CQ2', '2025-06-01')).unit_id AND year = 2025;
SELECT is(antq.compute_results('08', 2025), 4::bigint, 'compute_results writes one row per unit of the province-year (2 communes, 2 agencies)');
SELECT results_eq($$ SELECT code, score, rating::text, safe_met FROM antq.unit_result WHERE kind = 'agency' ORDER BY code $$,
                  $$ VALUES ('CQ1', 92::numeric, 'Xuất sắc', true), ('CQ2', 92, 'Trung bình', false) $$,
                  'unit_result holds the score, the rating after the cap, and the safe result');
SELECT is((SELECT rating FROM antq.v_unit_result WHERE code = 'CQ1'), 'Xuất sắc', 'v_unit_result gives the rating as text');
SET LOCAL antq.rating_style = 'en';
SELECT is((SELECT concat_ws('|', rating, rating_code, rating_vi, rating_en, kind_vi, kind_en) FROM antq.v_unit_result WHERE code = 'CQ1'),
          'excellent|xuat_sac|Xuất sắc|Excellent|Cơ quan|Agency',
          'v_unit_result: the rating column follows antq.rating_style, rating_code, rating_vi and rating_en do not; kinds labelled');
RESET antq.rating_style;

-- A provincial criterion (province 08, 2025) applies on top of the national ones, only there.
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '09', 'Tỉnh Khác', '2004-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('commune', 'xa', '00900', 'Xã Khác', (antq.unit_at('09', '2020-01-01')).unit_id, '2004-01-01');
SELECT pg_temp.add_unit('agency', 'CQ9', NULL, '00900');
SELECT pg_temp.good((antq.unit_at('CQ9', '2025-06-01')).unit_id, 2025);
SELECT is(pg_temp.att((antq.unit_at('CQ1', '2025-06-01')).unit_id, 2025), '+++++', 'before the provincial set: 5 criteria');
INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, first_year, last_year, title)
VALUES ('08-agency-2025', 'safe', 'agency', '08', 2025, 2025, 'Tiêu chí bổ sung của tỉnh 08');
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, threshold)
VALUES ('08-agency-2025', 'P1', 1, 'No traffic deaths (tỉnh 08)', 'count_at_most', 'traffic_deaths', 0),
       ('08-agency-2025', 'P2', 2, 'At least 12 night patrols (tỉnh 08)', 'count_at_least', 'extra.night_patrols', 12);
UPDATE antq.assessment SET traffic_deaths = 0, extra = '{"night_patrols": 12}' WHERE year = 2025;
SELECT is(pg_temp.att((antq.unit_at('CQ1', '2025-06-01')).unit_id, 2025), '+++++++', 'in province 08 the two provincial criteria follow the national five (the cache saw the change)');
UPDATE antq.assessment SET traffic_deaths = 1, extra = '{"night_patrols": 3}' WHERE year = 2025;
SELECT is(pg_temp.why((antq.unit_at('CQ1', '2025-06-01')).unit_id, 2025), 'P1: traffic_deaths = 1, at most 0 allowed | P2: extra.night_patrols = 3, at least 12 required',
          'the provincial criteria fail with their reasons');
SELECT is(pg_temp.att((antq.unit_at('CQ9', '2025-06-01')).unit_id, 2025), '+++++', 'in province 09 the provincial criteria do not apply');
-- In one query, rows of both provinces alternate among rows of 4,000 other keys (made-up kinds,
-- which have no criteria): a call site holds many keys at once, some in the same slot of its
-- memory of recent lookups, and every row still gets its own province's criteria.
SELECT is((SELECT string_agg(DISTINCT x.r, ' ' ORDER BY x.r)
             FROM (SELECT i.province_code || CASE WHEN g % 3 = 0 THEN ':real:' ELSE ':made-up:' END || coalesce(antq.evaluate('safe', CASE WHEN g % 3 = 0 THEN i.kind ELSE 'kind' || g END,
                                                                           i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents)::text,
                                                             'none') AS r
                     FROM generate_series(1, 6000) AS g
                     JOIN antq.unit_inputs(NULL, 2025) i ON i.code = CASE WHEN g % 2 = 0 THEN 'CQ1' ELSE 'CQ9' END) x),
          '08:made-up:none 08:real:+++++-- 09:made-up:none 09:real:+++++', 'rows of many keys in one query: each province''s criteria, and none for unknown kinds');

-- Model commune: 33 of 34 checks met, and its facts reported (a unit without facts is not
-- assessed: nothing is evaluated for it).
INSERT INTO antq.assessment (unit_id, year, registered_on) VALUES ((antq.unit_at('00691', '2025-06-01')).unit_id, 2025, '2025-02-01');
INSERT INTO antq.model_check (unit_id, year, criterion_no, met)
SELECT (antq.unit_at('00691', '2025-06-01')).unit_id, 2025, n, n <> 5 FROM generate_series(1, 34) AS n;
SELECT is((SELECT antq.met_count(r.model_attainment) FROM antq.results_computed('08', 2025) r WHERE r.code = '00691'), 33, 'a commune with 33 of 34 model checks met has 33');
SELECT is(pg_temp.why((antq.unit_at('00691', '2025-06-01')).unit_id, 2025, 'model'), '5: check recorded as not met', 'the model criterion not met is named');
SELECT is(pg_temp.att((antq.unit_at('00691', '2025-06-01')).unit_id, 2022, 'model'), NULL, 'no model set before 2023');

SELECT * FROM finish();
ROLLBACK;

-- How the engine reads its composite arguments in place (extension/engine/row_reader.c): facts after a
-- NULL (which takes no space in the row), facts after a text column with a 1-byte or a 4-byte
-- header, facts rows stored in a table column (1-byte header), and the classification memo of
-- a call site across sheets and across spellings of one score.
BEGIN;
SELECT plan(12);
\ir engine_fixture.psql

SELECT pg_temp.add_unit('residential_area', '00691-R1') AS ra \gset
SELECT pg_temp.good(:ra);
CREATE TEMP TABLE f AS SELECT a FROM antq.assessment a WHERE a.unit_id = :ra AND a.year = 2024;
CREATE TEMP TABLE p AS SELECT a FROM antq.assessment a WHERE a.unit_id = :ra AND a.year = 2023;
-- Evaluate and explain the residential area with its facts changed by a jsonb patch.
CREATE FUNCTION pg_temp.ev(patch jsonb) RETURNS text LANGUAGE sql AS $$
  SELECT antq.evaluate('safe', 'residential_area', 'thon', '08', 2024, jsonb_populate_record(f.a, patch), ARRAY[p.a])::text
    FROM f, p
$$;
CREATE FUNCTION pg_temp.ex(patch jsonb) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(e.reason, ' | ' ORDER BY e.criterion_pos)
    FROM f, p, antq.explain('safe', 'residential_area', 'thon', '08', 2024, jsonb_populate_record(f.a, patch), ARRAY[p.a]) e
   WHERE e.state = 'not met'
$$;

SELECT is(pg_temp.ev('{}'), '+++++', 'the unchanged facts meet every criterion');
SELECT is(pg_temp.ev('{"has_party_org": null, "registered_on": null}'), '-++++',
          'NULLs early in the row (which take no space) leave the later fixed-width facts where they are read');
SELECT is(pg_temp.ex('{"has_party_org": null, "households_total": null, "new_hotspots": 2}'),
          '1-households: households_registered/households_total not recorded (or no households_total) | 4c-hotspots: new_hotspots = 2, at most 0 allowed',
          'after NULLs the facts read are the right columns: the reasons name their values');
SELECT is(pg_temp.ex('{"force_disciplined": 3}'), '5-discipline: force_disciplined = 3, at most 0 allowed',
          'a fact after a short text column (force_rating) is read past it');
SELECT is(pg_temp.ex(jsonb_build_object('force_rating', repeat('x', 300), 'force_disciplined', 4)),
          '5-discipline: force_disciplined = 4, at most 0 allowed; 5-rating: force_rating is ' || repeat('x', 300) || ', below the level required (completed)',
          'a fact after a long text column (4-byte header, aligned) is read past it');
SELECT is(pg_temp.ex('{"force_rating": null, "force_disciplined": 5}'),
          '5-discipline: force_disciplined = 5, at most 0 allowed; 5-rating: force_rating not recorded',
          'a fact after a NULL text column is read past it');
SELECT is(pg_temp.ex('{"crime_count": 6}'), '4a: crime_count = 6, above 2023''s 5',
          'the previous year''s row is read in place for its one column');

-- The same facts read from a table column (stored with a 1-byte header) and from the row itself.
CREATE TEMP TABLE stored AS
SELECT u.unit_id, a AS facts FROM antq.unit u JOIN antq.assessment a ON a.unit_id = u.unit_id AND a.year = 2024;
INSERT INTO stored SELECT :ra, jsonb_populate_record(f.a, '{"has_party_org": null, "crime_count": 9}') FROM f;
SELECT is((SELECT pg_catalog.bool_or(pg_catalog.pg_column_size(facts) < 127) FROM stored), true,
          'the stored facts include rows short enough for a 1-byte header');
SELECT results_eq($$ SELECT antq.evaluate('safe', 'residential_area', 'thon', '08', 2024, s.facts, ARRAY[p.a])::text FROM stored s, p ORDER BY 1 $$,
                  $$ VALUES ('+++++'::text), ('+++-+') $$,
                  'facts read from a table column give the attainment of the same facts passed directly');

-- The classification memo of one call site: several sheets, one score spelled several ways.
INSERT INTO antq.scoring_sheet (sheet_id, unit_kind, province_code, first_year, last_year, cap_unmet, title)
VALUES (5100, 'school', '08', 2024, 2024, 2, 'Bảng điểm trường học của tỉnh 08, 2024');
INSERT INTO antq.scoring_item (sheet_id, item, title, max_points) VALUES (5100, 'other', 'All items', 100);
INSERT INTO antq.rating_band (sheet_id, rating, min_score, max_score)
VALUES (5100, 'Yếu', 0, 60), (5100, 'Trung bình', 60, 80), (5100, 'Khá', 80, 95), (5100, 'Xuất sắc', 95, NULL);
SELECT is((SELECT string_agg(antq.classify(k, '08', 2024, s, true)::text, ',' ORDER BY n)
             FROM (VALUES (1, 'agency', 70::numeric), (2, 'school', 70), (3, 'agency', 70.00), (4, 'agency', 69.999),
                          (5, 'school', 95.0), (6, 'agency', 70), (7, 'school', 70.0), (8, 'agency', 95)) AS v(n, k, s)),
          'Khá,Trung bình,Khá,Trung bình,Xuất sắc,Khá,Trung bình,Xuất sắc',
          'one call site classifies each score by the bands of its own sheet, however the score is spelled');
SELECT is((SELECT string_agg(antq.classify('agency', '08', 2024, s, c)::text, ',' ORDER BY n)
             FROM (VALUES (1, 95::numeric, true), (2, 95, false), (3, 95, NULL)) AS v(n, s, c)),
          'Xuất sắc,Trung bình,Xuất sắc', 'a remembered band is still capped when the safe standard is not met');
SELECT is((SELECT count(*) FILTER (WHERE r = CASE WHEN s >= 90 THEN 'Xuất sắc' WHEN s >= 70 THEN 'Khá' WHEN s >= 50 THEN 'Trung bình' ELSE 'Yếu' END)
             FROM (SELECT s, antq.classify('agency', '08', 2024, s, true)::text AS r
                     FROM (SELECT g / 30.0 AS s FROM generate_series(0, 3000) g) g) c),
          3001::bigint, 'more distinct scores than the memo holds are each classified by their band');

SELECT * FROM finish();
ROLLBACK;

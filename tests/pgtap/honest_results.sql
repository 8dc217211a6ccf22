-- Honest results and summaries (issue 19, items 3 and 5): which unit-years have a result (a
-- kind assessed that year, no future year without facts), "not assessed" apart from "not met"
-- in results and summaries, shares NULL where nothing was reported, the nation naming the
-- provinces that reported; the national pass in C equal to the SQL path throughout, the
-- summaries kept by difference equal to a recompute (antq.verify empty).
BEGIN;
SELECT plan(48);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$
  SELECT unit_id FROM antq.unit WHERE code = p_code ORDER BY valid_from DESC LIMIT 1 $$;
-- The kinds taking part in a year in province 08, sorted.
CREATE FUNCTION pg_temp.kinds(p_year integer) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(k, ',' ORDER BY k) FROM unnest(ARRAY['residential_area', 'commune', 'agency', 'enterprise', 'school', 'district']) k
   WHERE antq.kind_takes_part(k, '08', p_year) $$;
-- The codes of the units with a stored result of a year, sorted.
CREATE FUNCTION pg_temp.stored(p_year integer) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(code, ',' ORDER BY code), '') FROM antq.unit_result WHERE year = p_year $$;
-- The codes results_stale reports for a year (NULL: the pass handed over to SQL).
CREATE FUNCTION pg_temp.stale(p_year integer) RETURNS text LANGUAGE sql AS $$
  SELECT (SELECT coalesce(string_agg(u.code, ',' ORDER BY u.code), '') FROM unnest(s.stale) x(id) JOIN antq.unit u ON u.unit_id = x.id)
    FROM antq.results_stale(p_year) s $$;
-- A summary row's counts and shares: total assessed not_assessed met not_met recognized, shares.
CREATE FUNCTION pg_temp.row(p_level text, p_code text, p_kind text, p_year integer DEFAULT 2024) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('|', s.total, s.assessed, s.not_assessed, s.met, s.not_met, s.recognized,
                   coalesce(s.registered_share::text, '-'), coalesce(s.met_share::text, '-'), coalesce(s.recognized_share::text, '-'))
    FROM antq.summary s
   WHERE s.area_level = p_level AND s.area_code = p_code AND s.unit_kind = p_kind AND s.year = p_year $$;
CREATE FUNCTION pg_temp.differences() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM antq.verify() $$;

-- Province 08 (fixture): communes 00691, 00694; a district 070 until the reform; residential
-- areas R1 (reported 2024), R2 (nothing reported), R3 (reported 2021 only); an agency A1
-- (reported 2021 and 2024). Province 10: a commune and a residential area R10 that report nothing.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from, valid_to)
VALUES ('district', 'huyen', '070', 'Huyện Sơn Dương', pg_temp.u('08'), '2004-01-01', '2025-07-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '10', 'Tỉnh Lào Cai', '2004-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
VALUES ('commune', 'xa', '02800', 'Xã Bản Vược', pg_temp.u('10'), '2004-01-01');
SELECT pg_temp.add_unit('residential_area', 'R1'), pg_temp.add_unit('residential_area', 'R2', p_commune => '00694'),
       pg_temp.add_unit('residential_area', 'R3'), pg_temp.add_unit('agency', 'A1'),
       pg_temp.add_unit('residential_area', 'R10', p_commune => '02800');
SELECT pg_temp.good(pg_temp.u('R1')), pg_temp.good(pg_temp.u('A1')), pg_temp.good(pg_temp.u('R3'), 2021), pg_temp.good(pg_temp.u('A1'), 2021);
DELETE FROM antq.assessment WHERE unit_id = pg_temp.u('R3') AND year = 2020;
-- An agency A2 lying in commune 00694 and managed by 00691.
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from)
VALUES ('agency', 'A2', 'Unit A2', pg_temp.u('00694'), pg_temp.u('00691'), '2010-01-01');
SELECT pg_temp.good(pg_temp.u('A2'));
INSERT INTO antq.assessment (unit_id, year, registered_on) VALUES (pg_temp.u('070'), 2024, '2024-02-01');
-- R1 met (computed) but not recognized (decided).
INSERT INTO antq.decision (unit_id, year, kind, met, rating, number, decided_on, authority)
VALUES (pg_temp.u('R1'), 2024, 'recognition', false, NULL, '7/QĐ', '2024-11-15', 'UBND xã');
-- A future year: R1 has facts for it, nobody else.
INSERT INTO antq.assessment (unit_id, year, registered_on) VALUES (pg_temp.u('R1'), antq.current_year() + 1, NULL);

-- Which kinds take part (a criteria set of the kind, a commune set counting it, a sheet).
SELECT is(pg_temp.kinds(2021), 'commune,residential_area',
          '2021 (Circular 23): communes, and the residential areas their criterion 4 counts; no agency, enterprise, school or district');
SELECT is(pg_temp.kinds(2024), 'agency,commune,district,enterprise,residential_area,school',
          '2024: the Circular 124 kinds, and districts, scored on their classification sheet');
SELECT is(pg_temp.kinds(2012), 'commune,residential_area', 'before any sheet: the Circular 23 kinds only');
SELECT is(antq.current_year(), date_part('year', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::integer, 'the current year is Vietnam''s');

SELECT ok(antq.refresh() > 0, 'a refresh of every key');
SELECT is(pg_temp.differences(), 0::bigint, 'verify() finds nothing after it');

-- Which unit-years have a result.
SELECT is(pg_temp.stored(2021), '00691,00694,02800,R1,R10,R2,R3',
          '2021: communes and residential areas; no agency (no set, no sheet) and no district');
SELECT is(pg_temp.stored(2024), '00691,00694,02800,070,A1,A2,R1,R10,R2,R3', '2024: every kind in force, the district included');
SELECT is(pg_temp.stored(2026), '00691,00694,02800,A1,A2,R1,R10,R2,R3', '2026: no district after the reform');
SELECT is(pg_temp.stored(antq.current_year() + 1), 'R1', 'next year: only the unit that has facts for it');
SELECT is((SELECT count(*) FROM antq.summary WHERE year = antq.current_year() + 1 AND unit_kind <> 'residential_area'), 0::bigint,
          'next year''s summaries hold no kind without facts');
SELECT is(pg_temp.row('province', '08', 'residential_area', antq.current_year() + 1), '1|1|0|0|1|0|0/1|0/1|0/1',
          'next year''s row counts the one unit that reported');
SELECT is((SELECT count(*) FROM antq.summary WHERE year = antq.current_year() + 2), 0::bigint, 'the year after: no row at all');

-- Not assessed is not "not met".
SELECT is((SELECT concat_ws('|', r.assessed, coalesce(r.safe_met::text, '-'), coalesce(r.safe_attainment::text, '-'),
                            coalesce(r.rating::text, '-'), coalesce(r.model_met::text, '-'), r.disagrees)
             FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R2') AND r.year = 2024),
          'f|-|-|-|-|f', 'a unit without facts: not assessed, nothing computed, no rating');
SELECT is((SELECT concat_ws('|', v.assessed, coalesce(v.safe_criteria_met::text, '-'), coalesce(v.safe_criteria_applicable::text, '-'))
             FROM antq.v_unit_result v WHERE v.unit_id = pg_temp.u('R2') AND v.year = 2024),
          'f|-|-', 'v_unit_result: no "1 of 5 criteria met" for it');
SELECT is((SELECT concat_ws('|', r.assessed, r.safe_met, r.safe_attainment) FROM antq.unit_result r
            WHERE r.unit_id = pg_temp.u('R1') AND r.year = 2024),
          't|t|+++++', 'a unit with facts: assessed and met');
SELECT is((SELECT concat_ws('|', r.assessed, coalesce(r.safe_met::text, '-'), coalesce(r.safe_attainment::text, '-'))
             FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R3') AND r.year = 2021),
          't|-|-', 'a residential area of 2021 with facts: assessed, but no set of its own to be met or not');
SELECT is((SELECT concat_ws('|', r.assessed, coalesce(r.safe_met::text, '-')) FROM antq.unit_result r
            WHERE r.unit_id = pg_temp.u('070') AND r.year = 2024),
          't|-', 'a district: classified, never met or not met');
SELECT is((SELECT string_agg(DISTINCT e.state, ',') FROM antq.explain_unit(pg_temp.u('R2'), 2024) e),
          'not assessed', 'explain_unit of a unit without facts: every criterion not assessed, as its result says');
SELECT is((SELECT e.reason || ' | ' || e.reason_vi FROM antq.explain_unit(pg_temp.u('R2'), 2024) e WHERE e.criterion_no = 1),
          '1: not assessed, no facts recorded for 2024 | 1: chưa đánh giá, chưa có số liệu năm 2024',
          'and says why, in English and Vietnamese');

-- Recognized (decided) and met (computed): two measures, and how criterion 4 reads them.
SELECT is((SELECT concat_ws('|', v.decision_met, v.safe_met, v.recognized_counted, v.disagrees) FROM antq.v_unit_result v
            WHERE v.unit_id = pg_temp.u('R1') AND v.year = 2024),
          'f|t|f|t', 'R1: met (computed), not recognized (decided): its commune''s criterion 4 counts the decision');
SELECT is((SELECT coalesce(v.recognized_counted::text, '-') FROM antq.v_unit_result v WHERE v.unit_id = pg_temp.u('R3') AND v.year = 2024),
          '-', 'a unit neither decided nor assessed is not counted as recognized');
-- (the commune assessed, for the while of this check: explain_unit computes live)
SAVEPOINT commune_assessed;
INSERT INTO antq.assessment (unit_id, year, registered_on) VALUES (pg_temp.u('00691'), 2024, '2024-02-01');
SELECT is((SELECT string_agg(e.reason, ' | ') FROM antq.explain_unit(pg_temp.u('00691'), 2024) e WHERE e.reason LIKE '%recognized%'),
          '4-recognized: 2 of 4 units recognized (by decision where one is recorded, else as computed) (50.0%), at least 70% required; '
          '4-registered: 3 of 4 units registered (75.0%), at least 100% required',
          'explain_unit names the measure its criterion 4 counts (R1 decided not, R3 neither, A1 and A2 met)');
ROLLBACK TO SAVEPOINT commune_assessed;

-- By location (the summaries) and by authority (criterion 4, antq.v_summary_by_authority).
SELECT is((SELECT string_agg(concat_ws(':', s.area_code, s.total, s.counted_by), ' ' ORDER BY s.area_code) FROM antq.summary s
            WHERE s.area_level = 'commune' AND s.unit_kind = 'agency' AND s.year = 2024),
          '00691:1:location 00694:1:location', 'the summaries count agencies where they lie, and say so');
SELECT is((SELECT string_agg(concat_ws(':', v.area_code, v.total, v.registered, v.met, v.recognized, v.recognized_counted, v.counted_by), ' ' ORDER BY v.area_code)
             FROM antq.v_summary_by_authority v WHERE v.unit_kind = 'agency' AND v.year = 2024),
          '00691:2:2:2:0:2:authority', 'by authority: both agencies under 00691, none under 00694');
SELECT is((SELECT string_agg(x::text, ',') FROM antq.unit_result r, unnest(r.unit_counts) WITH ORDINALITY AS c(x, n)
            WHERE r.unit_id = pg_temp.u('00691') AND r.year = 2024 AND c.n BETWEEN 1 AND 6),
          (SELECT string_agg(concat_ws(',', v.total, v.registered, v.recognized_counted), ',' ORDER BY v.unit_kind DESC)
             FROM antq.v_summary_by_authority v WHERE v.area_code = '00691' AND v.year = 2024 AND v.unit_kind IN ('residential_area', 'agency')),
          'the view counts what the commune''s criterion 4 counts (residential areas, agencies)');

-- Summaries: counted apart, shares only where units reported.
SELECT is(pg_temp.row('province', '08', 'residential_area'), '3|1|2|1|0|0|1/3|1/3|0/3',
          'province 08, 2024: 3 residential areas, 1 assessed (met), 2 not assessed; shares over all 3');
SELECT is(pg_temp.row('commune', '00694', 'residential_area'), '1|0|1|0|0|0|-|-|-',
          'a commune where nothing was reported: no share at all, not 0%');
SELECT is(pg_temp.row('province', '08', 'district'), '1|1|0|0|0|0|1/1|-|0/1',
          'districts: reported, but no met share (no safe-standard set), not "0/1 (0%)"');
SELECT is(pg_temp.row('province', '08', 'residential_area', 2021), '3|1|2|0|0|0|1/3|-|0/3',
          '2021 residential areas: counted, no met share without their own set');
SELECT is((SELECT concat_ws('|', coalesce(v.met_pct::text, '-'), coalesce(v.met_label, '-'), v.not_assessed)
             FROM antq.v_summary v WHERE v.area_level = 'commune' AND v.area_code = '00694' AND v.unit_kind = 'residential_area' AND v.year = 2024),
          '-|-|1', 'v_summary: no percentage and no label where nothing was reported');

-- The nation: the provinces that reported, and shares over them only.
SELECT is((SELECT concat_ws('|', s.total, s.assessed, s.provinces_reported, s.reported_provinces, s.met_share) FROM antq.summary s
            WHERE s.area_level = 'nation' AND s.year = 2024 AND s.unit_kind = 'residential_area'),
          '4|1|1|{08}|1/3', 'nation: 4 units, 1 province reported (08), the share over that province''s units only');
SELECT is((SELECT concat_ws('|', s.total, s.provinces_reported, s.reported_provinces, coalesce(s.met_share::text, '-')) FROM antq.summary s
            WHERE s.area_level = 'nation' AND s.year = 2024 AND s.unit_kind = 'commune'),
          '3|0|{}|-', 'nation communes: no province reported, no share');
SELECT is((SELECT count(*) FROM antq.summary WHERE area_level <> 'nation' AND (provinces_reported IS NOT NULL OR reported_provinces IS NOT NULL)),
          0::bigint, 'only nation rows name provinces');

-- The national pass in C agrees with the SQL path on all of it.
SELECT is(pg_temp.stale(2021), '', '2021: nothing stale, the pass covers the same units as SQL');
SELECT is(pg_temp.stale(2024), '', '2024: nothing stale, not assessed units compared alike');
SELECT is(pg_temp.stale(antq.current_year() + 1), '', 'next year: nothing stale');
-- Stored rows of units that do not take part: found by the pass and removed by the recompute.
INSERT INTO antq.unit_result
SELECT (jsonb_populate_record(r, jsonb_build_object('unit_id', pg_temp.u('A1'), 'kind', 'agency'))).*
  FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R1') AND r.year = 2021;
INSERT INTO antq.unit_result
SELECT (jsonb_populate_record(r, jsonb_build_object('unit_id', pg_temp.u('R2')))).*
  FROM antq.unit_result r WHERE r.unit_id = pg_temp.u('R1') AND r.year = antq.current_year() + 1;
SELECT is(pg_temp.stale(2021), 'A1', 'a stored 2021 row of an agency is stale');
SELECT is(pg_temp.stale(antq.current_year() + 1), 'R2', 'a stored next-year row of a unit without facts is stale');
SELECT is(antq.compute_results(NULL, 2021) + antq.compute_results(NULL, antq.current_year() + 1), 2::bigint,
          'the national recomputes remove both');
SELECT is(pg_temp.stored(antq.current_year() + 1), 'R1', 'and only R1 is left next year');

-- Kept by difference (the worker's path): facts reported later.
SELECT pg_temp.good(pg_temp.u('R2'));
DELETE FROM antq.assessment WHERE unit_id = pg_temp.u('R2') AND year = 2023;
SELECT ok(antq.recompute_units('08', 2024, ARRAY[pg_temp.u('R2')]) > 0, 'R2 reports: recomputed by difference');
SELECT is(pg_temp.row('province', '08', 'residential_area'), '3|2|1|2|0|0|2/3|2/3|0/3', 'province 08 counts it assessed and met');
SELECT is(pg_temp.row('commune', '00694', 'residential_area'), '1|1|0|1|0|0|1/1|1/1|0/1', 'its commune now has shares');
INSERT INTO antq.assessment (unit_id, year, registered_on) VALUES (pg_temp.u('R10'), 2024, NULL);
SELECT ok(antq.recompute_units('10', 2024, ARRAY[pg_temp.u('R10')]) > 0, 'R10 of province 10 reports');
SELECT is((SELECT concat_ws('|', s.assessed, s.not_met, s.provinces_reported, s.reported_provinces, s.met_share) FROM antq.summary s
            WHERE s.area_level = 'nation' AND s.year = 2024 AND s.unit_kind = 'residential_area'),
          '3|1|2|{08,10}|2/4', 'the nation row names both provinces and adds up both');
SELECT is(pg_temp.differences(), 0::bigint, 'verify() finds nothing after the differences');
SELECT is(pg_temp.stale(2024), '', 'and the pass in C agrees');

SELECT * FROM finish();
ROLLBACK;

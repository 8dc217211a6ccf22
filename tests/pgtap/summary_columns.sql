-- The summary's shares, incidents, tip-offs, outreach, crime reports and traffic figures on a
-- hand-made province 08: a residential area and an agency in each commune, an agency lying
-- directly in the province, incidents on both sides of both assessment windows.
BEGIN;
SELECT plan(24);
\ir engine_fixture.psql

CREATE FUNCTION pg_temp.u(p_code text) RETURNS bigint LANGUAGE sql AS $$ SELECT (antq.unit_at(p_code, '2024-06-01')).unit_id $$;
-- One summary row as text: the columns named, in order, joined by | (- for no ratio).
CREATE FUNCTION pg_temp.row(p_level text, p_code text, p_kind text, p_year integer DEFAULT 2024) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('|', s.total, s.registered_share, s.incidents, s.incidents_by_kind, s.tipoffs, s.outreach_target,
                   s.outreach_reached, coalesce(s.outreach_ratio::text, '-'), s.crime_reports_received, s.crime_reports_handled,
                   s.traffic_accidents, s.traffic_deaths, s.traffic_injuries)
    FROM antq.summary s
   WHERE s.area_level = p_level AND s.area_code = p_code AND s.unit_kind = p_kind AND s.year = p_year
$$;

SELECT pg_temp.add_unit('residential_area', 'R1', p_commune => '00691'),
       pg_temp.add_unit('residential_area', 'R2', p_commune => '00694'),
       pg_temp.add_unit('agency', 'A1', p_commune => '00691');
-- An agency lying directly in the province: counted in the province row, in no commune row.
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from)
VALUES ('agency', 'A2', 'Sở Tư pháp', pg_temp.u('08'), pg_temp.u('08'), '2010-01-01');

INSERT INTO antq.assessment (unit_id, year, registered_on, tipoffs, outreach_target, outreach_reached,
                             crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths, traffic_injuries)
VALUES (pg_temp.u('R1'), 2024, '2024-02-01', 3, 100, 120, 5, 4, 2, 1, 3),
       (pg_temp.u('R2'), 2024, NULL, 2, 50, 40, 1, 1, NULL, NULL, NULL),
       (pg_temp.u('A1'), 2024, '2024-03-01', 1, NULL, NULL, NULL, NULL, 1, 0, 1),
       (pg_temp.u('A2'), 2024, NULL, 4, 10, 5, 2, 0, NULL, NULL, NULL),
       (pg_temp.u('R1'), 2023, '2023-02-01', 100, 1, 1, 1, 1, 1, 1, 1);

-- Residential areas: window 1 Nov 2023 – 31 Oct 2024; agencies: 16 Nov 2023 – 15 Nov 2024.
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES
  (pg_temp.u('R1'), '2023-10-31', 'crime', 'less_serious'),
  (pg_temp.u('R1'), '2023-11-01', 'crime', 'less_serious'),
  (pg_temp.u('R1'), '2024-10-31', 'inciting_crowds', NULL),
  (pg_temp.u('R1'), '2024-11-01', 'crime', 'serious'),
  (pg_temp.u('A1'), '2023-11-15', 'crime', 'serious'),
  (pg_temp.u('A1'), '2023-11-16', 'serious_fire_explosion', NULL),
  (pg_temp.u('A1'), '2024-11-15', 'crime', 'serious'),
  (pg_temp.u('A1'), '2024-11-16', 'illegal_strike', NULL),
  (pg_temp.u('A2'), '2024-06-01', 'crime', 'less_serious');

SELECT is(antq.refresh('08', 2024), 1, 'refresh recomputes the one key');

SELECT is(pg_temp.row('commune', '00691', 'residential_area'),
          '1|1/1|2|{"crime": 1, "inciting_crowds": 1}|3|100|120|1.2000|5|4|2|1|3',
          'commune 00691, residential areas: the window''s first and last day count, the days outside do not; reached may exceed target');
SELECT is(pg_temp.row('commune', '00694', 'residential_area'),
          '1|0/1|0|{}|2|50|40|0.8000|1|1|0|0|0',
          'commune 00694, residential areas: no incidents is {}, unknown traffic figures count 0');
SELECT is(pg_temp.row('province', '08', 'residential_area'),
          '2|1/2|2|{"crime": 1, "inciting_crowds": 1}|5|150|160|1.0667|6|5|2|1|3',
          'province 08, residential areas: the sum of its two communes');
SELECT is(pg_temp.row('commune', '00691', 'agency'),
          '1|1/1|2|{"crime": 1, "serious_fire_explosion": 1}|1|0|0|-|0|0|1|0|1',
          'commune 00691, agencies: 16 Nov and 15 Nov count, 15 Nov of the year before and 16 Nov do not; no target, no ratio');
SELECT is(pg_temp.row('province', '08', 'agency'),
          '2|1/2|3|{"crime": 2, "serious_fire_explosion": 1}|5|10|5|0.5000|2|0|1|0|1',
          'province 08, agencies: its commune''s agency plus the one lying directly in the province');
SELECT is(pg_temp.row('nation', 'VN', 'agency'), pg_temp.row('province', '08', 'agency'),
          'the nation row is the sum of the (one) province row, incidents by kind included');

SELECT is((SELECT s.met_share::text || ' ' || s.recognized_share::text FROM antq.summary s
            WHERE s.area_level = 'province' AND s.area_code = '08' AND s.unit_kind = 'residential_area' AND s.year = 2024),
          '0/2 0/2', 'met and recognized shares count out of the total');
SELECT is((SELECT pg_typeof(s.registered_share)::text FROM antq.summary s LIMIT 1), 'antq.share', 'shares are stored as antq.share');

-- The BI views.
SELECT is((SELECT concat_ws('|', v.registered, v.registered_pct, v.registered_label, v.incidents, v.tipoffs, v.outreach_pct)
             FROM antq.v_summary v
            WHERE v.area_level = 'province' AND v.area_code = '08' AND v.unit_kind = 'residential_area' AND v.year = 2024),
          '1|50.0|1/2 (50%)|2|5|106.7', 'v_summary: plain integers, numeric percentages, a Vietnamese label');
SELECT is((SELECT pg_typeof(v.registered_pct)::text || ' ' || pg_typeof(v.registered_label)::text || ' ' || pg_typeof(v.tipoffs)::text
             FROM antq.v_summary v LIMIT 1),
          'numeric text bigint', 'v_summary column types are plain SQL types');
SELECT is((SELECT concat_ws('|', v.area_name, v.unit_kind_vi, v.unit_kind_en, n.area_name)
             FROM antq.v_summary v, antq.v_summary n
            WHERE v.area_level = 'province' AND v.area_code = '08' AND v.unit_kind = 'residential_area' AND v.year = 2024
              AND n.area_level = 'nation' AND n.unit_kind = 'residential_area' AND n.year = 2024),
          (SELECT u.name FROM antq.unit u WHERE u.code = '08' ORDER BY u.valid_from DESC LIMIT 1) || '|Khu dân cư|Residential area|Việt Nam',
          'v_summary names the area as in force that year and labels the kind in Vietnamese and English');
SELECT results_eq(
  $$SELECT v.incident_kind, v.incidents FROM antq.v_summary_incident v
     WHERE v.area_level = 'province' AND v.area_code = '08' AND v.unit_kind = 'agency' AND v.year = 2024 ORDER BY 1$$,
  $$VALUES ('crime', 2), ('serious_fire_explosion', 1)$$,
  'v_summary_incident: one row per kind with its count');
SELECT is((SELECT v.incident_title FROM antq.v_summary_incident v WHERE v.incident_kind = 'crime' LIMIT 1),
          'Crime (tội phạm), with its severity — Art. 5.4b, 6.3đ', 'v_summary_incident names the kind');
SELECT is((SELECT count(*)::integer FROM antq.v_summary_incident v
            WHERE v.area_level = 'commune' AND v.area_code = '00694' AND v.year = 2024), 0,
          'no incident rows where nothing happened');

-- Assessed, not assessed and not met counted apart; the nation names the provinces that
-- reported; every row says it counts by location.
SELECT is((SELECT concat_ws('|', s.assessed, s.not_assessed, s.not_met, s.counted_by) FROM antq.summary s
            WHERE s.area_level = 'province' AND s.area_code = '08' AND s.unit_kind = 'residential_area' AND s.year = 2024),
          '2|0|2|location', 'both residential areas reported, neither meets the standard');
SELECT is((SELECT concat_ws('|', v.provinces_reported, v.reported_provinces, v.assessed, v.counted_by) FROM antq.v_summary v
            WHERE v.area_level = 'nation' AND v.unit_kind = 'agency' AND v.year = 2024),
          '1|08|2|location', 'the nation row: one province reported, named as plain text');
SELECT is((SELECT pg_typeof(v.reported_provinces)::text || ' ' || pg_typeof(v.provinces_reported)::text || ' ' || pg_typeof(v.not_assessed)::text
             FROM antq.v_summary v LIMIT 1),
          'text integer integer', 'the new v_summary columns are plain SQL types');

-- Province figures are the sum of the communes' plus the units lying directly in the province.
SELECT is((SELECT sum(s.tipoffs)::integer FROM antq.summary s
            WHERE s.area_level = 'commune' AND s.year = 2024 AND s.unit_kind = 'agency') + 4,
          (SELECT s.tipoffs::integer FROM antq.summary s
            WHERE s.area_level = 'province' AND s.year = 2024 AND s.unit_kind = 'agency'),
          'agency tip-offs: province = communes + the agency lying in the province');

-- The year after: the residential area's 1 Nov 2024 and the agency's 16 Nov 2024 events.
SELECT is(antq.refresh('08', 2025), 1, 'refresh of 2025');
SELECT is((SELECT string_agg(s.unit_kind || ':' || s.incidents_by_kind::text, ' ' ORDER BY s.unit_kind) FROM antq.summary s
            WHERE s.area_level = 'province' AND s.year = 2025 AND s.incidents > 0),
          'agency:{"illegal_strike": 1} residential_area:{"crime": 1}', 'the events after the window count the year after');

-- verify() compares the new columns: clean after refresh, a tampered figure is reported.
SELECT is((SELECT count(*)::integer FROM antq.verify('08', 2024)), 0, 'verify() is clean after refresh');
UPDATE antq.summary SET incidents_by_kind = '{"crime": 2}'
 WHERE area_level = 'commune' AND area_code = '00691' AND unit_kind = 'agency' AND year = 2024;
UPDATE antq.summary SET outreach_reached = outreach_reached + 1
 WHERE area_level = 'province' AND area_code = '08' AND unit_kind = 'residential_area' AND year = 2024;
SELECT is((SELECT string_agg(v.area_code || ' ' || v.unit_kind, ', ' ORDER BY v.area_code) FROM antq.verify('08', 2024) v),
          '00691 agency, 08 residential_area', 'verify() reports tampered incidents by kind and outreach');
UPDATE antq.summary SET tipoffs = tipoffs + 1 WHERE area_level = 'nation' AND unit_kind = 'agency' AND year = 2024;
SELECT is((SELECT count(*)::integer FROM antq.verify(NULL, 2024) v WHERE v.what = 'nation' AND v.unit_kind = 'agency'), 1,
          'verify() reports a nation row that is not the sum of its provinces');

SELECT * FROM finish();
ROLLBACK;

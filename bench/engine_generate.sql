-- Generator of a realistic province or of the nation for the engine benchmark (psql script).
--   psql -v scope=nation|<province code> -v data=<path to tests/data> [-v communes=N] -f bench/engine_generate.sql
-- Provinces and communes come from tests/data/*.csv (34 provinces, 3,321 communes after the 2025
-- reform); each commune gets 300 residential areas, 15 agencies, 10 enterprises and 6 schools
-- (about 1.1M units for the nation), assessments for 2023 and 2024 with a few per cent of each
-- kind of failure, incidents for about 3% of units, and classification scores. Values are
-- deterministic (hashes of the unit id), so two runs give the same data.
\set ON_ERROR_STOP 1
CREATE TEMP TABLE prov (code text, name text, name_en text, full_name text, kind text);
CREATE TEMP TABLE comm (code text, name text, name_en text, full_name text, province_code text, kind text);
\set prov_csv :data '/provinces_2025.csv'
\set comm_csv :data '/communes_2025.csv'
COPY prov FROM :'prov_csv' CSV HEADER;
COPY comm FROM :'comm_csv' CSV HEADER;
DELETE FROM prov WHERE :'scope' <> 'nation' AND code <> :'scope';
DELETE FROM comm WHERE province_code NOT IN (SELECT code FROM prov);
-- A smaller nation, every province kept: -v communes=N keeps the first N communes of each.
\if :{?communes}
DELETE FROM comm WHERE code IN (SELECT code FROM (SELECT code, row_number() OVER (PARTITION BY province_code ORDER BY code) AS n FROM comm) x
                                 WHERE n > :communes);
\endif

-- Bulk load of the registry: the registry trigger checks one row at a time; the generated tree
-- is valid by construction, so it is bypassed (ids chosen here, province fields set directly).
ALTER TABLE antq.unit DISABLE TRIGGER unit_check;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, province_id, province_code, valid_from)
SELECT p.code::int, 'province', CASE p.kind WHEN 'city' THEN 'thanh_pho' ELSE 'tinh' END, p.code, p.full_name, p.code::int, p.code, '2004-01-01'
  FROM prov p;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
SELECT 1000 + c.code::int, 'commune', CASE c.kind WHEN 'phuong' THEN 'phuong' WHEN 'dac_khu' THEN 'dac_khu' ELSE 'xa' END,
       c.code, c.full_name, c.province_code::int, c.province_code::int, c.province_code, '2004-01-01'
  FROM comm c;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, managed_by, management_level, province_id, province_code, valid_from)
SELECT 100000 + (1000 + c.code::int) * 331 + j,
       k.kind, k.sub_kind, c.code || k.prefix || j, k.label || ' ' || j || ', ' || c.full_name,
       1000 + c.code::int, CASE WHEN k.kind <> 'residential_area' THEN 1000 + c.code::int END,
       CASE WHEN k.kind <> 'residential_area' THEN 'commune' END, c.province_code::int, c.province_code, '2010-01-01'
  FROM comm c, generate_series(0, 330) AS j,
       LATERAL (SELECT CASE WHEN j < 300 THEN 'residential_area' WHEN j < 315 THEN 'agency' WHEN j < 325 THEN 'enterprise' ELSE 'school' END AS kind) AS kk,
       LATERAL (SELECT kk.kind,
                       CASE kk.kind WHEN 'residential_area' THEN CASE WHEN j % 2 = 0 THEN 'thon' ELSE 'to_dan_pho' END
                                    WHEN 'school' THEN CASE WHEN j % 3 = 0 THEN 'vocational' ELSE 'upper_secondary' END END AS sub_kind,
                       CASE kk.kind WHEN 'residential_area' THEN '-T' WHEN 'agency' THEN '-CQ' WHEN 'enterprise' THEN '-DN' ELSE '-TH' END AS prefix,
                       CASE kk.kind WHEN 'residential_area' THEN 'Thôn' WHEN 'agency' THEN 'Cơ quan' WHEN 'enterprise' THEN 'Doanh nghiệp' ELSE 'Trường' END AS label) AS k
 ORDER BY 1;  -- stored in the order of their ids, as a registry numbered by a sequence lies
ALTER TABLE antq.unit ENABLE TRIGGER unit_check;
SELECT setval(pg_get_serial_sequence('antq.unit', 'unit_id'), (SELECT max(unit_id) FROM antq.unit));

-- Assessments (through the fact checks, as a provincial system would write them).
INSERT INTO antq.assessment (unit_id, year, registered_on, resolution_on, plan_on, has_party_org, households_total,
       households_registered, staff_total, staff_briefed, active_models, internal_rules, implements_policy,
       parents_board_coordination, crime_count, new_hotspots, new_vice_persons, monitored_managed, force_rating,
       force_disciplined, has_guard_force, police_proactive, offenders_count, subunits_total, subunits_rated_good)
SELECT u.unit_id, y,
       CASE WHEN h % 97 = 0 THEN NULL WHEN h % 89 = 0 THEN make_date(y, 5, 2) ELSE make_date(y, 2, 10) END,
       make_date(y, 1, 15), CASE WHEN h % 83 = 0 THEN make_date(y, 4, 1) ELSE make_date(y, 3, 31) END,
       h % 5 <> 0, 60 + h % 200, 60 + h % 200 - (h % 71 = 0)::int, 40 + h % 60, 40 + h % 60 - (h % 67 = 0)::int,
       (h % 61 <> 0)::int, h % 59 <> 0, h % 53 <> 0, h % 47 <> 0,
       (h / 7 + y * 3) % 9, (h % 43 = 0)::int, (h % 41 = 0)::int, h % 37 <> 0,
       CASE WHEN h % 31 = 0 THEN 'not_completed' WHEN h % 29 = 0 THEN 'completed' WHEN h % 3 = 0 THEN 'completed_excellently' ELSE 'completed_well' END,
       (h % 23 = 0)::int, h % 4 <> 0, h % 19 <> 0, (h % 17 = 0)::int, 10, 6 + h % 5
  FROM antq.unit u, (VALUES (2023), (2024)) AS v(y),
       LATERAL (SELECT ((u.unit_id * 2654435761 + y * 40503) % 1000003)::int AS h) AS hh
 WHERE u.kind NOT IN ('province', 'district')
 ORDER BY u.unit_id, y;

-- Incidents for about 3% of units, dated across both windows.
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, force_majeure, handled_promptly)
SELECT u.unit_id, date '2023-10-20' + (h % 400),
       (ARRAY['crime', 'crime', 'crime', 'serious_fire_explosion', 'fatal_workplace_accident', 'inciting_crowds',
              'prolonged_dispute', 'illegal_strike', 'school_violence', 'state_secret_breach'])[1 + h % 10],
       (ARRAY['less_serious', 'serious', 'very_serious', 'especially_serious'])[1 + (h / 10) % 4],
       h % 7 = 0, h % 5 = 0
  FROM antq.unit u, LATERAL (SELECT ((u.unit_id * 40503) % 1000003)::int AS h) AS hh
 WHERE u.kind NOT IN ('province', 'district') AND h % 33 = 0;

-- Classification points: one item per unit (agencies: their four known items and the rest).
INSERT INTO antq.score (unit_id, year, item, points)
SELECT u.unit_id, 2024, 'other', CASE WHEN u.kind = 'agency' THEN 30 + h % 59 ELSE 30 + h % 71 END
  FROM antq.unit u, LATERAL (SELECT ((u.unit_id * 69069) % 1000003)::int AS h) AS hh
 WHERE u.kind NOT IN ('province', 'district');
INSERT INTO antq.score (unit_id, year, item, points)
SELECT u.unit_id, 2024, i.item, i.points FROM antq.unit u, (VALUES ('1', 3), ('2', 2), ('3', 5), ('4', 1)) AS i(item, points)
 WHERE u.kind = 'agency';
ANALYZE;
SELECT kind, count(*) FROM antq.unit GROUP BY kind ORDER BY kind;

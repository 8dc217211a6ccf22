-- Area aggregates (số liệu tổng hợp): per area (commune, district before 2025, province,
-- nation) × year × unit kind. Kept by the worker; antq.summary_computed gives the same rows
-- live. The units of an area are the unit versions in force on 31 December of the year (or,
-- once results exist, the units with a result that year): those whose parent is the commune;
-- whose parent, or parent's parent, is the district; whose province it is. A province row is
-- therefore the sum of its communes', districts' and directly attached units' parts, and the
-- nation row the sum of the province rows.
--
-- Every figure of a row is a sum over the units counted in it, so each additive column adds up
-- the same way: a unit lying directly in a province (an agency whose parent is the province) or
-- in a district counts in the province (and district) rows but in no commune row; communes and
-- districts themselves count at the levels above them. Incidents are those recorded against the
-- unit version itself (not the units lying in a commune, which count under their own kind) on a
-- day inside the unit kind's assessment window of the year, antq.window_start..window_end.

CREATE TABLE antq.summary (
    area_level             text        NOT NULL,
    area_code              text        NOT NULL,
    province_code          text,
    year                   integer     NOT NULL,
    unit_kind              text        NOT NULL,
    total                  integer     NOT NULL,
    registered             integer     NOT NULL,
    met                    integer     NOT NULL,
    recognized             integer     NOT NULL,
    registered_share       antq.share  NOT NULL,
    met_share              antq.share  NOT NULL,
    recognized_share       antq.share  NOT NULL,
    rating_excellent       integer     NOT NULL,
    rating_good            integer     NOT NULL,
    rating_average         integer     NOT NULL,
    rating_weak            integer     NOT NULL,
    model_candidates       integer     NOT NULL,
    model_complete         integer     NOT NULL,
    incidents              integer     NOT NULL,
    incidents_by_kind      jsonb       NOT NULL,
    tipoffs                bigint      NOT NULL,
    outreach_target        bigint      NOT NULL,
    outreach_reached       bigint      NOT NULL,
    outreach_ratio         numeric,
    crime_reports_received bigint      NOT NULL,
    crime_reports_handled  bigint      NOT NULL,
    traffic_accidents      bigint      NOT NULL,
    traffic_deaths         bigint      NOT NULL,
    traffic_injuries       bigint      NOT NULL,
    computed_at            timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (area_level, area_code, year, unit_kind),
    CONSTRAINT summary_level_known CHECK (area_level IN ('commune', 'district', 'province', 'nation')),
    CONSTRAINT summary_incidents_object CHECK (pg_catalog.jsonb_typeof(incidents_by_kind) OPERATOR(pg_catalog.=) 'object')
);
CREATE INDEX summary_key ON antq.summary (province_code, year);

COMMENT ON TABLE antq.summary IS
  'Area aggregates (số liệu tổng hợp theo địa bàn): per commune, district (before 2025), province and nation, year and unit kind; kept fresh by the antq worker. Every count and sum is over the units counted in the row, so a province row is the sum of its parts and the nation row the sum of the provinces.';
COMMENT ON COLUMN antq.summary.area_level IS 'Level of the area (cấp địa bàn): commune, district, province or nation.';
COMMENT ON COLUMN antq.summary.area_code IS 'Code of the area (mã địa bàn): commune, district or province code; VN for the nation.';
COMMENT ON COLUMN antq.summary.province_code IS 'Province of the area (mã tỉnh); NULL for the nation.';
COMMENT ON COLUMN antq.summary.year IS 'Assessment year (năm đánh giá).';
COMMENT ON COLUMN antq.summary.unit_kind IS 'Kind of the units counted (loại đơn vị): residential_area, agency, enterprise, school, commune or district.';
COMMENT ON COLUMN antq.summary.total IS 'Units of that kind in the area (tổng số đơn vị).';
COMMENT ON COLUMN antq.summary.registered IS 'Units that registered for the standard (số đơn vị đăng ký).';
COMMENT ON COLUMN antq.summary.met IS 'Units meeting the "Safe on security and order" standard (số đơn vị đạt chuẩn An toàn về an ninh, trật tự).';
COMMENT ON COLUMN antq.summary.recognized IS 'Units officially recognized by decision (số đơn vị được công nhận).';
COMMENT ON COLUMN antq.summary.registered_share IS 'Registered out of total as a share (tỷ lệ đăng ký), e.g. 139/186; adds up as numerators and denominators.';
COMMENT ON COLUMN antq.summary.met_share IS 'Meeting the standard out of total as a share (tỷ lệ đạt chuẩn an toàn về an ninh, trật tự), e.g. 139/186.';
COMMENT ON COLUMN antq.summary.recognized_share IS 'Recognized by decision out of total as a share (tỷ lệ được công nhận), e.g. 139/186.';
COMMENT ON COLUMN antq.summary.rating_excellent IS 'Units classified Excellent (Xuất sắc).';
COMMENT ON COLUMN antq.summary.rating_good IS 'Units classified Good (Khá).';
COMMENT ON COLUMN antq.summary.rating_average IS 'Units classified Average (Trung bình).';
COMMENT ON COLUMN antq.summary.rating_weak IS 'Units classified Weak (Yếu).';
COMMENT ON COLUMN antq.summary.model_candidates IS 'Units assessed against the model-unit criteria (số đơn vị xét điển hình).';
COMMENT ON COLUMN antq.summary.model_complete IS 'Units meeting every applicable model-unit criterion (số đơn vị đạt tiêu chí điển hình).';
COMMENT ON COLUMN antq.summary.incidents IS
  'Incidents (số vụ việc) recorded against the units counted, on a day inside each unit''s assessment window of the year (1 Nov Y-1 to 31 Oct Y for residential areas, 16 Nov Y-1 to 15 Nov Y for the others).';
COMMENT ON COLUMN antq.summary.incidents_by_kind IS
  'The same incidents by kind (số vụ việc theo loại) as a JSON object {kind: count}, kinds from antq.incident_kinds(); {} when none. antq.v_summary_incident gives one row per kind.';
COMMENT ON COLUMN antq.summary.tipoffs IS 'Tip-offs from residents (tin báo của quần chúng): sum of antq.assessment.tipoffs of the units counted; an unknown figure counts 0.';
COMMENT ON COLUMN antq.summary.outreach_target IS 'People the outreach should reach (đối tượng cần tuyên truyền): sum over the units counted.';
COMMENT ON COLUMN antq.summary.outreach_reached IS 'People the outreach reached (số được tuyên truyền): sum over the units counted; may exceed the target, so it is no share.';
COMMENT ON COLUMN antq.summary.outreach_ratio IS 'outreach_reached / outreach_target, 4 decimals (tỷ lệ tuyên truyền), may exceed 1; NULL when the target is 0.';
COMMENT ON COLUMN antq.summary.crime_reports_received IS 'Crime reports and denunciations received (tin báo, tố giác tội phạm tiếp nhận): sum over the units counted.';
COMMENT ON COLUMN antq.summary.crime_reports_handled IS 'Of those, handled (tin báo, tố giác đã giải quyết): sum over the units counted.';
COMMENT ON COLUMN antq.summary.traffic_accidents IS 'Traffic accidents (số vụ tai nạn giao thông): sum over the units counted.';
COMMENT ON COLUMN antq.summary.traffic_deaths IS 'Traffic deaths (số người chết do tai nạn giao thông): sum over the units counted.';
COMMENT ON COLUMN antq.summary.traffic_injuries IS 'Traffic injuries (số người bị thương do tai nạn giao thông): sum over the units counted.';
COMMENT ON COLUMN antq.summary.computed_at IS 'When the row was computed (thời điểm tính).';

-- The additive measures of the areas of one province and year: from the stored unit results,
-- or (p_plus / p_minus given) the difference that replacing the p_minus rows by the p_plus
-- rows makes, nation level included, which the worker adds to the stored summary rows. One
-- query serves both, so a summary kept by differences and one computed afresh count alike.
CREATE FUNCTION antq.summary_measures(p_province_code text, p_year integer,
                                      p_plus antq.unit_result[] DEFAULT NULL, p_minus antq.unit_result[] DEFAULT NULL)
RETURNS TABLE (area_level text, area_code text, unit_kind text, total integer, registered integer, met integer,
               recognized integer, rating_excellent integer, rating_good integer, rating_average integer,
               rating_weak integer, model_candidates integer, model_complete integer, incidents integer,
               incidents_by_kind jsonb, tipoffs bigint, outreach_target bigint, outreach_reached bigint,
               crime_reports_received bigint, crime_reports_handled bigint, traffic_accidents bigint,
               traffic_deaths bigint, traffic_injuries bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off
SET plan_cache_mode = force_generic_plan
SET work_mem = '32MB'
AS $f$
#variable_conflict use_column
BEGIN
    -- Static SQL with one generic plan kept between calls (the worker adds differences many
    -- times a second); the branch that does not apply is skipped by its one-time filter.
    RETURN QUERY
      WITH units AS MATERIALIZED (
        -- Only the columns summed, held once.
        SELECT x.sgn, x.kind, x.commune_code, x.district_code, x.registered, x.safe_met, x.decision_met,
               x.rating::integer AS rating, x.model_attainment IS NOT NULL AS model_candidate, x.model_met,
               x.incidents, x.incidents_by_kind, x.tipoffs, x.outreach_target, x.outreach_reached,
               x.crime_reports_received, x.crime_reports_handled, x.traffic_accidents, x.traffic_deaths,
               x.traffic_injuries
        FROM (SELECT 1 AS sgn, r.* FROM antq.unit_result r
               WHERE p_plus IS NULL AND r.province_code = p_province_code AND r.year = p_year
              UNION ALL
              SELECT 1, r.* FROM unnest(p_plus) r
              UNION ALL
              SELECT -1, r.* FROM unnest(p_minus) r) x),
      -- Each unit once in every area it lies in: its commune, its district, its province (and
      -- the nation, for a difference). Not materialized: each reader aggregates it as it goes.
      areas AS NOT MATERIALIZED (
        SELECT l.lvl, l.area, x.*
        FROM units x
        CROSS JOIN LATERAL (VALUES ('commune', x.commune_code), ('district', x.district_code), ('province', p_province_code),
                                   ('nation', CASE WHEN p_plus IS NOT NULL THEN 'VN' END)) AS l(lvl, area)
        WHERE l.area IS NOT NULL),
      by_kind AS (
        SELECT k.lvl, k.area, k.kind, jsonb_object_agg(k.incident_kind, k.n) AS j
        FROM (SELECT a.lvl, a.area, a.kind, e.key AS incident_kind, sum(a.sgn * e.value::integer)::integer AS n
              FROM areas a CROSS JOIN LATERAL jsonb_each_text(a.incidents_by_kind) e
              WHERE a.incidents > 0
              GROUP BY a.lvl, a.area, a.kind, e.key) k
        WHERE k.n <> 0
        GROUP BY k.lvl, k.area, k.kind),
      counted AS (
        SELECT a.lvl, a.area, a.kind,
             sum(a.sgn)::integer AS total,
             coalesce(sum(a.sgn) FILTER (WHERE a.registered), 0)::integer AS registered,
             coalesce(sum(a.sgn) FILTER (WHERE a.safe_met), 0)::integer AS met,
             coalesce(sum(a.sgn) FILTER (WHERE a.decision_met), 0)::integer AS recognized,
             coalesce(sum(a.sgn) FILTER (WHERE a.rating = 4), 0)::integer AS ex,
             coalesce(sum(a.sgn) FILTER (WHERE a.rating = 3), 0)::integer AS good,
             coalesce(sum(a.sgn) FILTER (WHERE a.rating = 2), 0)::integer AS avg,
             coalesce(sum(a.sgn) FILTER (WHERE a.rating = 1), 0)::integer AS weak,
             coalesce(sum(a.sgn) FILTER (WHERE a.model_candidate), 0)::integer AS model,
             coalesce(sum(a.sgn) FILTER (WHERE a.model_met), 0)::integer AS model_done,
             sum(a.sgn * a.incidents)::integer AS incidents,
             sum(a.sgn * a.tipoffs)::bigint AS tipoffs, sum(a.sgn * a.outreach_target)::bigint AS outreach_target,
             sum(a.sgn * a.outreach_reached)::bigint AS outreach_reached,
             sum(a.sgn * a.crime_reports_received)::bigint AS reports_received, sum(a.sgn * a.crime_reports_handled)::bigint AS reports_handled,
             sum(a.sgn * a.traffic_accidents)::bigint AS accidents, sum(a.sgn * a.traffic_deaths)::bigint AS deaths,
             sum(a.sgn * a.traffic_injuries)::bigint AS injuries
        FROM areas a
        GROUP BY a.lvl, a.area, a.kind)
      SELECT c.lvl, c.area, c.kind, c.total, c.registered, c.met, c.recognized, c.ex, c.good, c.avg, c.weak,
             c.model, c.model_done, c.incidents, coalesce(k.j, '{}'::jsonb), c.tipoffs, c.outreach_target,
             c.outreach_reached, c.reports_received, c.reports_handled, c.accidents, c.deaths, c.injuries
      FROM counted c
      LEFT JOIN by_kind k ON k.lvl = c.lvl AND k.area = c.area AND k.kind = c.kind;
END
$f$;
COMMENT ON FUNCTION antq.summary_measures(text, integer, antq.unit_result[], antq.unit_result[]) IS
  'The counts and sums of the areas of a province and year from the stored unit results (số liệu tổng hợp cộng được), or, given the new and the old result rows of some units, the difference they make to each area, the nation included. Sums are NULL where no unit records the figure.';

-- The summary rows of one province and year, computed live (commune, district, province levels)
-- from the stored unit results.
CREATE FUNCTION antq.summary_computed(p_province_code text, p_year integer)
RETURNS SETOF antq.summary LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT m.area_level, m.area_code, p_province_code, p_year, m.unit_kind, m.total, m.registered, m.met, m.recognized,
         antq.share(m.registered, m.total), antq.share(m.met, m.total), antq.share(m.recognized, m.total),
         m.rating_excellent, m.rating_good, m.rating_average, m.rating_weak, m.model_candidates, m.model_complete,
         m.incidents, m.incidents_by_kind, coalesce(m.tipoffs, 0), coalesce(m.outreach_target, 0),
         coalesce(m.outreach_reached, 0), antq.ratio(m.outreach_reached, m.outreach_target),
         coalesce(m.crime_reports_received, 0), coalesce(m.crime_reports_handled, 0),
         coalesce(m.traffic_accidents, 0), coalesce(m.traffic_deaths, 0), coalesce(m.traffic_injuries, 0), now()
  FROM antq.summary_measures(p_province_code, p_year) m
$$;
COMMENT ON FUNCTION antq.summary_computed(text, integer) IS
  'Summary rows of one province and year computed live from the stored unit results (tính trực tiếp số liệu tổng hợp): commune, district and province levels.';

-- A ratio of two sums that may exceed 1 (reached over target): 4 decimals, NULL without a target.
CREATE FUNCTION antq.ratio(p_part numeric, p_whole numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN p_whole OPERATOR(pg_catalog.>) 0
                  THEN pg_catalog.round(p_part OPERATOR(pg_catalog./) p_whole, 4) END $$;
COMMENT ON FUNCTION antq.ratio(numeric, numeric) IS
  'Ratio of two summed figures that may exceed 1 (tỷ số), e.g. outreach reached over target, rounded to 4 decimals; NULL when the whole is 0 or unknown.';

-- Incident counts by kind added up over several rows (cộng số vụ việc theo loại).
CREATE FUNCTION antq.incidents_add(p_sum jsonb, p_more jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(pg_catalog.jsonb_object_agg(k.key, k.n), '{}'::jsonb)
  FROM (SELECT e.key, pg_catalog.sum(e.value::integer)::integer AS n
        FROM (SELECT * FROM pg_catalog.jsonb_each_text(coalesce(p_sum, '{}'::jsonb))
              UNION ALL
              SELECT * FROM pg_catalog.jsonb_each_text(coalesce(p_more, '{}'::jsonb))) e
        GROUP BY e.key) k
  WHERE k.n OPERATOR(pg_catalog.<>) 0
$$;
COMMENT ON FUNCTION antq.incidents_add(jsonb, jsonb) IS
  'Adds two {kind: count} objects of incidents by kind (cộng số vụ việc theo loại), key by key; counts may be negative (a difference), and kinds that come to 0 are left out.';

CREATE AGGREGATE antq.incidents_sum(jsonb) (
    SFUNC = antq.incidents_add, STYPE = jsonb, INITCOND = '{}', COMBINEFUNC = antq.incidents_add, PARALLEL = SAFE
);
COMMENT ON AGGREGATE antq.incidents_sum(jsonb) IS
  'Sum of {kind: count} objects of incidents by kind (tổng số vụ việc theo loại); {} over no rows.';

-- The nation rows of one year: the sum of the stored province rows.
CREATE FUNCTION antq.summary_nation(p_year integer)
RETURNS SETOF antq.summary LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT 'nation', 'VN', NULL::text, p_year, s.unit_kind,
         sum(s.total)::integer, sum(s.registered)::integer, sum(s.met)::integer, sum(s.recognized)::integer,
         antq.sum(s.registered_share), antq.sum(s.met_share), antq.sum(s.recognized_share),
         sum(s.rating_excellent)::integer, sum(s.rating_good)::integer, sum(s.rating_average)::integer,
         sum(s.rating_weak)::integer, sum(s.model_candidates)::integer, sum(s.model_complete)::integer,
         sum(s.incidents)::integer, antq.incidents_sum(s.incidents_by_kind),
         sum(s.tipoffs)::bigint, sum(s.outreach_target)::bigint, sum(s.outreach_reached)::bigint,
         antq.ratio(sum(s.outreach_reached), sum(s.outreach_target)),
         sum(s.crime_reports_received)::bigint, sum(s.crime_reports_handled)::bigint,
         sum(s.traffic_accidents)::bigint, sum(s.traffic_deaths)::bigint, sum(s.traffic_injuries)::bigint, now()
  FROM antq.summary s
  WHERE s.area_level OPERATOR(pg_catalog.=) 'province' AND s.year OPERATOR(pg_catalog.=) p_year
  GROUP BY s.unit_kind
$$;
COMMENT ON FUNCTION antq.summary_nation(integer) IS
  'Nation rows of one year (số liệu toàn quốc): the sum of the stored province rows.';

-- BI view: plain types, percentages as numeric, shares also as Vietnamese labels.
CREATE VIEW antq.v_summary AS
SELECT s.area_level, s.area_code, s.province_code, s.year, s.unit_kind,
       s.total, s.registered, s.met, s.recognized,
       antq.percent(s.registered_share, 1) AS registered_pct,
       antq.percent(s.met_share, 1) AS met_pct,
       antq.percent(s.recognized_share, 1) AS recognized_pct,
       antq.format_vi(s.registered_share) AS registered_label,
       antq.format_vi(s.met_share) AS met_label,
       antq.format_vi(s.recognized_share) AS recognized_label,
       s.rating_excellent, s.rating_good, s.rating_average, s.rating_weak, s.model_candidates, s.model_complete,
       s.incidents, s.tipoffs, s.outreach_target, s.outreach_reached,
       pg_catalog.round(s.outreach_ratio OPERATOR(pg_catalog.*) 100, 1) AS outreach_pct,
       s.crime_reports_received, s.crime_reports_handled,
       s.traffic_accidents, s.traffic_deaths, s.traffic_injuries, s.computed_at
FROM antq.summary s;
COMMENT ON VIEW antq.v_summary IS 'Area aggregates for BI tools (số liệu tổng hợp cho báo cáo): plain integers, numeric percentages and Vietnamese text labels.';
COMMENT ON COLUMN antq.v_summary.area_level IS 'Level of the area (cấp địa bàn): commune, district, province or nation.';
COMMENT ON COLUMN antq.v_summary.area_code IS 'Code of the area (mã địa bàn); VN for the nation.';
COMMENT ON COLUMN antq.v_summary.province_code IS 'Province of the area (mã tỉnh); NULL for the nation.';
COMMENT ON COLUMN antq.v_summary.year IS 'Assessment year (năm đánh giá).';
COMMENT ON COLUMN antq.v_summary.unit_kind IS 'Kind of the units counted (loại đơn vị).';
COMMENT ON COLUMN antq.v_summary.total IS 'Units of that kind in the area (tổng số đơn vị).';
COMMENT ON COLUMN antq.v_summary.registered IS 'Units that registered (số đơn vị đăng ký).';
COMMENT ON COLUMN antq.v_summary.met IS 'Units meeting the standard (số đơn vị đạt chuẩn).';
COMMENT ON COLUMN antq.v_summary.recognized IS 'Units recognized by decision (số đơn vị được công nhận).';
COMMENT ON COLUMN antq.v_summary.registered_pct IS 'Registered as a percentage of total, one decimal (tỷ lệ đăng ký, %); NULL when there are no units.';
COMMENT ON COLUMN antq.v_summary.met_pct IS 'Meeting the standard as a percentage of total (tỷ lệ đạt chuẩn, %); NULL when there are no units.';
COMMENT ON COLUMN antq.v_summary.recognized_pct IS 'Recognized as a percentage of total (tỷ lệ được công nhận, %); NULL when there are no units.';
COMMENT ON COLUMN antq.v_summary.registered_label IS 'Registered out of total as Vietnamese text (tỷ lệ đăng ký), e.g. 139/186 (74,73%).';
COMMENT ON COLUMN antq.v_summary.met_label IS 'Meeting the standard out of total as Vietnamese text (tỷ lệ đạt chuẩn), e.g. 139/186 (74,73%).';
COMMENT ON COLUMN antq.v_summary.recognized_label IS 'Recognized out of total as Vietnamese text (tỷ lệ được công nhận), e.g. 139/186 (74,73%).';
COMMENT ON COLUMN antq.v_summary.rating_excellent IS 'Units classified Excellent (Xuất sắc).';
COMMENT ON COLUMN antq.v_summary.rating_good IS 'Units classified Good (Khá).';
COMMENT ON COLUMN antq.v_summary.rating_average IS 'Units classified Average (Trung bình).';
COMMENT ON COLUMN antq.v_summary.rating_weak IS 'Units classified Weak (Yếu).';
COMMENT ON COLUMN antq.v_summary.model_candidates IS 'Units assessed against the model-unit criteria (số đơn vị xét điển hình).';
COMMENT ON COLUMN antq.v_summary.model_complete IS 'Units meeting every applicable model-unit criterion (số đơn vị đạt tiêu chí điển hình).';
COMMENT ON COLUMN antq.v_summary.incidents IS 'Incidents in the units'' assessment windows (số vụ việc); by kind in antq.v_summary_incident.';
COMMENT ON COLUMN antq.v_summary.tipoffs IS 'Tip-offs from residents (tin báo của quần chúng).';
COMMENT ON COLUMN antq.v_summary.outreach_target IS 'People the outreach should reach (đối tượng cần tuyên truyền).';
COMMENT ON COLUMN antq.v_summary.outreach_reached IS 'People the outreach reached (số được tuyên truyền).';
COMMENT ON COLUMN antq.v_summary.outreach_pct IS 'Reached as a percentage of the target, one decimal (tỷ lệ tuyên truyền, %); may exceed 100; NULL without a target.';
COMMENT ON COLUMN antq.v_summary.crime_reports_received IS 'Crime reports and denunciations received (tin báo, tố giác tội phạm tiếp nhận).';
COMMENT ON COLUMN antq.v_summary.crime_reports_handled IS 'Crime reports handled (tin báo, tố giác đã giải quyết).';
COMMENT ON COLUMN antq.v_summary.traffic_accidents IS 'Traffic accidents (số vụ tai nạn giao thông).';
COMMENT ON COLUMN antq.v_summary.traffic_deaths IS 'Traffic deaths (số người chết do tai nạn giao thông).';
COMMENT ON COLUMN antq.v_summary.traffic_injuries IS 'Traffic injuries (số người bị thương do tai nạn giao thông).';
COMMENT ON COLUMN antq.v_summary.computed_at IS 'When the row was computed (thời điểm tính).';

-- BI view: one row per area, year, unit kind and incident kind that happened.
CREATE VIEW antq.v_summary_incident AS
SELECT s.area_level, s.area_code, s.province_code, s.year, s.unit_kind,
       e.key AS incident_kind, e.value::integer AS incidents, k.title AS incident_title
FROM antq.summary s
CROSS JOIN LATERAL pg_catalog.jsonb_each_text(s.incidents_by_kind) AS e(key, value)
LEFT JOIN antq.incident_kinds() k ON k.kind OPERATOR(pg_catalog.=) e.key;
COMMENT ON VIEW antq.v_summary_incident IS
  'Incidents by kind per area, year and unit kind for BI tools (số vụ việc theo loại và địa bàn): one row per kind that happened, plain columns.';
COMMENT ON COLUMN antq.v_summary_incident.area_level IS 'Level of the area (cấp địa bàn): commune, district, province or nation.';
COMMENT ON COLUMN antq.v_summary_incident.area_code IS 'Code of the area (mã địa bàn); VN for the nation.';
COMMENT ON COLUMN antq.v_summary_incident.province_code IS 'Province of the area (mã tỉnh); NULL for the nation.';
COMMENT ON COLUMN antq.v_summary_incident.year IS 'Assessment year (năm đánh giá) whose windows the incidents fall in.';
COMMENT ON COLUMN antq.v_summary_incident.unit_kind IS 'Kind of the units where they happened (loại đơn vị).';
COMMENT ON COLUMN antq.v_summary_incident.incident_kind IS 'Kind of incident (loại vụ việc), from antq.incident_kinds().';
COMMENT ON COLUMN antq.v_summary_incident.incidents IS 'Incidents of that kind (số vụ việc).';
COMMENT ON COLUMN antq.v_summary_incident.incident_title IS 'What the kind means, in English and Vietnamese (tên loại vụ việc).';

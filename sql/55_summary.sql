-- Area aggregates (số liệu tổng hợp): per area (commune, district before 2025, province,
-- nation) × year × unit kind. Kept by the worker; antq.summary_computed gives the same rows
-- live. The units of an area are the units with a result that year (antq.unit_result: a kind
-- assessed that year, no future year without facts; docs/figures.md): those whose parent is the commune;
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
    assessed               integer     NOT NULL,
    not_assessed           integer     NOT NULL,
    not_met                integer     NOT NULL,
    registered_share       antq.share,
    met_share              antq.share,
    recognized_share       antq.share,
    rating_excellent       integer     NOT NULL,
    rating_good            integer     NOT NULL,
    rating_average         integer     NOT NULL,
    rating_weak            integer     NOT NULL,
    model_candidates       integer     NOT NULL,
    model_complete         integer     NOT NULL,
    model_participants     integer     NOT NULL,
    model_participants_complete integer NOT NULL,
    model_participants_on_track integer NOT NULL,
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
    provinces_reported     integer,
    reported_provinces     text[],
    counted_by             text        NOT NULL DEFAULT 'location',
    computed_at            timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (area_level, area_code, year, unit_kind),
    CONSTRAINT summary_level_known CHECK (area_level IN ('commune', 'district', 'province', 'nation')),
    CONSTRAINT summary_counted_by_location CHECK (counted_by OPERATOR(pg_catalog.=) 'location'),
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
COMMENT ON COLUMN antq.summary.total IS 'Units of that kind taking part in the year in the area (tổng số đơn vị tham gia): those with a result (antq.unit_result), assessed or not.';
COMMENT ON COLUMN antq.summary.registered IS 'Units that registered for the standard (số đơn vị đăng ký).';
COMMENT ON COLUMN antq.summary.met IS 'Met (computed) (số đơn vị đạt chuẩn, theo tính toán): units the engine computes to meet the "Safe on security and order" standard from their facts (unit_result.safe_met). Not the official recognition: see recognized.';
COMMENT ON COLUMN antq.summary.recognized IS 'Recognized (decided) (số đơn vị được công nhận, theo quyết định): units officially recognized as safe by a decision of their managing authority (antq.decision, unit_result.decision_met). Not the computed result: see met.';
COMMENT ON COLUMN antq.summary.assessed IS 'Units assessed, that is that reported their facts for the year (số đơn vị đã báo cáo, đã đánh giá): an antq.assessment row.';
COMMENT ON COLUMN antq.summary.not_assessed IS 'Units taking part that reported no facts for the year (số đơn vị chưa đánh giá): total - assessed. Not the same as not met: nothing was computed for them.';
COMMENT ON COLUMN antq.summary.not_met IS 'Units assessed and computed not to meet the standard (số đơn vị không đạt chuẩn, theo tính toán): safe_met false. met + not_met can be below assessed where no safe-standard set applies to the kind (districts; residential areas before 2022).';
COMMENT ON COLUMN antq.summary.registered_share IS 'Registered out of all units of the row (tỷ lệ đăng ký), e.g. 139/186; NULL when no unit of the row reported (assessed = 0); adds up as numerators and denominators.';
COMMENT ON COLUMN antq.summary.met_share IS 'Met (computed) out of all units of the row (tỷ lệ đạt chuẩn theo tính toán), e.g. 139/186, not assessed units counting in the denominator; NULL when no unit of the row was assessed under a safe-standard set (met + not_met = 0), never 0%. The nation row adds up only the provinces whose share is not NULL.';
COMMENT ON COLUMN antq.summary.recognized_share IS 'Recognized (decided) out of all units of the row (tỷ lệ được công nhận theo quyết định), e.g. 139/186; NULL when no unit of the row reported (assessed = 0). The nation row adds up only the provinces whose share is not NULL.';
COMMENT ON COLUMN antq.summary.rating_excellent IS 'Units classified Excellent (Xuất sắc).';
COMMENT ON COLUMN antq.summary.rating_good IS 'Units classified Good (Khá).';
COMMENT ON COLUMN antq.summary.rating_average IS 'Units classified Average (Trung bình).';
COMMENT ON COLUMN antq.summary.rating_weak IS 'Units classified Weak (Yếu).';
COMMENT ON COLUMN antq.summary.model_candidates IS 'Units assessed against the model-unit criteria (số đơn vị được chấm tiêu chí điển hình): every assessed unit of a kind with a model-unit set that year, whether or not it takes part in the model-unit programme (e.g. all 151 communes of a province). Not the programme''s participants: see model_participants.';
COMMENT ON COLUMN antq.summary.model_complete IS 'Units meeting every applicable model-unit criterion (số đơn vị đạt tiêu chí điển hình), among model_candidates, whether or not they take part in the programme; see model_participants_complete.';
COMMENT ON COLUMN antq.summary.model_participants IS 'Units taking part in the model-unit programme this year (số đơn vị tham gia xây dựng điển hình), as the province selected them (antq.model_participation), assessed or not: the denominator of "23/26".';
COMMENT ON COLUMN antq.summary.model_participants_complete IS 'Of the participants, those meeting every model-unit criterion (số đơn vị tham gia đạt đủ tiêu chí điển hình), e.g. 34/34 for a commune (computed, not the recognition decision).';
COMMENT ON COLUMN antq.summary.model_participants_on_track IS 'Of the participants, those on track (số đơn vị tham gia đúng tiến độ): assessed, and no model-unit check of the year recorded as not met; complete ones included. The numerator of "23/26" (docs/figures.md).';
COMMENT ON COLUMN antq.summary.incidents IS
  'Incidents (số vụ việc) the criteria of the units counted read as theirs, on a day inside each unit''s assessment window of the year (1 Nov Y-1 to 31 Oct Y for residential areas, 16 Nov Y-1 to 15 Nov Y for the others): each unit''s own and its predecessors'' (antq.unit_result.incidents).';
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
COMMENT ON COLUMN antq.summary.provinces_reported IS 'Nation rows: how many provinces have at least one unit of the kind that reported this year (số tỉnh đã báo cáo); NULL on other rows.';
COMMENT ON COLUMN antq.summary.reported_provinces IS 'Nation rows: the codes of those provinces, sorted (mã các tỉnh đã báo cáo); NULL on other rows. The nation''s shares add up these provinces only.';
COMMENT ON COLUMN antq.summary.counted_by IS
  'How units are assigned to the area (cách tính theo địa bàn): always location (theo địa bàn), the area the unit lies in. A commune''s criterion 4 counts the units under its authority instead (theo thẩm quyền quản lý): antq.v_summary_by_authority gives the commune rows counted that way.';
COMMENT ON COLUMN antq.summary.computed_at IS 'When the row was computed (thời điểm tính).';

-- The areas a unit counts in (các cấp địa bàn): its commune, its district, its province, and
-- (p_nation) the nation; inlined into antq.summary_measures.
CREATE FUNCTION antq.summary_levels(p_province_code text, p_commune_code text, p_district_code text, p_nation boolean)
RETURNS TABLE (lvl text, area text, province text) LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT l.lvl, l.area, CASE WHEN l.lvl OPERATOR(pg_catalog.<>) 'nation' THEN p_province_code END
  FROM (VALUES ('commune', p_commune_code), ('district', p_district_code), ('province', p_province_code),
               ('nation', CASE WHEN p_nation THEN 'VN' END)) AS l(lvl, area)
  WHERE l.area IS NOT NULL
$$;
COMMENT ON FUNCTION antq.summary_levels(text, text, text, boolean) IS
  'The areas a unit with this province, commune and district counts in (các cấp địa bàn): commune, district, province and, when asked, the nation (VN); one row per area with its level, code and province.';

-- The additive measures of the areas of one province and year (NULL: of every province) from
-- the stored unit results, or (p_plus / p_minus given) the difference that replacing the
-- p_minus rows by the p_plus rows makes, nation level included, which the worker adds to the
-- stored summary rows. One query serves both, so a summary kept by differences and one
-- computed afresh count alike. It sums in two stages: first each unit into the group of units
-- that share province, commune, district and kind (a few per commune), then those groups into
-- every area they lie in; summing each unit straight into its three or four areas cost three
-- or four times as much (5.6 s for the nation's 1.1M units against ~1 s).
CREATE FUNCTION antq.summary_measures(p_province_code text, p_year integer,
                                      p_plus antq.unit_result[] DEFAULT NULL, p_minus antq.unit_result[] DEFAULT NULL)
RETURNS TABLE (area_level text, area_code text, province_code text, unit_kind text, total integer, registered integer,
               met integer, recognized integer, assessed integer, not_met integer, rating_excellent integer, rating_good integer, rating_average integer,
               rating_weak integer, model_candidates integer, model_complete integer, model_participants integer,
               model_participants_complete integer, model_participants_on_track integer, incidents integer,
               incidents_by_kind jsonb, tipoffs bigint, outreach_target bigint, outreach_reached bigint,
               crime_reports_received bigint, crime_reports_handled bigint, traffic_accidents bigint,
               traffic_deaths bigint, traffic_injuries bigint)
LANGUAGE plpgsql STABLE ROWS 10
SET search_path = pg_catalog, pg_temp
SET jit = off
SET plan_cache_mode = force_generic_plan
SET max_parallel_workers_per_gather = 0
SET work_mem = '32MB'
AS $f$
#variable_conflict use_column
BEGIN
    -- Static SQL with one generic plan kept between calls (the worker adds differences many
    -- times a second); the branches that do not apply are skipped by their one-time filters.
    -- That plan is made for the largest branch, the nation: without parallel workers, which
    -- cost more to start than a difference costs to add. ROWS 10 (a difference touches a few
    -- areas) lets the worker's UPDATE of the summary find them by its primary key.
    RETURN QUERY
      WITH units AS NOT MATERIALIZED (
        SELECT 1 AS sgn, r.* FROM antq.unit_result r
         WHERE p_plus IS NULL AND p_province_code IS NOT NULL AND r.province_code = p_province_code AND r.year = p_year
        UNION ALL
        SELECT 1 AS sgn, r.* FROM antq.unit_result r
         WHERE p_plus IS NULL AND p_province_code IS NULL AND r.year = p_year
        UNION ALL
        SELECT 1, r.* FROM unnest(p_plus) r
        UNION ALL
        SELECT -1, r.* FROM unnest(p_minus) r),
      -- Stage 1: the units of each (province, commune, district, kind), and their incidents by kind.
      grouped AS MATERIALIZED (
        SELECT x.province_code, x.commune_code, x.district_code, x.kind,
             sum(x.sgn) AS total,
             coalesce(sum(x.sgn) FILTER (WHERE x.registered), 0) AS registered,
             coalesce(sum(x.sgn) FILTER (WHERE x.safe_met), 0) AS met,
             coalesce(sum(x.sgn) FILTER (WHERE x.decision_met), 0) AS recognized,
             coalesce(sum(x.sgn) FILTER (WHERE x.assessed), 0) AS assessed,
             coalesce(sum(x.sgn) FILTER (WHERE NOT x.safe_met), 0) AS not_met,
             coalesce(sum(x.sgn) FILTER (WHERE x.rating::integer = 4), 0) AS ex,
             coalesce(sum(x.sgn) FILTER (WHERE x.rating::integer = 3), 0) AS good,
             coalesce(sum(x.sgn) FILTER (WHERE x.rating::integer = 2), 0) AS avg,
             coalesce(sum(x.sgn) FILTER (WHERE x.rating::integer = 1), 0) AS weak,
             coalesce(sum(x.sgn) FILTER (WHERE x.model_attainment IS NOT NULL), 0) AS model,
             coalesce(sum(x.sgn) FILTER (WHERE x.model_met), 0) AS model_done,
             coalesce(sum(x.sgn) FILTER (WHERE x.model_programme), 0) AS programme,
             coalesce(sum(x.sgn) FILTER (WHERE x.model_programme AND x.model_met), 0) AS programme_done,
             coalesce(sum(x.sgn) FILTER (WHERE x.model_on_track), 0) AS on_track,
             sum(x.sgn * x.incidents) AS incidents,
             sum(x.sgn * x.tipoffs) AS tipoffs, sum(x.sgn * x.outreach_target) AS outreach_target,
             sum(x.sgn * x.outreach_reached) AS outreach_reached,
             sum(x.sgn * x.crime_reports_received) AS reports_received, sum(x.sgn * x.crime_reports_handled) AS reports_handled,
             sum(x.sgn * x.traffic_accidents) AS accidents, sum(x.sgn * x.traffic_deaths) AS deaths,
             sum(x.sgn * x.traffic_injuries) AS injuries
        FROM units x
        GROUP BY x.province_code, x.commune_code, x.district_code, x.kind),
      grouped_kinds AS (
        SELECT x.province_code, x.commune_code, x.district_code, x.kind, e.key AS incident_kind,
               sum(x.sgn * e.value::integer) AS n
        FROM units x CROSS JOIN LATERAL jsonb_each_text(x.incidents_by_kind) e
        WHERE x.incidents > 0
        GROUP BY x.province_code, x.commune_code, x.district_code, x.kind, e.key),
      -- Stage 2: each group in every area it lies in: its commune, its district, its province
      -- (and the nation, for a difference).
      counted AS (
        SELECT l.lvl, l.area, l.province, g.kind,
             sum(g.total)::integer AS total, sum(g.registered)::integer AS registered, sum(g.met)::integer AS met,
             sum(g.recognized)::integer AS recognized, sum(g.assessed)::integer AS assessed,
             sum(g.not_met)::integer AS not_met, sum(g.ex)::integer AS ex, sum(g.good)::integer AS good,
             sum(g.avg)::integer AS avg, sum(g.weak)::integer AS weak, sum(g.model)::integer AS model,
             sum(g.model_done)::integer AS model_done, sum(g.programme)::integer AS programme,
             sum(g.programme_done)::integer AS programme_done, sum(g.on_track)::integer AS on_track,
             sum(g.incidents)::integer AS incidents,
             sum(g.tipoffs)::bigint AS tipoffs, sum(g.outreach_target)::bigint AS outreach_target,
             sum(g.outreach_reached)::bigint AS outreach_reached, sum(g.reports_received)::bigint AS reports_received,
             sum(g.reports_handled)::bigint AS reports_handled, sum(g.accidents)::bigint AS accidents,
             sum(g.deaths)::bigint AS deaths, sum(g.injuries)::bigint AS injuries
        FROM grouped g CROSS JOIN LATERAL antq.summary_levels(g.province_code, g.commune_code, g.district_code, p_plus IS NOT NULL) l
        GROUP BY l.lvl, l.area, l.province, g.kind),
      by_kind AS (
        SELECT k.lvl, k.area, k.kind, jsonb_object_agg(k.incident_kind, k.n) AS j
        FROM (SELECT l.lvl, l.area, g.kind, g.incident_kind, sum(g.n)::integer AS n
              FROM grouped_kinds g
              CROSS JOIN LATERAL antq.summary_levels(g.province_code, g.commune_code, g.district_code, p_plus IS NOT NULL) l
              GROUP BY l.lvl, l.area, g.kind, g.incident_kind) k
        WHERE k.n <> 0
        GROUP BY k.lvl, k.area, k.kind)
      SELECT c.lvl, c.area, c.province, c.kind, c.total, c.registered, c.met, c.recognized, c.assessed, c.not_met, c.ex, c.good, c.avg, c.weak,
             c.model, c.model_done, c.programme, c.programme_done, c.on_track, c.incidents, coalesce(k.j, '{}'::jsonb), c.tipoffs, c.outreach_target,
             c.outreach_reached, c.reports_received, c.reports_handled, c.accidents, c.deaths, c.injuries
      FROM counted c
      LEFT JOIN by_kind k ON k.lvl = c.lvl AND k.area = c.area AND k.kind = c.kind;
END
$f$;
COMMENT ON FUNCTION antq.summary_measures(text, integer, antq.unit_result[], antq.unit_result[]) IS
  'The counts and sums of the areas of a province (NULL: every province) and year from the stored unit results (số liệu tổng hợp cộng được), or, given the new and the old result rows of some units, the difference they make to each area, the nation included. Sums are NULL where no unit records the figure.';

-- A share of the units of a summary row that is published only where something was reported:
-- p_part out of p_whole, NULL when p_reported is 0 (no unit reported), never a 0% standing for
-- "no data".
CREATE FUNCTION antq.reported_share(p_part integer, p_whole integer, p_reported integer)
RETURNS antq.share LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN p_reported OPERATOR(pg_catalog.>) 0 THEN antq.share(p_part, p_whole) END $$;
COMMENT ON FUNCTION antq.reported_share(integer, integer, integer) IS
  'Share of a summary row published only where units reported (tỷ lệ khi có báo cáo): p_part out of p_whole, NULL when p_reported (units assessed, or assessed under a safe-standard set) is 0.';

-- The summary rows of one province and year (NULL: every province), computed live (commune,
-- district, province levels) from the stored unit results.
CREATE FUNCTION antq.summary_computed(p_province_code text, p_year integer)
RETURNS SETOF antq.summary LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT m.area_level, m.area_code, m.province_code, p_year, m.unit_kind, m.total, m.registered, m.met, m.recognized,
         m.assessed, m.total - m.assessed, m.not_met,
         antq.reported_share(m.registered, m.total, m.assessed), antq.reported_share(m.met, m.total, m.met + m.not_met),
         antq.reported_share(m.recognized, m.total, m.assessed),
         m.rating_excellent, m.rating_good, m.rating_average, m.rating_weak, m.model_candidates, m.model_complete,
         m.model_participants, m.model_participants_complete, m.model_participants_on_track,
         m.incidents, m.incidents_by_kind, coalesce(m.tipoffs, 0), coalesce(m.outreach_target, 0),
         coalesce(m.outreach_reached, 0), antq.ratio(m.outreach_reached, m.outreach_target),
         coalesce(m.crime_reports_received, 0), coalesce(m.crime_reports_handled, 0),
         coalesce(m.traffic_accidents, 0), coalesce(m.traffic_deaths, 0), coalesce(m.traffic_injuries, 0),
         NULL::integer, NULL::text[], 'location', now()
  FROM antq.summary_measures(p_province_code, p_year) m
$$;
COMMENT ON FUNCTION antq.summary_computed(text, integer) IS
  'Summary rows of one province (NULL: every province) and year computed live from the stored unit results (tính trực tiếp số liệu tổng hợp): commune, district and province levels.';

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
         sum(s.assessed)::integer, sum(s.not_assessed)::integer, sum(s.not_met)::integer,
         antq.sum(s.registered_share), antq.sum(s.met_share), antq.sum(s.recognized_share),
         sum(s.rating_excellent)::integer, sum(s.rating_good)::integer, sum(s.rating_average)::integer,
         sum(s.rating_weak)::integer, sum(s.model_candidates)::integer, sum(s.model_complete)::integer,
         sum(s.model_participants)::integer, sum(s.model_participants_complete)::integer, sum(s.model_participants_on_track)::integer,
         sum(s.incidents)::integer, antq.incidents_sum(s.incidents_by_kind),
         sum(s.tipoffs)::bigint, sum(s.outreach_target)::bigint, sum(s.outreach_reached)::bigint,
         antq.ratio(sum(s.outreach_reached), sum(s.outreach_target)),
         sum(s.crime_reports_received)::bigint, sum(s.crime_reports_handled)::bigint,
         sum(s.traffic_accidents)::bigint, sum(s.traffic_deaths)::bigint, sum(s.traffic_injuries)::bigint,
         count(*) FILTER (WHERE s.assessed OPERATOR(pg_catalog.>) 0)::integer,
         coalesce(array_agg(s.province_code ORDER BY s.province_code) FILTER (WHERE s.assessed OPERATOR(pg_catalog.>) 0), '{}'),
         'location', now()
  FROM antq.summary s
  WHERE s.area_level OPERATOR(pg_catalog.=) 'province' AND s.year OPERATOR(pg_catalog.=) p_year
  GROUP BY s.unit_kind
$$;
COMMENT ON FUNCTION antq.summary_nation(integer) IS
  'Nation rows of one year (số liệu toàn quốc): the sum of the stored province rows; shares add up the provinces whose share is not NULL (those that reported), which provinces_reported and reported_provinces name.';

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
       s.traffic_accidents, s.traffic_deaths, s.traffic_injuries, s.computed_at,
       CASE WHEN s.area_level OPERATOR(pg_catalog.=) 'nation' THEN 'Việt Nam'
            ELSE (SELECT u.name FROM antq.unit u
                   WHERE u.code OPERATOR(pg_catalog.=) s.area_code AND u.kind OPERATOR(pg_catalog.=) s.area_level
                     AND u.valid_from OPERATOR(pg_catalog.<=) pg_catalog.make_date(s.year, 12, 31)
                   ORDER BY u.valid_from DESC LIMIT 1) END AS area_name,
       k.label_vi AS unit_kind_vi, k.label_en AS unit_kind_en,
       s.assessed, s.not_assessed, s.not_met, s.provinces_reported,
       pg_catalog.array_to_string(s.reported_provinces, ',') AS reported_provinces, s.counted_by,
       s.model_participants, s.model_participants_complete, s.model_participants_on_track
FROM antq.summary s
LEFT JOIN antq.unit_kinds() k ON k.kind OPERATOR(pg_catalog.=) s.unit_kind;
COMMENT ON VIEW antq.v_summary IS 'Area aggregates for BI tools (số liệu tổng hợp cho báo cáo): plain integers, numeric percentages and Vietnamese text labels.';
COMMENT ON COLUMN antq.v_summary.area_level IS 'Level of the area (cấp địa bàn): commune, district, province or nation.';
COMMENT ON COLUMN antq.v_summary.area_code IS 'Code of the area (mã địa bàn); VN for the nation.';
COMMENT ON COLUMN antq.v_summary.province_code IS 'Province of the area (mã tỉnh); NULL for the nation.';
COMMENT ON COLUMN antq.v_summary.year IS 'Assessment year (năm đánh giá).';
COMMENT ON COLUMN antq.v_summary.unit_kind IS 'Kind of the units counted (loại đơn vị).';
COMMENT ON COLUMN antq.v_summary.total IS 'Units of that kind in the area (tổng số đơn vị).';
COMMENT ON COLUMN antq.v_summary.registered IS 'Units that registered (số đơn vị đăng ký).';
COMMENT ON COLUMN antq.v_summary.met IS 'Met (computed) (số đơn vị đạt chuẩn, theo tính toán): units the engine computes to meet the standard; not the official recognition.';
COMMENT ON COLUMN antq.v_summary.recognized IS 'Recognized (decided) (số đơn vị được công nhận, theo quyết định): units recognized safe by an official decision; not the computed result.';
COMMENT ON COLUMN antq.v_summary.registered_pct IS 'Registered as a percentage of total, one decimal (tỷ lệ đăng ký, %); NULL when no unit of the row reported.';
COMMENT ON COLUMN antq.v_summary.met_pct IS 'Met (computed) as a percentage of total (tỷ lệ đạt chuẩn theo tính toán, %); NULL when no unit of the row was assessed under a safe-standard set, never 0% for "no data".';
COMMENT ON COLUMN antq.v_summary.recognized_pct IS 'Recognized (decided) as a percentage of total (tỷ lệ được công nhận theo quyết định, %); NULL when no unit of the row reported.';
COMMENT ON COLUMN antq.v_summary.registered_label IS 'Registered out of total as Vietnamese text (tỷ lệ đăng ký), e.g. 139/186 (74,73%); NULL when no unit of the row reported.';
COMMENT ON COLUMN antq.v_summary.met_label IS 'Met (computed) out of total as Vietnamese text (tỷ lệ đạt chuẩn theo tính toán), e.g. 139/186 (74,73%); NULL as met_pct.';
COMMENT ON COLUMN antq.v_summary.recognized_label IS 'Recognized (decided) out of total as Vietnamese text (tỷ lệ được công nhận theo quyết định), e.g. 139/186 (74,73%); NULL when no unit of the row reported.';
COMMENT ON COLUMN antq.v_summary.rating_excellent IS 'Units classified Excellent (Xuất sắc).';
COMMENT ON COLUMN antq.v_summary.rating_good IS 'Units classified Good (Khá).';
COMMENT ON COLUMN antq.v_summary.rating_average IS 'Units classified Average (Trung bình).';
COMMENT ON COLUMN antq.v_summary.rating_weak IS 'Units classified Weak (Yếu).';
COMMENT ON COLUMN antq.v_summary.model_candidates IS 'Units assessed against the model-unit criteria (số đơn vị được chấm tiêu chí điển hình), whether or not they take part in the model-unit programme; not its participants (model_participants).';
COMMENT ON COLUMN antq.v_summary.model_complete IS 'Units meeting every applicable model-unit criterion (số đơn vị đạt tiêu chí điển hình), whether or not they take part in the programme.';
COMMENT ON COLUMN antq.v_summary.model_participants IS 'Units taking part in the model-unit programme this year (số đơn vị tham gia xây dựng điển hình).';
COMMENT ON COLUMN antq.v_summary.model_participants_complete IS 'Of the participants, those meeting every model-unit criterion (số đơn vị tham gia đạt đủ tiêu chí điển hình).';
COMMENT ON COLUMN antq.v_summary.model_participants_on_track IS 'Of the participants, those on track (số đơn vị tham gia đúng tiến độ), e.g. the 23 of "23/26".';
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
COMMENT ON COLUMN antq.v_summary.area_name IS 'Name of the area as in force that year (tên địa bàn): the version of its code in force on 31 December, or the last one begun before; Việt Nam for the nation.';
COMMENT ON COLUMN antq.v_summary.unit_kind_vi IS 'Kind of the units counted, in Vietnamese (loại đơn vị), e.g. Khu dân cư.';
COMMENT ON COLUMN antq.v_summary.unit_kind_en IS 'Kind of the units counted, in English, e.g. Residential area.';
COMMENT ON COLUMN antq.v_summary.assessed IS 'Units that reported their facts for the year (số đơn vị đã đánh giá).';
COMMENT ON COLUMN antq.v_summary.not_assessed IS 'Units taking part that reported no facts (số đơn vị chưa đánh giá): not the same as not met.';
COMMENT ON COLUMN antq.v_summary.not_met IS 'Units assessed and computed not to meet the standard (số đơn vị không đạt chuẩn, theo tính toán).';
COMMENT ON COLUMN antq.v_summary.provinces_reported IS 'Nation rows: provinces with at least one unit of the kind that reported (số tỉnh đã báo cáo); NULL on other rows.';
COMMENT ON COLUMN antq.v_summary.counted_by IS 'How units are assigned to the area (cách tính): location (theo địa bàn), the area they lie in; antq.v_summary_by_authority counts communes by authority.';
COMMENT ON COLUMN antq.v_summary.reported_provinces IS 'Nation rows: the codes of those provinces, sorted and joined by commas (mã các tỉnh đã báo cáo), e.g. 08,10; empty when none; NULL on other rows.';

-- BI view: the model-unit programme per area, year and kind, "23/26 on track": the summary's
-- participant counts, with text labels; only rows with participants.
CREATE VIEW antq.v_model_programme_summary WITH (security_invoker = true) AS
SELECT s.area_level, s.area_code, s.area_name, s.province_code, s.year, s.unit_kind, s.unit_kind_vi, s.unit_kind_en,
       s.model_participants AS participants, s.model_participants_on_track AS on_track,
       s.model_participants_complete AS complete,
       pg_catalog.format('%s/%s', s.model_participants_on_track, s.model_participants) AS on_track_label,
       pg_catalog.format('%s/%s', s.model_participants_complete, s.model_participants) AS complete_label,
       pg_catalog.round(s.model_participants_on_track::numeric OPERATOR(pg_catalog.*) 100
                        OPERATOR(pg_catalog./) s.model_participants, 1) AS on_track_pct,
       s.computed_at
  FROM antq.v_summary s
 WHERE s.model_participants OPERATOR(pg_catalog.>) 0;
COMMENT ON VIEW antq.v_model_programme_summary IS
  'The model-unit programme per area, year and unit kind for BI tools (tiến độ xây dựng điển hình theo địa bàn): units taking part, on track and complete, e.g. "23/26 communes on track" for 34/34; counted over the participants only (antq.model_participation), kept by the worker in antq.summary. antq.v_model_programme lists the units.';
COMMENT ON COLUMN antq.v_model_programme_summary.area_level IS 'Level of the area (cấp địa bàn): commune, district, province or nation.';
COMMENT ON COLUMN antq.v_model_programme_summary.area_code IS 'Code of the area (mã địa bàn); VN for the nation.';
COMMENT ON COLUMN antq.v_model_programme_summary.area_name IS 'Name of the area as in force that year (tên địa bàn).';
COMMENT ON COLUMN antq.v_model_programme_summary.province_code IS 'Province of the area (mã tỉnh); NULL for the nation.';
COMMENT ON COLUMN antq.v_model_programme_summary.year IS 'Year of the programme (năm).';
COMMENT ON COLUMN antq.v_model_programme_summary.unit_kind IS 'Kind of the units taking part (loại đơn vị): commune, agency, enterprise or school.';
COMMENT ON COLUMN antq.v_model_programme_summary.unit_kind_vi IS 'Kind in Vietnamese (loại đơn vị).';
COMMENT ON COLUMN antq.v_model_programme_summary.unit_kind_en IS 'Kind in English.';
COMMENT ON COLUMN antq.v_model_programme_summary.participants IS 'Units taking part in the programme (số đơn vị tham gia), e.g. 26.';
COMMENT ON COLUMN antq.v_model_programme_summary.on_track IS 'Of them, on track (số đơn vị đúng tiến độ): assessed, no model-unit check recorded as not met; e.g. 23.';
COMMENT ON COLUMN antq.v_model_programme_summary.complete IS 'Of them, meeting every model-unit criterion (số đơn vị đạt đủ tiêu chí), e.g. 34/34 for a commune.';
COMMENT ON COLUMN antq.v_model_programme_summary.on_track_label IS 'On track out of participants as text (đúng tiến độ / tham gia), e.g. 23/26.';
COMMENT ON COLUMN antq.v_model_programme_summary.complete_label IS 'Complete out of participants as text (đạt đủ / tham gia), e.g. 5/26.';
COMMENT ON COLUMN antq.v_model_programme_summary.on_track_pct IS 'On track as a percentage of participants, one decimal (tỷ lệ đúng tiến độ, %).';
COMMENT ON COLUMN antq.v_model_programme_summary.computed_at IS 'When the summary row was computed (thời điểm tính).';

-- BI view: a commune's units counted by managing authority (theo thẩm quyền quản lý), as its
-- criterion 4 counts them: its residential areas (which lie in it) and the agencies, enterprises
-- and schools it manages, wherever they lie. antq.summary counts by location: an agency lying in
-- one commune and managed by another counts there, and here under the other. Read live from the
-- stored results (a commune's units are a few hundred at most).
CREATE VIEW antq.v_summary_by_authority AS
SELECT 'commune'::text AS area_level, c.code AS area_code, c.province_code, r.year, r.kind AS unit_kind,
       'authority'::text AS counted_by,
       count(*)::integer AS total,
       (count(*) FILTER (WHERE r.registered))::integer AS registered,
       (count(*) FILTER (WHERE r.assessed))::integer AS assessed,
       (count(*) FILTER (WHERE NOT r.assessed))::integer AS not_assessed,
       (count(*) FILTER (WHERE r.safe_met))::integer AS met,
       (count(*) FILTER (WHERE NOT r.safe_met))::integer AS not_met,
       (count(*) FILTER (WHERE r.decision_met))::integer AS recognized,
       (count(*) FILTER (WHERE coalesce(r.decision_met, r.safe_met)))::integer AS recognized_counted
  FROM antq.unit_result r
  JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) r.unit_id
  JOIN antq.unit c ON c.unit_id OPERATOR(pg_catalog.=) CASE WHEN r.kind OPERATOR(pg_catalog.=) 'residential_area' THEN u.parent_id ELSE u.managed_by END
                  AND c.kind OPERATOR(pg_catalog.=) 'commune'
 WHERE r.kind IN ('residential_area', 'agency', 'enterprise', 'school')
 GROUP BY c.code, c.province_code, r.year, r.kind;
COMMENT ON VIEW antq.v_summary_by_authority IS
  'Commune figures counted by managing authority (số liệu xã theo thẩm quyền quản lý), as a commune''s criterion 4 counts: its residential areas and the agencies, enterprises and schools it manages, wherever they lie; antq.v_summary counts by location. One row per commune code, year and unit kind.';
COMMENT ON COLUMN antq.v_summary_by_authority.area_level IS 'Level of the area (cấp địa bàn): commune.';
COMMENT ON COLUMN antq.v_summary_by_authority.area_code IS 'Code of the managing commune (mã xã quản lý).';
COMMENT ON COLUMN antq.v_summary_by_authority.province_code IS 'Province of the commune (mã tỉnh).';
COMMENT ON COLUMN antq.v_summary_by_authority.year IS 'Assessment year (năm đánh giá).';
COMMENT ON COLUMN antq.v_summary_by_authority.unit_kind IS 'Kind of the units counted (loại đơn vị): residential_area, agency, enterprise or school.';
COMMENT ON COLUMN antq.v_summary_by_authority.counted_by IS 'How units are assigned to the commune (cách tính): authority (theo thẩm quyền quản lý).';
COMMENT ON COLUMN antq.v_summary_by_authority.total IS 'Units under the commune''s authority with a result that year (tổng số đơn vị thuộc thẩm quyền).';
COMMENT ON COLUMN antq.v_summary_by_authority.registered IS 'Of them, registered (số đơn vị đăng ký).';
COMMENT ON COLUMN antq.v_summary_by_authority.assessed IS 'Of them, assessed: reported their facts (số đơn vị đã đánh giá).';
COMMENT ON COLUMN antq.v_summary_by_authority.not_assessed IS 'Of them, not assessed (số đơn vị chưa đánh giá).';
COMMENT ON COLUMN antq.v_summary_by_authority.met IS 'Of them, met (computed) (số đơn vị đạt chuẩn, theo tính toán).';
COMMENT ON COLUMN antq.v_summary_by_authority.not_met IS 'Of them, assessed and computed not to meet the standard (số đơn vị không đạt chuẩn).';
COMMENT ON COLUMN antq.v_summary_by_authority.recognized IS 'Of them, recognized (decided) (số đơn vị được công nhận, theo quyết định).';
COMMENT ON COLUMN antq.v_summary_by_authority.recognized_counted IS 'Of them, counted as recognized by the commune''s criterion 4 (số đơn vị được tính là công nhận): recognized (decided) where a decision is recorded, else met (computed).';

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

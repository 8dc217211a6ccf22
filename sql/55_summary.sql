-- Area aggregates (số liệu tổng hợp): per area (commune, district before 2025, province,
-- nation) × year × unit kind. Kept by the worker; antq.summary_computed gives the same rows
-- live. The units of an area are the unit versions in force on 31 December of the year (or,
-- once results exist, the units with a result that year): those whose parent is the commune;
-- whose parent, or parent's parent, is the district; whose province it is. A province row is
-- therefore the sum of its communes', districts' and directly attached units' parts, and the
-- nation row the sum of the province rows.

CREATE TABLE antq.summary (
    area_level       text        NOT NULL,
    area_code        text        NOT NULL,
    province_code    text,
    year             integer     NOT NULL,
    unit_kind        text        NOT NULL,
    total            integer     NOT NULL,
    registered       integer     NOT NULL,
    met              integer     NOT NULL,
    recognized       integer     NOT NULL,
    rating_excellent integer     NOT NULL,
    rating_good      integer     NOT NULL,
    rating_average   integer     NOT NULL,
    rating_weak      integer     NOT NULL,
    model_candidates integer     NOT NULL,
    model_complete   integer     NOT NULL,
    computed_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (area_level, area_code, year, unit_kind),
    CONSTRAINT summary_level_known CHECK (area_level IN ('commune', 'district', 'province', 'nation'))
);
CREATE INDEX summary_key ON antq.summary (province_code, year);

COMMENT ON TABLE antq.summary IS
  'Area aggregates (số liệu tổng hợp theo địa bàn): per commune, district (before 2025), province and nation, year and unit kind; kept fresh by the antq worker.';
COMMENT ON COLUMN antq.summary.area_level IS 'Level of the area (cấp địa bàn): commune, district, province or nation.';
COMMENT ON COLUMN antq.summary.area_code IS 'Code of the area (mã địa bàn): commune, district or province code; VN for the nation.';
COMMENT ON COLUMN antq.summary.province_code IS 'Province of the area (mã tỉnh); NULL for the nation.';
COMMENT ON COLUMN antq.summary.year IS 'Assessment year (năm đánh giá).';
COMMENT ON COLUMN antq.summary.unit_kind IS 'Kind of the units counted (loại đơn vị): residential_area, agency, enterprise, school, commune or district.';
COMMENT ON COLUMN antq.summary.total IS 'Units of that kind in the area (tổng số đơn vị).';
COMMENT ON COLUMN antq.summary.registered IS 'Units that registered for the standard (số đơn vị đăng ký).';
COMMENT ON COLUMN antq.summary.met IS 'Units meeting the "Safe on security and order" standard (số đơn vị đạt chuẩn An toàn về an ninh, trật tự).';
COMMENT ON COLUMN antq.summary.recognized IS 'Units officially recognized by decision (số đơn vị được công nhận).';
COMMENT ON COLUMN antq.summary.rating_excellent IS 'Units classified Excellent (Xuất sắc).';
COMMENT ON COLUMN antq.summary.rating_good IS 'Units classified Good (Khá).';
COMMENT ON COLUMN antq.summary.rating_average IS 'Units classified Average (Trung bình).';
COMMENT ON COLUMN antq.summary.rating_weak IS 'Units classified Weak (Yếu).';
COMMENT ON COLUMN antq.summary.model_candidates IS 'Units assessed against the model-unit criteria (số đơn vị xét điển hình).';
COMMENT ON COLUMN antq.summary.model_complete IS 'Units meeting every applicable model-unit criterion (số đơn vị đạt tiêu chí điển hình).';
COMMENT ON COLUMN antq.summary.computed_at IS 'When the row was computed (thời điểm tính).';

-- The summary rows of one province and year, computed live (commune, district, province levels).
CREATE FUNCTION antq.summary_computed(p_province_code text, p_year integer)
RETURNS SETOF antq.summary LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    units text;
BEGIN
    -- The units counted and their measures: from the results once the engine has them, else
    -- the registry alone (totals only).
    IF to_regclass('antq.unit_result') IS NULL THEN
        units := $q$
          SELECT u.unit_id, u.kind, u.parent_id, false AS registered, false AS met, false AS recognized,
                 NULL::integer AS rating, false AS model_candidate, false AS model_complete
          FROM antq.unit u
          WHERE u.province_code OPERATOR(pg_catalog.=) $1 AND u.kind OPERATOR(pg_catalog.<>) 'province'
            AND u.valid_from OPERATOR(pg_catalog.<=) pg_catalog.make_date($2, 12, 31)
            AND (u.valid_to IS NULL OR u.valid_to OPERATOR(pg_catalog.>) pg_catalog.make_date($2, 12, 31)) $q$;
    ELSE
        units := $q$
          SELECT u.unit_id, u.kind, u.parent_id, coalesce(r.registered, false) AS registered,
                 coalesce(r.safe_met, false) AS met, coalesce(r.decision_met, false) AS recognized,
                 r.rating::integer AS rating, r.model_attainment IS NOT NULL AS model_candidate,
                 coalesce(r.model_met, false) AS model_complete
          FROM antq.unit_result r JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) r.unit_id
          WHERE r.province_code OPERATOR(pg_catalog.=) $1 AND r.year OPERATOR(pg_catalog.=) $2
            AND u.kind OPERATOR(pg_catalog.<>) 'province' $q$;
    END IF;
    RETURN QUERY EXECUTE format($q$
      WITH base AS (%s),
      -- A result row may still name the province a unit has just left (its old province is
      -- queued too and recomputed in turn): it counts there, but in no commune of another province.
      placed AS (
        SELECT b.*,
               CASE WHEN p.kind OPERATOR(pg_catalog.=) 'commune' THEN p.code END AS commune_code,
               CASE WHEN $2 OPERATOR(pg_catalog.<) 2025 THEN
                    CASE WHEN p.kind OPERATOR(pg_catalog.=) 'district' THEN p.code
                         WHEN g.kind OPERATOR(pg_catalog.=) 'district' THEN g.code END END AS district_code
        FROM base b
        LEFT JOIN antq.unit p ON p.unit_id OPERATOR(pg_catalog.=) b.parent_id
                             AND p.province_code OPERATOR(pg_catalog.=) $1
        LEFT JOIN antq.unit g ON g.unit_id OPERATOR(pg_catalog.=) p.parent_id)
      SELECT lvl, code, $1, $2, kind, total, registered, met, recognized, ex, good, avg, weak, model, model_done, pg_catalog.now()
      FROM (
        SELECT CASE WHEN GROUPING(commune_code) OPERATOR(pg_catalog.=) 0 THEN 'commune'
                    WHEN GROUPING(district_code) OPERATOR(pg_catalog.=) 0 THEN 'district'
                    ELSE 'province' END AS lvl,
               coalesce(commune_code, district_code, $1) AS code, kind,
               pg_catalog.count(*)::integer AS total,
               pg_catalog.count(*) FILTER (WHERE registered)::integer AS registered,
               pg_catalog.count(*) FILTER (WHERE met)::integer AS met,
               pg_catalog.count(*) FILTER (WHERE recognized)::integer AS recognized,
               pg_catalog.count(*) FILTER (WHERE rating OPERATOR(pg_catalog.=) 4)::integer AS ex,
               pg_catalog.count(*) FILTER (WHERE rating OPERATOR(pg_catalog.=) 3)::integer AS good,
               pg_catalog.count(*) FILTER (WHERE rating OPERATOR(pg_catalog.=) 2)::integer AS avg,
               pg_catalog.count(*) FILTER (WHERE rating OPERATOR(pg_catalog.=) 1)::integer AS weak,
               pg_catalog.count(*) FILTER (WHERE model_candidate)::integer AS model,
               pg_catalog.count(*) FILTER (WHERE model_complete)::integer AS model_done,
               GROUPING(commune_code) AS gc, GROUPING(district_code) AS gd,
               commune_code, district_code
        FROM placed
        GROUP BY GROUPING SETS ((commune_code, kind), (district_code, kind), (kind))) s
      WHERE (gc OPERATOR(pg_catalog.=) 0 AND commune_code IS NOT NULL)
         OR (gd OPERATOR(pg_catalog.=) 0 AND district_code IS NOT NULL)
         OR (gc OPERATOR(pg_catalog.=) 1 AND gd OPERATOR(pg_catalog.=) 1) $q$, units)
    USING p_province_code, p_year;
END
$$;
COMMENT ON FUNCTION antq.summary_computed(text, integer) IS
  'Summary rows of one province and year computed live (tính trực tiếp số liệu tổng hợp): commune, district and province levels.';

-- The nation rows of one year: the sum of the stored province rows.
CREATE FUNCTION antq.summary_nation(p_year integer)
RETURNS SETOF antq.summary LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT 'nation', 'VN', NULL::text, p_year, s.unit_kind,
         sum(s.total)::integer, sum(s.registered)::integer, sum(s.met)::integer, sum(s.recognized)::integer,
         sum(s.rating_excellent)::integer, sum(s.rating_good)::integer, sum(s.rating_average)::integer,
         sum(s.rating_weak)::integer, sum(s.model_candidates)::integer, sum(s.model_complete)::integer, now()
  FROM antq.summary s
  WHERE s.area_level OPERATOR(pg_catalog.=) 'province' AND s.year OPERATOR(pg_catalog.=) p_year
  GROUP BY s.unit_kind
$$;
COMMENT ON FUNCTION antq.summary_nation(integer) IS
  'Nation rows of one year (số liệu toàn quốc): the sum of the stored province rows.';

-- BI view: plain types, percentages as numeric.
CREATE VIEW antq.v_summary AS
SELECT s.area_level, s.area_code, s.province_code, s.year, s.unit_kind,
       s.total, s.registered, s.met, s.recognized,
       CASE WHEN s.total OPERATOR(pg_catalog.>) 0
            THEN pg_catalog.round(100.0 OPERATOR(pg_catalog.*) s.registered OPERATOR(pg_catalog./) s.total, 1) END AS registered_pct,
       CASE WHEN s.total OPERATOR(pg_catalog.>) 0
            THEN pg_catalog.round(100.0 OPERATOR(pg_catalog.*) s.met OPERATOR(pg_catalog./) s.total, 1) END AS met_pct,
       CASE WHEN s.total OPERATOR(pg_catalog.>) 0
            THEN pg_catalog.round(100.0 OPERATOR(pg_catalog.*) s.recognized OPERATOR(pg_catalog./) s.total, 1) END AS recognized_pct,
       s.rating_excellent, s.rating_good, s.rating_average, s.rating_weak, s.model_candidates, s.model_complete, s.computed_at
FROM antq.summary s;
COMMENT ON VIEW antq.v_summary IS 'Area aggregates for BI tools (số liệu tổng hợp cho báo cáo): plain integers, numeric percentages.';
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
COMMENT ON COLUMN antq.v_summary.rating_excellent IS 'Units classified Excellent (Xuất sắc).';
COMMENT ON COLUMN antq.v_summary.rating_good IS 'Units classified Good (Khá).';
COMMENT ON COLUMN antq.v_summary.rating_average IS 'Units classified Average (Trung bình).';
COMMENT ON COLUMN antq.v_summary.rating_weak IS 'Units classified Weak (Yếu).';
COMMENT ON COLUMN antq.v_summary.model_candidates IS 'Units assessed against the model-unit criteria (số đơn vị xét điển hình).';
COMMENT ON COLUMN antq.v_summary.model_complete IS 'Units meeting every applicable model-unit criterion (số đơn vị đạt tiêu chí điển hình).';
COMMENT ON COLUMN antq.v_summary.computed_at IS 'When the row was computed (thời điểm tính).';

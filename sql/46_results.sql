-- Results per unit and year (kết quả đánh giá): the table the worker keeps, the same computed
-- live, the function that recomputes one province-year, a per-unit explanation and the view
-- BI tools read. Order matters: residential areas, agencies, enterprises and schools are
-- evaluated first; communes then read their units' results for criterion 4.

CREATE TABLE antq.unit_result (
    unit_id          bigint  NOT NULL,
    year             integer NOT NULL,
    kind             text    NOT NULL,
    code             text    NOT NULL,
    name             text    NOT NULL,
    province_code    text    NOT NULL,
    registered       boolean NOT NULL,
    safe_attainment  antq.attainment,
    safe_met         boolean,
    score            numeric,
    rating           antq.rating,
    model_attainment antq.attainment,
    model_met        boolean,
    unit_counts      integer[],
    decision_met     boolean,
    decision_rating  antq.rating,
    disagrees        boolean NOT NULL,
    -- What the unit adds to the area summaries (antq.summary), kept here so that a change to a
    -- few units updates the summaries by difference instead of re-reading the province.
    commune_code           text,
    district_code          text,
    incidents              integer NOT NULL,
    incidents_by_kind      jsonb   NOT NULL,
    tipoffs                integer,
    outreach_target        integer,
    outreach_reached       integer,
    crime_reports_received integer,
    crime_reports_handled  integer,
    traffic_accidents      integer,
    traffic_deaths         integer,
    traffic_injuries       integer,
    computed_at      timestamptz NOT NULL,
    PRIMARY KEY (unit_id, year)
);
CREATE INDEX unit_result_province_year ON antq.unit_result (province_code, year);
COMMENT ON TABLE antq.unit_result IS
  'Result per unit version and year (kết quả đánh giá đơn vị): safe standard, classification, model-unit progress and the official decisions, kept by antq.compute_results (and the worker).';
COMMENT ON COLUMN antq.unit_result.unit_id IS 'Version of the unit (đơn vị), antq.unit.unit_id.';
COMMENT ON COLUMN antq.unit_result.year IS 'Year assessed (năm đánh giá).';
COMMENT ON COLUMN antq.unit_result.kind IS 'Unit kind (loại đơn vị).';
COMMENT ON COLUMN antq.unit_result.code IS 'Permanent code of the unit (mã đơn vị).';
COMMENT ON COLUMN antq.unit_result.name IS 'Name of the unit (tên đơn vị).';
COMMENT ON COLUMN antq.unit_result.province_code IS 'Code of its province (mã tỉnh).';
COMMENT ON COLUMN antq.unit_result.registered IS 'Registered for the movement this year (đã đăng ký): its assessment has a registration date.';
COMMENT ON COLUMN antq.unit_result.safe_attainment IS 'Each safe-standard criterion met, not met or not applicable (kết quả từng tiêu chí an toàn); NULL when no criteria apply.';
COMMENT ON COLUMN antq.unit_result.safe_met IS 'Meets the "Safe on security and order" standard as computed (đạt chuẩn an toàn về an ninh, trật tự): every applicable criterion met.';
COMMENT ON COLUMN antq.unit_result.score IS 'Total points of the classification sheet (tổng điểm chấm).';
COMMENT ON COLUMN antq.unit_result.rating IS 'Classification of the movement after bands and the cap (xếp loại phong trào).';
COMMENT ON COLUMN antq.unit_result.model_attainment IS 'Each model-unit criterion met or not (kết quả tiêu chí điển hình); NULL when the kind has no model set that year.';
COMMENT ON COLUMN antq.unit_result.model_met IS 'Meets every model-unit criterion (đạt điển hình).';
COMMENT ON COLUMN antq.unit_result.unit_counts IS
  'Communes: units under its authority per kind (residential_area, agency, enterprise, school), each as total, registered, recognized (số đơn vị thuộc thẩm quyền): 12 integers.';
COMMENT ON COLUMN antq.unit_result.decision_met IS 'Official recognition as safe, when decided (quyết định công nhận).';
COMMENT ON COLUMN antq.unit_result.decision_rating IS 'Official classification, when decided (quyết định xếp loại).';
COMMENT ON COLUMN antq.unit_result.disagrees IS 'The decision differs from the computed result (quyết định khác kết quả tính toán): recognition vs safe_met, or decided vs computed rating.';
COMMENT ON COLUMN antq.unit_result.commune_code IS
  'Commune the unit lies in (xã, phường, đặc khu nơi đơn vị trực thuộc), where it counts in the commune summary; NULL for a unit lying directly in a district or province, and for communes and districts.';
COMMENT ON COLUMN antq.unit_result.district_code IS
  'District the unit or its commune lies in (huyện trực thuộc), before the 2025 reform; NULL from 2025 and outside districts.';
COMMENT ON COLUMN antq.unit_result.incidents IS
  'Incidents recorded against this unit version in its assessment window (số vụ việc), as counted in the summaries: its own, not its predecessors'' nor its units''.';
COMMENT ON COLUMN antq.unit_result.incidents_by_kind IS 'The same incidents by kind (số vụ việc theo loại) as a JSON object {kind: count}; {} when none.';
COMMENT ON COLUMN antq.unit_result.tipoffs IS 'Tip-offs from residents this year (tin báo của quần chúng), from the assessment; NULL when not recorded.';
COMMENT ON COLUMN antq.unit_result.outreach_target IS 'People the outreach should reach (đối tượng cần tuyên truyền), from the assessment.';
COMMENT ON COLUMN antq.unit_result.outreach_reached IS 'People the outreach reached (số được tuyên truyền), from the assessment.';
COMMENT ON COLUMN antq.unit_result.crime_reports_received IS 'Crime reports and denunciations received (tin báo, tố giác tội phạm tiếp nhận), from the assessment.';
COMMENT ON COLUMN antq.unit_result.crime_reports_handled IS 'Crime reports handled (tin báo, tố giác đã giải quyết), from the assessment.';
COMMENT ON COLUMN antq.unit_result.traffic_accidents IS 'Traffic accidents (số vụ tai nạn giao thông), from the assessment.';
COMMENT ON COLUMN antq.unit_result.traffic_deaths IS 'Traffic deaths (số người chết do tai nạn giao thông), from the assessment.';
COMMENT ON COLUMN antq.unit_result.traffic_injuries IS 'Traffic injuries (số người bị thương do tai nạn giao thông), from the assessment.';
COMMENT ON COLUMN antq.unit_result.computed_at IS 'When the result was last computed and stored (thời điểm tính); a recompute of the whole province that finds the same result leaves the row, and this time, as it was.';

-- The results of a province-year (NULL: the nation), or of the listed units, computed live.
CREATE FUNCTION antq.results_computed(p_province_code text, p_year integer, p_unit_ids bigint[] DEFAULT NULL,
                                      p_stored_counts boolean DEFAULT false)
RETURNS SETOF antq.unit_result
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
SET plan_cache_mode = force_generic_plan
AS $f$
BEGIN
  -- PL/pgSQL rather than SQL so that one generic plan of this query is kept between calls
  -- (the worker calls it for a few units many times a second).
  RETURN QUERY
  WITH inputs AS MATERIALIZED (
      SELECT * FROM antq.unit_inputs(p_province_code, p_year, p_unit_ids)
  ),
  -- What a commune's criterion 4 reads: its units' registrations and recognitions. A unit's
  -- own evaluation takes no counts, so it is evaluated here for the recognition and again in
  -- the pass below: cheaper than keeping every unit's wide input row a second time. With
  -- p_stored_counts, the units of a listed commune that are not listed themselves count as
  -- their stored results say, so that a commune can be recomputed with a few changed units
  -- instead of all its hundreds (antq.recompute_units).
  counts AS (
      SELECT x.commune_id, ARRAY[
               count(*) FILTER (WHERE x.kind = 'residential_area'),
               count(*) FILTER (WHERE x.kind = 'residential_area' AND x.registered),
               count(*) FILTER (WHERE x.kind = 'residential_area' AND x.recognized),
               count(*) FILTER (WHERE x.kind = 'agency'),
               count(*) FILTER (WHERE x.kind = 'agency' AND x.registered),
               count(*) FILTER (WHERE x.kind = 'agency' AND x.recognized),
               count(*) FILTER (WHERE x.kind = 'enterprise'),
               count(*) FILTER (WHERE x.kind = 'enterprise' AND x.registered),
               count(*) FILTER (WHERE x.kind = 'enterprise' AND x.recognized),
               count(*) FILTER (WHERE x.kind = 'school'),
               count(*) FILTER (WHERE x.kind = 'school' AND x.registered),
               count(*) FILTER (WHERE x.kind = 'school' AND x.recognized)]::integer[] AS unit_counts
        FROM (SELECT CASE WHEN i.kind = 'residential_area' THEN i.parent_id ELSE i.managed_by END AS commune_id, i.kind,
                     (i.facts).registered_on IS NOT NULL AS registered,
                     coalesce(i.decision_met,
                              antq.complete(antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents))) AS recognized
                FROM inputs i WHERE i.kind IN ('residential_area', 'agency', 'enterprise', 'school')
              UNION ALL
              SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met)
                FROM inputs c
                JOIN antq.unit u ON (u.parent_id = c.unit_id AND u.kind = 'residential_area')
                                 OR (u.managed_by = c.unit_id AND u.kind IN ('agency', 'enterprise', 'school'))
                JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = p_year AND r.province_code = p_province_code
               WHERE p_stored_counts AND c.kind = 'commune'
                 AND NOT EXISTS (SELECT FROM inputs i WHERE i.unit_id = u.unit_id)) x
       WHERE x.commune_id IS NOT NULL
       GROUP BY x.commune_id
  ),
  -- Every unit in one pass: communes with their counts, the others (and districts, scored
  -- only) without.
  counted AS (
      SELECT i.*, CASE WHEN i.kind = 'commune' THEN coalesce(c.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[]) END AS unit_counts
        FROM inputs i LEFT JOIN counts c ON c.commune_id = i.unit_id AND i.kind = 'commune'
  ),
  -- OFFSET 0 keeps each evaluation a column computed once per row: without it the planner
  -- would copy the call into every place that reads the column.
  evaluated AS (
      SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
        FROM (SELECT u.*,
                     antq.evaluate('safe', u.kind, u.sub_kind, u.province_code, u.year, u.facts, u.prev, u.incidents,
                                   u.unit_counts) AS safe_att,
                     antq.evaluate('model', u.kind, u.sub_kind, u.province_code, u.year, u.facts, NULL, NULL, NULL,
                                   u.checks_met, u.checks_recorded) AS model_att
                FROM counted u OFFSET 0) r
      OFFSET 0
  ),
  classified AS (
      SELECT e.*, antq.classify(e.kind, e.province_code, e.year, e.score, e.safe_met) AS rating
        FROM evaluated e
      OFFSET 0
  )
  SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL,
         c.safe_att, c.safe_met, c.score, c.rating, c.model_att, c.model_met, c.unit_counts,
         c.decision_met, c.decision_rating,
         coalesce((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                  OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer), false),
         c.commune_code, c.district_code,
         -- Own incidents only (the array also holds predecessors' and, for a commune, its units').
         CASE WHEN c.incidents IS NULL THEN 0
              ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x WHERE x.unit_id = c.unit_id) END,
         CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
              ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                      FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                             WHERE x.unit_id = c.unit_id GROUP BY x.kind) k) END,
         (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
         (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
         (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
         now()
    FROM classified c
  ;
END
$f$;
COMMENT ON FUNCTION antq.results_computed(text, integer, bigint[], boolean) IS
  'Results of a province-year (NULL: the nation), or of the listed units, computed live (tính kết quả): units first, then communes from their units'' results (with p_stored_counts, units of a listed commune that are not listed count as stored in antq.unit_result); rows shaped as antq.unit_result.';

CREATE VIEW antq.unit_result_computed AS
SELECT r.*
  FROM (SELECT DISTINCT a.year FROM antq.assessment a) y
 CROSS JOIN LATERAL antq.results_computed(NULL, y.year) r;
COMMENT ON VIEW antq.unit_result_computed IS
  'Results computed live for every year that has assessments (kết quả tính trực tiếp), same columns as antq.unit_result; for one province-year call antq.results_computed(province_code, year), which is faster.';
-- Its columns mean what the stored table's columns mean: give them the same comments.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS description
                 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) 'antq.unit_result'::pg_catalog.regclass
                  AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN antq.unit_result_computed.%I IS %L', col.attname, col.description);
    END LOOP;
END
$$;

CREATE FUNCTION antq.compute_results(p_province_code text, p_year integer)
RETURNS bigint LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    written bigint;
BEGIN
    -- One recompute of a province-year at a time, under the same locks as the worker's
    -- (antq.lock_keys, sql/60_worker.sql; the nation takes every province's): others wait
    -- rather than interleave.
    PERFORM antq.lock_keys(ARRAY[coalesce(p_province_code, '*')], ARRAY[p_year]);
    WITH fresh AS MATERIALIZED (
        SELECT * FROM antq.results_computed(p_province_code, p_year)
    ), gone AS (
        DELETE FROM antq.unit_result r
         WHERE (p_province_code IS NULL OR r.province_code = p_province_code) AND r.year = p_year
           AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.unit_id = r.unit_id)
    )
    INSERT INTO antq.unit_result SELECT * FROM fresh
        ON CONFLICT (unit_id, year) DO UPDATE
       SET kind = EXCLUDED.kind, code = EXCLUDED.code, name = EXCLUDED.name, province_code = EXCLUDED.province_code,
           registered = EXCLUDED.registered, safe_attainment = EXCLUDED.safe_attainment, safe_met = EXCLUDED.safe_met,
           score = EXCLUDED.score, rating = EXCLUDED.rating, model_attainment = EXCLUDED.model_attainment,
           model_met = EXCLUDED.model_met, unit_counts = EXCLUDED.unit_counts, decision_met = EXCLUDED.decision_met,
           decision_rating = EXCLUDED.decision_rating, disagrees = EXCLUDED.disagrees,
           commune_code = EXCLUDED.commune_code, district_code = EXCLUDED.district_code, incidents = EXCLUDED.incidents,
           incidents_by_kind = EXCLUDED.incidents_by_kind, tipoffs = EXCLUDED.tipoffs,
           outreach_target = EXCLUDED.outreach_target, outreach_reached = EXCLUDED.outreach_reached,
           crime_reports_received = EXCLUDED.crime_reports_received, crime_reports_handled = EXCLUDED.crime_reports_handled,
           traffic_accidents = EXCLUDED.traffic_accidents, traffic_deaths = EXCLUDED.traffic_deaths,
           traffic_injuries = EXCLUDED.traffic_injuries, computed_at = EXCLUDED.computed_at
     -- A result that comes out the same is left as it is: a recompute after a change to the
     -- registry or the rules rewrites only what changed. (The antq types compare as text here:
     -- their = operators are not on this function's search_path.)
     WHERE (unit_result.kind, unit_result.code, unit_result.name, unit_result.province_code, unit_result.registered,
            unit_result.safe_attainment::text, unit_result.safe_met, unit_result.score, unit_result.rating::text,
            unit_result.model_attainment::text, unit_result.model_met, unit_result.unit_counts, unit_result.decision_met,
            unit_result.decision_rating::text, unit_result.disagrees, unit_result.commune_code, unit_result.district_code,
            unit_result.incidents, unit_result.incidents_by_kind, unit_result.tipoffs, unit_result.outreach_target,
            unit_result.outreach_reached, unit_result.crime_reports_received, unit_result.crime_reports_handled,
            unit_result.traffic_accidents, unit_result.traffic_deaths, unit_result.traffic_injuries)
           IS DISTINCT FROM
           (EXCLUDED.kind, EXCLUDED.code, EXCLUDED.name, EXCLUDED.province_code, EXCLUDED.registered,
            EXCLUDED.safe_attainment::text, EXCLUDED.safe_met, EXCLUDED.score, EXCLUDED.rating::text,
            EXCLUDED.model_attainment::text, EXCLUDED.model_met, EXCLUDED.unit_counts, EXCLUDED.decision_met,
            EXCLUDED.decision_rating::text, EXCLUDED.disagrees, EXCLUDED.commune_code, EXCLUDED.district_code,
            EXCLUDED.incidents, EXCLUDED.incidents_by_kind, EXCLUDED.tipoffs, EXCLUDED.outreach_target,
            EXCLUDED.outreach_reached, EXCLUDED.crime_reports_received, EXCLUDED.crime_reports_handled,
            EXCLUDED.traffic_accidents, EXCLUDED.traffic_deaths, EXCLUDED.traffic_injuries);
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
COMMENT ON FUNCTION antq.compute_results(text, integer) IS
  'Recompute the results of one province (NULL: the nation, in one pass) and year (tính lại kết quả tỉnh, năm) into antq.unit_result in one transaction: units first, then communes; rows of units no longer taking part are removed. Returns the rows written (new or changed).';
REVOKE EXECUTE ON FUNCTION antq.compute_results(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION antq.compute_results(text, integer) TO antq_writer;

CREATE FUNCTION antq.explain_unit(p_unit_id bigint, p_year integer, p_standard text DEFAULT 'safe')
RETURNS TABLE (criterion_pos integer, set_id text, criterion_no integer, state text, reason text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
  WITH u AS (SELECT * FROM antq.unit WHERE unit_id = p_unit_id),
       related AS (SELECT u.unit_id FROM u
                   UNION SELECT m.unit_id FROM antq.unit m, u
                          WHERE u.kind = 'commune' AND (m.parent_id = u.unit_id OR m.managed_by = u.unit_id)),
       ids AS (SELECT array_agg(unit_id) AS ids FROM related),
       r AS (SELECT c.unit_counts FROM u, ids, antq.results_computed(u.province_code, p_year, ids.ids) c WHERE c.unit_id = p_unit_id),
       i AS (SELECT x.* FROM u, antq.unit_inputs(u.province_code, p_year, ARRAY[p_unit_id]) x)
  SELECT e.* FROM i LEFT JOIN r ON true,
         antq.explain(p_standard, i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                      r.unit_counts, i.checks_met, i.checks_recorded) e
$$;
COMMENT ON FUNCTION antq.explain_unit(bigint, integer, text) IS
  'Why a unit meets a standard or not in a year (giải thích kết quả đơn vị): one row per criterion with met / not met / not applicable and a reason, e.g. "4b: serious crime on 2024-03-02, not force majeure, not handled promptly".';

CREATE VIEW antq.v_unit_result AS
SELECT r.unit_id, r.year, r.kind, r.code, r.name, r.province_code, r.registered, r.safe_met,
       antq.met_count(r.safe_attainment) AS safe_criteria_met,
       antq.applicable_count(r.safe_attainment) AS safe_criteria_applicable,
       r.score, r.rating::text AS rating, r.rating::integer AS rating_level,
       antq.met_count(r.model_attainment) AS model_criteria_met,
       antq.criteria_count(r.model_attainment) AS model_criteria_total,
       r.model_met, r.decision_met, r.decision_rating::text AS decision_rating, r.disagrees, r.computed_at
  FROM antq.unit_result r;
COMMENT ON VIEW antq.v_unit_result IS 'Results per unit and year with plain SQL types for BI tools (kết quả đánh giá đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.unit_id IS 'Version of the unit (đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.year IS 'Year assessed (năm đánh giá).';
COMMENT ON COLUMN antq.v_unit_result.kind IS 'Unit kind (loại đơn vị): residential_area, commune, agency, enterprise, school, district.';
COMMENT ON COLUMN antq.v_unit_result.code IS 'Permanent code (mã đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.name IS 'Name (tên đơn vị).';
COMMENT ON COLUMN antq.v_unit_result.province_code IS 'Province code (mã tỉnh).';
COMMENT ON COLUMN antq.v_unit_result.registered IS 'Registered for the movement (đã đăng ký).';
COMMENT ON COLUMN antq.v_unit_result.safe_met IS 'Meets the safe standard as computed (đạt chuẩn an toàn về an ninh, trật tự).';
COMMENT ON COLUMN antq.v_unit_result.safe_criteria_met IS 'Safe-standard criteria met (số tiêu chí đạt).';
COMMENT ON COLUMN antq.v_unit_result.safe_criteria_applicable IS 'Safe-standard criteria that apply (số tiêu chí áp dụng).';
COMMENT ON COLUMN antq.v_unit_result.score IS 'Total classification points (tổng điểm).';
COMMENT ON COLUMN antq.v_unit_result.rating IS 'Classification label (xếp loại) in the session''s antq.rating_style: Xuất sắc, Khá, Trung bình, Yếu.';
COMMENT ON COLUMN antq.v_unit_result.rating_level IS 'Classification as a number (mức xếp loại): 1 Yếu, 2 Trung bình, 3 Khá, 4 Xuất sắc.';
COMMENT ON COLUMN antq.v_unit_result.model_criteria_met IS 'Model-unit criteria met (số tiêu chí điển hình đạt), e.g. 28 of 34.';
COMMENT ON COLUMN antq.v_unit_result.model_criteria_total IS 'Model-unit criteria in the set (tổng số tiêu chí điển hình).';
COMMENT ON COLUMN antq.v_unit_result.model_met IS 'Meets every model-unit criterion (đạt điển hình).';
COMMENT ON COLUMN antq.v_unit_result.decision_met IS 'Officially recognized as safe (được công nhận), when decided.';
COMMENT ON COLUMN antq.v_unit_result.decision_rating IS 'Official classification label (xếp loại theo quyết định), when decided.';
COMMENT ON COLUMN antq.v_unit_result.disagrees IS 'The decision differs from the computed result (quyết định khác kết quả tính toán).';
COMMENT ON COLUMN antq.v_unit_result.computed_at IS 'When the result was computed (thời điểm tính).';

GRANT INSERT, UPDATE, DELETE ON antq.unit_result TO antq_writer;

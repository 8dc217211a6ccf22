-- The criteria engine (bộ máy đánh giá): C functions that evaluate one unit-year from facts passed
-- in as arguments, and the set-based query that gathers those facts for a whole province (or
-- the nation) in one pass: the assessment row, the previous year's rows (the unit's own, else
-- its lineage predecessors', summed by the engine), the incidents in the unit kind's window,
-- the model checks, the score and the decisions.

CREATE FUNCTION antq.evaluate(p_standard text, p_kind text, p_sub_kind text, p_province_code text, p_year integer,
                              p_facts antq.assessment, p_prev antq.assessment[] DEFAULT NULL,
                              p_incidents antq.incident[] DEFAULT NULL, p_unit_counts integer[] DEFAULT NULL,
                              p_checks_met integer[] DEFAULT NULL, p_checks_recorded integer[] DEFAULT NULL)
RETURNS antq.attainment AS 'MODULE_PATHNAME', 'antq_evaluate' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.evaluate(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Evaluate a unit-year against the criteria (đánh giá tiêu chí) of a standard (safe or model) for its kind, province and year: national criteria first, then the province''s own. Facts: the assessment row, the previous year''s rows (summed), the incidents in the window, the counts of units under a commune''s authority (per kind residential_area, agency, enterprise, school: total, registered, recognized), the model checks met and recorded. NULL when no criteria apply.';

CREATE FUNCTION antq.explain(p_standard text, p_kind text, p_sub_kind text, p_province_code text, p_year integer,
                             p_facts antq.assessment, p_prev antq.assessment[] DEFAULT NULL,
                             p_incidents antq.incident[] DEFAULT NULL, p_unit_counts integer[] DEFAULT NULL,
                             p_checks_met integer[] DEFAULT NULL, p_checks_recorded integer[] DEFAULT NULL)
RETURNS TABLE (criterion_pos integer, set_id text, criterion_no integer, state text, reason text)
AS 'MODULE_PATHNAME', 'antq_explain' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.explain(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Explain an evaluation (giải thích kết quả): one row per criterion with met / not met / not applicable and the reason, e.g. "4b: serious crime on 2024-03-02, not force majeure, not handled promptly". Same arguments as antq.evaluate.';

CREATE FUNCTION antq.classify(p_kind text, p_province_code text, p_year integer, p_score numeric, p_safe_met boolean)
RETURNS antq.rating AS 'MODULE_PATHNAME', 'antq_classify' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.classify(text, text, integer, numeric, boolean) IS
  'Classify a movement (xếp loại phong trào): the rating for a total score by the bands of the sheet for the kind, province and year (the province''s own sheet first), capped by the sheet''s cap_unmet when the safe standard is not met. NULL without a sheet or score.';

-- The natural query classify(..., complete(evaluate(...))) planned as one C call: a planner
-- support function (engine_support.c) puts antq.evaluate_complete in place of
-- complete(evaluate(...)), which stops at the first condition not met and builds no attainment,
-- and antq.classify_evaluated in place of classify(..., evaluate_complete(...)). Users write the
-- nested calls; these two are what EXPLAIN VERBOSE shows.
CREATE FUNCTION antq.evaluate_complete(p_standard text, p_kind text, p_sub_kind text, p_province_code text, p_year integer,
                                       p_facts antq.assessment, p_prev antq.assessment[], p_incidents antq.incident[],
                                       p_unit_counts integer[], p_checks_met integer[], p_checks_recorded integer[])
RETURNS boolean AS 'MODULE_PATHNAME', 'antq_evaluate_complete' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.evaluate_complete(text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Whether a unit-year meets every applicable criterion (đạt đủ tiêu chí), i.e. antq.complete(antq.evaluate(...)) with the same arguments, in one call: NULL when no criteria apply. Internal: the planner uses it in place of the nested calls, which is what to write.';

CREATE FUNCTION antq.classify_evaluated(p_kind text, p_province_code text, p_year integer, p_score numeric,
                                        p_standard text, p_eval_kind text, p_sub_kind text, p_eval_province_code text, p_eval_year integer,
                                        p_facts antq.assessment, p_prev antq.assessment[], p_incidents antq.incident[],
                                        p_unit_counts integer[], p_checks_met integer[], p_checks_recorded integer[])
RETURNS antq.rating AS 'MODULE_PATHNAME', 'antq_classify_evaluated' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION antq.classify_evaluated(text, text, integer, numeric, text, text, text, text, integer, antq.assessment, antq.assessment[], antq.incident[], integer[], integer[], integer[]) IS
  'Classify a movement (xếp loại phong trào) after evaluating the unit-year, i.e. antq.classify(kind, province, year, score, antq.complete(antq.evaluate(standard, ...))) in one call. Internal: the planner uses it in place of the nested calls, which is what to write.';

CREATE FUNCTION antq.engine_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'antq_engine_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION antq.engine_support(internal) IS
  'Planner support (hỗ trợ lập kế hoạch) of antq.complete and antq.classify: plans complete(evaluate(...)) as antq.evaluate_complete(...) and classify(..., evaluate_complete(...)) as antq.classify_evaluated(...).';
ALTER FUNCTION antq.complete(antq.attainment) SUPPORT antq.engine_support;
ALTER FUNCTION antq.classify(text, text, integer, numeric, boolean) SUPPORT antq.engine_support;

CREATE FUNCTION antq.window_start(p_kind text, p_year integer)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.make_date(p_year OPERATOR(pg_catalog.-) 1, 11,
                                  CASE WHEN p_kind OPERATOR(pg_catalog.=) 'residential_area' THEN 1 ELSE 16 END) $$;
COMMENT ON FUNCTION antq.window_start(text, integer) IS
  'First day of the assessment window of year Y (kỳ đánh giá): 1 Nov (Y-1) for residential areas, 16 Nov (Y-1) for all others.';

CREATE FUNCTION antq.window_end(p_kind text, p_year integer)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.make_date(p_year, CASE WHEN p_kind OPERATOR(pg_catalog.=) 'residential_area' THEN 10 ELSE 11 END,
                                  CASE WHEN p_kind OPERATOR(pg_catalog.=) 'residential_area' THEN 31 ELSE 15 END) $$;
COMMENT ON FUNCTION antq.window_end(text, integer) IS
  'Last day (included) of the assessment window of year Y (kỳ đánh giá): 31 Oct (Y) for residential areas, 15 Nov (Y) for all others. A unit version takes part in year Y when it is in force on this day.';

-- The facts of every unit-year of a province (NULL: the nation), or of the listed units only.
-- One query, run two ways. For a province or the nation, through EXECUTE, so that each call is
-- planned for its scope (hash joins over the whole tables). For a list of units (the worker,
-- many times a second), as static SQL with one generic plan of index lookups kept between
-- calls: planning the query costs more than running it for a few units. The DO block below
-- builds the function from the one query text, which differs between the two only in how the
-- units are chosen (%s).
--
-- JIT is off here and in the other recompute functions: their row estimates (CTEs,
-- set-returning functions) run high, and compiling a plan took seconds where running it takes
-- milliseconds. The joins are written in the order they should run (units first, then what
-- hangs off them) and the planner keeps it (join_collapse_limit = 1): letting it permute the
-- eight joins tripled the planning time.
DO $do$
DECLARE
    q constant text := $q$
  WITH RECURSIVE units AS MATERIALIZED (
      SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
             antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
             -- Where the unit counts in area summaries: the commune it lies in, and before the
             -- 2025 reform the district it (or its commune) lies in, within its own province.
             CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
             CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                           WHEN g.kind = 'district' THEN g.code END END AS district_code
        FROM antq.unit u
        LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
        LEFT JOIN antq.unit g ON g.unit_id = p.parent_id
       WHERE %s
         AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
         AND u.valid_from <= antq.window_end(u.kind, $2)
         AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
  ),
  -- Lineage, walked only from the units that have predecessors (most have none): every
  -- version each unit grew out of, at depth 1 to 32.
  anc (unit_id, ancestor_id, depth) AS (
      SELECT l.successor_id, l.predecessor_id, 1
        FROM antq.unit_lineage l JOIN units s ON s.unit_id = l.successor_id
      UNION ALL
      SELECT a.unit_id, l.predecessor_id, a.depth + 1
        FROM anc a JOIN antq.unit_lineage l ON l.successor_id = a.ancestor_id
       WHERE a.depth < 32
  ),
  -- Previous year: the version's own assessment (joined below), else its predecessors'
  -- (recursively, down to the first that has one); only units without their own are walked.
  walk (unit_id, source_id, depth) AS (
      SELECT l.successor_id, l.predecessor_id, 1
        FROM antq.unit_lineage l JOIN units s ON s.unit_id = l.successor_id
       WHERE NOT EXISTS (SELECT 1 FROM antq.assessment a WHERE a.unit_id = l.successor_id AND a.year = $2 - 1)
      UNION ALL
      SELECT w.unit_id, l.predecessor_id, w.depth + 1
        FROM walk w JOIN antq.unit_lineage l ON l.successor_id = w.source_id
       WHERE w.depth < 32
         AND NOT EXISTS (SELECT 1 FROM antq.assessment a WHERE a.unit_id = w.source_id AND a.year = $2 - 1)
  ),
  prev_lineage AS (
      SELECT w.unit_id, array_agg(a ORDER BY a.unit_id) AS rows
        FROM (SELECT DISTINCT w0.unit_id, w0.source_id FROM walk w0) w
        JOIN antq.assessment a ON a.unit_id = w.source_id AND a.year = $2 - 1
       GROUP BY w.unit_id
  ),
  -- Whose events each incident in the window is: the unit's own, its predecessors', and for a
  -- commune those of every unit lying in it or in its predecessors. UNION: an incident counts
  -- once per unit.
  inc_pairs AS (
      SELECT s.unit_id, i.incident_id
        FROM units s JOIN antq.incident i ON i.unit_id = s.unit_id AND i.occurred_on BETWEEN s.ws AND s.we
      UNION
      SELECT s.unit_id, i.incident_id
        FROM anc a JOIN units s ON s.unit_id = a.unit_id
        JOIN antq.incident i ON i.unit_id = a.ancestor_id AND i.occurred_on BETWEEN s.ws AND s.we
      UNION
      SELECT s.unit_id, i.incident_id
        FROM units s JOIN antq.unit c ON c.parent_id = s.unit_id
        JOIN antq.incident i ON i.unit_id = c.unit_id AND i.occurred_on BETWEEN s.ws AND s.we
       WHERE s.kind = 'commune'
      UNION
      SELECT s.unit_id, i.incident_id
        FROM anc a JOIN units s ON s.unit_id = a.unit_id AND s.kind = 'commune'
        JOIN antq.unit c ON c.parent_id = a.ancestor_id
        JOIN antq.incident i ON i.unit_id = c.unit_id AND i.occurred_on BETWEEN s.ws AND s.we
  ),
  inc AS (
      SELECT p.unit_id, array_agg(i ORDER BY i.occurred_on, i.incident_id) AS rows
        FROM inc_pairs p JOIN antq.incident i ON i.incident_id = p.incident_id
       GROUP BY p.unit_id
  ),
  checks AS (
      SELECT m.unit_id, array_agg(m.criterion_no) FILTER (WHERE m.met) AS met, array_agg(m.criterion_no) AS recorded
        FROM antq.model_check m JOIN units s ON s.unit_id = m.unit_id
       WHERE m.year = $2
       GROUP BY m.unit_id
  ),
  scores AS (
      SELECT sc.unit_id, sum(sc.points) AS total
        FROM antq.score sc JOIN units s ON s.unit_id = sc.unit_id
       WHERE sc.year = $2
       GROUP BY sc.unit_id
  ),
  decisions AS (
      SELECT d.unit_id, bool_or(d.met) FILTER (WHERE d.kind = 'recognition') AS met,
             max(d.rating::integer) FILTER (WHERE d.kind = 'classification') AS rating
        FROM antq.decision d JOIN units s ON s.unit_id = d.unit_id
       WHERE d.year = $2
       GROUP BY d.unit_id
  )
  SELECT s.unit_id, s.kind, s.sub_kind, s.code, s.name, s.province_code, $2, s.parent_id, s.managed_by,
         a, CASE WHEN pa.unit_id IS NOT NULL THEN ARRAY[pa] ELSE pl.rows END, inc.rows,
         checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating,
         s.commune_code, s.district_code
    FROM units s
    LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
    LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
    LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
    LEFT JOIN inc ON inc.unit_id = s.unit_id
    LEFT JOIN checks ON checks.unit_id = s.unit_id
    LEFT JOIN scores ON scores.unit_id = s.unit_id
    LEFT JOIN decisions ON decisions.unit_id = s.unit_id
  $q$;
BEGIN
    EXECUTE format($f$
CREATE FUNCTION antq.unit_inputs(p_province_code text, p_year integer, p_unit_ids bigint[] DEFAULT NULL)
RETURNS TABLE (unit_id bigint, kind text, sub_kind text, code text, name text, province_code text, year integer,
               parent_id bigint, managed_by bigint, facts antq.assessment, prev antq.assessment[], incidents antq.incident[],
               checks_met integer[], checks_recorded integer[], score numeric, decision_met boolean, decision_rating antq.rating,
               commune_code text, district_code text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
SET join_collapse_limit = 1
SET from_collapse_limit = 1
SET plan_cache_mode = force_generic_plan
AS $body$
#variable_conflict use_column
BEGIN
    IF p_unit_ids IS NULL THEN
        RETURN QUERY EXECUTE %L USING p_province_code, p_year;
    ELSE
        RETURN QUERY %s;
    END IF;
END
$body$ $f$,
        format(q, '($1 IS NULL OR u.province_code = $1)'),
        format(q, 'u.unit_id = ANY ($3) AND ($1 IS NULL OR u.province_code = $1)'));
END
$do$;
COMMENT ON FUNCTION antq.unit_inputs(text, integer, bigint[]) IS
  'The facts of every unit-year of a province (NULL: the nation) or of the listed units, gathered in one set-based query (số liệu đầu vào): assessment, previous year''s rows (own, else lineage predecessors''), incidents in the window (for a commune also those of units lying in it), model checks, total score, decisions, and the commune and district (before 2025) the unit counts in. A unit version takes part when it is in force on the last day of its window.';

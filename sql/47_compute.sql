-- Computing results (tính kết quả): the query that gathers the facts of every unit-year of a
-- scope in one pass, the results computed live from it, and the recompute that stores them in
-- antq.unit_result (46_results.sql).

-- Which unit-years have a result (đơn vị tham gia đánh giá trong năm). A unit version takes part
-- in year Y when it is in force on the last day of its kind's window (below, units_taking_part)
-- and:
--  * its kind is assessed that year in its province: a safe-standard criteria set of the kind
--    applies (national, or the province's own), or a commune set that applies counts the kind in
--    its criterion 4 (Circular 23 counts residential areas, whose own set we do not have), or a
--    classification sheet of the kind applies (districts: Decision 510 scores them, but no
--    safe-standard set exists for them, so their safe_met is NULL, never "not met");
--  * and Y is not after the current year, unless the unit has facts (an antq.assessment row)
--    for Y: nothing is assessed ahead of time, and a future year shows no "0 of 62" rows.
-- The current year is taken in Vietnam's time zone, so that it does not depend on the
-- session's TimeZone. The C pass (extension/recompute/stale_taking_part.c) calls the same functions.
CREATE FUNCTION antq.current_year()
RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.date_part('year', pg_catalog.timezone('Asia/Ho_Chi_Minh', pg_catalog.now()))::integer $$;
COMMENT ON FUNCTION antq.current_year() IS
  'The current year in Vietnam''s time zone (năm hiện tại, giờ Việt Nam): a later year has results only for units that have facts for it.';

CREATE FUNCTION antq.kinds_taking_part(p_year integer)
RETURNS TABLE (kind text, province_code text) LANGUAGE sql STABLE PARALLEL SAFE ROWS 8
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT s.unit_kind, s.province_code FROM antq.criteria_set s
   WHERE s.standard = 'safe' AND coalesce(s.first_year, p_year) <= p_year AND coalesce(s.last_year, p_year) >= p_year
  UNION
  SELECT k.kind, s.province_code
    FROM antq.criteria_set s JOIN antq.criterion c ON c.set_id = s.set_id
   CROSS JOIN LATERAL unnest(c.unit_kinds) AS k(kind)
   WHERE s.standard = 'safe' AND s.unit_kind = 'commune' AND c.form IN ('units_registered', 'units_recognized')
     AND coalesce(s.first_year, p_year) <= p_year AND coalesce(s.last_year, p_year) >= p_year
  UNION
  SELECT h.unit_kind, h.province_code FROM antq.scoring_sheet h
   WHERE coalesce(h.first_year, p_year) <= p_year AND coalesce(h.last_year, p_year) >= p_year
$$;
COMMENT ON FUNCTION antq.kinds_taking_part(integer) IS
  'The unit kinds assessed in a year (loại đơn vị được đánh giá trong năm), each with the province whose own rules bring it in (NULL: every province): a safe-standard set of the kind applies, a commune set that applies counts the kind in its criterion 4, or a classification sheet of the kind applies. Only units of these kinds have results that year.';

CREATE FUNCTION antq.kind_takes_part(p_kind text, p_province_code text, p_year integer)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (SELECT FROM antq.kinds_taking_part(p_year) t
                  WHERE t.kind = p_kind AND (t.province_code IS NULL OR t.province_code = p_province_code))
$$;
COMMENT ON FUNCTION antq.kind_takes_part(text, text, integer) IS
  'Whether units of a kind in a province are assessed in a year (loại đơn vị có được đánh giá không), as antq.kinds_taking_part lists them.';

-- The input query (q): the facts of every unit-year of a province (NULL: the nation), or of
-- the listed units only. One query, run two ways. For a province or the nation, through
-- EXECUTE, so that each call is planned for its scope (hash joins over the whole tables). For
-- a list of units (the worker, many times a second), as static SQL with one generic plan of
-- index lookups kept between calls: planning the query costs more than running it for a few
-- units. The texts differ only in how the units are chosen (in the WHERE of units: the scope,
-- or unit_id = ANY ($3) for a list) and in how the incidents of the units lying in a commune
-- are reached (inc_pairs: from the few communes of a list to their units by index; for a
-- province or the nation, from the incidents (tens of thousands) to their units, one index
-- lookup each, the OFFSET 0 keeping the planner from hashing the whole unit table instead:
-- 0.56 s for the nation; the other order hashed it too, 1.3 s). Where only the communes of a
-- province or the nation are chosen, inc_pairs takes every unit chosen (true, not s.kind =
-- 'commune'): a filter on the CTE there would make the planner guess 0.5% of them (it has no
-- statistics on a CTE) and walk each commune's units by index, 2.4 s for the nation against
-- 1.1 s by hash. (A list keeps the filter: its generic plan walks the few communes' units by
-- index, as it should.)
--
-- q is written out in each function and branch that runs it, marked "-- q:" (unit_inputs,
-- results_computed, commune_results): a change to it is made in every copy.
-- tests/pgtap/worker_incremental.sql checks that the branches give the same rows. The national
-- pass in C (antq.results_stale, extension/recompute/stale_gather.c, stale_lineage.c,
-- stale_taking_part.c) reads what q and q_plain read and chooses units as units_taking_part
-- does (the WHERE of units): a change here is made there too (docs/architecture.md, "The C
-- pass mirrors the SQL"); tests/pgtap/stale_results.sql fails when the two disagree.
--
-- The units taking part (units_taking_part), in the WHERE of units: in force on the last day
-- of their window, of a kind assessed that year (antq.kinds_taking_part, each list computed
-- once: a join with it cost 1.5 us a unit), not in a future year unless they have facts for
-- it (antq.current_year); with, for area summaries, the commune each lies in and, before the
-- 2025 reform, the district it (or its commune) lies in, within its own province.
--
-- JIT is off here and in the other recompute functions: their row estimates (CTEs,
-- set-returning functions) run high, and compiling a plan took seconds where running it takes
-- milliseconds. The joins are written in the order they should run (units first, then what
-- hangs off them) and the planner keeps it (join_collapse_limit = 1): letting it permute the
-- eight joins tripled the planning time.
CREATE FUNCTION antq.unit_inputs(p_province_code text, p_year integer, p_unit_ids bigint[] DEFAULT NULL)
RETURNS TABLE (unit_id bigint, kind text, sub_kind text, code text, name text, province_code text, year integer,
               parent_id bigint, managed_by bigint, facts antq.assessment, prev antq.assessment[], incidents antq.incident[],
               checks_met integer[], checks_recorded integer[], score numeric, decision_met boolean, decision_rating antq.rating,
               model_programme boolean, commune_code text, district_code text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
SET join_collapse_limit = 1
SET from_collapse_limit = 1
SET plan_cache_mode = force_generic_plan
AS $body$
#variable_conflict use_column
BEGIN
    IF p_unit_ids IS NOT NULL THEN
        -- a list: static SQL, one generic plan
        RETURN QUERY
        -- q: the listed units
        WITH RECURSIVE units AS MATERIALIZED (
            -- the unit versions taking part (units_taking_part), with the commune and district each
            -- counts in
            SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                   antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                   CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                   CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                 WHEN g.kind = 'district' THEN g.code END END AS district_code
              FROM antq.unit u
              LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                   AND p.kind IN ('commune', 'district')
              LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
             WHERE u.unit_id = ANY ($3) AND ($1 IS NULL OR u.province_code = $1)
               AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
               AND u.valid_from <= antq.window_end(u.kind, $2)
               AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
               AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                    OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                      FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
               AND ($2 <= (SELECT antq.current_year())
                    OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
            -- the units lying in each commune: from the few communes of a list to their units, by index
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
               checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
               s.commune_code, s.district_code
          FROM units s
          LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
          LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
          LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
          LEFT JOIN inc ON inc.unit_id = s.unit_id
          LEFT JOIN checks ON checks.unit_id = s.unit_id
          LEFT JOIN scores ON scores.unit_id = s.unit_id
          LEFT JOIN decisions ON decisions.unit_id = s.unit_id
          LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2;
    ELSE
        -- a province or the nation: planned for the scope at each call
        RETURN QUERY EXECUTE $q$
            -- q: the units of the scope
            WITH RECURSIVE units AS MATERIALIZED (
                -- the unit versions taking part (units_taking_part), with the commune and district each
                -- counts in
                SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                       antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                       CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                       CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                     WHEN g.kind = 'district' THEN g.code END END AS district_code
                  FROM antq.unit u
                  LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                       AND p.kind IN ('commune', 'district')
                  LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                 WHERE ($1 IS NULL OR u.province_code = $1)
                   AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                   AND u.valid_from <= antq.window_end(u.kind, $2)
                   AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                   AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                        OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                          FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                   AND ($2 <= (SELECT antq.current_year())
                        OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                -- the units lying in each commune: from the incidents to their units, one lookup each (OFFSET 0:
                   -- not a hash of the whole unit table)
                SELECT s.unit_id, i.incident_id
                  FROM antq.incident i
                  CROSS JOIN LATERAL (SELECT c.parent_id FROM antq.unit c WHERE c.unit_id = i.unit_id OFFSET 0) c
                  JOIN units s ON s.unit_id = c.parent_id AND i.occurred_on BETWEEN s.ws AND s.we
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
                   checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                   s.commune_code, s.district_code
              FROM units s
              LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
              LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
              LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
              LEFT JOIN inc ON inc.unit_id = s.unit_id
              LEFT JOIN checks ON checks.unit_id = s.unit_id
              LEFT JOIN scores ON scores.unit_id = s.unit_id
              LEFT JOIN decisions ON decisions.unit_id = s.unit_id
              LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
        $q$
        USING p_province_code, p_year;
    END IF;
END
$body$;
COMMENT ON FUNCTION antq.unit_inputs(text, integer, bigint[]) IS
  'The facts of every unit-year of a province (NULL: the nation) or of the listed units, gathered in one set-based query (số liệu đầu vào): assessment, previous year''s rows (own, else lineage predecessors''), incidents in the window (for a commune also those of units lying in it), model checks, total score, decisions, whether it takes part in the model-unit programme (antq.model_participation), and the commune and district (before 2025) the unit counts in. A unit version takes part when it is in force on the last day of its window, its kind is assessed that year in its province (antq.kinds_taking_part), and the year is not after the current one unless it has facts for it.';

-- Results of a province-year (NULL: the nation) or of a list of units, computed live: every
-- unit but the communes in one pass (unit_rows), evaluated once each and kept; then each
-- commune, with the counts of its units' results for criterion 4 (counts). The non-commune
-- units' inputs are read once, as they come, instead of kept whole (three tuple stores of 1.1M
-- wide rows for the nation). Three texts, each holding q (above): a list (static SQL), a
-- province (EXECUTE), the nation (EXECUTE), where the units that grew out of no other version
-- go through q_plain: one query without CTEs, so that PostgreSQL can split its scans and joins
-- between parallel workers (a CTE keeps a plan in one process). For these units q_plain gives
-- the same rows as q (their previous year is their own row, their incidents their own), and
-- units with predecessors still go through q.
--
-- In each text, the evaluation: the engine on each input row; a unit without facts is not
-- assessed: nothing is evaluated for it (not "not met"). Each OFFSET 0 keeps an evaluation a
-- column computed once per row: without it the planner would copy the call into every place
-- that reads it. The columns of the result rows are those of antq.unit_result, in its order.
CREATE FUNCTION antq.results_computed(p_province_code text, p_year integer, p_unit_ids bigint[] DEFAULT NULL,
                                      p_stored_counts boolean DEFAULT false)
RETURNS SETOF antq.unit_result
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
SET join_collapse_limit = 1
SET from_collapse_limit = 1
SET plan_cache_mode = force_generic_plan
AS $body$
BEGIN
    IF p_unit_ids IS NOT NULL THEN
        -- a list: static SQL, one generic plan; but a long list (a batch piled up, hundreds of
        -- units over many provinces) is planned for the call, with its length known: the
        -- generic plan expects a few units and joins each of them to what was gathered for all
        -- of them, which grows as the square of the list (bench/RESULTS.md, "the worker's fixed
        -- costs"). The setting is restored when the function returns (its SET clause).
        IF pg_catalog.cardinality(p_unit_ids) OPERATOR(pg_catalog.>) 100 THEN
            PERFORM pg_catalog.set_config('plan_cache_mode', 'force_custom_plan', true);
        END IF;
        RETURN QUERY
        WITH unit_rows AS MATERIALIZED (
            -- every unit but the communes, evaluated once each and kept
            SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
                   c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
                   c.model_programme,
                   -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
                   -- the year recorded as not met
                   CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                        THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
                   c.unit_counts, c.decision_met, c.decision_rating,
                   coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                            OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
                   c.commune_code, c.district_code,
                   -- The incidents its criteria read as its own: its own and its predecessors' in its window
                   -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
                   -- count in their own rows, so that area totals count each once.
                   CASE WHEN c.incidents IS NULL THEN 0
                        WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                        ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                               WHERE x.unit_id = c.unit_id
                                  OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
                   CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                        ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                                FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                       WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                          OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                       GROUP BY x.kind) k) END AS incidents_by_kind,
                   (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
                   (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
                   (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
                   now() AS computed_at,
                   CASE WHEN c.kind = 'residential_area' THEN c.parent_id ELSE c.managed_by END AS commune_id
              FROM (
                  SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                    FROM (
                        SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                          FROM (
                              SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                     CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                     antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                                   i.unit_counts) END AS safe_att,
                                     CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                     antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                                   i.checks_met, i.checks_recorded) END AS model_att
                                FROM (
                                    SELECT q.*, NULL::integer[] AS unit_counts
                                      FROM (
                                          -- q: the listed units but the communes
                                          WITH RECURSIVE units AS MATERIALIZED (
                                              -- the unit versions taking part (units_taking_part), with the commune and district each
                                              -- counts in
                                              SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                     antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                     CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                     CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                                   WHEN g.kind = 'district' THEN g.code END END AS district_code
                                                FROM antq.unit u
                                                LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                     AND p.kind IN ('commune', 'district')
                                                LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                               WHERE u.unit_id = ANY ($3) AND ($1 IS NULL OR u.province_code = $1) AND u.kind <> 'commune'
                                                 AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                                 AND u.valid_from <= antq.window_end(u.kind, $2)
                                                 AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                                 AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                      OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                        FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                                 AND ($2 <= (SELECT antq.current_year())
                                                      OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                              -- the units lying in each commune: from the few communes of a list to their units, by index
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
                                                 checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                                 s.commune_code, s.district_code
                                            FROM units s
                                            LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                            LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                            LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                            LEFT JOIN inc ON inc.unit_id = s.unit_id
                                            LEFT JOIN checks ON checks.unit_id = s.unit_id
                                            LEFT JOIN scores ON scores.unit_id = s.unit_id
                                            LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                            LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                      ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                             incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                ) i
                              OFFSET 0
                          ) r
                        OFFSET 0
                    ) c
                  OFFSET 0
              ) c
        ),
        -- What a commune's criterion 4 reads: its units' registrations and recognitions. With
        -- $4 (p_stored_counts), the units of a listed commune that are not listed themselves count
        -- as their stored results say, so that a commune can be recomputed with a few changed
        -- units instead of all its hundreds (antq.recompute_units): those stored for the commune's
        -- province, the one given or (NULL: a list spanning provinces) the commune's own, so that
        -- both count alike. Where the commune has a stored row, its stored counts are those of
        -- exactly these stored units (whoever stores a unit's result stores its commune's with it),
        -- so they are taken from it and the listed units' stored rows taken out (bases, and the
        -- -1 rows of deltas) instead of reading the commune's hundreds of units each time. A
        -- commune without a stored row counts its unlisted units' stored rows one by one (the +1
        -- rows; NOT IN: a hashed lookup, where NOT EXISTS walked the list for each unit).
        bases AS (
            SELECT c.unit_id AS commune_id, s.unit_counts AS b
              FROM antq.unit c
              JOIN antq.unit_result s ON s.unit_id = c.unit_id AND s.year = $2 AND s.province_code = coalesce($1, c.province_code)
             WHERE $4 AND c.unit_id = ANY ($3) AND c.kind = 'commune' AND cardinality(s.unit_counts) = 12
        ),
        deltas AS (
            SELECT x.commune_id, ARRAY[
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area'), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area' AND x.registered), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area' AND x.recognized), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency'), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency' AND x.registered), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency' AND x.recognized), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise'), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise' AND x.registered), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise' AND x.recognized), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school'), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school' AND x.registered), 0),
                     coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school' AND x.recognized), 0)]::integer[] AS d
              FROM (SELECT r.commune_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met) AS recognized, 1 AS sgn
                      FROM unit_rows r WHERE r.kind IN ('residential_area', 'agency', 'enterprise', 'school')
                    UNION ALL
                    SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met), -1
                      FROM unit_rows i
                      JOIN antq.unit u ON u.unit_id = i.unit_id
                      JOIN antq.unit c ON c.unit_id IN (u.parent_id, u.managed_by) AND c.kind = 'commune'
                                       AND ((c.unit_id = u.parent_id AND u.kind = 'residential_area')
                                            OR (c.unit_id = u.managed_by AND u.kind IN ('agency', 'enterprise', 'school')))
                      JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = $2
                                              AND r.province_code = coalesce($1, c.province_code)
                     WHERE $4 AND c.unit_id IN (SELECT b.commune_id FROM bases b)
                    UNION ALL
                    SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met), 1
                      FROM antq.unit c
                      JOIN antq.unit u ON (u.parent_id = c.unit_id AND u.kind = 'residential_area')
                                       OR (u.managed_by = c.unit_id AND u.kind IN ('agency', 'enterprise', 'school'))
                      JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = $2
                                              AND r.province_code = coalesce($1, c.province_code)
                     WHERE $4 AND c.unit_id = ANY ($3) AND c.kind = 'commune'
                       AND c.unit_id NOT IN (SELECT b.commune_id FROM bases b)
                       AND u.unit_id NOT IN (SELECT i.unit_id FROM unit_rows i)) x
             WHERE x.commune_id IS NOT NULL
             GROUP BY x.commune_id
        ),
        counts AS (
            SELECT coalesce(d.commune_id, b.commune_id) AS commune_id,
                   CASE WHEN b.b IS NULL THEN d.d
                        WHEN d.d IS NULL THEN b.b
                        ELSE ARRAY(SELECT z.x + z.y FROM unnest(b.b, d.d) AS z(x, y)) END AS unit_counts
              FROM deltas d FULL JOIN bases b ON b.commune_id = d.commune_id
        )
        SELECT unit_id, year, kind, code, name, province_code, registered, assessed, safe_attainment, safe_met, score,
               rating, model_attainment, model_met, model_programme, model_on_track, unit_counts, decision_met, decision_rating, disagrees, commune_code,
               district_code, incidents, incidents_by_kind, tipoffs, outreach_target, outreach_reached,
               crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths, traffic_injuries,
               computed_at
          FROM unit_rows
        UNION ALL
        -- then each commune, with the counts of its units' results for criterion 4
        SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
               c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
               c.model_programme,
               -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
               -- the year recorded as not met
               CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                    THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
               c.unit_counts, c.decision_met, c.decision_rating,
               coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                        OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
               c.commune_code, c.district_code,
               -- The incidents its criteria read as its own: its own and its predecessors' in its window
               -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
               -- count in their own rows, so that area totals count each once.
               CASE WHEN c.incidents IS NULL THEN 0
                    WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                    ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                           WHERE x.unit_id = c.unit_id
                              OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
               CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                    ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                            FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                   WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                      OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                   GROUP BY x.kind) k) END AS incidents_by_kind,
               (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
               (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
               (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
               now() AS computed_at
          FROM (
              SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                FROM (
                    SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                      FROM (
                          SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                 CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                 antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                               i.unit_counts) END AS safe_att,
                                 CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                 antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                               i.checks_met, i.checks_recorded) END AS model_att
                            FROM (
                                SELECT q.*, coalesce(n.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[]) AS unit_counts
                                  FROM (
                                      -- q: the listed communes
                                      WITH RECURSIVE units AS MATERIALIZED (
                                          -- the unit versions taking part (units_taking_part), with the commune and district each
                                          -- counts in
                                          SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                 antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                 CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                 CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                               WHEN g.kind = 'district' THEN g.code END END AS district_code
                                            FROM antq.unit u
                                            LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                 AND p.kind IN ('commune', 'district')
                                            LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                           WHERE u.unit_id = ANY ($3) AND ($1 IS NULL OR u.province_code = $1) AND u.kind = 'commune'
                                             AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                             AND u.valid_from <= antq.window_end(u.kind, $2)
                                             AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                             AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                  OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                    FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                             AND ($2 <= (SELECT antq.current_year())
                                                  OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                          -- the units lying in each commune: from the few communes of a list to their units, by index
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
                                             checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                             s.commune_code, s.district_code
                                        FROM units s
                                        LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                        LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                        LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                        LEFT JOIN inc ON inc.unit_id = s.unit_id
                                        LEFT JOIN checks ON checks.unit_id = s.unit_id
                                        LEFT JOIN scores ON scores.unit_id = s.unit_id
                                        LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                        LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                  ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                         incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                  LEFT JOIN counts n ON n.commune_id = q.unit_id
                            ) i
                          OFFSET 0
                      ) r
                    OFFSET 0
                ) c
              OFFSET 0
          ) c;
    ELSIF p_province_code IS NULL THEN
        -- the nation: the units without predecessors through q_plain, the others through q
        RETURN QUERY EXECUTE $q$
            WITH unit_rows AS MATERIALIZED (
                -- every unit but the communes, evaluated once each and kept
                SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
                       c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
                       c.model_programme,
                       -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
                       -- the year recorded as not met
                       CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                            THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
                       c.unit_counts, c.decision_met, c.decision_rating,
                       coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                                OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
                       c.commune_code, c.district_code,
                       -- The incidents its criteria read as its own: its own and its predecessors' in its window
                       -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
                       -- count in their own rows, so that area totals count each once.
                       CASE WHEN c.incidents IS NULL THEN 0
                            WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                            ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                                   WHERE x.unit_id = c.unit_id
                                      OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
                       CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                            ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                                    FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                           WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                              OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                           GROUP BY x.kind) k) END AS incidents_by_kind,
                       (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
                       (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
                       (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
                       now() AS computed_at,
                       CASE WHEN c.kind = 'residential_area' THEN c.parent_id ELSE c.managed_by END AS commune_id
                  FROM (
                      SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                        FROM (
                            SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                              FROM (
                                  SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                         CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                         antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                                       i.unit_counts) END AS safe_att,
                                         CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                         antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                                       i.checks_met, i.checks_recorded) END AS model_att
                                    FROM (
                                        SELECT q.*, NULL::integer[] AS unit_counts
                                          FROM (
                                              (
                                                  -- q_plain: the units but the communes that grew out of no other version
                                                  SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, $2, u.parent_id, u.managed_by,
                                                         a, CASE WHEN pa.unit_id IS NOT NULL THEN ARRAY[pa] END, inc.rows,
                                                         checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                                         CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                         CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                                       WHEN g.kind = 'district' THEN g.code END END AS district_code
                                                    FROM antq.unit u
                                                    LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                         AND p.kind IN ('commune', 'district')
                                                    LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                                    LEFT JOIN antq.assessment a ON a.unit_id = u.unit_id AND a.year = $2
                                                    LEFT JOIN antq.assessment pa ON pa.unit_id = u.unit_id AND pa.year = $2 - 1
                                                    LEFT JOIN (SELECT i.unit_id, array_agg(i ORDER BY i.occurred_on, i.incident_id) AS rows
                                                                 FROM antq.incident i JOIN antq.unit iu ON iu.unit_id = i.unit_id
                                                                WHERE i.occurred_on BETWEEN antq.window_start(iu.kind, $2) AND antq.window_end(iu.kind, $2)
                                                                GROUP BY i.unit_id) inc ON inc.unit_id = u.unit_id
                                                    LEFT JOIN (SELECT m.unit_id, array_agg(m.criterion_no) FILTER (WHERE m.met) AS met, array_agg(m.criterion_no) AS recorded
                                                                 FROM antq.model_check m WHERE m.year = $2 GROUP BY m.unit_id) checks ON checks.unit_id = u.unit_id
                                                    LEFT JOIN (SELECT sc.unit_id, sum(sc.points) AS total
                                                                 FROM antq.score sc WHERE sc.year = $2 GROUP BY sc.unit_id) scores ON scores.unit_id = u.unit_id
                                                    LEFT JOIN (SELECT d.unit_id, bool_or(d.met) FILTER (WHERE d.kind = 'recognition') AS met,
                                                                      max(d.rating::integer) FILTER (WHERE d.kind = 'classification') AS rating
                                                                 FROM antq.decision d WHERE d.year = $2 GROUP BY d.unit_id) decisions ON decisions.unit_id = u.unit_id
                                                    LEFT JOIN antq.model_participation mp ON mp.unit_id = u.unit_id AND mp.year = $2
                                                   WHERE ($1 IS NULL OR u.province_code = $1) AND u.kind <> 'commune'
                                                     AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                                     AND u.valid_from <= antq.window_end(u.kind, $2)
                                                     AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                                     AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                          OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                            FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                                     AND ($2 <= (SELECT antq.current_year())
                                                          OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
                                                     AND NOT EXISTS (SELECT FROM antq.unit_lineage l WHERE l.successor_id = u.unit_id)
                                              ) UNION ALL (
                                                  -- q: the units but the communes that grew out of other versions
                                                  WITH RECURSIVE units AS MATERIALIZED (
                                                      -- the unit versions taking part (units_taking_part), with the commune and district each
                                                      -- counts in
                                                      SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                             antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                             CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                             CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                                           WHEN g.kind = 'district' THEN g.code END END AS district_code
                                                        FROM antq.unit u
                                                        LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                             AND p.kind IN ('commune', 'district')
                                                        LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                                       WHERE ($1 IS NULL OR u.province_code = $1) AND u.kind <> 'commune' AND EXISTS (SELECT FROM antq.unit_lineage l WHERE l.successor_id = u.unit_id)
                                                         AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                                         AND u.valid_from <= antq.window_end(u.kind, $2)
                                                         AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                                         AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                              OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                                FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                                         AND ($2 <= (SELECT antq.current_year())
                                                              OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                                      -- the units lying in each commune: from the incidents to their units, one lookup each (OFFSET 0:
                                                         -- not a hash of the whole unit table)
                                                      SELECT s.unit_id, i.incident_id
                                                        FROM antq.incident i
                                                        CROSS JOIN LATERAL (SELECT c.parent_id FROM antq.unit c WHERE c.unit_id = i.unit_id OFFSET 0) c
                                                        JOIN units s ON s.unit_id = c.parent_id AND i.occurred_on BETWEEN s.ws AND s.we
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
                                                         checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                                         s.commune_code, s.district_code
                                                    FROM units s
                                                    LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                                    LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                                    LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                                    LEFT JOIN inc ON inc.unit_id = s.unit_id
                                                    LEFT JOIN checks ON checks.unit_id = s.unit_id
                                                    LEFT JOIN scores ON scores.unit_id = s.unit_id
                                                    LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                                    LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                              )
                                          ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                                 incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                    ) i
                                  OFFSET 0
                              ) r
                            OFFSET 0
                        ) c
                      OFFSET 0
                  ) c
            ),
            -- What a commune's criterion 4 reads: its units' registrations and recognitions. With
            -- $4 (p_stored_counts), the units of a listed commune that are not listed themselves count
            -- as their stored results say, so that a commune can be recomputed with a few changed
            -- units instead of all its hundreds (antq.recompute_units): those stored for the commune's
            -- province, the one given or (NULL: a list spanning provinces) the commune's own, so that
            -- both count alike. Where the commune has a stored row, its stored counts are those of
            -- exactly these stored units (whoever stores a unit's result stores its commune's with it),
            -- so they are taken from it and the listed units' stored rows taken out (bases, and the
            -- -1 rows of deltas) instead of reading the commune's hundreds of units each time. A
            -- commune without a stored row counts its unlisted units' stored rows one by one (the +1
            -- rows; NOT IN: a hashed lookup, where NOT EXISTS walked the list for each unit).
            bases AS (
                SELECT c.unit_id AS commune_id, s.unit_counts AS b
                  FROM antq.unit c
                  JOIN antq.unit_result s ON s.unit_id = c.unit_id AND s.year = $2 AND s.province_code = coalesce($1, c.province_code)
                 WHERE $4 AND c.unit_id = ANY ($3) AND c.kind = 'commune' AND cardinality(s.unit_counts) = 12
            ),
            deltas AS (
                SELECT x.commune_id, ARRAY[
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area' AND x.recognized), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency' AND x.recognized), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise' AND x.recognized), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school' AND x.recognized), 0)]::integer[] AS d
                  FROM (SELECT r.commune_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met) AS recognized, 1 AS sgn
                          FROM unit_rows r WHERE r.kind IN ('residential_area', 'agency', 'enterprise', 'school')
                        UNION ALL
                        SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met), -1
                          FROM unit_rows i
                          JOIN antq.unit u ON u.unit_id = i.unit_id
                          JOIN antq.unit c ON c.unit_id IN (u.parent_id, u.managed_by) AND c.kind = 'commune'
                                           AND ((c.unit_id = u.parent_id AND u.kind = 'residential_area')
                                                OR (c.unit_id = u.managed_by AND u.kind IN ('agency', 'enterprise', 'school')))
                          JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = $2
                                                  AND r.province_code = coalesce($1, c.province_code)
                         WHERE $4 AND c.unit_id IN (SELECT b.commune_id FROM bases b)
                        UNION ALL
                        SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met), 1
                          FROM antq.unit c
                          JOIN antq.unit u ON (u.parent_id = c.unit_id AND u.kind = 'residential_area')
                                           OR (u.managed_by = c.unit_id AND u.kind IN ('agency', 'enterprise', 'school'))
                          JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = $2
                                                  AND r.province_code = coalesce($1, c.province_code)
                         WHERE $4 AND c.unit_id = ANY ($3) AND c.kind = 'commune'
                           AND c.unit_id NOT IN (SELECT b.commune_id FROM bases b)
                           AND u.unit_id NOT IN (SELECT i.unit_id FROM unit_rows i)) x
                 WHERE x.commune_id IS NOT NULL
                 GROUP BY x.commune_id
            ),
            counts AS (
                SELECT coalesce(d.commune_id, b.commune_id) AS commune_id,
                       CASE WHEN b.b IS NULL THEN d.d
                            WHEN d.d IS NULL THEN b.b
                            ELSE ARRAY(SELECT z.x + z.y FROM unnest(b.b, d.d) AS z(x, y)) END AS unit_counts
                  FROM deltas d FULL JOIN bases b ON b.commune_id = d.commune_id
            )
            SELECT unit_id, year, kind, code, name, province_code, registered, assessed, safe_attainment, safe_met, score,
                   rating, model_attainment, model_met, model_programme, model_on_track, unit_counts, decision_met, decision_rating, disagrees, commune_code,
                   district_code, incidents, incidents_by_kind, tipoffs, outreach_target, outreach_reached,
                   crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths, traffic_injuries,
                   computed_at
              FROM unit_rows
            UNION ALL
            -- then each commune, with the counts of its units' results for criterion 4
            SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
                   c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
                   c.model_programme,
                   -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
                   -- the year recorded as not met
                   CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                        THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
                   c.unit_counts, c.decision_met, c.decision_rating,
                   coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                            OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
                   c.commune_code, c.district_code,
                   -- The incidents its criteria read as its own: its own and its predecessors' in its window
                   -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
                   -- count in their own rows, so that area totals count each once.
                   CASE WHEN c.incidents IS NULL THEN 0
                        WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                        ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                               WHERE x.unit_id = c.unit_id
                                  OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
                   CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                        ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                                FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                       WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                          OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                       GROUP BY x.kind) k) END AS incidents_by_kind,
                   (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
                   (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
                   (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
                   now() AS computed_at
              FROM (
                  SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                    FROM (
                        SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                          FROM (
                              SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                     CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                     antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                                   i.unit_counts) END AS safe_att,
                                     CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                     antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                                   i.checks_met, i.checks_recorded) END AS model_att
                                FROM (
                                    SELECT q.*, coalesce(n.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[]) AS unit_counts
                                      FROM (
                                          -- q: the communes of the scope (every unit of it a commune: inc_pairs takes them all)
                                          WITH RECURSIVE units AS MATERIALIZED (
                                              -- the unit versions taking part (units_taking_part), with the commune and district each
                                              -- counts in
                                              SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                     antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                     CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                     CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                                   WHEN g.kind = 'district' THEN g.code END END AS district_code
                                                FROM antq.unit u
                                                LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                     AND p.kind IN ('commune', 'district')
                                                LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                               WHERE ($1 IS NULL OR u.province_code = $1) AND u.kind = 'commune'
                                                 AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                                 AND u.valid_from <= antq.window_end(u.kind, $2)
                                                 AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                                 AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                      OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                        FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                                 AND ($2 <= (SELECT antq.current_year())
                                                      OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                              -- the units lying in each commune: from the incidents to their units, one lookup each (OFFSET 0:
                                                 -- not a hash of the whole unit table)
                                              SELECT s.unit_id, i.incident_id
                                                FROM antq.incident i
                                                CROSS JOIN LATERAL (SELECT c.parent_id FROM antq.unit c WHERE c.unit_id = i.unit_id OFFSET 0) c
                                                JOIN units s ON s.unit_id = c.parent_id AND i.occurred_on BETWEEN s.ws AND s.we
                                               WHERE true
                                              UNION
                                              SELECT s.unit_id, i.incident_id
                                                FROM anc a JOIN units s ON s.unit_id = a.unit_id AND true
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
                                                 checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                                 s.commune_code, s.district_code
                                            FROM units s
                                            LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                            LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                            LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                            LEFT JOIN inc ON inc.unit_id = s.unit_id
                                            LEFT JOIN checks ON checks.unit_id = s.unit_id
                                            LEFT JOIN scores ON scores.unit_id = s.unit_id
                                            LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                            LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                      ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                             incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                      LEFT JOIN counts n ON n.commune_id = q.unit_id
                                ) i
                              OFFSET 0
                          ) r
                        OFFSET 0
                    ) c
                  OFFSET 0
              ) c
        $q$
        USING p_province_code, p_year, p_unit_ids, p_stored_counts;
    ELSE
        -- a province: planned for it at each call
        RETURN QUERY EXECUTE $q$
            WITH unit_rows AS MATERIALIZED (
                -- every unit but the communes, evaluated once each and kept
                SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
                       c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
                       c.model_programme,
                       -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
                       -- the year recorded as not met
                       CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                            THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
                       c.unit_counts, c.decision_met, c.decision_rating,
                       coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                                OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
                       c.commune_code, c.district_code,
                       -- The incidents its criteria read as its own: its own and its predecessors' in its window
                       -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
                       -- count in their own rows, so that area totals count each once.
                       CASE WHEN c.incidents IS NULL THEN 0
                            WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                            ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                                   WHERE x.unit_id = c.unit_id
                                      OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
                       CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                            ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                                    FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                           WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                              OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                           GROUP BY x.kind) k) END AS incidents_by_kind,
                       (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
                       (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
                       (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
                       now() AS computed_at,
                       CASE WHEN c.kind = 'residential_area' THEN c.parent_id ELSE c.managed_by END AS commune_id
                  FROM (
                      SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                        FROM (
                            SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                              FROM (
                                  SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                         CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                         antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                                       i.unit_counts) END AS safe_att,
                                         CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                         antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                                       i.checks_met, i.checks_recorded) END AS model_att
                                    FROM (
                                        SELECT q.*, NULL::integer[] AS unit_counts
                                          FROM (
                                              -- q: the units of the scope but its communes
                                              WITH RECURSIVE units AS MATERIALIZED (
                                                  -- the unit versions taking part (units_taking_part), with the commune and district each
                                                  -- counts in
                                                  SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                         antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                         CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                         CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                                       WHEN g.kind = 'district' THEN g.code END END AS district_code
                                                    FROM antq.unit u
                                                    LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                         AND p.kind IN ('commune', 'district')
                                                    LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                                   WHERE ($1 IS NULL OR u.province_code = $1) AND u.kind <> 'commune'
                                                     AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                                     AND u.valid_from <= antq.window_end(u.kind, $2)
                                                     AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                                     AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                          OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                            FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                                     AND ($2 <= (SELECT antq.current_year())
                                                          OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                                  -- the units lying in each commune: from the incidents to their units, one lookup each (OFFSET 0:
                                                     -- not a hash of the whole unit table)
                                                  SELECT s.unit_id, i.incident_id
                                                    FROM antq.incident i
                                                    CROSS JOIN LATERAL (SELECT c.parent_id FROM antq.unit c WHERE c.unit_id = i.unit_id OFFSET 0) c
                                                    JOIN units s ON s.unit_id = c.parent_id AND i.occurred_on BETWEEN s.ws AND s.we
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
                                                     checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                                     s.commune_code, s.district_code
                                                FROM units s
                                                LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                                LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                                LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                                LEFT JOIN inc ON inc.unit_id = s.unit_id
                                                LEFT JOIN checks ON checks.unit_id = s.unit_id
                                                LEFT JOIN scores ON scores.unit_id = s.unit_id
                                                LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                                LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                          ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                                 incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                    ) i
                                  OFFSET 0
                              ) r
                            OFFSET 0
                        ) c
                      OFFSET 0
                  ) c
            ),
            -- What a commune's criterion 4 reads: its units' registrations and recognitions. With
            -- $4 (p_stored_counts), the units of a listed commune that are not listed themselves count
            -- as their stored results say, so that a commune can be recomputed with a few changed
            -- units instead of all its hundreds (antq.recompute_units): those stored for the commune's
            -- province, the one given or (NULL: a list spanning provinces) the commune's own, so that
            -- both count alike. Where the commune has a stored row, its stored counts are those of
            -- exactly these stored units (whoever stores a unit's result stores its commune's with it),
            -- so they are taken from it and the listed units' stored rows taken out (bases, and the
            -- -1 rows of deltas) instead of reading the commune's hundreds of units each time. A
            -- commune without a stored row counts its unlisted units' stored rows one by one (the +1
            -- rows; NOT IN: a hashed lookup, where NOT EXISTS walked the list for each unit).
            bases AS (
                SELECT c.unit_id AS commune_id, s.unit_counts AS b
                  FROM antq.unit c
                  JOIN antq.unit_result s ON s.unit_id = c.unit_id AND s.year = $2 AND s.province_code = coalesce($1, c.province_code)
                 WHERE $4 AND c.unit_id = ANY ($3) AND c.kind = 'commune' AND cardinality(s.unit_counts) = 12
            ),
            deltas AS (
                SELECT x.commune_id, ARRAY[
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'residential_area' AND x.recognized), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'agency' AND x.recognized), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'enterprise' AND x.recognized), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school'), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school' AND x.registered), 0),
                         coalesce(sum(x.sgn) FILTER (WHERE x.kind = 'school' AND x.recognized), 0)]::integer[] AS d
                  FROM (SELECT r.commune_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met) AS recognized, 1 AS sgn
                          FROM unit_rows r WHERE r.kind IN ('residential_area', 'agency', 'enterprise', 'school')
                        UNION ALL
                        SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met), -1
                          FROM unit_rows i
                          JOIN antq.unit u ON u.unit_id = i.unit_id
                          JOIN antq.unit c ON c.unit_id IN (u.parent_id, u.managed_by) AND c.kind = 'commune'
                                           AND ((c.unit_id = u.parent_id AND u.kind = 'residential_area')
                                                OR (c.unit_id = u.managed_by AND u.kind IN ('agency', 'enterprise', 'school')))
                          JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = $2
                                                  AND r.province_code = coalesce($1, c.province_code)
                         WHERE $4 AND c.unit_id IN (SELECT b.commune_id FROM bases b)
                        UNION ALL
                        SELECT c.unit_id, r.kind, r.registered, coalesce(r.decision_met, r.safe_met), 1
                          FROM antq.unit c
                          JOIN antq.unit u ON (u.parent_id = c.unit_id AND u.kind = 'residential_area')
                                           OR (u.managed_by = c.unit_id AND u.kind IN ('agency', 'enterprise', 'school'))
                          JOIN antq.unit_result r ON r.unit_id = u.unit_id AND r.year = $2
                                                  AND r.province_code = coalesce($1, c.province_code)
                         WHERE $4 AND c.unit_id = ANY ($3) AND c.kind = 'commune'
                           AND c.unit_id NOT IN (SELECT b.commune_id FROM bases b)
                           AND u.unit_id NOT IN (SELECT i.unit_id FROM unit_rows i)) x
                 WHERE x.commune_id IS NOT NULL
                 GROUP BY x.commune_id
            ),
            counts AS (
                SELECT coalesce(d.commune_id, b.commune_id) AS commune_id,
                       CASE WHEN b.b IS NULL THEN d.d
                            WHEN d.d IS NULL THEN b.b
                            ELSE ARRAY(SELECT z.x + z.y FROM unnest(b.b, d.d) AS z(x, y)) END AS unit_counts
                  FROM deltas d FULL JOIN bases b ON b.commune_id = d.commune_id
            )
            SELECT unit_id, year, kind, code, name, province_code, registered, assessed, safe_attainment, safe_met, score,
                   rating, model_attainment, model_met, model_programme, model_on_track, unit_counts, decision_met, decision_rating, disagrees, commune_code,
                   district_code, incidents, incidents_by_kind, tipoffs, outreach_target, outreach_reached,
                   crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths, traffic_injuries,
                   computed_at
              FROM unit_rows
            UNION ALL
            -- then each commune, with the counts of its units' results for criterion 4
            SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
                   c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
                   c.model_programme,
                   -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
                   -- the year recorded as not met
                   CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                        THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
                   c.unit_counts, c.decision_met, c.decision_rating,
                   coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                            OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
                   c.commune_code, c.district_code,
                   -- The incidents its criteria read as its own: its own and its predecessors' in its window
                   -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
                   -- count in their own rows, so that area totals count each once.
                   CASE WHEN c.incidents IS NULL THEN 0
                        WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                        ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                               WHERE x.unit_id = c.unit_id
                                  OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
                   CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                        ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                                FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                       WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                          OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                       GROUP BY x.kind) k) END AS incidents_by_kind,
                   (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
                   (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
                   (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
                   now() AS computed_at
              FROM (
                  SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                    FROM (
                        SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                          FROM (
                              SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                     CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                     antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                                   i.unit_counts) END AS safe_att,
                                     CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                     antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                                   i.checks_met, i.checks_recorded) END AS model_att
                                FROM (
                                    SELECT q.*, coalesce(n.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[]) AS unit_counts
                                      FROM (
                                          -- q: the communes of the scope (every unit of it a commune: inc_pairs takes them all)
                                          WITH RECURSIVE units AS MATERIALIZED (
                                              -- the unit versions taking part (units_taking_part), with the commune and district each
                                              -- counts in
                                              SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                     antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                     CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                     CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                                   WHEN g.kind = 'district' THEN g.code END END AS district_code
                                                FROM antq.unit u
                                                LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                     AND p.kind IN ('commune', 'district')
                                                LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                               WHERE ($1 IS NULL OR u.province_code = $1) AND u.kind = 'commune'
                                                 AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                                 AND u.valid_from <= antq.window_end(u.kind, $2)
                                                 AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                                 AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                      OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                        FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                                 AND ($2 <= (SELECT antq.current_year())
                                                      OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                              -- the units lying in each commune: from the incidents to their units, one lookup each (OFFSET 0:
                                                 -- not a hash of the whole unit table)
                                              SELECT s.unit_id, i.incident_id
                                                FROM antq.incident i
                                                CROSS JOIN LATERAL (SELECT c.parent_id FROM antq.unit c WHERE c.unit_id = i.unit_id OFFSET 0) c
                                                JOIN units s ON s.unit_id = c.parent_id AND i.occurred_on BETWEEN s.ws AND s.we
                                               WHERE true
                                              UNION
                                              SELECT s.unit_id, i.incident_id
                                                FROM anc a JOIN units s ON s.unit_id = a.unit_id AND true
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
                                                 checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                                 s.commune_code, s.district_code
                                            FROM units s
                                            LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                            LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                            LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                            LEFT JOIN inc ON inc.unit_id = s.unit_id
                                            LEFT JOIN checks ON checks.unit_id = s.unit_id
                                            LEFT JOIN scores ON scores.unit_id = s.unit_id
                                            LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                            LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                      ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                             incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                      LEFT JOIN counts n ON n.commune_id = q.unit_id
                                ) i
                              OFFSET 0
                          ) r
                        OFFSET 0
                    ) c
                  OFFSET 0
              ) c
        $q$
        USING p_province_code, p_year, p_unit_ids, p_stored_counts;
    END IF;
END
$body$;
COMMENT ON FUNCTION antq.results_computed(text, integer, bigint[], boolean) IS
  'Results of a province-year (NULL: the nation), or of the listed units, computed live (tính kết quả): units first, then communes from their units'' results (with p_stored_counts, units of a listed commune that are not listed count as stored in antq.unit_result); rows shaped as antq.unit_result.';

-- The nation's communes (the last step of antq.compute_results), their units counted as
-- antq.results_stale tallied them ($3: the communes, $4: their counts, 12 each), where the
-- list path's stored counts walk each commune's units by index (3.3-4.5 s for the nation's
-- 3,321 communes) and a hash join of the year's stored results with their units took 1.0-1.4
-- s. The communes' text is results_computed's for a scope. enable_mergejoin is off: expecting
-- few districts, the planner walked the whole unit index in key order to find the communes'
-- districts (0.76 s) where a lookup per commune takes milliseconds.
CREATE FUNCTION antq.commune_results(p_year integer, p_commune_ids bigint[], p_commune_counts integer[])
RETURNS SETOF antq.unit_result
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
SET join_collapse_limit = 1
SET from_collapse_limit = 1
SET plan_cache_mode = force_generic_plan
SET enable_mergejoin = off
AS $body$
BEGIN
    RETURN QUERY EXECUTE $q$
        WITH counts AS (
            SELECT x.id AS commune_id, $4[(x.n - 1) * 12 + 1 : x.n * 12] AS unit_counts
              FROM unnest($3::bigint[]) WITH ORDINALITY AS x(id, n))
        SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL AS registered,
               c.assessed, c.safe_att AS safe_attainment, c.safe_met, c.score, c.rating, c.model_att AS model_attainment, c.model_met,
               c.model_programme,
               -- on track (docs/figures.md): taking part, assessed under a model set, and no check of
               -- the year recorded as not met
               CASE WHEN c.model_programme AND c.model_att IS NOT NULL
                    THEN coalesce(cardinality(c.checks_met), 0) = coalesce(cardinality(c.checks_recorded), 0) END AS model_on_track,
               c.unit_counts, c.decision_met, c.decision_rating,
               coalesce(c.assessed AND ((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                        OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer)), false) AS disagrees,
               c.commune_code, c.district_code,
               -- The incidents its criteria read as its own: its own and its predecessors' in its window
               -- (docs/reform.md). A commune's array also holds those of the units lying in it, which
               -- count in their own rows, so that area totals count each once.
               CASE WHEN c.incidents IS NULL THEN 0
                    WHEN c.kind <> 'commune' THEN cardinality(c.incidents)
                    ELSE (SELECT count(*)::integer FROM unnest(c.incidents) x
                           WHERE x.unit_id = c.unit_id
                              OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)) END AS incidents,
               CASE WHEN c.incidents IS NULL THEN '{}'::jsonb
                    ELSE (SELECT coalesce(jsonb_object_agg(k.kind, k.n), '{}'::jsonb)
                            FROM (SELECT x.kind, count(*)::integer AS n FROM unnest(c.incidents) x
                                   WHERE c.kind <> 'commune' OR x.unit_id = c.unit_id
                                      OR x.unit_id IN (SELECT p.unit_id FROM antq.predecessors(c.unit_id) p WHERE p.depth <= 32)
                                   GROUP BY x.kind) k) END AS incidents_by_kind,
               (c.facts).tipoffs, (c.facts).outreach_target, (c.facts).outreach_reached,
               (c.facts).crime_reports_received, (c.facts).crime_reports_handled,
               (c.facts).traffic_accidents, (c.facts).traffic_deaths, (c.facts).traffic_injuries,
               now() AS computed_at
          FROM (
              SELECT c.*, CASE WHEN c.assessed THEN antq.classify(c.kind, c.province_code, c.year, c.score, c.safe_met) END AS rating
                FROM (
                    SELECT r.*, antq.complete(r.safe_att) AS safe_met, antq.complete(r.model_att) AS model_met
                      FROM (
                          SELECT i.*, (i.facts).unit_id IS NOT NULL AS assessed,
                                 CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                 antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                                               i.unit_counts) END AS safe_att,
                                 CASE WHEN (i.facts).unit_id IS NOT NULL THEN
                                 antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, NULL, NULL, NULL,
                                               i.checks_met, i.checks_recorded) END AS model_att
                            FROM (
                                SELECT q.*, coalesce(n.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[]) AS unit_counts
                                  FROM (
                                      -- q: the communes of the scope (every unit of it a commune: inc_pairs takes them all)
                                      WITH RECURSIVE units AS MATERIALIZED (
                                          -- the unit versions taking part (units_taking_part), with the commune and district each
                                          -- counts in
                                          SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
                                                 antq.window_start(u.kind, $2) AS ws, antq.window_end(u.kind, $2) AS we,
                                                 CASE WHEN p.kind = 'commune' THEN p.code END AS commune_code,
                                                 CASE WHEN $2 < 2025 THEN CASE WHEN p.kind = 'district' THEN p.code
                                                                               WHEN g.kind = 'district' THEN g.code END END AS district_code
                                            FROM antq.unit u
                                            LEFT JOIN antq.unit p ON p.unit_id = u.parent_id AND p.province_code = u.province_code
                                                                 AND p.kind IN ('commune', 'district')
                                            LEFT JOIN antq.unit g ON g.unit_id = p.parent_id AND g.kind = 'district'
                                           WHERE ($1 IS NULL OR u.province_code = $1) AND u.kind = 'commune'
                                             AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
                                             AND u.valid_from <= antq.window_end(u.kind, $2)
                                             AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, $2))
                                             AND (u.kind = ANY (ARRAY(SELECT t.kind FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NULL))
                                                  OR u.province_code || ':' || u.kind = ANY (ARRAY(SELECT t.province_code || ':' || t.kind
                                                                                                    FROM antq.kinds_taking_part($2) t WHERE t.province_code IS NOT NULL)))
                                             AND ($2 <= (SELECT antq.current_year())
                                                  OR EXISTS (SELECT FROM antq.assessment fa WHERE fa.unit_id = u.unit_id AND fa.year = $2))
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
                                          -- the units lying in each commune: from the incidents to their units, one lookup each (OFFSET 0:
                                             -- not a hash of the whole unit table)
                                          SELECT s.unit_id, i.incident_id
                                            FROM antq.incident i
                                            CROSS JOIN LATERAL (SELECT c.parent_id FROM antq.unit c WHERE c.unit_id = i.unit_id OFFSET 0) c
                                            JOIN units s ON s.unit_id = c.parent_id AND i.occurred_on BETWEEN s.ws AND s.we
                                           WHERE true
                                          UNION
                                          SELECT s.unit_id, i.incident_id
                                            FROM anc a JOIN units s ON s.unit_id = a.unit_id AND true
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
                                             checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating, mp.unit_id IS NOT NULL,
                                             s.commune_code, s.district_code
                                        FROM units s
                                        LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = $2
                                        LEFT JOIN antq.assessment pa ON pa.unit_id = s.unit_id AND pa.year = $2 - 1
                                        LEFT JOIN prev_lineage pl ON pl.unit_id = s.unit_id
                                        LEFT JOIN inc ON inc.unit_id = s.unit_id
                                        LEFT JOIN checks ON checks.unit_id = s.unit_id
                                        LEFT JOIN scores ON scores.unit_id = s.unit_id
                                        LEFT JOIN decisions ON decisions.unit_id = s.unit_id
                                        LEFT JOIN antq.model_participation mp ON mp.unit_id = s.unit_id AND mp.year = $2
                                  ) AS q(unit_id, kind, sub_kind, code, name, province_code, year, parent_id, managed_by, facts, prev,
                                         incidents, checks_met, checks_recorded, score, decision_met, decision_rating, model_programme, commune_code, district_code)
                                  LEFT JOIN counts n ON n.commune_id = q.unit_id
                            ) i
                          OFFSET 0
                      ) r
                    OFFSET 0
                ) c
              OFFSET 0
          ) c
    $q$
    USING NULL::text, p_year, p_commune_ids, p_commune_counts;
END
$body$;
COMMENT ON FUNCTION antq.commune_results(integer, bigint[], integer[]) IS
  'Results of every commune of the nation in a year, computed live with the given criterion-4 counts of its units (kết quả xã theo số đơn vị đã đếm): p_commune_ids and p_commune_counts, 12 integers a commune in the same order as in antq.unit_result.unit_counts, as antq.results_stale tallies them; a commune not given counts none. The last step of a national recompute (antq.compute_results); rows shaped as antq.unit_result.';

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

-- Which units of the nation have stored results of a year that no longer hold (C,
-- extension/recompute/stale_results.c): what a national recompute rewrites. Like every function that
-- only reads, anyone may call it: it checks SELECT on each table it reads, as a query would.
CREATE FUNCTION antq.results_stale(p_year integer, OUT stale bigint[], OUT commune_ids bigint[], OUT commune_counts integer[])
RETURNS record LANGUAGE C STABLE STRICT AS 'MODULE_PATHNAME', 'antq_results_stale';
COMMENT ON FUNCTION antq.results_stale(integer) IS
  'Units whose stored result of the year (antq.unit_result) is stale (kết quả đã lưu không còn đúng), found in one pass in C: every unit other than a commune whose stored row is missing or differs from what the engine computes, and every stored row of a unit no longer taking part (communes are not reported); stale: their sorted ids. With them, each commune''s criterion-4 counts as its units will be stored: commune_ids, and commune_counts, 12 integers a commune (per kind residential_area, agency, enterprise, school: total, registered, recognized). All NULL when the pass cannot stand for the SQL path (row-level security applying to the caller on a table it reads, as the confinement policies do to every role but the owner and superusers; a column of antq.unit_result it does not know).';

-- Recompute a province-year (NULL: the nation) into antq.unit_result, writing only what
-- changed. The fresh results are compared with the stored ones in one full join that keeps
-- only the rows that differ; those are then updated, inserted or deleted. (An
-- INSERT .. ON CONFLICT DO UPDATE WHERE would lock, and so write, every stored row before
-- comparing it: 7 of the 29 s of a national recompute.) Every column of antq.unit_result but
-- computed_at is compared and every one written, in the table's order: a new column is added
-- to the three statements below (tests/pgtap/stale_results.sql fails when one is missing). The
-- antq types compare with their own <> operators, which are not on the function's search_path.
--
-- The nation, once stored, in three steps instead of one pass over every unit: which units'
-- stored rows are stale (antq.results_stale, in C, ~4 s where the SQL pass takes ~15), those
-- units through the list path, then every commune with its units counted as the pass tallied
-- them (antq.commune_results). When more than antq.stale_limit units are stale (a rule change that
-- moves many results), the list path's index lookups would cost more than the one pass, which
-- runs instead; at -1 the one pass always runs (bench/stale_callgrind.sh compares the two).
CREATE FUNCTION antq.compute_results(p_province_code text, p_year integer)
RETURNS bigint LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $body$
DECLARE
    written bigint := 0;
    stale   bigint[];
    commune_ids bigint[];
    commune_counts integer[];
    limit_  integer;  -- antq.stale_limit
BEGIN
    -- One recompute of a province-year at a time, under the same locks as the worker's
    -- (antq.lock_keys, sql/60_worker.sql; the nation takes every province's): others wait
    -- rather than interleave.
    PERFORM antq.lock_keys(ARRAY[coalesce(p_province_code, '*')], ARRAY[p_year]);
    -- The year's first computation: nothing to compare with, every row is new. Stored in the
    -- order of the units' ids (a registry numbered by a sequence lies in that order): a national
    -- pass (antq.results_stale) fetches each unit's stored row as it visits the units, and rows
    -- in the plan's order cost it a block read a unit.
    IF NOT EXISTS (SELECT FROM antq.unit_result r WHERE r.year = p_year) THEN
        INSERT INTO antq.unit_result SELECT * FROM antq.results_computed(p_province_code, p_year) ORDER BY unit_id;
        GET DIAGNOSTICS written = ROW_COUNT;
        RETURN written;
    END IF;
    limit_ := coalesce(current_setting('antq.stale_limit', true)::integer, 50000);
    IF p_province_code IS NULL AND limit_ >= 0 THEN
        SELECT s.stale, s.commune_ids, s.commune_counts INTO stale, commune_ids, commune_counts
          FROM antq.results_stale(p_year) s;
        IF cardinality(stale) <= limit_ THEN
            -- the stale units (no communes among them but a unit that became one), each
            -- commune of the list counting its other units as stored
            WITH fresh AS NOT MATERIALIZED (
                SELECT * FROM antq.results_computed(NULL, p_year, stale, true)
            ), stored AS (
                SELECT * FROM antq.unit_result r WHERE r.unit_id = ANY (stale) AND r.year = p_year
            ), diff AS MATERIALIZED (
                -- the fresh rows that differ from the stored ones (or are new), whole; and the stored
                -- rows no longer computed, by stored_id alone; every column but computed_at compared,
                -- antq's types with their own <> (not on the search_path)
                SELECT f.*, r.unit_id AS stored_id
                  FROM fresh f FULL JOIN stored r ON r.unit_id = f.unit_id
                 WHERE f.unit_id IS NULL OR r.unit_id IS NULL
                       OR r.unit_id IS DISTINCT FROM f.unit_id
                       OR r.year IS DISTINCT FROM f.year
                       OR r.kind IS DISTINCT FROM f.kind
                       OR r.code IS DISTINCT FROM f.code
                       OR r.name IS DISTINCT FROM f.name
                       OR r.province_code IS DISTINCT FROM f.province_code
                       OR r.registered IS DISTINCT FROM f.registered
                       OR r.assessed IS DISTINCT FROM f.assessed
                       OR (r.safe_attainment IS NULL) <> (f.safe_attainment IS NULL) OR r.safe_attainment OPERATOR(antq.<>) f.safe_attainment
                       OR r.safe_met IS DISTINCT FROM f.safe_met
                       OR r.score IS DISTINCT FROM f.score
                       OR (r.rating IS NULL) <> (f.rating IS NULL) OR r.rating OPERATOR(antq.<>) f.rating
                       OR (r.model_attainment IS NULL) <> (f.model_attainment IS NULL) OR r.model_attainment OPERATOR(antq.<>) f.model_attainment
                       OR r.model_met IS DISTINCT FROM f.model_met
                       OR r.model_programme IS DISTINCT FROM f.model_programme OR r.model_on_track IS DISTINCT FROM f.model_on_track
                       OR r.unit_counts IS DISTINCT FROM f.unit_counts
                       OR r.decision_met IS DISTINCT FROM f.decision_met
                       OR (r.decision_rating IS NULL) <> (f.decision_rating IS NULL) OR r.decision_rating OPERATOR(antq.<>) f.decision_rating
                       OR r.disagrees IS DISTINCT FROM f.disagrees
                       OR r.commune_code IS DISTINCT FROM f.commune_code
                       OR r.district_code IS DISTINCT FROM f.district_code
                       OR r.incidents IS DISTINCT FROM f.incidents
                       OR r.incidents_by_kind IS DISTINCT FROM f.incidents_by_kind
                       OR r.tipoffs IS DISTINCT FROM f.tipoffs
                       OR r.outreach_target IS DISTINCT FROM f.outreach_target
                       OR r.outreach_reached IS DISTINCT FROM f.outreach_reached
                       OR r.crime_reports_received IS DISTINCT FROM f.crime_reports_received
                       OR r.crime_reports_handled IS DISTINCT FROM f.crime_reports_handled
                       OR r.traffic_accidents IS DISTINCT FROM f.traffic_accidents
                       OR r.traffic_deaths IS DISTINCT FROM f.traffic_deaths
                       OR r.traffic_injuries IS DISTINCT FROM f.traffic_injuries
            ), changed AS (
                -- by key, wherever stored: a unit that moved here from another province may still
                -- have its row there (until that province is recomputed), which it takes over
                UPDATE antq.unit_result r
                   SET unit_id = d.unit_id, year = d.year, kind = d.kind, code = d.code, name = d.name,
                       province_code = d.province_code, registered = d.registered, assessed = d.assessed,
                       safe_attainment = d.safe_attainment, safe_met = d.safe_met, score = d.score, rating = d.rating,
                       model_attainment = d.model_attainment, model_met = d.model_met, model_programme = d.model_programme,
                       model_on_track = d.model_on_track, unit_counts = d.unit_counts,
                       decision_met = d.decision_met, decision_rating = d.decision_rating, disagrees = d.disagrees,
                       commune_code = d.commune_code, district_code = d.district_code, incidents = d.incidents,
                       incidents_by_kind = d.incidents_by_kind, tipoffs = d.tipoffs, outreach_target = d.outreach_target,
                       outreach_reached = d.outreach_reached, crime_reports_received = d.crime_reports_received,
                       crime_reports_handled = d.crime_reports_handled, traffic_accidents = d.traffic_accidents,
                       traffic_deaths = d.traffic_deaths, traffic_injuries = d.traffic_injuries,
                       computed_at = d.computed_at
                  FROM diff d
                 WHERE d.unit_id IS NOT NULL AND r.unit_id = d.unit_id AND r.year = p_year
                RETURNING 1
            ), gone AS (
                DELETE FROM antq.unit_result r USING diff d
                 WHERE d.unit_id IS NULL AND r.unit_id = d.stored_id AND r.year = p_year
                RETURNING 1
            ), added AS (
                INSERT INTO antq.unit_result (unit_id, year, kind, code, name, province_code, registered, assessed, safe_attainment, safe_met,
                                              score, rating, model_attainment, model_met, model_programme, model_on_track, unit_counts, decision_met, decision_rating, disagrees,
                                              commune_code, district_code, incidents, incidents_by_kind, tipoffs, outreach_target,
                                              outreach_reached, crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths,
                                              traffic_injuries, computed_at)
                SELECT d.unit_id, d.year, d.kind, d.code, d.name, d.province_code, d.registered, d.assessed,
                       d.safe_attainment, d.safe_met, d.score, d.rating, d.model_attainment, d.model_met, d.model_programme, d.model_on_track, d.unit_counts,
                       d.decision_met, d.decision_rating, d.disagrees, d.commune_code, d.district_code, d.incidents,
                       d.incidents_by_kind, d.tipoffs, d.outreach_target, d.outreach_reached, d.crime_reports_received,
                       d.crime_reports_handled, d.traffic_accidents, d.traffic_deaths, d.traffic_injuries, d.computed_at
                  FROM diff d
                 WHERE d.unit_id IS NOT NULL AND d.stored_id IS NULL
                   AND NOT EXISTS (SELECT FROM antq.unit_result x WHERE x.unit_id = d.unit_id AND x.year = p_year)
                 ORDER BY d.unit_id
                RETURNING 1
            )
            SELECT written + (SELECT count(*) FROM changed) + (SELECT count(*) FROM added) + (SELECT count(*) FROM gone)
              INTO written;
            -- then every commune, its units counted as the pass tallied them
            WITH fresh AS NOT MATERIALIZED (
                SELECT * FROM antq.commune_results(p_year, commune_ids, commune_counts)
            ), stored AS (
                SELECT * FROM antq.unit_result r WHERE r.kind = 'commune' AND r.year = p_year
            ), diff AS MATERIALIZED (
                -- the fresh rows that differ from the stored ones (or are new), whole; and the stored
                -- rows no longer computed, by stored_id alone; every column but computed_at compared,
                -- antq's types with their own <> (not on the search_path)
                SELECT f.*, r.unit_id AS stored_id
                  FROM fresh f FULL JOIN stored r ON r.unit_id = f.unit_id
                 WHERE f.unit_id IS NULL OR r.unit_id IS NULL
                       OR r.unit_id IS DISTINCT FROM f.unit_id
                       OR r.year IS DISTINCT FROM f.year
                       OR r.kind IS DISTINCT FROM f.kind
                       OR r.code IS DISTINCT FROM f.code
                       OR r.name IS DISTINCT FROM f.name
                       OR r.province_code IS DISTINCT FROM f.province_code
                       OR r.registered IS DISTINCT FROM f.registered
                       OR r.assessed IS DISTINCT FROM f.assessed
                       OR (r.safe_attainment IS NULL) <> (f.safe_attainment IS NULL) OR r.safe_attainment OPERATOR(antq.<>) f.safe_attainment
                       OR r.safe_met IS DISTINCT FROM f.safe_met
                       OR r.score IS DISTINCT FROM f.score
                       OR (r.rating IS NULL) <> (f.rating IS NULL) OR r.rating OPERATOR(antq.<>) f.rating
                       OR (r.model_attainment IS NULL) <> (f.model_attainment IS NULL) OR r.model_attainment OPERATOR(antq.<>) f.model_attainment
                       OR r.model_met IS DISTINCT FROM f.model_met
                       OR r.model_programme IS DISTINCT FROM f.model_programme OR r.model_on_track IS DISTINCT FROM f.model_on_track
                       OR r.unit_counts IS DISTINCT FROM f.unit_counts
                       OR r.decision_met IS DISTINCT FROM f.decision_met
                       OR (r.decision_rating IS NULL) <> (f.decision_rating IS NULL) OR r.decision_rating OPERATOR(antq.<>) f.decision_rating
                       OR r.disagrees IS DISTINCT FROM f.disagrees
                       OR r.commune_code IS DISTINCT FROM f.commune_code
                       OR r.district_code IS DISTINCT FROM f.district_code
                       OR r.incidents IS DISTINCT FROM f.incidents
                       OR r.incidents_by_kind IS DISTINCT FROM f.incidents_by_kind
                       OR r.tipoffs IS DISTINCT FROM f.tipoffs
                       OR r.outreach_target IS DISTINCT FROM f.outreach_target
                       OR r.outreach_reached IS DISTINCT FROM f.outreach_reached
                       OR r.crime_reports_received IS DISTINCT FROM f.crime_reports_received
                       OR r.crime_reports_handled IS DISTINCT FROM f.crime_reports_handled
                       OR r.traffic_accidents IS DISTINCT FROM f.traffic_accidents
                       OR r.traffic_deaths IS DISTINCT FROM f.traffic_deaths
                       OR r.traffic_injuries IS DISTINCT FROM f.traffic_injuries
            ), changed AS (
                -- by key, wherever stored: a unit that moved here from another province may still
                -- have its row there (until that province is recomputed), which it takes over
                UPDATE antq.unit_result r
                   SET unit_id = d.unit_id, year = d.year, kind = d.kind, code = d.code, name = d.name,
                       province_code = d.province_code, registered = d.registered, assessed = d.assessed,
                       safe_attainment = d.safe_attainment, safe_met = d.safe_met, score = d.score, rating = d.rating,
                       model_attainment = d.model_attainment, model_met = d.model_met, model_programme = d.model_programme,
                       model_on_track = d.model_on_track, unit_counts = d.unit_counts,
                       decision_met = d.decision_met, decision_rating = d.decision_rating, disagrees = d.disagrees,
                       commune_code = d.commune_code, district_code = d.district_code, incidents = d.incidents,
                       incidents_by_kind = d.incidents_by_kind, tipoffs = d.tipoffs, outreach_target = d.outreach_target,
                       outreach_reached = d.outreach_reached, crime_reports_received = d.crime_reports_received,
                       crime_reports_handled = d.crime_reports_handled, traffic_accidents = d.traffic_accidents,
                       traffic_deaths = d.traffic_deaths, traffic_injuries = d.traffic_injuries,
                       computed_at = d.computed_at
                  FROM diff d
                 WHERE d.unit_id IS NOT NULL AND r.unit_id = d.unit_id AND r.year = p_year
                RETURNING 1
            ), gone AS (
                DELETE FROM antq.unit_result r USING diff d
                 WHERE d.unit_id IS NULL AND r.unit_id = d.stored_id AND r.year = p_year
                RETURNING 1
            ), added AS (
                INSERT INTO antq.unit_result (unit_id, year, kind, code, name, province_code, registered, assessed, safe_attainment, safe_met,
                                              score, rating, model_attainment, model_met, model_programme, model_on_track, unit_counts, decision_met, decision_rating, disagrees,
                                              commune_code, district_code, incidents, incidents_by_kind, tipoffs, outreach_target,
                                              outreach_reached, crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths,
                                              traffic_injuries, computed_at)
                SELECT d.unit_id, d.year, d.kind, d.code, d.name, d.province_code, d.registered, d.assessed,
                       d.safe_attainment, d.safe_met, d.score, d.rating, d.model_attainment, d.model_met, d.model_programme, d.model_on_track, d.unit_counts,
                       d.decision_met, d.decision_rating, d.disagrees, d.commune_code, d.district_code, d.incidents,
                       d.incidents_by_kind, d.tipoffs, d.outreach_target, d.outreach_reached, d.crime_reports_received,
                       d.crime_reports_handled, d.traffic_accidents, d.traffic_deaths, d.traffic_injuries, d.computed_at
                  FROM diff d
                 WHERE d.unit_id IS NOT NULL AND d.stored_id IS NULL
                   AND NOT EXISTS (SELECT FROM antq.unit_result x WHERE x.unit_id = d.unit_id AND x.year = p_year)
                 ORDER BY d.unit_id
                RETURNING 1
            )
            SELECT written + (SELECT count(*) FROM changed) + (SELECT count(*) FROM added) + (SELECT count(*) FROM gone)
              INTO written;
            RETURN written;
        END IF;
    END IF;
    -- one pass over the scope
    WITH fresh AS NOT MATERIALIZED (
        SELECT * FROM antq.results_computed(p_province_code, p_year)
    ), stored AS (
        SELECT * FROM antq.unit_result r WHERE (p_province_code IS NULL OR r.province_code = p_province_code) AND r.year = p_year
    ), diff AS MATERIALIZED (
        -- the fresh rows that differ from the stored ones (or are new), whole; and the stored
        -- rows no longer computed, by stored_id alone; every column but computed_at compared,
        -- antq's types with their own <> (not on the search_path)
        SELECT f.*, r.unit_id AS stored_id
          FROM fresh f FULL JOIN stored r ON r.unit_id = f.unit_id
         WHERE f.unit_id IS NULL OR r.unit_id IS NULL
               OR r.unit_id IS DISTINCT FROM f.unit_id
               OR r.year IS DISTINCT FROM f.year
               OR r.kind IS DISTINCT FROM f.kind
               OR r.code IS DISTINCT FROM f.code
               OR r.name IS DISTINCT FROM f.name
               OR r.province_code IS DISTINCT FROM f.province_code
               OR r.registered IS DISTINCT FROM f.registered
               OR r.assessed IS DISTINCT FROM f.assessed
               OR (r.safe_attainment IS NULL) <> (f.safe_attainment IS NULL) OR r.safe_attainment OPERATOR(antq.<>) f.safe_attainment
               OR r.safe_met IS DISTINCT FROM f.safe_met
               OR r.score IS DISTINCT FROM f.score
               OR (r.rating IS NULL) <> (f.rating IS NULL) OR r.rating OPERATOR(antq.<>) f.rating
               OR (r.model_attainment IS NULL) <> (f.model_attainment IS NULL) OR r.model_attainment OPERATOR(antq.<>) f.model_attainment
               OR r.model_met IS DISTINCT FROM f.model_met
               OR r.model_programme IS DISTINCT FROM f.model_programme OR r.model_on_track IS DISTINCT FROM f.model_on_track
               OR r.unit_counts IS DISTINCT FROM f.unit_counts
               OR r.decision_met IS DISTINCT FROM f.decision_met
               OR (r.decision_rating IS NULL) <> (f.decision_rating IS NULL) OR r.decision_rating OPERATOR(antq.<>) f.decision_rating
               OR r.disagrees IS DISTINCT FROM f.disagrees
               OR r.commune_code IS DISTINCT FROM f.commune_code
               OR r.district_code IS DISTINCT FROM f.district_code
               OR r.incidents IS DISTINCT FROM f.incidents
               OR r.incidents_by_kind IS DISTINCT FROM f.incidents_by_kind
               OR r.tipoffs IS DISTINCT FROM f.tipoffs
               OR r.outreach_target IS DISTINCT FROM f.outreach_target
               OR r.outreach_reached IS DISTINCT FROM f.outreach_reached
               OR r.crime_reports_received IS DISTINCT FROM f.crime_reports_received
               OR r.crime_reports_handled IS DISTINCT FROM f.crime_reports_handled
               OR r.traffic_accidents IS DISTINCT FROM f.traffic_accidents
               OR r.traffic_deaths IS DISTINCT FROM f.traffic_deaths
               OR r.traffic_injuries IS DISTINCT FROM f.traffic_injuries
    ), changed AS (
        -- by key, wherever stored: a unit that moved here from another province may still
        -- have its row there (until that province is recomputed), which it takes over
        UPDATE antq.unit_result r
           SET unit_id = d.unit_id, year = d.year, kind = d.kind, code = d.code, name = d.name,
               province_code = d.province_code, registered = d.registered, assessed = d.assessed,
               safe_attainment = d.safe_attainment, safe_met = d.safe_met, score = d.score, rating = d.rating,
               model_attainment = d.model_attainment, model_met = d.model_met, model_programme = d.model_programme,
                       model_on_track = d.model_on_track, unit_counts = d.unit_counts,
               decision_met = d.decision_met, decision_rating = d.decision_rating, disagrees = d.disagrees,
               commune_code = d.commune_code, district_code = d.district_code, incidents = d.incidents,
               incidents_by_kind = d.incidents_by_kind, tipoffs = d.tipoffs, outreach_target = d.outreach_target,
               outreach_reached = d.outreach_reached, crime_reports_received = d.crime_reports_received,
               crime_reports_handled = d.crime_reports_handled, traffic_accidents = d.traffic_accidents,
               traffic_deaths = d.traffic_deaths, traffic_injuries = d.traffic_injuries,
               computed_at = d.computed_at
          FROM diff d
         WHERE d.unit_id IS NOT NULL AND r.unit_id = d.unit_id AND r.year = p_year
        RETURNING 1
    ), gone AS (
        DELETE FROM antq.unit_result r USING diff d
         WHERE d.unit_id IS NULL AND r.unit_id = d.stored_id AND r.year = p_year
        RETURNING 1
    ), added AS (
        INSERT INTO antq.unit_result (unit_id, year, kind, code, name, province_code, registered, assessed, safe_attainment, safe_met,
                                      score, rating, model_attainment, model_met, model_programme, model_on_track, unit_counts, decision_met, decision_rating, disagrees,
                                      commune_code, district_code, incidents, incidents_by_kind, tipoffs, outreach_target,
                                      outreach_reached, crime_reports_received, crime_reports_handled, traffic_accidents, traffic_deaths,
                                      traffic_injuries, computed_at)
        SELECT d.unit_id, d.year, d.kind, d.code, d.name, d.province_code, d.registered, d.assessed,
               d.safe_attainment, d.safe_met, d.score, d.rating, d.model_attainment, d.model_met, d.model_programme, d.model_on_track, d.unit_counts,
               d.decision_met, d.decision_rating, d.disagrees, d.commune_code, d.district_code, d.incidents,
               d.incidents_by_kind, d.tipoffs, d.outreach_target, d.outreach_reached, d.crime_reports_received,
               d.crime_reports_handled, d.traffic_accidents, d.traffic_deaths, d.traffic_injuries, d.computed_at
          FROM diff d
         WHERE d.unit_id IS NOT NULL AND d.stored_id IS NULL
           AND NOT EXISTS (SELECT FROM antq.unit_result x WHERE x.unit_id = d.unit_id AND x.year = p_year)
         ORDER BY d.unit_id
        RETURNING 1
    )
    SELECT written + (SELECT count(*) FROM changed) + (SELECT count(*) FROM added) + (SELECT count(*) FROM gone)
      INTO written;
    RETURN written;
END
$body$;
COMMENT ON FUNCTION antq.compute_results(text, integer) IS
  'Recompute the results of one province (NULL: the nation, in one pass) and year (tính lại kết quả tỉnh, năm) into antq.unit_result in one transaction: units first, then communes; rows of units no longer taking part are removed. Returns the rows written (new, changed or removed): 0 when every stored result was already right.';
-- Only the extension's own code recomputes (the worker, antq.refresh): a writer running
-- national recomputes at will would hold every province's locks. No role is granted EXECUTE
-- (sql/90_grants.sql).

CREATE FUNCTION antq.explain_unit(p_unit_id bigint, p_year integer, p_standard text DEFAULT 'safe')
RETURNS TABLE (criterion_pos integer, set_id text, criterion_no integer, state text, reason text, reason_vi text)
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
  -- A unit-year without facts is not assessed, as antq.results_computed stores it: no
  -- criterion is met or not met, whatever evaluating nothing would say.
  SELECT e.criterion_pos, e.set_id, e.criterion_no,
         CASE WHEN i.facts IS NULL THEN 'not assessed' ELSE e.state END,
         CASE WHEN i.facts IS NULL THEN pg_catalog.format('%s: not assessed, no facts recorded for %s', e.criterion_no, p_year)
              ELSE e.reason END,
         CASE WHEN i.facts IS NULL THEN pg_catalog.format('%s: chưa đánh giá, chưa có số liệu năm %s', e.criterion_no, p_year)
              ELSE e.reason_vi END
    FROM i LEFT JOIN r ON true,
         antq.explain(p_standard, i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                      r.unit_counts, i.checks_met, i.checks_recorded) e
$$;
COMMENT ON FUNCTION antq.explain_unit(bigint, integer, text) IS
  'Why a unit meets a standard or not in a year (giải thích kết quả đơn vị): one row per criterion with met / not met / not applicable (not assessed for every criterion when the unit has no facts of the year, as its result), the reason in English (e.g. "4b: serious crime on 2024-03-02, not force majeure, not handled promptly") and in Vietnamese with the level required (reason_vi, e.g. "5: xếp loại lực lượng nòng cốt, bảo vệ là «hoàn thành nhiệm vụ», dưới mức yêu cầu «hoàn thành tốt nhiệm vụ»").';


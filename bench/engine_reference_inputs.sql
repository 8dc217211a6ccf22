-- Reference of the input query (psql script, loaded after bench/engine_reference.sql): the
-- set-based antq.unit_inputs and antq.results_computed as they were before the input query was
-- restructured for speed (commit 9f75ec8), kept verbatim under other names so that
-- bench/engine_bench.sh can check that the shipped functions still give the same rows.

CREATE FUNCTION bench.ref_unit_inputs(p_province_code text, p_year integer, p_unit_ids bigint[] DEFAULT NULL)
RETURNS TABLE (unit_id bigint, kind text, sub_kind text, code text, name text, province_code text, year integer,
               parent_id bigint, managed_by bigint, facts antq.assessment, prev antq.assessment[], incidents antq.incident[],
               checks_met integer[], checks_recorded integer[], score numeric, decision_met boolean, decision_rating antq.rating)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH RECURSIVE units AS MATERIALIZED (
      SELECT u.unit_id, u.kind, u.sub_kind, u.code, u.name, u.province_code, u.parent_id, u.managed_by,
             antq.window_start(u.kind, p_year) AS ws, antq.window_end(u.kind, p_year) AS we
        FROM antq.unit u
       WHERE (p_province_code IS NULL OR u.province_code = p_province_code)
         AND (p_unit_ids IS NULL OR u.unit_id = ANY (p_unit_ids))
         AND u.kind IN ('residential_area', 'commune', 'agency', 'enterprise', 'school', 'district')
         AND u.valid_from <= antq.window_end(u.kind, p_year)
         AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, p_year))
  ),
  -- Lineage: every version each unit grew out of, itself included.
  anc (unit_id, ancestor_id, depth) AS (
      SELECT s.unit_id, s.unit_id, 0 FROM units s
      UNION ALL
      SELECT a.unit_id, l.predecessor_id, a.depth + 1
        FROM anc a JOIN antq.unit_lineage l ON l.successor_id = a.ancestor_id
       WHERE a.depth < 32
  ),
  -- Previous year: the version's own assessment, else its predecessors' (recursively).
  walk (unit_id, source_id, depth) AS (
      SELECT s.unit_id, s.unit_id, 0 FROM units s
      UNION ALL
      SELECT w.unit_id, l.predecessor_id, w.depth + 1
        FROM walk w JOIN antq.unit_lineage l ON l.successor_id = w.source_id
       WHERE w.depth < 32
         AND NOT EXISTS (SELECT 1 FROM antq.assessment a WHERE a.unit_id = w.source_id AND a.year = p_year - 1)
  ),
  prev AS (
      SELECT w.unit_id, array_agg(a ORDER BY a.unit_id) AS rows
        FROM (SELECT DISTINCT w0.unit_id, w0.source_id FROM walk w0) w
        JOIN antq.assessment a ON a.unit_id = w.source_id AND a.year = p_year - 1
       GROUP BY w.unit_id
  ),
  -- Where a unit's events happen: its own versions and, for a commune, every unit lying in them.
  places AS (
      SELECT a.unit_id, a.ancestor_id AS place_id FROM anc a
      UNION
      SELECT a.unit_id, c.unit_id
        FROM anc a JOIN units s ON s.unit_id = a.unit_id AND s.kind = 'commune'
        JOIN antq.unit c ON c.parent_id = a.ancestor_id
  ),
  inc AS (
      SELECT p.unit_id, array_agg(i ORDER BY i.occurred_on, i.incident_id) AS rows
        FROM places p JOIN units s ON s.unit_id = p.unit_id
        JOIN antq.incident i ON i.unit_id = p.place_id AND i.occurred_on BETWEEN s.ws AND s.we
       GROUP BY p.unit_id
  ),
  checks AS (
      SELECT m.unit_id, array_agg(m.criterion_no) FILTER (WHERE m.met) AS met, array_agg(m.criterion_no) AS recorded
        FROM antq.model_check m JOIN units s ON s.unit_id = m.unit_id
       WHERE m.year = p_year
       GROUP BY m.unit_id
  ),
  scores AS (
      SELECT sc.unit_id, sum(sc.points) AS total
        FROM antq.score sc JOIN units s ON s.unit_id = sc.unit_id
       WHERE sc.year = p_year
       GROUP BY sc.unit_id
  ),
  decisions AS (
      SELECT d.unit_id, bool_or(d.met) FILTER (WHERE d.kind = 'recognition') AS met,
             max(d.rating::integer) FILTER (WHERE d.kind = 'classification') AS rating
        FROM antq.decision d JOIN units s ON s.unit_id = d.unit_id
       WHERE d.year = p_year
       GROUP BY d.unit_id
  )
  SELECT s.unit_id, s.kind, s.sub_kind, s.code, s.name, s.province_code, p_year, s.parent_id, s.managed_by,
         a, prev.rows, inc.rows, checks.met, checks.recorded, scores.total, decisions.met, decisions.rating::antq.rating
    FROM units s
    LEFT JOIN antq.assessment a ON a.unit_id = s.unit_id AND a.year = p_year
    LEFT JOIN prev ON prev.unit_id = s.unit_id
    LEFT JOIN inc ON inc.unit_id = s.unit_id
    LEFT JOIN checks ON checks.unit_id = s.unit_id
    LEFT JOIN scores ON scores.unit_id = s.unit_id
    LEFT JOIN decisions ON decisions.unit_id = s.unit_id
$$;

CREATE FUNCTION bench.ref_results_computed(p_province_code text, p_year integer, p_unit_ids bigint[] DEFAULT NULL)
RETURNS SETOF antq.unit_result
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH inputs AS MATERIALIZED (
      SELECT * FROM bench.ref_unit_inputs(p_province_code, p_year, p_unit_ids)
  ),
  -- First residential areas, agencies, enterprises, schools (and districts, scored only).
  units AS MATERIALIZED (
      SELECT i.*, NULL::integer[] AS unit_counts,
             antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents) AS safe_att
        FROM inputs i WHERE i.kind <> 'commune'
  ),
  -- Then what a commune's criterion 4 reads: its units' registrations and recognitions.
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
        FROM (SELECT CASE WHEN u.kind = 'residential_area' THEN u.parent_id ELSE u.managed_by END AS commune_id, u.kind,
                     (u.facts).registered_on IS NOT NULL AS registered,
                     coalesce(u.decision_met, antq.complete(u.safe_att)) AS recognized
                FROM units u WHERE u.kind IN ('residential_area', 'agency', 'enterprise', 'school')) x
       WHERE x.commune_id IS NOT NULL
       GROUP BY x.commune_id
  ),
  communes AS (
      SELECT i.*, coalesce(c.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[]) AS unit_counts,
             antq.evaluate('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
                           coalesce(c.unit_counts, '{0,0,0,0,0,0,0,0,0,0,0,0}'::integer[])) AS safe_att
        FROM inputs i LEFT JOIN counts c ON c.commune_id = i.unit_id
       WHERE i.kind = 'commune'
  ),
  evaluated AS (
      SELECT r.*, antq.complete(r.safe_att) AS safe_met,
             antq.evaluate('model', r.kind, r.sub_kind, r.province_code, r.year, r.facts, NULL, NULL, NULL,
                           r.checks_met, r.checks_recorded) AS model_att
        FROM (SELECT * FROM units UNION ALL SELECT * FROM communes) r
  ),
  classified AS (
      SELECT e.*, antq.classify(e.kind, e.province_code, e.year, e.score, e.safe_met) AS rating
        FROM evaluated e
  )
  SELECT c.unit_id, c.year, c.kind, c.code, c.name, c.province_code, (c.facts).registered_on IS NOT NULL,
         c.safe_att, c.safe_met, c.score, c.rating, c.model_att, antq.complete(c.model_att), c.unit_counts,
         c.decision_met, c.decision_rating,
         coalesce((c.decision_met IS NOT NULL AND c.decision_met IS DISTINCT FROM c.safe_met)
                  OR (c.decision_rating IS NOT NULL AND c.decision_rating::integer IS DISTINCT FROM c.rating::integer), false),
         now()
    FROM classified c
$$;

-- The worker's SQL side (tiến trình nền): recomputing a set of (province, year) keys, draining
-- antq.pending, synchronous refresh, verification against a full recompute, and the status
-- view. The C worker (worker/worker.c) calls antq.process_pending() in a loop.

-- Every (province, year) key in scope: the given province or all provinces, the given year or
-- all years from antq.capture_first_year through next year plus any year already summarized.
CREATE FUNCTION antq.keys_in_scope(p_province_code text, p_year integer)
RETURNS TABLE (province_code text, year integer) LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH provinces AS (
    SELECT u.province_code FROM antq.unit u
    WHERE p_province_code IS NULL OR u.province_code OPERATOR(pg_catalog.=) p_province_code
    UNION
    SELECT s.province_code FROM antq.summary s
    WHERE s.province_code IS NOT NULL
      AND (p_province_code IS NULL OR s.province_code OPERATOR(pg_catalog.=) p_province_code)),
  years AS (
    -- missing_ok: a session that has not loaded the library yet does not know the GUC
    SELECT g.y FROM generate_series(coalesce(current_setting('antq.capture_first_year', true), '2013')::integer,
                                    extract(year FROM now())::integer OPERATOR(pg_catalog.+) 1) AS g(y)
    WHERE p_year IS NULL OR g.y OPERATOR(pg_catalog.=) p_year
    UNION
    SELECT s.year FROM antq.summary s WHERE p_year IS NULL OR s.year OPERATOR(pg_catalog.=) p_year)
  SELECT p.province_code, y.y FROM provinces p CROSS JOIN years y
$$;
COMMENT ON FUNCTION antq.keys_in_scope(text, integer) IS
  'The (province, year) keys a refresh or verification covers (phạm vi tính lại); NULL means all.';

-- Recompute results and summaries of the given keys ('*' = every province) in the caller's
-- transaction. Keys are locked (advisory, per key) in sorted order, nation rows last, so the
-- worker and antq.refresh() never deadlock and never recompute one key at the same time.
CREATE FUNCTION antq.recompute_keys(p_provinces text[], p_years integer[])
RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k       record;
    n       integer := 0;
    engine  boolean := to_regprocedure('antq.compute_results(text,integer)') IS NOT NULL;
BEGIN
    FOR k IN
        WITH given AS (SELECT * FROM unnest(p_provinces, p_years) AS g(p, y))
        SELECT DISTINCT s.province_code AS p, g.y
        FROM given g CROSS JOIN LATERAL antq.keys_in_scope(NULL, g.y) s
        WHERE g.p OPERATOR(pg_catalog.=) '*'
        UNION
        SELECT g.p, g.y FROM given g WHERE g.p OPERATOR(pg_catalog.<>) '*'
        ORDER BY 1, 2
    LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended(format('antq %s %s', k.p, k.y), 0));
        IF engine THEN
            PERFORM antq.compute_results(k.p, k.y);
        END IF;
        DELETE FROM antq.summary s
        WHERE s.province_code OPERATOR(pg_catalog.=) k.p AND s.year OPERATOR(pg_catalog.=) k.y;
        INSERT INTO antq.summary SELECT * FROM antq.summary_computed(k.p, k.y);
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;
    FOR k IN SELECT DISTINCT y FROM unnest(p_years) AS g(y) ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended(format('antq nation %s', k.y), 0));
        DELETE FROM antq.summary s
        WHERE s.area_level OPERATOR(pg_catalog.=) 'nation' AND s.year OPERATOR(pg_catalog.=) k.y;
        INSERT INTO antq.summary SELECT * FROM antq.summary_nation(k.y);
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION antq.recompute_keys(text[], integer[]) IS
  'Recomputes results and summaries of the given (province, year) keys in the current transaction (tính lại); * stands for every province.';

-- Take a batch from the queue, in the caller's transaction (a crash before its commit leaves
-- the rows queued): up to p_batch rows, oldest first, skipping rows that another taker holds,
-- together with every other queued row of the same province whose years lie within one of
-- them, so that rows piled up for the same keys (while no worker ran) collapse into one batch.
-- Returns one row per (province, year) key: the years of each range expanded; unit_ids the
-- sorted distinct union over the rows of the key, NULL when any of them is NULL (the whole
-- province-year); and when the oldest of those rows was queued. '*' stays '*'.
CREATE FUNCTION antq.take_pending(p_batch integer)
RETURNS TABLE (province_code text, year integer, unit_ids bigint[], oldest timestamptz)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  WITH chosen AS (
    SELECT q.ctid AS row_id, q.province_code, q.first_year, q.last_year
    FROM antq.pending q
    ORDER BY q.queued_at LIMIT p_batch
    FOR UPDATE SKIP LOCKED),
  covered AS (
    SELECT q.ctid AS row_id
    FROM antq.pending q
    WHERE EXISTS (SELECT FROM chosen c
                  WHERE c.province_code OPERATOR(pg_catalog.=) q.province_code
                    AND c.first_year OPERATOR(pg_catalog.<=) q.first_year
                    AND q.last_year OPERATOR(pg_catalog.<=) c.last_year)
    FOR UPDATE SKIP LOCKED),
  taken AS (
    DELETE FROM antq.pending q
    WHERE q.ctid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT c.row_id FROM chosen c UNION SELECT v.row_id FROM covered v))
    RETURNING q.province_code, q.first_year, q.last_year, q.unit_ids, q.queued_at),
  keyed AS (
    SELECT t.province_code, y.year, t.unit_ids, t.queued_at
    FROM taken t CROSS JOIN LATERAL pg_catalog.generate_series(t.first_year, t.last_year) AS y(year))
  SELECT k.province_code, k.year,
         CASE WHEN pg_catalog.bool_and(k.unit_ids IS NOT NULL)
              THEN coalesce(pg_catalog.array_agg(DISTINCT u.id ORDER BY u.id) FILTER (WHERE u.id IS NOT NULL),
                            '{}'::bigint[])
         END,
         pg_catalog.min(k.queued_at)
  FROM keyed k LEFT JOIN LATERAL pg_catalog.unnest(k.unit_ids) AS u(id) ON true
  GROUP BY k.province_code, k.year
  ORDER BY k.province_code, k.year
$$;
COMMENT ON FUNCTION antq.take_pending(integer) IS
  'Takes (deletes) a batch of rows from antq.pending in the current transaction (lấy hàng đợi) and returns one row per (province, year) key with the units whose facts changed (NULL: every unit) and when the oldest row of the key was queued; for the antq worker.';

-- Take a batch of keys and recompute them, all in the caller's transaction. Returns the
-- number of keys and how long the oldest of them waited. The keys are recomputed whole; the
-- unit ids antq.take_pending gives are not used yet.
CREATE FUNCTION antq.process_pending(p_batch integer, OUT keys integer, OUT lag_ms double precision)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    provinces text[];
    years     integer[];
    oldest    timestamptz;
BEGIN
    SELECT array_agg(t.province_code ORDER BY t.province_code, t.year),
           array_agg(t.year ORDER BY t.province_code, t.year), min(t.oldest), count(*)
    INTO provinces, years, oldest, keys
    FROM antq.take_pending(p_batch) t;
    IF keys OPERATOR(pg_catalog.>) 0 THEN
        PERFORM antq.recompute_keys(provinces, years);
        lag_ms := extract(epoch FROM clock_timestamp() OPERATOR(pg_catalog.-) oldest) OPERATOR(pg_catalog.*) 1000;
    END IF;
END
$$;
COMMENT ON FUNCTION antq.process_pending(integer) IS
  'Takes a batch of keys from antq.pending (antq.take_pending) and recomputes them in the current transaction (xử lý hàng đợi); called by the antq worker.';

-- Synchronous refresh: recompute the given province and year (NULL = all) now.
CREATE FUNCTION antq.refresh(p_province_code text DEFAULT NULL, p_year integer DEFAULT NULL)
RETURNS integer LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT antq.recompute_keys(array_agg(k.province_code), array_agg(k.year))
  FROM antq.keys_in_scope(p_province_code, p_year) k
$$;
COMMENT ON FUNCTION antq.refresh(text, integer) IS
  'Recomputes results and summaries of a province and year now (tính lại ngay); NULL means all. Returns the number of keys recomputed.';

-- Differences between what is stored and a full recompute; no rows when everything is fresh.
-- Rows are compared whole (as jsonb, less computed_at), so every summary column is checked.
CREATE FUNCTION antq.verify(p_province_code text DEFAULT NULL, p_year integer DEFAULT NULL)
RETURNS TABLE (what text, area_level text, area_code text, year integer, unit_kind text,
               stored jsonb, computed jsonb)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH scope AS (SELECT * FROM antq.keys_in_scope(p_province_code, p_year)),
    fresh AS (
        SELECT c.* FROM scope k CROSS JOIN LATERAL antq.summary_computed(k.province_code, k.year) c),
    computed AS (
        SELECT f.area_level, f.area_code, f.year, f.unit_kind,
               to_jsonb(f) OPERATOR(pg_catalog.-) ARRAY['computed_at', 'area_level', 'area_code', 'year', 'unit_kind', 'province_code'] AS j
        FROM fresh f),
    stored AS (
        SELECT s.area_level, s.area_code, s.year, s.unit_kind,
               to_jsonb(s) OPERATOR(pg_catalog.-) ARRAY['computed_at', 'area_level', 'area_code', 'year', 'unit_kind', 'province_code'] AS j
        FROM antq.summary s JOIN scope k
          ON k.province_code OPERATOR(pg_catalog.=) s.province_code AND k.year OPERATOR(pg_catalog.=) s.year)
    SELECT 'summary', coalesce(s.area_level, c.area_level), coalesce(s.area_code, c.area_code),
           coalesce(s.year, c.year), coalesce(s.unit_kind, c.unit_kind), s.j, c.j
    FROM stored s FULL JOIN computed c
      ON s.area_level OPERATOR(pg_catalog.=) c.area_level AND s.area_code OPERATOR(pg_catalog.=) c.area_code
     AND s.year OPERATOR(pg_catalog.=) c.year AND s.unit_kind OPERATOR(pg_catalog.=) c.unit_kind
    WHERE s.j IS DISTINCT FROM c.j;

    -- Nation rows must be the sum of the stored province rows.
    RETURN QUERY
    WITH years AS (SELECT DISTINCT k.year FROM antq.keys_in_scope(NULL, p_year) k),
    stored AS (
        SELECT s.year, s.unit_kind,
               to_jsonb(s) OPERATOR(pg_catalog.-) ARRAY['computed_at', 'area_level', 'area_code', 'year', 'unit_kind', 'province_code'] AS j
        FROM antq.summary s JOIN years y ON y.year OPERATOR(pg_catalog.=) s.year
        WHERE s.area_level OPERATOR(pg_catalog.=) 'nation'),
    computed AS (
        SELECT n.year, n.unit_kind,
               to_jsonb(n) OPERATOR(pg_catalog.-) ARRAY['computed_at', 'area_level', 'area_code', 'year', 'unit_kind', 'province_code'] AS j
        FROM years y CROSS JOIN LATERAL antq.summary_nation(y.year) n)
    SELECT 'nation', 'nation', 'VN', coalesce(s.year, c.year), coalesce(s.unit_kind, c.unit_kind), s.j, c.j
    FROM stored s FULL JOIN computed c
      ON s.year OPERATOR(pg_catalog.=) c.year AND s.unit_kind OPERATOR(pg_catalog.=) c.unit_kind
    WHERE p_province_code IS NULL AND s.j IS DISTINCT FROM c.j;

    -- Unit results against the engine's live computation of the same province-years.
    IF to_regprocedure('antq.results_computed(text,integer,bigint[])') IS NOT NULL THEN
        RETURN QUERY EXECUTE $q$
        WITH scope AS (SELECT * FROM antq.keys_in_scope($1, $2)),
        stored AS (
            SELECT r.unit_id, r.year, to_jsonb(r) OPERATOR(pg_catalog.-) 'computed_at' AS j
            FROM antq.unit_result r JOIN scope k
              ON k.province_code OPERATOR(pg_catalog.=) r.province_code AND k.year OPERATOR(pg_catalog.=) r.year),
        computed AS (
            SELECT r.unit_id, r.year, to_jsonb(r) OPERATOR(pg_catalog.-) 'computed_at' AS j
            FROM scope k CROSS JOIN LATERAL antq.results_computed(k.province_code, k.year) r)
        SELECT 'unit_result', 'unit', coalesce(s.unit_id, c.unit_id)::text, coalesce(s.year, c.year), NULL::text, s.j, c.j
        FROM stored s FULL JOIN computed c
          ON s.unit_id OPERATOR(pg_catalog.=) c.unit_id AND s.year OPERATOR(pg_catalog.=) c.year
        WHERE s.j IS DISTINCT FROM c.j $q$
        USING p_province_code, p_year;
    END IF;
END
$$;
COMMENT ON FUNCTION antq.verify(text, integer) IS
  'Compares stored summaries (and unit results, once the engine provides them) with a full recompute (đối soát): every column but computed_at, shares, incidents by kind, tip-offs, outreach, crime reports and traffic included, and each nation row with the sum of the stored province rows; returns the differences, none when everything is fresh.';

CREATE FUNCTION antq.worker_status_raw(
    OUT pid integer, OUT dboid oid, OUT running boolean, OUT started_at timestamptz,
    OUT last_run timestamptz, OUT keys_done bigint, OUT queue_depth bigint, OUT lag_ms double precision,
    OUT last_error text, OUT last_error_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'antq_worker_status_raw' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION antq.worker_status_raw() IS
  'The antq database workers as recorded in shared memory (trạng thái tiến trình nền); read it through antq.worker_status.';

CREATE VIEW antq.worker_status AS
SELECT w.pid, d.datname AS database, w.running, w.started_at, w.last_run,
       CASE WHEN d.datname OPERATOR(pg_catalog.=) current_database()
            THEN (SELECT coalesce(sum(q.last_year OPERATOR(pg_catalog.-) q.first_year OPERATOR(pg_catalog.+) 1), 0)
                  FROM antq.pending q)
            ELSE w.queue_depth END AS queue_depth,
       w.keys_done, w.lag_ms, w.last_error, w.last_error_at
FROM antq.worker_status_raw() w
LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) w.dboid;
COMMENT ON VIEW antq.worker_status IS
  'The antq workers (trạng thái tiến trình nền): one row per database served; empty when antq is not in shared_preload_libraries.';
COMMENT ON COLUMN antq.worker_status.pid IS 'Process id of the worker (mã tiến trình); NULL while it starts.';
COMMENT ON COLUMN antq.worker_status.database IS 'Database served (cơ sở dữ liệu).';
COMMENT ON COLUMN antq.worker_status.running IS 'Whether the worker process is alive (đang chạy).';
COMMENT ON COLUMN antq.worker_status.started_at IS 'When the worker started (bắt đầu lúc).';
COMMENT ON COLUMN antq.worker_status.last_run IS 'End of its last batch (lần chạy cuối).';
COMMENT ON COLUMN antq.worker_status.queue_depth IS '(Province, year) keys waiting in antq.pending, each year of each queued row counted (số khóa chờ): live for this database, as last seen by the worker for others.';
COMMENT ON COLUMN antq.worker_status.keys_done IS 'Keys recomputed since the worker started (số khóa đã tính).';
COMMENT ON COLUMN antq.worker_status.lag_ms IS 'Milliseconds from queuing to recompute of the oldest key in its last batch (độ trễ, ms).';
COMMENT ON COLUMN antq.worker_status.last_error IS 'Message of the last error the worker recovered from (lỗi gần nhất).';
COMMENT ON COLUMN antq.worker_status.last_error_at IS 'When that error happened (thời điểm lỗi).';

REVOKE EXECUTE ON FUNCTION antq.recompute_keys(text[], integer[]), antq.take_pending(integer),
                          antq.process_pending(integer),
                          antq.refresh(text, integer), antq.worker_status_raw() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION antq.refresh(text, integer) TO antq_admin;
GRANT EXECUTE ON FUNCTION antq.worker_status_raw() TO antq_reader;
GRANT INSERT, DELETE ON antq.summary TO antq_admin;

-- A new extension gets its worker as soon as CREATE EXTENSION commits.
SELECT antq.wake_worker();

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
    -- every province code is some province unit's code (antq.unit.province_id); reading the
    -- province units (an index of a hundred rows) instead of every unit's code
    SELECT u.code AS province_code FROM antq.unit u
    WHERE u.kind OPERATOR(pg_catalog.=) 'province'
      AND (p_province_code IS NULL OR u.code OPERATOR(pg_catalog.=) p_province_code)
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

-- The given (province, year) keys with '*' expanded to every province, distinct and sorted:
-- the order in which keys are locked.
CREATE FUNCTION antq.expand_keys(p_provinces text[], p_years integer[])
RETURNS TABLE (province_code text, year integer) LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH given AS (SELECT * FROM unnest(p_provinces, p_years) AS g(p, y))
  SELECT s.province_code, g.y
  FROM given g CROSS JOIN LATERAL antq.keys_in_scope(NULL, g.y) s
  WHERE g.p = '*'
  UNION
  SELECT g.p, g.y FROM given g WHERE g.p <> '*'
  ORDER BY 1, 2
$$;
COMMENT ON FUNCTION antq.expand_keys(text[], integer[]) IS
  'The given (province, year) keys, * expanded to every province, distinct and sorted (các khóa tính lại): the order keys are locked in.';

-- The recompute lock of one key (transaction-scoped): an object lock that no SQL command and
-- no other role can take, unlike the advisory lock on a guessable hash it replaces, which any
-- role could hold to stall the worker (extension/recompute/recompute_lock.c).
CREATE FUNCTION antq.lock_recompute_key(p_province_code text, p_year integer)
RETURNS void AS 'MODULE_PATHNAME', 'antq_lock_recompute_key' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION antq.lock_recompute_key(text, integer) IS
  'Takes the recompute lock of a (province, year) key, or of the nation of the year when the province is NULL, until the transaction ends (khóa tính lại): an object lock on class antq.pending that other roles cannot take.';

-- Lock the keys (transaction-scoped) in sorted order, then the nation of each year. Whoever
-- recomputes takes every lock it needs this way before writing, so the worker and
-- antq.refresh() never deadlock and never recompute one key at the same time.
CREATE FUNCTION antq.lock_keys(p_provinces text[], p_years integer[])
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
BEGIN
    IF '*' = ANY (p_provinces) THEN
        FOR k IN SELECT * FROM antq.expand_keys(p_provinces, p_years) LOOP
            PERFORM antq.lock_recompute_key(k.province_code, k.year);
        END LOOP;
    ELSE
        -- the worker's usual case: the same keys, sorted the same way, without antq.keys_in_scope
        FOR k IN SELECT DISTINCT g.p AS province_code, g.y AS year FROM unnest(p_provinces, p_years) AS g(p, y) ORDER BY 1, 2 LOOP
            PERFORM antq.lock_recompute_key(k.province_code, k.year);
        END LOOP;
    END IF;
    FOR k IN SELECT DISTINCT g.y FROM unnest(p_years) AS g(y) ORDER BY 1 LOOP
        PERFORM antq.lock_recompute_key(NULL, k.y);
    END LOOP;
END
$$;
COMMENT ON FUNCTION antq.lock_keys(text[], integer[]) IS
  'Takes the recompute locks of the given (province, year) keys in sorted order, then the nation''s of each year (khóa tính lại).';

-- Hand on to their own province's key the versions among p_unit_ids that lie in none of
-- p_provinces and take part in year p_year, by unit (antq.queue_units): a
-- version that grew out of a unit of the province (a unit reorganized into another province,
-- as the 2025 reform moved whole provinces) reads that unit's facts (its previous year, its
-- incidents), so a change of them must recompute it too. Queued, not recomputed here: that
-- would take the other key's lock after this one's, out of antq.lock_keys' order; the rows are
-- written when the transaction commits and the worker takes them in a later batch. Returns the
-- number of units queued.
CREATE FUNCTION antq.queue_elsewhere(p_provinces text[], p_year integer, p_unit_ids bigint[])
RETURNS integer LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(pg_catalog.sum(antq.queue_units(x.province_code, p_year, x.ids)), 0)::integer
  FROM (SELECT u.province_code, pg_catalog.array_agg(u.unit_id ORDER BY u.unit_id) AS ids
          FROM antq.unit u
         WHERE u.unit_id OPERATOR(pg_catalog.=) ANY (p_unit_ids)
           AND u.province_code OPERATOR(pg_catalog.<>) ALL (p_provinces)
           AND u.valid_from OPERATOR(pg_catalog.<=) antq.window_end(u.kind, p_year)
           AND (u.valid_to IS NULL OR u.valid_to OPERATOR(pg_catalog.>) antq.window_end(u.kind, p_year))
         GROUP BY u.province_code) x
$$;
COMMENT ON FUNCTION antq.queue_elsewhere(text[], integer, bigint[]) IS
  'Queues, for their own province and the year, the given unit versions that lie in none of the given provinces and take part in that year (đơn vị kế tiếp ở tỉnh khác): versions grown out of units being recomputed, which read their facts; for the worker. Returns the number of units queued.';

-- Recompute results and summaries of the given keys ('*' = every province) in the caller's
-- transaction, under antq.lock_keys. For a province's key, the versions in other provinces that
-- grew out of its units are queued for their own keys (antq.queue_elsewhere); a '*' year
-- recomputes every province anyway.
CREATE FUNCTION antq.recompute_keys(p_provinces text[], p_years integer[], p_force boolean DEFAULT true)
RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    k       record;
    n       integer := 0;
    w       bigint;
    written bigint := 0;
    kept    integer[] := '{}';  -- '*' years whose summaries are kept as they are
    fresh   antq.summary[];
BEGIN
    PERFORM antq.lock_keys(p_provinces, p_years);
    PERFORM antq.rules_check_current();
    -- Every province of a year ('*', a rule or the registry changed): the results and the
    -- summaries of the nation in one pass each, which reads each table once instead of once
    -- per province.
    --
    -- Without p_force (the worker), a '*' year whose results all stayed as stored keeps its
    -- summary rows: they are sums over antq.unit_result alone (antq.summary_measures), which
    -- did not change. A rule edit queues every year of its set (from antq.capture_first_year
    -- on), and many of them change no result (an edit of a title alone queues nothing). Only
    -- where nothing else of that year is recomputed in the same call, and only for '*': a
    -- province's summary can be out of date with no result of its own to rewrite (a unit
    -- that moved away, its row taken over by the new province's recompute), and the key that
    -- repairs it is the old province's, queued by the same move, which recomputes its
    -- summaries regardless.
    FOR k IN SELECT DISTINCT g.y FROM unnest(p_provinces, p_years) AS g(p, y) WHERE g.p = '*' ORDER BY 1 LOOP
        w := antq.compute_results(NULL, k.y);
        written := written OPERATOR(pg_catalog.+) w;
        IF NOT p_force AND w OPERATOR(pg_catalog.=) 0
           AND NOT EXISTS (SELECT FROM unnest(p_provinces, p_years) AS g(p, y) WHERE g.p <> '*' AND g.y = k.y)
           AND EXISTS (SELECT FROM antq.summary s WHERE s.area_level OPERATOR(pg_catalog.=) 'nation'
                                                    AND s.year OPERATOR(pg_catalog.=) k.y) THEN
            kept := kept OPERATOR(pg_catalog.||) k.y;
        ELSE
            DELETE FROM antq.summary s
            WHERE s.province_code IS NOT NULL AND s.year OPERATOR(pg_catalog.=) k.y;
            INSERT INTO antq.summary SELECT * FROM antq.summary_computed(NULL, k.y);
        END IF;
    END LOOP;
    FOR k IN SELECT * FROM antq.expand_keys(p_provinces, p_years) LOOP
        IF NOT EXISTS (SELECT FROM unnest(p_provinces, p_years) AS g(p, y) WHERE g.p = '*' AND g.y = k.year) THEN
            written := written OPERATOR(pg_catalog.+) antq.compute_results(k.province_code, k.year);
            -- The versions in other provinces that grew out of the province's units read their
            -- facts: queued for their own keys, from every unit of the province that has a
            -- successor (antq.queue_elsewhere).
            PERFORM antq.queue_elsewhere(ARRAY[k.province_code], k.year, antq.unit_versions_after(ARRAY(
                SELECT u.unit_id FROM antq.unit u
                 WHERE u.province_code OPERATOR(pg_catalog.=) k.province_code
                   AND EXISTS (SELECT FROM antq.unit_lineage l WHERE l.predecessor_id OPERATOR(pg_catalog.=) u.unit_id))));
            -- A commune (or district) that came from another province takes its area's rows
            -- over: they are the old province's until its own key, queued by the same move,
            -- runs, and may not have run yet.
            fresh := ARRAY(SELECT f FROM antq.summary_computed(k.province_code, k.year) f);
            DELETE FROM antq.summary s
            WHERE s.year OPERATOR(pg_catalog.=) k.year
              AND (s.province_code OPERATOR(pg_catalog.=) k.province_code
                   OR (s.area_level, s.area_code, s.unit_kind) IN (SELECT f.area_level, f.area_code, f.unit_kind FROM unnest(fresh) f
                                                                  WHERE f.area_level IN ('commune', 'district')));
            INSERT INTO antq.summary SELECT * FROM unnest(fresh);
        END IF;
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;
    FOR k IN SELECT DISTINCT g.y FROM unnest(p_years) AS g(y) WHERE g.y <> ALL (kept) ORDER BY 1 LOOP
        DELETE FROM antq.summary s
        WHERE s.area_level OPERATOR(pg_catalog.=) 'nation' AND s.year OPERATOR(pg_catalog.=) k.y;
        INSERT INTO antq.summary SELECT * FROM antq.summary_nation(k.y);
    END LOOP;
    -- A recompute that wrote a large part of the results (the first one, or after a rule
    -- change) leaves the planner's statistics describing tables that no longer look like that;
    -- the worker's kept plans for a few units, made on them, took ~60 ms a key instead of ~5
    -- until autovacuum came by (bench/capture_bench.sh, step 3). Analyzed here, they are
    -- replanned when this commits.
    IF written OPERATOR(pg_catalog.>) 1000
       AND written OPERATOR(pg_catalog.>) (0.2 OPERATOR(pg_catalog.*)
           (SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) 'antq.unit_result'::pg_catalog.regclass))
       AND (SELECT pg_catalog.pg_has_role(c.relowner, 'MEMBER') FROM pg_catalog.pg_class c
             WHERE c.oid OPERATOR(pg_catalog.=) 'antq.unit_result'::pg_catalog.regclass) THEN
        ANALYZE antq.unit_result, antq.summary;
    END IF;
    RETURN n;
END
$$;
COMMENT ON FUNCTION antq.recompute_keys(text[], integer[], boolean) IS
  'Recomputes results and summaries of the given (province, year) keys in the current transaction (tính lại); * stands for every province. A province''s key queues the versions in other provinces that grew out of its units (antq.queue_elsewhere). With p_force false (the worker), a year of every province (*) whose results all stayed as stored keeps its summary rows.';

-- Recompute the results of some units of a province-year and carry the difference into the
-- stored summaries, in the caller's transaction: what the worker does for a fact change, so that
-- a change costs the units it touches, not the province. Recomputed are the units given, the
-- versions that grew out of them (they read last year's facts through the lineage), the
-- communes they lie in or are managed by (criterion 4 and incidents read their units), and the
-- versions that grew out of those communes; a commune's other units count as stored. Those of
-- these versions that lie in another province are queued for their own province's key instead
-- (antq.queue_elsewhere). When the change also moved a unit in or out of the province-year or
-- to another area, or a summary row it should count in is missing, the whole key is recomputed
-- instead. Returns the number of unit results recomputed.
CREATE FUNCTION antq.recompute_units(p_province_code text, p_year integer, p_unit_ids bigint[])
RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    affected bigint[];
    fresh    antq.unit_result[];
    old      antq.unit_result[];
BEGIN
    -- The key's lock and the nation's: a full recompute of the key, or of another province's
    -- nation rows, never interleaves with this difference.
    PERFORM antq.lock_keys(ARRAY[p_province_code], ARRAY[p_year]);

    affected := antq.units_affected(p_unit_ids);
    -- Those of them in another province (reorganized into it) are that province's key's to
    -- recompute: queued for it, and neither computed nor compared here.
    PERFORM antq.queue_elsewhere(ARRAY[p_province_code], p_year, affected);
    SELECT array_agg(r ORDER BY r.unit_id) INTO old
      FROM antq.unit_result r
     WHERE r.year = p_year AND r.unit_id = ANY (affected) AND r.province_code OPERATOR(pg_catalog.=) p_province_code;

    SELECT array_agg(f ORDER BY f.unit_id) INTO fresh
      FROM antq.results_computed(p_province_code, p_year, affected, true) f;
    -- The same units, in the same areas, as stored: else recompute the key whole.
    IF antq.results_moved(fresh, old) THEN
        PERFORM antq.recompute_keys(ARRAY[p_province_code], ARRAY[p_year]);
        RETURN cardinality(affected);
    END IF;
    IF fresh IS NULL THEN
        RETURN 0;
    END IF;
    -- Replace the stored rows whole: the same rows as antq.unit_result has, no column list.
    DELETE FROM antq.unit_result r USING unnest(fresh) f WHERE r.unit_id = f.unit_id AND r.year = f.year;
    INSERT INTO antq.unit_result SELECT * FROM unnest(fresh);

    -- Add the difference to every summary row it concerns; when one of them is missing, the
    -- key is recomputed whole (which also replaces what was added here).
    IF NOT antq.summary_add(p_year, fresh, old) THEN
        PERFORM antq.recompute_keys(ARRAY[p_province_code], ARRAY[p_year]);
    END IF;
    RETURN cardinality(fresh);
END
$$;
COMMENT ON FUNCTION antq.recompute_units(text, integer, bigint[]) IS
  'Recomputes the results of the given units of a province-year, the versions that grew out of them and the communes they lie in, and adds the difference to the stored summaries (tính lại theo đơn vị thay đổi); those versions in another province are queued for its key (antq.queue_elsewhere). Falls back to a whole recompute of the key when units moved in or out. Returns the unit results recomputed.';

-- Every version that grew out of the given units through the lineage (merges, splits,
-- continuations), the given ones included, to depth 32.
CREATE FUNCTION antq.unit_versions_after(p_unit_ids bigint[])
RETURNS bigint[] LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH RECURSIVE later (unit_id, depth) AS (
      SELECT u, 0 FROM unnest(p_unit_ids) AS u
      UNION
      SELECT l.successor_id, x.depth + 1
        FROM later x JOIN antq.unit_lineage l ON l.predecessor_id = x.unit_id
       WHERE x.depth < 32)
  SELECT coalesce(array_agg(DISTINCT x.unit_id), '{}') FROM later x
$$;
COMMENT ON FUNCTION antq.unit_versions_after(bigint[]) IS
  'The given unit versions and every version that grew out of them through merges, splits and continuations (các phiên bản kế tiếp), to depth 32.';

-- Take a batch from the queue, in the caller's transaction (a crash before its commit leaves
-- the rows queued): up to p_batch rows, oldest first, skipping rows that another taker holds,
-- together with every other queued row of the same province whose years lie within one of
-- them, so that rows piled up for the same keys (while no worker ran) collapse into one batch.
-- Returns one row per (province, year) key: the years of each range expanded; unit_ids the
-- sorted distinct union over the rows of the key, NULL when any of them is NULL (the whole
-- province-year, and when they are more than antq.capture_unit_limit); and when the oldest of
-- those rows was queued. '*' stays '*'.
CREATE TYPE antq.pending_key AS (province_code text, year integer, unit_ids bigint[], oldest timestamptz);
COMMENT ON TYPE antq.pending_key IS
  'A (province, year) key taken from the queue (khóa tính lại): the units whose facts changed (NULL: every unit) and when its oldest row was queued.';

CREATE FUNCTION antq.take_pending(p_batch integer)
RETURNS SETOF antq.pending_key
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
  -- Units the writer could not see ('?'): their provinces now; those still not in the
  -- registry queue their own keys when they commit (extension/capture/capture.h, ANTQ_UNSEEN_UNITS).
  resolved AS (
    SELECT u.province_code, t.first_year, t.last_year, ARRAY[u.unit_id] AS unit_ids, t.queued_at
    FROM taken t CROSS JOIN LATERAL pg_catalog.unnest(t.unit_ids) AS x(id)
    JOIN antq.unit u ON u.unit_id OPERATOR(pg_catalog.=) x.id
    WHERE t.province_code OPERATOR(pg_catalog.=) '?'
    UNION ALL
    SELECT t.province_code, t.first_year, t.last_year, t.unit_ids, t.queued_at
    FROM taken t WHERE t.province_code OPERATOR(pg_catalog.<>) '?'),
  keyed AS (
    SELECT t.province_code, y.year, t.unit_ids, t.queued_at
    FROM resolved t CROSS JOIN LATERAL pg_catalog.generate_series(t.first_year, t.last_year) AS y(year))
  SELECT k.province_code, k.year,
         -- more units than a transaction may list (rows piled up while no worker ran): the
         -- whole province-year, which is then the cheaper recompute
         CASE WHEN pg_catalog.bool_and(k.unit_ids IS NOT NULL)
                   AND pg_catalog.count(DISTINCT u.id) OPERATOR(pg_catalog.<=)
                       coalesce(pg_catalog.current_setting('antq.capture_unit_limit', true)::integer, 1000)
              THEN coalesce(pg_catalog.array_agg(DISTINCT u.id ORDER BY u.id) FILTER (WHERE u.id IS NOT NULL),
                            '{}'::bigint[])
         END,
         pg_catalog.min(k.queued_at)
  FROM keyed k LEFT JOIN LATERAL pg_catalog.unnest(k.unit_ids) AS u(id) ON true
  GROUP BY k.province_code, k.year
  ORDER BY k.province_code, k.year
$$;
COMMENT ON FUNCTION antq.take_pending(integer) IS
  'Takes (deletes) a batch of rows from antq.pending in the current transaction (lấy hàng đợi) and returns one row per (province, year) key with the units whose facts changed (NULL: every unit, or more of them than antq.capture_unit_limit) and when the oldest row of the key was queued; units queued under ? get their provinces here, and those not in the registry are left out; for the antq worker.';

-- How long a key that failed p_attempts times stays set aside: 1 s, doubling with each failure,
-- at most an hour.
CREATE FUNCTION antq.retry_delay(p_attempts integer)
RETURNS interval LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.make_interval(secs => LEAST(3600::double precision,
           pg_catalog.power(2::double precision,
                            LEAST(GREATEST(p_attempts, 1), 13) OPERATOR(pg_catalog.-) 1)))
$$;
COMMENT ON FUNCTION antq.retry_delay(integer) IS
  'How long a key stays set aside after its n-th failed recompute (thời gian chờ thử lại): 1 s doubling with each failure, at most 1 hour.';

-- The union of two keys' units: NULL (every unit) when either is.
CREATE FUNCTION antq.units_union(a bigint[], b bigint[])
RETURNS bigint[] LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL
              ELSE ARRAY(SELECT DISTINCT x.id FROM pg_catalog.unnest(a OPERATOR(pg_catalog.||) b) AS x(id) ORDER BY 1) END
$$;
COMMENT ON FUNCTION antq.units_union(bigint[], bigint[]) IS
  'Units of two queue entries of one key together (hợp các đơn vị): sorted and distinct, NULL (every unit) when either is NULL.';

-- Set a key aside after its recompute failed: it is retried after antq.retry_delay, and a
-- warning names it in the server log.
CREATE FUNCTION antq.set_key_aside(p_key antq.pending_key, p_error text)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO antq.pending_set_aside AS s (province_code, year, unit_ids, attempts, last_error, first_failed_at, retry_at)
    VALUES (p_key.province_code, p_key.year, p_key.unit_ids, 1, p_error, pg_catalog.clock_timestamp(),
            pg_catalog.clock_timestamp() OPERATOR(pg_catalog.+) antq.retry_delay(1))
    ON CONFLICT (province_code, year) DO UPDATE
       SET unit_ids = antq.units_union(s.unit_ids, excluded.unit_ids),
           attempts = s.attempts OPERATOR(pg_catalog.+) 1,
           last_error = excluded.last_error,
           retry_at = pg_catalog.clock_timestamp() OPERATOR(pg_catalog.+) antq.retry_delay(s.attempts OPERATOR(pg_catalog.+) 1)
    RETURNING s.attempts INTO n;
    RAISE WARNING 'antq: recompute of province % year % failed (% time(s)); set aside until %',
        p_key.province_code, p_key.year, n,
        (SELECT s.retry_at FROM antq.pending_set_aside s
          WHERE s.province_code OPERATOR(pg_catalog.=) p_key.province_code AND s.year OPERATOR(pg_catalog.=) p_key.year)
        USING DETAIL = p_error,
              HINT = 'The key''s units wait in antq.pending_set_aside; every other key goes on. Fix the cause, or run antq.refresh() for that province and year.';
END
$$;
COMMENT ON FUNCTION antq.set_key_aside(antq.pending_key, text) IS
  'Sets a key aside after its recompute failed (gác khóa lỗi): its units wait in antq.pending_set_aside until antq.retry_delay has passed; for the antq worker.';

-- The units whose results a change of the given units' facts can alter (antq.recompute_units):
-- the units and the versions that grew out of them (they read last year's facts through the
-- lineage), the communes those lie in or are managed by (criterion 4 and incidents read their
-- units), and the versions that grew out of those communes. In any province.
CREATE FUNCTION antq.units_affected(p_unit_ids bigint[])
RETURNS bigint[] LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH later AS (SELECT antq.unit_versions_after(p_unit_ids) AS ids)
  SELECT l.ids OPERATOR(pg_catalog.||) antq.unit_versions_after(ARRAY(
           SELECT DISTINCT c.unit_id
             FROM antq.unit u JOIN antq.unit c ON c.unit_id IN (u.parent_id, u.managed_by) AND c.kind = 'commune'
            WHERE u.unit_id = ANY (l.ids)))
  FROM later l
$$;
COMMENT ON FUNCTION antq.units_affected(bigint[]) IS
  'The units whose results a change of the given units'' facts can alter (đơn vị chịu ảnh hưởng): the units, the versions grown out of them, the communes these lie in or are managed by and the versions grown out of those; for the worker.';

-- Whether recomputed result rows and the stored rows of the same units differ in which units
-- they hold or where those count (province, kind, commune, district): a unit moved in or out
-- of a province-year or to another area, which a difference cannot carry into the summaries.
CREATE FUNCTION antq.results_moved(p_fresh antq.unit_result[], p_stored antq.unit_result[])
RETURNS boolean LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (SELECT FROM unnest(p_fresh) f FULL JOIN unnest(p_stored) o ON o.unit_id = f.unit_id
                  WHERE f.unit_id IS NULL OR o.unit_id IS NULL OR o.province_code <> f.province_code
                     OR o.kind <> f.kind OR o.commune_code IS DISTINCT FROM f.commune_code
                     OR o.district_code IS DISTINCT FROM f.district_code)
$$;
COMMENT ON FUNCTION antq.results_moved(antq.unit_result[], antq.unit_result[]) IS
  'Whether recomputed and stored result rows of the same units differ in the units they hold or in the areas these count in (đơn vị đã chuyển): then the summaries cannot be kept by difference; for the worker.';

-- Add to the stored summary rows of a year the difference that replacing the p_minus result
-- rows by the p_plus rows makes (antq.summary_measures), in every province they lie in and the
-- nation. Returns false, having added what it could, when a row the difference concerns is
-- missing: the caller then recomputes the summaries whole (or rolls back).
CREATE FUNCTION antq.summary_add(p_year integer, p_plus antq.unit_result[], p_minus antq.unit_result[])
RETURNS boolean LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    missing boolean;
    kinds   text[];
BEGIN
    -- p_plus empty, not NULL: antq.summary_measures sums the stored results when it is NULL.
    WITH d AS MATERIALIZED (SELECT * FROM antq.summary_measures(NULL, p_year, coalesce(p_plus, '{}'), p_minus)),
    added AS (
    UPDATE antq.summary s
       SET registered = s.registered + d.registered, met = s.met + d.met, recognized = s.recognized + d.recognized,
           assessed = s.assessed + d.assessed, not_assessed = s.not_assessed - d.assessed, not_met = s.not_met + d.not_met,
           registered_share = antq.reported_share(s.registered + d.registered, s.total, s.assessed + d.assessed),
           met_share = antq.reported_share(s.met + d.met, s.total, s.met + d.met + s.not_met + d.not_met),
           recognized_share = antq.reported_share(s.recognized + d.recognized, s.total, s.assessed + d.assessed),
           rating_excellent = s.rating_excellent + d.rating_excellent, rating_good = s.rating_good + d.rating_good,
           rating_average = s.rating_average + d.rating_average, rating_weak = s.rating_weak + d.rating_weak,
           model_candidates = s.model_candidates + d.model_candidates, model_complete = s.model_complete + d.model_complete,
           model_participants = s.model_participants + d.model_participants,
           model_participants_complete = s.model_participants_complete + d.model_participants_complete,
           model_participants_on_track = s.model_participants_on_track + d.model_participants_on_track,
           incidents = s.incidents + d.incidents,
           incidents_by_kind = CASE WHEN d.incidents_by_kind = '{}'::jsonb THEN s.incidents_by_kind
                                    ELSE antq.incidents_add(s.incidents_by_kind, d.incidents_by_kind) END,
           tipoffs = s.tipoffs + coalesce(d.tipoffs, 0),
           outreach_target = s.outreach_target + coalesce(d.outreach_target, 0),
           outreach_reached = s.outreach_reached + coalesce(d.outreach_reached, 0),
           outreach_ratio = antq.ratio(s.outreach_reached + coalesce(d.outreach_reached, 0),
                                       s.outreach_target + coalesce(d.outreach_target, 0)),
           crime_reports_received = s.crime_reports_received + coalesce(d.crime_reports_received, 0),
           crime_reports_handled = s.crime_reports_handled + coalesce(d.crime_reports_handled, 0),
           traffic_accidents = s.traffic_accidents + coalesce(d.traffic_accidents, 0),
           traffic_deaths = s.traffic_deaths + coalesce(d.traffic_deaths, 0),
           traffic_injuries = s.traffic_injuries + coalesce(d.traffic_injuries, 0),
           computed_at = now()
      FROM d
     WHERE s.area_level = d.area_level AND s.area_code = d.area_code AND s.year = p_year AND s.unit_kind = d.unit_kind
       AND d.area_level <> 'nation'
    RETURNING 1)
    SELECT (SELECT count(*) FROM d WHERE d.area_level <> 'nation') OPERATOR(pg_catalog.<>) (SELECT count(*) FROM added),
           ARRAY(SELECT d.unit_kind FROM d WHERE d.area_level = 'nation')
      INTO missing, kinds;
    -- The nation rows of those kinds, again from the province rows: their shares add up only
    -- the provinces that reported, and they name them, which no difference carries.
    DELETE FROM antq.summary s
     WHERE s.area_level = 'nation' AND s.year = p_year AND s.unit_kind = ANY (kinds);
    INSERT INTO antq.summary SELECT * FROM antq.summary_nation(p_year) n WHERE n.unit_kind = ANY (kinds);
    RETURN NOT missing;
END
$$;
COMMENT ON FUNCTION antq.summary_add(integer, antq.unit_result[], antq.unit_result[]) IS
  'Adds to the stored summaries of a year, nation included, the difference that replacing some units'' stored results by new ones makes (cộng chênh lệch vào số liệu tổng hợp); false when a summary row it concerns is missing; for the worker.';

-- The worker's usual batch: the keys that name their changed units (no '*' key of their year
-- among them), recomputed together, a year at a time, as antq.recompute_units recomputes one:
-- the affected units of every province of the batch computed (one call), one
-- comparison with the stored rows, one replacement of them and one difference added to the
-- summaries. Each recompute_units call costs ~25-60 ms whatever its size, so 68 keys one at a
-- time took 2-4 s and the worker fell behind at 1,000 changes a second (bench/RESULTS.md,
-- session 11). The result is the one recompute_units gives key by key: a version lying in a
-- province whose key is in the batch is computed here, under its province (recompute_units
-- would queue it for that key, which the batch recomputes anyway); one lying in another
-- province is queued for its own key (antq.queue_elsewhere). Where recompute_units would
-- recompute a key whole (a unit moved, a summary row missing), this raises instead: the
-- caller (antq.process_pending) rolls the group back and recomputes its keys one at a time.
-- Returns the number of unit results recomputed.
CREATE FUNCTION antq.recompute_unit_keys(p_keys antq.pending_key[])
RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    y         integer;
    provinces text[];
    affected  bigint[];
    fresh     antq.unit_result[];
    old       antq.unit_result[];
    n         integer := 0;
BEGIN
    IF EXISTS (SELECT FROM unnest(p_keys) k WHERE k.unit_ids IS NULL OR k.province_code = '*') THEN
        RAISE EXCEPTION 'antq.recompute_unit_keys takes only keys that name their units'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Recompute the others with antq.recompute_keys.';
    END IF;
    PERFORM antq.lock_keys(ARRAY(SELECT k.province_code FROM unnest(p_keys) k), ARRAY(SELECT k.year FROM unnest(p_keys) k));
    FOR y IN SELECT DISTINCT k.year FROM unnest(p_keys) k ORDER BY 1 LOOP
        provinces := ARRAY(SELECT DISTINCT k.province_code FROM unnest(p_keys) k WHERE k.year = y);
        affected := antq.units_affected(ARRAY(SELECT DISTINCT x.id FROM unnest(p_keys) k, unnest(k.unit_ids) x(id)
                                               WHERE k.year = y));
        -- Versions in a province with no key of the year in the batch: queued for their own key.
        PERFORM antq.queue_elsewhere(provinces, y, affected);
        SELECT array_agg(r ORDER BY r.unit_id) INTO old
          FROM antq.unit_result r
         WHERE r.year = y AND r.unit_id = ANY (affected) AND r.province_code = ANY (provinces);
        -- One call with no province (60 units of 10 provinces: 25 ms, against ~18 ms a
        -- province one at a time); a long list is planned for the call (antq.results_computed),
        -- which keeps it from growing as the square of the list.
        -- A unit managed by a commune of another province would count in that commune
        -- here, not in a province's call: then key by key. Each unit's communes are looked up
        -- from it (OFFSET 0), and only those of another province searched for in the list:
        -- searching the list for every commune of it grew as its square.
        IF EXISTS (SELECT FROM antq.unit u
                    CROSS JOIN LATERAL (SELECT c.unit_id FROM antq.unit c
                                         WHERE c.unit_id IN (u.parent_id, u.managed_by) AND c.kind = 'commune'
                                           AND c.province_code <> u.province_code OFFSET 0) c
                    WHERE u.unit_id = ANY (affected) AND c.unit_id = ANY (affected)) THEN
            RAISE EXCEPTION 'antq: a unit of the batch is managed by a commune of another province (year %)', y
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Its keys are recomputed one at a time.';
        END IF;
        SELECT array_agg(f ORDER BY f.unit_id) INTO fresh
          FROM antq.results_computed(NULL, y, ARRAY(SELECT u.unit_id FROM antq.unit u
                                                     WHERE u.unit_id = ANY (affected) AND u.province_code = ANY (provinces)),
                                     true) f;
        IF antq.results_moved(fresh, old) THEN
            RAISE EXCEPTION 'antq: a unit of the batch moved in or out of year % or to another area', y
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Its keys are recomputed one at a time, whole where needed.';
        END IF;
        CONTINUE WHEN fresh IS NULL;
        DELETE FROM antq.unit_result r USING unnest(fresh) f WHERE r.unit_id = f.unit_id AND r.year = f.year;
        INSERT INTO antq.unit_result SELECT * FROM unnest(fresh);
        IF NOT antq.summary_add(y, fresh, old) THEN
            RAISE EXCEPTION 'antq: a summary row of year % is missing', y
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Its keys are recomputed one at a time, whole where needed.';
        END IF;
        n := n + cardinality(fresh);
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION antq.recompute_unit_keys(antq.pending_key[]) IS
  'Recomputes together the keys of a batch that name their changed units (tính lại theo lô): per year the affected units of every province in the batch computed in one call, one replacement of their stored results and one difference added to the summaries, as antq.recompute_units would key by key; raises where it would recompute a key whole, so that the caller goes key by key. Returns the unit results recomputed; for the worker.';

-- Take a batch of keys and recompute them, all in the caller's transaction. Returns the
-- number of keys and how long the oldest of them waited. Every lock of the batch is taken
-- first, in antq.lock_keys' order. The keys that name their changed units are recomputed by
-- difference, all together (antq.recompute_unit_keys); the others, and every key of a year
-- that also has a '*' key, whole. A key whose recompute fails is set aside (antq.set_key_aside)
-- and the others go on: each group is recomputed in a subtransaction, and when that fails,
-- its keys one at a time (antq.recompute_units, antq.recompute_keys). Keys set aside join the batch once their retry is due; until
-- then, what is taken for them is added to them.
CREATE FUNCTION antq.process_pending(p_batch integer, OUT keys integer, OUT lag_ms double precision)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    started   timestamptz := pg_catalog.clock_timestamp();
    taken     antq.pending_key[];
    batch     antq.pending_key[];
    k         antq.pending_key;
    listed    antq.pending_key[] := '{}';
    whole     antq.pending_key[] := '{}';
    grp       antq.pending_key[];
    by_units  boolean;
BEGIN
    SELECT pg_catalog.array_agg(t) INTO taken FROM antq.take_pending(p_batch) t;
    UPDATE antq.pending_set_aside s SET unit_ids = antq.units_union(s.unit_ids, t.unit_ids)
      FROM pg_catalog.unnest(taken) t
     WHERE s.province_code OPERATOR(pg_catalog.=) t.province_code AND s.year OPERATOR(pg_catalog.=) t.year
       AND s.retry_at OPERATOR(pg_catalog.>) started;
    SELECT pg_catalog.array_agg(ROW(x.province_code, x.year, x.unit_ids, x.oldest)::antq.pending_key
                                ORDER BY x.province_code, x.year) INTO batch
      FROM (SELECT coalesce(t.province_code, d.province_code) AS province_code, coalesce(t.year, d.year) AS year,
                   CASE WHEN d.province_code IS NULL THEN t.unit_ids
                        WHEN t.province_code IS NULL THEN d.unit_ids
                        ELSE antq.units_union(t.unit_ids, d.unit_ids) END AS unit_ids,
                   coalesce(t.oldest, d.first_failed_at) AS oldest
              FROM (SELECT * FROM pg_catalog.unnest(taken) u
                     WHERE NOT EXISTS (SELECT FROM antq.pending_set_aside w
                                        WHERE w.province_code OPERATOR(pg_catalog.=) u.province_code
                                          AND w.year OPERATOR(pg_catalog.=) u.year
                                          AND w.retry_at OPERATOR(pg_catalog.>) started)) t
              FULL JOIN (SELECT * FROM antq.pending_set_aside s WHERE s.retry_at OPERATOR(pg_catalog.<=) started) d
                ON d.province_code OPERATOR(pg_catalog.=) t.province_code AND d.year OPERATOR(pg_catalog.=) t.year) x;
    keys := coalesce(pg_catalog.cardinality(batch), 0);
    IF keys OPERATOR(pg_catalog.=) 0 THEN
        RETURN;
    END IF;
    PERFORM antq.lock_keys(ARRAY(SELECT b.province_code FROM pg_catalog.unnest(batch) b),
                           ARRAY(SELECT b.year FROM pg_catalog.unnest(batch) b));
    -- The keys may come from a rules change whose invalidation has not reached this backend.
    PERFORM antq.rules_check_current();
    FOREACH k IN ARRAY batch LOOP
        IF k.unit_ids IS NOT NULL AND k.province_code OPERATOR(pg_catalog.<>) '*'
           AND NOT EXISTS (SELECT FROM pg_catalog.unnest(batch) b
                            WHERE b.province_code OPERATOR(pg_catalog.=) '*' AND b.year OPERATOR(pg_catalog.=) k.year) THEN
            listed := listed OPERATOR(pg_catalog.||) k;
        ELSE
            whole := whole OPERATOR(pg_catalog.||) k;
        END IF;
    END LOOP;
    -- The keys by difference, then the whole keys: each group together in a subtransaction,
    -- and when that fails (or needs a key recomputed whole), its keys one at a time.
    FOREACH by_units IN ARRAY ARRAY[true, false] LOOP
        grp := CASE WHEN by_units THEN listed ELSE whole END;
        CONTINUE WHEN pg_catalog.cardinality(grp) OPERATOR(pg_catalog.=) 0;
        BEGIN
            IF by_units THEN
                PERFORM antq.recompute_unit_keys(grp);
            ELSE
                PERFORM antq.recompute_keys(ARRAY(SELECT w.province_code FROM pg_catalog.unnest(grp) w),
                                            ARRAY(SELECT w.year FROM pg_catalog.unnest(grp) w), p_force => false);
            END IF;
        EXCEPTION WHEN OTHERS THEN
            FOREACH k IN ARRAY grp LOOP
                BEGIN
                    IF by_units THEN
                        PERFORM antq.recompute_units(k.province_code, k.year, k.unit_ids);
                    ELSE
                        PERFORM antq.recompute_keys(ARRAY[k.province_code], ARRAY[k.year], p_force => false);
                    END IF;
                EXCEPTION WHEN OTHERS THEN
                    PERFORM antq.set_key_aside(k, SQLERRM);
                END;
            END LOOP;
        END;
    END LOOP;
    -- Keys that were due and did not fail again are done.
    DELETE FROM antq.pending_set_aside s WHERE s.retry_at OPERATOR(pg_catalog.<=) started;
    lag_ms := pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-)
                                            (SELECT pg_catalog.min(b.oldest) FROM pg_catalog.unnest(batch) b))
              OPERATOR(pg_catalog.*) 1000;
END
$$;
COMMENT ON FUNCTION antq.process_pending(integer) IS
  'Takes a batch of keys from antq.pending (antq.take_pending) and recomputes them in the current transaction (xử lý hàng đợi): by difference for keys naming their changed units, whole otherwise; a key that fails is set aside (antq.pending_set_aside) and retried later while the others go on; called by the antq worker.';

-- Synchronous refresh: recompute the given province and year (NULL = all) now. SECURITY
-- DEFINER because results, summaries and the queue are written only by the extension's own
-- code: admins may call this, but hold no privilege to write those tables themselves. It runs
-- as the extension's owner, so its search path is pinned and every name is qualified.
CREATE FUNCTION antq.refresh(p_province_code text DEFAULT NULL, p_year integer DEFAULT NULL)
RETURNS integer LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
  -- Every province: '*', so that the results of each year are computed for the nation in one pass.
  SELECT antq.recompute_keys(pg_catalog.array_agg(k.province_code), pg_catalog.array_agg(k.year))
  FROM (SELECT DISTINCT coalesce(p_province_code, '*') AS province_code, s.year
          FROM antq.keys_in_scope(p_province_code, p_year) s) k
$$;
COMMENT ON FUNCTION antq.refresh(text, integer) IS
  'Recomputes results and summaries of a province and year now (tính lại ngay); NULL means all. Returns the number of keys recomputed. Admins may call it; it runs as the extension''s owner, the only writer of results and summaries besides the worker.';

-- Differences between what is stored and a full recompute; no rows when everything is fresh.
-- Rows are compared whole (as jsonb, less computed_at), so every summary column is checked.
CREATE FUNCTION antq.verify(p_province_code text DEFAULT NULL, p_year integer DEFAULT NULL)
RETURNS TABLE (what text, area_level text, area_code text, year integer, unit_kind text,
               stored jsonb, computed jsonb)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off
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
END
$$;
COMMENT ON FUNCTION antq.verify(text, integer) IS
  'Compares stored unit results with the engine''s live computation and stored summaries with the sum of the stored results (đối soát): every column but computed_at, shares, incidents by kind, tip-offs, outreach, crime reports and traffic included, and each nation row with the sum of the stored province rows; returns the differences, none when everything is fresh.';

CREATE FUNCTION antq.worker_status_raw(
    OUT pid integer, OUT dboid oid, OUT running boolean, OUT started_at timestamptz,
    OUT last_run timestamptz, OUT keys_done bigint, OUT queue_depth bigint, OUT lag_ms double precision,
    OUT last_error text, OUT last_error_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'antq_worker_status_raw' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION antq.worker_status_raw() IS
  'The antq database workers as recorded in shared memory (trạng thái tiến trình nền); read it through antq.worker_status. Only this database''s worker, and no error text, unless the caller has the privileges of pg_read_all_stats.';

CREATE VIEW antq.worker_status AS
SELECT w.pid, d.datname AS database, w.running, w.started_at, w.last_run,
       CASE WHEN d.datname OPERATOR(pg_catalog.=) current_database()
            THEN (SELECT coalesce(sum(q.last_year OPERATOR(pg_catalog.-) q.first_year OPERATOR(pg_catalog.+) 1), 0)
                  FROM antq.pending q)
            ELSE w.queue_depth END AS queue_depth,
       w.keys_done, w.lag_ms, w.last_error, w.last_error_at,
       CASE WHEN d.datname OPERATOR(pg_catalog.=) current_database()
            THEN (SELECT pg_catalog.count(*)::integer FROM antq.pending_set_aside) END AS keys_set_aside,
       CASE WHEN d.datname OPERATOR(pg_catalog.=) current_database()
            THEN (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                           'province_code', a.province_code, 'year', a.year, 'attempts', a.attempts,
                           'last_error', CASE WHEN pg_catalog.pg_has_role('pg_read_all_stats', 'USAGE')
                                              THEN a.last_error END,
                           'retry_at', a.retry_at)
                         ORDER BY a.retry_at, a.province_code, a.year)
                  FROM antq.pending_set_aside a) END AS set_aside
FROM antq.worker_status_raw() w
LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) w.dboid;
COMMENT ON VIEW antq.worker_status IS
  'The antq workers (trạng thái tiến trình nền): one row per database served, as pg_stat_activity shows sessions: the worker of this database, and those of other databases only to members of pg_read_all_stats (and superusers); empty when antq is not in shared_preload_libraries.';
COMMENT ON COLUMN antq.worker_status.pid IS 'Process id of the worker (mã tiến trình); NULL while it starts.';
COMMENT ON COLUMN antq.worker_status.database IS 'Database served (cơ sở dữ liệu).';
COMMENT ON COLUMN antq.worker_status.running IS 'Whether the worker process is alive (đang chạy).';
COMMENT ON COLUMN antq.worker_status.started_at IS 'When the worker started (bắt đầu lúc).';
COMMENT ON COLUMN antq.worker_status.last_run IS 'End of its last batch (lần chạy cuối).';
COMMENT ON COLUMN antq.worker_status.queue_depth IS '(Province, year) keys waiting in antq.pending, each year of each queued row counted (số khóa chờ): live for this database, as last seen by the worker for others.';
COMMENT ON COLUMN antq.worker_status.keys_done IS 'Keys recomputed since the worker started (số khóa đã tính).';
COMMENT ON COLUMN antq.worker_status.lag_ms IS 'Milliseconds from queuing to recompute of the oldest key in its last batch (độ trễ, ms).';
COMMENT ON COLUMN antq.worker_status.last_error IS 'Message of the last error the worker recovered from (lỗi gần nhất); NULL unless the caller has the privileges of pg_read_all_stats (the message may quote any province''s figures), last_error_at still tells that there was one.';
COMMENT ON COLUMN antq.worker_status.last_error_at IS 'When that error happened (thời điểm lỗi).';
COMMENT ON COLUMN antq.worker_status.keys_set_aside IS 'Keys set aside after a failed recompute (số khóa tạm gác), this database only; details in set_aside and antq.pending_set_aside.';
COMMENT ON COLUMN antq.worker_status.set_aside IS 'The keys set aside, this database only (các khóa tạm gác): province_code, year, attempts (failures so far), last_error (null unless the caller has the privileges of pg_read_all_stats, as for last_error) and retry_at (next retry), soonest first; NULL when none.';

-- Admins may run antq.refresh and readers read antq.worker_status (sql/90_grants.sql). No role is granted INSERT, UPDATE or DELETE on antq.summary (nor on antq.unit_result): the
-- worker and antq.refresh write them.

-- A new extension gets its worker as soon as CREATE EXTENSION commits.
SELECT antq.wake_worker();

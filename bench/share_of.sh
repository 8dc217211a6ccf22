#!/usr/bin/env bash
# Benchmark antq.share_of(cond) against the built-in way of getting the same two numbers,
# count(*) FILTER (WHERE cond) together with count(*), over ROWS rows (default 10M), in one
# run on a private cluster. Each query runs REPS times (default 7), alternating, timed inside
# the server (clock_timestamp around EXECUTE, so no client or network time); the median of
# each is compared. Serial plans (max_parallel_workers_per_gather = 0) first, then parallel
# (2 workers). JIT is off so both sides run the same interpreted executor.
#   bench/share_of.sh [ROWS] [REPS]
# Output: the table of medians and ratios, also written to bench/out/share_of/share_of.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
rows=${1:-10000000}
reps=${2:-7}
dir=$REPO/bench/out/share_of
bench_cluster "$dir" 54340

psql_run -v rows="$rows" -v reps="$reps" <<'SQL' | tee "$dir/share_of.txt"
CREATE EXTENSION antq;
SET jit = off;
-- 70% true, spread over the table, no NULLs (so count(*) is the non-NULL count share_of uses).
CREATE TABLE t AS SELECT (i * 2654435761) % 1000 < 700 AS x FROM generate_series(1, :rows) i;
VACUUM ANALYZE t;
SELECT pg_size_pretty(pg_relation_size('t')) AS table_size, count(*) AS rows FROM t;

CREATE TEMP TABLE timing (mode text, query text, rep int, ms float8);
CREATE FUNCTION pg_temp.measure(mode text, reps int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    queries text[] := ARRAY['SELECT count(*) FILTER (WHERE x), count(*) FROM t',
                            'SELECT antq.share_of(x) FROM t'];
    q text;
    t0 timestamptz;
BEGIN
    FOREACH q IN ARRAY queries LOOP   -- warm-up, untimed
        EXECUTE q;
    END LOOP;
    FOR r IN 1..reps LOOP
        FOREACH q IN ARRAY queries LOOP
            t0 := clock_timestamp();
            EXECUTE q;
            INSERT INTO timing VALUES (mode, q, r, 1000 * extract(epoch FROM clock_timestamp() - t0));
        END LOOP;
    END LOOP;
END $$;

-- Both give the same numbers.
SELECT (SELECT antq.share(count(*) FILTER (WHERE x), count(*)) FROM t) OPERATOR(antq.=) (SELECT antq.share_of(x) FROM t) AS same_result;

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT antq.share_of(x) FROM t;
SELECT pg_temp.measure('serial', :reps);

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
EXPLAIN (COSTS OFF) SELECT antq.share_of(x) FROM t;
SELECT pg_temp.measure('parallel (2 workers)', :reps);

SELECT mode,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE query LIKE '%count%')::numeric, 1) AS builtin_median_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE query LIKE '%share_of%')::numeric, 1) AS share_of_median_ms,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE query LIKE '%share_of%') /
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE query LIKE '%count%'))::numeric, 3) AS ratio,
       count(*) / 2 AS reps
FROM timing GROUP BY mode ORDER BY mode DESC;
SQL

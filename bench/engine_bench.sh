#!/usr/bin/env bash
# Benchmark of the criteria engine: evaluate and classify every unit-year of 2024 with the C
# engine (antq.evaluate + antq.classify), with the PL/pgSQL reference of the same rules
# (bench/engine_reference.sql), and a bare scan of the same input (reading the facts, the
# previous year's rows, the incidents and the score), in one run on a private
# cluster. All three read one materialized input table (the output of antq.unit_inputs, with
# the communes' unit counts filled in); each query runs REPS times (default 3), alternating,
# timed inside the server; the medians are compared. The run fails unless the engine and the
# reference agree on every row.
# Before that, the whole-scope recompute antq.results_computed(SCOPE, 2024) is timed against
# the same functions as they were before the input query was restructured for speed (taken
# from git at commit $ref_commit and renamed into schema bench), once each, in the same run; the
# run fails unless the national recomputes of both give the same rows.
#   bench/engine_bench.sh [SCOPE] [REPS]     SCOPE: nation (default, ~1.1M units) or a province code
# Output: bench/out/engine/engine_bench.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
scope=${1:-nation}
reps=${2:-3}
ref_commit=9f75ec8		# the input query before it was restructured for speed
dir=$REPO/bench/out/engine
port=54410
bench_cluster "$dir" $port
cp -a "$REPO/bench/engine_reference.sql" "$dir/"
# The reference of the input query: antq.unit_inputs and antq.results_computed at $ref_commit,
# the latter with the columns antq.unit_result had then spelled out (it has grown since).
{
	git -C "$REPO" show "$ref_commit:sql/45_engine.sql" | sed -n '/^CREATE FUNCTION antq.unit_inputs/,/^\$\$;/p'
	git -C "$REPO" show "$ref_commit:sql/46_results.sql" | sed -n '/^CREATE FUNCTION antq.results_computed/,/^\$\$;/p'
} | sed 's/antq\.unit_inputs(/bench.ref_unit_inputs(/; s/FUNCTION antq\.results_computed(/FUNCTION bench.ref_results_computed(/' \
	| sed 's/^RETURNS SETOF antq\.unit_result$/RETURNS TABLE (unit_id bigint, year integer, kind text, code text, name text, province_code text, registered boolean, safe_attainment antq.attainment, safe_met boolean, score numeric, rating antq.rating, model_attainment antq.attainment, model_met boolean, unit_counts integer[], decision_met boolean, decision_rating antq.rating, disagrees boolean, computed_at timestamptz)/' \
	> "$dir/engine_reference_inputs.sql"
grep -q 'FUNCTION bench.ref_results_computed' "$dir/engine_reference_inputs.sql" || die "no reference input query at $ref_commit"
give_to_pg "$dir"

# The worker off: generating the data queues every province for every year, and its recomputes
# would share the two cores with the queries timed here.
psql_run -c 'ALTER SYSTEM SET antq.worker_enabled = off' -c 'SELECT pg_reload_conf()' >/dev/null
psql_run -c 'CREATE EXTENSION antq'
start=$(date +%s)
psql_run -v scope="$scope" -v data="$dir/csv" -f "$dir/engine_generate.sql"
say "generated in $(( $(date +%s) - start )) s"
psql_run -f "$dir/engine_reference.sql"
psql_run -f "$dir/engine_reference_inputs.sql"

psql_run -v reps="$reps" -v scope="$scope" <<'SQL' | tee "$dir/engine_bench.txt"
SET jit = off;
SET max_parallel_workers_per_gather = 0;
-- Whole-scope recompute, the shipped query and its pre-optimization reference, timed once each
-- inside the server (count of the rows returned).
CREATE FUNCTION pg_temp.ms(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); n bigint;
BEGIN
    EXECUTE q INTO n;
    RETURN round((1000 * extract(epoch FROM clock_timestamp() - t0))::numeric, 0);
END $$;
SELECT pg_temp.ms(format('SELECT count(*) FROM antq.results_computed(%L, 2024)', nullif(:'scope', 'nation'))) AS results_computed_ms,
       pg_temp.ms(format('SELECT count(*) FROM bench.ref_results_computed(%L, 2024)', nullif(:'scope', 'nation'))) AS reference_ms,
       pg_temp.ms(format('SELECT count(*) FROM antq.unit_inputs(%L, 2024)', nullif(:'scope', 'nation'))) AS unit_inputs_ms,
       pg_temp.ms(format('SELECT count(*) FROM bench.ref_unit_inputs(%L, 2024)', nullif(:'scope', 'nation'))) AS reference_inputs_ms;
\timing on
-- Setup (timed once, not compared): the full recompute gives the communes' unit counts.
CREATE TABLE full_results AS SELECT * FROM antq.results_computed(NULL, 2024);
CREATE TABLE reference_results AS SELECT * FROM bench.ref_results_computed(NULL, 2024);
CREATE TABLE bench_input AS
SELECT i.*, r.unit_counts FROM antq.unit_inputs(NULL, 2024) i JOIN full_results r USING (unit_id);
\timing off
VACUUM ANALYZE bench_input;
SELECT count(*) AS unit_years, pg_size_pretty(pg_total_relation_size('bench_input')) AS input_size FROM bench_input;

CREATE TEMP TABLE timing (query text, rep int, ms float8);
CREATE FUNCTION pg_temp.measure(reps int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    queries text[] := ARRAY[
      'bare', $q$SELECT count(*), sum(coalesce((b.facts).crime_count, 0) + coalesce(cardinality(b.incidents), 0) + coalesce(cardinality(b.prev), 0) + coalesce(b.score, 0)) FROM bench_input b$q$,
      'engine', $q$SELECT count(*), sum(antq.classify(b.kind, b.province_code, b.year, b.score,
                       antq.complete(antq.evaluate('safe', b.kind, b.sub_kind, b.province_code, b.year, b.facts, b.prev, b.incidents, b.unit_counts)))::int)
                   FROM bench_input b$q$,
      'plpgsql', $q$SELECT count(*), sum(bench.ref_classify(b.kind, b.year, b.score,
                       bench.ref_evaluate(b.kind, b.sub_kind, b.year, b.facts, b.prev, b.incidents, b.unit_counts) !~ '-'))
                   FROM bench_input b$q$];
    t0 timestamptz;
    i int;
BEGIN
    FOR i IN 1..3 LOOP          -- warm-up, untimed
        EXECUTE queries[2 * i];
    END LOOP;
    FOR r IN 1..reps LOOP
        FOR i IN 1..3 LOOP
            t0 := clock_timestamp();
            EXECUTE queries[2 * i];
            INSERT INTO timing VALUES (queries[2 * i - 1], r, 1000 * extract(epoch FROM clock_timestamp() - t0));
        END LOOP;
    END LOOP;
END $$;
SELECT pg_temp.measure(:reps);

-- Both implementations agree on every row (attainment text and rating).
SELECT count(*) AS rows_compared,
       count(*) FILTER (WHERE e.a IS DISTINCT FROM p.a OR e.r IS DISTINCT FROM p.r) AS disagreements
  FROM (SELECT b.unit_id, antq.evaluate('safe', b.kind, b.sub_kind, b.province_code, b.year, b.facts, b.prev, b.incidents, b.unit_counts)::text AS a,
               antq.classify(b.kind, b.province_code, b.year, b.score,
                             antq.complete(antq.evaluate('safe', b.kind, b.sub_kind, b.province_code, b.year, b.facts, b.prev, b.incidents, b.unit_counts)))::int AS r
          FROM bench_input b) e
  JOIN (SELECT b.unit_id, bench.ref_evaluate(b.kind, b.sub_kind, b.year, b.facts, b.prev, b.incidents, b.unit_counts) AS a,
               bench.ref_classify(b.kind, b.year, b.score, bench.ref_evaluate(b.kind, b.sub_kind, b.year, b.facts, b.prev, b.incidents, b.unit_counts) !~ '-') AS r
          FROM bench_input b) p USING (unit_id) \gset
SELECT :rows_compared AS rows_compared, :disagreements AS disagreements;
-- The shipped recompute gives the rows of its reference (every column but computed_at).
\set cols 'unit_id, year, kind, code, name, province_code, registered, safe_attainment::text, safe_met, score, rating::text, model_attainment::text, model_met, unit_counts, decision_met, decision_rating::text, disagrees'
SELECT (SELECT count(*) FROM full_results) AS results_rows,
       (SELECT count(*) FROM (SELECT :cols FROM full_results EXCEPT ALL SELECT :cols FROM reference_results) d)
     + (SELECT count(*) FROM (SELECT :cols FROM reference_results EXCEPT ALL SELECT :cols FROM full_results) d) AS results_differing \gset
SELECT :results_differing > 0 AS results_bad \gset
SELECT :results_rows AS results_rows, :results_differing AS results_differing;
SELECT count(*) FILTER (WHERE safe_met) AS safe_met, count(*) FILTER (WHERE NOT safe_met) AS not_met, count(*) FILTER (WHERE rating IS NOT NULL) AS rated FROM full_results;

WITH m AS (SELECT query, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms FROM timing GROUP BY query)
SELECT query, round(median_ms::numeric, 1) AS median_ms,
       round((median_ms / (SELECT median_ms FROM m WHERE query = 'bare'))::numeric, 2) AS x_bare_scan,
       round(((SELECT median_ms FROM m WHERE query = 'plpgsql') / median_ms)::numeric, 1) AS plpgsql_over_this
  FROM m ORDER BY median_ms;
\if :disagreements
\echo 'engine and reference disagree'
SELECT 1 / 0;
\endif
\if :results_bad
\echo 'antq.results_computed and its reference give different rows'
SELECT 1 / 0;
\endif
SQL

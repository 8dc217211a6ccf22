#!/usr/bin/env bash
# Instruction counts of a national recompute that changes nothing, antq.compute_results(NULL,
# 2024), two ways in the same data: as it runs (antq.results_stale, the pass in C, then every
# commune in SQL) and with antq.stale_limit = -1 (one pass in SQL over every unit, as before the
# pass in C). Counted under valgrind's callgrind in a single-user backend, so the ratio does not
# move with the machine's load as bench/national_bench.sh's wall-clock times do; single-user, the
# SQL pass starts no parallel workers, so both count all the work. Run it after
# bench/engine_bench.sh PROVINCE, on the data directory that run left (stopped), with the antq
# build installed there; the first run stores the year's results.
#   bench/stale_callgrind.sh [DATADIR]
# Output: both counts, their ratio, and the largest own costs of the pass in C. Files in
# bench/out/stale_callgrind/.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
callgrind_on stale_callgrind "${1:-}"
# the year's results stored once (the first computation writes them all; later runs write none),
# by a version of antq that has the pass (a data directory made before it would count SQL twice)
counted store "SELECT antq.compute_results(NULL, 2024);
SELECT antq.results_stale(2024) IS NOT NULL AS c_pass_runs;" >/dev/null
grep -q 'c_pass_runs = "t"' "$dir/store.out.log" ||
	die "antq.results_stale does not run in $data (made by an older antq? rerun bench/engine_bench.sh)"
recompute='SELECT antq.compute_results(NULL, 2024);'
base=$(counted base 'SELECT 1;')
c_pass=$(counted c_pass "$recompute
$recompute")
sql_pass=$(counted sql_pass "SET antq.stale_limit = -1;
$recompute
$recompute")
written=$(grep -o 'compute_results = "[0-9]*"' "$dir/c_pass.out.log" | tr -dc '0-9\n' | sort -u | tr '\n' ' ')
units=$(echo "SELECT count(*) FROM antq.unit_result WHERE year = 2024;" |
	as_pg "$BIN/postgres" --single -D "$data" -c shared_preload_libraries= postgres 2>&1 | grep -o 'count = "[0-9]*"' | tr -dc '0-9')
{
	echo "stale_callgrind.sh ($(git -C "$REPO" rev-parse --short HEAD)): antq.compute_results(NULL, 2024) twice, $units unit results stored, rows written: $written"
	echo "with the pass in C: instructions $((c_pass - base)), per unit result $(((c_pass - base) / (2 * units)))"
	echo "one pass in SQL (antq.stale_limit = -1): instructions $((sql_pass - base)), per unit result $(((sql_pass - base) / (2 * units)))"
	echo "C / SQL = $(ratio $((c_pass - base)) $((sql_pass - base)))"
	echo "largest own costs with the pass in C:"
	annotate c_pass.out | sed -n '/file:function/,$p' | sed -n '3,14p' |
		sed -E 's/ *([0-9,]+) \(([ 0-9.]+%)\) +(.*) \[.*\/([^/]+)\]$/  \3 in \4: \1 (\2)/'
} | tee "$dir/stale_callgrind.txt"

#!/usr/bin/env bash
# Instruction counts of a whole-province recompute, antq.results_computed(PROVINCE, 2024): the
# query behind a province key of the worker and, over the nation, behind a '*' key. Counted
# under valgrind's callgrind in a single-user backend, so they do not move with the machine's
# load as the national benchmark's wall-clock times do. Run it after
# bench/engine_bench.sh PROVINCE, on the data directory that run left (stopped), with the antq
# build installed there. The query runs twice in one backend; a backend that runs only SELECT 1
# is subtracted (callgrind_ir, bench/bench_common.sh).
#   bench/compute_callgrind.sh [DATADIR] [PROVINCE]
# Output: the instructions per unit result, and where they go: the functions with the largest
# inclusive cost among those named below, and the largest own costs. Files in
# bench/out/compute_callgrind/.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
province=${2:-08}
callgrind_on compute_callgrind "${1:-}"
query="SELECT count(*) FROM antq.results_computed('$province', 2024);"
base=$(counted base 'SELECT 1;')
total=$(counted compute "$query
$query")
rows=$(grep -o 'count = "[0-9]*"' "$dir/compute.out.log" | head -1 | tr -dc '0-9')
[ -n "$rows" ] && [ "$rows" -gt 0 ] || die "no result rows counted (see $dir/compute.out.log)"
{
	echo "compute_callgrind.sh $province ($(git -C "$REPO" rev-parse --short HEAD)): antq.results_computed('$province', 2024), $rows unit results, twice"
	echo "instructions $((total - base)), per unit result $(((total - base) / (2 * rows)))"
	echo "inclusive, of the whole backend (share of the program's total):"
	annotate --inclusive=yes --threshold=100 compute.out |
		grep -E ':(heap_form_minimal_tuple|ExecEvalWholeRowVar|toast_build_flattened_tuple|tuplestore_puttupleslot|MultiExecHash|antq_evaluate|antq_classify|attainment_complete|array_agg_transfn) ' |
		sed -E 's/ *([0-9,]+) \(([ 0-9.]+%)\) +[^:]*:([A-Za-z_]+) .*/  \3 \1 (\2)/'
	echo "largest own costs:"
	annotate compute.out | sed -n '/file:function/,$p' | sed -n '3,12p' |
		sed -E 's/ *([0-9,]+) \(([ 0-9.]+%)\) +(.*) \[.*\/([^/]+)\]$/  \3 in \4: \1 (\2)/'
} | tee "$dir/compute_callgrind.txt"

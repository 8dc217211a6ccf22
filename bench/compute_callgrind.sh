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
# callgrind_annotate shortens source paths under the working directory and then counts a
# function's own file apart from its inlined headers' (in the repository, antq_evaluate showed
# half its cost): it runs from the output directory.
annotate() { (cd "$dir" && callgrind_annotate --auto=no "$@" 2>/dev/null); }
data=$(cd "${1:-$REPO/bench/out/engine/data}" && pwd)
province=${2:-08}
dir=$REPO/bench/out/compute_callgrind
BIN=$(dirname "$data")/install$(dirname "$("$PG_CONFIG" --bindir)")/bin
command -v valgrind >/dev/null || die "valgrind is not installed"
[ -x "$BIN/postgres" ] || die "no private installation next to $data (run bench/engine_bench.sh $province first)"
! as_pg "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1 || die "the cluster in $data is running: stop it first"
mkdir -p "$dir" && give_to_pg "$dir"

# instructions of a single-user backend running $2 (statements one per line), profile in $1.out
counted() {
	printf 'SET jit = off;\n%s\n' "$2" | callgrind_ir "$dir/$1.out" "$data" -c shared_preload_libraries= ||
		die "$1 failed (see $dir/$1.out.log)"
}
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

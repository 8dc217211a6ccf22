#!/usr/bin/env bash
# Instruction counts of the engine benchmark's queries (bench/engine_bench.sh), which do not
# depend on what else runs on the machine: each query runs twice in a single-user backend under
# valgrind's callgrind, counting only inside the executor (standard_ExecutorRun). Run it after
# bench/engine_bench.sh 08 (the nation is too large for valgrind), on the data directory that run
# left (stopped at the end of the run), with the antq build installed there.
#   bench/engine_callgrind.sh [DATADIR] [QUERIES] [EVERY]
#     DATADIR  default bench/out/engine/data; QUERIES default "scan bare evaluate classify engine plpgsql"
#     EVERY    read only the units whose unit_id is a multiple of EVERY, in bench_input's stored
#              order (table bench_sample, made on first use): a sample of a nation run's input
#              small enough for valgrind, whose rows mix the provinces as the nation's do
# Output: one line per query, its instructions (Ir) over both runs; files in bench/out/callgrind/.
set -euo pipefail
. "$(dirname "$0")/../tools/common.sh"
data=$(cd "${1:-$REPO/bench/out/engine/data}" && pwd)
queries=${2:-scan bare evaluate classify engine plpgsql}
every=${3:-}
dir=$REPO/bench/out/callgrind
inst=$(dirname "$data")/install
BIN=$inst$(dirname "$("$PG_CONFIG" --bindir)")/bin
command -v valgrind >/dev/null || die "valgrind is not installed"
[ -x "$BIN/postgres" ] || die "no private installation next to $data (run bench/engine_bench.sh 08 first)"
! as_pg "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1 || die "the cluster in $data is running: stop it first"
mkdir -p "$dir" && give_to_pg "$dir"
input=bench_input
if [ -n "$every" ]; then
	input=bench_sample
	printf 'DROP TABLE IF EXISTS bench_sample;\nCREATE TABLE bench_sample AS SELECT * FROM bench_input WHERE unit_id %% %d = 0;\n' "$every" |
		as_pg "$BIN/postgres" --single -D "$data" -c shared_preload_libraries= postgres >/dev/null 2>"$dir/sample.err" ||
		die "could not make bench_sample (see $dir/sample.err)"
fi
declare -A Q
Q[scan]="SELECT count(*), count(b.unit_counts) FROM $input b"
Q[bare]="SELECT count(*), sum(coalesce((b.facts).crime_count, 0) + coalesce(cardinality(b.incidents), 0) + coalesce(cardinality(b.prev), 0) + coalesce(b.score, 0)) FROM $input b"
Q[evaluate]="SELECT count(*), count(antq.evaluate('safe', b.kind, b.sub_kind, b.province_code, b.year, b.facts, b.prev, b.incidents, b.unit_counts)) FROM $input b"
Q[classify]="SELECT count(*), sum(antq.classify(b.kind, b.province_code, b.year, b.score, true)::int) FROM $input b"
Q[engine]="SELECT count(*), sum(antq.classify(b.kind, b.province_code, b.year, b.score, antq.complete(antq.evaluate('safe', b.kind, b.sub_kind, b.province_code, b.year, b.facts, b.prev, b.incidents, b.unit_counts)))::int) FROM $input b"
Q[plpgsql]="SELECT count(*), sum(bench.ref_classify(b.kind, b.year, b.score, bench.ref_evaluate(b.kind, b.sub_kind, b.year, b.facts, b.prev, b.incidents, b.unit_counts) !~ '-')) FROM $input b"
for n in $queries; do
	[ -n "${Q[$n]:-}" ] || die "unknown query $n"
	printf 'SET jit = off;\n%s;\n%s;\n' "${Q[$n]}" "${Q[$n]}" |
		as_pg valgrind --tool=callgrind --callgrind-out-file="$dir/$n.out" --toggle-collect=standard_ExecutorRun \
			"$BIN/postgres" --single -D "$data" -c shared_preload_libraries= postgres >/dev/null 2>"$dir/$n.err" ||
		die "$n failed (see $dir/$n.err)"
	printf '%-10s %s\n' "$n" "$(callgrind_annotate "$dir/$n.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {print $1}')"
done

#!/usr/bin/env bash
# What the audit trail costs a single-row update, in instructions, which do not depend on what
# else runs on the machine (bench/audit_bench.sh's pgbench ratio does). As
# bench/capture_callgrind.sh: a single-user backend under valgrind's callgrind (antq preloaded)
# runs N single-row UPDATEs of antq.assessment, each its own transaction, with the audit
# triggers of antq.assessment on and then off; a run without the N updates is subtracted. The
# capture and validation triggers are on in both.
#   bench/audit_callgrind.sh [N] [UNITS]      N updates (default 1000) over UNITS units (2000)
# Output: bench/out/audit_callgrind/audit_callgrind.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
n=${1:-1000}
units=${2:-2000}
callgrind_cluster audit_callgrind
audit_sql() {	# ENABLE ALWAYS|DISABLE
	printf 'ALTER TABLE antq.assessment %s TRIGGER antq_audit_insert, %s TRIGGER antq_audit_update, %s TRIGGER antq_audit_delete, %s TRIGGER antq_audit_truncate;' "$1" "$1" "$1" "$1"
}
update_scripts "$dir" "$n" "$units" "$(audit_sql 'ENABLE ALWAYS')" "$(audit_sql DISABLE)"
single "$dir/setup.sql" "$dir/setup.out"
grep -q ERROR "$dir/setup.out" && die "setup failed (see $dir/setup.out)"
mv "$dir/data" "$dir/data.base"
declare -A ir
for mode in on off; do
	for k in 0 "$n"; do
		rm -rf "$dir/data" && cp -a "$dir/data.base" "$dir/data"
		ir[$mode.$k]=$(callgrind_ir "$dir/cg.$mode.$k" "$dir/data" -j -c shared_preload_libraries=antq < "$dir/${mode}_$k.sql") ||
			die "run $mode $k failed (see $dir/cg.$mode.$k.log)"
	done
done
on=$(( (ir[on.$n] - ir[on.0]) / n ))
off=$(( (ir[off.$n] - ir[off.0]) / n ))
say "audit_callgrind.sh $n $units ($(git -C "$REPO" rev-parse --short HEAD)): instructions per single-row UPDATE transaction, audit on $on, off $off, on/off = $(ratio "$on" "$off")" |
	tee "$dir/audit_callgrind.txt"

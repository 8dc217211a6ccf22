#!/usr/bin/env bash
# What change capture costs a single-row update, in instructions, which do not depend on what
# else runs on the machine (bench/capture_bench.sh's pgbench ratio does: its repetitions spread
# by ±30% on a shared machine). A single-user backend under valgrind's callgrind runs N
# single-row UPDATEs of antq.assessment, each its own transaction (as pgbench's are), with the
# capture triggers on and then off; a run of the same script without the N updates is
# subtracted, so what is left is the N transactions alone. Every run starts from a copy of the
# same data directory and first updates each unit once, so the backend's unit cache is warm, as
# in a long-lived connection. "on" is counted twice: with antq preloaded (as in production, and
# as in bench/capture_bench.sh: the queue piles up while no worker runs, so the key ends up queued
# for every unit and the updates after it write no queue row, extension/capture/capture_cover.c), and not
# preloaded, where every commit writes its queue row.
#   bench/capture_callgrind.sh [N] [UNITS]      N updates (default 2000) over UNITS units (3000)
# Output: bench/out/capture_callgrind/capture_callgrind.txt (instructions per update: on, on
# writing every queue row, off).
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
n=${1:-2000}
units=${2:-3000}
callgrind_cluster capture_callgrind

update_scripts "$dir" "$n" "$units" "$(capture_triggers_sql 'ENABLE ALWAYS')" "$(capture_triggers_sql DISABLE)"
single "$dir/setup.sql" "$dir/setup.out"
grep -q ERROR "$dir/setup.out" && die "setup failed (see $dir/setup.out)"
# Every run starts from a copy of the same data directory, so that the runs differ only in
# what they execute (pages that earlier runs filled would make later updates cost more).
mv "$dir/data" "$dir/data.base"
declare -A ir
# on: antq preloaded, as in production (the unit cache and the keys queued as a whole are in
# shared memory: once the warm-up has queued the key for every unit, the measured updates find
# it covered and write no queue row); write: not preloaded, so every commit writes its queue row.
for mode in on write off; do
	conf=(-c shared_preload_libraries=antq)
	[ "$mode" = write ] && conf=(-c shared_preload_libraries=)
	script=$mode
	[ "$mode" = write ] && script=on
	for k in 0 "$n"; do
		rm -rf "$dir/data" && cp -a "$dir/data.base" "$dir/data"
		ir[$mode.$k]=$(callgrind_ir "$dir/cg.$mode.$k" "$dir/data" -j "${conf[@]}" < "$dir/${script}_$k.sql") ||
			die "run $mode $k failed (see $dir/cg.$mode.$k.log)"
	done
done
on=$(( (ir[on.$n] - ir[on.0]) / n ))
write=$(( (ir[write.$n] - ir[write.0]) / n ))
off=$(( (ir[off.$n] - ir[off.0]) / n ))
say "capture_callgrind.sh $n $units ($(git -C "$REPO" rev-parse --short HEAD)): instructions per single-row UPDATE transaction, capture on $on (antq preloaded; on/off = $(ratio "$on" "$off")), on and writing every queue row $write (not preloaded; on/off = $(ratio "$write" "$off")), off $off" |
	tee "$dir/capture_callgrind.txt"

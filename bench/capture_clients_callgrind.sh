#!/usr/bin/env bash
# What change capture costs a single-row update under bench/capture_bench.sh's pgbench load, in
# instructions. bench/capture_callgrind.sh counts one single-user backend whose unit cache is
# warm; a pgbench connection is not like that: it touches each of the province's units a few
# times at most, so nearly every update looks its unit's province up in the shared cache and
# adds it to its own (extension/capture/unit_province.c), among seven other writers of the same key. Here
# the whole server runs under valgrind's callgrind and 8 pgbench clients update random units of
# one province of UNITS units, N transactions each, capture on and then off. Before the load one
# connection updates every unit once (the shared cache warm, the key queued as a whole, as on a
# server that has run for a while with no worker draining the queue); the load's own clients
# start cold. Counted: the instructions of the backends of pgbench's connections (the server
# log names them), in a run of N and in a run of N0 transactions a client; their difference over
# 8 x (N - N0) transactions leaves connection start-up out. Those totals do not hold still: how
# much page pruning falls in a run, and how many updates stay HOT, depends on how the 8 clients
# interleave, and moves a run's total by several per cent either way. So capture's cost is
# counted where it is spent: the statement trigger's firing at the end of the UPDATE
# (AfterTriggerEndQuery, less what it costs with capture off) and the capture's commit callback
# (capture_xact_callback), inclusive of all they call, against the total of an update with
# capture off.
#   bench/capture_clients_callgrind.sh [N] [N0] [UNITS]     defaults 1500, 300, 40000
# Output: bench/out/capture_clients_callgrind/capture_clients_callgrind.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
n=${1:-1500}
n0=${2:-300}
units=${3:-40000}
clients=8
dir=$REPO/bench/out/capture_clients_callgrind
port=54430
command -v valgrind >/dev/null || die "valgrind is not installed"
[ "$n" -gt "$n0" ] || die "N must be larger than N0"
rm -rf "$dir" && mkdir -p "$dir"
build
private_install "$dir/install"
BENCH_DIR=$dir
BENCH_PORT=$port
cluster_start "$dir/data" $port "$dir/sock" "$REPO/tests/antq_test.conf"
trap 'cluster_stop "$dir/data"' EXIT
printf "log_connections = on\nlog_line_prefix = '%%p '\n" | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null
psql_run -c 'CREATE EXTENSION antq' -c 'ALTER SYSTEM SET antq.worker_enabled = off'
synthetic_province_sql "$units" | psql_run
psql_run -c 'DELETE FROM antq.pending' -c 'VACUUM ANALYZE'
cluster_stop "$dir/data"
mv "$dir/data" "$dir/data.base"
cat > "$dir/update.sql" <<PGB
\set u random(800001, $((800000 + units)))
\set n random(0, 6)
UPDATE antq.assessment SET tipoffs = :n WHERE unit_id = :u AND year = 2024;
PGB
give_to_pg "$dir"

counted_load() {	# on|off TXNS -> instructions of the clients' backends: in all, in AfterTriggerEndQuery, in capture_xact_callback
	local mode=$1 txns=$2 out=$dir/cg.$1.$2 verb=ENABLE pm i
	[ "$mode" = off ] && verb=DISABLE
	rm -rf "$dir/data" "$out" && cp -a "$dir/data.base" "$dir/data" && mkdir -p "$out" && give_to_pg "$out"
	as_pg valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" "$BIN/postgres" -D "$dir/data" \
		> "$out/server.log" 2>&1 &
	pm=$!
	for i in $(seq 300); do as_pg "$BIN/pg_isready" -q -h "$dir/sock" -p $port && break; sleep 1; done
	# the warm-up's rows change nothing, so their validation (a PL/pgSQL trigger, most of the
	# warm-up's time under valgrind) is left out
	psql_run -c "$(capture_triggers_sql "$verb")" \
		-c "ALTER TABLE antq.assessment DISABLE TRIGGER assessment_check" \
		-c "UPDATE antq.assessment SET tipoffs = tipoffs WHERE year = 2024" \
		-c "ALTER TABLE antq.assessment ENABLE TRIGGER assessment_check"
	as_pg "$BIN/pgbench" -n -h "$dir/sock" -p $port -U postgres -c $clients -j 2 -t "$txns" -f "$dir/update.sql" postgres \
		> "$out/pgbench.txt" 2>&1 || die "pgbench failed (see $out/pgbench.txt)"
	grep -q "processed: $((clients * txns))/$((clients * txns))" "$out/pgbench.txt" || die "pgbench fell short (see $out/pgbench.txt)"
	as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	wait $pm || true
	! grep -E "WARNING|ERROR" "$out/server.log" | grep -v "^==" || die "the server reported a problem (see $out/server.log)"
	local pids
	pids=$(sed -n 's/^\([0-9]*\) LOG:  connection authorized: .*application_name=pgbench.*/\1/p' "$out/server.log")
	# pgbench also opens a connection of its own before its clients: the same in every run, so
	# it cancels out in the difference of two runs, as the clients' start-up does
	[ "$(echo "$pids" | wc -w)" -gt $clients ] || die "expected $clients pgbench clients and pgbench's own connection in $out/server.log"
	for i in $pids; do
		awk '/^(summary|totals):/ {print "all", $2; exit}' "$out/cg.$i"
		callgrind_annotate --inclusive=yes --threshold=100 "$out/cg.$i" 2>/dev/null |
			awk '$0 !~ /=>/ && /:(AfterTriggerEndQuery|capture_xact_callback) / {
				gsub(",", "", $1); print ($0 ~ /AfterTrigger/ ? "end" : "commit"), $1 }'
	done | awk '{ s[$1] += $2 } END { printf "%.0f %.0f %.0f", s["all"], s["end"], s["commit"] }'
}
declare -A all end commit
for mode in on off; do
	for k in "$n0" "$n"; do
		counts=$(counted_load "$mode" "$k")
		read -r "all[$mode.$k]" "end[$mode.$k]" "commit[$mode.$k]" <<< "$counts"
	done
done
per_txn() {	# ARRAY MODE -> its instructions a transaction: the runs' difference over their transactions
	local -n a=$1
	echo $(( (a[$2.$n] - a[$2.$n0]) / (clients * (n - n0)) ))
}
off=$(per_txn all off)
capture=$(( $(per_txn end on) - $(per_txn end off) + $(per_txn commit on) ))
say "capture_clients_callgrind.sh $n $n0 $units ($(git -C "$REPO" rev-parse --short HEAD)): instructions per single-row UPDATE transaction of $clients pgbench clients over $units units (cold connections, warm shared cache): with capture off $off; capture's own (its statement trigger's firing $(( $(per_txn end on) - $(per_txn end off) )), its commit callback $(per_txn commit on)) $capture; on/off = $(ratio $(( off + capture )) "$off"). Totals of the runs, which move with the clients' interleaving: on $(per_txn all on), off $off" |
	tee "$dir/capture_clients_callgrind.txt"

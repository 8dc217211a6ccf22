#!/usr/bin/env bash
# Benchmark of the audit trail (issue 17: "writing it must not cost more than 10% on the COPY
# and pgbench benchmarks"), in one run on a private cluster (antq preloaded, Unix socket only,
# the worker off so that only the writers' cost is timed; change capture and the validation
# triggers on in every run):
#   1. A province's annual batch: COPY of UNITS assessments (year 2025, every unit of a
#      synthetic province once, ten columns as a provincial system sends them) from a new
#      connection, audit on and off (off: the four antq_audit_* triggers of antq.assessment
#      disabled), alternating (off, on, on, off, ...) REPS times, medians compared.
#   2. pgbench, 8 clients, single-row UPDATEs of antq.assessment (a unit drawn at random), SECS
#      seconds a run, audit on and off alternating REPS times, median TPS compared, and each
#      pair's ratio (neighbours in time share the machine's mood).
#   bench/audit_bench.sh [UNITS] [REPS] [SECS]      (defaults 100000 5 20)
# PORT in the environment: the cluster's port (default 54425).
# Output: bench/out/audit/audit_bench.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
units=${1:-100000}
reps=${2:-5}
secs=${3:-20}
dir=$REPO/bench/out/audit
port=${PORT:-54425}
bench_cluster "$dir" $port
audit_triggers() {	# ENABLE ALWAYS|DISABLE: the four audit triggers of antq.assessment
	psql_run -c "ALTER TABLE antq.assessment $1 TRIGGER antq_audit_insert, $1 TRIGGER antq_audit_update, $1 TRIGGER antq_audit_delete, $1 TRIGGER antq_audit_truncate"
}

psql_run -c 'CREATE EXTENSION antq'
psql_run -c 'ALTER SYSTEM SET antq.worker_enabled = off' -c 'SELECT pg_reload_conf()' >/dev/null
synthetic_province_sql "$units" | psql_run
psql_run -c 'DELETE FROM antq.pending' -c 'TRUNCATE antq.audit_log' -c 'VACUUM ANALYZE'
out=$dir/audit_bench.txt
: > "$out"
say "audit_bench.sh $units $reps $secs, commit $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs" | tee -a "$out"

# 1. The 2025 batch: each unit once.
psql_run -c "COPY (SELECT u.unit_id, 2025, make_date(2025, 2, 1), 100 + u.unit_id % 50, 100, u.unit_id % 3, 0, 0, true, u.unit_id % 7
  FROM antq.unit u WHERE u.kind = 'residential_area' ORDER BY u.unit_id) TO '$dir/batch.csv' CSV"
rows=$(wc -l < "$dir/batch.csv")
copy_once() {	# on|off -> milliseconds
	local t0 t1
	[ "$1" = off ] && audit_triggers DISABLE
	t0=$(date +%s%N)
	psql_run -c "COPY antq.assessment (unit_id, year, registered_on, households_total, households_registered, crime_count,
		new_hotspots, new_vice_persons, monitored_managed, tipoffs) FROM '$dir/batch.csv' CSV"
	t1=$(date +%s%N)
	audit_triggers DISABLE
	psql_run -c 'DELETE FROM antq.assessment WHERE year = 2025' -c 'DELETE FROM antq.pending' -c 'TRUNCATE antq.audit_log' \
		-c 'VACUUM antq.assessment, antq.pending' -c 'CHECKPOINT'
	audit_triggers 'ENABLE ALWAYS'
	echo $(( (t1 - t0) / 1000000 ))
}
on_ms=() off_ms=()
for r in $(seq "$reps"); do
	if [ $((r % 2)) = 1 ]; then off_ms+=("$(copy_once off)"); on_ms+=("$(copy_once on)")
	else on_ms+=("$(copy_once on)"); off_ms+=("$(copy_once off)"); fi
done
off=$(printf '%s\n' "${off_ms[@]}" | median); on=$(printf '%s\n' "${on_ms[@]}" | median)
say "1. COPY of a province's year, $rows assessments from a new connection: audit off ${off} ms, on ${on} ms (runs off: ${off_ms[*]}; on: ${on_ms[*]}); on/off = $(ratio "$on" "$off") (target <= 1.10)" | tee -a "$out"

# 2. pgbench single-row updates, 8 clients, alternating.
nunits=$(psql_run -Atc 'CREATE TABLE bench_units AS SELECT row_number() OVER () - 1 AS i, unit_id FROM antq.assessment WHERE year = 2024' \
	-c 'CREATE UNIQUE INDEX ON bench_units (i)' -c 'ANALYZE bench_units' -c 'SELECT count(*) FROM bench_units')
cat > "$dir/update.sql" <<'PGB'
\set i random(0, :nunits - 1)
\set n random(0, 1000000)
UPDATE antq.assessment SET tipoffs = :n WHERE unit_id = (SELECT unit_id FROM bench_units WHERE i = :i) AND year = 2024;
PGB
give_to_pg "$dir"
tps_on=() tps_off=() pairs=()
tps_once() {	# on|off: appends the run's TPS to tps_on or tps_off
	local tps
	[ "$1" = off ] && audit_triggers DISABLE
	tps=$(as_pg "$BIN/pgbench" -n -h "$dir/sock" -p $port -U postgres -c 8 -j 2 -T "$secs" -D nunits="$nunits" \
		-f "$dir/update.sql" postgres 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	if [ "$1" = on ]; then tps_on+=("$tps"); else tps_off+=("$tps"); fi
	audit_triggers 'ENABLE ALWAYS'
	psql_run -c 'DELETE FROM antq.pending' -c 'TRUNCATE antq.audit_log' -c 'VACUUM antq.assessment, antq.pending'
}
for r in $(seq "$reps"); do
	if [ $((r % 2)) = 1 ]; then tps_once off; tps_once on; else tps_once on; tps_once off; fi
	pairs+=("$(ratio "${tps_on[-1]}" "${tps_off[-1]}")")
done
off=$(printf '%s\n' "${tps_off[@]}" | median); on=$(printf '%s\n' "${tps_on[@]}" | median)
say "2. pgbench 8 clients, single-row updates, ${secs} s a run: audit off ${off} TPS, on ${on} TPS (runs off: ${tps_off[*]}; on: ${tps_on[*]}); on/off = $(ratio "$on" "$off") (target >= 0.91); each pair's on/off: ${pairs[*]} (median $(printf '%s\n' "${pairs[@]}" | median))" | tee -a "$out"

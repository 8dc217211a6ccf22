#!/usr/bin/env bash
# Benchmark of writing by code (issue 19, target: "a province's annual batch of 100,000
# assessments keyed by code, each unit once, COPYed from a new connection: <= 1.3x a COPY of the
# same rows into a plain table with the same columns and primary key"), in one run on a private
# cluster (antq preloaded, Unix socket only, the worker off so that only the writer is timed):
# every round COPYs the same batch (ten columns, as a provincial system sends them) from a new
# psql into each of
#   plain      a plain table with the columns of antq.assessment_by_code, primary key (unit_code, year)
#   bycode     antq.assessment_by_code (INSTEAD OF trigger -> antq.assessment, everything on)
#   byid       antq.assessment keyed by unit_id (today's path, as bench/audit_bench.sh times it)
#   nocheck    bycode with the validation trigger assessment_check disabled
#   nocapture  bycode with the four capture triggers disabled
#   noaudit    bycode with the four audit triggers disabled
#   bare       bycode with all three disabled: the INSTEAD OF trigger and the insert alone
#   resend     bycode again over the stored batch (every row identical: nothing written)
# in an order rotated every round; each variant's ratio to the round's plain COPY, median over
# the rounds. bench/bycode_bench.sh [UNITS] [ROUNDS]   (defaults 100000 5)
# PORT in the environment: the cluster's port (default 54433).
# Output: bench/out/bycode/bycode_bench.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
units=${1:-100000}
rounds=${2:-5}
dir=$REPO/bench/out/bycode
port=${PORT:-54433}
bench_cluster "$dir" $port
triggers() {	# ENABLE ALWAYS|DISABLE and trigger names of antq.assessment
	local how=$1 t sql=
	shift
	for t in "$@"; do sql+="${sql:+, }$how TRIGGER $t"; done
	psql_run -c "ALTER TABLE antq.assessment $sql"
}
capture=(antq_capture_insert antq_capture_update antq_capture_delete antq_capture_truncate)
audit=(antq_audit_insert antq_audit_update antq_audit_delete antq_audit_truncate)

psql_run -c 'CREATE EXTENSION antq'
psql_run -c 'ALTER SYSTEM SET antq.worker_enabled = off' -c 'SELECT pg_reload_conf()' >/dev/null
synthetic_province_sql "$units" | psql_run
psql_run -c 'DELETE FROM antq.assessment' -c 'DELETE FROM antq.pending' -c 'TRUNCATE antq.audit_log' \
	-c 'CREATE TABLE bench_plain (LIKE antq.assessment_by_code, PRIMARY KEY (unit_code, year))' -c 'VACUUM ANALYZE'
out=$dir/bycode_bench.txt
: > "$out"
say "bycode_bench.sh $units $rounds, commit $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs" | tee -a "$out"

cols='registered_on, households_total, households_registered, crime_count, new_hotspots, new_vice_persons, monitored_managed, tipoffs'
vals="make_date(2025, 2, 1), 100 + u.unit_id % 50, 100, u.unit_id % 3, 0, 0, true, u.unit_id % 7"
psql_run -c "COPY (SELECT u.code, 2025, $vals FROM antq.unit u WHERE u.kind = 'residential_area' ORDER BY u.unit_id) TO '$dir/bycode.csv' CSV" \
	-c "COPY (SELECT u.unit_id, 2025, $vals FROM antq.unit u WHERE u.kind = 'residential_area' ORDER BY u.unit_id) TO '$dir/byid.csv' CSV"
rows=$(wc -l < "$dir/bycode.csv")
clean() {
	psql_run -c "$(printf 'ALTER TABLE antq.assessment DISABLE TRIGGER %s;' "${audit[@]}")" \
		-c 'DELETE FROM antq.assessment WHERE year = 2025' -c 'TRUNCATE bench_plain' -c 'DELETE FROM antq.pending' \
		-c 'TRUNCATE antq.audit_log' -c "$(printf 'ALTER TABLE antq.assessment ENABLE ALWAYS TRIGGER %s;' "${audit[@]}")" \
		-c 'VACUUM antq.assessment, antq.pending, bench_plain' -c 'CHECKPOINT'
}
copy_ms() {	# TABLE KEYCOLUMN FILE -> milliseconds of a COPY from a new psql
	local t0 t1
	t0=$(date +%s%N)
	psql_run -c "\\copy $1 ($2, year, $cols) FROM '$3' CSV"
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}
run() {	# VARIANT -> milliseconds
	local ms
	case $1 in
	plain) ms=$(copy_ms bench_plain unit_code "$dir/bycode.csv") ;;
	byid) ms=$(copy_ms antq.assessment unit_id "$dir/byid.csv") ;;
	bycode) ms=$(copy_ms antq.assessment_by_code unit_code "$dir/bycode.csv") ;;
	resend) copy_ms antq.assessment_by_code unit_code "$dir/bycode.csv" >/dev/null
		ms=$(copy_ms antq.assessment_by_code unit_code "$dir/bycode.csv") ;;
	nocheck|nocapture|noaudit|bare)
		local off=()
		[ "$1" = nocheck ] || [ "$1" = bare ] && off+=(assessment_check)
		[ "$1" = nocapture ] || [ "$1" = bare ] && off+=("${capture[@]}")
		[ "$1" = noaudit ] || [ "$1" = bare ] && off+=("${audit[@]}")
		triggers DISABLE "${off[@]}"
		ms=$(copy_ms antq.assessment_by_code unit_code "$dir/bycode.csv")
		triggers 'ENABLE ALWAYS' "${off[@]}"
		psql_run -c 'ALTER TABLE antq.assessment ENABLE TRIGGER assessment_check' ;;
	esac
	clean
	echo "$ms"
}
variants=(plain bycode byid nocheck nocapture noaudit bare resend)
declare -A ms ratios
for r in $(seq "$rounds"); do
	n=${#variants[@]}
	order=("${variants[@]:$(( (r - 1) % n ))}" "${variants[@]:0:$(( (r - 1) % n ))}")
	declare -A this=()
	for v in "${order[@]}"; do this[$v]=$(run "$v"); done
	for v in "${variants[@]}"; do
		ms[$v]+="${this[$v]} "
		ratios[$v]+="$(ratio "${this[$v]}" "${this[plain]}") "
	done
	say "round $r ($(printf '%s ' "${order[@]}")): $(for v in "${variants[@]}"; do printf '%s %s ms; ' "$v" "${this[$v]}"; done)" | tee -a "$out"
done
say "COPY of $rows assessments by code from a new connection, median of $rounds rounds (ratio to the round's plain COPY):" | tee -a "$out"
for v in "${variants[@]}"; do
	say "  $v: $(printf '%s\n' ${ms[$v]} | median) ms, ratio $(printf '%s\n' ${ratios[$v]} | median) (ratios: ${ratios[$v]})" | tee -a "$out"
done
say "target: bycode ratio <= 1.3" | tee -a "$out"

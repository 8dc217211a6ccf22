#!/usr/bin/env bash
# Where the time of a COPY by code goes, in instructions, which do not depend on what else runs
# on the machine (bench/bycode_bench.sh's wall-clock ratios do, and spread widely on a loaded
# machine). A single-user backend under valgrind's callgrind (antq preloaded; a new backend each
# run, so its caches are as cold as a new connection's) COPYs UNITS assessments, each unit of a
# synthetic province once, ten columns, into each of the targets of bench/bycode_bench.sh:
# plain (a plain table with the view's columns and primary key), bycode, byid, and bycode with
# the validation trigger (nocheck), the capture triggers (nocapture), the audit triggers
# (noaudit) or all three (bare) disabled, and a resend of the batch over itself (resend). A run
# without the COPY (with the same ALTER TABLE, or the first COPY for resend) is subtracted.
#   bench/bycode_callgrind.sh [UNITS]      (default 10000)
# Output: bench/out/bycode_callgrind/bycode_callgrind.txt.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
units=${1:-10000}
callgrind_cluster bycode_callgrind
cols='registered_on, households_total, households_registered, crime_count, new_hotspots, new_vice_persons, monitored_managed, tipoffs'
vals="make_date(2025, 2, 1), 100 + u.unit_id % 50, 100, u.unit_id % 3, 0, 0, true, u.unit_id % 7"
{
	printf 'CREATE EXTENSION antq;\n\n'
	synthetic_province_sql "$units"
	printf '%s;\n\n' 'DELETE FROM antq.assessment' 'DELETE FROM antq.pending' 'TRUNCATE antq.audit_log' \
		'CREATE TABLE bench_plain (LIKE antq.assessment_by_code, PRIMARY KEY (unit_code, year))' \
		"COPY (SELECT u.code, 2025, $vals FROM antq.unit u WHERE u.kind = 'residential_area' ORDER BY u.unit_id) TO '$dir/bycode.csv' CSV" \
		"COPY (SELECT u.unit_id, 2025, $vals FROM antq.unit u WHERE u.kind = 'residential_area' ORDER BY u.unit_id) TO '$dir/byid.csv' CSV" \
		'VACUUM ANALYZE'
} > "$dir/setup.sql"
as_pg "$BIN/postgres" --single -j -D "$dir/data" -c shared_preload_libraries=antq postgres < "$dir/setup.sql" > "$dir/setup.out" 2>&1
grep -q ERROR "$dir/setup.out" && die "setup failed (see $dir/setup.out)"
mv "$dir/data" "$dir/data.base"

off_sql() {	# trigger names -> ALTER TABLE disabling them
	local t sql=
	for t in "$@"; do sql+="${sql:+, }DISABLE TRIGGER $t"; done
	printf 'ALTER TABLE antq.assessment %s;\n\n' "$sql"
}
capture='antq_capture_insert antq_capture_update antq_capture_delete antq_capture_truncate'
audit='antq_audit_insert antq_audit_update antq_audit_delete antq_audit_truncate'
copy_sql() {	# TABLE KEYCOLUMN CSV
	printf 'COPY %s (%s, year, %s) FROM %s CSV;\n\n' "$1" "$2" "$cols" "'$dir/$3'"
}
bycode=$(copy_sql antq.assessment_by_code unit_code bycode.csv)
declare -A pre=(
	[plain]='' [bycode]='' [byid]='' [resend]="$bycode"
	[nocheck]=$(off_sql assessment_check) [nocapture]=$(off_sql $capture) [noaudit]=$(off_sql $audit)
	[bare]=$(off_sql assessment_check $capture $audit))
declare -A run=(
	[plain]=$(copy_sql bench_plain unit_code bycode.csv) [byid]=$(copy_sql antq.assessment unit_id byid.csv)
	[bycode]="$bycode" [nocheck]="$bycode" [nocapture]="$bycode" [noaudit]="$bycode" [bare]="$bycode" [resend]="$bycode")
counted_run() {	# NAME SCRIPT -> instructions
	printf '%sSELECT 1;\n\n' "$2" > "$dir/$1.sql"
	rm -rf "$dir/data" && cp -a "$dir/data.base" "$dir/data"
	callgrind_ir "$dir/cg.$1" "$dir/data" -j -c shared_preload_libraries=antq < "$dir/$1.sql" ||
		die "run $1 failed (see $dir/cg.$1.log)"
}
variants=(plain bycode byid nocheck nocapture noaudit bare resend)
declare -A ir base
for v in "${variants[@]}"; do
	key=$(printf '%s' "${pre[$v]}" | cksum | cut -d' ' -f1)
	[ -n "${base[$key]:-}" ] || base[$key]=$(counted_run "base_$v" "${pre[$v]}")
	ir[$v]=$(( $(counted_run "$v" "${pre[$v]}${run[$v]}") - base[$key] ))
done
out=$dir/bycode_callgrind.txt
say "bycode_callgrind.sh $units ($(git -C "$REPO" rev-parse --short HEAD)): instructions per row of a COPY of $units assessments from a new backend, and the ratio to the plain table's" | tee "$out"
for v in "${variants[@]}"; do
	say "  $v: $(( ir[$v] / units )) per row, ratio $(ratio "${ir[$v]}" "${ir[plain]}")" | tee -a "$out"
done

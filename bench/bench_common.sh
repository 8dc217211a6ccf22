# Shared by the benchmarks (sourced): a private cluster per benchmark. bench_cluster DIR PORT
# builds antq, installs it under DIR/install, copies the CSV data and the generator to DIR, and
# starts a cluster in DIR/data on PORT (socket in DIR/sock, antq preloaded, stopped on exit);
# psql_run then runs psql there as postgres.
. "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"

bench_cluster() {
	BENCH_DIR=$1
	BENCH_PORT=$2
	mkdir -p "$BENCH_DIR"
	build
	private_install "$BENCH_DIR/install"
	rm -rf "$BENCH_DIR/csv" && cp -a "$REPO/tests/data" "$BENCH_DIR/csv"
	cp -a "$REPO/bench/engine_generate.sql" "$BENCH_DIR/"
	give_to_pg "$BENCH_DIR"
	rm -rf "$BENCH_DIR/data"
	cluster_start "$BENCH_DIR/data" "$BENCH_PORT" "$BENCH_DIR/sock" "$REPO/tests/antq_test.conf"
	trap 'cluster_stop "$BENCH_DIR/data"' EXIT
}

psql_run() {
	as_pg "$BIN/psql" -X -q -h "$BENCH_DIR/sock" -p "$BENCH_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

# The ALTER TABLE that switches the four capture triggers of a fact table (antq.assessment
# unless named): capture_triggers_sql ENABLE|DISABLE|'ENABLE ALWAYS' [TABLE].
# The row-level trigger for a subscription's apply (antq_capture_applied) is switched with them:
# REPLICA when on, as installed, so that "off" counts what it costs a plain update too.
capture_triggers_sql() {
	local applied='ENABLE REPLICA'
	[ "$1" = DISABLE ] && applied=DISABLE
	printf 'ALTER TABLE %s %s TRIGGER antq_capture_insert, %s TRIGGER antq_capture_update, %s TRIGGER antq_capture_delete, %s TRIGGER antq_capture_truncate, %s TRIGGER antq_capture_applied;\n' \
		"${2:-antq.assessment}" "$1" "$1" "$1" "$1" "$applied"
}

# SQL of a province (08) of UNITS residential areas in one commune, each with an assessment for
# 2024: one statement a paragraph, which psql and a single-user backend (-j) both run one at a
# time; the areas in batches of 2,000, because the registry's check holds a lock a unit code
# until its transaction ends. synthetic_province_sql UNITS
synthetic_province_sql() {
	local units=$1 b
	cat <<SQL
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, province_id, province_code, valid_from)
VALUES (8, 'province', 'tinh', '08', 'Tuyên Quang', 8, '08', '2000-01-01');

INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (8001, 'commune', 'xa', '00800', 'Xã Mỹ Lâm', 8, 8, '08', '2000-01-01');

SQL
	for ((b = 1; b <= units; b += 2000)); do
		cat <<SQL
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
SELECT 800000 + g, 'residential_area', 'thon', '00800-T' || g, 'Thôn ' || g, 8001, 8, '08', '2015-01-01'
FROM generate_series($b, $(( b + 1999 < units ? b + 1999 : units ))) g;

SQL
	done
	cat <<SQL
INSERT INTO antq.assessment (unit_id, year, crime_count, tipoffs)
SELECT 800000 + g, 2024, 1, 0 FROM generate_series(1, $units) g;

SQL
}

# Turn the worker on (antq.worker_enabled) and wait until it runs; sets pid to its process id.
worker_on() {
	psql_run -c 'ALTER SYSTEM SET antq.worker_enabled = on' -c 'SELECT pg_reload_conf()' >/dev/null
	pid=
	for _ in $(seq 1 100); do
		pid=$(psql_run -At -c 'SELECT pid FROM antq.worker_status WHERE pid IS NOT NULL LIMIT 1')
		[ -n "$pid" ] && break
		sleep 0.2
	done
	[ -n "$pid" ] || die "no worker started"
}

# The scripts of the single-row update benchmarks under callgrind (bench/capture_callgrind.sh,
# bench/audit_callgrind.sh), in DIR: setup.sql (a synthetic province of UNITS units, each with
# a 2024 assessment), and for MODE on and off, MODE_0.sql (ON_SQL or OFF_SQL, then one update
# of each unit, which warms the backend's caches) and MODE_N.sql (the same and N updates of
# units drawn at random). update_scripts DIR N UNITS ON_SQL OFF_SQL
update_scripts() {
	{ printf 'CREATE EXTENSION antq;\n\n'; synthetic_province_sql "$3"; printf 'VACUUM ANALYZE;\n\n'; } > "$1/setup.sql"
	python3 - "$1" "$2" "$3" "$4" "$5" <<'PY'
import random, sys
d, n, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
switch = {'on': sys.argv[4], 'off': sys.argv[5]}
def write(name, stmts):
    open(f'{d}/{name}', 'w').write('\n\n'.join(stmts) + '\n\n')
update = 'UPDATE antq.assessment SET tipoffs = tipoffs + 1 WHERE unit_id = {} AND year = 2024;'
warm = [update.format(800001 + u) for u in range(units)]
random.seed(8)
load = [update.format(800001 + random.randrange(units)) for _ in range(n)]
reset = ['DELETE FROM antq.pending;']
for mode in ('on', 'off'):
    write(f'{mode}_0.sql', [switch[mode]] + reset + warm)
    write(f'{mode}_{n}.sql', [switch[mode]] + reset + warm + load)
PY
}

# A / B to three decimals; the median of numbers on stdin, one a line.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Instructions a single-user backend of $BIN executes for the statements on stdin, which do not
# depend on what else runs on the machine: callgrind_ir OUT DATADIR [postgres options...] runs it
# under valgrind's callgrind (profile in OUT, its output and valgrind's in OUT.log) and prints the
# total; fails when the backend failed or a statement raised an error.
# A fresh private installation and data directory in bench/out/NAME for the callgrind scripts
# that count a workload in a single-user backend; sets dir, and single SCRIPT OUT runs SCRIPT
# there (with -j a statement ends at a semicolon followed by an empty line).
callgrind_cluster() {
	dir=$REPO/bench/out/$1
	command -v valgrind >/dev/null || die "valgrind is not installed"
	rm -rf "$dir" && mkdir -p "$dir"
	build
	private_install "$dir/install"
	give_to_pg "$dir"
	as_pg "$BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
}
single() {	# script -> output file; runs it in a single-user backend on $dir/data
	as_pg "$BIN/postgres" --single -j -D "$dir/data" postgres < "$1" > "$2" 2>&1
}

callgrind_ir() {
	local out=$1 data=$2
	shift 2
	as_pg valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN/postgres" --single "$@" -D "$data" postgres \
		> "$out.log" 2>&1 || return 1
	! grep -q ERROR "$out.log" || return 1
	awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

# The counts of bench/compute_callgrind.sh and bench/stale_callgrind.sh, on the data directory
# bench/engine_bench.sh left (stopped, the antq build installed next to it): callgrind_on NAME
# [DATADIR] sets data, dir (bench/out/NAME) and BIN; then counted OUT STATEMENTS gives the
# instructions of a single-user backend running the statements (one a line; profile in
# dir/OUT.out), and annotate ARGS runs callgrind_annotate from dir: run from the repository it
# shortens source paths and then counts a function's own file apart from its inlined headers'
# (it showed antq_evaluate at half its cost).
callgrind_on() {
	data=$(cd "${2:-$REPO/bench/out/engine/data}" && pwd)
	dir=$REPO/bench/out/$1
	BIN=$(dirname "$data")/install$(dirname "$("$PG_CONFIG" --bindir)")/bin
	command -v valgrind >/dev/null || die "valgrind is not installed"
	[ -x "$BIN/postgres" ] || die "no private installation next to $data (run bench/engine_bench.sh first)"
	! as_pg "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1 || die "the cluster in $data is running: stop it first"
	mkdir -p "$dir" && give_to_pg "$dir"
}
counted() {
	printf 'SET jit = off;\n%s\n' "$2" | callgrind_ir "$dir/$1.out" "$data" -c shared_preload_libraries= ||
		die "$1 failed (see $dir/$1.out.log)"
}
annotate() { (cd "$dir" && callgrind_annotate --auto=no "$@" 2>/dev/null); }

# Milliseconds since a date +%s%N stamp.
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# The reference of the recompute benchmarks: a materialized view NAME of the same summary in plain
# SQL over the live results of SCOPE (SQL: a province code literal, or NULL for the nation),
# grouped by commune (the units' parent), province and in all. Created here, refreshed by the
# caller (REFRESH MATERIALIZED VIEW NAME).
summary_mv() {
	psql_run -c "CREATE MATERIALIZED VIEW $1 AS
WITH r AS (SELECT r.*, u.parent_id
           FROM antq.results_computed($2, 2024) r JOIN antq.unit u USING (unit_id))
SELECT r.province_code, r.parent_id, r.kind, count(*) AS total, count(*) FILTER (WHERE r.registered) AS registered,
       count(*) FILTER (WHERE r.safe_met) AS met, count(*) FILTER (WHERE r.decision_met) AS recognized,
       sum(r.tipoffs) AS tipoffs, sum(r.outreach_target) AS outreach_target, sum(r.outreach_reached) AS outreach_reached
FROM r GROUP BY GROUPING SETS ((r.province_code, r.parent_id, r.kind), (r.province_code, r.kind), (r.kind))"
}

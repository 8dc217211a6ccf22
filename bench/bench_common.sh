# Shared by the benchmarks (sourced): a private cluster per benchmark. bench_cluster DIR PORT
# builds antq, installs it under DIR/install, copies the CSV data and the generator to DIR, and
# starts a cluster in DIR/data on PORT (socket in DIR/sock, antq preloaded, stopped on exit);
# psql_run then runs psql there as postgres.
. "$(dirname "${BASH_SOURCE[0]}")/../tests/tools/common.sh"

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

# Milliseconds since a date +%s%N stamp.
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

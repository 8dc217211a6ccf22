# Shared settings for the set-up, test and demo scripts (sourced, not run).
# Everything that runs PostgreSQL runs as the unprivileged OS user $PG_OS_USER, because
# PostgreSQL refuses to run as root.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
PG_OS_USER=${PG_OS_USER:-postgres}
export PG_CONFIG

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as the PostgreSQL OS user (directly when we already are not root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_OS_USER" -- "$@"
	else
		"$@"
	fi
}

# Give a directory we created to the PostgreSQL OS user.
give_to_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$PG_OS_USER": "$@"
	fi
}

build() {
	make -C "$REPO" -s -j2 PG_CONFIG="$PG_CONFIG" >/dev/null || die "build failed (run 'make' to see why)"
}

# private_install DIR: PostgreSQL's own files plus a fresh build of antq under DIR, so tests and
# benchmarks never touch the system installation (PostgreSQL finds its share and lib
# directories relative to its binaries). Sets BIN and PGXS_TEST.
private_install() {
	local inst=$1 libroot sharedir
	libroot=$(dirname "$("$PG_CONFIG" --bindir)")
	sharedir=$("$PG_CONFIG" --sharedir)
	rm -rf "$inst"
	mkdir -p "$inst$(dirname "$libroot")" "$inst$(dirname "$sharedir")"
	cp -a "$libroot" "$inst$(dirname "$libroot")/"
	cp -a "$sharedir" "$inst$(dirname "$sharedir")/"
	rm -f "$inst$sharedir"/extension/antq[.-]* "$inst$libroot"/lib/antq.so
	make -C "$REPO" -s install DESTDIR="$inst" PG_CONFIG="$PG_CONFIG" >/dev/null || die "install into $inst failed"
	BIN=$inst$libroot/bin
	PGXS_TEST=$inst$libroot/lib/pgxs/src/test
}

# cluster_start PGDATA PORT SOCKDIR [CONF]: initdb (when PGDATA is new) and start a cluster run by
# the PostgreSQL OS user, listening only on a Unix socket in SOCKDIR. Uses $BIN.
cluster_start() {
	local pgdata=$1 port=$2 sock=$3 conf=${4:-}
	mkdir -p "$pgdata" "$sock"
	give_to_pg "$pgdata" "$sock"
	chmod 700 "$pgdata"
	if [ ! -f "$pgdata/PG_VERSION" ]; then
		as_pg "$BIN/initdb" -D "$pgdata" -A trust -U postgres -N -E UTF8 --locale=C.UTF-8 >/dev/null || die "initdb failed in $pgdata"
		{
			[ -n "$conf" ] && cat "$conf"
			printf "port = %s\nunix_socket_directories = '%s'\nlisten_addresses = ''\n" "$port" "$sock"
		} | as_pg tee -a "$pgdata/postgresql.conf" >/dev/null
	fi
	if ! as_pg "$BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
		as_pg "$BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w start >/dev/null ||
			{ tail -n 30 "$pgdata/server.log"; die "cluster in $pgdata did not start"; }
	fi
}

# cluster_stop PGDATA: fast shutdown when running.
cluster_stop() {
	as_pg "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1 && as_pg "$BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null
	return 0
}

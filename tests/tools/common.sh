# Shared settings for the set-up, test and demo scripts (sourced, not run).
# Everything that runs PostgreSQL runs as the unprivileged OS user $PG_OS_USER, because
# PostgreSQL refuses to run as root.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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

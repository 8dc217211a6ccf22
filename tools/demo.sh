#!/usr/bin/env bash
# make demo: install antq, start a private cluster with antq preloaded (run by the postgres OS
# user, its data, socket and log under .demo/ in the repository, or under /var/tmp when that
# user cannot reach the repository), load the demo province and show its summary. Running it
# again rebuilds, restarts and reloads. make demo-stop stops it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

DEMO=$REPO/.demo
# The cluster runs as $PG_OS_USER, which may not reach a clone under /root; the scripts it loads
# are read by this shell and piped in, so only the cluster's own folder must be reachable.
if [ "$(id -u)" -eq 0 ] && ! runuser -u "$PG_OS_USER" -- test -x "$REPO"; then
	DEMO=/var/tmp/antq-demo-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)
fi
PORT=${ANTQ_DEMO_PORT:-54322}
DB=antq_demo
BIN=$("$PG_CONFIG" --bindir 2>/dev/null || echo "/usr/lib/postgresql/$PG_MAJOR/bin")
PSQL=(as_pg "$BIN/psql" -X -q -h "$DEMO/sock" -p "$PORT" -U postgres -v ON_ERROR_STOP=1)

case ${1:-start} in
stop)
	[ -d "$DEMO/data" ] && cluster_stop "$DEMO/data"
	say "The demo cluster is stopped (its data stays in $DEMO; delete that folder to start afresh)."
	exit 0 ;;
start) ;;
*) die "usage: demo.sh start|stop" ;;
esac

[ "$(id -u)" -eq 0 ] || die "make demo installs packages and antq into the system: run it as root"
"$REPO/tools/deps.sh"
build
make -C "$REPO" -s install PG_CONFIG="$PG_CONFIG" >/dev/null || die "make install failed"
BIN=$("$PG_CONFIG" --bindir)
PSQL=(as_pg "$BIN/psql" -X -q -h "$DEMO/sock" -p "$PORT" -U postgres -v ON_ERROR_STOP=1)

mkdir -p "$DEMO"
give_to_pg "$DEMO"
# A running cluster is restarted so that it loads the antq.so just installed.
cluster_stop "$DEMO/data" 2>/dev/null || true
cluster_start "$DEMO/data" "$PORT" "$DEMO/sock" "$REPO/tests/antq_test.conf"

"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
# antq first: trusted schemas before any that other roles may create in (public), so that
# nobody can shadow antq's operators (rating >= 'kha') for the demo's users.
"${PSQL[@]}" -d "$DB" -c 'CREATE EXTENSION antq' -c "ALTER DATABASE $DB SET search_path = antq, \"\$user\", public"
"${PSQL[@]}" -d "$DB" <"$REPO/tools/demo/demo_province.sql" >/dev/null
"${PSQL[@]}" -d "$DB" <"$REPO/tools/demo/demo_facts.sql" >/dev/null
# The worker recomputes what the load queued; wait until it has drained the queue.
for _ in $(seq 1 120); do
	left=$("${PSQL[@]}" -d "$DB" -Atc 'SELECT count(*) FROM antq.pending')
	[ "$left" = 0 ] && break
	sleep 0.5
done
[ "$left" = 0 ] || say "warning: the antq worker has not drained its queue yet ($left keys left); see antq.worker_status"
as_pg "$BIN/psql" -X -h "$DEMO/sock" -p "$PORT" -U postgres -d "$DB" <"$REPO/tools/demo/demo_summary.sql"

cat <<MSG

The demo cluster is running with antq preloaded (data in $DEMO/data, log in $DEMO/data/server.log).
Connect:  psql -h $DEMO/sock -p $PORT -U postgres $DB
Stop:     make demo-stop
MSG

#!/usr/bin/env bash
# Run pgTAP files with pg_prove against a running server that preloads antq, in a database of
# their own: pgtap.sh [FILE...] (default: every tests/pgtap/*.sql). The server is the one libpq's
# environment names (PGHOST, PGPORT, PGUSER), as for pg_regress; the role must be a superuser,
# since the tests switch to antq's roles and create pgtap. Each file runs in one transaction and
# rolls back; the database is created afresh and dropped at the end when every file passed.
# Used by `make test` (against its private cluster) and `make installcheck` (against yours).
set -uo pipefail
. "$(dirname "$0")/common.sh"

DB=${ANTQ_PGTAP_DB:-antq_pgtap_regression}
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$REPO"/tests/pgtap/*.sql)

command -v pg_prove >/dev/null ||
	die "pg_prove not found: install the Debian package libtap-parser-sourcehandler-pgtap-perl"
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null ||
	die "cannot create database $DB on the server (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-})"
"${PSQL[@]}" -d "$DB" -c 'CREATE EXTENSION pgtap' >/dev/null ||
	die "CREATE EXTENSION pgtap failed: install postgresql-$PG_MAJOR-pgtap into this server"
"${PSQL[@]}" -d "$DB" -c 'CREATE EXTENSION antq' >/dev/null ||
	die "CREATE EXTENSION antq failed: is antq installed (make install) and preloaded (shared_preload_libraries = 'antq')?"

pg_prove -d "$DB" "${files[@]}"
rc=$?
[ $rc -eq 0 ] && "${PSQL[@]}" -d postgres -c "DROP DATABASE $DB" >/dev/null
exit $rc

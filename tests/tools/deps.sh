#!/usr/bin/env bash
# Install what building and testing antq needs, from Debian's registry, only when missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

missing=()
[ -x "$PG_CONFIG" ] && [ -f "$("$PG_CONFIG" --pgxs 2>/dev/null)" ] || missing+=("postgresql-server-dev-$PG_MAJOR")
[ -f "/usr/share/postgresql/$PG_MAJOR/extension/pgtap.control" ] || missing+=("postgresql-$PG_MAJOR-pgtap")
command -v pg_prove >/dev/null || missing+=(libtap-parser-sourcehandler-pgtap-perl)
perl -MIPC::Run -e1 2>/dev/null || missing+=(libipc-run-perl)
command -v gcc >/dev/null || missing+=(gcc)
command -v make >/dev/null || missing+=(make)
id "$PG_OS_USER" >/dev/null 2>&1 || missing+=("postgresql-$PG_MAJOR")
[ -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ] || missing+=("postgresql-$PG_MAJOR")

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]}; run this as root (or install them) first"
say "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

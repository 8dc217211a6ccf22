#!/usr/bin/env bash
# Install what building and testing antq needs, from Debian's registry, only when missing.
#
#   deps.sh            check, install what is missing (as root), check again
#   deps.sh --check    check only: name each missing file and the package that ships it
#
# Each need is tested by the very file the build or a test step uses, not by a neighbour that
# another package happens to ship (pgxs.mk is in postgresql-client-15, postgres.h is not).
# After installing, every need is checked again: a package that did not install, or that
# installed without the file, stops here with a message naming both.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mode=install
case ${1:-} in
--check) mode=check ;;
'') ;;
*) die "usage: deps.sh [--check]" ;;
esac

# need PACKAGE WHAT TEST...: records PACKAGE as missing (with WHAT, the file or command) unless
# the command TEST... succeeds.
missing_pkgs=() missing_what=()
need() {
	local pkg=$1 what=$2
	shift 2
	"$@" >/dev/null 2>&1 && return 0
	missing_pkgs+=("$pkg")
	missing_what+=("$what ($pkg)")
}

pgxs_var() {	# the value of a variable of PostgreSQL's Makefile.global, empty when unknown
	local mk
	mk=$(dirname "$("$PG_CONFIG" --pgxs 2>/dev/null)" 2>/dev/null)/../Makefile.global
	[ -f "$mk" ] && sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$mk" | head -n 1
	return 0
}

check_all() {
	missing_pkgs=() missing_what=()
	local bin=/usr/lib/postgresql/$PG_MAJOR/bin pgxs="" inc="" test_dir cc clang llvm_bin
	need "postgresql-$PG_MAJOR" "$bin/postgres" test -x "$bin/postgres"
	need "postgresql-$PG_MAJOR" "OS user $PG_OS_USER" id "$PG_OS_USER"
	need "postgresql-client-$PG_MAJOR" "$PG_CONFIG" test -x "$PG_CONFIG"
	if [ -x "$PG_CONFIG" ]; then
		pgxs=$("$PG_CONFIG" --pgxs)
		inc=$("$PG_CONFIG" --includedir-server)
	fi
	test_dir=$(dirname "${pgxs:-/nonexistent/x}")/../test
	need "postgresql-client-$PG_MAJOR" "${pgxs:-pgxs.mk}" test -f "$pgxs"
	# The server headers: every extension/*.c includes postgres.h first.
	need "postgresql-server-dev-$PG_MAJOR" "${inc:-server include dir}/postgres.h" test -f "$inc/postgres.h"
	need "postgresql-client-$PG_MAJOR" "pg_regress" test -x "$test_dir/regress/pg_regress"
	need "postgresql-client-$PG_MAJOR" "pg_isolation_regress" test -x "$test_dir/isolation/pg_isolation_regress"
	need "postgresql-client-$PG_MAJOR" "PostgreSQL/Test/Cluster.pm" test -f "$test_dir/perl/PostgreSQL/Test/Cluster.pm"
	need "postgresql-$PG_MAJOR-pgtap" "pgtap.control" \
		test -f "/usr/share/postgresql/$PG_MAJOR/extension/pgtap.control"
	need libtap-parser-sourcehandler-pgtap-perl "pg_prove" command -v pg_prove
	need libipc-run-perl "perl module IPC::Run" perl -MIPC::Run -e1
	need perl "prove" command -v prove
	need make "make" command -v make
	# The compiler PostgreSQL was built with, and, when it was built with LLVM, the clang and
	# llvm-lto that PGXS uses to build and index the bitcode it installs beside antq.so.
	cc=$(pgxs_var CC); cc=${cc%% *}
	need gcc "C compiler ${cc:-gcc}" command -v "${cc:-gcc}"
	if [ "$(pgxs_var with_llvm)" = yes ]; then
		clang=$(pgxs_var CLANG)
		llvm_bin=$(pgxs_var LLVM_BINPATH)
		need "$(basename "${clang:-clang-14}")" "${clang:-clang}" test -x "${clang:-/nonexistent}"
		need "llvm-${llvm_bin//[^0-9]/}" "${llvm_bin:-llvm}/llvm-lto" test -x "$llvm_bin/llvm-lto"
	fi
	[ ${#missing_pkgs[@]} -eq 0 ]
}

unique() { printf '%s\n' "$@" | awk '!seen[$0]++'; }

if check_all; then
	exit 0
fi
if [ "$mode" = check ]; then
	say "missing: $(IFS=,; echo "${missing_what[*]}" | sed 's/,/, /g')"
	exit 1
fi
mapfile -t pkgs < <(unique "${missing_pkgs[@]}")
[ "$(id -u)" -eq 0 ] ||
	die "missing: ${missing_what[*]}; install the packages ${pkgs[*]} (or run this as root)"
say "Installing: ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq || die "apt-get update failed: cannot reach Debian's package lists to install ${pkgs[*]}"
if ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; then
	# Name the package that cannot be installed, not only the batch.
	for p in "${pkgs[@]}"; do
		apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
			die "the Debian package $p cannot be installed (apt-get install $p fails); antq needs it"
	done
fi
check_all || die "still missing after installing ${pkgs[*]}: ${missing_what[*]}"

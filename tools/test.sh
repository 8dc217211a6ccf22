#!/usr/bin/env bash
# Set everything up and run every test suite against clusters that preload antq:
#   regress    pg_regress:  tests/sql/*.sql against tests/expected/*.out
#   pgtap      pg_prove:    tests/pgtap/*.sql (each file runs in one transaction and rolls back)
#   isolation  pg_isolation_regress: tests/specs/*.spec against tests/expected/*.out
#   tap        prove:       tests/t/*.pl (PostgreSQL::Test::Cluster, for multi-process behaviour)
# Arguments name a subset of suites; ANTQ_TESTS="a b" limits regress/isolation/pgtap/tap to
# tests with those names. Exits non-zero when any test fails, printing the diffs.
set -uo pipefail
. "$(dirname "$0")/common.sh"

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(regress pgtap isolation tap)

"$REPO/tools/deps.sh" || die "could not install the packages antq needs"
build

# The work area must be reachable by the PostgreSQL OS user: inside the clone when it can
# reach it, otherwise under /var/tmp.
WORK=${ANTQ_WORKDIR:-$REPO/tmp_check}
if [ "$(id -u)" -eq 0 ] && ! runuser -u "$PG_OS_USER" -- test -x "$REPO"; then
	WORK=/var/tmp/antq-check-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)
fi
rm -rf "$WORK" && mkdir -p "$WORK" || die "cannot create $WORK"

private_install "$WORK/install"
cp -a "$REPO/tests" "$WORK/tests"
T=$WORK/tests
# The source tree without build products, for tests/t/050_docs.pl (it checks what the README and
# docs link to), where the PostgreSQL OS user can read it.
mkdir -p "$WORK/repo" && tar -C "$REPO" --exclude=./.git --exclude=./tmp_check --exclude=./.demo \
	--exclude=./bench/out --exclude='*.o' --exclude='*.bc' --exclude='*.so' -cf - . | tar -C "$WORK/repo" -xf - \
	|| die "cannot copy the source tree to $WORK/repo"
give_to_pg "$WORK"

select_tests() {	# dir ext: names of the tests in dir, filtered by ANTQ_TESTS (a TAP test by its
	local f n		# name with or without its number: 026_successors or successors)
	for f in "$1"/*."$2"; do
		[ -e "$f" ] || continue
		n=$(basename "$f" ."$2")
		if [ -z "${ANTQ_TESTS:-}" ] || [[ " $ANTQ_TESTS " == *" $n "* ]] || [[ " $ANTQ_TESTS " == *" ${n#[0-9][0-9][0-9]_} "* ]]; then
			printf '%s\n' "$n"
		fi
	done
}

passed=0 failed=0 failed_suites=() failed_tests=()

# The failed tests of a prove or pg_prove run, from its "Test Summary Report": "name.ext (Wstat:
# ... Failed: n)" lines, as "suite/name (Wstat: ...)".
note_failed_files() {	# suite ext output
	local line
	while IFS= read -r line; do
		failed_tests+=("$1/$line")
	done < <(printf '%s\n' "$3" | sed -n '/^Test Summary Report/,$p' | grep -oE "[^ /]+\.$2 +\(Wstat.*")
}
count() {	# suite rc pass fail
	passed=$((passed + $3))
	local f=$4
	[ "$2" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	failed=$((failed + f))
	[ "$2" -ne 0 ] && failed_suites+=("$1")
}

# pg_regress and pg_isolation_regress: one temporary instance each, antq preloaded.
run_regress_like() {	# suite driver testdir ext
	local suite=$1 driver=$2 dir=$3 ext=$4 tests out rc
	mapfile -t tests < <(select_tests "$T/$dir" "$ext")
	[ ${#tests[@]} -gt 0 ] || { say "== $suite: no tests"; return; }
	say "== $suite: ${#tests[@]} test(s)"
	mkdir -p "$WORK/$suite" && give_to_pg "$WORK/$suite"
	out=$(cd "$WORK/$suite" && as_pg "$driver" --temp-instance="$WORK/$suite/instance" \
		--temp-config="$T/antq_test.conf" --bindir="$BIN" --inputdir="$T" \
		--outputdir="$WORK/$suite" --dbname=antq_"$suite" --load-extension=antq --encoding=UTF8 --no-locale \
		"${tests[@]}" 2>&1); rc=$?
	say "$out"
	if [ $rc -ne 0 ] && [ -f "$WORK/$suite/regression.diffs" ]; then
		say "---- $suite: regression.diffs ----"; cat "$WORK/$suite/regression.diffs"
	fi
	local line
	while IFS= read -r line; do failed_tests+=("$suite/$line"); done \
		< <(printf '%s\n' "$out" | grep -E '(FAILED|^not ok)' | sed -E 's/^(not ok [0-9]+ +[-+] +|test +)//')
	local total fail
	fail=$(printf '%s\n' "$out" | grep -oE '[0-9]+ of [0-9]+ tests failed' | cut -d' ' -f1 || true)
	total=$(printf '%s\n' "$out" | grep -oE '(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' | grep -oE '[0-9]+ tests' | grep -oE '[0-9]+')
	count "$suite" $rc $(( ${total:-0} - ${fail:-0} )) "${fail:-0}"
}

# pgTAP: one cluster, one database with pgtap and antq; each file rolls back what it does.
run_pgtap() {
	local files=() n rc out pgdata=$WORK/pgtap/data sock=$WORK/pgtap/sock port=${ANTQ_TEST_PORT:-54329}
	for n in $(select_tests "$T/pgtap" sql); do files+=("$T/pgtap/$n.sql"); done
	[ ${#files[@]} -gt 0 ] || { say "== pgtap: no tests"; return; }
	say "== pgtap: ${#files[@]} file(s)"
	mkdir -p "$pgdata" "$sock" && give_to_pg "$WORK/pgtap"
	cluster_start "$pgdata" "$port" "$sock" "$T/antq_test.conf"
	out=$(cd "$WORK/pgtap" && as_pg env PATH="$BIN:$PATH" PGHOST="$sock" PGPORT="$port" PGUSER=postgres \
		ANTQ_PGTAP_DB=antq_tap "$WORK/repo/tools/pgtap.sh" "${files[@]}" 2>&1); rc=$?
	say "$out"
	cluster_stop "$pgdata"
	note_failed_files pgtap sql "$out"
	local total fail
	total=$(printf '%s\n' "$out" | sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\).*/\1/p')
	fail=$(printf '%s\n' "$out" | grep -oE 'Failed [0-9]+/[0-9]+ subtests' | awk '{split($2,a,"/"); s+=a[1]} END {print s+0}')
	count pgtap $rc $(( ${total:-0} - ${fail:-0} )) "${fail:-0}"
}

# Perl TAP tests: each script starts the clusters it needs.
run_tap() {
	local files=() n f rc out
	for n in $(select_tests "$T/t" pl); do files+=("$T/t/$n.pl"); done
	[ ${#files[@]} -gt 0 ] || { say "== tap: no tests"; return; }
	say "== tap: ${#files[@]} file(s)"
	mkdir -p "$WORK/tap" && give_to_pg "$WORK/tap"
	out=$(cd "$WORK/tap" && as_pg env PATH="$BIN:$PATH" PG_REGRESS="$PGXS_TEST/regress/pg_regress" \
		TESTDIR="$WORK/tap" ANTQ_REPO="$WORK/repo" prove -I "$PGXS_TEST/perl" -I "$T/t" "${files[@]}" 2>&1); rc=$?
	say "$out"
	# The logs of the failed tests only (the test's own log and its servers'): CI shows the end
	# of the output, which the summary below closes.
	local before=${#failed_tests[@]} i
	note_failed_files tap pl "$out"
	for ((i = before; i < ${#failed_tests[@]}; i++)); do
		n=${failed_tests[$i]#tap/}; n=${n%%.pl*}
		for f in "$WORK"/tap/tmp_check/log/regress_log_"$n" "$WORK"/tap/tmp_check/log/"$n"_*.log; do
			[ -f "$f" ] && { say "---- $f (tail) ----"; tail -n 60 "$f"; }
		done
	done
	local total fail
	total=$(printf '%s\n' "$out" | sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\).*/\1/p')
	fail=$(printf '%s\n' "$out" | grep -oE 'Failed [0-9]+/[0-9]+ subtests' | awk '{split($2,a,"/"); s+=a[1]} END {print s+0}')
	count tap $rc $(( ${total:-0} - ${fail:-0} )) "${fail:-0}"
}

for s in "${suites[@]}"; do
	case $s in
	regress) run_regress_like regress "$PGXS_TEST/regress/pg_regress" sql sql ;;
	isolation) run_regress_like isolation "$PGXS_TEST/isolation/pg_isolation_regress" specs spec ;;
	pgtap) run_pgtap ;;
	tap) run_tap ;;
	*) die "unknown suite '$s' (regress, pgtap, isolation, tap)" ;;
	esac
done

say ""
[ ${#failed_tests[@]} -eq 0 ] || { say "failed tests:"; printf '  %s\n' "${failed_tests[@]}"; }
[ ${#failed_suites[@]} -eq 0 ] || say "failed suites: ${failed_suites[*]}"
say "$passed passed, $failed failed"
[ ${#failed_suites[@]} -eq 0 ]

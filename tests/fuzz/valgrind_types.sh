#!/usr/bin/env bash
# Run the type regression tests (tests/sql/{rating,share,attainment}.sql, with the shared
# helpers) in a single-user backend under valgrind memcheck, and report what valgrind found
# in antq's code. psql meta-commands (\copy, \set, ...) are dropped; the binary input checks
# that go through the server's COPY remain. Work files go to tests/fuzz/out/valgrind/.
#   tests/fuzz/valgrind_types.sh
set -euo pipefail
. "$(dirname "$0")/../../tools/common.sh"
out=$REPO/tests/fuzz/out/valgrind
rm -rf "$out" && mkdir -p "$out"
build
private_install "$out/install"
give_to_pg "$out"
as_pg "$BIN/initdb" -D "$out/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null

# Single-user mode with -j ends a statement at a semicolon followed by an empty line.
python3 - "$REPO" "$out/script.sql" <<'PY'
import sys
repo, target = sys.argv[1], sys.argv[2]
src = open(f'{repo}/tests/sql/include/types.psql').read() + '\n'
for t in ('rating', 'share', 'attainment'):
    src += open(f'{repo}/tests/sql/{t}.sql').read() + '\n'
src = src.replace('generate_series(1, 2000000)', 'generate_series(1, 20000)')
lines, inside = ['CREATE EXTENSION antq;', ''], False
for line in src.split('\n'):
    if line.startswith('\\') or line.strip().startswith('--'):
        continue
    lines.append(line)
    if line.count('$$') % 2 == 1:
        inside = not inside
    if not inside and line.rstrip().endswith(';'):
        lines.append('')
open(target, 'w').write('\n'.join(lines) + '\n')
PY
give_to_pg "$out"
as_pg valgrind --quiet --track-origins=yes --log-file="$out/valgrind.log" \
	"$BIN/postgres" --single -j -D "$out/data" postgres < "$out/script.sql" > "$out/backend.txt" 2>&1
say "valgrind reports: $(grep -c '^==[0-9]*== [A-Z]' "$out/valgrind.log" || true) in all, $(grep -cE 'antq\.so|(rating|share|attainment)(_io)?\.c' "$out/valgrind.log" || true) stack lines in antq's code (see $out/valgrind.log)"

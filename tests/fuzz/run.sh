#!/usr/bin/env bash
# Build the libFuzzer harnesses for antq's input functions (the backend-free *_io.c files in
# extension/) and run each in turn for SECONDS seconds (default 600):
#   tests/fuzz/run.sh [SECONDS] [rating|share|attainment ...]
# Build products, corpora and logs go to tests/fuzz/out/. Prints executions and crashes per
# harness; exits non-zero when any harness found a crash.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$here/out
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(rating share attainment)
CC=${CC:-clang-14}
mkdir -p "$out"

# seed NAME: a few valid and invalid inputs per harness (first byte 1 = text, 0 = binary).
seed() {
	local dir=$out/corpus_$1 i=0 s
	mkdir -p "$dir"
	shift
	for s in "$@"; do
		printf '%b' "$s" > "$dir/seed_$i"
		i=$((i + 1))
	done
}
seed rating '\x01Xuất sắc' '\x01 KHÁ ' '\x01trung_binh' '\x01Trung Bình' '\x01yếu' '\x01excellent' '\x00\x00\x00\x00\x03'
seed share '\x01139/186' '\x01 0/0 ' '\x019223372036854775807/9223372036854775807' '\x01-1/2' \
	'\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02'
seed attainment '\x01++-+.' '\x01 + ' '\x01+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.+-.' \
	'\x00\x00\x05\x19\x02'

failed=0
for t in "${targets[@]}"; do
	bin=$out/fuzz_$t
	"$CC" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I"$repo/extension/types" -o "$bin" "$here/fuzz_$t.c" "$repo/extension/types/${t}_io.c" ||
		{ echo "build of fuzz_$t failed"; exit 1; }
	mkdir -p "$out/artifacts_$t"
	"$bin" -max_total_time="$seconds" -max_len=600 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts_$t/" "$out/corpus_$t" >"$out/fuzz_$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$t.log")
	crashes=$(find "$out/artifacts_$t" -type f | wc -l)
	echo "$t: ${execs:-?} executions in ${seconds}s, exit $rc, crash artifacts $crashes"
	[ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] || failed=1
done
exit $failed

#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, clang, ASan/UBSan) in build-fuzz/
# and runs each for SECONDS (default 20) from its seed corpus in
# tests/fuzz/corpus/NAME/. New inputs go to a scratch directory, never into the
# seeds. Exits 1 on any crash, leak, timeout or sanitizer report; the input is
# kept in build-fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
command -v clang-14 >/dev/null || { echo "fuzz: clang-14 missing" >&2; exit 1; }
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DNNPERF_FUZZ=ON -DNNPERF_TESTS=OFF >/dev/null
names=(fuzz_spec fuzz_recording fuzz_prom fuzz_http)
cmake --build build-fuzz --target "${names[@]}"
mkdir -p build-fuzz/artifacts
status=0
for n in "${names[@]}"; do
	scratch=$(mktemp -d /tmp/nnperf-fuzz.XXXXXX)
	log=build-fuzz/artifacts/$n.log
	rc=0
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		timeout $((secs + 30)) "build-fuzz/$n" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ \
		"$scratch" "tests/fuzz/corpus/$n" >"$log" 2>&1 || rc=$?
	rm -rf "$scratch"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc = 0 ]; then
		echo "fuzz: $n: ${runs:-?} executions in ${secs} s, no crash"
	else
		echo "fuzz: $n FAILED (exit $rc), see $log:" >&2
		grep -m3 -E "ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -n5 "$log" >&2
		status=1
	fi
done
exit $status

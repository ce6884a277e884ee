#!/usr/bin/env bash
# The libFuzzer harnesses (tests/fuzz/fuzz_*.c, clang, ASan/UBSan), built in build-fuzz/ (NNPERF_FUZZ_BUILD).
#
#   scripts/fuzz.sh [--only NAME[,NAME...]]
#       CI: for each harness, replay every file of its corpus (tests/fuzz/corpus/NAME/),
#       then fuzz from that corpus with a fixed seed for a fixed number of runs
#       (tests/fuzz/ci-runs), with address randomisation off. The same tree gives the
#       same executions, coverage and result every time. Exits 1 on any crash, leak,
#       timeout or sanitizer report; the input is kept in build-fuzz/artifacts/.
#   scripts/fuzz.sh --campaign MINUTES [--only ...]
#       A search for new bugs: random seeds, the time split over the harnesses, each
#       one forked over every core and going on after a crash. Each distinct crash is
#       minimized and added to its harness's corpus as regress-SHA1 (commit it with the
#       fix). A report per harness goes to build-fuzz/campaign/report.txt. Exits 1 if
#       anything was found. New coverage stays in build-fuzz/campaign/NAME/ (never in
#       git) and seeds the next campaign.
# docs/reliability.md says how to run a campaign and what to do with a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

B=${NNPERF_FUZZ_BUILD:-build-fuzz} # another build dir, for a second fuzzing at once
SEED=${NNPERF_FUZZ_SEED:-1}
DEFAULT_RUNS=20000
LIBFUZZER_OPTS=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048)
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

die() { echo "fuzz: $*" >&2; exit 2; }

campaign=
only=
while [ $# -gt 0 ]; do
	case $1 in
	--campaign) campaign=${2:-}; shift 2 || die "--campaign needs MINUTES" ;;
	--only) only=${2:-}; shift 2 || die "--only needs NAME[,NAME...]" ;;
	-h | --help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
if [ -n "$campaign" ] && ! [[ $campaign =~ ^[1-9][0-9]*$ ]]; then
	die "--campaign wants whole minutes, not '$campaign'"
fi

names=()
for src in tests/fuzz/fuzz_*.c; do
	n=$(basename "$src" .c)
	if [ -z "$only" ] || [[ ",$only," == *",$n,"* ]]; then
		names+=("$n")
	fi
done
[ ${#names[@]} -gt 0 ] || die "no harness matches '$only'"

command -v clang-14 >/dev/null || die "clang-14 missing (scripts/setup.sh installs it)"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DNNPERF_FUZZ=ON -DNNPERF_TESTS=OFF >/dev/null
cmake --build "$B" --target "${names[@]}"
mkdir -p "$B"/artifacts

# without ASLR, pointer-keyed structures hash alike on every run, and so does coverage
norandom() {
	if setarch "$(uname -m)" -R true 2>/dev/null; then
		setarch "$(uname -m)" -R "$@"
	else
		"$@"
	fi
}

ci_runs() {
	local r
	r=$(awk -v n="$1" '$1 == n { print $2 }' tests/fuzz/ci-runs 2>/dev/null)
	echo "${r:-$DEFAULT_RUNS}"
}

# the first line that says what went wrong, for the summary
why() {
	grep -m1 -E "^SUMMARY|ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error" "$1" ||
		tail -n1 "$1"
}

replay() {
	local n=$1 log=$B/artifacts/$1.replay.log
	local files=("tests/fuzz/corpus/$n"/*)
	[ -e "${files[0]}" ] || { echo "fuzz: $n: no corpus in tests/fuzz/corpus/$n" >&2; return 1; }
	if ! norandom "$B/$n" "${LIBFUZZER_OPTS[@]}" \
		-artifact_prefix="$B/artifacts/$n-" "${files[@]}" >"$log" 2>&1; then
		echo "fuzz: $n FAILED replaying its corpus: $(why "$log") (see $log)" >&2
		return 1
	fi
	echo ${#files[@]}
}

ci_one() {
	local n=$1 runs files scratch log=$B/artifacts/$1.log rc=0 cov
	files=$(replay "$n") || return 1
	runs=$(ci_runs "$n")
	scratch=$(mktemp -d /tmp/nnperf-fuzz.XXXXXX)
	norandom "$B/$n" "${LIBFUZZER_OPTS[@]}" -seed="$SEED" -runs="$runs" -reload=0 \
		-print_final_stats=1 -artifact_prefix="$B/artifacts/$n-" \
		"$scratch" "tests/fuzz/corpus/$n" >"$log" 2>&1 || rc=$?
	rm -rf "$scratch"
	if [ $rc != 0 ]; then
		echo "fuzz: $n FAILED (exit $rc) at seed $SEED: $(why "$log") (see $log)" >&2
		return 1
	fi
	cov=$(grep -E "^#[0-9]+.* cov: " "$log" | tail -n1 | grep -oE "cov: [0-9]+ ft: [0-9]+" ||
		echo "cov: ?")
	cov+=", $(sed -n 's/^stat::new_units_added: *//p' "$log") new units"
	echo "fuzz: $n: $files corpus files replayed, $runs runs from seed $SEED, no crash ($cov)"
}

# ---- campaign ---------------------------------------------------------------------------

# "KIND at FRAME": the sanitizer's verdict and the first frame in nnperf's code
crash_key() {
	local n=$1 input=$2 out
	out=$(norandom "$B/$n" "${LIBFUZZER_OPTS[@]}" "$input" 2>&1 || true)
	kind=$(grep -m1 -oE "^SUMMARY: [A-Za-z]+: [a-z-]+|ERROR: libFuzzer: [a-z-]+" <<<"$out" ||
		echo "no longer crashes")
	frame=$(grep -m1 -oE "in [A-Za-z_][A-Za-z0-9_]* [^ ]*(user|tests/fuzz)/[^ ]+" <<<"$out" || true)
	echo "$kind ${frame:-at an unknown frame}"
}

minimize() {
	local n=$1 input=$2 out=$3
	norandom "$B/$n" "${LIBFUZZER_OPTS[@]}" -minimize_crash=1 -max_total_time=60 \
		-exact_artifact_path="$out" "$input" >/dev/null 2>&1 || true
	[ -s "$out" ] || cp "$input" "$out"
}

campaign_one() {
	local n=$1 secs=$2 dir=$B/campaign/$1 log rc=0 last seen=() a key min sha found=0
	rm -rf "$dir/crashes" && mkdir -p "$dir/corpus" "$dir/crashes"
	log=$dir/fuzz.log
	norandom "$B/$n" "${LIBFUZZER_OPTS[@]}" -seed=0 -fork="$(nproc)" -ignore_crashes=1 \
		-ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$secs" \
		-artifact_prefix="$dir/crashes/" "$dir/corpus" "tests/fuzz/corpus/$n" >"$log" 2>&1 || rc=$?
	last=$(grep -E "^#[0-9]+: cov:" "$log" | tail -n1)
	echo "$n: ${secs} s, $(sed -E 's/^#([0-9]+): (cov: [0-9]+ ft: [0-9]+).*/\1 executions, \2/' \
		<<<"${last:-#?: cov: ?}") (exit $rc)" >>"$B"/campaign/report.txt
	for a in "$dir"/crashes/*; do
		[ -e "$a" ] || continue
		key=$(crash_key "$n" "$a")
		[[ $key == "no longer crashes"* ]] && continue
		[[ " ${seen[*]-} " == *" $key "* ]] && continue
		seen+=("$key")
		min=$dir/min
		minimize "$n" "$a" "$min"
		sha=$(sha1sum "$min" | cut -c1-12)
		cp "$min" "tests/fuzz/corpus/$n/regress-$sha"
		found=$((found + 1))
		echo "  found after $(($(stat -c %Y "$a") - start)) s: $key -> tests/fuzz/corpus/$n/regress-$sha" \
			>>"$B"/campaign/report.txt
	done
	[ $found = 0 ]
}

if [ -z "$campaign" ]; then
	status=0
	for n in "${names[@]}"; do
		ci_one "$n" || status=1
	done
	exit $status
fi

mkdir -p "$B"/campaign
: >"$B"/campaign/report.txt
secs=$((campaign * 60 / ${#names[@]}))
[ "$secs" -ge 10 ] || die "$campaign minutes over ${#names[@]} harnesses is under 10 s each"
echo "fuzz: campaign of $campaign min: ${#names[@]} harnesses, $secs s each on $(nproc) cores"
start=$(date +%s)
status=0
for n in "${names[@]}"; do
	before=$(wc -l <"$B"/campaign/report.txt)
	campaign_one "$n" "$secs" || status=1
	tail -n +$((before + 1)) "$B"/campaign/report.txt
done
echo "fuzz: report in $B/campaign/report.txt"
[ $status = 0 ] || echo "fuzz: crashes found: each is in tests/fuzz/corpus/NAME/regress-*; fix, then commit both" >&2
exit $status

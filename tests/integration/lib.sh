# Shared by the integration tests (sourced). They load BPF: root only.
set -euo pipefail
: "${NNPERF:?set by ctest}" "${TINYNET:?set by ctest}" "${NNP_SRC:?set by ctest}"
CHECK="/usr/bin/python3 $NNP_SRC/tests/integration/check.py"
TMP=$(mktemp -d /tmp/nnperf-test.XXXXXX)
source "$NNP_SRC/tests/pids.sh"
source "$NNP_SRC/tests/integration/skips.sh"

require_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root to load BPF programs"
		exit 77
	fi
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_error EXPECTED_SUBSTRING CMD...: exit 1, exactly one line on stderr
expect_error() {
	local want=$1 rc=0
	shift
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ "$rc" = 1 ] || fail "'$*' exited $rc, want 1 (stderr: $(cat "$TMP/err"))"
	[ "$(wc -l <"$TMP/err")" = 1 ] || fail "'$*' printed $(wc -l <"$TMP/err") lines on stderr, want 1: $(cat "$TMP/err")"
	grep -q -- "$want" "$TMP/err" || fail "'$*' error '$(cat "$TMP/err")' lacks '$want'"
	echo "ok: $* -> $(cat "$TMP/err")"
}

# wait_child_exec PARENT COMM: until a child of PARENT runs COMM (nnperf releases a
# launched command only once it has attached, which may wait for an earlier
# nnperf's probes to be released), at most 30 s
wait_child_exec() {
	local parent=$1 comm=$2 c
	for _ in $(seq 300); do
		for c in $(pgrep -P "$parent" 2>/dev/null); do
			[ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$comm" ] && return 0
		done
		sleep 0.1
	done
	fail "no child of $parent ran $comm within 30 s"
}

# record_into DIR PYTHONPATH [nnperf record options] -- CMD...: a fresh DIR with nnperf's
# recording (rec.json, -v), the table (table) and stderr (err); 1 with one line saying why
record_into() {
	local dir=$1 pp=$2
	shift 2
	rm -rf "$dir" && mkdir -p "$dir"
	PYTHONPATH=$pp "$NNPERF" record -v -o "$dir/rec.json" "$@" >"$dir/table" 2>"$dir/err" || {
		echo "nnperf record exited $?: $(grep -v '^nnperf: feature' "$dir/err" | tail -3)" \
			"target: $(head -2 "$dir/table")" >&2
		return 1
	}
}

# Sourced by every integration test (through lib.sh, or directly by those that
# need no root): a check that cannot run here is named with skip_check, and the
# test ends with pass, which prints PASS only when every check ran.
NNP_SKIPPED=()

# skip_check WHY: this check did not run here, and why
skip_check() {
	echo "skipped: $*"
	NNP_SKIPPED+=("$*")
}

# PASS, or "PASS (N checks skipped: WHY; WHY)"
pass() {
	local n=${#NNP_SKIPPED[@]} why i
	if [ "$n" = 0 ]; then
		echo "PASS"
		return
	fi
	why=${NNP_SKIPPED[0]}
	for ((i = 1; i < n; i++)); do
		why+="; ${NNP_SKIPPED[i]}"
	done
	echo "PASS ($n check$([ "$n" = 1 ] || echo s) skipped: $why)"
}

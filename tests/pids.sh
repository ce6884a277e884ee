# Sourced by test and benchmark scripts after they set TMP: background processes
# they start go into PIDS, and on exit those are killed (with PIDS_SIGNAL, TERM
# unless the script says otherwise) and waited for, and TMP is removed.
PIDS=()
PIDS_SIGNAL=TERM
nnp_cleanup() {
	if [ ${#PIDS[@]} -gt 0 ]; then
		for p in "${PIDS[@]}"; do kill -"$PIDS_SIGNAL" "$p" 2>/dev/null || true; done
		wait 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap nnp_cleanup EXIT

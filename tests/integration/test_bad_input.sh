#!/usr/bin/env bash
# Bad input not covered by test_record_errors.sh, test_export.sh, test_diff.sh
# and test_doctor.sh: one error line naming what was looked for and exit 1.
source "$(dirname "$0")/lib.sh"
require_root
sleep 60 &
SLEEPER=$!
PIDS+=($SLEEPER)

expect_error "no known runtime (looked for usdt markers, libtorch_cpu.so" \
	"$NNPERF" record -p $SLEEPER -d 1
expect_error "cannot read symbols of /etc/hostname: not an ELF file" \
	"$NNPERF" record --probe "layer=/etc/hostname:f" -- "$TINYNET" --iterations 1
printf 'layer=nnperf-tinynet:tinynet_infer,key=arg0,op="%s"\n' "$(printf 'x%.0s' $(seq 300))" \
	>"$TMP/long.spec"
expect_error "long.spec:1:80: op literal too long" "$NNPERF" record --spec "$TMP/long.spec" -- "$TINYNET"
printf 'layer=nnperf-tinynet:\xff\xfe\n' >"$TMP/utf8.spec"
expect_error "utf8.spec:1)" "$NNPERF" record --spec "$TMP/utf8.spec" -- "$TINYNET"
expect_error "ring buffer size 12288 is not a power of two" \
	"$NNPERF" record --ringbuf-size 12288 -- "$TINYNET" --iterations 1
expect_error "--ringbuf-size: 'lots' is not a positive size" \
	"$NNPERF" record --ringbuf-size lots -- "$TINYNET" --iterations 1

if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$NNPERF"; then
	for cmd in record export; do
		args=(-- /bin/true)
		[ $cmd = export ] && args=(--listen 127.0.0.1:0)
		expect_error "missing CAP_BPF, CAP_PERFMON" \
			setpriv --reuid=65534 --regid=65534 --clear-groups "$NNPERF" $cmd "${args[@]}"
	done
else
	skip_check "$NNPERF is not executable by uid 65534: the unprivileged check"
fi
pass

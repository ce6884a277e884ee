#!/usr/bin/env bash
# Bad input to nnperf record: one clear error line and exit 1.
source "$(dirname "$0")/lib.sh"
require_root

expect_error "no such process" "$NNPERF" record -p 999999999 -d 1
expect_error "no function matches" "$NNPERF" record --probe 'layer=nnperf-tinynet:no_such_fn' -- "$TINYNET" --iterations 1
expect_error "nonexistent.spec" "$NNPERF" record --spec "$TMP/nonexistent.spec" -- "$TINYNET" --iterations 1
printf 'layer=nnperf-tinynet:tinynet_infer,key=arg9\n' >"$TMP/bad.spec"
expect_error "bad.spec:1:" "$NNPERF" record --spec "$TMP/bad.spec" -- "$TINYNET" --iterations 1
expect_error "command not found" "$NNPERF" record -- /nonexistent/cmd
expect_error "library 'libnope.so' not found" "$NNPERF" record --probe 'layer=libnope.so:f' -- "$TINYNET" --iterations 1
cp /usr/bin/true "$TMP/stripped" && strip --strip-all "$TMP/stripped"
expect_error "stripped" "$NNPERF" record --usdt off --probe "layer=$TMP/stripped:main" -- "$TMP/stripped"
pass

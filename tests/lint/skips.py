#!/usr/bin/env python3
"""Every integration test says when it skipped a check: it ends with lib.sh's pass
(PASS, or 'PASS (N checks skipped: why)') and never prints a plain PASS of its own;
a SKIP line is only for skipping the whole test (exit 77, which ctest shows as
skipped). Needs no root."""
import glob
import os
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
bad = []
tests = sorted(glob.glob(os.path.join(src, "tests/integration/test_*.sh")))
for path in tests:
    name = os.path.basename(path)
    lines = open(path).read().splitlines()
    for i, line in enumerate(lines):
        if re.search(r"\becho\s+[\"']?PASS\b", line):
            bad.append(f"{name}:{i + 1}: prints PASS itself; end with pass (skips.sh)")
        said = re.search(r"\b(echo|print)\b.*\b(SKIP|skipped|not run)\b", line)
        # a Python part prints "skipped: why", which its shell hands to NNP_SKIPPED
        forwarded = re.search(r"print\(f?[\"']skipped: ", line)
        if said and not forwarded and not any("exit 77" in l for l in lines[i:i + 2]):
            bad.append(f"{name}:{i + 1}: a skip said without exit 77; a skipped check is "
                       "skip_check")
    if not any(re.fullmatch(r"\s*pass\s*", l) for l in lines):
        bad.append(f"{name}: never calls pass")
for b in bad:
    print(f"FAIL: {b}", file=sys.stderr)
if bad:
    sys.exit(1)
print(f"ok: {len(tests)} integration tests end with pass and report skipped checks")

#!/usr/bin/env bash
# The soak test for 30 s (docs/soak.md has the 10-minute run): nnperf export
# under tinynet's sparse model: RSS flat within 5% after warm-up, no
# descriptor growth, no lost events.
source "$(dirname "$0")/lib.sh"
require_root
command -v curl >/dev/null || { echo "SKIP: curl missing"; exit 77; }
NNPERF=$NNPERF TINYNET=$TINYNET INTERVAL=2 "$NNP_SRC/tests/soak/soak.sh" 30
pass

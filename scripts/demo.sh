#!/usr/bin/env bash
# README's first command: set up, build, then show nnperf measuring every layer
# of every inference of the bundled workload (tinynet, dense and pruned).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=build/demo
mkdir -p "$out"
echo
echo "== nnperf doctor"
build/nnperf doctor || true
for model in dense pruned; do
	echo
	echo "== nnperf record -o $out/$model.json -- nnperf-tinynet --model $model --iterations 200"
	build/nnperf record -o "$out/$model.json" -- build/nnperf-tinynet --model "$model" --iterations 200
done
echo
echo "recordings: $out/dense.json $out/pruned.json (format: docs/recording-format.md)"

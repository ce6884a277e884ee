#!/usr/bin/env bash
# README's first command: set up, build, then show nnperf measuring every layer
# of every inference of the bundled workload (tinynet, dense and pruned), then
# compare dense against pruned and int8 (docs/diff.md).
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
	echo "== nnperf record -o $out/$model.json --trace $out/$model.trace.json -- nnperf-tinynet --model $model --iterations 200"
	build/nnperf record -o "$out/$model.json" --trace "$out/$model.trace.json" \
		-- build/nnperf-tinynet --model "$model" --iterations 200
done
for b in pruned int8; do
	echo
	echo "== nnperf compare --runs 3 -- nnperf-tinynet --model dense ::: nnperf-tinynet --model $b (interleaved runs)"
	build/nnperf compare --runs 3 --format html -o "$out/report-$b.html" \
		-- build/nnperf-tinynet --model dense --iterations 60 \
		::: build/nnperf-tinynet --model "$b" --iterations 60 | grep -v '^model='
done
cp "$out/report-pruned.html" "$out/report.html"
echo
echo "recordings: $out/dense.json $out/pruned.json (format: docs/recording-format.md)"
echo "reports:    $out/report.html (dense vs pruned), $out/report-int8.html (dense vs int8)"
echo "traces:     $out/dense.trace.json $out/pruned.trace.json (open in https://ui.perfetto.dev)"

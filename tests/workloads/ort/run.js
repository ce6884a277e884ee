#!/usr/bin/env node
// Run an ONNX model with onnxruntime-node, one intra-op thread, N inferences.
// usage: run.js --ort DIR --model FILE [--iterations N] [--warmup N] [--profile PREFIX]
//               [--ready FILE] [--settle-ms MS]
// DIR is the onnxruntime-node package directory (node_modules/onnxruntime-node).
// --profile turns on ORT's own profiler (PREFIX_<date>.json, written at the end).
// --settle-ms waits after loading the library: a tracer that attaches when the library is
// mapped (nnperf on dlopen) is then in before the first inference.
'use strict';
const fs = require('fs');

function parse(argv) {
	const o = { iterations: 10, warmup: 1, 'settle-ms': 0 };
	for (let i = 0; i < argv.length; i += 2) {
		const k = argv[i].replace(/^--/, ''), v = argv[i + 1];
		if (v === undefined) throw new Error(`${argv[i]} needs a value`);
		o[k] = ['iterations', 'warmup', 'settle-ms'].includes(k) ? parseInt(v, 10) : v;
	}
	if (!o.ort || !o.model) throw new Error('--ort DIR and --model FILE are required');
	return o;
}

async function main() {
	const o = parse(process.argv.slice(2));
	const ort = require(o.ort);
	await new Promise((resolve) => setTimeout(resolve, o['settle-ms']));
	const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' };
	if (o.profile) Object.assign(opts, { enableProfiling: true, profileFilePrefix: o.profile });
	const session = await ort.InferenceSession.create(o.model, opts);
	const data = new Float32Array(3 * 224 * 224);
	for (let i = 0; i < data.length; i++) data[i] = Math.sin(i) * 0.5;
	const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, [1, 3, 224, 224]) };
	for (let i = 0; i < o.warmup; i++) await session.run(feeds);
	if (o.ready) fs.writeFileSync(o.ready, '');
	const t0 = process.hrtime.bigint();
	for (let i = 0; i < o.iterations; i++) await session.run(feeds);
	const ms = Number(process.hrtime.bigint() - t0) / 1e6 / Math.max(o.iterations, 1);
	console.log(`${o.iterations} inferences, ${ms.toFixed(2)} ms/inference`);
	if (o.profile) session.endProfiling(); // writes the file
	await session.release();
}

main().catch((e) => {
	console.error(`run.js: ${e.message}`);
	process.exit(1);
});

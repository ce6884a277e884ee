#!/usr/bin/env node
// Decode N tokens of a GGUF model with node-llama-cpp's prebuilt CPU libraries, one token per
// llama_decode: the prompt is the BOS token alone, then each sampled token is fed back.
// usage: run.js --nlc DIR --model FILE [--tokens N] [--threads T] [--settle-ms MS] [--rounds R]
//               [--ready FILE]
// DIR is the node-llama-cpp package directory (node_modules/node-llama-cpp).
// Prints the tokens, the number of llama_decode calls made for them and the median
// milliseconds per token (each token timed alone; the first, which warms caches, is left out).
// --settle-ms waits after the libraries are loaded, so that a tracer attaching on dlopen is
// in before the first decode.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

function parse(argv) {
	const o = { tokens: 32, threads: 1, 'settle-ms': 0, rounds: 1 };
	for (let i = 0; i < argv.length; i += 2) {
		const k = argv[i].replace(/^--/, ''), v = argv[i + 1];
		if (v === undefined) throw new Error(`${argv[i]} needs a value`);
		o[k] = ['tokens', 'threads', 'settle-ms', 'rounds'].includes(k) ? parseInt(v, 10) : v;
	}
	if (!o.nlc || !o.model) throw new Error('--nlc DIR and --model FILE are required');
	if (!(o.tokens > 1) || !(o.threads > 0) || !(o.rounds > 0))
		throw new Error('--tokens > 1, --threads > 0, --rounds > 0');
	return o;
}

function median(a) {
	const s = [...a].sort((x, y) => x - y);
	return s[s.length >> 1];
}

async function main() {
	const o = parse(process.argv.slice(2));
	const entry = path.join(o.nlc, 'dist', 'index.js');
	const { getLlama } = await import(pathToFileURL(entry).href);
	const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' });
	const model = await llama.loadModel({ modelPath: o.model });
	const ctx = await model.createContext({ contextSize: 256, threads: o.threads, batchSize: 16 });
	const seq = ctx.getSequence();
	await new Promise((resolve) => setTimeout(resolve, o['settle-ms']));
	if (o.ready) fs.writeFileSync(o.ready, '');
	const times = [];
	let tokens = [];
	// --rounds R: the same decode R times from an empty context (a longer run
	// than the context holds); the tokens printed are the last round's
	for (let r = 0; r < o.rounds; r++) {
		if (r) await seq.clearHistory();
		tokens = [];
		let t0 = process.hrtime.bigint();
		// evaluate() decodes its input, then one llama_decode per token it yields after the first
		for await (const tok of seq.evaluate([model.tokens.bos], { temperature: 0 })) {
			const t1 = process.hrtime.bigint();
			if (tokens.length) times.push(Number(t1 - t0) / 1e6);
			tokens.push(tok);
			if (tokens.length === o.tokens) break;
			t0 = t1;
		}
	}
	console.log(`tokens: ${tokens.join(' ')}`);
	const maps = fs.readFileSync('/proc/self/maps', 'utf8');
	const cpu = maps.match(/\S*libggml-cpu[^\s]*\.so\S*/);
	console.log(`ggml-cpu: ${cpu ? cpu[0] : 'none'}`);
	console.log(`${tokens.length * o.rounds} decodes, ${o.threads} threads, ` +
		`${median(times).toFixed(3)} ms/token`);
	await ctx.dispose();
	await model.dispose();
}

main().catch((e) => {
	console.error(`run.js: ${e.message}`);
	process.exit(1);
});

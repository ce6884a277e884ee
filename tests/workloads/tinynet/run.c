/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runs the N inferences on T threads. Each thread owns its activations and
 * times each inference; the model is shared read-only. Inference seq uses
 * input seq % TINYNET_INPUTS, and the checksum is a sum of per-inference
 * output hashes, so neither depends on how the work is split.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define TINYNET_INPUTS 8

struct worker {
	const struct tinynet_model *m;
	const float *inputs;
	uint64_t first, count;
	struct tinynet_ctx ctx;
	uint64_t checksum, infer_ns, infer_min_ns, infer_max_ns;
	int err;
	pthread_t tid;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* FNV-1a over the output's bytes */
static uint64_t output_hash(const float *out)
{
	const unsigned char *p = (const unsigned char *)out;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < TINYNET_CLASSES * sizeof(*out); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->infer_min_ns = UINT64_MAX;
	for (uint64_t seq = w->first; seq < w->first + w->count; seq++) {
		const float *input = w->inputs + (seq % TINYNET_INPUTS) * TINYNET_INPUT_ELEMS;
		uint64_t t0 = now_ns(), ns;

		w->err = tinynet_infer(w->m, &w->ctx, input, seq);
		ns = now_ns() - t0;
		if (w->err)
			break;
		w->checksum += output_hash(w->ctx.output);
		w->infer_ns += ns;
		w->infer_min_ns = ns < w->infer_min_ns ? ns : w->infer_min_ns;
		w->infer_max_ns = ns > w->infer_max_ns ? ns : w->infer_max_ns;
	}
	return NULL;
}

static void merge(struct tinynet_result *r, const struct worker *w)
{
	r->checksum += w->checksum;
	r->infer_ns += w->infer_ns;
	r->infer_min_ns = w->infer_min_ns < r->infer_min_ns ? w->infer_min_ns : r->infer_min_ns;
	r->infer_max_ns = w->infer_max_ns > r->infer_max_ns ? w->infer_max_ns : r->infer_max_ns;
	for (int i = 0; i < TINYNET_MAX_LAYERS; i++) {
		const struct tinynet_ctx *c = &w->ctx;

		r->layer_ns[i] += c->layer_ns[i];
		r->layer_calls[i] += c->layer_calls[i];
		if (c->layer_min_ns[i] < r->layer_min_ns[i])
			r->layer_min_ns[i] = c->layer_min_ns[i];
		if (c->layer_max_ns[i] > r->layer_max_ns[i])
			r->layer_max_ns[i] = c->layer_max_ns[i];
	}
}

static int workers_init(struct worker *ws, const struct tinynet_model *m,
			const struct tinynet_opts *o, const float *inputs)
{
	for (unsigned t = 0; t < o->threads; t++) {
		struct worker *w = &ws[t];
		int err;

		w->m = m;
		w->inputs = inputs;
		w->first = o->iterations * t / o->threads;
		w->count = o->iterations * (t + 1) / o->threads - w->first;
		err = tinynet_ctx_init(&w->ctx, m, o->self_profile);
		if (err)
			return err;
	}
	return 0;
}

/* One thread runs on the main thread, so a single-threaded run has one task. */
static int workers_run(struct worker *ws, unsigned n)
{
	unsigned started = 0;
	int err = 0;

	if (n == 1) {
		worker_main(&ws[0]);
		return 0;
	}
	for (; started < n; started++) {
		err = -pthread_create(&ws[started].tid, NULL, worker_main, &ws[started]);
		if (err)
			break;
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(ws[t].tid, NULL);
	return err;
}

int tinynet_run(const struct tinynet_model *m, const struct tinynet_opts *o,
		struct tinynet_result *r)
{
	float *inputs = tinynet_alloc((size_t)TINYNET_INPUTS * TINYNET_INPUT_ELEMS, sizeof(float));
	struct worker *ws = tinynet_alloc(o->threads, sizeof(*ws));
	uint64_t t0;
	int err = inputs && ws ? 0 : -ENOMEM;

	if (err)
		goto cleanup;
	for (int i = 0; i < TINYNET_INPUTS; i++)
		tinynet_input_fill(inputs + (size_t)i * TINYNET_INPUT_ELEMS, o->seed, i);
	err = workers_init(ws, m, o, inputs);
	if (err)
		goto cleanup;
	memset(r, 0, sizeof(*r));
	r->infer_min_ns = UINT64_MAX;
	memset(r->layer_min_ns, 0xff, sizeof(r->layer_min_ns));
	t0 = now_ns();
	err = workers_run(ws, o->threads);
	r->total_ns = now_ns() - t0;
	for (unsigned t = 0; t < o->threads; t++) {
		if (!err)
			err = ws[t].err;
		merge(r, &ws[t]);
	}
cleanup:
	for (unsigned t = 0; ws && t < o->threads; t++)
		tinynet_ctx_free(&ws[t].ctx);
	free(ws);
	free(inputs);
	return err;
}

static int wait_start(const struct tinynet_opts *o)
{
	struct timespec ts = { o->start_delay_ms / 1000,
			       (long)(o->start_delay_ms % 1000) * 1000000 };
	int c;

	if (o->start_delay_ms) {
		fprintf(stderr, "nnperf-tinynet: pid %d: starting in %u ms\n", getpid(),
			o->start_delay_ms);
		while (nanosleep(&ts, &ts))
			if (errno != EINTR)
				return -errno;
	}
	if (o->wait_stdin) {
		fprintf(stderr, "nnperf-tinynet: pid %d: waiting for a line on stdin\n", getpid());
		do
			c = getchar();
		while (c != '\n' && c != EOF);
	}
	return 0;
}

static void print_result(const struct tinynet_opts *o, const struct tinynet_result *r)
{
	printf("model=%s iterations=%" PRIu64 " threads=%u total_ms=%.3f ms_per_inference=%.4f "
	       "checksum=0x%016" PRIx64 "\n",
	       tinynet_variant_name(o->variant), o->iterations, o->threads, r->total_ns / 1e6,
	       r->infer_ns / 1e6 / (double)o->iterations, r->checksum);
	fflush(stdout);
}

/* Opened before the run, so that a bad path fails before minutes of work. */
static int open_profile(const struct tinynet_opts *o, FILE **f)
{
	*f = stderr;
	if (!o->profile_out)
		return 0;
	*f = fopen(o->profile_out, "w");
	if (!*f) {
		int err = -errno;

		tinynet_err("failed to open %s: %s", o->profile_out, strerror(-err));
		return err;
	}
	return 0;
}

static int close_profile(const struct tinynet_opts *o, FILE *f)
{
	int err;

	if (f == stderr || !fclose(f))
		return 0;
	err = -errno;
	tinynet_err("failed to write %s: %s", o->profile_out, strerror(-err));
	return err;
}

static int build(struct tinynet_model *m, const struct tinynet_opts *o)
{
	int err = tinynet_model_build(m, o->variant, o->seed);

	if (err) {
		tinynet_err("failed to build the %s model: %s", tinynet_variant_name(o->variant),
			    strerror(-err));
		return err;
	}
	if (o->sleep_layer)
		m->layers[tinynet_layer_index(o->sleep_layer)].sleep_us = o->sleep_us;
	if (o->touch_layer)
		m->layers[tinynet_layer_index(o->touch_layer)].touch_pages = o->touch_pages;
	return 0;
}

int tinynet_main_run(const struct tinynet_opts *o)
{
	struct tinynet_model m;
	struct tinynet_result r;
	FILE *profile = NULL;
	int err;

	err = build(&m, o);
	if (err)
		return err;
	err = open_profile(o, &profile);
	if (err)
		goto cleanup;
	err = wait_start(o);
	if (!err)
		err = tinynet_run(&m, o, &r);
	if (err) {
		tinynet_err("failed to run the inferences: %s", strerror(-err));
		goto cleanup;
	}
	print_result(o, &r);
	if (o->self_profile)
		err = tinynet_profile_write(&m, o, &r, profile);
cleanup:
	if (profile) {
		int cerr = close_profile(o, profile);

		err = err ?: cerr;
	}
	tinynet_model_free(&m);
	return err;
}

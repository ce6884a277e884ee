/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One inference: the layer loop, the per-thread buffers, and the injected per-layer work. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ops_common.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int tinynet_ctx_init(struct tinynet_ctx *c, const struct tinynet_model *m, int profile)
{
	*c = (struct tinynet_ctx){ .profile = profile };
	/* 64-byte aligned so that every variant's loops see the same alignment */
	for (int i = 0; i < 2; i++)
		if (posix_memalign(&c->buf[i], 64, m->act_bytes))
			c->buf[i] = NULL;
	c->qinput = tinynet_alloc(TINYNET_INPUT_ELEMS, sizeof(*c->qinput));
	for (int i = 0; i < TINYNET_MAX_LAYERS; i++)
		c->layer_min_ns[i] = UINT64_MAX;
	if (!c->buf[0] || !c->buf[1] || !c->qinput) {
		tinynet_ctx_free(c);
		return -ENOMEM;
	}
	return 0;
}

void tinynet_ctx_free(struct tinynet_ctx *c)
{
	free(c->buf[0]);
	free(c->buf[1]);
	free(c->qinput);
	c->buf[0] = c->buf[1] = NULL;
	c->qinput = NULL;
}

static int sleep_us(unsigned us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts))
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* Each page is new to the process, so each write is one minor fault. */
static int touch_pages(unsigned pages)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = page * pages;
	volatile char *p =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	for (size_t off = 0; off < len; off += page)
		p[off] = 1;
	if (munmap((void *)p, len))
		return -errno;
	return 0;
}

int tinynet_layer_extras(const struct tinynet_layer *l)
{
	int err = 0;

	if (__builtin_expect(l->sleep_us != 0, 0))
		err = sleep_us(l->sleep_us);
	if (__builtin_expect(l->touch_pages != 0, 0) && !err)
		err = touch_pages(l->touch_pages);
	return err;
}

static void profile_layer(struct tinynet_ctx *c, int i, uint64_t ns)
{
	c->layer_ns[i] += ns;
	c->layer_calls[i]++;
	c->layer_min_ns[i] = ns < c->layer_min_ns[i] ? ns : c->layer_min_ns[i];
	c->layer_max_ns[i] = ns > c->layer_max_ns[i] ? ns : c->layer_max_ns[i];
}

static void quantize_input(const struct tinynet_model *m, const float *x, int8_t *q)
{
	for (int i = 0; i < TINYNET_INPUT_ELEMS; i++)
		q[i] = tinynet_sat8(x[i] / m->input_scale);
}

/*
 * Exported for `--probe inference=nnperf-tinynet:tinynet_infer`: entry..return
 * is one inference, the same region as the INFERENCE markers. The result lands
 * in c->output.
 */
__attribute__((noinline, used)) int tinynet_infer(const struct tinynet_model *m,
						  struct tinynet_ctx *c, const float *input,
						  uint64_t seq)
{
	const void *in = input;
	int err = 0;

	NNPERF_INFERENCE_BEGIN(seq);
	if (m->variant == TINYNET_INT8) {
		quantize_input(m, input, c->qinput);
		in = c->qinput;
	}
	for (int i = 0; !err && i < m->n_layers; i++) {
		const struct tinynet_layer *l = &m->layers[i];
		void *out = i == m->n_layers - 1 ? (void *)c->output : c->buf[i & 1];
		uint64_t t0 = c->profile ? now_ns() : 0;

		err = l->fn(l, in, out);
		if (c->profile)
			profile_layer(c, i, now_ns() - t0);
		in = out;
	}
	NNPERF_INFERENCE_END(seq);
	return err;
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the op files share: the layer function wrapper and the convolution inner loops. */
#ifndef TINYNET_OPS_COMMON_H
#define TINYNET_OPS_COMMON_H

#include <math.h>
#include <nnperf/usdt.h>

#include "tinynet.h"

/*
 * Defines the exported layer function NAME around the computation BODY. The
 * USDT markers sit at the very start and end so that they and a uprobe +
 * uretprobe on NAME enclose the same work; --sleep-layer and --touch-layer
 * happen inside that region.
 */
#define TINYNET_LAYER_FN(NAME, BODY, IN_T, OUT_T)                                                  \
	__attribute__((noinline, used)) int NAME(const struct tinynet_layer *l, const void *in,    \
						 void *out)                                        \
	{                                                                                          \
		int err;                                                                           \
                                                                                                   \
		NNPERF_LAYER_BEGIN(l->id, l->name, l->op);                                         \
		err = tinynet_layer_extras(l);                                                     \
		BODY(l, (const IN_T *)in, (OUT_T *)out);                                           \
		NNPERF_LAYER_END(l->id);                                                           \
		return err;                                                                        \
	}

/* Rows/columns of an h x w plane that stay inside it when shifted by (dy, dx). */
struct tinynet_tap_range {
	int y0, y1, x0, x1;
};

static inline struct tinynet_tap_range tinynet_tap_range(int h, int w, int dy, int dx)
{
	struct tinynet_tap_range r = {
		.y0 = dy < 0 ? -dy : 0,
		.y1 = dy > 0 ? h - dy : h,
		.x0 = dx < 0 ? -dx : 0,
		.x1 = dx > 0 ? w - dx : w,
	};
	return r;
}

/*
 * One kernel tap of a stride-1 "same" convolution: out[y][x] += wt * in[y+dy][x+dx].
 * Dense, pruned and sparse convolutions all run this loop, so their speed
 * differs only by how many taps they run.
 */
static inline void tinynet_tap_f32(float *restrict out, const float *restrict in, int h, int w,
				   int dy, int dx, float wt)
{
	struct tinynet_tap_range r = tinynet_tap_range(h, w, dy, dx);

	for (int y = r.y0; y < r.y1; y++) {
		float *o = out + (size_t)y * w;
		const float *i = in + (size_t)(y + dy) * w + dx;

		for (int x = r.x0; x < r.x1; x++)
			o[x] += wt * i[x];
	}
}

static inline void tinynet_tap_i8(int32_t *restrict acc, const int8_t *restrict in, int h, int w,
				  int dy, int dx, int32_t wt)
{
	struct tinynet_tap_range r = tinynet_tap_range(h, w, dy, dx);

	for (int y = r.y0; y < r.y1; y++) {
		int32_t *o = acc + (size_t)y * w;
		const int8_t *i = in + (size_t)(y + dy) * w + dx;

		for (int x = r.x0; x < r.x1; x++)
			o[x] += wt * i[x];
	}
}

static inline int8_t tinynet_sat8(float x)
{
	long v = lrintf(x);

	return (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
}

static inline void tinynet_softmax(const float *in, float *out, int n)
{
	float max = in[0], sum = 0.0f;

	for (int i = 1; i < n; i++)
		max = in[i] > max ? in[i] : max;
	for (int i = 0; i < n; i++) {
		out[i] = expf(in[i] - max);
		sum += out[i];
	}
	for (int i = 0; i < n; i++)
		out[i] /= sum;
}

static inline size_t tinynet_elems(const struct tinynet_shape *s)
{
	return (size_t)s->c * s->h * s->w;
}

#endif

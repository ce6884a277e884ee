/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* fp32 layers: the dense and the pruned model (same code, fewer channels when pruned). */
#include <string.h>

#include "ops_common.h"

static void conv2d_f32(const struct tinynet_layer *l, const float *in, float *out)
{
	const int h = l->in.h, w = l->in.w, hw = h * w, kk = l->k * l->k;

	for (int oc = 0; oc < l->out.c; oc++) {
		float *o = out + (size_t)oc * hw;
		const float *wk = l->w + (size_t)oc * l->in.c * kk;

		for (int i = 0; i < hw; i++)
			o[i] = l->b[oc];
		for (int ic = 0; ic < l->in.c; ic++)
			for (int t = 0; t < kk; t++)
				tinynet_tap_f32(o, in + (size_t)ic * hw, h, w, t / l->k - l->pad,
						t % l->k - l->pad, wk[ic * kk + t]);
	}
}

/*
 * Half the inputs are negative at random, and gcc -O2 compiles `x > 0 ? x : 0`
 * to a branch that mispredicts half the time; clearing by the sign bit does not.
 */
static void relu_f32(const struct tinynet_layer *l, const float *in, float *out)
{
	size_t n = tinynet_elems(&l->in);

	for (size_t i = 0; i < n; i++) {
		uint32_t u;

		memcpy(&u, &in[i], sizeof(u));
		u &= ~(uint32_t)((int32_t)u >> 31);
		memcpy(&out[i], &u, sizeof(u));
	}
}

static void maxpool_f32(const struct tinynet_layer *l, const float *in, float *out)
{
	const int k = l->k, iw = l->in.w, ih = l->in.h;

	for (int c = 0; c < l->out.c; c++) {
		const float *ip = in + (size_t)c * ih * iw;

		for (int y = 0; y < l->out.h; y++) {
			for (int x = 0; x < l->out.w; x++) {
				const float *win = ip + (size_t)y * k * iw + x * k;
				float m = win[0];

				for (int dy = 0; dy < k; dy++)
					for (int dx = 0; dx < k; dx++)
						m = win[dy * iw + dx] > m ? win[dy * iw + dx] : m;
				*out++ = m;
			}
		}
	}
}

static void fc_f32(const struct tinynet_layer *l, const float *in, float *out)
{
	const size_t n = tinynet_elems(&l->in);

	for (int o = 0; o < l->out.c; o++) {
		const float *row = l->w + o * n;
		float acc = l->b[o];

		for (size_t i = 0; i < n; i++)
			acc += row[i] * in[i];
		out[o] = acc;
	}
}

static void softmax_f32(const struct tinynet_layer *l, const float *in, float *out)
{
	tinynet_softmax(in, out, l->in.c);
}

TINYNET_LAYER_FN(tinynet_conv2d_f32, conv2d_f32, float, float)
TINYNET_LAYER_FN(tinynet_relu_f32, relu_f32, float, float)
TINYNET_LAYER_FN(tinynet_maxpool_f32, maxpool_f32, float, float)
TINYNET_LAYER_FN(tinynet_fc_f32, fc_f32, float, float)
TINYNET_LAYER_FN(tinynet_softmax_f32, softmax_f32, float, float)

void tinynet_f32_compute(const struct tinynet_layer *l, const float *in, float *out)
{
	switch (l->op_kind) {
	case TINYNET_OP_CONV2D:
		conv2d_f32(l, in, out);
		break;
	case TINYNET_OP_RELU:
		relu_f32(l, in, out);
		break;
	case TINYNET_OP_MAXPOOL:
		maxpool_f32(l, in, out);
		break;
	case TINYNET_OP_FC:
		fc_f32(l, in, out);
		break;
	case TINYNET_OP_SOFTMAX:
	case TINYNET_OPS:
		softmax_f32(l, in, out);
		break;
	}
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * int8 layers: symmetric quantization (zero point 0), int8 weights with one
 * scale per output channel, int8 activations with one scale per tensor, int32
 * accumulation, requantized to int8 after each conv/fc. Softmax dequantizes.
 */
#include "ops_common.h"

static void conv2d_i8(const struct tinynet_layer *l, const int8_t *in, int8_t *out)
{
	const int h = l->in.h, w = l->in.w, hw = h * w, kk = l->k * l->k;
	int32_t acc[TINYNET_MAX_PLANE];

	for (int oc = 0; oc < l->out.c; oc++) {
		const int8_t *wk = l->qw + (size_t)oc * l->in.c * kk;
		int8_t *o = out + (size_t)oc * hw;

		for (int i = 0; i < hw; i++)
			acc[i] = l->qb[oc];
		for (int ic = 0; ic < l->in.c; ic++)
			for (int t = 0; t < kk; t++)
				tinynet_tap_i8(acc, in + (size_t)ic * hw, h, w, t / l->k - l->pad,
					       t % l->k - l->pad, wk[ic * kk + t]);
		for (int i = 0; i < hw; i++)
			o[i] = tinynet_sat8((float)acc[i] * l->qmult[oc]);
	}
}

static void relu_i8(const struct tinynet_layer *l, const int8_t *in, int8_t *out)
{
	size_t n = tinynet_elems(&l->in);

	for (size_t i = 0; i < n; i++)
		out[i] = in[i] > 0 ? in[i] : 0;
}

static void maxpool_i8(const struct tinynet_layer *l, const int8_t *in, int8_t *out)
{
	const int k = l->k, iw = l->in.w, ih = l->in.h;

	for (int c = 0; c < l->out.c; c++) {
		const int8_t *ip = in + (size_t)c * ih * iw;

		for (int y = 0; y < l->out.h; y++) {
			for (int x = 0; x < l->out.w; x++) {
				const int8_t *win = ip + (size_t)y * k * iw + x * k;
				int8_t m = win[0];

				for (int dy = 0; dy < k; dy++)
					for (int dx = 0; dx < k; dx++)
						m = win[dy * iw + dx] > m ? win[dy * iw + dx] : m;
				*out++ = m;
			}
		}
	}
}

static void fc_i8(const struct tinynet_layer *l, const int8_t *in, int8_t *out)
{
	const size_t n = tinynet_elems(&l->in);

	for (int o = 0; o < l->out.c; o++) {
		const int8_t *row = l->qw + o * n;
		int32_t acc = l->qb[o];

		for (size_t i = 0; i < n; i++)
			acc += (int32_t)row[i] * in[i];
		out[o] = tinynet_sat8((float)acc * l->qmult[o]);
	}
}

static void softmax_i8(const struct tinynet_layer *l, const int8_t *in, float *out)
{
	float x[TINYNET_CLASSES];

	for (int i = 0; i < l->in.c; i++)
		x[i] = (float)in[i] * l->in_scale;
	tinynet_softmax(x, out, l->in.c);
}

TINYNET_LAYER_FN(tinynet_conv2d_i8, conv2d_i8, int8_t, int8_t)
TINYNET_LAYER_FN(tinynet_relu_i8, relu_i8, int8_t, int8_t)
TINYNET_LAYER_FN(tinynet_maxpool_i8, maxpool_i8, int8_t, int8_t)
TINYNET_LAYER_FN(tinynet_fc_i8, fc_i8, int8_t, int8_t)
TINYNET_LAYER_FN(tinynet_softmax_i8, softmax_i8, int8_t, float)

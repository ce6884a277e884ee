/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Sparse layers: weights in CSR, only the nonzero taps are computed. */
#include "ops_common.h"

static void conv2d_csr(const struct tinynet_layer *l, const float *in, float *out)
{
	const struct tinynet_csr *s = &l->csr;
	const int h = l->in.h, w = l->in.w, hw = h * w, k = l->k, kk = k * k;

	for (int oc = 0; oc < l->out.c; oc++) {
		float *o = out + (size_t)oc * hw;

		for (int i = 0; i < hw; i++)
			o[i] = l->b[oc];
		for (uint32_t j = s->row_ptr[oc]; j < s->row_ptr[oc + 1]; j++) {
			uint32_t ic = s->col[j] / kk, t = s->col[j] % kk;

			tinynet_tap_f32(o, in + (size_t)ic * hw, h, w, (int)t / k - l->pad,
					(int)t % k - l->pad, s->val[j]);
		}
	}
}

static void fc_csr(const struct tinynet_layer *l, const float *in, float *out)
{
	const struct tinynet_csr *s = &l->csr;

	for (int o = 0; o < l->out.c; o++) {
		float acc = l->b[o];

		for (uint32_t j = s->row_ptr[o]; j < s->row_ptr[o + 1]; j++)
			acc += s->val[j] * in[s->col[j]];
		out[o] = acc;
	}
}

TINYNET_LAYER_FN(tinynet_conv2d_csr, conv2d_csr, float, float)
TINYNET_LAYER_FN(tinynet_fc_csr, fc_csr, float, float)

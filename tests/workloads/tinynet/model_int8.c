/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Post-training quantization of the dense model. Activation scales come from
 * running the fp32 model on a few calibration inputs (max |x| of each conv/fc
 * output); relu and maxpool keep their input's scale. Weights get one scale per
 * output row.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "ops_common.h"

#define CALIB_INPUTS 4
#define MIN_RANGE 1e-6f

static float max_abs(const float *x, size_t n)
{
	float m = 0.0f;

	for (size_t i = 0; i < n; i++)
		m = fabsf(x[i]) > m ? fabsf(x[i]) : m;
	return m;
}

/* in_max: max |input|; out_max[i]: max |output of layer i| over the calibration inputs */
static int calibrate(const struct tinynet_model *d, uint64_t seed, float *in_max, float *out_max)
{
	float *x = tinynet_alloc(TINYNET_INPUT_ELEMS, sizeof(float));
	float *buf[2] = { tinynet_alloc(d->act_bytes, 1), tinynet_alloc(d->act_bytes, 1) };
	int err = x && buf[0] && buf[1] ? 0 : -ENOMEM;

	for (int n = 0; !err && n < CALIB_INPUTS; n++) {
		const float *cur = x;

		tinynet_input_fill(x, seed, n);
		*in_max = fmaxf(*in_max, max_abs(x, TINYNET_INPUT_ELEMS));
		for (int i = 0; i < d->n_layers; i++) {
			const struct tinynet_layer *l = &d->layers[i];

			tinynet_f32_compute(l, cur, buf[i & 1]);
			out_max[i] = fmaxf(out_max[i], max_abs(buf[i & 1], tinynet_elems(&l->out)));
			cur = buf[i & 1];
		}
	}
	free(x);
	free(buf[0]);
	free(buf[1]);
	return err;
}

static int quantize_weights(struct tinynet_layer *q, const struct tinynet_layer *d)
{
	size_t row_len =
	    q->op_kind == TINYNET_OP_CONV2D ? (size_t)d->in.c * d->k * d->k : tinynet_elems(&d->in);

	q->qw = tinynet_alloc(row_len * q->out.c, sizeof(*q->qw));
	q->qb = tinynet_alloc(q->out.c, sizeof(*q->qb));
	q->qmult = tinynet_alloc(q->out.c, sizeof(*q->qmult));
	if (!q->qw || !q->qb || !q->qmult)
		return -ENOMEM;
	for (int o = 0; o < q->out.c; o++) {
		const float *row = d->w + o * row_len;
		float ws = fmaxf(max_abs(row, row_len), MIN_RANGE) / 127.0f;

		for (size_t j = 0; j < row_len; j++)
			q->qw[o * row_len + j] = tinynet_sat8(row[j] / ws);
		q->qb[o] = (int32_t)lrintf(d->b[o] / (q->in_scale * ws));
		q->qmult[o] = q->in_scale * ws / q->out_scale;
	}
	return 0;
}

int tinynet_build_int8(struct tinynet_model *m, const struct tinynet_model *dense, uint64_t seed)
{
	float in_max = 0.0f, out_max[TINYNET_MAX_LAYERS] = { 0 }, scale;
	int err = tinynet_model_shape(m, TINYNET_INT8, NULL);

	if (!err)
		err = calibrate(dense, seed, &in_max, out_max);
	if (err)
		return err;
	scale = m->input_scale = fmaxf(in_max, MIN_RANGE) / 127.0f;
	for (int i = 0; !err && i < m->n_layers; i++) {
		struct tinynet_layer *l = &m->layers[i];

		l->in_scale = scale;
		l->out_scale = scale;
		if (l->op_kind == TINYNET_OP_CONV2D || l->op_kind == TINYNET_OP_FC) {
			l->out_scale = fmaxf(out_max[i], MIN_RANGE) / 127.0f;
			err = quantize_weights(l, &dense->layers[i]);
		} else if (l->op_kind == TINYNET_OP_SOFTMAX) {
			l->out_scale = 1.0f; /* softmax_i8 writes fp32 probabilities */
		}
		scale = l->out_scale;
	}
	return err;
}

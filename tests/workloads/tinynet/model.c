/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The architecture, shared by all variants, and the build entry point. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tinynet.h"

struct tinynet_arch {
	const char *name;
	enum tinynet_op op;
	int width; /* output channels of conv / fc in the dense model */
};

/* 3x64x64 -> 16x64x64 -> 16x32x32 -> 32x32x32 -> 32x16x16 -> 64x16x16 -> 64x8x8 -> 128 -> 10 */
static const struct tinynet_arch tinynet_arch[] = {
	{ "conv1", TINYNET_OP_CONV2D, 16 },   { "relu1", TINYNET_OP_RELU, 0 },
	{ "pool1", TINYNET_OP_MAXPOOL, 0 },   { "conv2", TINYNET_OP_CONV2D, 32 },
	{ "relu2", TINYNET_OP_RELU, 0 },      { "pool2", TINYNET_OP_MAXPOOL, 0 },
	{ "conv3", TINYNET_OP_CONV2D, 64 },   { "relu3", TINYNET_OP_RELU, 0 },
	{ "pool3", TINYNET_OP_MAXPOOL, 0 },   { "fc1", TINYNET_OP_FC, 128 },
	{ "relu4", TINYNET_OP_RELU, 0 },      { "fc2", TINYNET_OP_FC, TINYNET_CLASSES },
	{ "softmax", TINYNET_OP_SOFTMAX, 0 },
};
#define TINYNET_N_LAYERS ((int)(sizeof(tinynet_arch) / sizeof(tinynet_arch[0])))
_Static_assert(TINYNET_N_LAYERS <= TINYNET_MAX_LAYERS, "raise TINYNET_MAX_LAYERS");

static const char *const op_names[TINYNET_OPS] = {
	[TINYNET_OP_CONV2D] = "conv2d",	  [TINYNET_OP_RELU] = "relu",
	[TINYNET_OP_MAXPOOL] = "maxpool", [TINYNET_OP_FC] = "fc",
	[TINYNET_OP_SOFTMAX] = "softmax",
};

static const char *const variant_names[TINYNET_VARIANTS] = {
	[TINYNET_DENSE] = "dense",
	[TINYNET_PRUNED] = "pruned",
	[TINYNET_SPARSE] = "sparse",
	[TINYNET_INT8] = "int8",
};

static const tinynet_layer_fn layer_fns[TINYNET_VARIANTS][TINYNET_OPS] = {
	[TINYNET_DENSE] = { tinynet_conv2d_f32, tinynet_relu_f32, tinynet_maxpool_f32,
			    tinynet_fc_f32, tinynet_softmax_f32 },
	[TINYNET_PRUNED] = { tinynet_conv2d_f32, tinynet_relu_f32, tinynet_maxpool_f32,
			     tinynet_fc_f32, tinynet_softmax_f32 },
	[TINYNET_SPARSE] = { tinynet_conv2d_csr, tinynet_relu_f32, tinynet_maxpool_f32,
			     tinynet_fc_csr, tinynet_softmax_f32 },
	[TINYNET_INT8] = { tinynet_conv2d_i8, tinynet_relu_i8, tinynet_maxpool_i8, tinynet_fc_i8,
			   tinynet_softmax_i8 },
};

const char *tinynet_variant_name(enum tinynet_variant v)
{
	return v < TINYNET_VARIANTS ? variant_names[v] : "?";
}

int tinynet_variant_parse(const char *s, enum tinynet_variant *v)
{
	for (int i = 0; i < TINYNET_VARIANTS; i++) {
		if (!strcmp(s, variant_names[i])) {
			*v = (enum tinynet_variant)i;
			return 0;
		}
	}
	return -EINVAL;
}

int tinynet_layer_index(const char *name)
{
	for (int i = 0; i < TINYNET_N_LAYERS; i++)
		if (!strcmp(name, tinynet_arch[i].name))
			return i;
	return -1;
}

void *tinynet_alloc(size_t n, size_t size)
{
	return n ? calloc(n, size) : NULL;
}

struct ranked {
	float score;
	int idx;
};

static int by_score_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->idx - y->idx;
}

static int by_idx(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int tinynet_top_k(const float *score, int n, int k, int *keep)
{
	struct ranked *r = tinynet_alloc(n, sizeof(*r));

	if (!r)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		r[i] = (struct ranked){ score[i], i };
	qsort(r, n, sizeof(*r), by_score_desc);
	for (int i = 0; i < k; i++)
		keep[i] = r[i].idx;
	qsort(keep, k, sizeof(*keep), by_idx);
	free(r);
	return 0;
}

static void shape_layer(struct tinynet_layer *l, struct tinynet_shape in, int width)
{
	l->in = in;
	l->out = in;
	switch (l->op_kind) {
	case TINYNET_OP_CONV2D:
		l->k = 3;
		l->pad = 1;
		l->out.c = width;
		l->macs = (uint64_t)width * in.c * l->k * l->k * in.h * in.w;
		return;
	case TINYNET_OP_MAXPOOL:
		l->k = 2;
		l->out.h = in.h / l->k;
		l->out.w = in.w / l->k;
		break;
	case TINYNET_OP_FC:
		l->out = (struct tinynet_shape){ width, 1, 1 };
		l->macs = (uint64_t)width * in.c * in.h * in.w;
		return;
	case TINYNET_OP_RELU:
	case TINYNET_OP_SOFTMAX:
	case TINYNET_OPS:
		break;
	}
	l->macs = (uint64_t)in.c * in.h * in.w;
}

/*
 * Every builder starts here (it clears *m), so tinynet_model_free() is safe on
 * a model whose build failed half way.
 * Lays out the layers of variant v; widths[i] overrides the output channels of
 * conv/fc layer i (NULL: the dense widths). Weights are the builders' job.
 */
int tinynet_model_shape(struct tinynet_model *m, enum tinynet_variant v, const int *widths)
{
	struct tinynet_shape s = { TINYNET_INPUT_C, TINYNET_INPUT_HW, TINYNET_INPUT_HW };
	size_t most = (size_t)s.c * s.h * s.w;

	memset(m, 0, sizeof(*m));
	m->variant = v;
	m->n_layers = TINYNET_N_LAYERS;
	for (int i = 0; i < TINYNET_N_LAYERS; i++) {
		struct tinynet_layer *l = &m->layers[i];

		l->name = tinynet_arch[i].name;
		l->id = i;
		l->op_kind = tinynet_arch[i].op;
		l->op = op_names[l->op_kind];
		l->fn = layer_fns[v][l->op_kind];
		shape_layer(l, s, widths ? widths[i] : tinynet_arch[i].width);
		if (l->out.c <= 0 || l->out.h <= 0 || l->out.w <= 0)
			return -EINVAL;
		s = l->out;
		if ((size_t)s.c * s.h * s.w > most)
			most = (size_t)s.c * s.h * s.w;
	}
	if (s.c != TINYNET_CLASSES)
		return -EINVAL;
	m->act_bytes = most * sizeof(float);
	return 0;
}

int tinynet_model_build(struct tinynet_model *m, enum tinynet_variant v, uint64_t seed)
{
	struct tinynet_model dense;
	int err;

	err = tinynet_build_dense(&dense, seed);
	if (err) {
		tinynet_model_free(&dense);
		return err;
	}
	if (v == TINYNET_DENSE) {
		*m = dense;
		return 0;
	}
	if (v == TINYNET_PRUNED)
		err = tinynet_build_pruned(m, &dense);
	else if (v == TINYNET_SPARSE)
		err = tinynet_build_sparse(m, &dense);
	else
		err = tinynet_build_int8(m, &dense, seed);
	tinynet_model_free(&dense);
	if (err)
		tinynet_model_free(m);
	return err;
}

void tinynet_model_free(struct tinynet_model *m)
{
	for (int i = 0; i < m->n_layers; i++) {
		struct tinynet_layer *l = &m->layers[i];

		free(l->w);
		free(l->b);
		free(l->csr.row_ptr);
		free(l->csr.col);
		free(l->csr.val);
		free(l->qw);
		free(l->qb);
		free(l->qmult);
	}
	memset(m, 0, sizeof(*m));
}

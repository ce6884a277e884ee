/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Structured pruning of the dense model: every conv but the first and every
 * hidden fc keeps the half of its output channels with the largest L1 norm,
 * and the next layer keeps only the inputs that come from them. The first
 * conv is left whole, as pruning usually leaves it (few weights, sensitive
 * input features): conv1, relu1 and pool1 do the same work in both models.
 * The result is a smaller dense model (fewer FLOPs, same code), as real
 * structured pruning produces.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tinynet.h"

#define MAX_CHANNELS 512

/* keep[0..n_keep) = the rows of largest L1 norm, in ascending order */
static int top_rows(const float *w, int rows, size_t row_len, int n_keep, int *keep)
{
	float *norm = tinynet_alloc(rows, sizeof(*norm));
	int err;

	if (!norm)
		return -ENOMEM;
	for (int i = 0; i < rows; i++)
		for (size_t j = 0; j < row_len; j++)
			norm[i] += fabsf(w[i * row_len + j]);
	err = tinynet_top_k(norm, rows, n_keep, keep);
	free(norm);
	return err;
}

/*
 * Copies the kept rows and, within each, the kept input channels; a channel is
 * `spatial` consecutive weights (k*k for a conv, h*w of the input for an fc).
 */
static int copy_kept(struct tinynet_layer *p, const struct tinynet_layer *d, const int *keep,
		     const int *in_keep, size_t spatial)
{
	size_t d_row = (size_t)d->in.c * spatial, p_row = (size_t)p->in.c * spatial;

	p->w = tinynet_alloc(p_row * p->out.c, sizeof(*p->w));
	p->b = tinynet_alloc(p->out.c, sizeof(*p->b));
	if (!p->w || !p->b)
		return -ENOMEM;
	for (int o = 0; o < p->out.c; o++) {
		const float *src = d->w + keep[o] * d_row;

		p->b[o] = d->b[keep[o]];
		for (int c = 0; c < p->in.c; c++)
			memcpy(p->w + o * p_row + c * spatial, src + in_keep[c] * spatial,
			       spatial * sizeof(*p->w));
	}
	return 0;
}

static bool is_weighted(const struct tinynet_layer *l)
{
	return l->op_kind == TINYNET_OP_CONV2D || l->op_kind == TINYNET_OP_FC;
}

static int prune_layer(struct tinynet_layer *p, const struct tinynet_layer *d, int *in_keep)
{
	int keep[MAX_CHANNELS];
	size_t spatial =
	    p->op_kind == TINYNET_OP_CONV2D ? (size_t)p->k * p->k : (size_t)p->in.h * p->in.w;
	int err;

	if (d->out.c > MAX_CHANNELS)
		return -E2BIG;
	err = top_rows(d->w, d->out.c, (size_t)d->in.c * spatial, p->out.c, keep);
	if (err)
		return err;
	err = copy_kept(p, d, keep, in_keep, spatial);
	memcpy(in_keep, keep, p->out.c * sizeof(*keep));
	return err;
}

int tinynet_build_pruned(struct tinynet_model *m, const struct tinynet_model *dense)
{
	int widths[TINYNET_MAX_LAYERS] = { 0 }, in_keep[MAX_CHANNELS];
	int err, classifier = -1, first = -1;

	for (int i = 0; i < dense->n_layers; i++)
		if (is_weighted(&dense->layers[i])) {
			classifier = i;
			first = first < 0 ? i : first;
		}
	/* the classifier keeps its TINYNET_CLASSES outputs, the first conv all of its own */
	for (int i = 0; i < dense->n_layers; i++) {
		const struct tinynet_layer *d = &dense->layers[i];
		bool pruned = is_weighted(d) && i != classifier && i != first;

		widths[i] = pruned ? d->out.c / 2 : d->out.c;
	}
	err = tinynet_model_shape(m, TINYNET_PRUNED, widths);
	if (err)
		return err;
	for (int c = 0; c < TINYNET_INPUT_C; c++)
		in_keep[c] = c;
	for (int i = 0; !err && i < m->n_layers; i++) {
		if (is_weighted(&m->layers[i]))
			err = prune_layer(&m->layers[i], &dense->layers[i], in_keep);
	}
	return err;
}

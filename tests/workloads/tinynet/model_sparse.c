/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unstructured magnitude pruning of the dense model: each output row of every
 * conv and fc keeps its 10% largest weights (at least one), stored in CSR.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "tinynet.h"

static size_t fan_in(const struct tinynet_layer *l)
{
	return (size_t)l->in.c *
	       (l->op_kind == TINYNET_OP_CONV2D ? l->k * l->k : l->in.h * l->in.w);
}

static int csr_alloc(struct tinynet_layer *s, size_t nnz)
{
	s->csr.row_ptr = tinynet_alloc(s->out.c + 1, sizeof(*s->csr.row_ptr));
	s->csr.col = tinynet_alloc(nnz, sizeof(*s->csr.col));
	s->csr.val = tinynet_alloc(nnz, sizeof(*s->csr.val));
	s->b = tinynet_alloc(s->out.c, sizeof(*s->b));
	return s->csr.row_ptr && s->csr.col && s->csr.val && s->b ? 0 : -ENOMEM;
}

static int sparsify_layer(struct tinynet_layer *s, const struct tinynet_layer *d)
{
	size_t row_len = fan_in(d), keep = (row_len + 5) / 10 ? (row_len + 5) / 10 : 1;
	float *mag = tinynet_alloc(row_len, sizeof(*mag));
	int *idx = tinynet_alloc(keep, sizeof(*idx));
	int err = mag && idx ? csr_alloc(s, keep * d->out.c) : -ENOMEM;

	for (int o = 0; !err && o < d->out.c; o++) {
		const float *row = d->w + o * row_len;

		for (size_t j = 0; j < row_len; j++)
			mag[j] = fabsf(row[j]);
		err = tinynet_top_k(mag, (int)row_len, (int)keep, idx);
		for (size_t j = 0; !err && j < keep; j++) {
			s->csr.col[s->csr.nnz] = (uint32_t)idx[j];
			s->csr.val[s->csr.nnz++] = row[idx[j]];
		}
		s->csr.row_ptr[o + 1] = s->csr.nnz;
		s->b[o] = d->b[o];
	}
	s->macs = (uint64_t)s->csr.nnz * (s->op_kind == TINYNET_OP_CONV2D ? s->in.h * s->in.w : 1);
	free(mag);
	free(idx);
	return err;
}

int tinynet_build_sparse(struct tinynet_model *m, const struct tinynet_model *dense)
{
	int err = tinynet_model_shape(m, TINYNET_SPARSE, NULL);

	for (int i = 0; !err && i < m->n_layers; i++) {
		struct tinynet_layer *l = &m->layers[i];

		if (l->op_kind == TINYNET_OP_CONV2D || l->op_kind == TINYNET_OP_FC)
			err = sparsify_layer(l, &dense->layers[i]);
	}
	return err;
}

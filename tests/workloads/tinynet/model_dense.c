/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The dense fp32 model: He-uniform weights from the seed. The other variants derive from it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "tinynet.h"

static int fill_weights(struct tinynet_layer *l, uint64_t seed)
{
	size_t fan_in =
	    (size_t)l->in.c * (l->op_kind == TINYNET_OP_CONV2D ? l->k * l->k : l->in.h * l->in.w);
	size_t n = fan_in * l->out.c;
	/* one stream per layer, so a layer's weights do not depend on the others' sizes */
	uint64_t state = seed ^ (0x6a09e667f3bcc909ULL * (uint64_t)(l->id + 1));
	float a = sqrtf(6.0f / (float)fan_in);

	l->w = tinynet_alloc(n, sizeof(*l->w));
	l->b = tinynet_alloc(l->out.c, sizeof(*l->b));
	if (!l->w || !l->b)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		l->w[i] = tinynet_rng_uniform(&state, -a, a);
	for (int i = 0; i < l->out.c; i++)
		l->b[i] = tinynet_rng_uniform(&state, -0.1f, 0.1f);
	return 0;
}

int tinynet_build_dense(struct tinynet_model *m, uint64_t seed)
{
	int err = tinynet_model_shape(m, TINYNET_DENSE, NULL);

	for (int i = 0; !err && i < m->n_layers; i++) {
		struct tinynet_layer *l = &m->layers[i];

		if (l->op_kind == TINYNET_OP_CONV2D || l->op_kind == TINYNET_OP_FC)
			err = fill_weights(l, seed);
	}
	return err;
}

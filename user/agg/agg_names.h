/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Naming of layers, inside the aggregator: name events, labels and label#N. */
#ifndef NNP_AGG_NAMES_H
#define NNP_AGG_NAMES_H

#include "agg.h"

/* A name event whose layer has not run yet. */
struct nnp_pending_name {
	struct nnp_layer_key id;
	char name[NNP_NAME_LEN + 1];
	char op[NNP_OP_LEN + 1];
	uint8_t shape_dims;
	int64_t shape[NNP_SHAPE_DIMS];
	UT_hash_handle hh;
};

/*
 * How ggml layers are shown: llama.cpp names a graph's tensors NAME-N, N the
 * block, and gguf names weights blk.N.NAME, so "ffn_up-1" is shown as
 * "blk.1.ffn_up". Other names are copied. 1 if renamed, else 0.
 */
int nnp_ggml_layer_name(const char *raw, char *out, size_t len);

/* Per process and probe: how many distinct keys ran, to number them label#N. */
struct nnp_probe_keys {
	uint32_t probe_id;
	uint64_t nkeys;		       /* distinct non-zero keys */
	bool has_zero;		       /* key 0 ran: it keeps the plain label */
	struct nnp_layer_stats *first; /* first non-zero key, renamed label#1 by a second */
	UT_hash_handle hh;
};

/* What naming one probe's layers takes from the aggregator (agg.c fills it). */
struct nnp_name_ctx {
	const struct nnp_probe_info *probe;	 /* NULL: a probe nnperf did not describe */
	const struct nnp_node_names *node_names; /* --node-names, or NULL */
	size_t max_pending;			 /* name events kept for layers not seen yet */
	uint64_t *dropped;			 /* counts those beyond max_pending */
};

/* Gives a new layer its name and op; 0 or -ENOMEM (the layer then keeps a default name). */
int nnp_agg_name_layer(const struct nnp_name_ctx *c, struct nnp_proc_stats *p,
		       struct nnp_layer_stats *l);
/* Applies or keeps a name event; 0 or -ENOMEM. */
int nnp_agg_name_event(const struct nnp_name_ctx *c, struct nnp_proc_stats *p,
		       const struct nnp_name_event *e);
void nnp_agg_names_free(struct nnp_proc_stats *p);

#endif

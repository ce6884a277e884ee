/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `--group-by block|part|op|none`: which group a layer belongs to, from its
 * name and op type alone (the same in record, diff, compare, top and export,
 * and for a recording read back). docs/groups.md has the rules.
 */
#ifndef NNP_LAYER_GROUP_H
#define NNP_LAYER_GROUP_H

#include <stddef.h>

enum nnp_group_by {
	NNP_GROUP_NONE,
	NNP_GROUP_BLOCK, /* blk.N (ggml), a network's numbered module (layers.3), else op */
	NNP_GROUP_PART,	 /* attention, feed-forward, norm, ... (llama.cpp names), else op */
	NNP_GROUP_OP,	 /* the op type */
};

/* Where a group came from: a layer's name, or its op type because the name says nothing */
enum nnp_group_from {
	NNP_GROUP_FROM_NAME,
	NNP_GROUP_FROM_OP,
	NNP_GROUP_FROM_PLACE, /* nnp_group_layers: from the layers around it */
};

#define NNP_GROUP_LEN 96

/* "block", "part", "op" or "none"; 0 or -EINVAL */
int nnp_group_by_parse(const char *s, enum nnp_group_by *out);
const char *nnp_group_by_str(enum nnp_group_by by);
/*
 * The group of a layer named NAME with op type OP (either may be NULL or
 * empty): written to out (at most len bytes, always terminated). Returns
 * NNP_GROUP_FROM_NAME or NNP_GROUP_FROM_OP, or -EINVAL for NNP_GROUP_NONE
 * or a len of 0. A layer with neither a name nor an op goes to "(other)".
 */
int nnp_group_of(enum nnp_group_by by, const char *name, const char *op, char *out, size_t len);
/*
 * The groups of N layers in execution order (names[i], ops[i]; NULL entries
 * allowed) into out[i] and from[i]: nnp_group_of, then, in a network with
 * llama.cpp's blk.N names, a layer whose name says no block (ggml's unnamed
 * node_21, the final norm) is placed by the layers around it: before the
 * first block in "input", after the last in "output", else in the block of
 * the layer before it; and with BY part, by its op (flash_attn_ext, soft_max,
 * rope: attention; *norm*: norm; else other). 0 or -EINVAL.
 */
int nnp_group_layers(enum nnp_group_by by, const char *const *names, const char *const *ops,
		     size_t n, char (*out)[NNP_GROUP_LEN], int *from);
/* "name", "op" or "place" */
const char *nnp_group_from_str(int from);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A TFLite node's index from Subgraph's array of nodes (node_index.h). Every
 * byte is the target's: reads are bounded, and an array is taken only if all
 * its elements look like nodes.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "litert.h"
#include "node_index.h"

#define MAX_IO 4096	 /* inputs or outputs of one node */
#define MAX_BUILTIN 1024 /* BuiltinOperator codes (about 210 in 2.x) */

/* a TfLiteIntArray* at ADDR: readable, aligned, its size sane; OUTPUTS: at least one */
static bool int_array(const struct nnp_mem *m, uint64_t addr, bool outputs)
{
	int32_t size;

	if (!addr || (addr & 3) || m->read(m->ctx, addr, &size, sizeof(size)))
		return false;
	return size >= (outputs ? 1 : 0) && size <= MAX_IO;
}

/* the pair at ADDR: a TfLiteNode (inputs, outputs) and its registration's builtin_code */
static bool node_check(const struct nnp_mem *m, uint64_t addr)
{
	uint64_t io[2];
	int32_t builtin;

	if (m->read(m->ctx, addr, io, sizeof(io)) ||
	    m->read(m->ctx, addr + NNP_LITERT_BUILTIN_OFF, &builtin, sizeof(builtin)))
		return false;
	return int_array(m, io[0], false) && int_array(m, io[1], true) && builtin >= 0 &&
	       builtin < MAX_BUILTIN;
}

/* the words W (a std::vector's begin, end, capacity) with NODE in the array,
 * at a stride whose multiple NODE is, and every element a node */
static bool array_check(const struct nnp_mem *m, const uint64_t w[3], uint64_t node,
			uint32_t stride, uint32_t *n)
{
	uint64_t bytes = w[1] - w[0];

	if ((node - w[0]) % stride || bytes % stride || bytes / stride > NNP_LITERT_MAX_NODES)
		return false;
	for (uint64_t i = 0; i < bytes / stride; i++)
		if (!node_check(m, w[0] + i * stride))
			return false;
	*n = (uint32_t)(bytes / stride);
	return true;
}

static bool vector_around(const uint64_t w[3], uint64_t node)
{
	return w[0] && !(w[0] & 7) && w[0] <= node && node < w[1] && w[1] <= w[2] &&
	       w[1] - w[0] >= NNP_LITERT_PAIR_MIN;
}

int nnp_litert_nodes_find(const struct nnp_mem *m, uint64_t subgraph, uint64_t node,
			  struct nnp_litert_nodes *out)
{
	uint64_t w[NNP_LITERT_SG_SCAN / 8];
	size_t words;

	if (!subgraph || (subgraph & 7) || !node_check(m, node))
		return -ENOENT;
	words = nnp_mem_read_words(m, subgraph, w, NNP_LITERT_SG_SCAN / 8);
	for (size_t i = 0; i + 3 <= words; i++) {
		if (!vector_around(w + i, node))
			continue;
		/* the smallest stride whose every element is a node */
		for (uint32_t s = NNP_LITERT_PAIR_MIN; s <= NNP_LITERT_PAIR_MAX; s += 8) {
			uint32_t n;

			if (!array_check(m, w + i, node, s, &n))
				continue;
			out->array_off = (uint32_t)(i * 8);
			out->stride = s;
			out->n = n;
			return 0;
		}
	}
	return -ENOENT;
}

int nnp_litert_node_index(const struct nnp_mem *m, uint64_t subgraph,
			  const struct nnp_litert_nodes *l, uint64_t node, uint32_t *index)
{
	uint64_t w[3];

	if (!subgraph || (subgraph & 7) || !l->stride ||
	    m->read(m->ctx, subgraph + l->array_off, w, sizeof(w)) || !vector_around(w, node) ||
	    (node - w[0]) % l->stride || (node - w[0]) / l->stride >= NNP_LITERT_MAX_NODES ||
	    !node_check(m, node))
		return -ENOENT;
	*index = (uint32_t)((node - w[0]) / l->stride);
	return 0;
}

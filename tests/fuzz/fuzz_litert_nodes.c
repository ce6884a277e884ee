// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Any bytes as a target's memory holding a TFLite Subgraph
 * (runtime/litert/node_index.c): the input is the TfLiteNode*'s offset in the
 * image (4 bytes), the Subgraph's (4 bytes), then the image, mapped at BASE;
 * nothing else is readable. An array found must hold the node it was found
 * with, at the index its offset gives, and every index read must be in it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "node_index.h"

#define BASE 0x200000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_image img = { data + 8, size >= 8 ? size - 8 : 0, BASE };
	struct nnp_mem m = { fuzz_image_read, &img };
	struct nnp_litert_nodes l;
	uint32_t node, sg, index;
	int err;

	if (size < 8)
		return 0;
	memcpy(&node, data, 4);
	memcpy(&sg, data + 4, 4);
	err = nnp_litert_nodes_find(&m, BASE + sg, BASE + node, &l);
	if (err && err != -ENOENT)
		abort();
	if (err)
		return 0;
	if (l.stride < NNP_LITERT_PAIR_MIN || l.stride > NNP_LITERT_PAIR_MAX || !l.n ||
	    l.n > NNP_LITERT_MAX_NODES || l.array_off >= NNP_LITERT_SG_SCAN)
		abort();
	if (nnp_litert_node_index(&m, BASE + sg, &l, BASE + node, &index) || index >= l.n)
		abort(); /* the node it was found with */
	for (uint32_t d = 0; d < 4096; d += 8) {
		err = nnp_litert_node_index(&m, BASE + sg, &l, BASE + node + d, &index);
		if ((err && err != -ENOENT) || (!err && index >= l.n))
			abort();
	}
	return 0;
}

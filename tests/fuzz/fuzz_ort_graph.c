// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Any bytes as a target's memory holding an ONNX Runtime session
 * (runtime/ort/graph.c): the input is a NodeIndex (4 bytes), the SessionState's
 * offset in the image (4 bytes), then the image, mapped at BASE; nothing else
 * is readable. A layout found must name the node it was found with, and every
 * name and op read must be text of the kinds the reader checks, cut to fit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "graph.h"

#define BASE 0x100000ull

static void check_node(const struct nnp_ort_node *n)
{
	size_t op = strnlen(n->op, sizeof(n->op));

	if (strnlen(n->name, sizeof(n->name)) >= sizeof(n->name) || !op || op >= sizeof(n->op))
		abort();
	for (const char *c = n->name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			abort();
	for (const char *c = n->op; *c; c++)
		if (!(*c == '_' || (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= 'A' && *c <= 'Z')))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_image img = { data + 8, size >= 8 ? size - 8 : 0, BASE };
	struct nnp_mem m = { fuzz_image_read, &img };
	struct nnp_ort_layout l;
	struct nnp_ort_node n;
	uint32_t index, ss;
	int err;

	if (size < 8)
		return 0;
	memcpy(&index, data, 4);
	memcpy(&ss, data + 4, 4);
	index %= NNP_ORT_MAX_NODES;
	err = nnp_ort_graph_find(&m, BASE + ss, index, &l);
	if (err && err != -ENOENT)
		abort();
	if (err)
		return 0;
	if (l.nodes <= index || l.nodes > NNP_ORT_MAX_NODES || l.table_off >= NNP_ORT_SS_SCAN ||
	    l.str_abi > 1)
		abort();
	memset(&n, 0x55, sizeof(n));
	if (nnp_ort_graph_node(&m, BASE + ss, &l, index, &n))
		abort(); /* the node it was found with */
	check_node(&n);
	for (uint32_t j = 0; j < l.nodes && j < 64; j++) {
		memset(&n, 0x55, sizeof(n));
		err = nnp_ort_graph_node(&m, BASE + ss, &l, j, &n);
		if (err && err != -ENOENT)
			abort();
		if (!err)
			check_node(&n);
	}
	return 0;
}

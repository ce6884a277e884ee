/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names and op types of ONNX Runtime nodes by NodeIndex, from a profile ORT
 * wrote (enableProfiling / SessionOptions.enable_profiling): nnperf keys ORT's
 * nodes by NodeIndex but cannot read their names (C++ objects without a
 * stable layout); the profile's *_kernel_time events carry node_index,
 * op_name and the node's name. `--node-names PROFILE` names a recording's
 * nodes with them.
 */
#ifndef NNP_NODE_NAMES_H
#define NNP_NODE_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

struct nnp_node_name {
	uint64_t index;
	char *name;
	char *op;
	UT_hash_handle hh;
};

struct nnp_node_names {
	struct nnp_node_name *by_index;
	size_t n;
};

/* Reads PATH; 0, or -errno with one line in err (not JSON, no node events). */
int nnp_node_names_load(const char *path, struct nnp_node_names *m, char *err, size_t errlen);
const struct nnp_node_name *nnp_node_names_find(const struct nnp_node_names *m, uint64_t index);
void nnp_node_names_free(struct nnp_node_names *m);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ONNX Runtime's node names and op types, read from the session's graph in
 * the target's memory: ExecuteKernel's context starts with its SessionState*,
 * whose session_kernels_ (a std::vector<std::unique_ptr<OpKernel>> by
 * NodeIndex) leads through each kernel's OpKernelInfo to its Node, which
 * starts with index_, name_, op_type_ and domain_ (libstdc++ std::strings, of
 * either ABI).
 * Offsets are C++ layout nobody promises: the table's place in SessionState
 * and the two pointers' places are searched for, and taken only if every
 * kernel of the table leads to a Node whose index_ is its own place and whose
 * strings are well formed; otherwise no name, never a wrong one.
 */
#ifndef NNP_ORT_GRAPH_H
#define NNP_ORT_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "nnperf_abi.h"
#include "proc_mem.h"

#define NNP_ORT_SS_SCAN 4096	/* bytes of SessionState searched for the table */
#define NNP_ORT_MAX_NODES 16384 /* the longest table taken */

/* where a session's names are: found once per SessionState */
struct nnp_ort_layout {
	uint32_t table_off; /* session_kernels_ in SessionState */
	uint8_t info_off;   /* OpKernel -> its OpKernelInfo */
	uint8_t node_off;   /* OpKernelInfo -> its Node */
	uint8_t str_abi;    /* its std::strings: 0 libstdc++'s C++11 ABI, 1 its old one */
	uint32_t nodes;	    /* kernels in the table when it was checked */
};

struct nnp_ort_node {
	char name[NNP_NAME_LEN];
	char op[NNP_OP_LEN];
};

/*
 * Finds the layout from SessionState SS, given INDEX, a NodeIndex the session
 * ran; 0, -ENOENT (no table whose every kernel checks out), -errno from read
 */
int nnp_ort_graph_find(const struct nnp_mem *m, uint64_t ss, uint64_t index,
		       struct nnp_ort_layout *out);
/* Node INDEX's name and op through L, checked as the search checks; 0 or -ENOENT */
int nnp_ort_graph_node(const struct nnp_mem *m, uint64_t ss, const struct nnp_ort_layout *l,
		       uint64_t index, struct nnp_ort_node *out);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A TFLite node's index, read from the target's memory: the node probes key
 * nodes by their TfLiteNode*, which points into Subgraph's
 * nodes_and_registration_ (a std::vector<std::pair<TfLiteNode,
 * TfLiteRegistration>> indexed by node index), so the index is the node's
 * place in that array. Its place in Subgraph and the pair's size change with
 * the version (TfLiteRegistration grows): both are searched for, and taken
 * only if every element of the array looks like a node (its inputs and
 * outputs arrays readable and of a sane size, its builtin_code in range).
 */
#ifndef NNP_LITERT_NODE_INDEX_H
#define NNP_LITERT_NODE_INDEX_H

#include <stdint.h>

#include "proc_mem.h"

#define NNP_LITERT_SG_SCAN 4096	   /* bytes of Subgraph searched for the array */
#define NNP_LITERT_MAX_NODES 65536 /* the longest array taken */
#define NNP_LITERT_PAIR_MIN 128	   /* the sizes of the pair tried: TfLiteNode (80 */
#define NNP_LITERT_PAIR_MAX 256	   /* bytes) and a TfLiteRegistration */

/* a subgraph's array of nodes */
struct nnp_litert_nodes {
	uint32_t array_off; /* nodes_and_registration_ in Subgraph */
	uint32_t stride;    /* sizeof(std::pair<TfLiteNode, TfLiteRegistration>) */
	uint32_t n;	    /* nodes in it when it was checked */
};

/*
 * Finds the array of SUBGRAPH that holds the TfLiteNode at NODE; 0, -ENOENT
 * (none whose every element checks out)
 */
int nnp_litert_nodes_find(const struct nnp_mem *m, uint64_t subgraph, uint64_t node,
			  struct nnp_litert_nodes *out);
/* NODE's index in the array L describes, checked again; 0 or -ENOENT */
int nnp_litert_node_index(const struct nnp_mem *m, uint64_t subgraph,
			  const struct nnp_litert_nodes *l, uint64_t node, uint32_t *index);

#endif

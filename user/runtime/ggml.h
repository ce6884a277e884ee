/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* llama.cpp / ggml: which CPU variant of libggml-cpu ggml keeps. */
#ifndef NNP_RUNTIME_GGML_H
#define NNP_RUNTIME_GGML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nnp_elf;

/* the file name of the libggml-cpu-*.so in DIR with the best
 * ggml_backend_score() on this CPU, asked in an unprivileged child;
 * 0, -ENOENT (none scores) or -errno */
int nnp_ggml_best_variant(const char *dir, char *best, size_t len);
/* the layer probe of ggml op function FN ("ggml_compute_forward_add") in PATH:
 * on the function (CALL_OFF 0) or, as a layer-begin, on the call at file
 * offset CALL_OFF (ENTRY_ONLY: mode=entry-only); 0 or -ENAMETOOLONG */
int nnp_ggml_op_probe(char *text, size_t len, const char *path, const char *fn, uint64_t call_off,
		      bool entry_only);

/* one call of an op in ggml's graph loop (ggml_loop.c) */
struct nnp_ggml_site {
	size_t op;	   /* index into the op names given */
	uint64_t call_off; /* file offset of the call */
	uint64_t end_off;  /* of the emulated instruction after it, 0 if none */
	char end_insn[32]; /* its mnemonic, or what stopped the walk */
};

#define NNP_GGML_MAX_ENDS 8

/* where a caller of the loop goes on once the loop returned: the emulated
 * instruction after the call (the graph's end for the thread that ran it) */
struct nnp_ggml_end {
	uint64_t off;	 /* its file offset */
	char insn[32];	 /* its mnemonic */
	char caller[64]; /* the function calling the loop (ggml_graph_compute) */
};

struct nnp_ggml_loop {
	char fn[128]; /* the loop's symbol */
	struct nnp_ggml_site *sites;
	size_t n, cap;
	struct nnp_ggml_end ends[NNP_GGML_MAX_ENDS];
	size_t nends;
};

/* the calls to OPS inside ggml_graph_compute_thread of E (x86-64 only), and
 * the graph's ends: the calls of that loop in the ggml_graph_compute*
 * functions with an emulated instruction after them;
 * 0, -ENOTSUP (another machine), -ENOENT (no such function), -E2BIG, -EINVAL (undecodable) or
 * -errno */
int nnp_ggml_loop_find(struct nnp_elf *e, const char (*ops)[64], size_t nops,
		       struct nnp_ggml_loop *out);
void nnp_ggml_loop_free(struct nnp_ggml_loop *l);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* llama.cpp / ggml: which CPU variant of libggml-cpu ggml keeps. */
#ifndef NNP_RUNTIME_GGML_H
#define NNP_RUNTIME_GGML_H

#include <stddef.h>

/* the file name of the libggml-cpu-*.so in DIR with the best
 * ggml_backend_score() on this CPU, asked in an unprivileged child;
 * 0, -ENOENT (none scores) or -errno */
int nnp_ggml_best_variant(const char *dir, char *best, size_t len);
/* the layer probe of ggml op function FN ("ggml_compute_forward_add") in PATH;
 * 0 or -ENAMETOOLONG */
int nnp_ggml_op_probe(char *text, size_t len, const char *path, const char *fn);

#endif

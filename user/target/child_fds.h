/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For a forked child about to run a traced process's code (the constructors
 * of a library it maps, which the ONNX Runtime and ggml adapters load to ask
 * it questions): what of nnperf's it can reach.
 */
#ifndef NNP_CHILD_FDS_H
#define NNP_CHILD_FDS_H

/*
 * stdin, stdout and stderr on /dev/null, fds[0..n) moved to 3, 4, ... in
 * order, every other descriptor closed: the code then reaches none of
 * nnperf's BPF maps, programs and links, perf events, the export's socket,
 * nor its output (where it could forge nnperf's lines). n <= 8; 0 or -errno.
 */
int nnp_child_keep_fds(const int *fds, int n);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ONNX Runtime's shared library is stripped: its per-inference and per-node
 * functions are found by what they do, not by name, and remembered per
 * build-id.
 */
#ifndef NNP_RUNTIME_ORT_H
#define NNP_RUNTIME_ORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nnperf_abi.h"

struct nnp_ort_sites {
	uint64_t run_off;    /* OrtApi::Run, file offset of the probe */
	uint64_t kernel_off; /* onnxruntime::ExecuteKernel, 0 when not found */
};

/* ExecuteKernel: the function holding the only code reference to ORT's
 * "Non-zero status code returned while running " (.eh_frame bounds);
 * file offset past an endbr64; 0, -ENOENT (not found), -ENOTSUP, -errno */
int nnp_ort_find_kernel(const char *path, uint64_t *off);
/* InferenceSession::Run: the one function whose code references the profiler's
 * "model_run" text (at most 4 references); the file offset past an endbr64;
 * errors as nnp_ort_find_kernel's */
int nnp_ort_find_session_run(const char *path, uint64_t *off);
/* OrtApi::Run from the library's own table, read in an unprivileged child
 * that loads it; the file offset past an endbr64; 0 or -errno */
int nnp_ort_find_run(const char *path, uint64_t *off);
/* the definition of ExecuteKernel's layer probe (key = the NodeIndex: arg2 on
 * x86-64, arg1 with ARM64), or with inference, of OrtApi::Run's, at file offset
 * OFF of PATH (truncated to len) */
void nnp_ort_probe(char *text, size_t len, const char *path, bool inference, uint64_t off,
		   bool arm64);

/*
 * Names ExecuteKernel's node (e->key, the NodeIndex) from the session's graph
 * in the target (e->ref, the SessionState*: names.c), unless e is named
 */
void nnp_ort_name_event(struct nnp_name_event *e);

/*
 * The sites of the build BUILD_ID from the cache; 0, -ENOENT (none), -EINVAL
 * (not exactly what put writes), -EPERM (a link, or writable by another
 * user), -errno; said in one line but for -ENOENT. s is left alone on error.
 */
int nnp_ort_cache_get(const char *build_id, struct nnp_ort_sites *s);
/* 0 or -errno (a cache that cannot be written only costs time) */
int nnp_ort_cache_put(const char *build_id, const struct nnp_ort_sites *s);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Built-in runtime adapters. An adapter is data: the library names that
 * identify a runtime, and probe definitions in the --probe grammar with "%s"
 * standing for the library's path; plus, where symbols are not enough, code
 * that computes sites (a stripped library's internal function, say).
 * Detection runs over the target's mapped files at start and again whenever
 * the dynamic loader maps more (dlopen), so runtimes loaded late are caught.
 */
#ifndef NNP_RUNTIMES_H
#define NNP_RUNTIMES_H

#include <stdbool.h>
#include <stddef.h>

struct nnp_planner;
struct nnp_elf;

struct nnp_runtime {
	const char *name;	   /* "pytorch", "onnxruntime", "ggml", "opencv" */
	const char *const *libs;   /* fnmatch patterns on a library's basename, NULL-ended */
	const char *const *probes; /* definitions, "%s" = the library's path, NULL-ended */
	/* optional: sites that need code; 0 or -errno after one error line */
	int (*attach)(struct nnp_planner *p, const char *path, struct nnp_elf *e);
	/* infer inference boundaries from the period of the layer sequence
	 * (runtimes with no per-inference function to probe) */
	bool infer_by_period;
};

/* NULL-ended table of every built-in adapter */
extern const struct nnp_runtime *const nnp_runtimes[];

const struct nnp_runtime *nnp_runtime_by_name(const char *name);
/* the adapter whose libs match PATH's basename, or NULL */
const struct nnp_runtime *nnp_runtime_for_lib(const char *path);
/* "pytorch, onnxruntime, ..." for messages */
const char *nnp_runtime_names(void);

#endif

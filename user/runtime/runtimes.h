/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Built-in runtime adapters. An adapter is data: how to recognise a file of
 * the runtime (library name patterns, or a check such as "carries nnperf USDT
 * notes"), and probe definitions in the --probe grammar with "%s" standing
 * for that file's path; plus, where symbols are not enough, code that
 * computes sites (a stripped library's internal function, say).
 * The scanner (scan.h) runs the table over a target's mapped files at start
 * and again whenever the dynamic loader maps more, so runtimes loaded late
 * (python importing torch) are caught; discovery (discover.h) uses the same
 * checks to find inference processes.
 */
#ifndef NNP_RUNTIMES_H
#define NNP_RUNTIMES_H

#include <stdbool.h>
#include <stddef.h>

struct nnp_planner;
struct nnp_elf;
struct nnp_probe_def;
struct nnp_agg;
struct nnp_fetch;
struct nnp_name_event;
struct nnp_layer_event;
union nnp_event;

struct nnp_runtime {
	const char *name;	 /* "usdt", "pytorch", "onnxruntime", "ggml", "opencv", "litert" */
	const char *const *libs; /* fnmatch patterns on a file's basename, NULL-ended */
	const char *const *probes; /* definitions, "%s" = the file's path, NULL-ended */
	/* optional: claims a file libs do not name (1/0) */
	int (*claims)(const char *path);
	/* optional: sites that need code; > 0 attached, 0 none, -errno after one error line */
	int (*attach)(struct nnp_planner *p, const char *path, struct nnp_elf *e);
	/* inference boundaries come from the period of the layer sequence
	 * (runtimes with no per-inference function to probe) */
	bool infer_by_period;
	/* optional: completes the name event of one of its probes that carries a
	 * ref (a value the adapter's probe reads for it: probe_spec.h), reading the
	 * target's memory; it leaves e as it is when it cannot */
	void (*name_event)(struct nnp_name_event *e);
	/* optional: sees each layer event before the aggregator does (to give the
	 * layers of its probes the keys its name_event gave them) */
	void (*layer_event)(struct nnp_layer_event *e);
	/* a runtime from a spec file (spec_runtimes.h): its parsed definitions; one
	 * whose LIB's basename libs match goes on the file that matched, the others
	 * on the LIB they name */
	const struct nnp_probe_def *defs;
	size_t ndefs;
	const char *file; /* the spec file's path, NULL for a built-in adapter */
};

/* the adapters (runtime_<name>.c) */
extern const struct nnp_runtime nnp_rt_pytorch;
extern const struct nnp_runtime nnp_rt_opencv;
extern const struct nnp_runtime nnp_rt_ort;
extern const struct nnp_runtime nnp_rt_ggml;
extern const struct nnp_runtime nnp_rt_litert;

/* NULL-ended table of every built-in adapter, then the runtimes added */
extern const struct nnp_runtime *nnp_runtimes[];
#define NNP_MAX_ADDED_RUNTIMES 64
/*
 * Adds a runtime after the built-in ones (before any target is scanned; not
 * thread-safe). 0; -EEXIST: a runtime of that name exists; -ENOSPC.
 */
int nnp_runtime_add(const struct nnp_runtime *rt);
/* removes the runtimes added (their memory is the caller's) */
void nnp_runtimes_reset(void);

/*
 * Attaches TEXT, a probe in the --probe grammar that an adapter's code wrote,
 * for RUNTIME (adapter_probe.c); PAIR (NULL: none) tags a begin/end pair, OP
 * (NULL: none) names the op of an end (the first definition of a pair
 * registers its layer's probe, planner.c). 0 or -errno; a TEXT that does not
 * parse (an adapter's bug) is said in one line.
 */
int nnp_runtime_attach_text(struct nnp_planner *p, const char *runtime, const char *text,
			    const char *pair, const char *op);
/* nnp_runtime_attach_text(p, runtime, text, pair, NULL) whose probe also reads
 * REF with its names (struct nnp_probe_def's ref) */
int nnp_runtime_attach_ref(struct nnp_planner *p, const char *runtime, const char *text,
			   const char *pair, const struct nnp_fetch *ref);

const struct nnp_runtime *nnp_runtime_by_name(const char *name);
/*
 * An event on its way to the aggregator, first shown to the runtimes: a name
 * event with a ref to the runtime whose probe sent it (the probe's runtime as
 * the aggregator knows it), a layer event to every runtime with a layer_event
 */
void nnp_runtime_event(const struct nnp_agg *a, union nnp_event *ev);
/* 1 if PATH's basename is one of rt's library names (libs), else 0 */
int nnp_runtime_names_file(const struct nnp_runtime *rt, const char *path);
/* 1 if rt claims the file at PATH (by name or by its check), else 0 */
int nnp_runtime_claims(const struct nnp_runtime *rt, const char *path);
/* "usdt, pytorch, ..." for messages */
const char *nnp_runtime_names(void);
/* "libtorch_cpu.so*, ..." what is looked for, for messages */
const char *nnp_runtime_lookfor(void);

#endif

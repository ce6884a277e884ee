/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The /metrics page: per-process and per-layer series from the aggregator,
 * then nnperf's own cost. Names, types, units and labels are documented in
 * docs/metrics.md; per-layer counters come from one descriptor table
 * (prom_metrics.c) so a new aggregator field is one line there.
 */
#ifndef NNP_PROM_METRICS_H
#define NNP_PROM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "recording.h"
#include "nnperf_abi.h"
#include "prom_text.h"

/* labels of a process that the aggregator does not know */
struct nnp_proc_labels {
	const char *runtime; /* adapter that found it: "usdt" */
	const char *model;
};

/* fills *out for tgid; false = not a current target (its series are left out) */
typedef bool (*nnp_proc_labels_fn)(void *ctx, uint32_t tgid, struct nnp_proc_labels *out);

struct nnp_prog_stat {
	char name[64];
	uint64_t run_ns, run_cnt;
};

/* nnperf's own numbers, gathered by the caller */
struct nnp_self_stats {
	const char *version;
	uint64_t bpf[NNP_STAT_NR]; /* nnp_session_stats */
	bool bpf_stats;		   /* kernel BPF run-time stats are on: progs are meaningful */
	const struct nnp_prog_stat *progs;
	size_t nprogs;
	int hw_pmu;		  /* hardware counters available: 1, 0, -1 unknown */
	uint64_t last_scrape_ns;  /* how long the previous page took to render */
	uint64_t cpu_ns;	  /* CPU time of nnperf itself (user + system) */
	uint64_t targets;	  /* processes attached now */
	uint64_t attaches;	  /* processes attached since start */
	uint64_t attach_failures; /* processes whose attach failed */
	uint64_t series_dropped;  /* before this page; the page adds its own drops */
	const struct nnp_rec_kernel *kernel; /* kernel signals collected, or NULL */
};

struct nnp_prom_page {
	const struct nnp_agg *agg;
	nnp_proc_labels_fn labels;
	void *labels_ctx;
	struct nnp_self_stats *self; /* series_dropped is updated */
	size_t max_series;	     /* 0 = unlimited */
};

/* 0 or -ENOMEM; the page is complete either way (series may be missing) */
int nnp_prom_render(FILE *f, enum nnp_prom_format fmt, const struct nnp_prom_page *pg);

/*
 * The same page written in steps, so that it never has to be in memory whole
 * (an HTTP response sent as it is written). begin chooses the series (the
 * budget) and copies the processes' labels; each step writes the next `units`
 * families or layers' series to f. Both run under the lock that guards
 * pg->agg, which may be released and the aggregator updated between steps:
 * processes and layers gone since begin are left out. pg and *pg->self must
 * stay valid until the last step.
 */
struct nnp_prom_gen;
int nnp_prom_gen_begin(const struct nnp_prom_page *pg, enum nnp_prom_format fmt,
		       struct nnp_prom_gen **out);
/* 1: more to write, 0: the page is complete */
int nnp_prom_gen_step(struct nnp_prom_gen *g, const struct nnp_prom_page *pg, FILE *f,
		      size_t units);
/* -ENOMEM if choosing the series failed (the page lacks some), else 0 */
int nnp_prom_gen_error(const struct nnp_prom_gen *g);
void nnp_prom_gen_free(struct nnp_prom_gen *g);

#endif

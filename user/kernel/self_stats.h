/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nnperf's own cost and state, as the monitor gathers it (session statistics,
 * BPF run time per program, attaches) and the exporter's outputs show it.
 */
#ifndef NNP_SELF_STATS_H
#define NNP_SELF_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_info.h"
#include "nnperf_abi.h"

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
	int hw_pmu;			     /* hardware counters available: 1, 0, -1 unknown */
	uint64_t last_scrape_ns;	     /* how long the previous page took to render */
	uint64_t cpu_ns;		     /* CPU time of nnperf itself (user + system) */
	uint64_t targets;		     /* processes attached now */
	uint64_t attaches;		     /* processes attached since start */
	uint64_t attach_failures;	     /* processes whose attach failed */
	uint64_t series_dropped;	     /* before this page; the page adds its own drops */
	const struct nnp_rec_kernel *kernel; /* kernel signals collected, or NULL */
};

#endif

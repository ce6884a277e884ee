/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Output of `nnperf record`: the versioned JSON document (schema in
 * docs/recording-format.md) and the human table.
 */
#ifndef NNP_RECORDING_H
#define NNP_RECORDING_H

#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "kernel_info.h"
#include "layer_group.h"
#include "recording_read.h"

/* a layer probe --overhead-budget measured part of the time */
struct nnp_rec_sampled {
	uint32_t probe_id;
	double fraction; /* of its time attached: its calls were measured in this part */
	double cost_ns;	 /* estimated cost per inference with every call measured */
};

/* --overhead-budget: what nnperf estimates it adds, and what it sampled */
struct nnp_rec_overhead {
	double budget_pct;
	bool estimated;	       /* false: too few inferences to estimate */
	double full_pct;       /* added time over the target's own, every probe attached */
	double est_pct;	       /* measured with the sampling chosen, since it was */
	double planned_pct;    /* what the plan expected */
	double full_ns;	       /* added ns per inference, every probe attached */
	double est_ns;	       /* with the sampling */
	double hits;	       /* probe hits per inference, every probe attached */
	double bpf_ns_per_hit; /* BPF run time per uprobe hit */
	bool bpf_measured;     /* from the kernel's BPF statistics, not assumed */
	double fixed_ns;       /* added per inference by what is never sampled */
	double base_ns;	       /* the target's own time per inference, estimated */
	double duty;	       /* of the sampled probes: the part of each period attached */
	bool reachable;	       /* what is never sampled fits in the budget */
	const struct nnp_rec_sampled *sampled; /* probes measured part of the time */
	size_t nsampled;
};

struct nnp_rec_meta {
	const char *command;	    /* the launched command line, or NULL with -p */
	int target_pid;		    /* -p PID, or the launched child's pid */
	uint64_t start_realtime_ns; /* wall clock at start (CLOCK_REALTIME) */
	uint64_t duration_ns;	    /* how long recording ran */
	const char *hostname;
	const char *kernel;   /* uname -r */
	uint64_t lost_events; /* ring buffer full (BPF stat) */
	uint64_t unmatched;   /* ends with no begin (BPF stat) */
	uint64_t fetch_errors;
	uint64_t missed_switches; /* not in the recording: a warning at the end */
	uint64_t probe_hits;
	uint32_t ringbuf_bytes;
	int exit_status;			  /* launched command's exit status, -1 if none */
	const struct nnp_rec_kernel *kernel_info; /* NULL: no kernel signals */
	enum nnp_group_by group_by;		  /* --group-by: groups in both outputs */
	const struct nnp_rec_overhead *overhead;  /* --overhead-budget, or NULL */
};

/* Writes the JSON document; 0 or -errno */
int nnp_recording_write_json(FILE *f, const struct nnp_agg *a, const struct nnp_rec_meta *m);
/* Writes the table shown by default */
int nnp_recording_write_table(FILE *f, const struct nnp_agg *a, const struct nnp_rec_meta *m);

#endif

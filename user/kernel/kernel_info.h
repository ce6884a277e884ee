/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* How a run collected kernel signals, as its outputs describe it. */
#ifndef NNP_KERNEL_INFO_H
#define NNP_KERNEL_INFO_H

struct nnp_counters;

/* How kernel signals were collected (NULL in nnp_rec_meta: none were) */
struct nnp_rec_kernel {
	const char *sched;		     /* scheduler hooks: "tp_btf", "raw_tp", "none" */
	const char *fault;		     /* fault timing: "fentry", "kprobe", "none" */
	const char *fault_why;		     /* shown as n/a reason when fault is "none" */
	const struct nnp_counters *counters; /* requested counters, or NULL */
};

#endif

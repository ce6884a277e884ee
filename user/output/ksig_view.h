/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel signals of a layer (or of inferences) as every output shows them:
 * one list of fields, each with a total and a mean per call, or unavailable
 * with the reason ("n/a (no hardware PMU)") — never a made-up 0.
 */
#ifndef NNP_KSIG_VIEW_H
#define NNP_KSIG_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "agg.h"
#include "recording.h"

#define NNP_KSIG_MAX_FIELDS 24

struct nnp_ksig_field {
	char key[40];	  /* JSON key: "offcpu_ns", "cache_misses", "ipc" */
	const char *head; /* table heading: "OFFCPU", "CMISS" */
	bool is_ns;	  /* a duration: shown with units */
	bool has_total;	  /* ratios (ipc, mpki) have none */
	bool available;
	const char *why; /* when unavailable */
	uint64_t total;
	double mean; /* per call */
};

/* fills out[] for S summed over CALLS calls lasting WALL_NS in all; returns the count */
int nnp_ksig_view(const struct nnp_rec_kernel *ki, const struct nnp_ksig_sum *s, uint64_t calls,
		  uint64_t wall_ns, struct nnp_ksig_field *out);

#endif

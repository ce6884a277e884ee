/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Perf counters read per layer (--counters): hardware events where a PMU
 * exists, software events always. One per-CPU event (pid -1) per counter,
 * placed in layer.bpf.c's PERF_EVENT_ARRAY; sched.bpf.c makes the counts per
 * thread. Counters that cannot be opened stay listed as unavailable with the
 * reason, so every output can say "n/a (no hardware PMU)" instead of 0.
 */
#ifndef NNP_COUNTERS_H
#define NNP_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "nnperf_abi.h"

#define NNP_COUNTER_NAME_LEN 32
#define NNP_MAX_REQUESTED 8

struct nnp_counter_req {
	char name[NNP_COUNTER_NAME_LEN];
	int slot;     /* index in the BPF counters[] array, -1 if unavailable */
	char why[96]; /* why unavailable: "n/a (no hardware PMU)" */
};

struct nnp_counters {
	struct nnp_counter_req req[NNP_MAX_REQUESTED];
	int nreq;
	int nslots; /* counters open (<= NNP_MAX_COUNTERS) */
	int ncpu;
	int *fds; /* nslots * ncpu, counter-major, -1 where a CPU is offline */
};

/* The default list: cache-misses,instructions,cycles (n/a without a PMU) */
const char *nnp_counters_default(void);
/* Parses LIST ("a,b,c") into c->req; unknown names or too many: one error
 * line naming them and -EINVAL */
int nnp_counters_parse(struct nnp_counters *c, const char *list);
/* Opens every requested counter on every CPU; hardware ones only when HW_OFF
 * is NULL, else they are n/a for that reason ("no hardware PMU"). 0 (counters
 * that fail are marked unavailable, each with its reason) or -errno */
int nnp_counters_open(struct nnp_counters *c, const char *hw_off);
void nnp_counters_close(struct nnp_counters *c);
/* "instructions" -> true if the name is a known counter */
bool nnp_counter_known(const char *name);
/* true if NAME is a hardware (PMU) counter */
bool nnp_counter_is_hw(const char *name);
/* The I-th hardware counter's name (doctor's order), NULL past the last */
const char *nnp_counter_hw_name(int i);
/* Opens counter NAME for this thread, user space only, and closes it: 0 or
 * -errno (-ENOENT or -EOPNOTSUPP: this PMU has no such event) */
int nnp_counter_try(const char *name);
/* Why an unopenable hardware counter is n/a, from the errno of its open and
 * whether the PMU has other events: "no hardware PMU", "this PMU has no
 * cache-misses event", "perf_event_open: Permission denied" */
void nnp_counter_hw_why(char *buf, size_t len, const char *name, int err, bool pmu_exists);

#endif

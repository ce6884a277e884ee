// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel signals of aligned layers, by name: what each recording key means,
 * its unit, and the derived ones (blocked = off-CPU minus run-queue wait).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "diff_ksig.h"
#include "fmt.h"

static const struct diff_ksig_def defs[DK_NR] = {
	[DK_ONCPU] = { "oncpu_ns", "ON-CPU", "on-CPU time", DIFF_KSIG_NS, DKG_TIME },
	[DK_RUNQ] = { "runq_ns", "RUN-QUEUE", "run-queue wait", DIFF_KSIG_NS, DKG_TIME },
	[DK_BLOCKED] = { "blocked_ns", "BLOCKED", "blocked (off-CPU, not waiting to run)",
			 DIFF_KSIG_NS, DKG_TIME },
	[DK_FAULT] = { "fault_ns", "FAULTS", "page fault handling time", DIFF_KSIG_NS, DKG_TIME },
	[DK_VCSW] = { "vcsw", "VCSW", "voluntary context switches", DIFF_KSIG_COUNT, DKG_EVENTS },
	[DK_IVCSW] = { "ivcsw", "IVCSW", "involuntary context switches (preemptions)",
		       DIFF_KSIG_COUNT, DKG_EVENTS },
	[DK_MINFLT] = { "minflt", "MINFLT", "minor page faults", DIFF_KSIG_COUNT, DKG_EVENTS },
	[DK_MAJFLT] = { "majflt", "MAJFLT", "major page faults", DIFF_KSIG_COUNT, DKG_EVENTS },
	[DK_CMISS] = { "cache_misses", "CMISS", "cache misses", DIFF_KSIG_COUNT, DKG_COUNTERS },
	[DK_INSNS] = { "instructions", "INSNS", "instructions", DIFF_KSIG_COUNT, DKG_COUNTERS },
	[DK_CYCLES] = { "cycles", "CYCLES", "cycles", DIFF_KSIG_COUNT, DKG_COUNTERS },
	[DK_IPC] = { "ipc", "IPC", "instructions per cycle", DIFF_KSIG_RATIO, DKG_COUNTERS },
	[DK_MPKI] = { "mpki", "MPKI", "cache misses per 1000 instructions", DIFF_KSIG_RATIO,
		      DKG_COUNTERS },
};

const struct diff_ksig_def *diff_ksig_def(enum diff_ksig_id id)
{
	return &defs[id];
}

const char *diff_ksig_group_title(enum diff_ksig_group g)
{
	return g == DKG_TIME	 ? "time per call"
	       : g == DKG_EVENTS ? "switches and faults per call"
				 : "hardware counters per call";
}

const char *diff_ksig_unit_str(enum diff_ksig_unit u)
{
	return u == DIFF_KSIG_NS ? "ns" : u == DIFF_KSIG_COUNT ? "count" : "ratio";
}

/* the recording's per-call key: "oncpu_ns_mean"; ratios have no _mean */
static bool raw(const struct diff_row *row, const char *key, bool b, double *v)
{
	char want[64];

	snprintf(want, sizeof(want), "%s%s", key,
		 strcmp(key, "ipc") && strcmp(key, "mpki") ? "_mean" : "");
	for (size_t i = 0; i < row->nkernel; i++) {
		const struct diff_kcmp *k = &row->kernel[i];

		if (strcmp(k->key, want))
			continue;
		if (b ? k->b_null : k->a_null)
			return false;
		*v = b ? k->b : k->a;
		return isfinite(*v);
	}
	return false;
}

bool diff_ksig_value(const struct diff_row *row, enum diff_ksig_id id, bool b, double *v)
{
	double off, runq;

	if (id != DK_BLOCKED)
		return raw(row, defs[id].key, b, v);
	if (!raw(row, "offcpu_ns", b, &off) || !raw(row, "runq_ns", b, &runq))
		return false;
	*v = off > runq ? off - runq : 0;
	return true;
}

bool diff_ksig_collected(const struct diff_result *r, enum diff_ksig_id id)
{
	double v;

	for (size_t i = 0; i < r->n; i++)
		if (diff_ksig_value(&r->rows[i], id, false, &v) ||
		    diff_ksig_value(&r->rows[i], id, true, &v))
			return true;
	return false;
}

bool diff_ksig_ratio(const struct diff_row *row, enum diff_ksig_id id, double *ratio)
{
	double a, b;

	if (!diff_ksig_value(row, id, false, &a) || !diff_ksig_value(row, id, true, &b) || a == 0)
		return false;
	*ratio = b / a;
	return true;
}

void diff_ksig_fmt(char *buf, size_t len, enum diff_ksig_id id, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else if (defs[id].unit == DIFF_KSIG_NS)
		nnp_fmt_duration(buf, len, (uint64_t)llround(v < 0 ? 0 : v));
	else if (defs[id].unit == DIFF_KSIG_COUNT)
		nnp_fmt_count(buf, len, v);
	else
		snprintf(buf, len, "%.2f", v);
}

void diff_ksig_fmt_ratio(char *buf, size_t len, const struct diff_row *row, enum diff_ksig_id id)
{
	double r;

	if (diff_ksig_ratio(row, id, &r))
		snprintf(buf, len, "%.2fx", r);
	else
		snprintf(buf, len, "-");
}

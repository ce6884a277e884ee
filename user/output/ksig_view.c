// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "ksig_view.h"

static struct nnp_ksig_field *field(struct nnp_ksig_field *out, int *n, const char *key,
				    const char *head, bool is_ns)
{
	struct nnp_ksig_field *f = &out[(*n)++];

	memset(f, 0, sizeof(*f));
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->head = head;
	f->is_ns = is_ns;
	f->has_total = true;
	f->available = true;
	return f;
}

static void set(struct nnp_ksig_field *f, uint64_t total, uint64_t calls)
{
	f->total = total;
	f->mean = calls ? (double)total / (double)calls : 0;
}

static void na(struct nnp_ksig_field *f, const char *why)
{
	f->available = false;
	f->why = why;
}

static const char *short_head(const char *name)
{
	static const char *const map[][2] = {
		{ "cycles", "CYCLES" },	       { "instructions", "INSNS" },
		{ "cache-misses", "CMISS" },   { "cache-references", "CREFS" },
		{ "branch-misses", "BMISS" },  { "llc-misses", "LLCMISS" },
		{ "page-faults", "PGFLT" },    { "minor-faults", "MINFLT*" },
		{ "major-faults", "MAJFLT*" }, { "context-switches", "CSW*" },
		{ "cpu-migrations", "MIGR*" }, { "cpu-clock", "CPUCLK" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], name))
			return map[i][1];
	return "CTR";
}

/* counters by name; the index of each one's value, or -1 */
static int counters_view(const struct nnp_counters *c, const struct nnp_ksig_sum *s, uint64_t calls,
			 struct nnp_ksig_field *out, int *n, int *insn, int *cyc, int *miss)
{
	for (int i = 0; c && i < c->nreq && *n < NNP_KSIG_MAX_FIELDS - 2; i++) {
		const struct nnp_counter_req *r = &c->req[i];
		struct nnp_ksig_field *f =
		    field(out, n, r->name, short_head(r->name), !strcmp(r->name, "cpu-clock"));

		for (char *p = f->key; *p; p++)
			*p = *p == '-' ? '_' : *p;
		if (r->slot < 0) {
			na(f, r->why);
			continue;
		}
		set(f, s->counters[r->slot], calls);
		if (!strcmp(r->name, "instructions"))
			*insn = *n - 1;
		else if (!strcmp(r->name, "cycles"))
			*cyc = *n - 1;
		else if (!strcmp(r->name, "cache-misses"))
			*miss = *n - 1;
	}
	return 0;
}

static void ratio(struct nnp_ksig_field *out, int *n, const char *key, const char *head, int num,
		  int den, double scale, const char *why)
{
	struct nnp_ksig_field *f = field(out, n, key, head, false);

	f->has_total = false;
	if (num < 0 || den < 0) {
		na(f, why);
		return;
	}
	f->mean = out[den].total ? scale * (double)out[num].total / (double)out[den].total : 0;
}

int nnp_ksig_view(const struct nnp_rec_kernel *ki, const struct nnp_ksig_sum *s, uint64_t calls,
		  uint64_t wall_ns, struct nnp_ksig_field *out)
{
	bool sched = ki->sched && strcmp(ki->sched, "none");
	bool fault = ki->fault && strcmp(ki->fault, "none");
	int n = 0, insn = -1, cyc = -1, miss = -1;
	struct nnp_ksig_field *f;

	f = field(out, &n, "offcpu_ns", "OFFCPU", true);
	sched ? set(f, s->offcpu_ns, calls) : na(f, "n/a (no scheduler hooks)");
	f = field(out, &n, "oncpu_ns", "ONCPU", true);
	sched ? set(f, wall_ns > s->offcpu_ns ? wall_ns - s->offcpu_ns : 0, calls)
	      : na(f, "n/a (no scheduler hooks)");
	set(field(out, &n, "runq_ns", "RUNQ", true), s->runq_ns, calls);
	/* off-CPU and not waiting to run: sleeping, I/O, locks */
	f = field(out, &n, "blocked_ns", "BLOCKED", true);
	sched ? set(f, s->offcpu_ns > s->runq_ns ? s->offcpu_ns - s->runq_ns : 0, calls)
	      : na(f, "n/a (no scheduler hooks)");
	set(field(out, &n, "vcsw", "VCSW", false), s->vcsw, calls);
	set(field(out, &n, "ivcsw", "IVCSW", false), s->ivcsw, calls);
	set(field(out, &n, "minflt", "MINFLT", false), s->minflt, calls);
	set(field(out, &n, "majflt", "MAJFLT", false), s->majflt, calls);
	set(field(out, &n, "migrations", "MIGR", false), s->migrations, calls);
	f = field(out, &n, "fault_ns", "FAULT", true);
	fault ? set(f, s->fault_ns, calls) : na(f, ki->fault_why ? ki->fault_why : "n/a");
	counters_view(ki->counters, s, calls, out, &n, &insn, &cyc, &miss);
	ratio(out, &n, "ipc", "IPC", insn, cyc, 1.0, "n/a (needs instructions and cycles)");
	ratio(out, &n, "mpki", "MPKI", miss, insn, 1000.0,
	      "n/a (needs cache-misses and instructions)");
	return n;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The budget's measurements: each window's hits priced by site and BPF run
 * time, per layer probe and for the rest, per inference; the part of each
 * inference a sampled probe was measured in.
 */
#include <errno.h>
#include <string.h>

#include "budget_plan.h"
#include "budget_priv.h"

/* a layer's begin or end: its probe is a group the budget may sample */
static bool layer_role(const struct nnp_spec *sp)
{
	return sp->role == NNP_ROLE_LAYER_BEGIN || sp->role == NNP_ROLE_LAYER_END;
}

struct group *budget_group_of(struct nnp_budget *b, uint32_t probe_id)
{
	if (probe_id >= b->ngidx || !b->gidx[probe_id])
		return NULL;
	return &b->g[b->gidx[probe_id] - 1];
}

/* a new group, for PROBE_ID; NULL on allocation failure */
static struct group *add_group(struct nnp_budget *b, uint32_t probe_id, uint64_t now)
{
	struct group *v = realloc(b->g, (b->ng + 1) * sizeof(*v));
	size_t *x;

	if (!v)
		return NULL;
	b->g = v;
	if (probe_id >= b->ngidx) {
		x = realloc(b->gidx, (probe_id + 64) * sizeof(*x));
		if (!x)
			return NULL;
		memset(x + b->ngidx, 0, (probe_id + 64 - b->ngidx) * sizeof(*x));
		b->gidx = x;
		b->ngidx = probe_id + 64;
	}
	b->gidx[probe_id] = ++b->ng;
	v[b->ng - 1] = (struct group){ .probe_id = probe_id,
				       .first_ns = now,
				       .on_since = now,
				       .arm_start = now,
				       .armed = true };
	return &v[b->ng - 1];
}

/* specs added since the last look: their layer probes become groups,
 * attached; 1 when there were some, 0 or -ENOMEM */
int budget_grow(struct nnp_budget *b, uint64_t now)
{
	uint32_t n = nnp_session_nspecs(b->s);
	uint64_t *h, *ph;

	if (n <= b->nspecs)
		return 0;
	h = realloc(b->hits, n * sizeof(*h));
	if (h)
		b->hits = h;
	ph = realloc(b->prev_hits, n * sizeof(*ph));
	if (ph)
		b->prev_hits = ph;
	if (!h || !ph)
		return -ENOMEM;
	/* hits before now belong to no window */
	if (nnp_session_spec_hits(b->s, b->hits, n))
		memset(b->hits, 0, n * sizeof(*b->hits));
	for (uint32_t i = b->nspecs; i < n; i++) {
		const struct nnp_spec *sp = nnp_session_spec(b->s, i);

		b->prev_hits[i] = b->hits[i];
		if (!layer_role(sp))
			continue;
		if (!budget_group_of(b, sp->probe_id) && !add_group(b, sp->probe_id, now))
			return -ENOMEM;
	}
	b->nspecs = n;
	return 1;
}

static int add_prog(void *ctx, const char *prog, uint64_t run_ns, uint64_t run_cnt)
{
	struct run_sum *r = ctx;
	int k = !strncmp(prog, "nnp_uprobe", 10) || !strcmp(prog, "nnp_usdt") ? 0
		: strstr(prog, "switch")				      ? 1
		: strstr(prog, "fault")					      ? 2
									      : -1;

	if (k >= 0) {
		r->ns[k] += run_ns;
		r->cnt[k] += run_cnt;
	}
	return 0;
}

/* what one run of kind K took in this window, or KEEP */
static double per_run(const struct run_sum *now, const struct run_sum *prev, int k, double keep,
		      bool *measured)
{
	uint64_t cnt = now->cnt[k] - prev->cnt[k], ns = now->ns[k] - prev->ns[k];

	if (!cnt || !ns)
		return keep;
	*measured = true;
	return (double)ns / (double)cnt;
}

/* BPF run time of the window per uprobe hit and per hook run (while the
 * kernel's statistics count: the first window) */
static void measure_bpf(struct nnp_budget *b)
{
	struct run_sum r = { 0 };
	bool hooks = false;

	if (nnp_session_prog_stats(b->s, add_prog, &r))
		return;
	b->bpf_ns_per_hit = per_run(&r, &b->prev_run, 0, b->bpf_ns_per_hit, &b->bpf_measured);
	b->switch_ns = per_run(&r, &b->prev_run, 1, b->switch_ns, &hooks);
	b->fault_ns = per_run(&r, &b->prev_run, 2, b->fault_ns, &hooks);
	b->prev_run = r;
}

struct totals budget_infer_totals(const struct nnp_agg *a)
{
	struct totals t = { 0 };

	for (const struct nnp_proc_stats *p = a->procs; p; p = p->hh.next) {
		t.n += p->infer.count;
		t.ns += p->infer.sum;
		t.switches += p->infer_k.vcsw + p->infer_k.ivcsw;
		t.faults += p->infer_k.minflt + p->infer_k.majflt;
	}
	return t;
}

void budget_layer_sums(struct nnp_budget *b)
{
	for (size_t i = 0; i < b->ng; i++)
		b->g[i].layer_now = 0;
	for (const struct nnp_proc_stats *p = b->a->procs; p; p = p->hh.next) {
		for (const struct nnp_layer_stats *l = p->layers; l; l = l->hh.next) {
			struct group *g = budget_group_of(b, l->id.probe_id);

			if (g)
				g->layer_now += l->hist.sum;
		}
	}
}

/* measured time up to NOW is counted */
void budget_settle(struct group *g, uint64_t now)
{
	if (!g->armed)
		return;
	g->on_ns += now - g->on_since;
	g->win_on_ns += now - g->on_since;
	g->on_since = now;
}

/* this window's hits and run time: what each group and the rest added */
static double price_hits(struct nnp_budget *b, double *hits)
{
	double fixed = 0;

	*hits = 0;
	for (uint32_t i = 0; i < b->nspecs; i++) {
		const struct nnp_spec *sp = nnp_session_spec(b->s, i);
		uint64_t dh = b->hits[i] - b->prev_hits[i];
		double c = (double)dh *
			   (nnp_budget_hit_ns(nnp_session_spec_cost(b->s, i)) + b->bpf_ns_per_hit);
		struct group *g = NULL;

		b->prev_hits[i] = b->hits[i];
		*hits += (double)dh;
		if (layer_role(sp))
			g = budget_group_of(b, sp->probe_id);
		if (g)
			g->win_cost += c;
		else
			fixed += c;
	}
	return fixed;
}

/*
 * Each group per inference as if every call were measured: its cost from a
 * window it was attached all through (a sampled one's hits go on for a while
 * after its detach, so they tell its rate nothing), its layers' time from the
 * calls measured over the part of the window it was measured. Returns what
 * the groups added in this window per inference.
 */
static double price_groups(struct nnp_budget *b, uint64_t now, uint64_t infers, double *full)
{
	double cur = 0;

	*full = 0;
	for (size_t i = 0; i < b->ng; i++) {
		struct group *g = &b->g[i];
		uint64_t start = g->first_ns > b->win_start ? g->first_ns : b->win_start;
		uint64_t lns = g->layer_now;
		double frac = now > start ? (double)g->win_on_ns / (double)(now - start) : 0;

		if (!(g->sampled && b->shift) && g->first_ns <= b->win_start)
			g->cost = g->win_cost / (double)infers;
		else if (!g->cost && frac > 0.01)
			g->cost = g->win_cost / frac / (double)infers;
		if (frac > 0.01)
			g->layer = (double)(lns - g->prev_layer_ns) / frac / (double)infers;
		g->prev_layer_ns = lns;
		cur += g->win_cost / (double)infers;
		*full += g->cost;
		g->win_cost = 0;
		g->win_on_ns = 0;
	}
	return cur;
}

/*
 * The window since win_start ends: false (and the window goes on) while no
 * inference finished in it. Fills the report's estimates.
 */
int budget_measure(struct nnp_budget *b, uint64_t now, bool *ok)
{
	double hits, fixed, cur, full, base, own, di;
	struct totals t = budget_infer_totals(b->a);
	int err = budget_grow(b, now) < 0 ? -ENOMEM : 0;

	*ok = !err && t.n > b->prev.n;
	if (!*ok)
		return err;
	for (size_t i = 0; i < b->ng; i++)
		budget_settle(&b->g[i], now);
	err = nnp_session_spec_hits(b->s, b->hits, b->nspecs);
	if (err)
		return err;
	measure_bpf(b);
	di = (double)(t.n - b->prev.n);
	/* the hooks slow an inference by their runs in its own switches (out and
	 * in) and faults (entry and return) */
	fixed = price_hits(b, &hits) / di +
		(double)(t.switches - b->prev.switches) / di * 2 * b->switch_ns +
		(double)(t.faults - b->prev.faults) / di * 2 * b->fault_ns;
	budget_layer_sums(b);
	cur = price_groups(b, now, t.n - b->prev.n, &full) + fixed;
	full += fixed;
	own = (double)(t.ns - b->prev.ns) / di;
	base = own - cur > own / 100 ? own - cur : own / 100;
	b->prev = t;
	b->win_start = now;
	b->full = full;
	b->fixed = fixed;
	b->base = base;
	b->acc_cost += cur * di;
	b->acc_time += own * di;
	b->acc_n += di;
	b->fresh = true;
	b->rep.estimated = true;
	b->rep.bpf_ns_per_hit = b->bpf_ns_per_hit;
	b->rep.bpf_measured = b->bpf_measured;
	if (b->phase == PH_FIRST)
		b->rep.hits = hits / di;
	return 0;
}

/* what the probes added since the plan, over the target's own time then */
double budget_acc_pct(const struct nnp_budget *b)
{
	double own = b->acc_time - b->acc_cost;

	return 100 * b->acc_cost / (own > b->acc_time / 100 ? own : b->acc_time / 100);
}

static uint64_t overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	uint64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

void nnp_budget_infer(struct nnp_budget *b, uint64_t start_ns, uint64_t end_ns)
{
	for (size_t i = 0; i < b->ng; i++) {
		struct group *g = &b->g[i];
		uint64_t s = start_ns > g->first_ns ? start_ns : g->first_ns, on = 0;
		unsigned k0 = g->niv > NIV ? g->niv - NIV : 0;

		if (end_ns <= s)
			continue;
		for (unsigned k = k0; k < g->niv; k++)
			on += overlap(s, end_ns, g->iv_on[k % NIV], g->iv_off[k % NIV]);
		if (g->armed)
			on += overlap(s, end_ns, g->arm_start, UINT64_MAX);
		g->infers += 1;
		g->infers_on += (double)on / (double)(end_ns - s);
	}
}

/* the first window starts again when probes were added in it (a library the
 * target loaded late): what it measures is the target running with all of them */
void budget_restart_first(struct nnp_budget *b, uint64_t now)
{
	struct run_sum r = { 0 };

	memcpy(b->prev_hits, b->hits, b->nspecs * sizeof(*b->hits));
	if (!nnp_session_prog_stats(b->s, add_prog, &r))
		b->prev_run = r;
	b->prev = budget_infer_totals(b->a);
	budget_layer_sums(b);
	for (size_t i = 0; i < b->ng; i++) {
		b->g[i].win_cost = 0;
		b->g[i].win_on_ns = 0;
		b->g[i].prev_layer_ns = b->g[i].layer_now;
	}
	b->win_start = now;
}

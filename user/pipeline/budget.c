// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The budget's loop (budget.h): a first window with every probe attached,
 * then periods in which the sampled probes are attached for their part and
 * detached for the rest. Each window ends in a measurement; the plan is made
 * again when the estimate leaves the band around the budget.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "budget_plan.h"
#include "budget_priv.h"
#include "clock.h"
#include "log.h"

static int session_toggle(void *ctx, const uint32_t *ids, size_t n, enum nnp_link_part part,
			  bool on)
{
	return nnp_session_toggle(ctx, ids, n, part, on);
}

int nnp_budget_new(struct nnp_session *s, struct nnp_agg *a, double pct, uint64_t now_ns,
		   nnp_budget_toggle_fn toggle, void *ctx, struct nnp_budget **out)
{
	struct nnp_budget *b;

	if (!(pct > 0 && pct <= 1000))
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->s = s;
	b->a = a;
	b->pct = pct;
	b->toggle = toggle ? toggle : session_toggle;
	b->toggle_ctx = toggle ? ctx : s;
	b->win_start = now_ns;
	b->bpf_ns_per_hit = NNP_BUDGET_BPF_NS;
	b->switch_ns = b->fault_ns = NNP_BUDGET_HOOK_NS;
	b->rep.duty = 1;
	b->rep.reachable = true;
	/* run time per program, for the first window; -1: the cost is assumed */
	b->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (b->stats_fd < 0)
		nnp_info(
		    "overhead budget: no kernel BPF statistics (%s): %.0f ns of BPF a hit assumed",
		    strerror(errno), NNP_BUDGET_BPF_NS);
	*out = b;
	return budget_grow(b, now_ns) < 0 ? -ENOMEM : 0;
}

static double rate_of(int shift)
{
	return shift > 0 ? ldexp(1.0, -shift) : shift < 0 ? 0 : 1;
}

static size_t nhit(const struct nnp_budget *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->ng; i++)
		n += b->g[i].cost > 0;
	return n;
}

/* -v: the plan; out of reach: a warning, once */
static void say_plan(struct nnp_budget *b)
{
	if (!b->rep.reachable) {
		if (!b->warned++)
			nnp_warn("overhead budget %.2f%% out of reach: what is never sampled "
				 "(inference probes, scheduler and fault hooks) adds %.2f%% by "
				 "itself; layer probes measured 1/%d of the time",
				 b->pct, 100 * b->fixed / b->base, 1 << NNP_BUDGET_MAX_SHIFT);
	} else if (!b->shift) {
		nnp_info("overhead budget %.2f%%: estimated %.2f%% (%.1f us per inference): "
			 "every probe stays",
			 b->pct, b->rep.full_pct, b->full / 1e3);
	} else if (b->shift > 0) {
		nnp_info("overhead budget %.2f%%: estimated %.2f%% with every probe; %zu of %zu "
			 "layer probes hit measured 1/%.0f of the time: about %.2f%%",
			 b->pct, b->rep.full_pct, b->nids, nhit(b), 1 / b->rep.duty,
			 b->rep.planned_pct);
	} else {
		nnp_info("overhead budget %.2f%%: estimated %.2f%% with every probe; %zu of %zu "
			 "layer probes hit detached: about %.2f%%",
			 b->pct, b->rep.full_pct, b->nids, nhit(b), b->rep.planned_pct);
	}
}

/* which groups to sample, at which rate, from the last window's prices; a
 * group whose probes were not hit costs nothing and is left alone */
static int plan(struct nnp_budget *b)
{
	struct nnp_budget_cand *c = calloc(b->ng ? b->ng : 1, sizeof(*c));
	size_t *of = calloc(b->ng ? b->ng : 1, sizeof(*of)), nc = 0;
	uint32_t *ids = realloc(b->ids, (b->ng ? b->ng : 1) * sizeof(*ids));
	double est = b->fixed;
	int err = c && ids && of ? 0 : -ENOMEM;

	if (ids)
		b->ids = ids;
	for (size_t i = 0; i < b->ng && !err; i++) {
		b->g[i].sampled = false;
		if (b->g[i].cost <= 0)
			continue;
		of[nc] = i;
		c[nc++] =
		    (struct nnp_budget_cand){ .cost_ns = b->g[i].cost, .layer_ns = b->g[i].layer };
	}
	if (!err)
		err = nnp_budget_plan(c, nc, b->fixed, b->pct / 100 * b->base, &b->shift);
	b->nids = 0;
	for (size_t k = 0; k < nc && !err; k++) {
		struct group *g = &b->g[of[k]];

		g->sampled = b->shift && c[k].sampled;
		if (g->sampled)
			b->ids[b->nids++] = g->probe_id;
		est += g->cost * (g->sampled ? rate_of(b->shift) : 1);
	}
	free(of);
	free(c);
	if (err)
		return err;
	b->planned = true;
	b->acc_cost = b->acc_time = b->acc_n = 0;
	b->rep.duty = rate_of(b->shift);
	b->rep.full_ns = b->full;
	b->rep.full_pct = 100 * b->full / b->base;
	b->rep.fixed_ns = b->fixed;
	b->rep.base_ns = b->base;
	b->rep.planned_pct = 100 * est / b->base;
	b->rep.reachable = b->fixed <= b->pct / 100 * b->base;
	say_plan(b);
	return 0;
}

/* the sampled groups' begins measure (ON) or not from now on */
static int arm(struct nnp_budget *b, bool on)
{
	int err = nnp_session_gate(b->s, b->ids, b->nids, !on);
	uint64_t now = nnp_mono_ns();

	for (size_t i = 0; i < b->ng && !err; i++) {
		struct group *g = &b->g[i];

		if (!g->sampled || g->armed == on)
			continue;
		budget_settle(g, now);
		if (!on) {
			g->iv_on[g->niv % NIV] = g->arm_start;
			g->iv_off[g->niv % NIV] = now;
			g->niv++;
		}
		g->armed = on;
		g->on_since = now;
		g->arm_start = now;
	}
	if (err)
		nnp_warn("overhead budget: failed to %sgate %zu layer probes: %s", on ? "un" : "",
			 b->nids, strerror(-err));
	else if (nnp_log_verbose() > 1)
		nnp_info("overhead budget: %zu probes %smeasured from %.6f s", b->nids,
			 on ? "" : "not ", (double)now / 1e9);
	return err;
}

static int toggle(struct nnp_budget *b, enum nnp_link_part part, bool on)
{
	int err = b->toggle(b->toggle_ctx, b->ids, b->nids, part, on);

	if (nnp_log_verbose() > 1)
		nnp_info("overhead budget: %s %s of %zu probes at %.3f s",
			 on ? "attached" : "detached", part == NNP_LINKS_ENDS ? "ends" : "begins",
			 b->nids, (double)nnp_mono_ns() / 1e9);
	if (err && err != -ESRCH) /* not when the target is gone */
		nnp_warn("overhead budget: failed to %s %zu layer probes: %s",
			 on ? "attach again" : "detach", b->nids, strerror(-err));
	return err;
}

/*
 * The periods' lengths vary (2 s to 2.5 s, by the golden ratio's low-discrepancy
 * sequence): with a fixed period the measured part would begin at the same point
 * of the inferences period after period when an inference divides it, and measure
 * some layers more often than others. Deterministic: one run plans as the next.
 */
static uint64_t period_ns(unsigned int k)
{
	double x = (double)k * 0.6180339887498949;

	return PERIOD_NS + (uint64_t)((double)(PERIOD_NS / 4) * (x - floor(x)));
}

/* a period begins: the sampled groups attached (ends first), unless detached for good */
static int start_period(struct nnp_budget *b, uint64_t now)
{
	int err = 0;

	b->period_end = now + period_ns(b->nperiods++);
	b->phase_end = b->period_end;
	b->phase = PH_OFF;
	if (!b->shift)
		return 0;
	if (b->shift > 0) {
		err = toggle(b, NNP_LINKS_ENDS, true);
		if (!err)
			err = toggle(b, NNP_LINKS_BEGINS, true);
		/* attaching waited for earlier releases: the part counts from here */
		if (!err)
			err = arm(b, true);
		now = nnp_mono_ns();
	}
	b->phase = PH_ON;
	b->phase_end = now + (b->shift > 0 ? PERIOD_NS >> b->shift : 0);
	return err;
}

/* the estimate left the band around the budget: plan again */
static bool off_band(const struct nnp_budget *b)
{
	double pct = budget_acc_pct(b);

	/* out of reach, every layer probe at the lowest rate: a new plan would be the same */
	if (!b->rep.reachable && b->shift == NNP_BUDGET_MAX_SHIFT)
		return pct < b->pct * 0.5;
	return pct > b->pct * 1.25 || (b->shift && pct < b->pct * 0.5);
}

static int end_first(struct nnp_budget *b, uint64_t now)
{
	bool ok;
	int err;

	if (now - b->win_start < FIRST_LONG_NS &&
	    budget_infer_totals(b->a).n - b->prev.n < FIRST_INFERS)
		return 0;
	err = budget_measure(b, now, &ok);

	if (err || (!ok && now - b->win_start < FIRST_MAX_NS))
		return err;
	if (b->stats_fd >= 0) /* the run time per hit is known: stop paying for its clock */
		close(b->stats_fd);
	b->stats_fd = -1;
	err = ok ? plan(b) : 0;
	if (!ok)
		nnp_info("overhead budget: no inference in %llu s: every probe stays",
			 (unsigned long long)(FIRST_MAX_NS / 1000000000ull));
	return err ? err : start_period(b, now);
}

static int end_period(struct nnp_budget *b, uint64_t now)
{
	bool ok;
	int err = budget_measure(b, now, &ok);

	if (err || !ok || !off_band(b))
		return err ? err : start_period(b, now);
	/* every group attached again first: one the new plan leaves out stays so */
	if (b->shift && !(err = toggle(b, NNP_LINKS_ENDS, true)))
		err = toggle(b, NNP_LINKS_BEGINS, true);
	if (!err)
		err = arm(b, true);
	if (!err)
		err = plan(b);
	return err ? err : start_period(b, now);
}

int nnp_budget_next_ms(const struct nnp_budget *b, uint64_t now)
{
	uint64_t end = b->phase == PH_FIRST ? b->win_start + FIRST_NS : b->phase_end;

	return end <= now ? 0 : (int)((end - now + NS_PER_MS - 1) / NS_PER_MS);
}

int nnp_budget_tick(struct nnp_budget *b, uint64_t now)
{
	int err = budget_grow(b, now);

	if (err < 0)
		return err;
	if (err && b->phase == PH_FIRST)
		budget_restart_first(b, now);
	switch (b->phase) {
	case PH_FIRST:
		return now - b->win_start < FIRST_NS ? 0 : end_first(b, now);
	case PH_ON:
		if (now < b->phase_end)
			return 0;
		err = arm(b, false);
		b->phase = PH_BEGINS_OFF;
		b->phase_end = now + ENDS_GAP_NS;
		return err ? err : toggle(b, NNP_LINKS_BEGINS, false);
	case PH_BEGINS_OFF:
		if (now < b->phase_end)
			return 0;
		b->phase = PH_OFF;
		b->phase_end = b->period_end;
		return toggle(b, NNP_LINKS_ENDS, false);
	case PH_OFF:
		if (now < b->phase_end)
			return 0;
		err = end_period(b, now);
		return err;
	}
	return 0;
}

static int set_scale(struct nnp_agg *a, uint32_t probe_id, double scale)
{
	const struct nnp_probe_info *pi = nnp_agg_probe(a, probe_id);

	if (!pi)
		return -ENOENT;
	((struct nnp_probe_info *)pi)->scale = scale;
	return 0;
}

/* each probe's scale in the aggregator, and the report */
static void report(struct nnp_budget *b, uint64_t now, struct nnp_rec_overhead *out)
{
	budget_layer_sums(b);
	free(b->rs);
	b->rs = calloc(b->ng ? b->ng : 1, sizeof(*b->rs));
	b->rep.nsampled = 0;
	for (size_t i = 0; i < b->ng && b->rs; i++) {
		struct group *g = &b->g[i];
		double frac;

		budget_settle(g, now);
		/* the mean part of an inference it was measured in (nnperf's own work
		 * while it attaches slows the target, so time would weigh the parts
		 * unevenly); without inference events the part of the recording's time */
		if (g->infers > 0)
			frac = g->infers_on / g->infers;
		else
			frac =
			    now > g->first_ns ? (double)g->on_ns / (double)(now - g->first_ns) : 1;
		if (frac >= 0.999 || frac <= 0 || !g->layer_now) {
			set_scale(b->a, g->probe_id, 1);
			continue; /* measured all through, or no layer of it ran */
		}
		set_scale(b->a, g->probe_id, 1 / frac);
		b->rs[b->rep.nsampled++] = (struct nnp_rec_sampled){ .probe_id = g->probe_id,
								     .fraction = frac,
								     .cost_ns = g->cost };
	}
	b->rep.budget_pct = b->pct;
	b->rep.sampled = b->rs;
	if (!b->planned) { /* it ended in the first window: every probe attached */
		b->rep.full_ns = b->full;
		b->rep.full_pct = b->base > 0 ? 100 * b->full / b->base : 0;
		b->rep.fixed_ns = b->fixed;
		b->rep.base_ns = b->base;
		b->rep.planned_pct = b->rep.full_pct;
	}
	b->rep.est_ns = b->acc_n ? b->acc_cost / b->acc_n : b->full;
	b->rep.est_pct = b->acc_n ? budget_acc_pct(b) : b->rep.planned_pct;
	*out = b->rep;
}

void nnp_budget_finish(struct nnp_budget *b, uint64_t now, struct nnp_rec_overhead *out)
{
	bool ok;

	/* the last window, however short */
	budget_measure(b, now, &ok);
	report(b, now, out);
}

bool nnp_budget_publish(struct nnp_budget *b, struct nnp_rec_overhead *out)
{
	if (!b->fresh)
		return false;
	b->fresh = false;
	report(b, nnp_mono_ns(), out);
	return true;
}

void nnp_budget_free(struct nnp_budget *b)
{
	if (!b)
		return;
	if (b->stats_fd >= 0)
		close(b->stats_fd);
	free(b->hits);
	free(b->prev_hits);
	free(b->g);
	free(b->gidx);
	free(b->ids);
	free(b->rs);
	free(b);
}

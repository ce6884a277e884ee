// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "prom_metrics.h"

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#define HIST_SERIES (NNP_PROM_NBOUNDS + 3)
#define PROC_LABELS 4
#define LAYER_LABELS 7 /* at most: pid comm runtime model layer op group */

/*
 * Per-layer counters: one row per aggregator field (kernel signals go here).
 * Consecutive rows with the same name are one family told apart by an extra
 * label: {"nnperf_layer_page_faults", ..., "kind", "minor", ...}.
 */
/* what a row needs collected; rows whose signal was not collected are left
 * out of the page (no series rather than a made-up 0) */
enum need { ALWAYS, KERNEL, SCHED, FAULT };

struct layer_desc {
	enum need need;
	const char *name;
	const char *unit;
	const char *help;
	const char *xlabel, *xvalue; /* extra label, or NULL */
	bool ns;		     /* value in nanoseconds, written in seconds */
	uint64_t (*get)(const struct nnp_layer_stats *l);
};

static uint64_t layer_self_ns(const struct nnp_layer_stats *l)
{
	return l->self_ns;
}

#define KSIG_GET(field)                                                                            \
	static uint64_t layer_##field(const struct nnp_layer_stats *l)                             \
	{                                                                                          \
		return l->k.field;                                                                 \
	}
KSIG_GET(offcpu_ns)
KSIG_GET(runq_ns)
KSIG_GET(fault_ns)
KSIG_GET(vcsw)
KSIG_GET(ivcsw)
KSIG_GET(minflt)
KSIG_GET(majflt)
KSIG_GET(migrations)

static const struct layer_desc layer_descs[] = {
	{ ALWAYS, "nnperf_layer_self_seconds", "seconds",
	  "Time inside the layer minus the time in probed layers nested in it.", NULL, NULL, true,
	  layer_self_ns },
	{ SCHED, "nnperf_layer_off_cpu_seconds", "seconds",
	  "Time the layer's thread was switched out (sleeping, blocked or preempted).", NULL, NULL,
	  true, layer_offcpu_ns },
	{ KERNEL, "nnperf_layer_run_queue_seconds", "seconds",
	  "Time the layer's thread was runnable but waiting for a CPU.", NULL, NULL, true,
	  layer_runq_ns },
	{ KERNEL, "nnperf_layer_context_switches", NULL, "Context switches during the layer.",
	  "kind", "voluntary", false, layer_vcsw },
	{ KERNEL, "nnperf_layer_context_switches", NULL, "Context switches during the layer.",
	  "kind", "involuntary", false, layer_ivcsw },
	{ KERNEL, "nnperf_layer_page_faults", NULL, "Page faults during the layer.", "kind",
	  "minor", false, layer_minflt },
	{ KERNEL, "nnperf_layer_page_faults", NULL, "Page faults during the layer.", "kind",
	  "major", false, layer_majflt },
	{ KERNEL, "nnperf_layer_migrations", NULL, "Moves of the layer's thread to another CPU.",
	  NULL, NULL, false, layer_migrations },
	{ FAULT, "nnperf_layer_fault_handling_seconds", "seconds",
	  "Time in the kernel's page fault handler during the layer.", NULL, NULL, true,
	  layer_fault_ns },
};

static bool collected(enum need need, const struct nnp_rec_kernel *k)
{
	switch (need) {
	case ALWAYS:
		return true;
	case KERNEL:
		return k;
	case SCHED:
		return k && k->sched && strcmp(k->sched, "none");
	case FAULT:
		return k && k->fault && strcmp(k->fault, "none");
	}
	return false;
}

/* nnperf's own counters that are plain numbers */
struct self_desc {
	const char *name;
	const char *help;
	size_t off; /* into struct nnp_self_stats, or bpf[] index when bpf is set */
	bool bpf;
};

#define SELF(f) offsetof(struct nnp_self_stats, f)
static const struct self_desc self_counters[] = {
	{ "nnperf_events_lost", "Events dropped in the kernel because the ring buffer was full.",
	  NNP_STAT_LOST, true },
	{ "nnperf_probe_hits", "Runs of nnperf's probe programs.", NNP_STAT_HITS, true },
	{ "nnperf_unmatched_ends", "Layer or inference ends that had no matching begin.",
	  NNP_STAT_UNMATCHED, true },
	{ "nnperf_nesting_overflows", "Layer begins nested deeper than nnperf tracks.",
	  NNP_STAT_OVERFLOW, true },
	{ "nnperf_fetch_errors", "Reads of a layer key or name from the target that failed.",
	  NNP_STAT_FETCH_ERR, true },
	{ "nnperf_switch_resyncs",
	  "Times a tracked thread ran with no sched_switch event showing it switched in; "
	  "its counters and off-CPU time were resynchronised.",
	  NNP_STAT_MISSED_SWITCH, true },
	{ "nnperf_attaches", "Processes attached since nnperf started.", SELF(attaches), false },
	{ "nnperf_attach_failures", "Processes nnperf failed to attach to.", SELF(attach_failures),
	  false },
};

/*
 * A process of the page, as it was when the page began: the page is written
 * in steps with the aggregator's lock released between them, so a step finds
 * processes and layers again by their ids (one gone since is left out) and
 * never keeps a pointer into the aggregator.
 */
struct page_proc {
	uint32_t tgid;
	char pid[16];
	char comm[sizeof(((struct nnp_proc_stats *)0)->comm)];
	char *runtime, *model;
	struct nnp_layer_key *layers; /* admitted, first-seen order */
	size_t nlayers;
	bool admitted; /* its series fit in the budget */
};

/* what the page writes, in order; per layer from K_HIST to K_SELF */
enum {
	K_INFER,
	K_HIST,
	K_DESC,
	K_PERF = K_DESC + ARRAY_SIZE(layer_descs),
	K_SAMPLED = K_PERF + NNP_MAX_REQUESTED, /* --overhead-budget: the part measured */
	K_SELF,
	K_END
};

struct nnp_prom_gen {
	struct nnp_prom_writer w;
	struct page_proc *v;
	size_t n;
	int err;	   /* from choosing the series: the page lacks some */
	unsigned int kind; /* K_* */
	bool in_kind;	   /* its family header is written */
	size_t i, k;	   /* next process and layer of the kind */
	const char *last;  /* family of the last layer counter written */
	bool perf_family;  /* nnperf_layer_perf_events header written */
};

static int cmp_tgid(const void *x, const void *y)
{
	const struct page_proc *a = x, *b = y;

	return a->tgid < b->tgid ? -1 : a->tgid > b->tgid;
}

static void proc_labels(const struct page_proc *pp, struct nnp_prom_label *l)
{
	l[0] = (struct nnp_prom_label){ "pid", pp->pid };
	l[1] = (struct nnp_prom_label){ "comm", pp->comm };
	l[2] = (struct nnp_prom_label){ "runtime", pp->runtime ? pp->runtime : "" };
	l[3] = (struct nnp_prom_label){ "model", pp->model ? pp->model : "" };
}

/* a layer's labels into l, its group (--group-by) into group; returns how many */
static size_t layer_labels(enum nnp_group_by by, const struct page_proc *pp,
			   const struct nnp_layer_stats *ls, struct nnp_prom_label *l,
			   char (*group)[NNP_GROUP_LEN])
{
	proc_labels(pp, l);
	l[4] = (struct nnp_prom_label){ "layer", ls->name };
	l[5] = (struct nnp_prom_label){ "op", ls->op };
	if (by == NNP_GROUP_NONE || nnp_group_of(by, ls->name, ls->op, *group, sizeof(*group)) < 0)
		return 6;
	l[6] = (struct nnp_prom_label){ "group", *group };
	return 7;
}

static const struct nnp_proc_stats *find_proc(const struct nnp_agg *a, uint32_t tgid)
{
	struct nnp_proc_stats *p;

	HASH_FIND(hh, a->procs, &tgid, sizeof(tgid), p);
	return p;
}

static const struct nnp_layer_stats *find_layer(const struct nnp_proc_stats *p,
						const struct nnp_layer_key *id)
{
	struct nnp_layer_stats *l;

	HASH_FIND(hh, p->layers, id, sizeof(*id), l);
	return l;
}

/* series one layer takes on a page (with a budget, one more at most) */
static size_t layer_series(const struct nnp_rec_kernel *k, bool budget)
{
	size_t n = HIST_SERIES + budget;

	for (size_t d = 0; d < ARRAY_SIZE(layer_descs); d++)
		n += collected(layer_descs[d].need, k);
	for (int r = 0; k && k->counters && r < k->counters->nreq; r++)
		n += k->counters->req[r].slot >= 0;
	return n;
}

/* Which layers fit in the series budget: whole layers only, in first-seen order. */
static int admit_layers(struct nnp_prom_writer *w, struct page_proc *pp,
			const struct nnp_proc_stats *p, size_t cost)
{
	struct nnp_layer_stats **all;
	size_t n;
	int err = nnp_agg_sorted_layers(p, &all, &n);

	if (err)
		return err;
	pp->layers = calloc(n ? n : 1, sizeof(*pp->layers));
	for (size_t i = 0; pp->layers && i < n; i++)
		if (nnp_prom_reserve(w, cost))
			pp->layers[pp->nlayers++] = all[i]->id;
	free(all);
	return pp->layers ? 0 : -ENOMEM;
}

static int copy_labels(struct page_proc *pp, const struct nnp_proc_labels *pl)
{
	pp->runtime = pl->runtime ? strdup(pl->runtime) : NULL;
	pp->model = pl->model ? strdup(pl->model) : NULL;
	return (pl->runtime && !pp->runtime) || (pl->model && !pp->model) ? -ENOMEM : 0;
}

static int collect(struct nnp_prom_gen *g, const struct nnp_prom_page *pg)
{
	size_t cap = HASH_COUNT(pg->agg->procs),
	       cost = layer_series(pg->self->kernel, pg->overhead);
	struct nnp_proc_labels pl;
	int err = 0;

	g->v = calloc(cap ? cap : 1, sizeof(*g->v));
	if (!g->v)
		return -ENOMEM;
	for (const struct nnp_proc_stats *p = pg->agg->procs; p && !err; p = p->hh.next) {
		pl = (struct nnp_proc_labels){ 0 };
		if (pg->labels && !pg->labels(pg->labels_ctx, p->tgid, &pl))
			continue;
		g->v[g->n] = (struct page_proc){ .tgid = p->tgid };
		snprintf(g->v[g->n].pid, sizeof(g->v[g->n].pid), "%u", p->tgid);
		memcpy(g->v[g->n].comm, p->comm, sizeof(g->v[g->n].comm));
		err = copy_labels(&g->v[g->n++], &pl);
	}
	qsort(g->v, g->n, sizeof(*g->v), cmp_tgid);
	for (size_t i = 0; i < g->n && !err; i++) {
		const struct nnp_proc_stats *p = find_proc(pg->agg, g->v[i].tgid);

		/* a process that does not fit loses its layers too */
		g->v[i].admitted = nnp_prom_reserve(&g->w, HIST_SERIES);
		if (g->v[i].admitted)
			err = admit_layers(&g->w, &g->v[i], p, cost);
		else
			g->w.dropped += HASH_COUNT(p->layers) * cost;
	}
	return err;
}

static void write_infer(struct nnp_prom_gen *g, const struct nnp_prom_page *pg)
{
	struct nnp_prom_label l[PROC_LABELS];
	const struct nnp_proc_stats *p;

	nnp_prom_family(&g->w, "nnperf_inference_duration_seconds", NNP_PROM_HISTOGRAM, "seconds",
			"Duration of each inference (outermost begin to end on one thread).");
	for (size_t i = 0; i < g->n; i++) {
		p = g->v[i].admitted ? find_proc(pg->agg, g->v[i].tgid) : NULL;
		if (!p)
			continue;
		proc_labels(&g->v[i], l);
		nnp_prom_histogram(&g->w, "nnperf_inference_duration_seconds", l, PROC_LABELS,
				   &p->infer);
	}
}

static const struct nnp_counters *counters_of(const struct nnp_prom_page *pg)
{
	return pg->self->kernel ? pg->self->kernel->counters : NULL;
}

/* whether the page has series of this kind; writes its family header if so */
static bool kind_header(struct nnp_prom_gen *g, const struct nnp_prom_page *pg)
{
	const struct nnp_counters *c = counters_of(pg);
	const struct layer_desc *ld;

	if (g->kind == K_HIST) {
		nnp_prom_family(
		    &g->w, "nnperf_layer_duration_seconds", NNP_PROM_HISTOGRAM, "seconds",
		    "Duration of each execution of a layer, nested probed layers included.");
		return true;
	}
	if (g->kind == K_SAMPLED) {
		if (!pg->overhead)
			return false;
		nnp_prom_family(
		    &g->w, "nnperf_layer_measured_fraction", NNP_PROM_GAUGE, NULL,
		    "--overhead-budget: the mean part of an inference this layer's probe "
		    "was measured in (only layers sampled); its other series count the "
		    "calls measured: divide them by it for all calls.");
		return true;
	}
	if (g->kind < K_PERF) {
		ld = &layer_descs[g->kind - K_DESC];
		if (!collected(ld->need, pg->self->kernel))
			return false;
		if (!g->last || strcmp(g->last, ld->name))
			nnp_prom_family(&g->w, ld->name, NNP_PROM_COUNTER, ld->unit, ld->help);
		g->last = ld->name;
		return true;
	}
	if (!c || (int)(g->kind - K_PERF) >= c->nreq || c->req[g->kind - K_PERF].slot < 0)
		return false;
	if (!g->perf_family)
		nnp_prom_family(&g->w, "nnperf_layer_perf_events", NNP_PROM_COUNTER, NULL,
				"Perf counter events on the layer's thread while it ran.");
	g->perf_family = true;
	return true;
}

static void write_layer_row(struct nnp_prom_writer *w, enum nnp_group_by by,
			    const struct layer_desc *ld, const struct page_proc *pp,
			    const struct nnp_layer_stats *ls)
{
	struct nnp_prom_label l[LAYER_LABELS + 1];
	char group[NNP_GROUP_LEN];
	size_t nl = layer_labels(by, pp, ls, l, &group);
	uint64_t val = ld->get(ls);

	if (ld->xlabel)
		l[nl++] = (struct nnp_prom_label){ ld->xlabel, ld->xvalue };
	if (ld->ns)
		nnp_prom_ns(w, ld->name, "_total", l, nl, val);
	else
		nnp_prom_u64(w, ld->name, "_total", l, nl, val);
}

/* one layer's series of the current kind */
static void write_unit(struct nnp_prom_gen *g, const struct nnp_prom_page *pg,
		       const struct page_proc *pp, const struct nnp_layer_stats *ls)
{
	const struct nnp_counter_req *r;
	struct nnp_prom_label l[LAYER_LABELS + 1];
	char group[NNP_GROUP_LEN];
	size_t nl;

	if (g->kind == K_SAMPLED) {
		if (nnp_agg_probe_scale(pg->agg, ls) <= 1)
			return;
		nl = layer_labels(pg->group_by, pp, ls, l, &group);
		nnp_prom_ratio(&g->w, "nnperf_layer_measured_fraction", NULL, l, nl,
			       1 / nnp_agg_probe_scale(pg->agg, ls));
	} else if (g->kind >= K_PERF) {
		r = &counters_of(pg)->req[g->kind - K_PERF];
		nl = layer_labels(pg->group_by, pp, ls, l, &group);
		l[nl++] = (struct nnp_prom_label){ "event", r->name };
		nnp_prom_u64(&g->w, "nnperf_layer_perf_events", "_total", l, nl,
			     ls->k.counters[r->slot]);
	} else if (g->kind >= K_DESC) {
		write_layer_row(&g->w, pg->group_by, &layer_descs[g->kind - K_DESC], pp, ls);
	} else {
		nl = layer_labels(pg->group_by, pp, ls, l, &group);
		nnp_prom_histogram(&g->w, "nnperf_layer_duration_seconds", l, nl, &ls->hist);
	}
}

/* the next layer of the kind still in the aggregator, or NULL at the end of the kind */
static const struct nnp_layer_stats *
next_layer(struct nnp_prom_gen *g, const struct nnp_prom_page *pg, const struct page_proc **out)
{
	const struct nnp_proc_stats *p;
	const struct nnp_layer_stats *ls;
	const struct page_proc *pp;

	for (; g->i < g->n; g->i++, g->k = 0) {
		pp = &g->v[g->i];
		p = g->k < pp->nlayers ? find_proc(pg->agg, pp->tgid) : NULL;
		while (p && g->k < pp->nlayers) {
			ls = find_layer(p, &pp->layers[g->k++]);
			if (ls) {
				*out = pp;
				return ls;
			}
		}
	}
	return NULL;
}

static void write_self_counters(struct nnp_prom_writer *w, const struct nnp_self_stats *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(self_counters); i++) {
		const struct self_desc *d = &self_counters[i];
		uint64_t v =
		    d->bpf ? s->bpf[d->off] : *(const uint64_t *)((const char *)s + d->off);

		nnp_prom_family(w, d->name, NNP_PROM_COUNTER, NULL, d->help);
		nnp_prom_u64(w, d->name, "_total", NULL, 0, v);
	}
}

static void write_agg_counters(struct nnp_prom_writer *w, const struct nnp_agg *a)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} rows[] = {
		{ "nnperf_events", "Ring-buffer records read.", offsetof(struct nnp_agg, events) },
		{ "nnperf_bad_events", "Ring-buffer records too short or of unknown type.",
		  offsetof(struct nnp_agg, bad_events) },
		{ "nnperf_layers_dropped",
		  "Layer executions not kept: the per-process layer limit.",
		  offsetof(struct nnp_agg, dropped_layers) },
		{ "nnperf_processes_evicted", "Exited processes dropped for the process limit.",
		  offsetof(struct nnp_agg, evicted_procs) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		nnp_prom_family(w, rows[i].name, NNP_PROM_COUNTER, NULL, rows[i].help);
		nnp_prom_u64(w, rows[i].name, "_total", NULL, 0,
			     *(const uint64_t *)((const char *)a + rows[i].off));
	}
}

static void write_bpf_runtime(struct nnp_prom_writer *w, const struct nnp_self_stats *s)
{
	struct nnp_prom_label l;

	/* without kernel stats the kernel counts nothing: no series rather than zeros */
	if (!s->bpf_stats)
		return;
	nnp_prom_family(
	    w, "nnperf_bpf_run_seconds", NNP_PROM_COUNTER, "seconds",
	    "Time the kernel spent running each nnperf BPF program (kernel bpf stats).");
	for (size_t i = 0; i < s->nprogs; i++) {
		l = (struct nnp_prom_label){ "program", s->progs[i].name };
		nnp_prom_ns(w, "nnperf_bpf_run_seconds", "_total", &l, 1, s->progs[i].run_ns);
	}
	nnp_prom_family(w, "nnperf_bpf_runs", NNP_PROM_COUNTER, NULL,
			"Runs of each nnperf BPF program (kernel bpf stats).");
	for (size_t i = 0; i < s->nprogs; i++) {
		l = (struct nnp_prom_label){ "program", s->progs[i].name };
		nnp_prom_u64(w, "nnperf_bpf_runs", "_total", &l, 1, s->progs[i].run_cnt);
	}
}

static void write_features(struct nnp_prom_writer *w, const struct nnp_self_stats *s)
{
	struct nnp_prom_label l[] = { { "feature", "hw_pmu" }, { "feature", "bpf_stats" } };

	nnp_prom_family(w, "nnperf_feature_available", NNP_PROM_GAUGE, NULL,
			"1 if this host gives nnperf the feature, 0 if not.");
	if (s->hw_pmu >= 0)
		nnp_prom_u64(w, "nnperf_feature_available", NULL, &l[0], 1, s->hw_pmu > 0);
	nnp_prom_u64(w, "nnperf_feature_available", NULL, &l[1], 1, s->bpf_stats);
}

static void write_overhead(struct nnp_prom_writer *w, const struct nnp_rec_overhead *ov)
{
	struct nnp_prom_label l[] = { { "kind", "budget" },
				      { "kind", "estimated" },
				      { "kind", "every_probe" },
				      { "kind", "never_sampled" } };

	nnp_prom_family(w, "nnperf_overhead_ratio", NNP_PROM_GAUGE, "ratio",
			"--overhead-budget: nnperf's added time over the targets' own inference "
			"time: the budget, the estimate since the sampling began, with every "
			"probe, and what is never sampled (inference probes, kernel hooks).");
	nnp_prom_ratio(w, "nnperf_overhead_ratio", NULL, &l[0], 1, ov->budget_pct / 100);
	if (ov->estimated) {
		nnp_prom_ratio(w, "nnperf_overhead_ratio", NULL, &l[1], 1, ov->est_pct / 100);
		nnp_prom_ratio(w, "nnperf_overhead_ratio", NULL, &l[2], 1, ov->full_pct / 100);
		nnp_prom_ratio(w, "nnperf_overhead_ratio", NULL, &l[3], 1,
			       ov->base_ns > 0 ? ov->fixed_ns / ov->base_ns : 0);
	}
	nnp_prom_family(w, "nnperf_overhead_sample_rate", NNP_PROM_GAUGE, NULL,
			"--overhead-budget: the part of each period the sampled layer probes "
			"are attached (1: none sampled, 0: detached).");
	nnp_prom_ratio(w, "nnperf_overhead_sample_rate", NULL, NULL, 0, ov->duty);
}

static void write_self(struct nnp_prom_writer *w, const struct nnp_prom_page *pg)
{
	struct nnp_self_stats *s = pg->self;
	struct nnp_prom_label ver = { "version", s->version ? s->version : "" };

	write_self_counters(w, s);
	write_agg_counters(w, pg->agg);
	write_bpf_runtime(w, s);
	write_features(w, s);
	if (pg->overhead)
		write_overhead(w, pg->overhead);
	nnp_prom_family(w, "nnperf_build_info", NNP_PROM_GAUGE, NULL,
			"nnperf's version, as a label; the value is always 1.");
	nnp_prom_u64(w, "nnperf_build_info", NULL, &ver, 1, 1);
	nnp_prom_family(w, "nnperf_targets", NNP_PROM_GAUGE, NULL,
			"Processes nnperf is attached to now.");
	nnp_prom_u64(w, "nnperf_targets", NULL, NULL, 0, s->targets);
	nnp_prom_family(w, "nnperf_sample_rate", NNP_PROM_GAUGE, NULL,
			"N of --sample: layer series count one outermost layer call in N; "
			"multiply their _count, _sum and _total by it for all calls.");
	nnp_prom_u64(w, "nnperf_sample_rate", NULL, NULL, 0, nnp_agg_sample(pg->agg));
	nnp_prom_family(w, "nnperf_scrape_duration_seconds", NNP_PROM_GAUGE, "seconds",
			"Time nnperf took to render the previous /metrics page.");
	nnp_prom_ns(w, "nnperf_scrape_duration_seconds", NULL, NULL, 0, s->last_scrape_ns);
	nnp_prom_family(w, "process_cpu_seconds", NNP_PROM_COUNTER, "seconds",
			"User and system CPU time of the nnperf process.");
	nnp_prom_ns(w, "process_cpu_seconds", "_total", NULL, 0, s->cpu_ns);
	s->series_dropped += w->dropped;
	nnp_prom_family(w, "nnperf_series_dropped", NNP_PROM_COUNTER, NULL,
			"Series left out of pages because of --max-series, summed over pages.");
	nnp_prom_u64(w, "nnperf_series_dropped", "_total", NULL, 0, s->series_dropped);
}

static void gen_free_procs(struct nnp_prom_gen *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].layers);
		free(g->v[i].runtime);
		free(g->v[i].model);
	}
	free(g->v);
}

void nnp_prom_gen_free(struct nnp_prom_gen *g)
{
	if (!g)
		return;
	gen_free_procs(g);
	free(g);
}

int nnp_prom_gen_begin(const struct nnp_prom_page *pg, enum nnp_prom_format fmt,
		       struct nnp_prom_gen **out)
{
	struct nnp_prom_gen *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	nnp_prom_writer_init(&g->w, NULL, fmt, pg->max_series);
	g->err = collect(g, pg);
	*out = g;
	return 0;
}

/* one unit of the page: a family, or one layer's series of a kind */
static void gen_unit(struct nnp_prom_gen *g, const struct nnp_prom_page *pg)
{
	const struct nnp_layer_stats *ls;
	const struct page_proc *pp;

	if (g->kind == K_INFER || g->kind == K_SELF) {
		if (g->kind == K_INFER)
			write_infer(g, pg);
		else
			write_self(&g->w, pg);
		g->kind++;
		return;
	}
	if (!g->in_kind) {
		g->in_kind = kind_header(g, pg);
		g->i = g->k = 0;
		if (!g->in_kind)
			g->kind++;
		return;
	}
	ls = next_layer(g, pg, &pp);
	if (ls) {
		write_unit(g, pg, pp, ls);
		return;
	}
	g->in_kind = false;
	g->kind++;
}

int nnp_prom_gen_step(struct nnp_prom_gen *g, const struct nnp_prom_page *pg, FILE *f, size_t units)
{
	g->w.f = f;
	while (units-- && g->kind < K_END)
		gen_unit(g, pg);
	if (g->kind == K_END) {
		nnp_prom_finish(&g->w);
		g->kind++;
	}
	return g->kind <= K_END;
}

int nnp_prom_gen_error(const struct nnp_prom_gen *g)
{
	return g->err;
}

int nnp_prom_render(FILE *f, enum nnp_prom_format fmt, const struct nnp_prom_page *pg)
{
	struct nnp_prom_gen *g;
	int err = nnp_prom_gen_begin(pg, fmt, &g);

	if (err)
		return err;
	nnp_prom_gen_step(g, pg, f, SIZE_MAX);
	err = g->err;
	nnp_prom_gen_free(g);
	return err;
}

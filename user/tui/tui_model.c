// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksig_view.h"
#include "tui_model.h"
#include "tui_window.h"

/* a layer's counts at the previous refresh */
struct layer_prev {
	struct nnp_layer_key id;
	struct nnp_hist hist;
	uint64_t self_ns;
	struct nnp_ksig_sum k;
	bool seen;
	UT_hash_handle hh;
};

struct tui_proc_state {
	uint32_t tgid;
	struct nnp_hist infer;
	struct nnp_ksig_sum infer_k;
	struct layer_prev *layers; /* uthash by id */
	struct tui_proc_row row;
	size_t layer_cap;
	bool seen;
	UT_hash_handle hh;
};

/* what one window of a process or layer looks like */
struct window {
	double dt_s;
	uint64_t calls, wall_ns;
	struct nnp_ksig_sum k;
	struct nnp_ksig_field f[NNP_KSIG_MAX_FIELDS];
	int nf;
};

static const struct tui_val none = { .st = TUI_V_NONE };

static struct tui_val ok(double v)
{
	return (struct tui_val){ .v = v, .st = TUI_V_OK };
}

static struct tui_val na(const char *why)
{
	return (struct tui_val){ .st = TUI_V_NA, .why = why ? why : "n/a" };
}

void tui_model_init(struct tui_model *m, const struct nnp_rec_kernel *ki, uint64_t now_ns)
{
	*m = (struct tui_model){ .ki = ki, .prev_ns = now_ns };
	nnp_hist_init(&m->scratch);
	nnp_hist_init(&m->all);
}

static void free_state(struct tui_proc_state *s)
{
	struct layer_prev *l, *tmp;

	HASH_ITER(hh, s->layers, l, tmp) {
		HASH_DEL(s->layers, l);
		nnp_hist_free(&l->hist);
		free(l);
	}
	nnp_hist_free(&s->infer);
	free(s->row.layers);
	free(s);
}

void tui_model_free(struct tui_model *m)
{
	struct tui_proc_state *s, *tmp;

	HASH_ITER(hh, m->procs, s, tmp) {
		HASH_DEL(m->procs, s);
		free_state(s);
	}
	free(m->rows);
	nnp_hist_free(&m->scratch);
	nnp_hist_free(&m->all);
	m->rows = NULL;
}

static const struct nnp_ksig_field *field(const struct window *w, const char *key)
{
	for (int i = 0; i < w->nf; i++)
		if (!strcmp(w->f[i].key, key))
			return &w->f[i];
	return NULL;
}

/* total of a kernel field over the window divided by `by` (a duration or a time) */
static struct tui_val ksig_ratio(const struct window *w, const char *key, double by)
{
	const struct nnp_ksig_field *f = field(w, key);

	if (!f)
		return na("n/a (not collected)");
	if (!f->available)
		return na(f->why);
	return by > 0 ? ok((double)f->total / by) : none;
}

static struct tui_val ksig_mean(const struct window *w, const char *key)
{
	const struct nnp_ksig_field *f = field(w, key);

	if (!f)
		return na("n/a (not counted: see --counters)");
	if (!f->available)
		return na(f->why);
	return w->calls ? ok(f->mean) : none;
}

static void window_view(const struct tui_model *m, struct window *w)
{
	static const struct nnp_rec_kernel no_kernel = { .sched = "none",
							 .fault = "none",
							 .fault_why = "n/a (no kernel signals)" };

	w->nf = nnp_ksig_view(m->ki ? m->ki : &no_kernel, &w->k, w->calls, w->wall_ns, w->f);
}

static struct tui_val quantile(const struct nnp_hist *h, double q)
{
	return h->count ? ok((double)nnp_hist_quantile(h, q)) : none;
}

static struct tui_val faults_s(const struct window *w)
{
	const struct nnp_ksig_field *f = field(w, "minflt");

	if (f && !f->available)
		return na(f->why);
	return ok((double)(w->k.minflt + w->k.majflt) / w->dt_s);
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static struct layer_prev *layer_prev_get(struct tui_proc_state *s, const struct nnp_layer_key *id)
{
	struct layer_prev *p;

	HASH_FIND(hh, s->layers, id, sizeof(*id), p);
	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->id = *id;
	nnp_hist_init(&p->hist);
	HASH_ADD(hh, s->layers, id, sizeof(p->id), p);
	return p;
}

/* the layer's window; share holds its self time until the caller divides */
static int layer_row(struct tui_model *m, struct tui_proc_state *s, const struct nnp_proc_stats *ps,
		     const struct nnp_layer_stats *l, double dt_s, struct tui_layer_row *r)
{
	struct layer_prev *p = layer_prev_get(s, &l->id);
	struct window w = { .dt_s = dt_s };

	if (!p)
		return -ENOMEM;
	if (l->hist.count < p->hist.count) { /* the layer was forgotten and seen again */
		nnp_hist_free(&p->hist);
		p->self_ns = 0;
		memset(&p->k, 0, sizeof(p->k));
	}
	p->seen = true;
	if (tui_hist_delta(&m->scratch, &l->hist, &p->hist))
		return -ENOMEM;
	w.calls = m->scratch.count;
	w.wall_ns = m->scratch.sum;
	tui_ksig_delta(&w.k, &l->k, &p->k);
	window_view(m, &w);
	*r = (struct tui_layer_row){ .key = l->id.key * 0x9e3779b97f4a7c15ull ^ l->id.probe_id,
				     .order = s->row.nlayer_rows,
				     .depth = nnp_agg_layer_depth(ps, l),
				     .calls = l->hist.count };
	snprintf(r->name, sizeof(r->name), "%s", l->name);
	snprintf(r->op, sizeof(r->op), "%s", l->op);
	r->calls_s = ok((double)w.calls * m->sample * nnp_agg_probe_scale(m->agg, l) / dt_s);
	r->mean_ns = w.calls ? ok((double)w.wall_ns / (double)w.calls) : none;
	r->p99_ns = quantile(&m->scratch, 0.99);
	r->share =
	    ok((double)sub(l->self_ns, p->self_ns) * m->sample * nnp_agg_probe_scale(m->agg, l));
	r->offcpu_share = ksig_ratio(&w, "offcpu_ns", (double)w.wall_ns);
	r->runq_ns = ksig_mean(&w, "runq_ns");
	r->faults_s = faults_s(&w);
	r->cmiss = ksig_mean(&w, "cache_misses");
	r->w = (struct tui_layer_window){ .calls = w.calls,
					  .wall_ns = w.wall_ns,
					  .self_ns = sub(l->self_ns, p->self_ns),
					  .offcpu_ns = w.k.offcpu_ns,
					  .runq_ns = w.k.runq_ns,
					  .faults = w.k.minflt + w.k.majflt };
	p->self_ns = l->self_ns;
	p->k = l->k;
	return tui_hist_copy(&p->hist, &l->hist);
}

/* shares of the window's inference time, or of all layers' self time without inferences */
static void layer_shares(struct tui_proc_row *row, uint64_t infer_ns)
{
	double den = (double)infer_ns;

	if (!infer_ns)
		for (size_t i = 0; i < row->nlayer_rows; i++)
			den += row->layers[i].share.v;
	for (size_t i = 0; i < row->nlayer_rows; i++) {
		struct tui_val *v = &row->layers[i].share;

		*v = den > 0 ? ok(v->v / den) : none;
	}
}

static void forget_unseen_layers(struct tui_proc_state *s)
{
	struct layer_prev *l, *tmp;

	HASH_ITER(hh, s->layers, l, tmp) {
		if (l->seen) {
			l->seen = false;
			continue;
		}
		HASH_DEL(s->layers, l);
		nnp_hist_free(&l->hist);
		free(l);
	}
}

static int layer_rows(struct tui_model *m, struct tui_proc_state *s, const struct nnp_proc_stats *p,
		      double dt_s, uint64_t infer_ns)
{
	struct nnp_layer_stats **ls = NULL;
	struct tui_proc_row *row = &s->row;
	size_t n = 0;
	int err = nnp_agg_sorted_layers(p, &ls, &n);

	if (err)
		return err;
	if (n > s->layer_cap) {
		struct tui_layer_row *nl = realloc(row->layers, n * sizeof(*nl));

		if (!nl) {
			err = -ENOMEM;
			goto cleanup;
		}
		row->layers = nl;
		s->layer_cap = n;
	}
	row->nlayer_rows = 0;
	for (size_t i = 0; i < n && !err; i++, row->nlayer_rows++)
		err = layer_row(m, s, p, ls[i], dt_s, &row->layers[row->nlayer_rows]);
	layer_shares(row, infer_ns);
	forget_unseen_layers(s);
cleanup:
	free(ls);
	return err;
}

static void proc_labels(struct tui_proc_row *r, nnp_proc_labels_fn labels, void *ctx)
{
	struct nnp_proc_labels lab = { 0 };

	if (!labels || !labels(ctx, r->tgid, &lab))
		lab = (struct nnp_proc_labels){ 0 };
	snprintf(r->model, sizeof(r->model), "%s", lab.model ? lab.model : "-");
	snprintf(r->runtime, sizeof(r->runtime), "%s", lab.runtime ? lab.runtime : "-");
}

static int proc_row(struct tui_model *m, struct tui_proc_state *s, const struct nnp_proc_stats *p,
		    double dt_s)
{
	struct tui_proc_row *r = &s->row;
	struct window w = { .dt_s = dt_s };
	int err;

	if (p->infer.count < s->infer.count) {
		nnp_hist_free(&s->infer);
		memset(&s->infer_k, 0, sizeof(s->infer_k));
	}
	err = tui_hist_delta(&m->scratch, &p->infer, &s->infer);
	if (!err)
		err = nnp_hist_merge(&m->all, &m->scratch);
	if (err)
		return err;
	w.calls = m->scratch.count;
	w.wall_ns = m->scratch.sum;
	tui_ksig_delta(&w.k, &p->infer_k, &s->infer_k);
	window_view(m, &w);
	r->tgid = p->tgid;
	snprintf(r->comm, sizeof(r->comm), "%s", p->comm);
	r->exited = p->exited;
	r->inferences = p->infer.count;
	r->nlayers = HASH_COUNT(p->layers);
	r->inf_s = ok((double)w.calls / dt_s);
	r->p50_ns = quantile(&m->scratch, 0.5);
	r->p99_ns = quantile(&m->scratch, 0.99);
	r->offcpu_share = ksig_ratio(&w, "offcpu_ns", (double)w.wall_ns);
	r->faults_s = faults_s(&w);
	r->window_infers = w.calls;
	r->window_infer_ns = w.wall_ns;
	r->window_s = dt_s;
	r->sample = m->sample;
	s->infer_k = p->infer_k;
	err = tui_hist_copy(&s->infer, &p->infer);
	return err ? err : layer_rows(m, s, p, dt_s, w.wall_ns);
}

static struct tui_proc_state *state_get(struct tui_model *m, uint32_t tgid)
{
	struct tui_proc_state *s;

	HASH_FIND(hh, m->procs, &tgid, sizeof(tgid), s);
	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->tgid = tgid;
	nnp_hist_init(&s->infer);
	HASH_ADD(hh, m->procs, tgid, sizeof(s->tgid), s);
	return s;
}

static int rows_reserve(struct tui_model *m, size_t n)
{
	struct tui_proc_row **r;

	if (n <= m->cap)
		return 0;
	r = realloc(m->rows, n * sizeof(*r));
	if (!r)
		return -ENOMEM;
	m->rows = r;
	m->cap = n;
	return 0;
}

static void forget_unseen_procs(struct tui_model *m)
{
	struct tui_proc_state *s, *tmp;

	HASH_ITER(hh, m->procs, s, tmp) {
		if (s->seen) {
			s->seen = false;
			continue;
		}
		HASH_DEL(m->procs, s);
		free_state(s);
	}
}

static void totals(struct tui_model *m, double dt_s)
{
	struct tui_totals *t = &m->totals;

	*t = (struct tui_totals){ .window_s = dt_s };
	for (size_t i = 0; i < m->nrows; i++)
		t->procs += !m->rows[i]->exited;
	t->inf_s = ok((double)m->all.count / dt_s);
	t->p50_ns = quantile(&m->all, 0.5);
	t->p99_ns = quantile(&m->all, 0.99);
}

int tui_model_update(struct tui_model *m, const struct nnp_agg *a, nnp_proc_labels_fn labels,
		     void *labels_ctx, uint64_t now_ns)
{
	double dt_s = now_ns > m->prev_ns ? (double)(now_ns - m->prev_ns) / 1e9 : 1e-9;
	int err = rows_reserve(m, HASH_COUNT(a->procs));

	m->nrows = 0;
	m->sample = nnp_agg_sample(a);
	m->agg = a;
	nnp_hist_free(&m->all);
	for (const struct nnp_proc_stats *p = a->procs; p && !err; p = p->hh.next) {
		struct tui_proc_state *s = state_get(m, p->tgid);

		if (!s)
			return -ENOMEM;
		s->seen = true;
		err = proc_row(m, s, p, dt_s);
		proc_labels(&s->row, labels, labels_ctx);
		m->rows[m->nrows++] = &s->row;
	}
	if (err)
		return err;
	forget_unseen_procs(m);
	totals(m, dt_s);
	m->prev_ns = now_ns;
	return 0;
}

const struct tui_proc_row *tui_model_proc(const struct tui_model *m, uint32_t tgid)
{
	struct tui_proc_state *s;

	HASH_FIND(hh, m->procs, &tgid, sizeof(tgid), s);
	return s ? &s->row : NULL;
}

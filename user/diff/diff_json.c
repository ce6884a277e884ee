// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `nnperf diff --format json` (schema "nnperf.diff", docs/diff.md). Numbers
 * are printed with fixed decimals (0.1 ns, 1e-4 for ratios) so that the same
 * input gives the same bytes; null means unknown, as in recordings.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diff_ksig.h"
#include "diff_writers.h"

#define DIFF_SCHEMA "nnperf.diff"
#define DIFF_VERSION 1
#define JSON_STYLE                                                                                 \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

struct jb {
	int err;
};

static void put(struct jb *b, json_object *o, const char *key, json_object *v, bool can_be_null)
{
	if (!o || (!v && !can_be_null) || json_object_object_add(o, key, v)) {
		json_object_put(v);
		b->err = -ENOMEM;
	}
}

static json_object *fixed(double v, const char *fmt)
{
	char buf[64];

	if (!isfinite(v))
		return NULL;
	snprintf(buf, sizeof(buf), fmt, v);
	if (!strcmp(buf, "-0.0") || !strcmp(buf, "-0.0000"))
		memmove(buf, buf + 1, strlen(buf));
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static void put_ns(struct jb *b, json_object *o, const char *key, double v)
{
	json_object *j = fixed(v, "%.1f");

	put(b, o, key, j, !isfinite(v));
}

static void put_ratio(struct jb *b, json_object *o, const char *key, double v)
{
	json_object *j = fixed(v, "%.4f");

	put(b, o, key, j, !isfinite(v));
}

static void put_str(struct jb *b, json_object *o, const char *key, const char *s)
{
	put(b, o, key, s ? json_object_new_string(s) : NULL, !s);
}

static void put_u64(struct jb *b, json_object *o, const char *key, uint64_t v)
{
	put(b, o, key, json_object_new_uint64(v), false);
}

static json_object *obj(struct jb *b)
{
	json_object *o = json_object_new_object();

	if (!o)
		b->err = -ENOMEM;
	return o;
}

static void put_dist(struct jb *b, json_object *o, const struct diff_dist *d)
{
	put_u64(b, o, "count", d->count);
	put_ns(b, o, "mean_ns", d->mean_ns);
	put_ns(b, o, "stddev_ns", d->sd_ns);
	put_ns(b, o, "min_ns", d->min_ns);
	put_ns(b, o, "p50_ns", d->p50_ns);
	put_ns(b, o, "p99_ns", d->p99_ns);
	put_ns(b, o, "max_ns", d->max_ns);
	put_u64(b, o, "runs", d->units);
	put_ns(b, o, "run_stddev_ns", d->unit_sd_ns);
}

/* {"est", "lo", "hi"} with lo/hi null when no interval is available */
static json_object *interval(struct jb *b, const struct nnp_interval *iv, bool ratio)
{
	json_object *o = obj(b);
	void (*p)(struct jb *, json_object *, const char *, double) = ratio ? put_ratio : put_ns;

	p(b, o, "est", iv->est);
	p(b, o, "lo", iv->available ? iv->lo : NAN);
	p(b, o, "hi", iv->available ? iv->hi : NAN);
	return o;
}

static void put_significance(struct jb *b, json_object *o, const struct nnp_interval *iv)
{
	put(b, o, "significant", iv->available ? json_object_new_boolean(iv->significant) : NULL,
	    !iv->available);
}

static json_object *side_json(struct jb *b, const struct diff_profile *p)
{
	json_object *o = obj(b), *inf = obj(b);

	put_str(b, o, "label", p->label);
	put_str(b, o, "command", p->command);
	put_u64(b, o, "runs", p->runs);
	put_u64(b, o, "lost_events", p->lost_events);
	put_dist(b, inf, &p->infer);
	put(b, o, "inferences", inf, false);
	return o;
}

static json_object *layer_side(struct jb *b, const struct diff_layer *l, double calls)
{
	json_object *o;

	if (!l)
		return NULL;
	o = obj(b);
	put_str(b, o, "name", l->name);
	put_str(b, o, "op", l->op);
	put_u64(b, o, "depth", l->depth);
	put_ratio(b, o, "calls_per_inference", calls);
	put_dist(b, o, &l->d);
	put_ns(b, o, "self_ns", l->self_ns);
	return o;
}

static const char *match_name(enum diff_match m)
{
	static const char *const names[] = { "name", "order", "only_a", "only_b" };

	return names[m];
}

static json_object *kernel_json(struct jb *b, const struct diff_row *row)
{
	json_object *o = obj(b);

	for (size_t i = 0; i < row->nkernel; i++) {
		const struct diff_kcmp *k = &row->kernel[i];
		json_object *f = obj(b);

		put_ratio(b, f, "a", k->a_null ? NAN : k->a);
		put_ratio(b, f, "b", k->b_null ? NAN : k->b);
		put_ratio(b, f, "ratio", k->ratio);
		put(b, o, k->key, f, false);
	}
	return o;
}

/* per collected signal: {"a": per call or null, "b": ..., "ratio": B/A or null} */
static json_object *signals_json(struct jb *b, const struct diff_row *row, const bool *show)
{
	json_object *o = obj(b);

	for (int id = 0; id < DK_NR; id++) {
		json_object *s;
		double v;

		if (!show[id])
			continue;
		s = obj(b);
		put_ratio(b, s, "a", diff_ksig_value(row, id, false, &v) ? v : NAN);
		put_ratio(b, s, "b", diff_ksig_value(row, id, true, &v) ? v : NAN);
		put_ratio(b, s, "ratio", diff_ksig_ratio(row, id, &v) ? v : NAN);
		put(b, o, diff_ksig_def(id)->key, s, false);
	}
	return o;
}

/* what each collected signal is: key, unit, meaning and table */
static json_object *signal_defs_json(struct jb *b, const bool *show)
{
	static const char *const group[DKG_NR] = { "time", "events", "counters" };
	json_object *arr = json_object_new_array();

	if (!arr)
		b->err = -ENOMEM;
	for (int id = 0; arr && id < DK_NR; id++) {
		const struct diff_ksig_def *d = diff_ksig_def(id);
		json_object *o;

		if (!show[id])
			continue;
		o = obj(b);
		put_str(b, o, "key", d->key);
		put_str(b, o, "unit", diff_ksig_unit_str(d->unit));
		put_str(b, o, "what", d->what);
		put_str(b, o, "group", group[d->group]);
		if (json_object_array_add(arr, o)) {
			json_object_put(o);
			b->err = -ENOMEM;
		}
	}
	return arr;
}

static json_object *row_json(struct jb *b, const struct diff_row *row, const bool *show)
{
	const struct diff_pair *p = &row->pair;
	json_object *o = obj(b);
	char name[512];

	diff_row_name(row, name, sizeof(name));
	put_str(b, o, "name", name);
	put_str(b, o, "match", match_name(p->how));
	put(b, o, "a", layer_side(b, p->a, row->a_calls), !p->a);
	put(b, o, "b", layer_side(b, p->b, row->b_calls), !p->b);
	put(b, o, "delta_ns", interval(b, &row->delta, false), false);
	put(b, o, "speedup", interval(b, &row->speedup, true), false);
	put_str(b, o, "interval_over", row->by_runs ? "runs" : "calls");
	put_significance(b, o, &row->delta);
	put_ns(b, o, "contribution_ns", row->contrib_ns);
	put_ratio(b, o, "share", row->share);
	put(b, o, "kernel", kernel_json(b, row), false);
	put(b, o, "signals", signals_json(b, row, show), false);
	return o;
}

static json_object *array(struct jb *b)
{
	json_object *o = json_object_new_array();

	if (!o)
		b->err = -ENOMEM;
	return o;
}

static void append(struct jb *b, json_object *arr, json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		b->err = -ENOMEM;
	}
}

static json_object *contributions(struct jb *b, const struct diff_result *r)
{
	json_object *arr = array(b);
	char name[512];

	for (size_t i = 0; i < r->nranked; i++) {
		const struct diff_row *row = &r->rows[r->ranked[i]];
		json_object *o = obj(b);

		diff_row_name(row, name, sizeof(name));
		put_str(b, o, "name", name);
		put_ns(b, o, "contribution_ns", row->contrib_ns);
		put_ratio(b, o, "share", row->share);
		append(b, arr, o);
	}
	return arr;
}

static json_object *inference_json(struct jb *b, const struct diff_result *r)
{
	json_object *o = obj(b);

	put(b, o, "delta_ns", interval(b, &r->infer_delta, false), false);
	put(b, o, "speedup", interval(b, &r->infer_speedup, true), false);
	put_str(b, o, "interval_over", r->infer_by_runs ? "runs" : "calls");
	put_significance(b, o, &r->infer_delta);
	put_ns(b, o, "layers_delta_ns", r->layers_delta_ns);
	put_ns(b, o, "unattributed_ns", r->unattributed_ns);
	return o;
}

static json_object *group_side(struct jb *b, size_t layers, double ns)
{
	json_object *o = obj(b);

	put_u64(b, o, "layers", layers);
	put_ns(b, o, "self_ns_per_inference", layers ? ns : NAN);
	return o;
}

/* --group-by: {"by", "list": [{name, from, a, b, speedup, delta_ns, share}]} */
static json_object *groups_json(struct jb *b, const struct diff_result *r)
{
	json_object *o = obj(b), *list = array(b);

	put_str(b, o, "by", nnp_group_by_str(r->group_by));
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct diff_group *g = &r->groups[i];
		json_object *go = obj(b);

		put_str(b, go, "name", g->name);
		put_str(b, go, "from", nnp_group_from_str(g->from));
		put(b, go, "a", group_side(b, g->a_layers, g->a_ns), false);
		put(b, go, "b", group_side(b, g->b_layers, g->b_ns), false);
		put_ratio(b, go, "speedup", g->speedup);
		put_ns(b, go, "delta_ns", g->delta_ns);
		put_ratio(b, go, "share", g->share);
		append(b, list, go);
	}
	put(b, o, "list", list, false);
	return o;
}

static json_object *alignment_json(struct jb *b, const struct diff_alignment *al)
{
	json_object *o = obj(b);

	put_u64(b, o, "by_name", al->by_name);
	put_u64(b, o, "by_order", al->by_order);
	put_u64(b, o, "only_a", al->only_a);
	put_u64(b, o, "only_b", al->only_b);
	return o;
}

int diff_write_json(FILE *f, const struct diff_result *r)
{
	struct jb b = { 0 };
	json_object *root = obj(&b), *layers = array(&b);
	const char *text;
	bool show[DK_NR];
	int err;

	for (int id = 0; id < DK_NR; id++)
		show[id] = diff_ksig_collected(r, id);
	put_str(&b, root, "schema", DIFF_SCHEMA);
	put(&b, root, "version", json_object_new_int(DIFF_VERSION), false);
	put_ratio(&b, root, "confidence", DIFF_CONFIDENCE);
	put(&b, root, "a", side_json(&b, r->a), false);
	put(&b, root, "b", side_json(&b, r->b), false);
	put(&b, root, "inference", inference_json(&b, r), false);
	put(&b, root, "alignment", alignment_json(&b, &r->al), false);
	for (size_t i = 0; i < r->n; i++)
		append(&b, layers, row_json(&b, &r->rows[i], show));
	put(&b, root, "layers", layers, false);
	put(&b, root, "contributions", contributions(&b, r), false);
	if (r->ngroups)
		put(&b, root, "groups", groups_json(&b, r), false);
	put(&b, root, "signals", signal_defs_json(&b, show), false);
	err = b.err;
	text = err ? NULL : json_object_to_json_string_ext(root, JSON_STYLE);
	if (!err && !text)
		err = -ENOMEM;
	errno = 0;
	if (!err && (fputs(text, f) == EOF || fputc('\n', f) == EOF || fflush(f) == EOF))
		err = errno ? -errno : -EIO;
	json_object_put(root);
	return err;
}

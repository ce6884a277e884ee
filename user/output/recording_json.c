// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recording document (docs/recording-format.md). Times are integer
 * nanoseconds and the one fraction (share) is printed with fixed decimals, so
 * the same input always gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "counters.h"
#include "ksig_view.h"
#include "recording.h"
#include "recording_groups.h"
#include "recording_overhead.h"
#include "recording_util.h"
#include "text.h"

/* two-space indent, "key": value, "/" unescaped: stable and readable golden files */
#define JSON_STYLE                                                                                 \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* json-c reports allocation failure per call; collect it once instead of at each add */
struct builder {
	int err;
	const struct nnp_rec_kernel *ki; /* kernel signals were collected */
	const struct nnp_agg *a;
	enum nnp_group_by by; /* --group-by: each layer's group, and the groups */
	/* the process being written: its groups and each layer's (put_proc) */
	struct nnp_rec_group *groups;
	size_t ngroups;
	size_t *of_layer;
};

static void add(struct builder *b, json_object *o, const char *key, json_object *v)
{
	if (!o || !v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		b->err = -ENOMEM;
	}
}

static void add_u64(struct builder *b, json_object *o, const char *key, uint64_t v)
{
	add(b, o, key, json_object_new_uint64(v));
}

static void add_int(struct builder *b, json_object *o, const char *key, int64_t v)
{
	add(b, o, key, json_object_new_int64(v));
}

/* a JSON null: json-c stores a NULL value as null */
static void add_null(json_object *o, const char *key)
{
	if (o)
		json_object_object_add(o, key, NULL);
}

/* Untrusted bytes become valid UTF-8 first: json-c would pass invalid bytes through. */
static void add_str(struct builder *b, json_object *o, const char *key, const char *s)
{
	char *clean;

	if (!s) {
		add_null(o, key);
		return;
	}
	clean = nnp_utf8_sanitize(s);
	if (!clean) {
		b->err = -ENOMEM;
		return;
	}
	add(b, o, key, json_object_new_string(clean));
	free(clean);
}

static void add_fixed(struct builder *b, json_object *o, const char *key, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.4f", v);
	add(b, o, key, json_object_new_double_s(strtod(buf, NULL), buf));
}

static void add_time(struct builder *b, json_object *o, uint64_t realtime_ns)
{
	time_t secs = (time_t)(realtime_ns / 1000000000);
	char date[32], buf[48];
	struct tm tm;

	add_u64(b, o, "start_realtime_ns", realtime_ns);
	if (!realtime_ns || !gmtime_r(&secs, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		add_null(o, "start_time");
		return;
	}
	snprintf(buf, sizeof(buf), "%s.%09" PRIu64 "Z", date, realtime_ns % 1000000000);
	add_str(b, o, "start_time", buf);
}

static json_object *new_obj(struct builder *b)
{
	json_object *o = json_object_new_object();

	if (!o)
		b->err = -ENOMEM;
	return o;
}

static json_object *new_arr(struct builder *b)
{
	json_object *o = json_object_new_array();

	if (!o)
		b->err = -ENOMEM;
	return o;
}

static void append(struct builder *b, json_object *arr, json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		b->err = -ENOMEM;
	}
}

/* min/mean/max/percentiles of an empty histogram are undefined: null, never a made-up 0 */
static void add_dist(struct builder *b, json_object *o, const struct nnp_hist *h,
		     const uint64_t *self_ns)
{
	static const struct {
		const char *key;
		double q;
	} pct[] = { { "p50_ns", 0.50 }, { "p90_ns", 0.90 }, { "p99_ns", 0.99 } };

	add_u64(b, o, "count", h->count);
	add_u64(b, o, "total_ns", h->sum);
	if (self_ns)
		add_u64(b, o, "self_ns", *self_ns);
	if (!h->count) {
		add_null(o, "mean_ns");
		add_null(o, "stddev_ns");
		add_null(o, "min_ns");
		add_null(o, "max_ns");
		for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
			add_null(o, pct[i].key);
		return;
	}
	add_u64(b, o, "mean_ns", nnp_rec_mean_ns(h));
	if (h->count > 1)
		add_u64(b, o, "stddev_ns", (uint64_t)llround(nnp_hist_stddev(h)));
	else
		add_null(o, "stddev_ns");
	add_u64(b, o, "min_ns", h->min);
	add_u64(b, o, "max_ns", h->max);
	for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		add_u64(b, o, pct[i].key, nnp_hist_quantile(h, pct[i].q));
}

/* "kernel": totals and means per call; unavailable signals are null */
static json_object *ksig_json(struct builder *b, const struct nnp_ksig_sum *s, uint64_t calls,
			      uint64_t wall_ns)
{
	struct nnp_ksig_field f[NNP_KSIG_MAX_FIELDS];
	int n = nnp_ksig_view(b->ki, s, calls, wall_ns, f);
	json_object *o = new_obj(b);
	char mean[56];

	for (int i = 0; i < n; i++) {
		snprintf(mean, sizeof(mean), "%.40s_mean", f[i].key);
		if (f[i].has_total && f[i].available)
			add_u64(b, o, f[i].key, f[i].total);
		else if (f[i].has_total)
			add_null(o, f[i].key);
		if (!f[i].available)
			add_null(o, f[i].has_total ? mean : f[i].key);
		else
			add_fixed(b, o, f[i].has_total ? mean : f[i].key, f[i].mean);
	}
	return o;
}

static json_object *preemptors_json(struct builder *b, const struct nnp_proc_stats *p)
{
	struct nnp_preemptor **v;
	json_object *arr;
	size_t n;

	b->err = b->err ? b->err : nnp_agg_sorted_preemptors(p, &v, &n);
	if (b->err)
		return NULL;
	arr = new_arr(b);
	for (size_t i = 0; i < n; i++) {
		json_object *o = new_obj(b);

		add_u64(b, o, "pid", v[i]->pid);
		add_u64(b, o, "tgid", v[i]->tgid);
		add_str(b, o, "comm", v[i]->comm);
		add_u64(b, o, "count", v[i]->count);
		add_u64(b, o, "total_ns", v[i]->total_ns);
		append(b, arr, o);
	}
	free(v);
	return arr;
}

static json_object *shape_json(struct builder *b, const struct nnp_layer_stats *l)
{
	json_object *arr = new_arr(b);

	for (unsigned i = 0; i < l->shape_dims && i < NNP_SHAPE_DIMS; i++)
		append(b, arr, json_object_new_int64(l->shape[i]));
	return arr;
}

/* {"probe_id": N, "key": "0x..", "name": ".."} of the layer L first ran inside (one) */
static json_object *parent_json(struct builder *b, const struct nnp_proc_stats *p,
				const struct nnp_layer_stats *l)
{
	const struct nnp_layer_stats *x = nnp_agg_layer_parent(p, l);
	json_object *o = new_obj(b);
	char key[24];

	snprintf(key, sizeof(key), "0x%" PRIx64, x->id.key);
	add_u64(b, o, "probe_id", x->id.probe_id);
	add_str(b, o, "key", key);
	add_str(b, o, "name", x->name);
	return o;
}

static json_object *layer_json(struct builder *b, const struct nnp_proc_stats *p,
			       const struct nnp_layer_stats *l, size_t i)
{
	json_object *o = new_obj(b);
	char key[24];
	double share;

	snprintf(key, sizeof(key), "0x%" PRIx64, l->id.key);
	add_u64(b, o, "probe_id", l->id.probe_id);
	add_str(b, o, "key", key);
	add_str(b, o, "name", l->name);
	if (l->raw_name[0])
		add_str(b, o, "raw_name", l->raw_name);
	add_str(b, o, "op", l->op);
	if (b->of_layer)
		add_str(b, o, "group", b->groups[b->of_layer[i]].name);
	if (l->shape_dims)
		add(b, o, "shape", shape_json(b, l));
	add_dist(b, o, &l->hist, &l->self_ns);
	add_u64(b, o, "in_inference", l->in_infer);
	add_u64(b, o, "depth", nnp_agg_layer_depth(p, l));
	add_u64(b, o, "nested_calls", l->nested);
	if (nnp_agg_layer_parent(p, l))
		add(b, o, "parent", parent_json(b, p, l));
	else
		add_null(o, "parent");
	add_u64(b, o, "count_est",
		(uint64_t)((double)l->hist.count * nnp_agg_scale(b->a, l) + 0.5));
	if (nnp_agg_probe_scale(b->a, l) > 1) /* --overhead-budget measured it part of the time */
		add_fixed(b, o, "sampled_fraction", 1 / nnp_agg_probe_scale(b->a, l));
	if (nnp_rec_share_est(b->a, p, l, &share))
		add_fixed(b, o, "share", share);
	else
		add_null(o, "share");
	if (b->ki)
		add(b, o, "kernel", ksig_json(b, &l->k, l->hist.count, l->hist.sum));
	return o;
}

static json_object *group_json(struct builder *b, const struct nnp_proc_stats *p,
			       const struct nnp_rec_group *g)
{
	json_object *o = new_obj(b);
	double share;

	add_str(b, o, "name", g->name);
	add_str(b, o, "from", nnp_group_from_str(g->from));
	add_u64(b, o, "layers", g->layers);
	add_u64(b, o, "count_est", g->calls * nnp_agg_sample(b->a));
	add_u64(b, o, "self_ns", g->self_ns * nnp_agg_sample(b->a));
	add_u64(b, o, "total_ns", g->total_ns * nnp_agg_sample(b->a));
	if (p->infer.count)
		add_u64(b, o, "self_ns_per_inference",
			g->self_ns * nnp_agg_sample(b->a) / p->infer.count);
	else
		add_null(o, "self_ns_per_inference");
	if (nnp_rec_group_share(b->a, p, g, &share))
		add_fixed(b, o, "share", share);
	else
		add_null(o, "share");
	return o;
}

/* "groups": {"by", "rule", "list": [...]} in the order of their first layer */
static json_object *groups_json(struct builder *b, const struct nnp_proc_stats *p)
{
	json_object *o = new_obj(b), *list = new_arr(b);

	add_str(b, o, "by", nnp_group_by_str(b->by));
	add_str(b, o, "rule", nnp_rec_group_rule(b->by));
	for (size_t i = 0; i < b->ngroups; i++)
		append(b, list, group_json(b, p, &b->groups[i]));
	add(b, o, "list", list);
	return o;
}

static json_object *proc_json(struct builder *b, const struct nnp_proc_stats *p)
{
	json_object *o = new_obj(b), *inf = new_obj(b);

	add_u64(b, o, "pid", p->tgid);
	add_str(b, o, "comm", p->comm);
	add(b, o, "exited", json_object_new_boolean(p->exited));
	add_dist(b, inf, &p->infer, NULL);
	if (b->ki)
		add(b, inf, "kernel", ksig_json(b, &p->infer_k, p->infer.count, p->infer.sum));
	add(b, o, "inferences", inf);
	if (b->ki) {
		add(b, o, "preempted_by", preemptors_json(b, p));
		add_u64(b, o, "preempted_by_others_count", p->preempt_other_count);
		add_u64(b, o, "preempted_by_others_ns", p->preempt_other_ns);
	}
	add_u64(b, o, "layer_events", p->layer_events);
	if (b->by != NNP_GROUP_NONE)
		add(b, o, "groups", groups_json(b, p));
	return o;
}

static int cmp_probe(const void *x, const void *y)
{
	const struct nnp_probe_info *l = *(struct nnp_probe_info *const *)x;
	const struct nnp_probe_info *r = *(struct nnp_probe_info *const *)y;

	return l->probe_id < r->probe_id ? -1 : l->probe_id > r->probe_id;
}

static json_object *probe_json(struct builder *b, const struct nnp_probe_info *pi)
{
	json_object *o = new_obj(b);

	add_u64(b, o, "probe_id", pi->probe_id);
	add_str(b, o, "label", pi->label);
	add_str(b, o, "op", pi->op);
	add_str(b, o, "runtime", pi->runtime);
	return o;
}

static json_object *probes_json(struct builder *b, const struct nnp_agg *a)
{
	size_t i = 0, n = HASH_COUNT(a->probes);
	struct nnp_probe_info *pi, *tmp, **v;
	json_object *arr;

	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		b->err = -ENOMEM;
		return NULL;
	}
	HASH_ITER(hh, a->probes, pi, tmp)
		v[i++] = pi;
	qsort(v, n, sizeof(*v), cmp_probe);
	arr = new_arr(b);
	for (i = 0; i < n && !b->err; i++)
		append(b, arr, probe_json(b, v[i]));
	free(v);
	return arr;
}

static json_object *stats_json(struct builder *b, const struct nnp_agg *a,
			       const struct nnp_rec_meta *m)
{
	json_object *o = new_obj(b);

	add_u64(b, o, "events", a->events);
	add_u64(b, o, "lost_events", m->lost_events);
	add_u64(b, o, "unmatched", m->unmatched);
	add_u64(b, o, "fetch_errors", m->fetch_errors);
	add_u64(b, o, "probe_hits", m->probe_hits);
	add_u64(b, o, "bad_events", a->bad_events);
	add_u64(b, o, "dropped_layers", a->dropped_layers);
	add_u64(b, o, "evicted_procs", a->evicted_procs);
	add_u64(b, o, "refused_events", a->refused_events);
	add_u64(b, o, "dropped_names", a->dropped_names);
	return o;
}

static void add_run(struct builder *b, json_object *o, const struct nnp_rec_meta *m)
{
	json_object *host = new_obj(b);

	add_str(b, o, "nnperf_version", NNPERF_VERSION);
	add_time(b, o, m->start_realtime_ns);
	add_u64(b, o, "duration_ns", m->duration_ns);
	add_str(b, host, "hostname", m->hostname);
	add_str(b, host, "kernel", m->kernel);
	add(b, o, "host", host);
	add_str(b, o, "command", m->command);
	if (m->target_pid > 0)
		add_int(b, o, "target_pid", m->target_pid);
	else
		add_null(o, "target_pid");
	if (m->exit_status >= 0)
		add_int(b, o, "exit_status", m->exit_status);
	else
		add_null(o, "exit_status");
	add_u64(b, o, "ringbuf_bytes", m->ringbuf_bytes);
	add_u64(b, o, "sample", nnp_agg_sample(b->a));
}

static json_object *kernel_info_json(struct builder *b, const struct nnp_rec_kernel *ki)
{
	json_object *o = new_obj(b), *arr = new_arr(b);

	add_str(b, o, "sched", ki->sched);
	add_str(b, o, "fault_timing", ki->fault);
	add_str(b, o, "fault_timing_why", ki->fault_why);
	for (int i = 0; ki->counters && i < ki->counters->nreq; i++) {
		const struct nnp_counter_req *r = &ki->counters->req[i];
		json_object *c = new_obj(b);

		add_str(b, c, "name", r->name);
		add(b, c, "available", json_object_new_boolean(r->slot >= 0));
		add_str(b, c, "why", r->slot >= 0 ? NULL : r->why);
		append(b, arr, c);
	}
	add(b, o, "counters", arr);
	return o;
}

/*
 * The document is written as it is built, one layer object at a time, so
 * memory does not grow with the number of layers. Its bytes are what json-c
 * prints for the whole tree: json-c's pretty printer writes a value at depth d
 * as it writes it alone, with 2 * d more spaces after each newline (strings
 * never hold a raw newline), and a container as "[" or "{", a newline, its
 * members each indented one level deeper and separated by ",\n", a newline
 * if it had members, and the closing bracket indented at its own depth.
 * "layers" is the last member of a process and "processes" the last of the
 * root, so an object is printed without them, its closing "\n}" cut, and the
 * array streamed after it.
 */
static void put_indent(FILE *f, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", f);
}

/* o at depth; open: without its closing "\n}" (more members follow). Puts o. */
static void put_obj(struct builder *b, FILE *f, json_object *o, int depth, bool open)
{
	const char *t = b->err ? NULL : json_object_to_json_string_ext(o, JSON_STYLE);
	size_t len = t ? strlen(t) : 0;
	const char *nl;

	if (!t || (open && (len < 2 || strcmp(t + len - 2, "\n}")))) {
		b->err = b->err ? b->err : -ENOMEM;
		goto cleanup;
	}
	len -= open ? 2 : 0;
	while ((nl = memchr(t, '\n', len))) {
		fwrite(t, 1, (size_t)(nl - t) + 1, f);
		put_indent(f, depth);
		len -= (size_t)(nl - t) + 1;
		t = nl + 1;
	}
	fwrite(t, 1, len, f);
cleanup:
	json_object_put(o);
}

/* before member i of an array at depth: "[\n" is written, members are separated by ",\n" */
static void put_member(FILE *f, size_t i, int depth)
{
	if (i)
		fputs(",\n", f);
	put_indent(f, depth + 1);
}

/* closes an array at depth that had n members, and the object around it */
static void put_close(FILE *f, size_t n, int depth)
{
	if (n)
		fputc('\n', f);
	put_indent(f, depth);
	fputs("]\n", f);
	put_indent(f, depth - 1);
	fputc('}', f);
}

static void put_proc(struct builder *b, FILE *f, const struct nnp_proc_stats *p, int depth)
{
	struct nnp_layer_stats **ls = NULL;
	size_t n = 0;

	if (!b->err)
		b->err = nnp_agg_sorted_layers(p, &ls, &n);
	if (!b->err && b->by != NNP_GROUP_NONE)
		b->err = nnp_rec_groups(b->a, ls, n, b->by, &b->groups, &b->ngroups, &b->of_layer);
	put_obj(b, f, proc_json(b, p), depth, true);
	if (b->err)
		goto cleanup;
	fputs(",\n", f);
	put_indent(f, depth + 1);
	fputs("\"layers\": [\n", f);
	for (size_t i = 0; i < n && !b->err; i++) {
		put_member(f, i, depth + 1);
		put_obj(b, f, layer_json(b, p, ls[i], i), depth + 2, false);
	}
	put_close(f, n, depth + 1);
cleanup:
	free(ls);
	free(b->groups);
	free(b->of_layer);
	b->groups = NULL;
	b->of_layer = NULL;
	b->ngroups = 0;
}

static void put_procs(struct builder *b, FILE *f, const struct nnp_agg *a)
{
	struct nnp_proc_stats **ps;
	size_t n = 0;

	b->err = b->err ? b->err : nnp_rec_sorted_procs(a, &ps, &n);
	if (b->err)
		return;
	fputs(",\n  \"processes\": [\n", f);
	for (size_t i = 0; i < n && !b->err; i++) {
		put_member(f, i, 1);
		put_proc(b, f, ps[i], 2);
	}
	free(ps);
	put_close(f, n, 1);
}

int nnp_recording_write_json(FILE *f, const struct nnp_agg *a, const struct nnp_rec_meta *m)
{
	struct builder b = { .ki = m->kernel_info, .a = a, .by = m->group_by };
	json_object *root = new_obj(&b);

	add_str(&b, root, "schema", NNP_RECORDING_SCHEMA);
	add_int(&b, root, "version", NNP_RECORDING_VERSION);
	add_run(&b, root, m);
	add(&b, root, "stats", stats_json(&b, a, m));
	if (b.ki)
		add(&b, root, "kernel_signals", kernel_info_json(&b, b.ki));
	add(&b, root, "probes", probes_json(&b, a));
	if (m->overhead)
		add(&b, root, "overhead", nnp_rec_overhead_json(a, m->overhead));
	put_obj(&b, f, root, 0, true);
	put_procs(&b, f, a);
	fputc('\n', f);
	errno = 0;
	if (!b.err && (ferror(f) || fflush(f) == EOF))
		b.err = errno ? -errno : -EIO;
	return b.err;
}

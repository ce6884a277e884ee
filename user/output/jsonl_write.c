// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "jsonl_write.h"
#include "recording_overhead.h"
#include "text.h"

/* json-c writes bytes as given: untrusted names are made valid UTF-8 first */
static int add_str(struct json_object *o, const char *key, const char *v)
{
	char *clean = nnp_utf8_sanitize(v ? v : "");
	int err;

	if (!clean)
		return -ENOMEM;
	err = json_object_object_add(o, key, json_object_new_string(clean));
	free(clean);
	return err ? -ENOMEM : 0;
}

static void add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

/* exact nanoseconds, without the 17 digits json-c would print for a double */
static void add_sec(struct json_object *o, const char *key, uint64_t ns)
{
	char txt[32];

	snprintf(txt, sizeof(txt), "%" PRIu64 ".%09" PRIu64, ns / 1000000000u, ns % 1000000000u);
	json_object_object_add(o, key, json_object_new_double_s((double)ns / 1e9, txt));
}

/* count, sum, p50, p99, max: enough for a dashboard without the buckets */
static void add_hist(struct json_object *o, const struct nnp_hist *h)
{
	add_u64(o, "count", h->count);
	add_sec(o, "sum_s", h->sum);
	add_sec(o, "p50_s", nnp_hist_quantile(h, 0.50));
	add_sec(o, "p99_s", nnp_hist_quantile(h, 0.99));
	add_sec(o, "max_s", h->count ? h->max : 0);
}

static struct json_object *layer_obj(const struct nnp_agg *a, const struct nnp_layer_stats *l,
				     enum nnp_group_by by)
{
	struct json_object *o = json_object_new_object();
	char group[NNP_GROUP_LEN];

	if (!o)
		return NULL;
	if (add_str(o, "layer", l->name) || add_str(o, "op", l->op) ||
	    (by != NNP_GROUP_NONE && nnp_group_of(by, l->name, l->op, group, sizeof(group)) >= 0 &&
	     add_str(o, "group", group))) {
		json_object_put(o);
		return NULL;
	}
	add_hist(o, &l->hist);
	add_sec(o, "self_s", l->self_ns);
	/* --overhead-budget measured it part of the time: count and times are of those calls */
	if (nnp_agg_probe_scale(a, l) > 1)
		json_object_object_add(o, "sampled_fraction",
				       json_object_new_double(1 / nnp_agg_probe_scale(a, l)));
	return o;
}

static int add_layers(struct json_object *o, const struct nnp_agg *a,
		      const struct nnp_proc_stats *p, enum nnp_group_by by)
{
	struct json_object *arr = json_object_new_array();
	struct nnp_layer_stats **v;
	size_t n;
	int err = arr ? nnp_agg_sorted_layers(p, &v, &n) : -ENOMEM;

	if (err) {
		json_object_put(arr);
		return err;
	}
	for (size_t i = 0; i < n && !err; i++) {
		struct json_object *l = layer_obj(a, v[i], by);

		err = l ? json_object_array_add(arr, l) : -ENOMEM;
	}
	free(v);
	json_object_object_add(o, "layers", arr);
	return err ? -ENOMEM : 0;
}

static struct json_object *head(const char *type, uint64_t time_ns)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "version", json_object_new_int(NNP_JSONL_VERSION));
	add_sec(o, "time", time_ns);
	return o;
}

static struct json_object *proc_obj(const struct nnp_agg *a, const struct nnp_proc_stats *p,
				    const struct nnp_proc_labels *pl, uint64_t time_ns,
				    enum nnp_group_by by)
{
	struct json_object *o = head("process", time_ns), *inf = json_object_new_object();
	int err = o && inf ? 0 : -ENOMEM;

	if (!err) {
		add_u64(o, "pid", p->tgid);
		err = add_str(o, "comm", p->comm);
		if (!err)
			err = add_str(o, "runtime", pl->runtime);
		if (!err)
			err = add_str(o, "model", pl->model);
	}
	if (!err) {
		json_object_object_add(o, "exited", json_object_new_boolean(p->exited));
		add_hist(inf, &p->infer);
		json_object_object_add(o, "inferences", inf);
		inf = NULL;
		err = add_layers(o, a, p, by);
	}
	json_object_put(inf);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *self_obj(const struct nnp_agg *a, const struct nnp_self_stats *s,
				    uint64_t time_ns, const struct nnp_rec_overhead *ov)
{
	struct json_object *o = head("nnperf", time_ns);

	if (!o)
		return NULL;
	add_u64(o, "targets", s->targets);
	add_u64(o, "events", a->events);
	add_u64(o, "events_lost", s->bpf[NNP_STAT_LOST]);
	add_u64(o, "probe_hits", s->bpf[NNP_STAT_HITS]);
	add_u64(o, "unmatched_ends", s->bpf[NNP_STAT_UNMATCHED]);
	add_u64(o, "fetch_errors", s->bpf[NNP_STAT_FETCH_ERR]);
	add_u64(o, "attaches", s->attaches);
	add_u64(o, "attach_failures", s->attach_failures);
	add_sec(o, "cpu_s", s->cpu_ns);
	add_u64(o, "sample", nnp_agg_sample(a));
	if (ov && json_object_object_add(o, "overhead", nnp_rec_overhead_json(a, ov))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int emit(FILE *f, struct json_object *o)
{
	int err = 0;

	if (!o)
		return -ENOMEM;
	if (fprintf(f, "%s\n",
		    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		err = -EIO;
	json_object_put(o);
	return err;
}

int nnp_jsonl_write(FILE *f, const struct nnp_agg *a, nnp_proc_labels_fn labels, void *ctx,
		    const struct nnp_self_stats *self, uint64_t time_ns, enum nnp_group_by by,
		    const struct nnp_rec_overhead *ov)
{
	int err = 0;

	for (const struct nnp_proc_stats *p = a->procs; p && !err; p = p->hh.next) {
		struct nnp_proc_labels pl = { 0 };

		if (labels && !labels(ctx, p->tgid, &pl))
			continue;
		err = emit(f, proc_obj(a, p, &pl, time_ns, by));
	}
	if (!err)
		err = emit(f, self_obj(a, self, time_ns, ov));
	if (fflush(f) && !err)
		err = -errno;
	return err;
}

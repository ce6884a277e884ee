// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runs combine exactly where statistics allow it: counts and totals add,
 * means weight by count, variances combine with Chan's formula from each
 * run's mean and standard deviation. Percentiles cannot be combined from
 * summaries, so a merged pXX is the median of the runs' pXX (documented in
 * docs/diff.md); min and max are the extremes.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "diff_profile.h"
#include "recording_read.h"

static const char *const pct_keys[3] = { "p50_ns", "p90_ns", "p99_ns" };

static void dist_init(struct diff_dist *d)
{
	*d = (struct diff_dist){
		.mean_ns = NAN, .sd_ns = NAN, .min_ns = NAN, .max_ns = NAN, .unit_sd_ns = NAN
	};
}

static void dist_free(struct diff_dist *d)
{
	for (int i = 0; i < 3; i++) {
		free(d->pct[i].v);
		d->pct[i] = (struct diff_runs){ 0 };
	}
	free(d->means.v);
	d->means = (struct diff_runs){ 0 };
}

int diff_profile_init(struct diff_profile *p, const char *label)
{
	memset(p, 0, sizeof(*p));
	dist_init(&p->infer);
	p->label = strdup(label);
	return p->label ? 0 : -ENOMEM;
}

static void layer_free(struct diff_layer *l)
{
	free(l->name);
	free(l->op);
	dist_free(&l->d);
	for (size_t i = 0; i < l->nkernel; i++)
		free(l->kernel[i].key);
	free(l->kernel);
}

void diff_profile_free(struct diff_profile *p)
{
	struct diff_layer_index *e, *tmp;

	HASH_ITER(hh, p->index, e, tmp) {
		HASH_DEL(p->index, e);
		free(e->key);
		free(e);
	}
	for (size_t i = 0; i < p->nlayers; i++)
		layer_free(&p->layers[i]);
	free(p->layers);
	dist_free(&p->infer);
	free(p->label);
	free(p->command);
	memset(p, 0, sizeof(*p));
}

/* a JSON number as a double; NAN for null, a missing key or another type */
static double num(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NAN;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		return json_object_get_double(v);
	return NAN;
}

static int push_run(struct diff_runs *r, double v)
{
	double *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	r->v = nv;
	r->v[r->n++] = v;
	return 0;
}

/* Chan et al.: the sum of squared deviations of two groups joined */
static void dist_combine(struct diff_dist *d, double n, double mean, double m2)
{
	double n0 = (double)d->count, delta;

	if (!d->count) {
		d->mean_ns = mean;
		d->m2 = m2;
		return;
	}
	delta = mean - d->mean_ns;
	d->mean_ns += delta * n / (n0 + n);
	d->m2 += m2 + delta * delta * n0 * n / (n0 + n);
}

/* 2^64: doubles at or above it do not convert to uint64_t */
#define U64_LIMIT 18446744073709551616.0

static int dist_add(struct diff_dist *d, json_object *o)
{
	double n = num(o, "count"), total = num(o, "total_ns"), sd = num(o, "stddev_ns"), v;
	int err = 0;

	if (!(n >= 1) || isnan(total))
		return 0; /* no executions: nothing to add, not even a percentile */
	if (!(n < U64_LIMIT) || !(total >= 0 && total < U64_LIMIT))
		return -EINVAL; /* no recording counts that far: a damaged file */
	if (n >= 2 && isnan(sd))
		d->sd_unknown = true;
	dist_combine(d, n, total / n, n >= 2 && !isnan(sd) ? sd * sd * (n - 1) : 0);
	d->count += (uint64_t)n;
	d->total_ns += total;
	v = num(o, "min_ns");
	if (!isnan(v) && !(v >= d->min_ns))
		d->min_ns = v;
	v = num(o, "max_ns");
	if (!isnan(v) && !(v <= d->max_ns))
		d->max_ns = v;
	d->units++;
	err = push_run(&d->means, total / n);
	for (int i = 0; i < 3 && !err; i++) {
		v = num(o, pct_keys[i]);
		if (!isnan(v))
			err = push_run(&d->pct[i], v);
	}
	return err;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double median(struct diff_runs *r)
{
	if (!r->n)
		return NAN;
	qsort(r->v, r->n, sizeof(*r->v), cmp_double);
	if (r->n % 2)
		return r->v[r->n / 2];
	return (r->v[r->n / 2 - 1] + r->v[r->n / 2]) / 2;
}

/* sample standard deviation of the runs' means: the spread a rerun shows */
static double runs_sd(const struct diff_runs *r)
{
	double mean = 0, m2 = 0;

	if (r->n < 2)
		return NAN;
	for (size_t i = 0; i < r->n; i++)
		mean += r->v[i] / (double)r->n;
	for (size_t i = 0; i < r->n; i++)
		m2 += (r->v[i] - mean) * (r->v[i] - mean);
	return sqrt(m2 / (double)(r->n - 1));
}

static void dist_finish(struct diff_dist *d)
{
	double *p[3] = { &d->p50_ns, &d->p90_ns, &d->p99_ns };

	if (!d->count)
		d->mean_ns = NAN;
	d->sd_ns = d->count >= 2 && !d->sd_unknown ? sqrt(d->m2 / (double)(d->count - 1)) : NAN;
	for (int i = 0; i < 3; i++)
		*p[i] = median(&d->pct[i]);
	d->unit_sd_ns = runs_sd(&d->means);
	dist_free(d);
}

int diff_profile_finish(struct diff_profile *p)
{
	dist_finish(&p->infer);
	for (size_t i = 0; i < p->nlayers; i++)
		dist_finish(&p->layers[i].d);
	return 0;
}

double diff_calls_per_infer(const struct diff_profile *p, const struct diff_layer *l)
{
	if (!p->infer.count)
		return NAN;
	return l->calls_est / (double)p->infer.count;
}

static int kfield_put(struct diff_layer *l, const char *key, json_object *v, double weight)
{
	bool null = !v;
	double val = null ? NAN : json_object_get_double(v);
	struct diff_kfield *f, *nk;

	for (size_t i = 0; i < l->nkernel; i++) {
		f = &l->kernel[i];
		if (strcmp(f->key, key))
			continue;
		if (null)
			return 0; /* a run without the signal leaves the others' value */
		if (f->null)
			*f = (struct diff_kfield){ .key = f->key, .value = val, .weight = weight };
		else if (f->weight + weight > 0) {
			f->value = (f->value * f->weight + val * weight) / (f->weight + weight);
			f->weight += weight;
		}
		return 0;
	}
	nk = realloc(l->kernel, (l->nkernel + 1) * sizeof(*nk));
	if (!nk)
		return -ENOMEM;
	l->kernel = nk;
	f = &l->kernel[l->nkernel];
	*f = (struct diff_kfield){
		.key = strdup(key), .null = null, .value = val, .weight = weight
	};
	if (!f->key)
		return -ENOMEM;
	l->nkernel++;
	return 0;
}

/* Every numeric (or null) member, nested objects flattened as "outer.inner". */
static int kernel_add(struct diff_layer *l, json_object *o, const char *prefix, double weight)
{
	char key[256];
	int err = 0;

	json_object_object_foreach(o, k, v)
	{
		snprintf(key, sizeof(key), "%s%s%s", prefix, prefix[0] ? "." : "", k);
		if (!v || json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_double))
			err = kfield_put(l, key, v, weight);
		else if (json_object_is_type(v, json_type_object))
			err = kernel_add(l, v, key, weight);
		if (err)
			return err;
	}
	return 0;
}

static char *index_key(const char *name, const char *op, unsigned int occ)
{
	char *k = NULL;

	if (asprintf(&k, "%s\x1f%s\x1f%u", name, op, occ) < 0)
		return NULL;
	return k;
}

static int grow(struct diff_profile *p)
{
	size_t cap = p->cap * 2 + 16;
	struct diff_layer *nl;

	if (p->nlayers < p->cap)
		return 0;
	nl = reallocarray(p->layers, cap, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	p->layers = nl;
	p->cap = cap;
	return 0;
}

static struct diff_layer *new_layer(struct diff_profile *p, const char *name, const char *op,
				    unsigned int occ, char *key)
{
	struct diff_layer_index *e = calloc(1, sizeof(*e));
	struct diff_layer *l;

	if (!e || grow(p)) {
		free(e);
		return NULL;
	}
	l = &p->layers[p->nlayers];
	*l = (struct diff_layer){ .name = strdup(name), .op = strdup(op), .occurrence = occ };
	dist_init(&l->d);
	if (!l->name || !l->op) {
		layer_free(l);
		free(e);
		return NULL;
	}
	e->key = key;
	e->idx = p->nlayers++;
	HASH_ADD_KEYPTR(hh, p->index, e->key, strlen(e->key), e);
	return l;
}

static struct diff_layer *find_layer(struct diff_profile *p, const char *name, const char *op,
				     unsigned int occ)
{
	struct diff_layer_index *e;
	char *key = index_key(name, op, occ);
	struct diff_layer *l;

	if (!key)
		return NULL;
	HASH_FIND_STR(p->index, key, e);
	if (e) {
		free(key);
		return &p->layers[e->idx];
	}
	l = new_layer(p, name, op, occ, key);
	if (!l)
		free(key);
	return l;
}

/* how many layers named (name, op) a process showed before this one */
struct occ_count {
	char *key;
	unsigned int n;
	UT_hash_handle hh;
};

static int next_occurrence(struct occ_count **seen, const char *name, const char *op,
			   unsigned int *occ)
{
	char *key = index_key(name, op, 0);
	struct occ_count *c;

	if (!key)
		return -ENOMEM;
	HASH_FIND_STR(*seen, key, c);
	if (c) {
		free(key);
		*occ = c->n++;
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		free(key);
		return -ENOMEM;
	}
	c->key = key;
	c->n = 1;
	*occ = 0;
	HASH_ADD_KEYPTR(hh, *seen, c->key, strlen(c->key), c);
	return 0;
}

static void occ_free(struct occ_count **seen)
{
	struct occ_count *c, *tmp;

	HASH_ITER(hh, *seen, c, tmp) {
		HASH_DEL(*seen, c);
		free(c->key);
		free(c);
	}
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* a recording of one layer call in `sample` stands for sample times its calls and time;
 * a layer --overhead-budget measured in a part of each inference, for 1/part times */
static int add_layer(struct diff_profile *p, struct occ_count **seen, json_object *lo,
		     double sample)
{
	const char *name = str(lo, "name"), *op = str(lo, "op");
	struct diff_layer *l;
	json_object *k;
	unsigned int occ;
	double self, depth, n = num(lo, "count"), part = 1;
	int err;

	if (!name || !json_object_is_type(lo, json_type_object))
		return -EINVAL;
	if (json_object_object_get_ex(lo, "sampled_fraction", NULL)) {
		part = num(lo, "sampled_fraction");
		if (!(part > 0 && part <= 1))
			return -ERANGE;
		sample /= part;
	}
	op = op ? op : "";
	err = next_occurrence(seen, name, op, &occ);
	if (err)
		return err;
	l = find_layer(p, name, op, occ);
	if (!l)
		return -ENOMEM;
	err = dist_add(&l->d, lo);
	depth = num(lo, "depth");
	/* a bound for indentation: NNP_AGG_MAX_NEST is 8; hostile files say anything */
	if (l->d.units <= 1 && depth >= 1 && depth <= 64)
		l->depth = (unsigned int)depth;
	self = num(lo, "self_ns");
	self = isnan(self) ? num(lo, "total_ns") : self;
	if (!isnan(self))
		l->self_ns += self * sample;
	if (n >= 1 && n < U64_LIMIT)
		l->calls_est += n * sample;
	if (!err && json_object_object_get_ex(lo, "kernel", &k) &&
	    json_object_is_type(k, json_type_object))
		err = kernel_add(l, k, "", num(lo, "count"));
	return err;
}

static int add_process(struct diff_profile *p, json_object *po, double sample, char *err,
		       size_t errlen)
{
	struct occ_count *seen = NULL;
	json_object *inf, *layers;
	int ret = 0;

	if (!json_object_is_type(po, json_type_object) ||
	    !json_object_object_get_ex(po, "layers", &layers) ||
	    !json_object_is_type(layers, json_type_array)) {
		snprintf(err, errlen, "a process has no \"layers\" array");
		return -EINVAL;
	}
	if (json_object_object_get_ex(po, "inferences", &inf) &&
	    json_object_is_type(inf, json_type_object))
		ret = dist_add(&p->infer, inf);
	for (size_t i = 0; !ret && i < json_object_array_length(layers); i++) {
		ret = add_layer(p, &seen, json_object_array_get_idx(layers, i), sample);
		if (ret == -EINVAL)
			snprintf(err, errlen, "layer %zu of a process has no \"name\" string", i);
		if (ret == -ERANGE) {
			snprintf(err, errlen, "layer %zu: \"sampled_fraction\" is not in (0, 1]",
				 i);
			ret = -EINVAL;
		}
	}
	occ_free(&seen);
	return ret;
}

/* "sample" (--sample N): 1 in recordings written before it */
static int rec_sample(json_object *rec, double *sample, char *err, size_t errlen)
{
	*sample = json_object_object_get_ex(rec, "sample", NULL) ? num(rec, "sample") : 1;
	if (*sample >= 1 && *sample <= UINT32_MAX && *sample == floor(*sample))
		return 0;
	snprintf(err, errlen, "\"sample\" is not a whole number from 1 to %u", UINT32_MAX);
	return -EINVAL;
}

int diff_profile_add(struct diff_profile *p, json_object *rec, char *err, size_t errlen)
{
	json_object *procs, *stats;
	const char *cmd = str(rec, "command");
	double lost, sample;
	int ret = 0;

	if (!json_object_object_get_ex(rec, "processes", &procs) ||
	    !json_object_is_type(procs, json_type_array)) {
		snprintf(err, errlen, "no \"processes\" array");
		return -EINVAL;
	}
	ret = rec_sample(rec, &sample, err, errlen);
	if (ret)
		return ret;
	if (json_object_object_get_ex(rec, "stats", &stats) &&
	    (lost = num(stats, "lost_events")) >= 0 && lost < U64_LIMIT)
		p->lost_events += (uint64_t)lost;
	if (!p->runs && cmd && !(p->command = strdup(cmd)))
		return -ENOMEM;
	p->runs++;
	for (size_t i = 0; !ret && i < json_object_array_length(procs); i++)
		ret = add_process(p, json_object_array_get_idx(procs, i), sample, err, errlen);
	if (ret == -EINVAL && errlen && !err[0])
		snprintf(err, errlen, "a layer's numbers are out of range (count or total_ns)");
	return ret;
}

int diff_profile_load(struct diff_profile *p, const char *path, char *err, size_t errlen)
{
	json_object *rec;
	char why[256] = "";
	int ret;

	ret = nnp_recording_read(path, &rec, err, errlen);
	if (ret)
		return ret;
	ret = diff_profile_add(p, rec, why, sizeof(why));
	if (ret == -EINVAL)
		snprintf(err, errlen, "%s: invalid recording: %s", path, why);
	else if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	json_object_put(rec);
	return ret;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "recording_overhead.h"
#include "text.h"

/* 4 decimals, as the rest of the recording's fractions */
static json_object *fixed(double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.4f", v);
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static bool put(json_object *o, const char *key, json_object *v)
{
	if (v && !json_object_object_add(o, key, v))
		return true;
	json_object_put(v);
	return false;
}

static const char *probe_label(const struct nnp_agg *a, uint32_t probe_id)
{
	const struct nnp_probe_info *pi = nnp_agg_probe(a, probe_id);

	return pi ? pi->label : "?";
}

static json_object *sampled_json(const struct nnp_agg *a, const struct nnp_rec_sampled *s)
{
	json_object *o = json_object_new_object();
	char *label = nnp_utf8_sanitize(probe_label(a, s->probe_id));
	bool ok = o && label;

	ok = ok && put(o, "probe_id", json_object_new_uint64(s->probe_id));
	ok = ok && put(o, "label", json_object_new_string(label));
	ok = ok && put(o, "fraction", fixed(s->fraction));
	ok = ok && put(o, "cost_ns_per_inference", json_object_new_uint64((uint64_t)s->cost_ns));
	free(label);
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static bool put_estimates(json_object *o, const struct nnp_rec_overhead *ov)
{
	bool ok = true;

	if (!ov->estimated) {
		json_object_object_add(o, "estimated_pct", NULL);
		json_object_object_add(o, "full_pct", NULL);
		return true;
	}
	ok = ok && put(o, "estimated_pct", fixed(ov->est_pct));
	ok = ok && put(o, "planned_pct", fixed(ov->planned_pct));
	ok = ok && put(o, "full_pct", fixed(ov->full_pct));
	ok = ok && put(o, "fixed_pct", fixed(100 * ov->fixed_ns / ov->base_ns));
	ok = ok &&
	     put(o, "estimated_ns_per_inference", json_object_new_uint64((uint64_t)ov->est_ns));
	ok = ok && put(o, "full_ns_per_inference", json_object_new_uint64((uint64_t)ov->full_ns));
	ok = ok && put(o, "own_ns_per_inference", json_object_new_uint64((uint64_t)ov->base_ns));
	ok = ok && put(o, "hits_per_inference", fixed(ov->hits));
	ok = ok && put(o, "bpf_ns_per_hit", fixed(ov->bpf_ns_per_hit));
	ok = ok && put(o, "bpf_ns_measured", json_object_new_boolean(ov->bpf_measured));
	ok = ok && put(o, "reachable", json_object_new_boolean(ov->reachable));
	return ok && put(o, "rate", fixed(ov->duty));
}

json_object *nnp_rec_overhead_json(const struct nnp_agg *a, const struct nnp_rec_overhead *ov)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	bool ok = o && arr;

	for (size_t i = 0; ok && i < ov->nsampled; i++) {
		json_object *s = sampled_json(a, &ov->sampled[i]);

		ok = s && !json_object_array_add(arr, s);
		if (!ok)
			json_object_put(s);
	}
	ok = ok && put(o, "budget_pct", fixed(ov->budget_pct));
	ok = ok && put(o, "estimated", json_object_new_boolean(ov->estimated));
	ok = ok && put_estimates(o, ov);
	if (ok && put(o, "sampled", arr))
		return o;
	if (!ok) /* put() releases what it fails to add */
		json_object_put(arr);
	json_object_put(o);
	return NULL;
}

void nnp_rec_overhead_print(FILE *f, const struct nnp_agg *a, const struct nnp_rec_overhead *ov)
{
	if (!ov->estimated) {
		fprintf(f,
			"overhead: not estimated (budget %.2f%%): no inference ran long enough\n",
			ov->budget_pct);
		return;
	}
	fprintf(f,
		"overhead: estimated %.2f%% of the target's time, %.1f us per inference "
		"(%.2f%% with every probe; budget %.2f%%; BPF %.0f ns a hit, %s)\n",
		ov->est_pct, ov->est_ns / 1e3, ov->full_pct, ov->budget_pct, ov->bpf_ns_per_hit,
		ov->bpf_measured ? "measured" : "assumed");
	if (!ov->reachable)
		fprintf(f,
			"overhead budget out of reach: inference probes and kernel hooks alone "
			"add %.2f%%\n",
			100 * ov->fixed_ns / ov->base_ns);
	if (!ov->nsampled)
		return;
	fprintf(f, "sampled to fit: %zu layer probes measured part of the time:", ov->nsampled);
	for (size_t i = 0; i < ov->nsampled; i++)
		fprintf(f, "%s %s %.1f%%", i ? "," : "", probe_label(a, ov->sampled[i].probe_id),
			100 * ov->sampled[i].fraction);
	fprintf(f, "; their CALLS, TOTAL and times are of the calls measured, SHARE is scaled "
		   "to all calls; inferences are all measured\n");
}

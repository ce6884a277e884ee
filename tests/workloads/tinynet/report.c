/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The --self-profile JSON (the ground truth tests compare nnperf with) and --list-layers. */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>

#include "cli.h"

static int add(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int add_int(json_object *obj, const char *key, uint64_t v)
{
	return add(obj, key, json_object_new_int64((int64_t)v));
}

static uint64_t mean(uint64_t sum, uint64_t n)
{
	return n ? (sum + n / 2) / n : 0;
}

static json_object *layer_json(const struct tinynet_layer *l, const struct tinynet_result *r)
{
	json_object *o = json_object_new_object();
	int i = l->id, err = o ? 0 : -ENOMEM;
	uint64_t calls = r->layer_calls[i];

	err = err ?: add_int(o, "id", i);
	err = err ?: add(o, "name", json_object_new_string(l->name));
	err = err ?: add(o, "op", json_object_new_string(l->op));
	err = err ?: add_int(o, "calls", calls);
	err = err ?: add_int(o, "mean_ns", mean(r->layer_ns[i], calls));
	err = err ?: add_int(o, "min_ns", calls ? r->layer_min_ns[i] : 0);
	err = err ?: add_int(o, "max_ns", r->layer_max_ns[i]);
	err = err ?: add_int(o, "total_ns", r->layer_ns[i]);
	err = err ?: add_int(o, "macs", l->macs);
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *profile_json(const struct tinynet_model *m, const struct tinynet_opts *o,
				 const struct tinynet_result *r)
{
	json_object *doc = json_object_new_object(), *layers = json_object_new_array();
	char checksum[32];
	int err = doc && layers ? 0 : -ENOMEM;

	snprintf(checksum, sizeof(checksum), "0x%016" PRIx64, r->checksum);
	err = err ?: add(doc, "model", json_object_new_string(tinynet_variant_name(o->variant)));
	err = err ?: add_int(doc, "seed", o->seed);
	err = err ?: add_int(doc, "iterations", o->iterations);
	err = err ?: add_int(doc, "threads", o->threads);
	err = err ?: add(doc, "checksum", json_object_new_string(checksum));
	err = err ?: add_int(doc, "total_ns", r->total_ns);
	err = err ?: add_int(doc, "inference_ns_mean", mean(r->infer_ns, o->iterations));
	err = err ?: add_int(doc, "inference_ns_min", r->infer_min_ns);
	err = err ?: add_int(doc, "inference_ns_max", r->infer_max_ns);
	for (int i = 0; !err && i < m->n_layers; i++) {
		json_object *l = layer_json(&m->layers[i], r);

		err = l && !json_object_array_add(layers, l) ? 0 : -ENOMEM;
		if (err)
			json_object_put(l);
	}
	if (!err) {
		err = add(doc, "layers", layers);
		layers = NULL;
	}
	json_object_put(layers);
	if (err) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

int tinynet_profile_write(const struct tinynet_model *m, const struct tinynet_opts *o,
			  const struct tinynet_result *r, FILE *f)
{
	json_object *doc = profile_json(m, o, r);
	int err = 0;

	if (!doc) {
		tinynet_err("failed to build the self-profile JSON: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	if (fprintf(f, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY)) < 0 ||
	    fflush(f)) {
		err = -errno;
		tinynet_err("failed to write the self-profile: %s", strerror(-err));
	}
	json_object_put(doc);
	return err;
}

static void print_shape(const struct tinynet_shape *s)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%dx%dx%d", s->c, s->h, s->w);
	printf(" %-10s", buf);
}

/* MACs for conv and fc (nonzero weights only, when sparse); elements for the other ops. */
int tinynet_list_layers(uint64_t seed)
{
	struct tinynet_model m[TINYNET_VARIANTS] = { 0 };
	uint64_t total[TINYNET_VARIANTS] = { 0 };
	int err = 0, v;

	for (v = 0; !err && v < TINYNET_VARIANTS; v++)
		err = tinynet_model_build(&m[v], (enum tinynet_variant)v, seed);
	if (err) {
		tinynet_err("failed to build the %s model: %s", tinynet_variant_name(v - 1),
			    strerror(-err));
		goto cleanup;
	}
	printf("%-3s %-8s %-8s %-10s %-10s", "id", "name", "op", "out", "out_pruned");
	for (v = 0; v < TINYNET_VARIANTS; v++)
		printf(" macs_%-9s", tinynet_variant_name(v));
	printf("\n");
	for (int i = 0; i < m[0].n_layers; i++) {
		printf("%-3d %-8s %-8s", i, m[0].layers[i].name, m[0].layers[i].op);
		print_shape(&m[TINYNET_DENSE].layers[i].out);
		print_shape(&m[TINYNET_PRUNED].layers[i].out);
		for (v = 0; v < TINYNET_VARIANTS; v++) {
			printf(" %-14" PRIu64, m[v].layers[i].macs);
			total[v] += m[v].layers[i].macs;
		}
		printf("\n");
	}
	printf("%-3s %-8s %-8s %-10s %-10s", "", "total", "", "", "");
	for (v = 0; v < TINYNET_VARIANTS; v++)
		printf(" %-14" PRIu64, total[v]);
	printf("\n");
cleanup:
	for (v = 0; v < TINYNET_VARIANTS; v++)
		tinynet_model_free(&m[v]);
	return err;
}

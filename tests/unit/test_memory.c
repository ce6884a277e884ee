// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Memory regression guards for tens of thousands of layers (docs/performance.md,
 * goal "under 32 MiB with 10,000 layers"): what the aggregator keeps per layer,
 * and that the recording and the /metrics page are written without building
 * the whole document. Heap use is read with mallinfo2, which sanitizer
 * allocators do not feed: there the bounds are skipped, the outputs still checked.
 */
#include <json-c/json.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prom_metrics.h"
#include "recording.h"

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_MEASURED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_MEASURED 0
#endif
#endif
#ifndef HEAP_MEASURED
#define HEAP_MEASURED 1
#endif

#define NLAYERS 10000
#define TGID 4321u
#define LAYER_BYTES_MAX 768	  /* was ~2,600 with 60 row pointers per histogram */
#define WRITE_PEAK_MAX (4u << 20) /* the whole recording of NLAYERS is ~60 MiB as a tree */

static size_t heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void layer(struct nnp_agg *a, uint32_t tgid, uint64_t key, uint64_t start, uint64_t dur)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = tgid, .tid = tgid, .probe_id = 1 },
		.key = key,
		.start_ns = start,
		.end_ns = start + dur,
		.infer_seq = 1,
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static void name_ev(struct nnp_agg *a, uint64_t key, const char *name)
{
	struct nnp_name_event e = {
		.hdr = { .type = NNP_EV_NAME, .tgid = TGID, .tid = TGID, .probe_id = 1 },
		.key = key,
	};

	snprintf(e.name, sizeof(e.name), "%s", name);
	snprintf(e.op, sizeof(e.op), "Conv");
	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static void infer(struct nnp_agg *a, uint32_t tgid, uint64_t start, uint64_t dur)
{
	struct nnp_infer_event e = {
		.hdr = { .type = NNP_EV_INFER, .tgid = tgid, .tid = tgid },
		.start_ns = start,
		.end_ns = start + dur,
		.infer_seq = 1,
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

/* NLAYERS named layers, three calls each within +-10%, as in the benchmark */
static void big_agg(struct nnp_agg *a)
{
	char name[32];

	assert_int_equal(nnp_agg_init(a, NULL), 0);
	assert_int_equal(nnp_agg_add_probe(a, 1, "nnperf:layer_begin", "", "usdt"), 0);
	infer(a, TGID, 1000, 9000000000);
	for (uint64_t k = 1; k <= NLAYERS; k++) {
		snprintf(name, sizeof(name), k % 97 ? "layer_%05lu" : "l\"%lu\"/\xff", k);
		name_ev(a, k, name);
		for (uint64_t c = 0; c < 3; c++)
			layer(a, TGID, k, 2000 + k * 100000 + c, 20000 + (k * 7 + c * 1000) % 4000);
	}
}

static void test_layer_footprint(void **state)
{
	struct nnp_agg a;
	size_t before, per_layer;

	(void)state;
	before = heap_used();
	big_agg(&a);
	per_layer = (heap_used() - before) / NLAYERS;
	nnp_agg_free(&a);
	print_message("aggregator: %zu bytes a layer (struct nnp_layer_stats %zu)\n", per_layer,
		      sizeof(struct nnp_layer_stats));
	if (HEAP_MEASURED && per_layer > LAYER_BYTES_MAX)
		fail_msg("%zu bytes a layer, want <= %d", per_layer, LAYER_BYTES_MAX);
}

/* A sink that remembers the most heap in use while it was written to */
struct peak_sink {
	size_t base, peak;
	size_t bytes;
};

static ssize_t sink_write(void *cookie, const char *buf, size_t len)
{
	struct peak_sink *s = cookie;
	size_t used = heap_used();

	(void)buf;
	if (used > s->base && used - s->base > s->peak)
		s->peak = used - s->base;
	s->bytes += len;
	return (ssize_t)len;
}

static FILE *sink_open(struct peak_sink *s)
{
	cookie_io_functions_t io = { .write = sink_write };
	FILE *f;

	*s = (struct peak_sink){ 0 };
	f = fopencookie(s, "w", io);
	assert_non_null(f);
	s->base = heap_used();
	return f;
}

static const struct nnp_rec_meta meta = {
	.command = "nnperf-bench-calls layers 10000 3 0",
	.target_pid = (int)TGID,
	.hostname = "testhost",
	.kernel = "6.18.0-test",
	.exit_status = 0,
};

static void test_recording_streamed(void **state)
{
	struct peak_sink s;
	struct nnp_agg a;
	FILE *f;

	(void)state;
	big_agg(&a);
	f = sink_open(&s);
	assert_int_equal(nnp_recording_write_json(f, &a, &meta), 0);
	assert_int_equal(fclose(f), 0);
	nnp_agg_free(&a);
	print_message("recording: %zu bytes written, heap peak +%zu\n", s.bytes, s.peak);
	assert_true(s.bytes > NLAYERS * 300);
	if (HEAP_MEASURED && s.peak > WRITE_PEAK_MAX)
		fail_msg("writing the recording took %zu bytes of heap, want <= %u", s.peak,
			 WRITE_PEAK_MAX);
}

static char *render(const struct nnp_agg *a, const struct nnp_rec_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(nnp_recording_write_json(f, a, m), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * The streamed document is what json-c prints for the whole tree: parse it
 * and print the tree, with a process without layers and a run without any
 * process for the empty arrays.
 */
static void check_same_as_tree(const struct nnp_agg *a, const struct nnp_rec_kernel *ki)
{
	struct nnp_rec_meta m = meta;
	json_object *root;
	char *doc;
	const char *tree;

	m.kernel_info = ki;
	doc = render(a, &m);
	root = json_tokener_parse(doc);
	assert_non_null(root);
	tree =
	    json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
	assert_non_null(tree);
	assert_int_equal(strlen(doc), strlen(tree) + 1);
	assert_memory_equal(doc, tree, strlen(tree));
	assert_string_equal(doc + strlen(tree), "\n");
	json_object_put(root);
	free(doc);
}

static void test_recording_same_as_tree(void **state)
{
	struct nnp_rec_kernel ki = { .sched = "tp_btf",
				     .fault = "none",
				     .fault_why = "no kprobes" };
	struct nnp_agg a;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	check_same_as_tree(&a, NULL);
	nnp_agg_free(&a);
	big_agg(&a);
	infer(&a, TGID + 1, 5000, 1000000);
	layer(&a, TGID + 2, 7, 100, 2500);
	check_same_as_tree(&a, NULL);
	check_same_as_tree(&a, &ki);
	nnp_agg_free(&a);
}

static bool all_labels(void *ctx, uint32_t tgid, struct nnp_proc_labels *out)
{
	(void)ctx;
	(void)tgid;
	*out = (struct nnp_proc_labels){ .runtime = "usdt", .model = "" };
	return true;
}

static void test_prom_streamed(void **state)
{
	struct nnp_self_stats self = { .version = "test", .hw_pmu = -1 };
	struct nnp_prom_page pg = { .labels = all_labels, .self = &self };
	struct peak_sink s;
	struct nnp_agg a;
	FILE *f;

	(void)state;
	big_agg(&a);
	pg.agg = &a;
	f = sink_open(&s);
	assert_int_equal(nnp_prom_render(f, NNP_PROM_TEXT, &pg), 0);
	assert_int_equal(fclose(f), 0);
	nnp_agg_free(&a);
	print_message("/metrics: %zu bytes written, heap peak +%zu\n", s.bytes, s.peak);
	assert_true(s.bytes > NLAYERS * 1000);
	if (HEAP_MEASURED && s.peak > WRITE_PEAK_MAX)
		fail_msg("rendering the page took %zu bytes of heap, want <= %u", s.peak,
			 WRITE_PEAK_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_footprint),
		cmocka_unit_test(test_recording_streamed),
		cmocka_unit_test(test_recording_same_as_tree),
		cmocka_unit_test(test_prom_streamed),
	};

	return cmocka_run_group_tests(tests, 0, NULL);
}

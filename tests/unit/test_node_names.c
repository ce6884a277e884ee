// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --node-names: ONNX Runtime node names and op types by NodeIndex from ORT's profile,
 * and the aggregator naming ONNX Runtime layers with them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "agg.h"
#include "node_names.h"

#define DATA(f) NNP_TEST_DATA_DIR "/ort/" f

static void test_profile(void **state)
{
	struct nnp_node_names m;
	const struct nnp_node_name *n;
	char err[512];

	(void)state;
	assert_int_equal(nnp_node_names_load(DATA("profile.json"), &m, err, sizeof(err)), 0);
	/* nodes 0 (twice: one entry), 55 and 118 (a number); fences and a bad index skipped */
	assert_int_equal(m.n, 3);
	n = nnp_node_names_find(&m, 0);
	assert_non_null(n);
	assert_string_equal(n->name, "/features/features.0/features.0.0/Conv");
	assert_string_equal(n->op, "Conv");
	assert_string_equal(nnp_node_names_find(&m, 55)->op, "Gemm");
	assert_string_equal(nnp_node_names_find(&m, 118)->name, "fused Add");
	assert_null(nnp_node_names_find(&m, 12));
	nnp_node_names_free(&m);
	assert_int_equal(nnp_node_names_load(DATA("profile_chrome.json"), &m, err, sizeof(err)), 0);
	assert_string_equal(nnp_node_names_find(&m, 7)->op, "Relu");
	nnp_node_names_free(&m);
}

static void test_bad_files(void **state)
{
	struct nnp_node_names m;
	char err[512];

	(void)state;
	assert_int_equal(nnp_node_names_load(DATA("profile_no_nodes.json"), &m, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not an ORT profile"));
	assert_int_equal(nnp_node_names_load(DATA("profile_corrupt.json"), &m, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "profile_corrupt.json: not a JSON file"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(nnp_node_names_load(DATA("missing.json"), &m, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "missing.json: No such file or directory"));
}

/* a profile too big to hold as a json-c tree is refused before it is parsed */
static void test_size_bound(void **state)
{
	char path[] = "/tmp/nnperf-test-profile.XXXXXX", err[512];
	struct nnp_node_names m;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (64 << 20) + 1), 0); /* sparse: nothing written */
	assert_int_equal(nnp_node_names_load(path, &m, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "over 64 MiB"));
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(nnp_node_names_load(path, &m, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a JSON file: empty"));
	close(fd);
	unlink(path);
}

/* one layer event of probe 1, key = NodeIndex */
static void layer_event(struct nnp_agg *a, uint64_t key)
{
	struct nnp_layer_event e = { 0 };

	e.hdr.type = NNP_EV_LAYER;
	e.hdr.tgid = 4242;
	e.hdr.tid = 4242;
	e.hdr.probe_id = 1;
	e.key = key;
	e.start_ns = 1000;
	e.end_ns = 2000;
	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static const struct nnp_layer_stats *layer(struct nnp_agg *a, uint64_t key)
{
	struct nnp_proc_stats *p = nnp_agg_proc(a, 4242);
	struct nnp_layer_stats *l;

	assert_non_null(p);
	for (l = p->layers; l; l = l->hh.next)
		if (l->id.key == key)
			return l;
	fail_msg("no layer with key %llu", (unsigned long long)key);
	return NULL;
}

static void test_agg_names(void **state)
{
	struct nnp_node_names m;
	struct nnp_agg a;
	char err[512];

	(void)state;
	assert_int_equal(nnp_node_names_load(DATA("profile.json"), &m, err, sizeof(err)), 0);
	assert_int_equal(nnp_agg_init(&a, &(struct nnp_agg_opts){ .node_names = &m }), 0);
	assert_int_equal(nnp_agg_add_probe(&a, 1, "0x15680b4", "", "onnxruntime"), 0);
	layer_event(&a, 0);
	layer_event(&a, 55);
	layer_event(&a, 9); /* not in the profile: nnperf's own label */
	assert_string_equal(layer(&a, 0)->name, "/features/features.0/features.0.0/Conv");
	assert_string_equal(layer(&a, 0)->op, "Conv");
	assert_string_equal(layer(&a, 55)->name, "/classifier/classifier.1/Gemm");
	assert_memory_equal(layer(&a, 9)->name, "0x15680b4#", 10);
	nnp_agg_free(&a);
	nnp_node_names_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_size_bound),
		cmocka_unit_test(test_agg_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

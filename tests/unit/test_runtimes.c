// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The built-in adapters: every probe definition they make parses, for any library path. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ggml.h"
#include "ort.h"
#include "probe_spec.h"
#include "runtimes.h"

static const char *const paths[] = {
	"/usr/lib/x86_64-linux-gnu/libtorch_cpu.so",
	"/proc/1234/root/opt/app/lib/libopencv_dnn.so.406",
	"/srv/models/node_modules/@scope/pkg-1.0/libllama.so",
};

static void test_probes_parse(void **state)
{
	struct nnp_probe_def d;
	char text[4096], err[256];
	size_t n = 0;
	int col;

	(void)state;
	for (size_t r = 0; nnp_runtimes[r]; r++) {
		const struct nnp_runtime *rt = nnp_runtimes[r];

		assert_non_null(rt->libs);
		assert_non_null(rt->probes);
		assert_true(rt->libs[0] || rt->claims || rt->attach); /* it can find its files */
		for (const char *const *f = rt->probes; *f; f++) {
			for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
				snprintf(text, sizeof(text), *f, paths[i]);
				if (nnp_probe_parse(text, &d, err, sizeof(err), &col))
					fail_msg("runtime %s: '%s' col %d: %s", rt->name, text, col,
						 err);
				assert_string_equal(d.lib, paths[i]);
			}
			n++;
		}
		assert_ptr_equal(nnp_runtime_by_name(rt->name), rt);
	}
	assert_true(n >= 10); /* pytorch's ops, opencv's and ggml's tables */
}

static void must_parse(const char *text, const char *lib)
{
	struct nnp_probe_def d;
	char err[256];
	int col;

	if (nnp_probe_parse(text, &d, err, sizeof(err), &col))
		fail_msg("'%s' col %d: %s", text, col, err);
	assert_string_equal(d.lib, lib);
}

/* the definitions ggml's and ONNX Runtime's adapters write at attach time */
static void test_computed_probes_parse(void **state)
{
	char text[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(nnp_ggml_op_probe(text, sizeof(text), paths[i],
						   "ggml_compute_forward_mul_mat", 0, false),
				 0);
		must_parse(text, paths[i]);
		assert_non_null(strstr(text, "op=\"mul_mat\""));
		assert_int_equal(nnp_ggml_op_probe(text, sizeof(text), paths[i],
						   "ggml_compute_forward_mul_mat", 0x1ce47, false),
				 0);
		must_parse(text, paths[i]);
		assert_non_null(strstr(text, "layer-begin="));
		assert_non_null(strstr(text, ":0x1ce47,"));
		assert_int_equal(nnp_ggml_op_probe(text, sizeof(text), paths[i],
						   "ggml_compute_forward_mul_mat", 0x1ce47, true),
				 0);
		must_parse(text, paths[i]);
		assert_non_null(strstr(text, ",mode=entry-only"));
		nnp_ort_probe(text, sizeof(text), paths[i], false, 0x1567ab4, false);
		must_parse(text, paths[i]);
		assert_non_null(strstr(text, ",key=arg2")); /* rdi: the Status returned */
		nnp_ort_probe(text, sizeof(text), paths[i], false, 0x1567ab4, true);
		must_parse(text, paths[i]);
		assert_non_null(strstr(text, ",key=arg1")); /* arm64 returns it through x8 */
		nnp_ort_probe(text, sizeof(text), paths[i], true, 0x43e564, false);
		must_parse(text, paths[i]);
	}
	assert_int_equal(
	    nnp_ggml_op_probe(text, 16, paths[0], "ggml_compute_forward_add", 0, false),
	    -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probes_parse),
		cmocka_unit_test(test_computed_probes_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

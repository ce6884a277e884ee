// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ONNX Runtime sites cache: taken only as put writes it, from a file of
 * our own nobody else may write; the sites are left alone otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ort.h"

#define ID "3595fddb122d2690545e133f236ae204163c1a8f"

static char dir[] = "/tmp/nnperf-test-ortcache.XXXXXX";
static char file[PATH_MAX];

static int setup(void **state)
{
	char sub[PATH_MAX];

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	setenv("XDG_CACHE_HOME", dir, 1);
	snprintf(sub, sizeof(sub), "%s/nnperf", dir);
	snprintf(file, sizeof(file), "%s/nnperf/ort-" ID, dir);
	return mkdir(sub, 0755);
}

static int teardown(void **state)
{
	char sub[PATH_MAX];

	(void)state;
	unlink(file);
	snprintf(sub, sizeof(sub), "%s/nnperf", dir);
	rmdir(sub);
	return rmdir(dir);
}

static void write_text(const char *text, mode_t mode)
{
	FILE *f;

	unlink(file);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(file, mode), 0);
}

static void test_round_trip(void **state)
{
	struct nnp_ort_sites s = { 0x43e564, 0x15680b4 }, got = { 0 };
	char text[128] = "";
	FILE *f;

	(void)state;
	unlink(file);
	assert_int_equal(nnp_ort_cache_get(ID, &got), -ENOENT);
	assert_int_equal(nnp_ort_cache_put(ID, &s), 0);
	f = fopen(file, "r");
	assert_non_null(f);
	assert_int_equal(fread(text, 1, sizeof(text) - 1, f), 45);
	fclose(f);
	assert_string_equal(text, "nnperf-ort-sites 1\nrun=43e564\nkernel=15680b4\n");
	assert_int_equal(nnp_ort_cache_get(ID, &got), 0);
	assert_int_equal(got.run_off, 0x43e564);
	assert_int_equal(got.kernel_off, 0x15680b4);
	/* ExecuteKernel not found: kernel=0 */
	write_text("nnperf-ort-sites 1\nrun=43e564\nkernel=0\n", 0644);
	assert_int_equal(nnp_ort_cache_get(ID, &got), 0);
	assert_int_equal(got.kernel_off, 0);
	assert_int_equal(nnp_ort_cache_get("not-hex", &got), -ENOENT);
}

/* fscanf took all of these, and -43e564 as 0xffffffffffbc1a9c */
static void test_not_as_written(void **state)
{
	static const char *const bad[] = {
		"nnperf-ort-sites 1\nrun=-43e564\nkernel=+15680b4\n",
		"nnperf-ort-sites 1\nrun=0x43e564\nkernel=15680b4\n",
		"nnperf-ort-sites 1\nrun=43E564\nkernel=15680b4\n",
		"nnperf-ort-sites 1\nrun=043e564\nkernel=15680b4\n",
		"nnperf-ort-sites 1\nrun=43e564\nkernel=15680b4\nrun=1\n",
		"nnperf-ort-sites 1\nrun=43e564 kernel=15680b4\n",
		"nnperf-ort-sites 1\nrun=43e564\nkernel=15680b4",
		"nnperf-ort-sites 1\nrun=10000000000000000\nkernel=0\n",
		"nnperf-ort-sites 1\nrun=0\nkernel=15680b4\n",
		"nnperf-ort-sites 2\nrun=43e564\nkernel=15680b4\n",
		"",
	};
	struct nnp_ort_sites got = { 7, 8 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_text(bad[i], 0644);
		if (nnp_ort_cache_get(ID, &got) != -EINVAL)
			fail_msg("taken: '%s'", bad[i]);
		assert_int_equal(got.run_off, 7); /* left alone */
		assert_int_equal(got.kernel_off, 8);
	}
}

static void test_not_ours(void **state)
{
	struct nnp_ort_sites s = { 0x43e564, 0x15680b4 }, got = { 0 };
	char real[PATH_MAX + 8];

	(void)state;
	write_text("nnperf-ort-sites 1\nrun=43e564\nkernel=15680b4\n", 0664);
	assert_int_equal(nnp_ort_cache_get(ID, &got), -EPERM);
	if (geteuid() == 0) {
		assert_int_equal(chmod(file, 0644), 0);
		assert_int_equal(chown(file, 65534, 65534), 0); /* nobody's */
		assert_int_equal(nnp_ort_cache_get(ID, &got), -EPERM);
	}
	/* a link is not followed; put replaces the link, not its target */
	snprintf(real, sizeof(real), "%s.real", file);
	unlink(file);
	write_text("nnperf-ort-sites 1\nrun=1\nkernel=2\n", 0644);
	assert_int_equal(rename(file, real), 0);
	assert_int_equal(symlink(real, file), 0);
	assert_int_equal(nnp_ort_cache_get(ID, &got), -EPERM);
	assert_int_equal(nnp_ort_cache_put(ID, &s), 0);
	assert_int_equal(nnp_ort_cache_get(ID, &got), 0);
	assert_int_equal(got.run_off, 0x43e564);
	write_text("nnperf-ort-sites 1\nrun=43e564\nkernel=15680b4\n", 0644);
	unlink(real);
	/* a link planted at put's temporary name is not written through */
	snprintf(real, sizeof(real), "%s.%d", file, (int)getpid());
	assert_int_equal(symlink("/nonexistent/nnperf-test", real), 0);
	assert_int_equal(nnp_ort_cache_put(ID, &s), 0);
	assert_int_equal(access(real, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_not_as_written),
		cmocka_unit_test(test_not_ours),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

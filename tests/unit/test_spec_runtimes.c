// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A probes directory: its usable spec files become runtimes, each other file one warning line. */
#include <errno.h>
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

#include "probe_spec.h"
#include "runtimes.h"
#include "spec_runtimes.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nnp-probes-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	nnp_spec_runtimes_free();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

struct captured {
	char text[8192];
	int lines;
};

/* nnp_spec_runtimes_load(d, given) with what it writes to stderr kept in *c */
static int load_captured(const char *d, bool given, struct captured *c)
{
	char path[] = "/tmp/nnp-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2), ret;
	ssize_t len;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	assert_true(dup2(fd, 2) == 2);
	ret = nnp_spec_runtimes_load(d, given);
	fflush(stderr);
	assert_true(dup2(saved, 2) == 2);
	close(saved);
	len = pread(fd, c->text, sizeof(c->text) - 1, 0);
	assert_true(len >= 0);
	c->text[len] = '\0';
	close(fd);
	unlink(path);
	c->lines = 0;
	for (const char *p = c->text; *p; p++)
		c->lines += *p == '\n';
	return ret;
}

/* the one warning line naming FILE says WHY */
static void warned(const struct captured *c, const char *file, const char *why)
{
	char name[256];
	const char *at, *eol;

	snprintf(name, sizeof(name), "%s/%s", dir, file);
	at = strstr(c->text, name);
	if (!at)
		fail_msg("no warning names %s in:\n%s", name, c->text);
	assert_null(strstr(at + 1, name));
	eol = strchr(at, '\n');
	assert_non_null(eol);
	if (!memmem(at, (size_t)(eol - at), why, strlen(why)))
		fail_msg("the warning on %s does not say '%s':\n%s", file, why, c->text);
	if (!memmem(at, (size_t)(eol - at), "file skipped", 12))
		fail_msg("the warning on %s does not say it was skipped:\n%s", file, c->text);
}

static void test_dir(void **state)
{
	const struct nnp_runtime *a, *b;
	struct captured c;
	char sub[128];

	(void)state;
	put("alpha.spec", "# the alpha runtime\nruntime=alpha\nlibrary=libalpha.so*\n"
			  "layer=libalpha.so:alpha_layer,key=arg0,op=\"alpha-op\"\n");
	put("beta.spec", "library=beta-app\ninference=beta-app:run\nlayer=beta-app:op,key=arg1\n");
	put("c-nolib.spec", "layer=libc.so:f\n");
	put("d-noprobe.spec", "runtime=d\nlibrary=libd.so\n");
	put("e-syntax.spec", "library=libe.so\nlayer=libe.so:\n");
	put("pytorch.spec", "library=libmytorch.so\nlayer=libmytorch.so:f\n");
	put("g-again.spec", "runtime=alpha\nlibrary=libg.so\nlayer=libg.so:f\n");
	put("bad name!.spec", "library=libh.so\nlayer=libh.so:f\n");
	put("f-otherlib.spec", "library=libf.so*\nlayer=libf.so:f\nlayer=libother.so:g\n");
	put(".hidden.spec", "this is no spec\n");
	put("notes.txt", "this is no spec either\n");
	snprintf(sub, sizeof(sub), "%s/sub.spec", dir);
	assert_int_equal(mkdir(sub, 0700), 0);

	assert_int_equal(load_captured(dir, true, &c), 2);
	assert_int_equal(c.lines, 8);
	warned(&c, "f-otherlib.spec", "probe 2 is in libother.so, which no library= line matches");
	warned(&c, "c-nolib.spec", "no library= line");
	warned(&c, "d-noprobe.spec", "no probe in it");
	warned(&c, "e-syntax.spec:2:", "");
	warned(&c, "pytorch.spec", "a runtime named pytorch exists");
	warned(&c, "pytorch.spec", "give it a runtime= line");
	warned(&c, "g-again.spec", "give it another runtime= line");
	warned(&c, "bad name!.spec", "give it a runtime= line");
	warned(&c, "sub.spec", "Is a directory");

	a = nnp_runtime_by_name("alpha");
	assert_non_null(a);
	assert_int_equal(a->ndefs, 1);
	assert_string_equal(a->defs[0].symbol, "alpha_layer");
	assert_true(a->infer_by_period); /* no inference probe: inferences from the layers */
	assert_true(nnp_runtime_names_file(a, "/opt/x/libalpha.so.2"));
	assert_false(nnp_runtime_names_file(a, "/opt/x/libbeta.so"));
	assert_non_null(strstr(a->file, "/alpha.spec"));
	b = nnp_runtime_by_name("beta");
	assert_non_null(b);
	assert_int_equal(b->ndefs, 2);
	assert_false(b->infer_by_period);
	assert_true(nnp_runtime_names_file(b, "/usr/bin/beta-app"));
	assert_ptr_equal(nnp_runtime_by_name("pytorch"), &nnp_rt_pytorch);
	assert_null(nnp_runtime_by_name("d"));
	assert_non_null(strstr(nnp_runtime_names(), ", alpha, beta"));

	nnp_spec_runtimes_free();
	assert_null(nnp_runtime_by_name("alpha"));
	assert_null(nnp_runtime_by_name("beta"));
	assert_non_null(nnp_runtime_by_name("ggml"));
}

static void test_missing(void **state)
{
	struct captured c;

	(void)state;
	assert_int_equal(load_captured("/nonexistent/nnp-probes.d", true, &c), -ENOENT);
	assert_string_equal(c.text, "nnperf: error: --probes-dir /nonexistent/nnp-probes.d: "
				    "No such file or directory\n");
	assert_int_equal(load_captured("/nonexistent/nnp-probes.d", false, &c), 0);
	assert_string_equal(c.text, ""); /* the default directory need not exist */
}

static void test_limit(void **state)
{
	char name[32], text[128];
	struct captured c;

	(void)state;
	for (int i = 0; i <= NNP_MAX_ADDED_RUNTIMES; i++) {
		snprintf(name, sizeof(name), "many%02d.spec", i);
		snprintf(text, sizeof(text), "library=libm%d.so\nlayer=libm%d.so:f\n", i, i);
		put(name, text);
	}
	assert_int_equal(load_captured(dir, true, &c), NNP_MAX_ADDED_RUNTIMES);
	assert_int_equal(c.lines, 1);
	warned(&c, "many64.spec", "too many runtimes (at most 64 files)");
	assert_non_null(nnp_runtime_by_name("many63"));
	assert_null(nnp_runtime_by_name("many64"));
	nnp_spec_runtimes_free();
	assert_null(nnp_runtime_by_name("many00"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dir, make_dir, remove_dir),
		cmocka_unit_test(test_missing),
		cmocka_unit_test_setup_teardown(test_limit, make_dir, remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

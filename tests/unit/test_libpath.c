// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libpath against the shell's PATH search and ld.so's own answer (ldd). */
#include <errno.h>
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

#include "libpath.h"
#include "fixtures/test_util.h"

#define EXE FIXTURE("nnpfix_exe")
#define EXE_RPATH FIXTURE("nnpfix_exe_rpath")
#define MAX_DEPS 128

struct deps {
	int n, stop_after;
	char v[MAX_DEPS][PATH_MAX];
};

static int add_dep(const char *path, void *ctx)
{
	struct deps *d = ctx;

	assert_true(d->n < MAX_DEPS);
	assert_int_equal(path[0], '/');
	snprintf(d->v[d->n++], PATH_MAX, "%s", path);
	return d->stop_after && d->n == d->stop_after;
}

static struct deps *deps_of(const char *exe)
{
	struct deps *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	assert_int_equal(nnp_deps_foreach(exe, add_dep, d), 0);
	return d;
}

/* the real paths ld.so loads for exe, as `ldd` prints them */
static struct deps *ldd_of(const char *exe)
{
	char *out = tu_run("ldd '%s'", exe), *cur = out, *line, *p;
	struct deps *d = calloc(1, sizeof(*d));
	size_t n;

	assert_non_null(d);
	while ((line = strsep(&cur, "\n"))) {
		p = strstr(line, "=> ");
		p = p ? p + 3 : line + strspn(line, " \t");
		if (*p != '/')
			continue; /* linux-vdso.so.1 */
		n = strcspn(p, " (");
		p[n] = '\0';
		assert_non_null(realpath(p, d->v[d->n++]));
	}
	free(out);
	return d;
}

static int has_real(const struct deps *d, const char *path)
{
	char real[PATH_MAX];
	int i;

	assert_non_null(realpath(path, real));
	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], real))
			return 1;
	return 0;
}

/* the same set of files, each once, as ld.so */
static void assert_like_ldd(const char *exe)
{
	struct deps *got = deps_of(exe), *want = ldd_of(exe), real = { 0 };
	int i;

	for (i = 0; i < got->n; i++) {
		assert_false(has_real(&real, got->v[i]));
		assert_non_null(realpath(got->v[i], real.v[real.n++]));
		if (!has_real(want, got->v[i]))
			fail_msg("%s: %s is not in ldd's list", exe, got->v[i]);
	}
	for (i = 0; i < want->n; i++)
		if (!has_real(&real, want->v[i]))
			fail_msg("%s: ldd loads %s, we miss it", exe, want->v[i]);
	free(got);
	free(want);
}

static void test_find_exe(void **state)
{
	char got[PATH_MAX], want[PATH_MAX], *sh, *saved;

	(void)state;
	sh = tu_run("command -v sh");
	sh[strcspn(sh, "\n")] = '\0';
	assert_non_null(realpath(sh, want));
	free(sh);
	assert_int_equal(nnp_path_find_exe("sh", got, sizeof(got)), 0);
	assert_string_equal(got, want);
	assert_int_equal(nnp_path_find_exe("/bin/sh", got, sizeof(got)), 0);
	assert_string_equal(got, want);
	/* in a PATH we cannot search, execvp says EACCES: keep to searchable ones */
	saved = strdup(getenv("PATH"));
	setenv("PATH", "/usr/bin:/bin", 1);
	assert_int_equal(nnp_path_find_exe("nnp-no-such-command", got, sizeof(got)), -ENOENT);
	setenv("PATH", saved, 1);
	free(saved);
	assert_int_equal(nnp_path_find_exe("/nonexistent/sh", got, sizeof(got)), -ENOENT);
	assert_int_equal(nnp_path_find_exe("", got, sizeof(got)), -ENOENT);
	assert_int_equal(nnp_path_find_exe("/tmp", got, sizeof(got)), -EACCES);
}

static void test_find_exe_path_rules(void **state)
{
	char dir[] = "/tmp/nnp_path_XXXXXX", file[PATH_MAX], got[PATH_MAX], cwd[PATH_MAX];
	char *saved = strdup(getenv("PATH"));
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/nnpcmd", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(file, 0644), 0);
	setenv("PATH", dir, 1);
	/* as execvp: found but not executable */
	assert_int_equal(nnp_path_find_exe("nnpcmd", got, sizeof(got)), -EACCES);
	assert_int_equal(chmod(file, 0755), 0);
	assert_int_equal(nnp_path_find_exe("nnpcmd", got, sizeof(got)), 0);
	assert_string_equal(got, file);
	/* an empty PATH element is the current directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	setenv("PATH", "/nonexistent::/also-nonexistent", 1);
	assert_int_equal(nnp_path_find_exe("nnpcmd", got, sizeof(got)), 0);
	assert_string_equal(got, file);
	assert_int_equal(chdir(cwd), 0);
	setenv("PATH", saved, 1);
	free(saved);
	unlink(file);
	rmdir(dir);
}

static void test_deps_fixture(void **state)
{
	struct deps *d = deps_of(EXE);
	char want[PATH_MAX];

	(void)state;
	/* DT_NEEDED order, libnnpfix.so through RUNPATH $ORIGIN */
	assert_true(d->n >= 3);
	snprintf(want, sizeof(want), "%s", FIXTURE("libnnpfix.so"));
	assert_string_equal(d->v[0], want);
	assert_non_null(strstr(d->v[1], "/libc.so.6"));
	free(d);
	assert_like_ldd(EXE);
	assert_like_ldd(EXE_RPATH);
}

static void test_deps_real_programs(void **state)
{
	char self[PATH_MAX];

	(void)state;
	assert_like_ldd("/bin/sh");
	/* this test: libelf, libbpf, cmocka, libstdc++ and their own needs */
	assert_non_null(realpath("/proc/self/exe", self));
	assert_like_ldd(self);
}

static void test_deps_errors_and_stop(void **state)
{
	struct deps d = { .stop_after = 1 };

	(void)state;
	assert_int_equal(nnp_deps_foreach(FIXTURE("no-such-exe"), add_dep, &d), -ENOENT);
	assert_int_equal(nnp_deps_foreach(NNP_FIXTURE_DIR "/CTestTestfile.cmake", add_dep, &d),
			 -ENOEXEC);
	assert_int_equal(nnp_deps_foreach(EXE, add_dep, &d), 0);
	assert_int_equal(d.n, 1);
}

/* LD_LIBRARY_PATH comes after DT_RPATH but before DT_RUNPATH; non-ELF candidates are skipped */
static void test_search_order(void **state)
{
	char dir[] = "/tmp/nnp_llp_XXXXXX", bad[] = "/tmp/nnp_bad_XXXXXX", copy[PATH_MAX];
	struct deps *d;
	char *out;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_non_null(mkdtemp(bad));
	snprintf(copy, sizeof(copy), "%s/libnnpfix.so", dir);
	out = tu_run("cp '%s' '%s'", FIXTURE("libnnpfix.so"), copy);
	free(out);
	setenv("LD_LIBRARY_PATH", dir, 1);
	d = deps_of(EXE);
	assert_string_equal(d->v[0], copy);
	free(d);
	assert_like_ldd(EXE);
	d = deps_of(EXE_RPATH);
	assert_string_equal(d->v[0], FIXTURE("libnnpfix.so"));
	free(d);
	assert_like_ldd(EXE_RPATH);

	snprintf(copy, sizeof(copy), "%s/libnnpfix.so", bad);
	f = fopen(copy, "w");
	assert_non_null(f);
	fputs("not a library\n", f);
	fclose(f);
	setenv("LD_LIBRARY_PATH", bad, 1);
	d = deps_of(EXE);
	assert_string_equal(d->v[0], FIXTURE("libnnpfix.so"));
	free(d);
	unsetenv("LD_LIBRARY_PATH");
	unlink(copy);
	rmdir(bad);
	snprintf(copy, sizeof(copy), "%s/libnnpfix.so", dir);
	unlink(copy);
	rmdir(dir);
}

static void test_lib_resolve(void **state)
{
	struct deps *want = ldd_of("/bin/sh");
	char got[PATH_MAX], sh[PATH_MAX];
	int i, libc = -1;

	(void)state;
	for (i = 0; i < want->n; i++)
		if (strstr(want->v[i], "/libc.so"))
			libc = i;
	assert_true(libc >= 0);
	assert_int_equal(nnp_lib_resolve("/bin/sh", "libc.so.6", got, sizeof(got)), 0);
	assert_true(has_real(want, got));
	assert_non_null(strstr(got, "/libc.so.6"));
	assert_int_equal(nnp_lib_resolve("/bin/sh", "libc", got, sizeof(got)), 0);
	assert_non_null(strstr(got, "/libc.so.6"));
	assert_int_equal(nnp_lib_resolve("/bin/sh", "libnnp_none", got, sizeof(got)), -ENOENT);
	free(want);
	/* the executable by its own name, and a path as it is */
	assert_non_null(realpath("/bin/sh", sh));
	assert_int_equal(nnp_lib_resolve(sh, strrchr(sh, '/') + 1, got, sizeof(got)), 0);
	assert_string_equal(got, sh);
	assert_int_equal(nnp_lib_resolve(EXE, "/bin/sh", got, sizeof(got)), 0);
	assert_string_equal(got, sh);
	assert_int_equal(nnp_lib_resolve(EXE, "/nonexistent/libx.so", got, sizeof(got)), -ENOENT);
	assert_int_equal(nnp_lib_resolve(EXE, "libnnpfix", got, sizeof(got)), 0);
	assert_string_equal(got, FIXTURE("libnnpfix.so"));
	assert_int_equal(nnp_lib_resolve(EXE, "nnpfix_exe", got, sizeof(got)), 0);
	assert_string_equal(got, EXE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_exe),
		cmocka_unit_test(test_find_exe_path_rules),
		cmocka_unit_test(test_deps_fixture),
		cmocka_unit_test(test_deps_real_programs),
		cmocka_unit_test(test_deps_errors_and_stop),
		cmocka_unit_test(test_search_order),
		cmocka_unit_test(test_lib_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* procmaps on this very process, whose mappings dlfcn tells us independently. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_sym.h"
#include "libname.h"
#include "procmaps.h"
#include "fixtures/test_util.h"

/* the file a loaded library was loaded from, per the dynamic linker */
static void loaded_path(const char *soname, char *out, size_t len)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
	struct link_map *map = NULL;

	assert_non_null(h);
	assert_int_equal(dlinfo(h, RTLD_DI_LINKMAP, &map), 0);
	assert_non_null(realpath(map->l_name, out));
	assert_true(strlen(out) < len);
	dlclose(h);
}

static void assert_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	assert_int_equal(stat(a, &sa), 0);
	assert_int_equal(stat(b, &sb), 0);
	assert_int_equal(sa.st_dev, sb.st_dev);
	assert_int_equal(sa.st_ino, sb.st_ino);
}

struct seen {
	int n, exe, vdso;
	char exe_path[PATH_MAX];
};

static int count_maps(const struct nnp_mapping *m, void *ctx)
{
	struct seen *s = ctx;

	assert_true(m->start < m->end);
	assert_int_equal(strlen(m->perms), 4);
	s->n++;
	s->exe += !strcmp(m->path, s->exe_path);
	s->vdso += !strcmp(m->path, "[vdso]");
	return 0;
}

static void test_foreach_self(void **state)
{
	struct seen s = { 0 };

	(void)state;
	assert_non_null(realpath("/proc/self/exe", s.exe_path));
	assert_int_equal(nnp_procmaps_foreach(getpid(), count_maps, &s), 0);
	assert_true(s.n > 10);
	assert_true(s.exe >= 1);
	assert_int_equal(s.vdso, 1);
}

static int stop_now(const struct nnp_mapping *m, void *ctx)
{
	(void)m;
	(*(int *)ctx)++;
	return 1;
}

static void test_foreach_stops(void **state)
{
	int calls = 0;

	(void)state;
	assert_int_equal(nnp_procmaps_foreach(getpid(), stop_now, &calls), 0);
	assert_int_equal(calls, 1);
}

static void test_find_libc(void **state)
{
	char want[PATH_MAX], got[PATH_MAX], prefix[64];
	const char *names[] = { "libc", "libc.so", "libc.so.6" };
	struct nnp_elf *e;
	size_t i;

	(void)state;
	loaded_path("libc.so.6", want, sizeof(want));
	snprintf(prefix, sizeof(prefix), "/proc/%d/root/", (int)getpid());
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(nnp_proc_find_lib(getpid(), names[i], got, sizeof(got)), 0);
		assert_memory_equal(got, prefix, strlen(prefix));
		assert_same_file(got, want);
	}
	assert_int_equal(nnp_elf_open(got, &e), 0);
	assert_non_null(nnp_elf_build_id(e));
	nnp_elf_close(e);
	assert_int_equal(nnp_proc_find_lib(getpid(), "libcmocka", got, sizeof(got)), 0);
	loaded_path("libcmocka.so.0", want, sizeof(want));
	assert_same_file(got, want);
	assert_int_equal(nnp_proc_find_lib(getpid(), "libnnp_no_such_lib", got, sizeof(got)),
			 -ENOENT);
	/* mapped executable, but not a file */
	assert_int_equal(nnp_proc_find_lib(getpid(), "[vdso]", got, sizeof(got)), -ENOENT);
	assert_int_equal(nnp_proc_find_lib(getpid(), "libc", got, 10), -ENAMETOOLONG);
}

static void test_name_rule(void **state)
{
	static const struct {
		const char *path, *name;
		int want;
	} cases[] = {
		{ "/usr/lib/libtorch_cpu.so.1.13", "libtorch_cpu", 1 },
		{ "/usr/lib/libtorch_cpu.so.1.13", "libtorch_cpu.so", 1 },
		{ "/usr/lib/libtorch_cpu.so.1.13", "libtorch_cpu.so.1.13", 2 },
		{ "/usr/lib/libtorch_cpu.so.1.13", "libtorch", 0 },
		{ "/usr/lib/libtorch_cpu.so.1.13", "torch_cpu", 0 },
		{ "/lib/libc-2.31.so", "libc", 1 },
		{ "/lib/libcap.so.2", "libc", 0 },
		{ "/lib/libc.so.6 (deleted)", "libc.so.6", 2 },
		{ "/opt/x/python3.11", "python3", 1 },
		{ "/lib/libc.so.6", "", 0 },
		{ "libc.so.6", "libc.so.6", 2 },
		{ "/lib/libc.so", "libc.so.6", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(nnp_lib_name_match(cases[i].path, cases[i].name), cases[i].want);
}

/* a copy of the fixture library at dir/name, loaded */
static void *load_copy(const char *dir, const char *name, char *path, size_t len)
{
	void *h;
	char *out;

	snprintf(path, len, "%s/%s", dir, name);
	out = tu_run("cp '%s' '%s'", FIXTURE("libnnpfix.so"), path);
	free(out);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(h);
	return h;
}

static void test_path_with_spaces(void **state)
{
	char dir[] = "/tmp/nnp maps XXXXXX", path[PATH_MAX], got[PATH_MAX];
	void *h;

	(void)state;
	assert_non_null(mkdtemp(dir));
	h = load_copy(dir, "libnnp space.so", path, sizeof(path));
	assert_int_equal(nnp_proc_find_lib(getpid(), "libnnp space", got, sizeof(got)), 0);
	assert_non_null(strstr(got, "/nnp maps "));
	assert_same_file(got, path);
	dlclose(h);
	unlink(path);
	rmdir(dir);
}

/* a library replaced under a running process: only map_files still opens it */
static void test_deleted_library(void **state)
{
	char dir[] = "/tmp/nnp_maps_XXXXXX", path[PATH_MAX], got[PATH_MAX], want[64];
	struct nnp_elf *e;
	void *h;

	(void)state;
	assert_non_null(mkdtemp(dir));
	h = load_copy(dir, "libnnpgone.so", path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(nnp_proc_find_lib(getpid(), "libnnpgone.so", got, sizeof(got)), 0);
	snprintf(want, sizeof(want), "/proc/%d/map_files/", (int)getpid());
	assert_memory_equal(got, want, strlen(want));
	/* opening map_files takes CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE) */
	if (geteuid() == 0) {
		assert_int_equal(nnp_elf_open(got, &e), 0);
		tu_build_id(FIXTURE("libnnpfix.so"), want, sizeof(want));
		assert_string_equal(nnp_elf_build_id(e), want);
		nnp_elf_close(e);
	}
	dlclose(h);
	rmdir(dir);
}

struct files {
	int n, libc, exe;
	char v[256][PATH_MAX + 64];
	char libc_path[PATH_MAX + 64], exe_path[PATH_MAX + 64];
};

static int add_file(const char *path, void *ctx)
{
	struct files *f = ctx;
	int i;

	for (i = 0; i < f->n; i++)
		assert_string_not_equal(f->v[i], path);
	assert_true(f->n < 256);
	snprintf(f->v[f->n++], sizeof(f->v[0]), "%s", path);
	assert_int_equal(access(path, R_OK), 0);
	f->libc += !strcmp(path, f->libc_path);
	f->exe += !strcmp(path, f->exe_path);
	return 0;
}

static void test_exec_files(void **state)
{
	struct files *f = calloc(1, sizeof(*f));
	char exe[PATH_MAX];

	(void)state;
	assert_non_null(f);
	assert_int_equal(
	    nnp_proc_find_lib(getpid(), "libc.so.6", f->libc_path, sizeof(f->libc_path)), 0);
	assert_non_null(realpath("/proc/self/exe", exe));
	snprintf(f->exe_path, sizeof(f->exe_path), "/proc/%d/root%s", (int)getpid(), exe);
	assert_int_equal(nnp_proc_exec_files(getpid(), add_file, f), 0);
	assert_int_equal(f->libc, 1);
	assert_int_equal(f->exe, 1);
	assert_true(f->n >= 4); /* exe, ld.so, libc, libcmocka at least */
	free(f);
}

static void test_identity(void **state)
{
	char comm[64], exe[PATH_MAX], want[PATH_MAX + 64], real[PATH_MAX];

	(void)state;
	assert_int_equal(nnp_proc_comm(getpid(), comm, sizeof(comm)), 0);
	snprintf(want, 16, "%s", program_invocation_short_name);
	assert_string_equal(comm, want);
	assert_int_equal(nnp_proc_comm(getpid(), comm, 4), -ENAMETOOLONG);
	assert_int_equal(nnp_proc_exe(getpid(), exe, sizeof(exe)), 0);
	assert_non_null(realpath("/proc/self/exe", real));
	snprintf(want, sizeof(want), "/proc/%d/root%s", (int)getpid(), real);
	assert_string_equal(exe, want);
	assert_same_file(exe, "/proc/self/exe");
	assert_true(nnp_proc_alive(getpid()));
	/* pid 1 exists, whoever owns it */
	assert_true(nnp_proc_alive(1));
}

static void test_gone_process(void **state)
{
	char buf[PATH_MAX];
	int calls = 0, status;
	pid_t pid = fork();

	(void)state;
	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(nnp_proc_alive(pid));
	assert_int_equal(nnp_procmaps_foreach(pid, stop_now, &calls), -ESRCH);
	assert_int_equal(calls, 0);
	assert_int_equal(nnp_proc_find_lib(pid, "libc", buf, sizeof(buf)), -ESRCH);
	assert_int_equal(nnp_proc_comm(pid, buf, sizeof(buf)), -ESRCH);
	assert_int_equal(nnp_proc_exe(pid, buf, sizeof(buf)), -ESRCH);
	assert_false(nnp_proc_alive(0));
	assert_false(nnp_proc_alive(-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_foreach_self),	 cmocka_unit_test(test_foreach_stops),
		cmocka_unit_test(test_find_libc),	 cmocka_unit_test(test_name_rule),
		cmocka_unit_test(test_path_with_spaces), cmocka_unit_test(test_deleted_library),
		cmocka_unit_test(test_exec_files),	 cmocka_unit_test(test_identity),
		cmocka_unit_test(test_gone_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

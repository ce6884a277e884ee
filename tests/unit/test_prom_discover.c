// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What export's discovery reads about a process: /proc/PID/stat, the model
 * label (environment, command line, executable), and the file verdict cache.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "discover.h"
#include "runtimes.h"

/* "sh -c CMD ARG0": sh stays (two commands), the rest of argv is ours */
#define SH "/bin/sh", "-c", "sleep 30; :"

/* a child that sleeps, with "sh -c CMD" then the given arguments and environment */
static pid_t spawn(char *const argv[], char *const envp[])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		/* its own group, so that reap() also ends the sleep it starts */
		setpgid(0, 0);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	/* execve has replaced the image once comm is the new program's */
	for (int i = 0; i < 200; i++) {
		uint64_t st;
		unsigned int flags;
		char comm[16];

		if (!nnp_proc_stat(pid, &st, comm, sizeof(comm), &flags) && !strcmp(comm, "sh"))
			return pid;
		usleep(10000);
	}
	fail_msg("child never exec'ed sh");
	return -1;
}

static void reap(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_proc_stat_self(void **state)
{
	uint64_t st1 = 0, st2 = 0;
	unsigned int flags = 0;
	char comm[16];

	(void)state;
	assert_int_equal(nnp_proc_stat(getpid(), &st1, comm, sizeof(comm), &flags), 0);
	assert_string_equal(comm, "test_prom_disco"); /* comm is cut at 15 bytes */
	assert_true(st1 > 0);
	assert_int_equal(nnp_proc_stat(getpid(), &st2, comm, sizeof(comm), &flags), 0);
	assert_int_equal(st1, st2);
	assert_int_equal(nnp_proc_stat(4194304 + 7, &st1, comm, sizeof(comm), &flags), -ESRCH);
}

static void test_model_label(void **state)
{
	static const struct {
		const char *name;
		char *argv[7];
		char *envp[2];
		const char *flag, *want; /* NULL want: the executable's basename */
	} cases[] = {
		{ "environment wins",
		  { SH, "--model", "/m/resnet.onnx", NULL },
		  { "NNPERF_MODEL=bert-base", NULL },
		  "--model",
		  "bert-base" },
		{ "argument after the flag",
		  { SH, "--model", "/m/resnet.onnx", NULL },
		  { NULL },
		  "--model",
		  "resnet.onnx" },
		{ "flag=value", { SH, "--model=yolo", NULL }, { NULL }, "--model", "yolo" },
		{ "empty environment value",
		  { SH, "--model", "a/b", NULL },
		  { "NNPERF_MODEL=", NULL },
		  "--model",
		  "b" },
		{ "flag absent: executable", { SH, "-m", "x", NULL }, { NULL }, "--model", NULL },
		{ "no flag given", { SH, "--model", "x", NULL }, { NULL }, NULL, NULL },
		{ "flag last, no value", { SH, "--model", NULL }, { NULL }, "--model", NULL },
	};
	char exe[PATH_MAX], *base;

	/* the shell's real file: /bin/sh is often a link to dash or bash */
	assert_non_null(realpath("/bin/sh", exe));
	base = strrchr(exe, '/') + 1;
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i].want ? cases[i].want : base;
		pid_t pid = spawn(cases[i].argv, cases[i].envp);
		char model[64];
		int err = nnp_proc_model(pid, cases[i].flag, model, sizeof(model));

		reap(pid);
		if (err || strcmp(model, want))
			fail_msg("%s: err %d, model '%s', want '%s'", cases[i].name, err,
				 err ? "" : model, want);
	}
}

static int judged;

static int judge_has_x(const struct nnp_runtime *rt, const char *path)
{
	(void)rt;
	FILE *f = fopen(path, "r");
	int c = f ? fgetc(f) : EOF;

	judged++;
	if (f)
		fclose(f);
	return c == 'x';
}

static const struct nnp_runtime fake_rt = { .name = "fake" };

/* a verdict is kept per (device, inode, mtime): the same file is judged once */
static void test_file_verdict_cache(void **state)
{
	char path[] = "/tmp/nnp-verdict-XXXXXX";
	struct nnp_discover *d;
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1000000, 0 } };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	assert_int_equal(nnp_discover_new(&d), 0);
	judged = 0;
	assert_int_equal(nnp_discover_file_verdict(d, &fake_rt, path, judge_has_x), 1);
	assert_int_equal(nnp_discover_file_verdict(d, &fake_rt, path, judge_has_x), 1);
	assert_int_equal(judged, 1);
	assert_int_equal(nnp_discover_files(d), 1);
	/* rewritten in place (same inode, new mtime): judged again */
	fd = open(path, O_WRONLY);
	assert_int_equal(write(fd, "y", 1), 1);
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
	assert_int_equal(nnp_discover_file_verdict(d, &fake_rt, path, judge_has_x), 0);
	assert_int_equal(judged, 2);
	unlink(path);
	assert_int_equal(nnp_discover_file_verdict(d, &fake_rt, path, judge_has_x), -ENOENT);
	nnp_discover_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_stat_self),
		cmocka_unit_test(test_model_label),
		cmocka_unit_test(test_file_verdict_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

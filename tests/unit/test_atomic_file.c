// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nnp_write_file_atomic: regular files through PATH.tmp + rename, anything
 * else (here a FIFO, like /dev/null or a pipe) written in place and kept. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "atomic_file.h"

static int put_text(FILE *f, const void *ctx)
{
	return fputs(ctx, f) < 0 ? -EIO : 0;
}

static int fail_write(FILE *f, const void *ctx)
{
	(void)ctx;
	fputs("half", f);
	return -EIO;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_regular(void **state)
{
	char dir[] = "/tmp/nnp-atomic-XXXXXX", path[64], tmp[80];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(nnp_write_file_atomic(path, put_text, "whole"), 0);
	assert_string_equal(slurp(path), "whole");
	/* a failed write leaves the previous file and no temporary */
	assert_int_equal(nnp_write_file_atomic(path, fail_write, NULL), -EIO);
	assert_string_equal(slurp(path), "whole");
	assert_int_equal(access(tmp, F_OK), -1);
	unlink(path);
	rmdir(dir);
}

static void test_fifo_kept(void **state)
{
	char dir[] = "/tmp/nnp-atomic-XXXXXX", fifo[64], got[64];
	struct stat st;
	int status;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(got, sizeof(got), "%s/got", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *in, *out;
		int c;

		alarm(10); /* no writer ever opens it (a rename replaced it): fail, not hang */
		in = fopen(fifo, "r");
		out = fopen(got, "w");
		while (in && out && (c = fgetc(in)) != EOF)
			fputc(c, out);
		_exit(in && out && !fclose(out) ? 0 : 1);
	}
	assert_int_equal(nnp_write_file_atomic(fifo, put_text, "through"), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(slurp(got), "through");
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	unlink(fifo);
	unlink(got);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular),
		cmocka_unit_test(test_fifo_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Golden files for unit tests: nnp_test_slurp reads a file whole,
 * nnp_check_golden compares text with tests/unit/data/NAME and names the
 * first line that differs; NNP_UPDATE_GOLDEN=1 rewrites the file instead.
 * Include after <cmocka.h>.
 */
#ifndef NNP_TEST_GOLDEN_H
#define NNP_TEST_GOLDEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the file at PATH, NUL-terminated (caller frees); NULL if it cannot be opened */
static inline char *nnp_test_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* NAME is relative to tests/unit/data */
static inline void nnp_check_golden(const char *name, const char *got)
{
	const char *update = getenv("NNP_UPDATE_GOLDEN");
	char path[512], *want;
	size_t line = 1, i;

	snprintf(path, sizeof(path), "%s/%s", NNP_TEST_DATA_DIR, name);
	if (update && !strcmp(update, "1")) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(got, f);
		assert_int_equal(fclose(f), 0);
		print_message("updated %s\n", path);
		return;
	}
	want = nnp_test_slurp(path);
	if (!want)
		fail_msg("%s missing: run with NNP_UPDATE_GOLDEN=1 to create it", path);
	for (i = 0; want[i] && want[i] == got[i]; i++)
		line += want[i] == '\n';
	if (want[i] != got[i])
		fail_msg(
		    "%s differs from line %zu: got '%.80s' (NNP_UPDATE_GOLDEN=1 regenerates it)",
		    path, line, got + i);
	free(want);
}

#endif

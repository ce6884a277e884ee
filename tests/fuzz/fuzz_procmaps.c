// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A /proc/PID/maps text through the parser nnp_procmaps_foreach uses, and
 * each mapped path through the library-name match that picks libraries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "libname.h"
#include "procmaps.h"

#define STOP_NEG (-EXDEV) /* the callback's return at "[stop]", returned as is */

static const char *const names[] = { "libonnxruntime.so", "libtorch_cpu", "libc", "libggml",
				     "ld-linux-x86-64.so.2" };

static void check_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char own[PATH_MAX];
	size_t n;
	int s;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 10 && !strcmp(base + n - 10, " (deleted)"))
		n -= 10;
	memcpy(own, base, n);
	own[n] = '\0';
	if (nnp_lib_name_match(path, ""))
		abort(); /* an empty name matches nothing */
	if (n && nnp_lib_name_match(path, own) != 2)
		abort(); /* its own basename, deleted or not, is exact */
	if (n > 1 && nnp_lib_name_match(path, own + 1) != 0 && own[0] != own[1])
		abort(); /* a basename matches from its start only */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s = nnp_lib_name_match(path, names[i]);
		if (s < 0 || s > 2 || (s == 2 && strcmp(own, names[i])))
			abort();
	}
}

static int each(const struct nnp_mapping *m, void *ctx)
{
	size_t *n = ctx;

	if (strlen(m->perms) > 4 || !memchr(m->path, '\0', sizeof(m->path)) ||
	    strchr(m->path, '\n'))
		abort();
	check_name(m->path);
	(*n)++;
	if (!strcmp(m->path, "[vsyscall]"))
		return 1; /* a positive stop is not an error */
	return strcmp(m->path, "[stop]") ? 0 : STOP_NEG;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	size_t n = 0;
	FILE *f;
	int err;

	if (!text || !size)
		goto cleanup;
	memcpy(text, data, size);
	f = fmemopen(text, size, "r");
	if (!f)
		goto cleanup;
	err = nnp_procmaps_parse(f, each, &n);
	if (err && err != STOP_NEG)
		abort(); /* a memory stream does not fail to read */
	fclose(f);
cleanup:
	free(text);
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

/* a device, FIFO or socket (-o /dev/null, -o /dev/stdout, a pipe): written in
 * place; renaming a file over it would replace the device node itself */
static int write_in_place(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	err = write(f, ctx);
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

int nnp_write_file_atomic(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	char tmp[PATH_MAX];
	struct stat st;
	FILE *f;
	int err;

	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return write_in_place(path, write, ctx);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	err = write(f, ctx);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

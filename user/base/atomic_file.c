// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

/* opens PATH for writing and fills it with write(f, ctx) */
static int write_to(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx)
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
	int err;

	/* a device, FIFO or socket (-o /dev/null, /dev/stdout, a pipe) is written in
	 * place: renaming a file over it would replace the device node itself */
	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return write_to(path, write, ctx);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	err = write_to(tmp, write, ctx);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

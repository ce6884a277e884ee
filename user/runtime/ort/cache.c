// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Sites found in a build of ONNX Runtime, one small file per build-id:
 * finding them loads the library in a child and sweeps 35 MB of code, which
 * need not happen again for the same file. $XDG_CACHE_HOME/nnperf, else
 * /var/cache/nnperf for root, else ~/.cache/nnperf.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ort.h"

#define CACHE_MAGIC "nnperf-ort-sites 1"

static int cache_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0])
		n = snprintf(buf, len, "%s/nnperf", xdg);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/cache/nnperf");
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.cache/nnperf", home);
	else
		return -ENOENT;
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

static int cache_file(const char *build_id, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int n, err;

	if (!build_id || !build_id[0] || strspn(build_id, "0123456789abcdef") != strlen(build_id))
		return -ENOENT;
	err = cache_dir(dir, sizeof(dir));
	if (err)
		return err;
	n = snprintf(buf, len, "%s/ort-%s", dir, build_id);
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

int nnp_ort_cache_get(const char *build_id, struct nnp_ort_sites *s)
{
	char path[PATH_MAX], magic[32];
	FILE *f;
	int n, err = cache_file(build_id, path, sizeof(path));

	if (err)
		return err;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	n = fscanf(f, "%31[^\n] run=%" SCNx64 " kernel=%" SCNx64, magic, &s->run_off,
		   &s->kernel_off);
	fclose(f);
	return n == 3 && !strcmp(magic, CACHE_MAGIC) && s->run_off ? 0 : -ENOENT;
}

static int mkdirs(const char *dir)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}

int nnp_ort_cache_put(const char *build_id, const struct nnp_ort_sites *s)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX];
	FILE *f;
	int err = cache_file(build_id, path, sizeof(path));

	if (!err)
		err = cache_dir(dir, sizeof(dir));
	if (!err)
		err = mkdirs(dir);
	if (err)
		return err;
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, CACHE_MAGIC "\nrun=%" PRIx64 "\nkernel=%" PRIx64 "\n", s->run_off,
		s->kernel_off);
	err = fclose(f) ? -errno : 0;
	/* readers see the whole file or none */
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

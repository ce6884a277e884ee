// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Sites found in a build of ONNX Runtime, one small file per build-id:
 * finding them loads the library in a child and sweeps 35 MB of code, which
 * need not happen again for the same file. $XDG_CACHE_HOME/nnperf, else
 * /var/cache/nnperf for root, else ~/.cache/nnperf.
 *
 * The offsets become uprobes in other people's processes, and an int3 in
 * the middle of an instruction crashes them: a file is taken only if it is
 * exactly what nnp_ort_cache_put writes, and only from a regular file of
 * our own that nobody else may write (XDG_CACHE_HOME may be a user's
 * directory under sudo). Anything else is a miss: the sites are found
 * again and the file replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ort.h"

#define CACHE_MAGIC "nnperf-ort-sites 1"
#define CACHE_MAX 96 /* bytes: the longest file put writes is 63 */

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

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "KEY" HEX "\n" as put writes it: 1-16 lowercase digits, no leading 0; what follows, or NULL */
static const char *hex_line(const char *p, const char *key, uint64_t *out)
{
	size_t k = strlen(key), n = 0;
	uint64_t v = 0;

	if (strncmp(p, key, k))
		return NULL;
	p += k;
	while (n < 16 && hex_digit(p[n]) >= 0)
		v = v << 4 | (uint64_t)hex_digit(p[n++]);
	if (!n || (n > 1 && p[0] == '0') || p[n] != '\n')
		return NULL;
	*out = v;
	return p + n + 1;
}

/* buf holds len bytes and a NUL; 0 or -EINVAL */
static int parse(const char *buf, size_t len, struct nnp_ort_sites *s)
{
	struct nnp_ort_sites got;
	const char *p = buf;

	if (strlen(buf) != len || strncmp(p, CACHE_MAGIC "\n", sizeof(CACHE_MAGIC)))
		return -EINVAL;
	p = hex_line(p + sizeof(CACHE_MAGIC), "run=", &got.run_off);
	p = p ? hex_line(p, "kernel=", &got.kernel_off) : NULL;
	if (!p || *p || !got.run_off)
		return -EINVAL;
	*s = got;
	return 0;
}

/* the file, if a regular one of ours (or root's) nobody else may write; its length or -errno */
static ssize_t read_own(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return errno == ELOOP ? -EPERM : -errno; /* a symbolic link is not ours */
	if (fstat(fd, &st))
		n = -errno;
	else if (!S_ISREG(st.st_mode))
		n = -EINVAL;
	else if ((st.st_uid != geteuid() && st.st_uid) || (st.st_mode & (S_IWGRP | S_IWOTH)))
		n = -EPERM;
	else if ((n = read(fd, buf, cap)) < 0)
		n = -errno;
	close(fd);
	return n;
}

int nnp_ort_cache_get(const char *build_id, struct nnp_ort_sites *s)
{
	char path[PATH_MAX], buf[CACHE_MAX + 1];
	int err = cache_file(build_id, path, sizeof(path));
	ssize_t n;

	if (err)
		return err;
	n = read_own(path, buf, CACHE_MAX);
	if (n >= 0) {
		buf[n] = '\0';
		n = parse(buf, (size_t)n, s);
	}
	if (n == -EPERM)
		nnp_warn("onnxruntime: ignoring the cache %s: a link, or another user may write it",
			 path);
	else if (n && n != -ENOENT)
		nnp_warn("onnxruntime: ignoring the cache %s: %s", path,
			 n == -EINVAL ? "not a file nnperf wrote" : strerror((int)-n));
	return (int)n;
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

/* a new file: O_EXCL so that a link planted at the name is not followed */
static int create_tmp(const char *tmp)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0 && errno == EEXIST && !unlink(tmp))
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	return fd < 0 ? -errno : fd;
}

int nnp_ort_cache_put(const char *build_id, const struct nnp_ort_sites *s)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX], text[CACHE_MAX];
	int err = cache_file(build_id, path, sizeof(path)), fd, n;

	if (!err)
		err = cache_dir(dir, sizeof(dir));
	if (!err)
		err = mkdirs(dir);
	if (err)
		return err;
	n = snprintf(text, sizeof(text), CACHE_MAGIC "\nrun=%" PRIx64 "\nkernel=%" PRIx64 "\n",
		     s->run_off, s->kernel_off);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = create_tmp(tmp);
	if (fd < 0)
		return fd;
	err = write(fd, text, (size_t)n) == n ? 0 : -EIO;
	if (close(fd) && !err)
		err = -errno;
	/* readers see the whole file or none */
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What discovery reads about one process: /proc/PID/{stat,environ,cmdline,exe}. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"
#include "text.h"

/* reads a whole small /proc file; *len excludes the NUL always added */
static int read_proc_file(pid_t pid, const char *what, char *buf, size_t size, size_t *len)
{
	char path[64];
	ssize_t n;
	size_t off = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	while (off < size - 1 && (n = read(fd, buf + off, size - 1 - off)) > 0)
		off += (size_t)n;
	close(fd);
	buf[off] = '\0';
	*len = off;
	return off ? 0 : -ESRCH;
}

/* fields after "(comm)": 3 state .. 9 flags .. 22 starttime */
int nnp_proc_stat(pid_t pid, uint64_t *starttime, char *comm, size_t commlen, unsigned int *flags)
{
	char buf[1024], *open, *close, *tok, *save = NULL;
	size_t len;
	int field = 3, err = read_proc_file(pid, "stat", buf, sizeof(buf), &len);

	if (err)
		return err;
	open = strchr(buf, '(');
	close = strrchr(buf, ')'); /* comm may itself hold ')' */
	if (!open || !close || close < open)
		return -EINVAL;
	nnp_text_copy(comm, commlen, open + 1, (size_t)(close - open - 1));
	*flags = 0;
	for (tok = strtok_r(close + 1, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), field++) {
		if (field == 9)
			*flags = (unsigned int)strtoul(tok, NULL, 10);
		if (field == 22) {
			*starttime = strtoull(tok, NULL, 10);
			return 0;
		}
	}
	return -EINVAL;
}

/* value of NAME=... in a NUL-separated list */
static const char *env_value(const char *buf, size_t len, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = buf; p < buf + len; p += strlen(p) + 1)
		if (!strncmp(p, name, nl) && p[nl] == '=')
			return p + nl + 1;
	return NULL;
}

/* the argument after flag (or "--flag=value") in a NUL-separated argv */
static const char *arg_value(const char *buf, size_t len, const char *flag)
{
	size_t fl = strlen(flag);

	for (const char *p = buf; p < buf + len; p += strlen(p) + 1) {
		const char *next = p + strlen(p) + 1;

		if (!strcmp(p, flag))
			return next < buf + len ? next : NULL;
		if (!strncmp(p, flag, fl) && p[fl] == '=')
			return p + fl + 1;
	}
	return NULL;
}

static int set_label(char *out, size_t len, const char *v)
{
	const char *base = strrchr(v, '/');

	base = base && base[1] ? base + 1 : v;
	if (!*base)
		return -ENOENT;
	nnp_text_copy(out, len, base, SIZE_MAX);
	return 0;
}

int nnp_proc_model(pid_t pid, const char *flag, char *out, size_t len)
{
	char *buf = malloc(65536), link[64], exe[4096];
	const char *v = NULL;
	size_t n;
	ssize_t k;
	int err = -ENOENT;

	if (!buf)
		return -ENOMEM;
	if (!read_proc_file(pid, "environ", buf, 65536, &n))
		v = env_value(buf, n, "NNPERF_MODEL");
	if ((!v || !*v) && flag && !read_proc_file(pid, "cmdline", buf, 65536, &n))
		v = arg_value(buf, n, flag);
	if (v && *v)
		err = set_label(out, len, v);
	if (err) {
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
		k = readlink(link, exe, sizeof(exe) - 1);
		if (k > 0) {
			exe[k] = '\0';
			err = set_label(out, len, exe);
		} else {
			err = -errno;
		}
	}
	free(buf);
	return err;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A running process's mapped files. Paths in /proc/PID/maps are in the
 * process's mount namespace (a container): we open them through
 * /proc/PID/root, and a file deleted since it was mapped (a library upgraded
 * under a running server) through /proc/PID/map_files, which still reaches
 * the mapped inode; uprobes attach to that inode either way.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libname.h"
#include "procmaps.h"

#define DELETED " (deleted)"

static size_t deleted_len(const char *path, size_t len)
{
	size_t d = strlen(DELETED);

	return len > d && !strcmp(path + len - d, DELETED) ? len - d : len;
}

int nnp_lib_name_match(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t blen, n = strlen(name);

	base = base ? base + 1 : path;
	blen = deleted_len(base, strlen(base));
	if (!n || n > blen || strncmp(base, name, n))
		return 0;
	if (n == blen)
		return 2;
	return base[n] == '.' || base[n] == '-';
}

/* "start-end perms offset dev inode path": the path runs to the end of the line */
static int parse_line(char *line, struct nnp_mapping *m)
{
	unsigned long long start, end, off, inode;
	char perms[5];
	size_t len;
	int n = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %*x:%*x %llu %n", &start, &end, perms, &off, &inode,
		   &n) != 5 ||
	    !n)
		return -EINVAL;
	line += n;
	len = strcspn(line, "\n");
	if (len >= sizeof(m->path))
		return -ENAMETOOLONG;
	memcpy(m->path, line, len);
	m->path[len] = '\0';
	memcpy(m->perms, perms, sizeof(m->perms));
	m->start = start;
	m->end = end;
	m->offset = off;
	m->inode = inode;
	return 0;
}

static int open_maps(pid_t pid, FILE **f)
{
	char file[64];

	if (pid <= 0)
		return -ESRCH;
	snprintf(file, sizeof(file), "/proc/%d/maps", (int)pid);
	*f = fopen(file, "re");
	if (*f)
		return 0;
	if (errno == ENOENT)
		return -ESRCH;
	return errno == EPERM ? -EACCES : -errno;
}

int nnp_procmaps_parse(FILE *f, int (*cb)(const struct nnp_mapping *m, void *ctx), void *ctx)
{
	struct nnp_mapping *m = malloc(sizeof(*m));
	size_t cap = 0;
	char *line = NULL;
	int ret = 0;

	if (!m)
		return -ENOMEM;
	errno = 0;
	while (getline(&line, &cap, f) > 0) {
		/* a line we cannot read is no reason to lose the others */
		if (parse_line(line, m))
			continue;
		ret = cb(m, ctx);
		if (ret) {
			ret = ret < 0 ? ret : 0;
			goto cleanup;
		}
	}
	/* a process that exits while we read leaves ESRCH */
	if (ferror(f))
		ret = errno == ESRCH ? -ESRCH : -EIO;
cleanup:
	free(line);
	free(m);
	return ret;
}

int nnp_procmaps_foreach(pid_t pid, int (*cb)(const struct nnp_mapping *m, void *ctx), void *ctx)
{
	FILE *f = NULL;
	int ret;

	ret = open_maps(pid, &f);
	if (ret)
		return ret;
	ret = nnp_procmaps_parse(f, cb, ctx);
	fclose(f);
	return ret;
}

static int is_exec_file(const struct nnp_mapping *m)
{
	return m->perms[2] == 'x' && m->path[0] == '/';
}

static int openable_path(pid_t pid, const struct nnp_mapping *m, char *out, size_t len)
{
	size_t plen = strlen(m->path);
	int w;

	if (deleted_len(m->path, plen) != plen)
		w = snprintf(out, len, "/proc/%d/map_files/%llx-%llx", (int)pid,
			     (unsigned long long)m->start, (unsigned long long)m->end);
	else
		w = snprintf(out, len, "/proc/%d/root%s", (int)pid, m->path);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

struct find_lib {
	pid_t pid;
	const char *name;
	char *out;
	size_t len;
	int best; /* 2 exact, 1 prefix */
	int err;
};

static int find_lib_cb(const struct nnp_mapping *m, void *ctx)
{
	struct find_lib *f = ctx;
	int score;

	if (!is_exec_file(m))
		return 0;
	score = nnp_lib_name_match(m->path, f->name);
	if (score <= f->best)
		return 0;
	f->best = score;
	f->err = openable_path(f->pid, m, f->out, f->len);
	return score == 2; /* an exact basename beats any "name." or "name-" seen later */
}

int nnp_proc_find_lib(pid_t pid, const char *name, char *out, size_t len)
{
	struct find_lib f = { .pid = pid, .name = name, .out = out, .len = len };
	int err;

	err = nnp_procmaps_foreach(pid, find_lib_cb, &f);
	if (err)
		return err;
	if (!f.best)
		return -ENOENT;
	return f.err;
}

struct exec_files {
	pid_t pid;
	int (*cb)(const char *path, void *ctx);
	void *ctx;
	char **seen;
	size_t nseen;
	size_t cap;
};

static int remember(struct exec_files *x, const char *path)
{
	size_t i;
	char **v;

	for (i = 0; i < x->nseen; i++)
		if (!strcmp(x->seen[i], path))
			return 1;
	if (x->nseen == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 32;
		v = realloc(x->seen, x->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		x->seen = v;
	}
	x->seen[x->nseen] = strdup(path);
	if (!x->seen[x->nseen])
		return -ENOMEM;
	x->nseen++;
	return 0;
}

static int exec_files_cb(const struct nnp_mapping *m, void *ctx)
{
	struct exec_files *x = ctx;
	char path[PATH_MAX + 64];
	int err;

	if (!is_exec_file(m))
		return 0;
	err = remember(x, m->path);
	if (err)
		return err < 0 ? err : 0;
	err = openable_path(x->pid, m, path, sizeof(path));
	if (err)
		return err;
	return x->cb(path, x->ctx);
}

int nnp_proc_exec_files(pid_t pid, int (*cb)(const char *path, void *ctx), void *ctx)
{
	struct exec_files x = { .pid = pid, .cb = cb, .ctx = ctx };
	size_t i;
	int err;

	err = nnp_procmaps_foreach(pid, exec_files_cb, &x);
	for (i = 0; i < x.nseen; i++)
		free(x.seen[i]);
	free(x.seen);
	return err;
}

/*
 * The executable as a path that opens from here: /proc/PID/root + its path,
 * or /proc/PID/exe itself when the file was deleted (the link still opens it).
 */
int nnp_proc_exe(pid_t pid, char *out, size_t len)
{
	char link[64], target[PATH_MAX];
	ssize_t n;
	int w;

	if (pid <= 0)
		return -ESRCH;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		/* kernel threads have no executable */
		if (errno == ENOENT)
			return nnp_proc_alive(pid) ? -ENOENT : -ESRCH;
		return errno == EPERM ? -EACCES : -errno;
	}
	target[n] = '\0';
	if (deleted_len(target, (size_t)n) != (size_t)n)
		w = snprintf(out, len, "%s", link);
	else
		w = snprintf(out, len, "/proc/%d/root%s", (int)pid, target);
	return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

int nnp_proc_comm(pid_t pid, char *out, size_t len)
{
	char file[64], comm[64];
	FILE *f;
	int ret = 0;

	if (pid <= 0)
		return -ESRCH;
	snprintf(file, sizeof(file), "/proc/%d/comm", (int)pid);
	f = fopen(file, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	if (!fgets(comm, sizeof(comm), f)) {
		ret = -ESRCH; /* it exited between open and read */
		goto cleanup;
	}
	comm[strcspn(comm, "\n")] = '\0';
	if (strlen(comm) >= len) {
		ret = -ENAMETOOLONG;
		goto cleanup;
	}
	strcpy(out, comm);
cleanup:
	fclose(f);
	return ret;
}

bool nnp_proc_alive(pid_t pid)
{
	/* kill(0, 0) would ask about our own process group */
	return pid > 0 && (!kill(pid, 0) || errno == EPERM);
}

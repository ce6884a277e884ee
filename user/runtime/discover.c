// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <uthash.h>

#include "discover.h"
#include "procmaps.h"
#include "runtimes.h"

#define RECHECK_SCANS 30	/* a process without a runtime is examined again this often */
#define MAX_FILE_VERDICTS 65536 /* the cache starts over when it grows past this */
#define PF_KTHREAD 0x00200000u

struct seen_proc {
	pid_t pid;
	uint64_t starttime;
	char comm[16];
	uint64_t scan;	     /* last scan that saw it */
	uint64_t next_check; /* scan at which to examine it again; UINT64_MAX = never */
	UT_hash_handle hh;
};

struct file_key {
	const struct nnp_runtime *rt;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
};

struct file_verdict {
	struct file_key key;
	int verdict;
	UT_hash_handle hh;
};

struct nnp_discover {
	struct seen_proc *procs; /* uthash by pid */
	struct file_verdict *files;
	uint64_t scan;
	pid_t self;
};

int nnp_discover_new(struct nnp_discover **out)
{
	struct nnp_discover *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->self = getpid();
	*out = d;
	return 0;
}

static void files_clear(struct nnp_discover *d)
{
	struct file_verdict *f, *tmp;

	HASH_ITER(hh, d->files, f, tmp) {
		HASH_DEL(d->files, f);
		free(f);
	}
}

void nnp_discover_free(struct nnp_discover *d)
{
	struct seen_proc *p, *tmp;

	if (!d)
		return;
	HASH_ITER(hh, d->procs, p, tmp) {
		HASH_DEL(d->procs, p);
		free(p);
	}
	files_clear(d);
	free(d);
}

size_t nnp_discover_files(const struct nnp_discover *d)
{
	return HASH_COUNT(d->files);
}

int nnp_discover_file_verdict(struct nnp_discover *d, const struct nnp_runtime *rt,
			      const char *path,
			      int (*judge)(const struct nnp_runtime *rt, const char *path))
{
	struct file_key k;
	struct file_verdict *f;
	struct stat st;
	int v;

	if (stat(path, &st))
		return -errno;
	memset(&k, 0, sizeof(k)); /* the key is hashed as bytes, padding included */
	k.rt = rt;
	k.dev = st.st_dev;
	k.ino = st.st_ino;
	k.mtime = st.st_mtim;
	HASH_FIND(hh, d->files, &k, sizeof(k), f);
	if (f)
		return f->verdict;
	v = judge(rt, path);
	if (v < 0)
		return v;
	if (HASH_COUNT(d->files) >= MAX_FILE_VERDICTS)
		files_clear(d);
	f = calloc(1, sizeof(*f));
	if (!f)
		return v; /* a verdict without a cache entry is still a verdict */
	f->key = k;
	f->verdict = v;
	HASH_ADD(hh, d->files, key, sizeof(f->key), f);
	return v;
}

struct detect_walk {
	struct nnp_discover *d;
	const struct nnp_runtime *rt;
	int found;
};

static int detect_file(const char *path, void *ctx)
{
	struct detect_walk *w = ctx;
	int v;

	v = nnp_discover_file_verdict(w->d, w->rt, path, nnp_runtime_claims);
	if (v > 0) {
		w->found = 1;
		return 1; /* stop: one file is enough */
	}
	return 0;
}

/* whether a process uses a runtime: one of its executable mappings is a file
 * the runtime's adapter claims (runtimes.h), a verdict cached per file */
int nnp_discover_detect(struct nnp_discover *d, const struct nnp_runtime *rt, pid_t pid)
{
	struct detect_walk w = { .d = d, .rt = rt };
	int err = nnp_proc_exec_files(pid, detect_file, &w);

	if (w.found)
		return 1;
	return err < 0 ? err : 0;
}

int nnp_discover_runtime(struct nnp_discover *d, pid_t pid, const struct nnp_runtime **rt)
{
	for (size_t i = 0; nnp_runtimes[i]; i++) {
		int v = nnp_discover_detect(d, nnp_runtimes[i], pid);

		if (v < 0)
			return v;
		if (v > 0) {
			*rt = nnp_runtimes[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* A new process, a reused pid or an exec since the last look: examine now. */
static struct seen_proc *note_proc(struct nnp_discover *d, pid_t pid, uint64_t starttime,
				   const char *comm)
{
	struct seen_proc *p;

	HASH_FIND(hh, d->procs, &pid, sizeof(pid), p);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		p->pid = pid;
		HASH_ADD(hh, d->procs, pid, sizeof(p->pid), p);
	} else if (p->starttime != starttime || strcmp(p->comm, comm)) {
		p->next_check = 0;
	}
	p->starttime = starttime;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	p->scan = d->scan;
	return p;
}

static void examine(struct nnp_discover *d, struct seen_proc *p, nnp_found_fn found, void *ctx)
{
	const struct nnp_runtime *rt;
	int err = nnp_discover_runtime(d, p->pid, &rt);

	if (!err && !found(ctx, p->pid, rt)) {
		p->next_check = UINT64_MAX;
		return;
	}
	p->next_check = d->scan + RECHECK_SCANS;
}

static void forget_gone(struct nnp_discover *d)
{
	struct seen_proc *p, *tmp;

	HASH_ITER(hh, d->procs, p, tmp) {
		if (p->scan != d->scan) {
			HASH_DEL(d->procs, p);
			free(p);
		}
	}
}

static pid_t dir_pid(const char *name)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)name[0]))
		return 0;
	v = strtol(name, &end, 10);
	return *end || v <= 0 || v > INT32_MAX ? 0 : (pid_t)v;
}

int nnp_discover_scan(struct nnp_discover *d, nnp_found_fn found, void *ctx)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;

	if (!dir)
		return -errno;
	d->scan++;
	while ((de = readdir(dir))) {
		pid_t pid = dir_pid(de->d_name);
		struct seen_proc *p;
		unsigned int flags;
		uint64_t start;
		char comm[16];

		if (!pid || pid == d->self)
			continue;
		if (nnp_proc_stat(pid, &start, comm, sizeof(comm), &flags))
			continue; /* exited while we looked */
		if (flags & PF_KTHREAD)
			continue;
		p = note_proc(d, pid, start, comm);
		if (p && p->next_check <= d->scan)
			examine(d, p, found, ctx);
	}
	closedir(dir);
	forget_gone(d);
	return 0;
}

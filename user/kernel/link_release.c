// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Releasing links in the background, and waiting for every release before an attach. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "link_release.h"

/*
 * Releasing a uprobe perf event waits for the kernel (an RCU grace period,
 * ~100 ms here), one after another: seconds for a few dozen sites. A detached
 * grandchild holding duplicates of every descriptor makes our own closes
 * cheap and closes them itself, in the background. While it does, it holds a
 * shared lock that every attach (of any nnperf) waits for: uprobes of one
 * file registered while others are still being unregistered do not reliably
 * fire on this kernel ("failed to unregister, leaking uprobe").
 */
#define RELEASE_LOCK "/run/nnperf.release.lock"
#define RELEASE_LOCK_TMP "/tmp/nnperf.release.lock"

static int release_lock(int how)
{
	int fd = open(RELEASE_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		fd = open(RELEASE_LOCK_TMP, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, how)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void nnp_links_wait_releases(void)
{
	int fd = release_lock(LOCK_EX);

	if (fd >= 0)
		close(fd);
}

#define RELEASE_THREADS 32

struct closer {
	const int *fds;
	size_t n, step;
};

static void *close_some(void *arg)
{
	const struct closer *c = arg;

	for (size_t i = 0; i < c->n; i += c->step)
		close(c->fds[i]);
	return NULL;
}

/* each release waits for a grace period of its own: waiting for them side by
 * side ends them all in about one (a budget's detach, shared/KERNEL.md) */
static void close_parallel(const int *fds, size_t n, bool parallel)
{
	pthread_t t[RELEASE_THREADS];
	struct closer c[RELEASE_THREADS];
	size_t nt = n < RELEASE_THREADS ? n : RELEASE_THREADS, started = 0;

	if (!parallel) {
		for (size_t i = 0; i < n; i++)
			close(fds[i]);
		return;
	}
	for (size_t i = 0; i < nt; i++) {
		c[i] = (struct closer){ .fds = fds + i, .n = n - i, .step = nt };
		if (!pthread_create(&t[started], NULL, close_some, &c[i]))
			started++;
		else
			close_some(&c[i]);
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

/* in the grandchild: every descriptor but the lock, then exit (drops the lock) */
static void release_all_but(int keep, bool parallel)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self = d ? dirfd(d) : -1, *fds = NULL;
	size_t n = 0, cap = 0;

	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name), *v;
		size_t more = cap ? 2 * cap : 64;

		if (fd <= STDERR_FILENO || fd == keep || fd == self)
			continue;
		if (n == cap && (v = realloc(fds, more * sizeof(*v)))) {
			fds = v;
			cap = more;
		}
		if (n < cap)
			fds[n++] = fd;
		else
			close(fd);
	}
	if (d)
		closedir(d);
	close_parallel(fds, n, parallel);
	_exit(0);
}

static void release_in_background(bool parallel)
{
	int lock = release_lock(LOCK_SH), null;
	pid_t child = fork(), grandchild;

	if (child < 0) {
		if (lock >= 0)
			close(lock);
		return; /* then our closes pay, as they would anyway */
	}
	if (child > 0) {
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		if (lock >= 0)
			close(lock); /* the grandchild's copy keeps it */
		return;
	}
	grandchild = fork();
	if (grandchild != 0)
		_exit(0);
	/* let no pipe reader of ours wait for this process's end */
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	setsid();
	release_all_but(lock, parallel);
}

void nnp_links_release(struct nnp_link *links, size_t n, bool parallel)
{
	bool any = false;

	for (size_t i = 0; i < n; i++)
		any |= links[i].link || links[i].fd >= 0;
	if (any)
		release_in_background(parallel);
	for (size_t i = 0; i < n; i++) {
		if (links[i].link)
			bpf_link__destroy(links[i].link);
		else if (links[i].fd >= 0)
			close(links[i].fd);
		links[i].link = NULL;
		links[i].fd = -1;
	}
}

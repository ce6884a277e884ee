// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which libggml-cpu-<variant>.so ggml keeps. To choose, ggml dlopens every
 * variant in its directory, calls its ggml_backend_score() (CPU features),
 * closes it, and loads the best again: nnperf sees all of them mapped in turn,
 * and probing all (13 files x 118 ops in node-llama-cpp) would cost thousands
 * of uprobes to attach and to release. The same scores are asked here, in a
 * child that gives up root first (the library's code runs there, never in
 * nnperf) and sends back the best file's name.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_fds.h"
#include "ggml.h"

#define NOBODY 65534
#define PICK_TIMEOUT_MS 5000

static int best_in(const char *dir, char *best, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	int best_score = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		int (*score)(void);
		int sc;
		void *h;

		if (strncmp(de->d_name, "libggml-cpu-", 12) || !strstr(de->d_name, ".so"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		score = h ? (int (*)(void))dlsym(h, "ggml_backend_score") : NULL;
		sc = score ? score() : 0;
		if (sc > best_score) {
			best_score = sc;
			snprintf(best, len, "%s", de->d_name);
		}
	}
	closedir(d);
	return best_score > 0 ? 0 : -ENOENT;
}

/* the directory was opened as root (it may be under /proc/PID/root, which
 * nobody cannot follow): the child reads it through /proc/self/fd. The
 * variants' code runs here: of nnperf's descriptors it keeps only the pipe
 * (3) and the directory (4); stdio goes to /dev/null */
static void child(const char *dir, int fd)
{
	char best[NAME_MAX + 1] = "";
	int keep[2] = { fd, open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) };

	if (keep[1] < 0 || nnp_child_keep_fds(keep, 2))
		_exit(1);
	if (geteuid() == 0 && (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
		_exit(1);
	/* setuid cleared it, and /proc/self/fd needs it */
	if (prctl(PR_SET_DUMPABLE, 1) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(1);
	if (best_in("/proc/self/fd/4", best, sizeof(best)))
		_exit(1);
	if (write(3, best, strlen(best)) != (ssize_t)strlen(best))
		_exit(1);
	_exit(0);
}

int nnp_ggml_best_variant(const char *dir, char *best, size_t len)
{
	ssize_t n = 0;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (pid == 0) {
		close(fds[0]);
		child(dir, fds[1]);
	}
	close(fds[1]);
	/* a child forked from a threaded nnperf (export's HTTP thread) can hang on a
	 * lock another thread held at the fork: give up on it rather than wait */
	if (len &&
	    poll(&(struct pollfd){ .fd = fds[0], .events = POLLIN }, 1, PICK_TIMEOUT_MS) == 1)
		n = read(fds[0], best, len - 1);
	if (n <= 0)
		kill(pid, SIGKILL);
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -ENOENT;
	best[n] = 0;
	return 0;
}

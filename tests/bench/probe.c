// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf-bench-probe: an empty uprobe, the floor nnperf's cost is compared with
 * (tests/bench/run.sh). bpftrace 0.17 as Debian builds it refuses a probe
 * inside a function ("compiled without (k|u)probe offset support"), so the
 * best-site floor is measured with libbpf directly.
 *
 *   nnperf-bench-probe [--ret] FILE FUNC OFFSET -- CMD [ARGS...]
 *
 * attaches an empty BPF program at FUNC+OFFSET of FILE (and with --ret an
 * empty uretprobe at the same place), then runs CMD and exits with its status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

#include "bench_empty.skel.h"

static int attach(struct bench_empty_bpf *skel, const char *file, const char *func, size_t off,
		  bool ret)
{
	LIBBPF_OPTS(bpf_uprobe_opts, eo, .func_name = func);
	LIBBPF_OPTS(bpf_uprobe_opts, ro, .func_name = func, .retprobe = true);

	skel->links.empty_entry =
	    bpf_program__attach_uprobe_opts(skel->progs.empty_entry, -1, file, off, &eo);
	if (!skel->links.empty_entry)
		return -errno;
	if (!ret)
		return 0;
	skel->links.empty_return =
	    bpf_program__attach_uprobe_opts(skel->progs.empty_return, -1, file, off, &ro);
	return skel->links.empty_return ? 0 : -errno;
}

static int run(char **cmd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "nnperf-bench-probe: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct bench_empty_bpf *skel = NULL;
	bool ret = argc > 1 && !strcmp(argv[1], "--ret");
	int a = ret ? 2 : 1, err;

	if (argc < a + 5 || strcmp(argv[a + 3], "--")) {
		fprintf(stderr, "usage: nnperf-bench-probe [--ret] FILE FUNC OFFSET -- CMD...\n");
		return 2;
	}
	skel = bench_empty_bpf__open_and_load();
	err =
	    skel ? attach(skel, argv[a], argv[a + 1], strtoul(argv[a + 2], NULL, 0), ret) : -errno;
	if (err) {
		fprintf(stderr, "nnperf-bench-probe: cannot attach to %s:%s+%s: %s\n", argv[a],
			argv[a + 1], argv[a + 2], strerror(-err));
		bench_empty_bpf__destroy(skel);
		return 1;
	}
	err = run(argv + a + 4);
	bench_empty_bpf__destroy(skel);
	return err < 0 ? 1 : err;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf-bench-probe: an empty uprobe, the floor nnperf's cost is compared with
 * (tests/bench/run.sh). bpftrace 0.17 as Debian builds it refuses a probe
 * inside a function ("compiled without (k|u)probe offset support"), so the
 * best-site floor is measured with libbpf directly.
 *
 *   nnperf-bench-probe [--ret] FILE FUNC OFFSET -- CMD [ARGS...]
 *   nnperf-bench-probe --sites FILE OFF[,OFF...] -- CMD [ARGS...]
 *
 * attaches an empty BPF program at FUNC+OFFSET of FILE (and with --ret an
 * empty uretprobe at the same place), then runs CMD and exits with its status.
 * --sites puts the empty program at each file offset of the list, in one
 * uprobe_multi link: the floor of a placement nnperf chose (ggml's call sites).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>

#include "bench_empty.skel.h"
#include "../../user/kernel/uprobe_multi.h" /* not -I: its features.h is not glibc's */

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

#define MAX_SITES 4096

static int parse_sites(const char *list, uint64_t *offs, size_t *n)
{
	const char *p = list;
	char *end;

	for (*n = 0; *p; p = *end ? end + 1 : end) {
		if (*n == MAX_SITES)
			return -E2BIG;
		errno = 0;
		offs[(*n)++] = strtoul(p, &end, 0);
		if (errno || end == p || (*end && *end != ','))
			return -EINVAL;
	}
	return *n ? 0 : -EINVAL;
}

/* the link's fd stays open until the process exits */
static int attach_sites(struct bench_empty_bpf *skel, const char *file, const char *list)
{
	static uint64_t offs[MAX_SITES], cookies[MAX_SITES];
	size_t n;
	int err = parse_sites(list, offs, &n);

	if (err)
		return err;
	err = nnp_uprobe_multi_link(bpf_program__fd(skel->progs.empty_multi), file, offs, cookies,
				    n, 0, false);
	return err < 0 ? err : 0;
}

static struct bench_empty_bpf *load(bool sites)
{
	struct bench_empty_bpf *skel = bench_empty_bpf__open();

	if (!skel)
		return NULL;
	/* before 6.6 there is no uprobe_multi: load it only when asked for */
	bpf_program__set_autoload(skel->progs.empty_multi, sites);
	bpf_program__set_autoload(skel->progs.empty_entry, !sites);
	bpf_program__set_autoload(skel->progs.empty_return, !sites);
	if (sites)
		bpf_program__set_expected_attach_type(skel->progs.empty_multi,
						      NNP_TRACE_UPROBE_MULTI);
	if (bench_empty_bpf__load(skel)) {
		bench_empty_bpf__destroy(skel);
		return NULL;
	}
	return skel;
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
	bool sites = argc > 1 && !strcmp(argv[1], "--sites");
	int a = ret || sites ? 2 : 1, cmd = sites ? a + 3 : a + 4, err;

	if (argc <= cmd || strcmp(argv[cmd - 1], "--")) {
		fprintf(stderr, "usage: nnperf-bench-probe [--ret] FILE FUNC OFFSET -- CMD...\n"
				"       nnperf-bench-probe --sites FILE OFF[,OFF...] -- CMD...\n");
		return 2;
	}
	skel = load(sites);
	if (!skel)
		err = -errno;
	else if (sites)
		err = attach_sites(skel, argv[a], argv[a + 1]);
	else
		err = attach(skel, argv[a], argv[a + 1], strtoul(argv[a + 2], NULL, 0), ret);
	if (err) {
		fprintf(stderr, "nnperf-bench-probe: cannot attach to %s:%s%s: %s\n", argv[a],
			sites ? "the sites' offsets" : argv[a + 1], sites ? "" : "+...",
			strerror(-err));
		bench_empty_bpf__destroy(skel);
		return 1;
	}
	err = run(argv + cmd);
	bench_empty_bpf__destroy(skel);
	return err < 0 ? 1 : err;
}

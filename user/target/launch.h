/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Launching `-- CMD ARGS` so that nothing is missed: the child is forked and
 * waits on a pipe before exec; probes are attached to it by pid; releasing it
 * execs the command, whose first instruction then runs traced.
 */
#ifndef NNP_LAUNCH_H
#define NNP_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

struct nnp_child {
	pid_t pid;
	int go_fd;  /* write end: a byte releases the child */
	int err_fd; /* read end, close-on-exec in the child: errno of a failed exec */
	int pidfd;  /* readable when the child exits, -1 if pidfd_open is missing */
	bool reaped;
	int status; /* wait status once reaped */
};

/* forks; the child waits. 0 or -errno */
int nnp_launch_prepare(char *const argv[], struct nnp_child *c);
/* lets the child exec; returns -errno of a failed exec (child reaped) */
int nnp_launch_release(struct nnp_child *c);
/* non-blocking: 1 if the child has exited (status kept), 0 if running */
int nnp_launch_poll_exit(struct nnp_child *c);
/* SIGTERM, then waits up to timeout_ms and SIGKILLs */
void nnp_launch_stop(struct nnp_child *c, int timeout_ms);
/* shell-style exit status: code, or 128+signal */
int nnp_launch_exit_code(const struct nnp_child *c);
void nnp_launch_close(struct nnp_child *c);

/* a pidfd for any process (-p PID), or -errno */
int nnp_pidfd_open(pid_t pid);

#endif

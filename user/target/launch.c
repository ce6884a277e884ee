// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

int nnp_pidfd_open(pid_t pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : (int)fd;
}

static void child_run(char *const argv[], int go_fd, int err_fd)
{
	char go;
	int e;

	/* the parent attaches probes meanwhile; EOF means it gave up */
	if (read(go_fd, &go, 1) != 1)
		_exit(127);
	close(go_fd);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int nnp_launch_prepare(char *const argv[], struct nnp_child *c)
{
	int go[2], er[2];

	memset(c, 0, sizeof(*c));
	c->pidfd = -1;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(er, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	c->pid = fork();
	if (c->pid < 0) {
		int err = -errno;

		close(go[0]), close(go[1]), close(er[0]), close(er[1]);
		return err;
	}
	if (c->pid == 0) {
		close(go[1]);
		close(er[0]);
		child_run(argv, go[0], er[1]);
	}
	close(go[0]);
	close(er[1]);
	c->go_fd = go[1];
	c->err_fd = er[0];
	c->pidfd = nnp_pidfd_open(c->pid);
	return 0;
}

int nnp_launch_release(struct nnp_child *c)
{
	int e = 0;
	ssize_t n;

	if (write(c->go_fd, "g", 1) != 1)
		return -errno;
	close(c->go_fd);
	c->go_fd = -1;
	/* EOF: exec succeeded and closed the pipe; data: its errno */
	do {
		n = read(c->err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	if (n == sizeof(e)) {
		while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
			;
		c->reaped = true;
		return -e;
	}
	return 0;
}

int nnp_launch_poll_exit(struct nnp_child *c)
{
	pid_t r;

	if (c->reaped)
		return 1;
	r = waitpid(c->pid, &c->status, WNOHANG);
	if (r == c->pid) {
		c->reaped = true;
		return 1;
	}
	return 0;
}

void nnp_launch_stop(struct nnp_child *c, int timeout_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (c->pid <= 0 || nnp_launch_poll_exit(c))
		return;
	kill(c->pid, SIGTERM);
	kill(c->pid, SIGCONT); /* a stopped child gets SIGTERM only once running */
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		if (nnp_launch_poll_exit(c))
			return;
		nanosleep(&ts, NULL);
	}
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
		;
	c->reaped = true;
}

int nnp_launch_exit_code(const struct nnp_child *c)
{
	if (!c->reaped)
		return -1;
	if (WIFEXITED(c->status))
		return WEXITSTATUS(c->status);
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return -1;
}

void nnp_launch_close(struct nnp_child *c)
{
	if (c->go_fd > 0)
		close(c->go_fd);
	if (c->err_fd > 0)
		close(c->err_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->go_fd = c->err_fd = c->pidfd = -1;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * OrtApi::Run of a stripped libonnxruntime: the library's only real exports
 * hand out its function table (OrtGetApiBase()->GetApi(v)), whose slot 9 has
 * been Run since version 1 (the table only grows). Reading it means loading
 * the library and running its constructors: a child does that, after giving
 * up root (nobody, no new privileges), and sends back the address minus the
 * load base.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_fds.h"
#include "elf_priv.h"
#include "elf_sym.h"
#include "log.h"
#include "ort.h"

#define ORT_RUN_SLOT 9
#define NOBODY 65534
#define CHILD_TIMEOUT_MS 20000
#define CHILD_NO_SETUID 3 /* the child's exit status when it cannot drop root */

struct ort_api_base {
	const void *(*get_api)(uint32_t version);
	const char *(*get_version_string)(void);
};

static int drop_root(void)
{
	if (geteuid() != 0)
		return 0;
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -errno;
	/* setuid cleared it, and /proc/self/fd/N needs it */
	if (prctl(PR_SET_DUMPABLE, 1) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return 0;
}

/* in the child: only the pipe stays open, as fd 3, and stdio goes to
 * /dev/null, so the library's code cannot reach nnperf's BPF maps, its output
 * or the target */
static int keep_pipe(int pipe_fd)
{
	return nnp_child_keep_fds(&pipe_fd, 1);
}

/* in the child: the vaddr of Run in the library, or 0 */
static uint64_t child_run_vaddr(const char *path)
{
	const struct ort_api_base *(*get_base)(void);
	const void *const *api;
	struct link_map *lm;
	char fdpath[64];
	void *h;
	int fd = open(path, O_RDONLY); /* opened as root, loaded as nobody */

	if (fd < 0)
		return 0;
	if (drop_root())
		_exit(CHILD_NO_SETUID);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	h = dlopen(access(path, R_OK) ? fdpath : path, RTLD_NOW | RTLD_LOCAL);
	if (!h || dlinfo(h, RTLD_DI_LINKMAP, &lm))
		return 0;
	*(void **)&get_base = dlsym(h, "OrtGetApiBase");
	if (!get_base || !get_base() || !get_base()->get_api)
		return 0;
	api = get_base()->get_api(1);
	if (!api || !api[ORT_RUN_SLOT])
		return 0;
	return (uint64_t)(uintptr_t)api[ORT_RUN_SLOT] - lm->l_addr;
}

static int read_child(int fd, pid_t pid, uint64_t *vaddr)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int status = 0, n = poll(&pfd, 1, CHILD_TIMEOUT_MS);

	if (n > 0)
		n = read(fd, vaddr, sizeof(*vaddr)) == sizeof(*vaddr) ? 1 : -1;
	if (n <= 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == 0)
		return -ETIMEDOUT;
	/* it could not give up root (no CAP_SETUID), so it loaded nothing */
	if (n < 0 && WIFEXITED(status) && WEXITSTATUS(status) == CHILD_NO_SETUID)
		return -EPERM;
	return n > 0 && *vaddr ? 0 : -ENOENT;
}

static int vaddr_to_file_off(const char *path, uint64_t vaddr, uint64_t *off)
{
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	unsigned char head[4];
	struct nnp_elf *e;
	int fd, cls, machine, type, err = nnp_elf_open(path, &e);

	if (err)
		return err;
	err = nnp_elf_vaddr_to_off(e, vaddr, off);
	nnp_elf_abi(e, &cls, &machine, &type);
	nnp_elf_close(e);
	if (err || machine != EM_X86_64) /* f3 0f 1e fa is endbr64 on x86-64 only */
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* a probe on endbr64 is single-stepped out of line (~10x the cost) */
	if (pread(fd, head, 4, (off_t)*off) == 4 && !memcmp(head, endbr64, 4))
		*off += 4;
	close(fd);
	return 0;
}

int nnp_ort_find_run(const char *path, uint64_t *off)
{
	uint64_t vaddr = 0;
	int fds[2], err;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (pid == 0) {
		if (keep_pipe(fds[1]))
			_exit(1);
		vaddr = child_run_vaddr(path);
		_exit(write(3, &vaddr, sizeof(vaddr)) == sizeof(vaddr) ? 0 : 1);
	}
	close(fds[1]);
	err = read_child(fds[0], pid, &vaddr);
	close(fds[0]);
	if (err)
		return err;
	return vaddr_to_file_off(path, vaddr, off);
}

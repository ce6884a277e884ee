// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "uprobe_multi.h"

#define UPROBE_MULTI_RETURN 1u /* BPF_F_UPROBE_MULTI_RETURN */

/* union bpf_attr's link_create with its uprobe_multi member (include/uapi/linux/bpf.h,
 * 6.6+): the kernel zero-fills what lies past the size we pass */
struct link_create_uprobe_multi {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags; /* must be 0: the return flag is the member's own */
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t multi_flags;
	uint32_t pid;
	uint32_t pad;
};

_Static_assert(offsetof(struct link_create_uprobe_multi, path) == 16, "bpf_attr layout");
_Static_assert(offsetof(struct link_create_uprobe_multi, pid) == 56, "bpf_attr layout");

int nnp_uprobe_multi_link(int prog_fd, const char *path, const uint64_t *offs,
			  const uint64_t *cookies, size_t n, pid_t pid, bool retprobe)
{
	struct link_create_uprobe_multi attr;
	long fd;

	if (prog_fd < 0 || !n || n > UINT32_MAX || pid < 0)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = (uint32_t)prog_fd;
	attr.attach_type = NNP_TRACE_UPROBE_MULTI;
	attr.path = (uint64_t)(uintptr_t)path;
	attr.offsets = (uint64_t)(uintptr_t)offs;
	attr.cookies = (uint64_t)(uintptr_t)cookies;
	attr.cnt = (uint32_t)n;
	attr.multi_flags = retprobe ? UPROBE_MULTI_RETURN : 0;
	attr.pid = (uint32_t)pid;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	return (int)fd;
}

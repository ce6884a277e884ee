// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "privs.h"

#define BIT(c) (1ull << (c))

/*
 * CAP_SETUID and CAP_SETGID are for the children that load a target's library
 * to read it (runtime/ort/api.c, runtime/ggml_pick.c): they become nobody
 * before its constructors run. They give no capability back (no_new_privs)
 * and no read access that CAP_DAC_READ_SEARCH does not already give.
 */
uint64_t nnp_privs_attach_set(void)
{
	return BIT(CAP_SYS_ADMIN) | BIT(CAP_BPF) | BIT(CAP_PERFMON) | BIT(CAP_SYS_PTRACE) |
	       BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_SYS_RESOURCE) | BIT(CAP_SETUID) | BIT(CAP_SETGID);
}

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

static int caps_set(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* the bounding set first: dropping from it needs CAP_SETPCAP, which goes after */
static int drop_bounding(uint64_t keep)
{
	for (int c = 0; c <= 63; c++) {
		int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);

		if (r < 0)
			break; /* past the kernel's last capability */
		if (r == 1 && !(keep & BIT(c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			return -errno;
	}
	return 0;
}

int nnp_privs_limit(uint64_t keep)
{
	struct __user_cap_data_struct d[2] = {};
	int err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	err = caps_get(d);
	if (err)
		return err;
	if (d[0].effective & BIT(CAP_SETPCAP)) {
		err = drop_bounding(keep);
		if (err)
			return err;
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	for (int i = 0; i < 2; i++) {
		uint32_t k = (uint32_t)(keep >> (32 * i));

		d[i].effective &= k;
		d[i].permitted &= k;
		d[i].inheritable &= k;
	}
	return caps_set(d);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * uprobe_multi links (Linux 6.6+), which libbpf 1.1 cannot create: one link
 * for many offsets of one file, a cookie each. Releasing it unregisters every
 * offset with one wait for the kernel instead of one wait per site.
 */
#ifndef NNP_UPROBE_MULTI_H
#define NNP_UPROBE_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* enum bpf_attach_type: newer than Debian 12's linux/bpf.h */
#define NNP_TRACE_UPROBE_MULTI 48

/* link fd of PROG_FD (loaded with expected attach type NNP_TRACE_UPROBE_MULTI)
 * at OFFS[i] of PATH with COOKIES[i]; PID 0 = every process. fd or -errno */
int nnp_uprobe_multi_link(int prog_fd, const char *path, const uint64_t *offs,
			  const uint64_t *cookies, size_t n, pid_t pid, bool retprobe);

#endif

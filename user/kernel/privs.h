/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Giving up privileges nnperf does not need (docs/reliability.md). Linux
 * capabilities belong to threads: what a thread drops, threads it creates
 * afterwards never have.
 */
#ifndef NNP_PRIVS_H
#define NNP_PRIVS_H

#include <stdint.h>

/* what attaching to new processes keeps needing: SYS_ADMIN, BPF, PERFMON,
 * SYS_PTRACE, DAC_READ_SEARCH, SYS_RESOURCE */
uint64_t nnp_privs_attach_set(void);
/*
 * The calling thread: no_new_privs, every capability outside `keep` dropped
 * from the bounding, effective, permitted and inheritable sets (ambient
 * cleared). Without privileges (nothing to drop) it is a no-op. 0 or -errno.
 */
int nnp_privs_limit(uint64_t keep);

#endif

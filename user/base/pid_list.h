/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A repeatable -p PID option (export, top): the ids given, in order. */
#ifndef NNP_PID_LIST_H
#define NNP_PID_LIST_H

#include <stddef.h>
#include <sys/types.h>

/* Appends ARG if it is a process id (1..INT32_MAX); 0, -EINVAL after one
 * error line, or -ENOMEM. */
int nnp_pid_list_add(pid_t **pids, size_t *n, const char *arg);

#endif

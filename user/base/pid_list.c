// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "log.h"
#include "pid_list.h"

int nnp_pid_list_add(pid_t **pids, size_t *n, const char *arg)
{
	char *end;
	pid_t *grown;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v <= 0 || v > INT32_MAX) {
		nnp_err("-p: '%s' is not a process id", arg);
		return -EINVAL;
	}
	grown = realloc(*pids, (*n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	*pids = grown;
	grown[(*n)++] = (pid_t)v;
	return 0;
}

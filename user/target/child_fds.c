// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "child_fds.h"

#define MAX_KEEP 8

int nnp_child_keep_fds(const int *fds, int n)
{
	int moved[MAX_KEEP], null, i;

	if (n < 0 || n > MAX_KEEP)
		return -EINVAL;
	/* copies above every target first: moving one onto 3 + i must not close
	 * another that is still to move */
	for (i = 0; i < n; i++) {
		moved[i] = fcntl(fds[i], F_DUPFD, 3 + n);
		if (moved[i] < 0)
			return -errno;
	}
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		return -errno;
	for (i = 0; i < 3; i++)
		if (dup2(null, i) < 0)
			return -errno;
	for (i = 0; i < n; i++)
		if (dup2(moved[i], 3 + i) < 0)
			return -errno;
	return close_range(3 + n, ~0U, 0) ? -errno : 0;
}

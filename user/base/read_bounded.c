// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "read_bounded.h"

int nnp_read_bounded(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = 0, n = 0, want;
	char *buf = NULL, *b;
	ssize_t r;
	int err = 0;

	while (!err && n <= max) {
		if (cap - n < 2) {
			want = cap ? 2 * cap : 4096;
			want = want < max + 2 ? want : max + 2;
			b = realloc(buf, want);
			if (!b) {
				err = -ENOMEM;
				break;
			}
			buf = b;
			cap = want;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r > 0)
			n += (size_t)r;
		else if (!r)
			break;
		else if (errno != EINTR)
			err = -errno;
	}
	if (!err && n > max)
		err = -EFBIG;
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

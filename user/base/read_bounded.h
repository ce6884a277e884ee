/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a whole file that someone else wrote, with a bound. */
#ifndef NNP_READ_BOUNDED_H
#define NNP_READ_BOUNDED_H

#include <stddef.h>

/*
 * At most max bytes of fd into *out (malloc'ed, NUL-terminated), a pipe too;
 * 0, -EFBIG, -errno. The buffer grows as the data comes, up to one byte over
 * max, which tells a file at the limit from a longer one.
 */
int nnp_read_bounded(int fd, size_t max, char **out, size_t *len);

#endif

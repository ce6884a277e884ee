/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Writing an output file through PATH.tmp and rename: a failed run never
 * leaves half a file where a whole one was expected. A PATH that is not a
 * regular file (/dev/null, /dev/stdout, a FIFO) is written in place. */
#ifndef NNP_ATOMIC_FILE_H
#define NNP_ATOMIC_FILE_H

#include <stdio.h>

/* write(f, ctx) fills the file; 0 or -errno (the temporary file is removed) */
int nnp_write_file_atomic(const char *path, int (*write)(FILE *f, const void *ctx),
			  const void *ctx);

#endif

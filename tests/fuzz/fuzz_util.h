/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the libFuzzer harnesses: fuzz input as a C string or as a file. */
#ifndef NNP_FUZZ_UTIL_H
#define NNP_FUZZ_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

/* the input as a NUL-terminated copy (malloc'ed; NUL bytes inside end it early) */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* the input in a memfd: *path is "/proc/self/fd/N"; the fd, or -1 */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("nnperf-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* the input as a target's memory mapped at base: nothing else is readable */
struct fuzz_image {
	const uint8_t *mem;
	size_t size;
	uint64_t base;
};

/* a struct nnp_mem's read over a struct fuzz_image; 0 or -EFAULT */
static inline int fuzz_image_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct fuzz_image *m = ctx;

	if (addr < m->base || addr - m->base > m->size || len > m->size - (addr - m->base))
		return -EFAULT;
	memcpy(buf, m->mem + (addr - m->base), len);
	return 0;
}

#endif

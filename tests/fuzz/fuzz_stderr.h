/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a call wrote to stderr (nnp_err, nnp_warn), to check its error line:
 * stderr goes to a memfd while it runs. Sanitizer reports keep the real
 * stderr, so a crash inside the call is still seen.
 */
#ifndef NNP_FUZZ_STDERR_H
#define NNP_FUZZ_STDERR_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>
#include <sys/mman.h>

struct fuzz_capture {
	int fd, saved;
};

/* 0, or -1 when stderr could not be redirected (then nothing is captured) */
static inline int fuzz_capture_begin(struct fuzz_capture *c)
{
	static int real = -1;

	if (real < 0) {
		real = dup(STDERR_FILENO);
		__sanitizer_set_report_fd((void *)(intptr_t)real);
	}
	fflush(stderr);
	c->fd = memfd_create("nnperf-fuzz-stderr", MFD_CLOEXEC);
	c->saved = dup(STDERR_FILENO);
	if (c->fd < 0 || c->saved < 0 || dup2(c->fd, STDERR_FILENO) < 0) {
		if (c->fd >= 0)
			close(c->fd);
		if (c->saved >= 0)
			close(c->saved);
		return -1;
	}
	return 0;
}

/* stderr back; buf gets what was written (cut to cap - 1 bytes, NUL-terminated) */
static inline size_t fuzz_capture_end(struct fuzz_capture *c, char *buf, size_t cap)
{
	ssize_t n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	n = pread(c->fd, buf, cap - 1, 0);
	close(c->fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

/*
 * Whether s contains name: a plain loop, not strstr, whose arguments
 * libFuzzer learns from; a temporary directory's random name among them
 * would make each run of the same seed fuzz differently.
 */
static inline int fuzz_contains(const char *s, const char *name)
{
	for (; *s; s++) {
		size_t i = 0;

		while (name[i] && s[i] == name[i])
			i++;
		if (!name[i])
			return 1;
	}
	return !*name;
}

#endif

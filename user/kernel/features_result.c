// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What every try of features_*.c reports: one feature's state, error and detail. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "features_try.h"

void nnp_feat_set(struct nnp_feature *f, enum nnp_feat_state state, int err, const char *fmt, ...)
{
	va_list ap;

	f->state = state;
	f->err = err;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

/*
 * strerror() of the errno a BPF load or attach gave; the kernel's own errnos
 * (512-529, never meant for user space) get a name instead of glibc's
 * "Unknown error 524": fentry on an arm64 6.1 kernel fails with ENOTSUPP.
 */
const char *nnp_feat_errstr(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 524:
		return "ENOTSUPP (524): this kernel cannot attach this program type here";
	case 525:
		return "ETOOSMALL (525): a buffer the kernel was given is too small";
	case 526:
		return "ESERVERFAULT (526): the kernel hit an internal error";
	default:
		return strerror(err);
	}
}

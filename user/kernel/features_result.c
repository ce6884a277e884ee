// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What every try of features_*.c reports: one feature's state, error and detail. */
#include <stdarg.h>
#include <stdio.h>

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

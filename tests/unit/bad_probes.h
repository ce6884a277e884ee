/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Probe strings that must be rejected, and the column and message they get. */
#ifndef NNP_TEST_BAD_PROBES_H
#define NNP_TEST_BAD_PROBES_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe_spec.h"

struct bad_case {
	const char *in;
	int col;
	const char *msg; /* a substring of the message */
};

/*
 * Each input is parsed from a heap copy of its exact length, so that ASan sees
 * a read past its end (a string literal may sit right before another one).
 */
static inline void check_bad_probes(const struct bad_case *bad, size_t n)
{
	static struct nnp_probe_def d;
	char err[256];
	int col;

	for (size_t i = 0; i < n; i++) {
		char *in = strdup(bad[i].in);
		int ret;

		assert_non_null(in);
		err[0] = '\0';
		col = 0;
		ret = nnp_probe_parse(in, &d, err, sizeof(err), &col);
		free(in);
		if (ret != -EINVAL)
			fail_msg("case %zu '%s' parsed", i, bad[i].in);
		if (col != bad[i].col || !strstr(err, bad[i].msg))
			fail_msg("case %zu '%s':\n got col %d: %s\nwant col %d: ...%s...", i,
				 bad[i].in, col, err, bad[i].col, bad[i].msg);
	}
}

#endif

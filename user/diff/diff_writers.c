// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>

#include "diff_writers.h"
#include "report_html.h"

/* the page of a diff, or of one recording (nnperf report: no B) */
static int write_html(FILE *f, const struct diff_result *r)
{
	return r->b ? diff_write_html(f, r) : diff_write_report_html(f, r);
}

static const struct diff_writer writers[DIFF_FORMAT_NR] = {
	[DIFF_TABLE] = { "table", diff_write_table },
	[DIFF_JSON] = { "json", diff_write_json },
	[DIFF_HTML] = { "html", write_html },
};

int diff_format_parse(const char *s, enum diff_format *out)
{
	for (int i = 0; i < DIFF_FORMAT_NR; i++)
		if (!strcmp(s, writers[i].name)) {
			*out = (enum diff_format)i;
			return 0;
		}
	return -EINVAL;
}

int diff_write(FILE *f, const struct diff_result *r, enum diff_format fmt)
{
	if ((unsigned)fmt >= DIFF_FORMAT_NR)
		return -EINVAL;
	return writers[fmt].write(f, r);
}

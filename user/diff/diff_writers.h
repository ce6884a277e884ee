/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The outputs of a comparison, one {name, write} entry each: table
 * (diff_table.c), JSON (diff_json.c), HTML (report_html.c). Writers read a
 * diff_result and nothing reads them back.
 */
#ifndef NNP_DIFF_WRITERS_H
#define NNP_DIFF_WRITERS_H

#include <stdio.h>

#include "diff_result.h"

enum diff_format { DIFF_TABLE, DIFF_JSON, DIFF_HTML, DIFF_FORMAT_NR };

struct diff_writer {
	const char *name;				    /* as --format takes it */
	int (*write)(FILE *f, const struct diff_result *r); /* 0 or -errno */
};

/* parses "table", "json", "html"; 0 or -EINVAL */
int diff_format_parse(const char *s, enum diff_format *out);
/* 0 or -errno */
int diff_write(FILE *f, const struct diff_result *r, enum diff_format fmt);

int diff_write_table(FILE *f, const struct diff_result *r);
int diff_write_json(FILE *f, const struct diff_result *r);
int diff_write_html(FILE *f, const struct diff_result *r);
/* diff_gtable.c: the groups of a diff with --group-by, as text; 0 or -errno */
int diff_write_gtable(FILE *f, const struct diff_result *r);

#endif

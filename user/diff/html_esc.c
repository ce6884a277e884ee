// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* How every string from a recording reaches the HTML report: escaped. */
#include <stdio.h>

#include "report_html.h"
#include "text.h"

void diff_html_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void diff_html_label(FILE *f, const char *s, size_t cols)
{
	char buf[512];

	nnp_text_display(buf, sizeof(buf), s, cols);
	diff_html_esc(f, buf);
}

void diff_html_row_label(FILE *f, const struct diff_row *row, size_t cols)
{
	char name[512];

	diff_row_name(row, name, sizeof(name));
	if (diff_row_depth(row))
		fputs("&#8627; ", f); /* ↳: ran inside the layer above */
	diff_html_label(f, name, cols);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pieces of the HTML report shared by report_html.c (the page, latency charts
 * and tables) and report_ksig.c (the kernel signals: charts and tables).
 */
#ifndef NNP_REPORT_HTML_H
#define NNP_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "diff_result.h"

/* HTML-escapes s: text and attribute values alike */
void diff_html_esc(FILE *f, const char *s);
/* a display name cut to cols characters, control bytes shown as '?', then escaped */
void diff_html_label(FILE *f, const char *s, size_t cols);
/* the kernel-signal section: where each layer's time went (stacked bars, A and B),
 * then a table per signal group with units, heat-coloured by column */
void diff_html_ksig(FILE *f, const struct diff_result *r);

extern const char diff_html_ksig_css[];

#endif

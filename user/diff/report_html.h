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
/* a row's name for a chart label: nested layers marked with an arrow, cut to cols */
void diff_html_row_label(FILE *f, const struct diff_row *row, size_t cols);
/* report_groups.c: with --group-by, each group's self time per inference, A and
 * B as bars, then a table */
void diff_html_groups(FILE *f, const struct diff_result *r);
/* the kernel-signal section: where each layer's time went (stacked bars, A and B),
 * then a table per signal group with units, heat-coloured by column */
void diff_html_ksig(FILE *f, const struct diff_result *r);

extern const char diff_html_ksig_css[];
extern const char diff_html_css[];
/* a side's card: its label, command, runs, inferences, mean and p99 */
void diff_html_side_card(FILE *f, const char *tag, const char *cls, const struct diff_profile *p);
/* time per inference of each layer: A's bar above B's (A only without B) */
void diff_html_layer_bars(FILE *f, const struct diff_result *r);
/* report_single.c: the page of one recording (diff_compute_one); 0 or -errno */
int diff_write_report_html(FILE *f, const struct diff_result *r);

#endif

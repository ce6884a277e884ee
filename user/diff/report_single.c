// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `nnperf report REC.json -o REC.html`: the HTML report of one recording, the
 * same self-contained page as diff's (inline CSS and SVG, no script, no URL)
 * with one side: time per inference of each layer, the layer table (nested
 * layers indented), groups, and what the kernel did to each layer.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "fmt.h"
#include "report_html.h"

static void rdur(FILE *f, double ns)
{
	char buf[32];

	if (!isfinite(ns)) {
		fputs("<td>&ndash;</td>", f);
		return;
	}
	nnp_fmt_duration(buf, sizeof(buf), (uint64_t)llround(ns < 0 ? 0 : ns));
	fprintf(f, "<td>%s</td>", buf);
}

static void layer_row(FILE *f, const struct diff_row *row)
{
	const struct diff_layer *l = row->pair.a;
	unsigned int depth = diff_row_depth(row) > 8 ? 8 : diff_row_depth(row);

	fputs("<tr><td class=\"l n\"", f);
	if (depth)
		fprintf(f, " style=\"padding-left:%upx\"", 8 + 16 * depth);
	fputc('>', f);
	diff_html_esc(f, l->name);
	fputs("</td><td class=\"l\">", f);
	diff_html_esc(f, l->op);
	if (isfinite(row->a_calls))
		fprintf(f, "</td><td>%.2f</td>", row->a_calls);
	else
		fputs("</td><td>&ndash;</td>", f);
	rdur(f, l->d.mean_ns);
	rdur(f, l->d.p50_ns);
	rdur(f, l->d.p99_ns);
	rdur(f, l->d.max_ns);
	rdur(f, row->contrib_ns);
	if (isfinite(row->share))
		fprintf(f, "<td>%.1f%%</td></tr>\n", 100 * row->share);
	else
		fputs("<td>&ndash;</td></tr>\n", f);
}

static void layer_table(FILE *f, const struct diff_result *r)
{
	fputs("<div class=\"scroll\"><table class=\"layers\"><thead><tr><th class=\"l\">layer</th>"
	      "<th class=\"l\">op</th><th>calls / inference</th><th>mean</th><th>p50</th>"
	      "<th>p99</th><th>max</th><th>self / inference</th><th>share</th></tr></thead>"
	      "<tbody>\n",
	      f);
	for (size_t i = 0; i < r->n; i++)
		layer_row(f, &r->rows[i]);
	fputs("</tbody></table></div>\n", f);
}

static const char notes[] =
    "<h2>How to read this</h2><p class=\"muted\">Times are per call of a layer (its inclusive "
    "time: the layers run inside it too); &ldquo;self / inference&rdquo; is its time without the "
    "layers inside it, per inference, and &ldquo;share&rdquo; that over the mean inference "
    "time, so shares add up to at most 100%. An indented layer ran inside the one above it. "
    "The kernel section splits each call's wall time into on-CPU, run-queue wait and blocked "
    "time. See docs/diff.md; compare two recordings with nnperf diff.</p>\n";

int diff_write_report_html(FILE *f, const struct diff_result *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
	      "nnperf report: ",
	      f);
	diff_html_esc(f, r->a->label);
	fprintf(f,
		"</title>\n<style>%s%s</style></head><body><main>\n<h1>nnperf report</h1>\n"
		"<p class=\"sub\">Where the inference time goes, layer by layer, and what the "
		"kernel did to each layer.</p>\n<div class=\"cards\">",
		diff_html_css, diff_html_ksig_css);
	diff_html_side_card(f, "Recording", "a", r->a);
	fprintf(f, "</div>\n<p class=\"muted\">%zu layers.</p>\n", r->n);
	fputs("<h2>Time per inference, layer by layer</h2>\n", f);
	diff_html_layer_bars(f, r);
	fputs("<h2>Layers</h2>\n", f);
	layer_table(f, r);
	diff_html_groups(f, r);
	diff_html_ksig(f, r);
	fprintf(f, "%s<p class=\"muted\">nnperf %s</p></main></body></html>\n", notes,
		NNPERF_VERSION);
	errno = 0;
	if (fflush(f) == EOF || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The groups of `--group-by` in the HTML report: per group its layers' self
 * time per inference, A above B, on one scale, then the table. Group names
 * come from layer names: escaped like every string of a recording.
 */
#include <math.h>
#include <stdio.h>

#include "fmt.h"
#include "report_html.h"

#define G_W 1100
#define G_LABEL 220
#define G_BAR (G_W - G_LABEL - 90)
#define G_H 12.0

static void gdur(FILE *f, double ns, bool sign)
{
	char buf[32];

	if (!isfinite(ns)) {
		fputs("&ndash;", f);
		return;
	}
	nnp_fmt_duration(buf, sizeof(buf), (uint64_t)llround(fabs(ns)));
	fprintf(f, "%s%s", sign ? (ns < 0 ? "&minus;" : "+") : "", buf);
}

static void gbar(FILE *f, double y, double v, double scale, const char *fill, const char *side)
{
	double w = fmax(v * scale, 0.5);

	fprintf(f,
		"<rect class=\"gbar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"%s\"><title>%s ",
		G_LABEL, y, w, G_H - 1, fill, side);
	gdur(f, v, false);
	fprintf(f, "</title></rect><text x=\"%.1f\" y=\"%.1f\">", G_LABEL + w + 4, y + G_H - 2);
	gdur(f, v, false);
	fputs("</text>\n", f);
}

static void chart(FILE *f, const struct diff_result *r)
{
	double max = 0, y = 12, scale;

	for (size_t i = 0; i < r->ngroups; i++)
		max = fmax(max, fmax(r->groups[i].a_ns, r->groups[i].b_ns));
	scale = max > 0 ? G_BAR / max : 0;
	fprintf(f,
		"<svg class=\"gchart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
		"%.0f\" role=\"img\" aria-label=\"self time per inference of each group, A and "
		"B\">\n",
		G_W, 24 + r->ngroups * (2 * G_H + 8));
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct diff_group *g = &r->groups[i];

		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", G_LABEL - 8,
			y + G_H + 3);
		diff_html_label(f, g->name, 30);
		fputs("</text>\n", f);
		if (g->a_layers)
			gbar(f, y, g->a_ns, scale, "#5b7fbf", "A");
		if (g->b_layers)
			gbar(f, y + G_H, g->b_ns, scale, "#e8883a", "B");
		y += 2 * G_H + 8;
	}
	fputs("</svg>\n", f);
}

/* nnperf report: one side, its share of the inference time */
static void row_one(FILE *f, const struct diff_result *r, const struct diff_group *g, bool mark_op)
{
	double mean = r->a->infer.mean_ns;

	fputs("<tr><td class=\"l n\">", f);
	diff_html_esc(f, g->name);
	if (mark_op && g->from != NNP_GROUP_FROM_NAME)
		fprintf(f, " <span class=\"muted\">(%s)</span>", nnp_group_from_str(g->from));
	fprintf(f, "</td><td>%zu</td><td>", g->a_layers);
	gdur(f, g->a_ns, false);
	if (r->a->infer.count && mean > 0)
		fprintf(f, "</td><td>%.1f%%</td></tr>\n", 100 * g->a_ns / mean);
	else
		fputs("</td><td>&ndash;</td></tr>\n", f);
}

static void row(FILE *f, const struct diff_group *g, bool mark_op)
{
	fputs("<tr><td class=\"l n\">", f);
	diff_html_esc(f, g->name);
	if (mark_op && g->from != NNP_GROUP_FROM_NAME)
		fprintf(f, " <span class=\"muted\">(%s)</span>", nnp_group_from_str(g->from));
	fprintf(f, "</td><td>%zu</td><td>%zu</td><td>", g->a_layers, g->b_layers);
	gdur(f, g->a_layers ? g->a_ns : NAN, false);
	fputs("</td><td>", f);
	gdur(f, g->b_layers ? g->b_ns : NAN, false);
	if (isfinite(g->speedup))
		fprintf(f, "</td><td>%.2f&times;</td><td>", g->speedup);
	else
		fputs("</td><td>&ndash;</td><td>", f);
	gdur(f, g->delta_ns, true);
	if (isfinite(g->share))
		fprintf(f, "</td><td>%.1f%%</td></tr>\n",
			fabs(g->share) < 0.0005 ? 0.0 : 100 * g->share);
	else
		fputs("</td><td>&ndash;</td></tr>\n", f);
}

void diff_html_groups(FILE *f, const struct diff_result *r)
{
	bool mark = r->group_by != NNP_GROUP_OP;

	if (!r->ngroups)
		return;
	fprintf(f,
		"<h2>Groups by %s</h2>\n<p class=\"muted\">Self time per inference of the "
		"layers in each group (nested layers counted once); share of %s.",
		r->group_by == NNP_GROUP_OP ? "op type" : nnp_group_by_str(r->group_by),
		r->b ? "the change of the inference time" : "the inference time");
	if (mark)
		fprintf(f,
			" (op): the names have no %s, grouped by op type; (place): by the "
			"layers around it.",
			nnp_group_by_str(r->group_by));
	fputs("</p>\n", f);
	chart(f, r);
	if (!r->b) {
		fputs("<div class=\"scroll\"><table class=\"groups\"><thead><tr><th "
		      "class=\"l\">group</th><th>layers</th><th>self / inference</th>"
		      "<th>share of the inference</th></tr></thead><tbody>\n",
		      f);
		for (size_t i = 0; i < r->ngroups; i++)
			row_one(f, r, &r->groups[i], mark);
		fputs("</tbody></table></div>\n", f);
		return;
	}
	fputs("<div class=\"scroll\"><table class=\"groups\"><thead><tr><th class=\"l\">group</th>"
	      "<th>A layers</th><th>B layers</th><th>A self / inference</th>"
	      "<th>B self / inference</th><th>speedup</th><th>B&minus;A</th><th>share</th>"
	      "</tr></thead><tbody>\n",
	      f);
	for (size_t i = 0; i < r->ngroups; i++)
		row(f, &r->groups[i], mark);
	fputs("</tbody></table></div>\n", f);
}

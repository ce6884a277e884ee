// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel signals in the HTML report: for every layer, where one call's wall
 * time went (on-CPU, waiting in the run queue, blocked), A above B as stacked
 * bars; then one table per signal group with units, each value heat-coloured
 * against its column so that the layer that waited or faulted most stands out,
 * counts drawn as small bars. Inline SVG and CSS only: no script, no URL.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diff_ksig.h"
#include "fmt.h"
#include "report_html.h"

#define KS_W 1100
#define KS_LABEL 230
#define KS_BAR (KS_W - KS_LABEL - 110)
#define KS_H 10.0
#define KS_GAP 7.0

const char diff_html_ksig_css[] =
    ".ks td.h{background:var(--h)}.ks td.r{font-weight:600}"
    ".ks .mb{display:inline-block;height:8px;background:#8e6bbf;opacity:.55;margin-right:5px;"
    "vertical-align:middle;border-radius:2px}"
    ".ks th.g{text-align:center;border-left:2px solid #dde1e7}"
    ".ks td.s{border-left:2px solid #dde1e7}.hot{fill:#c9463d;font-weight:700}"
    ".legend i{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;"
    "border-radius:2px}";

static const char *const seg_fill[3] = { "#4c9a6a", "#d9822b", "#8e6bbf" };
static const enum diff_ksig_id seg_id[3] = { DK_ONCPU, DK_RUNQ, DK_BLOCKED };

static void dur_text(FILE *f, double ns)
{
	char buf[32];

	nnp_fmt_duration(buf, sizeof(buf), (uint64_t)llround(ns > 0 ? ns : 0));
	fputs(buf, f);
}

/* on-CPU, run-queue and blocked time per call on one side; false if not known */
static bool segments(const struct diff_row *row, bool b, double seg[3])
{
	for (int s = 0; s < 3; s++)
		if (!diff_ksig_value(row, seg_id[s], b, &seg[s]))
			return false;
	return true;
}

/* the row that waited longest per call (run queue + blocked), on either side */
static size_t most_waiting(const struct diff_result *r, double *max_wall)
{
	double worst = -1, seg[3];
	size_t at = r->n;

	*max_wall = 0;
	for (size_t i = 0; i < r->n; i++)
		for (int b = 0; b < 2; b++) {
			if (!segments(&r->rows[i], b, seg))
				continue;
			*max_wall = fmax(*max_wall, seg[0] + seg[1] + seg[2]);
			if (seg[1] + seg[2] > worst) {
				worst = seg[1] + seg[2];
				at = i;
			}
		}
	return worst > 0 ? at : r->n;
}

static void side_bar(FILE *f, const struct diff_row *row, bool b, double y, double scale, bool tag)
{
	static const char *const what[3] = { "on-CPU", "run queue", "blocked" };
	double seg[3], x = KS_LABEL;

	if (tag) /* no side to name in nnperf report */
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"muted\">%s</text>", KS_LABEL - 12,
			y + KS_H - 1, b ? "B" : "A");
	if (!segments(row, b, seg)) {
		fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s</text>\n", KS_LABEL, y + KS_H - 1,
			(b ? row->pair.b : row->pair.a) ? "n/a" : "&ndash;");
		return;
	}
	for (int s = 0; s < 3; s++) {
		double w = seg[s] * scale;

		fprintf(f,
			"<rect class=\"seg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"fill=\"%s\"><title>%s ",
			x, y, w, KS_H, seg_fill[s], what[s]);
		dur_text(f, seg[s]);
		fputs("</title></rect>", f);
		x += w;
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 4, y + KS_H - 1);
	dur_text(f, seg[0] + seg[1] + seg[2]);
	fputs("</text>\n", f);
}

static void time_chart(FILE *f, const struct diff_result *r)
{
	double max_wall, y = 34, scale;
	size_t hot = most_waiting(r, &max_wall);
	int sides = r->b ? 2 : 1; /* nnperf report: one recording */

	scale = max_wall > 0 ? KS_BAR / max_wall : 0;
	fprintf(
	    f,
	    "<p class=\"legend muted\">Per call: <i style=\"background:%s\"></i>on-CPU"
	    "<i style=\"background:%s\"></i>waiting in the run queue"
	    "<i style=\"background:%s\"></i>blocked (off-CPU, not waiting to run)</p>\n"
	    "<svg class=\"kchart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" "
	    "role=\"img\" aria-label=\"where each layer's time per call went, A and B\">\n",
	    seg_fill[0], seg_fill[1], seg_fill[2], KS_W, 44 + r->n * (sides * KS_H + KS_GAP));
	fprintf(f,
		"<text x=\"%d\" y=\"18\" class=\"muted\">wall time per call = on-CPU + run "
		"queue + blocked</text>\n",
		KS_LABEL);
	for (size_t i = 0; i < r->n; i++) {
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\"%s>", KS_LABEL - 20,
			y + KS_H + 2, i == hot ? " class=\"hot\"" : "");
		diff_html_row_label(f, &r->rows[i], 28);
		fputs(i == hot ? " (waited most)</text>\n" : "</text>\n", f);
		side_bar(f, &r->rows[i], false, y, scale, r->b);
		if (r->b)
			side_bar(f, &r->rows[i], true, y + KS_H, scale, true);
		y += sides * KS_H + KS_GAP;
	}
	fputs("</svg>\n", f);
}

/* lower is better for every signal but IPC */
static bool worse_is_up(enum diff_ksig_id id)
{
	return id != DK_IPC;
}

/* what the kernel did to a layer, as opposed to its own work: heat-coloured */
static bool interference(enum diff_ksig_id id)
{
	return id != DK_IPC && id != DK_ONCPU && id != DK_INSNS && id != DK_CYCLES;
}

static double column_max(const struct diff_result *r, enum diff_ksig_id id)
{
	double max = 0, v;

	for (size_t i = 0; i < r->n; i++)
		for (int b = 0; b < 2; b++)
			if (diff_ksig_value(&r->rows[i], id, b, &v))
				max = fmax(max, v);
	return max;
}

static void value_cell(FILE *f, const struct diff_row *row, enum diff_ksig_id id, bool b,
		       double max)
{
	char buf[32];
	double v;

	if (!diff_ksig_value(row, id, b, &v)) {
		fprintf(f, "<td%s>%s</td>", b ? "" : " class=\"s\"",
			(b ? row->pair.b : row->pair.a) ? "n/a" : "&ndash;");
		return;
	}
	diff_ksig_fmt(buf, sizeof(buf), id, v);
	/* time: the share of the call's wall time; counts: against the column */
	if (diff_ksig_def(id)->group == DKG_TIME) {
		const struct diff_layer *l = b ? row->pair.b : row->pair.a;

		max = l && l->d.mean_ns > 0 ? fmax(l->d.mean_ns, v) : 0;
	}
	if (interference(id) && max > 0)
		fprintf(f, "<td class=\"h%s\" style=\"--h:rgba(201,70,61,%.2f)\">", b ? "" : " s",
			0.6 * v / max);
	else
		fprintf(f, "<td%s>", b ? "" : " class=\"s\"");
	if (diff_ksig_def(id)->group != DKG_TIME && max > 0)
		fprintf(f, "<span class=\"mb\" style=\"width:%.0fpx\"></span>", 40 * v / max);
	fprintf(f, "%s</td>", buf);
}

static void ratio_cell(FILE *f, const struct diff_row *row, enum diff_ksig_id id)
{
	double q;
	const char *cls = "";

	if (!diff_ksig_ratio(row, id, &q)) {
		fputs("<td>&ndash;</td>", f);
		return;
	}
	if (q > 1.1 || q < 0.9)
		cls = (q > 1) == worse_is_up(id) ? " class=\"r worse\"" : " class=\"r yes\"";
	fprintf(f, "<td%s>%.2fx</td>", cls, q);
}

static void group_head(FILE *f, const bool *show, enum diff_ksig_group g, bool one)
{
	fprintf(f,
		"<h3>%s</h3><div class=\"scroll\"><table class=\"ks\"><thead><tr>"
		"<th class=\"l\" rowspan=\"2\">layer</th>",
		diff_ksig_group_title(g));
	for (int id = 0; id < DK_NR; id++)
		if (show[id] && diff_ksig_def(id)->group == g) {
			fprintf(f, "<th class=\"g\" colspan=\"%d\" title=\"%s\">%s</th>",
				one ? 1 : 3, diff_ksig_def(id)->head, diff_ksig_def(id)->what);
		}
	fputs("</tr><tr>", f);
	for (int id = 0; id < DK_NR; id++)
		if (show[id] && diff_ksig_def(id)->group == g)
			fputs(one ? "<th>per call</th>" : "<th>A</th><th>B</th><th>B/A</th>", f);
	fputs("</tr></thead><tbody>\n", f);
}

static void group_table(FILE *f, const struct diff_result *r, const bool *show,
			enum diff_ksig_group g)
{
	double max[DK_NR];

	for (int id = 0; id < DK_NR; id++)
		max[id] = show[id] ? column_max(r, id) : 0;
	group_head(f, show, g, !r->b);
	for (size_t i = 0; i < r->n; i++) {
		fputs("<tr><td class=\"l n\">", f);
		diff_html_row_label(f, &r->rows[i], 60);
		fputs("</td>", f);
		for (int id = 0; id < DK_NR; id++) {
			if (!show[id] || diff_ksig_def(id)->group != g)
				continue;
			value_cell(f, &r->rows[i], id, false, max[id]);
			if (!r->b)
				continue;
			value_cell(f, &r->rows[i], id, true, max[id]);
			ratio_cell(f, &r->rows[i], id);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

void diff_html_ksig(FILE *f, const struct diff_result *r)
{
	bool show[DK_NR], any[DKG_NR] = { false };
	int missing = 0;

	for (int id = 0; id < DK_NR; id++) {
		show[id] = diff_ksig_collected(r, id);
		any[diff_ksig_def(id)->group] |= show[id];
	}
	if (!any[DKG_TIME] && !any[DKG_EVENTS] && !any[DKG_COUNTERS])
		return;
	fputs("<h2>What the kernel did to each layer</h2>\n", f);
	if (show[DK_ONCPU] && show[DK_RUNQ] && show[DK_BLOCKED])
		time_chart(f, r);
	for (int g = 0; g < DKG_NR; g++)
		if (any[g])
			group_table(f, r, show, g);
	for (int id = 0; id < DK_NR; id++)
		if (!show[id])
			fprintf(f, "%s%s",
				missing++ ? ", "
				: r->b	  ? "<p class=\"muted\">Not measured on either side: "
					  : "<p class=\"muted\">Not measured: ",
				diff_ksig_def(id)->what);
	if (missing)
		fputs(".</p>\n", f);
}

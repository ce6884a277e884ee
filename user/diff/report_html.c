// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `nnperf diff --format html`: one self-contained page (inline CSS and SVG,
 * no script, no external URL) with the verdict, per-layer bars A vs B, a
 * waterfall from A's inference time to B's, and the tables. Every string
 * from a recording is hostile input: it only reaches the page through esc().
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diff_writers.h"
#include "report_html.h"
#include "fmt.h"
#include "text.h"

#define CHART_W 1100
#define LABEL_W 220
#define ROW_H 22
#define BAR_MAX (CHART_W - LABEL_W - 90)
#define WATERFALL_TOP 12

const char diff_html_css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "background:#f6f7f9;color:#1d2430}"
    "main{max-width:1180px;margin:0 auto;padding:24px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
    ".sub{color:#5b6472;margin:0 0 16px}"
    ".cards{display:flex;gap:16px;flex-wrap:wrap}"
    ".card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 16px;"
    "flex:1;min-width:280px}"
    ".card b{display:inline-block;width:22px;height:12px;border-radius:3px;margin-right:6px}"
    ".a{background:#5b7fbf}.b{background:#e8883a}"
    ".verdict{font-size:20px;margin:16px 0;padding:14px 18px;border-radius:8px;background:#fff;"
    "border-left:6px solid #8a93a3}"
    ".faster{border-color:#2e9d5b}.slower{border-color:#c9463d}"
    ".muted{color:#5b6472;font-size:13px}"
    "table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}"
    "th,td{padding:4px 8px;border-bottom:1px solid #e6e9ee;text-align:right;"
    "white-space:nowrap}"
    "th{background:#eef1f5;position:sticky;top:0}"
    "td.l,th.l{text-align:left}td.n{white-space:normal;overflow-wrap:anywhere;min-width:120px;"
    "max-width:280px}.scroll{overflow-x:auto}tr.oa td{background:#fdf1f0}tr.ob "
    "td{background:#eef7f0}"
    ".yes{color:#2e9d5b;font-weight:600}.worse{color:#c9463d;font-weight:600}"
    ".no{color:#5b6472}"
    "svg{width:100%;height:auto;background:#fff;border:1px solid #dde1e7;border-radius:8px}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2430}";

static void dur(FILE *f, double ns)
{
	char buf[32];

	if (!isfinite(ns)) {
		fputs("&ndash;", f);
		return;
	}
	nnp_fmt_duration(buf, sizeof(buf), (uint64_t)llround(fabs(ns)));
	fprintf(f, "%s%s", ns < 0 ? "&minus;" : "", buf);
}

static void sdur(FILE *f, double ns)
{
	if (isfinite(ns) && ns >= 0)
		fputc('+', f);
	dur(f, ns);
}

void diff_html_side_card(FILE *f, const char *tag, const char *cls, const struct diff_profile *p)
{
	fprintf(f, "<div class=\"card\"><div><b class=\"%s\"></b><strong>%s</strong> ", cls, tag);
	diff_html_esc(f, p->label);
	fputs("</div><div class=\"muted\">", f);
	if (!p->command || strcmp(p->command, p->label))
		diff_html_esc(f, p->command ? p->command : "(attached to a running process)");
	fprintf(f, "</div><div>%u run%s, %llu inferences, mean ", p->runs, p->runs == 1 ? "" : "s",
		(unsigned long long)p->infer.count);
	dur(f, p->infer.mean_ns);
	fputs(", p99 ", f);
	dur(f, p->infer.p99_ns);
	if (p->lost_events)
		fprintf(f, ", <span class=\"worse\">%llu events lost</span>",
			(unsigned long long)p->lost_events);
	fputs("</div></div>\n", f);
}

static void verdict(FILE *f, const struct diff_result *r)
{
	const struct nnp_interval *s = &r->infer_speedup, *d = &r->infer_delta;
	const char *cls = d->available && d->significant ? (d->est < 0 ? "faster" : "slower") : "";

	fprintf(f, "<div class=\"verdict %s\">", cls);
	if (!isfinite(s->est)) {
		fputs("No inferences on one side: no speedup to give.</div>\n", f);
		return;
	}
	fprintf(f, "B runs an inference <strong>%.2f&times;</strong> %s A",
		s->est >= 1 ? s->est : 1 / s->est, s->est >= 1 ? "faster than" : "slower than");
	if (s->available)
		fprintf(f, " <span class=\"muted\">(95%% CI %.3f&times; .. %.3f&times;)</span>",
			s->lo, s->hi);
	fputs("<br><span class=\"muted\">B&minus;A ", f);
	sdur(f, d->est);
	if (d->available) {
		fputs(" per inference, 95% CI [", f);
		sdur(f, d->lo);
		fputs(", ", f);
		sdur(f, d->hi);
		fprintf(f, "]: %s", d->significant ? "significant" : "not significant");
	} else {
		fputs(": no confidence interval (the recordings lack stddev_ns)", f);
	}
	fputs("</span></div>\n", f);
}

static double per_infer(const struct diff_layer *l, double calls)
{
	if (!l)
		return NAN;
	return l->d.mean_ns * (isfinite(calls) ? calls : 1);
}

static void bar(FILE *f, double x, double y, double w, double h, const char *fill, double v)
{
	fprintf(f,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" rx=\"2\">"
		"<title>",
		x, y, w > 0.5 ? w : 0.5, h, fill);
	dur(f, v);
	fprintf(f, "</title></rect><text x=\"%.1f\" y=\"%.1f\">", x + (w > 0.5 ? w : 0.5) + 4,
		y + h - 1);
	dur(f, v);
	fputs("</text>\n", f);
}

void diff_html_layer_bars(FILE *f, const struct diff_result *r)
{
	double max = 0, y = 30, scale;

	for (size_t i = 0; i < r->n; i++) {
		const struct diff_row *row = &r->rows[i];
		double a = per_infer(row->pair.a, row->a_calls),
		       b = per_infer(row->pair.b, row->b_calls);

		max = isfinite(a) && a > max ? a : max;
		max = isfinite(b) && b > max ? b : max;
	}
	scale = max > 0 ? BAR_MAX / max : 0;
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" "
		"role=\"img\" aria-label=\"time per inference of each layer, A and B\">\n",
		CHART_W, 40 + r->n * 2.0 * ROW_H * 0.6 + r->n * 6);
	if (r->b)
		fprintf(f,
			"<rect x=\"%d\" y=\"8\" width=\"14\" height=\"10\" fill=\"#5b7fbf\"/>"
			"<text x=\"%d\" y=\"17\">A</text><rect x=\"%d\" y=\"8\" width=\"14\" "
			"height=\"10\" fill=\"#e8883a\"/><text x=\"%d\" y=\"17\">B</text>",
			LABEL_W, LABEL_W + 18, LABEL_W + 40, LABEL_W + 58);
	fprintf(f,
		"<text x=\"%d\" y=\"17\" class=\"muted\">time per inference (mean &#215; calls "
		"per inference)</text>\n",
		r->b ? LABEL_W + 90 : LABEL_W);
	for (size_t i = 0; i < r->n; i++) {
		const struct diff_row *row = &r->rows[i];
		double h = ROW_H * 0.6, a = per_infer(row->pair.a, row->a_calls),
		       b = per_infer(row->pair.b, row->b_calls);

		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 8, y + h);
		diff_html_row_label(f, row, 30);
		fputs("</text>\n", f);
		if (isfinite(a))
			bar(f, LABEL_W, y, a * scale, h - 1, "#5b7fbf", a);
		if (isfinite(b))
			bar(f, LABEL_W, y + h, b * scale, h - 1, "#e8883a", b);
		y += 2 * h + 6;
	}
	fputs("</svg>\n", f);
}

struct step {
	const char *name;
	double from, to; /* running inference time before and after, ns */
	const char *fill;
};

static void step_row(FILE *f, const struct step *s, double y, double scale)
{
	double lo = fmin(s->from, s->to), hi = fmax(s->from, s->to);
	double delta = s->to - s->from;

	lo = lo < 0 ? 0 : lo;
	fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 8, y + 14);
	diff_html_label(f, s->name, 30);
	fprintf(f,
		"</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\" "
		"rx=\"2\"/><text x=\"%.1f\" y=\"%.1f\">",
		LABEL_W + lo * scale, y, fmax((hi - lo) * scale, 0.5), s->fill,
		LABEL_W + hi * scale + 4, y + 13);
	if (s->from == 0)
		dur(f, s->to);
	else
		sdur(f, delta);
	fputs("</text>\n", f);
}

static size_t waterfall_steps(const struct diff_result *r, struct step *st, char (*names)[64])
{
	double cum = r->a->infer.mean_ns, rest = 0;
	/* "1 other layer" would take the row that could show it */
	size_t n = 0, shown = r->nranked <= WATERFALL_TOP + 1 ? r->nranked : WATERFALL_TOP;

	st[n++] = (struct step){ "A: inference", 0, cum, "#5b7fbf" };
	for (size_t i = 0; i < r->nranked; i++) {
		const struct diff_row *row = &r->rows[r->ranked[i]];

		if (i >= shown) {
			rest += row->contrib_ns;
			continue;
		}
		diff_row_name(row, names[i], 64);
		st[n] = (struct step){ names[i], cum, cum + row->contrib_ns,
				       row->contrib_ns < 0 ? "#2e9d5b" : "#c9463d" };
		cum = st[n++].to;
	}
	if (r->nranked > shown) {
		snprintf(names[shown], 64, "%zu other layers", r->nranked - shown);
		st[n] = (struct step){ names[shown], cum, cum + rest,
				       rest < 0 ? "#2e9d5b" : "#c9463d" };
		cum = st[n++].to;
	}
	st[n] = (struct step){ "outside probed layers", cum, cum + r->unattributed_ns,
			       r->unattributed_ns < 0 ? "#2e9d5b" : "#c9463d" };
	n++;
	st[n++] = (struct step){ "B: inference", 0, r->b->infer.mean_ns, "#e8883a" };
	return n;
}

static void waterfall(FILE *f, const struct diff_result *r)
{
	struct step st[WATERFALL_TOP + 5];
	char names[WATERFALL_TOP + 2][64];
	double max = 0, scale, y = 12;
	size_t n;

	if (!isfinite(r->infer_delta.est)) {
		fputs("<p class=\"muted\">No waterfall: a side has no inferences.</p>\n", f);
		return;
	}
	n = waterfall_steps(r, st, names);
	for (size_t i = 0; i < n; i++)
		max = fmax(max, fmax(st[i].from, st[i].to));
	scale = max > 0 ? BAR_MAX / max : 0;
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %zu\" "
		"role=\"img\" aria-label=\"waterfall from A's inference time to B's\">\n",
		CHART_W, 24 + n * 26);
	for (size_t i = 0; i < n; i++, y += 26) {
		step_row(f, &st[i], y, scale);
		if (i + 1 < n)
			fprintf(f,
				"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#8a93a3\" stroke-dasharray=\"3 2\"/>\n",
				LABEL_W + fmax(st[i].to, 0) * scale,
				LABEL_W + fmax(st[i].to, 0) * scale, y + 16, y + 26);
	}
	fputs("</svg>\n", f);
}

static void sig_cell(FILE *f, const struct diff_row *row)
{
	const struct nnp_interval *d = &row->delta;

	if (!row->pair.a || !row->pair.b)
		fprintf(f, "<td class=\"l no\">only %s</td>", row->pair.a ? "A" : "B");
	else if (!d->available)
		fputs("<td class=\"l no\">n/a</td>", f);
	else if (!d->significant)
		fputs("<td class=\"l no\">no</td>", f);
	else
		fprintf(f, "<td class=\"l %s\">yes, %s</td>", d->est < 0 ? "yes" : "worse",
			d->est < 0 ? "faster" : "slower");
}

static void td_dur(FILE *f, double ns, bool sign)
{
	fputs("<td>", f);
	if (sign)
		sdur(f, ns);
	else
		dur(f, ns);
	fputs("</td>", f);
}

static void layer_row(FILE *f, const struct diff_row *row)
{
	const struct diff_layer *a = row->pair.a, *b = row->pair.b;
	char name[512];

	diff_row_name(row, name, sizeof(name));
	fprintf(f, "<tr class=\"%s\"><td class=\"l n\"", !a ? "ob" : !b ? "oa" : "");
	if (diff_row_depth(row))
		fprintf(f, " style=\"padding-left:%upx\"",
			8 + 16 * (diff_row_depth(row) > 8 ? 8 : diff_row_depth(row)));
	fputc('>', f);
	diff_html_esc(f, name);
	fputs("</td><td class=\"l\">", f);
	diff_html_esc(f, a ? a->op : b->op);
	fputs("</td>", f);
	td_dur(f, a ? a->d.mean_ns : NAN, false);
	td_dur(f, b ? b->d.mean_ns : NAN, false);
	td_dur(f, a ? a->d.p99_ns : NAN, false);
	td_dur(f, b ? b->d.p99_ns : NAN, false);
	if (isfinite(row->speedup.est))
		fprintf(f, "<td>%.2f&times;</td>", row->speedup.est);
	else
		fputs("<td>&ndash;</td>", f);
	td_dur(f, row->delta.est, true);
	fputs("<td>", f);
	if (row->delta.available) {
		fputc('[', f);
		sdur(f, row->delta.lo);
		fputs(", ", f);
		sdur(f, row->delta.hi);
		fputc(']', f);
	} else {
		fputs("&ndash;", f);
	}
	fputs("</td>", f);
	sig_cell(f, row);
	td_dur(f, row->contrib_ns, true);
	if (isfinite(row->share))
		fprintf(f, "<td>%.1f%%</td></tr>\n",
			fabs(row->share) < 0.0005 ? 0.0 : 100 * row->share);
	else
		fputs("<td>&ndash;</td></tr>\n", f);
}

static void layer_table(FILE *f, const struct diff_result *r)
{
	fputs("<div class=\"scroll\"><table><thead><tr><th class=\"l\">layer</th><th "
	      "class=\"l\">op</th>"
	      "<th>A mean</th>"
	      "<th>B mean</th><th>A p99</th><th>B p99</th><th>speedup</th><th>B&minus;A</th>"
	      "<th>95% CI of B&minus;A</th><th class=\"l\">significant</th>"
	      "<th>per inference</th><th>share</th></tr></thead><tbody>\n",
	      f);
	for (size_t i = 0; i < r->n; i++)
		layer_row(f, &r->rows[i]);
	fputs("</tbody></table></div>\n", f);
}

static const char notes[] =
    "<h2>How to read this</h2><p class=\"muted\">Speedup is A's mean over B's. B&minus;A is "
    "the difference of the means with a 95% Welch confidence interval (Welch&ndash;Satterthwaite "
    "degrees of freedom); a difference is significant when its interval excludes zero. "
    "&ldquo;Per inference&rdquo; is the change of a layer's self time per inference; the "
    "waterfall walks from A's mean inference time through these changes to B's. Layers are "
    "matched by name and op, then by order and op type (pruning, fusion and quantization drop "
    "or merge layers). With two runs or more on both sides, intervals are over the runs' means "
    "(so they include run-to-run spread), and percentiles are the median of the runs' "
    "percentiles; with one run on a side they are over calls. See docs/diff.md.</p>\n";

int diff_write_html(FILE *f, const struct diff_result *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
	      "nnperf diff: ",
	      f);
	diff_html_esc(f, r->a->label);
	fputs(" vs ", f);
	diff_html_esc(f, r->b->label);
	fprintf(f,
		"</title>\n<style>%s%s</style></head><body><main>\n<h1>nnperf diff</h1>\n"
		"<p class=\"sub\">Is B faster than A, where, and why.</p>\n<div class=\"cards\">",
		diff_html_css, diff_html_ksig_css);
	diff_html_side_card(f, "A", "a", r->a);
	diff_html_side_card(f, "B", "b", r->b);
	fputs("</div>\n", f);
	verdict(f, r);
	fprintf(f,
		"<p class=\"muted\">Layers: %zu matched by name, %zu by order and op type, "
		"%zu only in A, %zu only in B.</p>\n",
		r->al.by_name, r->al.by_order, r->al.only_a, r->al.only_b);
	fputs("<h2>Where the inference time goes</h2>\n", f);
	waterfall(f, r);
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

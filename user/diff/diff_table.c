// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The table `nnperf diff` prints: the inference verdict first, then one row
 * per aligned layer, where the time went, and kernel signals side by side.
 * Names come from traced processes: shown through nnp_text_display.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_ksig.h"
#include "diff_writers.h"
#include "fmt.h"
#include "text.h"

#define NAME_COLS 40
#define CELL 192

enum col { C_LAYER, C_OP, C_AMEAN, C_BMEAN, C_AP99, C_BP99, C_SPEED, C_DELTA, C_CI, C_SIG, NCOLS };

static const char *const title[NCOLS] = { "LAYER", "OP",      "A MEAN", "B MEAN", "A P99",
					  "B P99", "SPEEDUP", "B-A",	"95% CI", "SIG" };

struct cells {
	char s[NCOLS][CELL];
	size_t w[NCOLS];
};

static void dur(char *buf, size_t len, double ns)
{
	if (!isfinite(ns))
		snprintf(buf, len, "-");
	else
		nnp_fmt_duration(buf, len, (uint64_t)llround(ns < 0 ? 0 : ns));
}

static void sdur(char *buf, size_t len, double ns)
{
	char d[32];

	if (!isfinite(ns)) {
		snprintf(buf, len, "-");
		return;
	}
	nnp_fmt_duration(d, sizeof(d), (uint64_t)llround(fabs(ns)));
	if (snprintf(buf, len, "%s%s", ns < 0 ? "-" : "+", d) >= (int)len)
		snprintf(buf, len, "%s",
			 ns < 0 ? "-?" : "+?"); /* a cell narrower than any duration */
}

static void ci(char *buf, size_t len, const struct nnp_interval *iv)
{
	char lo[32], hi[32];

	if (!iv->available) {
		snprintf(buf, len, "n/a");
		return;
	}
	sdur(lo, sizeof(lo), iv->lo);
	sdur(hi, sizeof(hi), iv->hi);
	snprintf(buf, len, "[%s, %s]", lo, hi);
}

static void set(struct cells *c, int col, const char *s, size_t max)
{
	c->w[col] = nnp_text_display(c->s[col], CELL, s, max);
}

static const char *sig_word(const struct diff_row *row)
{
	if (!row->pair.a)
		return "only B";
	if (!row->pair.b)
		return "only A";
	if (!row->delta.available)
		return "n/a";
	return row->delta.significant ? "yes" : "no";
}

static void fill(struct cells *c, const struct diff_row *row)
{
	const struct diff_layer *a = row->pair.a, *b = row->pair.b;
	char buf[CELL];

	diff_row_tree_name(row, buf, sizeof(buf)); /* nested: under the one it ran inside */
	set(c, C_LAYER, buf, NAME_COLS);
	set(c, C_OP, a ? a->op : b->op, 16);
	dur(buf, sizeof(buf), a ? a->d.mean_ns : NAN);
	set(c, C_AMEAN, buf, CELL);
	dur(buf, sizeof(buf), b ? b->d.mean_ns : NAN);
	set(c, C_BMEAN, buf, CELL);
	dur(buf, sizeof(buf), a ? a->d.p99_ns : NAN);
	set(c, C_AP99, buf, CELL);
	dur(buf, sizeof(buf), b ? b->d.p99_ns : NAN);
	set(c, C_BP99, buf, CELL);
	if (isfinite(row->speedup.est))
		snprintf(buf, sizeof(buf), "%.2fx", row->speedup.est);
	else
		snprintf(buf, sizeof(buf), "-");
	set(c, C_SPEED, buf, CELL);
	sdur(buf, sizeof(buf), row->delta.est);
	set(c, C_DELTA, buf, CELL);
	if (a && b)
		ci(buf, sizeof(buf), &row->delta);
	else
		snprintf(buf, sizeof(buf), "-");
	set(c, C_CI, buf, CELL);
	set(c, C_SIG, sig_word(row), CELL);
}

static void print_row(FILE *f, const struct cells *c, const size_t *width)
{
	for (int i = 0; i < NCOLS; i++) {
		size_t pad = width[i] - c->w[i];
		bool left = i <= C_OP || i == C_SIG;

		if (!left)
			fprintf(f, "%*s", (int)pad, "");
		fputs(c->s[i], f);
		if (i < NCOLS - 1)
			fprintf(f, "%*s", (int)(left ? pad + 2 : 2), "");
	}
	fputc('\n', f);
}

static int layers_table(FILE *f, const struct diff_result *r)
{
	struct cells *c = calloc(r->n + 1, sizeof(*c));
	size_t width[NCOLS];

	if (!c)
		return -ENOMEM;
	for (int i = 0; i < NCOLS; i++) {
		set(&c[0], i, title[i], CELL);
		width[i] = c[0].w[i];
	}
	for (size_t k = 0; k < r->n; k++) {
		fill(&c[k + 1], &r->rows[k]);
		for (int i = 0; i < NCOLS; i++)
			width[i] = c[k + 1].w[i] > width[i] ? c[k + 1].w[i] : width[i];
	}
	for (size_t k = 0; k <= r->n; k++)
		print_row(f, &c[k], width);
	free(c);
	return 0;
}

/* a share in percent, without the "-0.0" of a tiny negative share */
static double pct(double share)
{
	return fabs(share) < 0.0005 ? 0.0 : 100 * share;
}

static void side_line(FILE *f, const char *tag, const struct diff_profile *p)
{
	char label[256], mean[32], p99[32];

	nnp_text_display(label, sizeof(label), p->label, 60);
	dur(mean, sizeof(mean), p->infer.mean_ns);
	dur(p99, sizeof(p99), p->infer.p99_ns);
	fprintf(f, "%s: %s  (%u run%s, %llu inferences, mean %s, p99 %s", tag, label, p->runs,
		p->runs == 1 ? "" : "s", (unsigned long long)p->infer.count, mean, p99);
	if (p->lost_events)
		fprintf(f, ", %llu events LOST", (unsigned long long)p->lost_events);
	fprintf(f, ")\n");
}

static void verdict(FILE *f, const struct diff_result *r)
{
	const struct nnp_interval *s = &r->infer_speedup, *d = &r->infer_delta;
	char delta[32], range[96];

	if (!isfinite(s->est)) {
		fprintf(f, "per inference: no inferences on %s, no speedup to give\n",
			r->a->infer.count ? "B" : "A");
		return;
	}
	sdur(delta, sizeof(delta), d->est);
	ci(range, sizeof(range), d);
	fprintf(f, "per inference: speedup %.3fx", s->est);
	if (s->available)
		fprintf(f, " (95%% CI %.3fx .. %.3fx)", s->lo, s->hi);
	if (!d->available) {
		fprintf(f, ", B-A %s (no confidence interval: a recording lacks stddev_ns)\n",
			delta);
		return;
	}
	fprintf(f, ", B-A %s %s: %s\n", delta, range,
		!d->significant ? "not significant"
		: d->est < 0	? "B is significantly faster"
				: "B is significantly slower");
}

/* which samples the intervals stand on: runs' means when both sides have 2+ runs */
static void interval_line(FILE *f, const struct diff_result *r)
{
	size_t runs = 0;

	for (size_t i = 0; i < r->n; i++)
		runs += r->rows[i].by_runs;
	if (!r->infer_by_runs && !runs) {
		fprintf(f, "intervals: over calls (a side has one run: no run-to-run spread to "
			   "measure)\n");
		return;
	}
	fprintf(f, "intervals: over runs' means (%u A, %u B), so they include run-to-run spread",
		r->a->infer.units, r->b->infer.units);
	if (runs < r->n)
		fprintf(f, "; %zu layer%s seen in one run on a side: over calls", r->n - runs,
			r->n - runs == 1 ? "" : "s");
	fprintf(f, "\n");
}

static void where(FILE *f, const struct diff_result *r, size_t top)
{
	char name[CELL], shown[CELL], delta[32];

	if (!r->nranked || !isfinite(r->infer_delta.est))
		return;
	sdur(delta, sizeof(delta), r->infer_delta.est);
	fprintf(f, "\nwhere the difference comes from (self time per inference; total %s):\n",
		delta);
	for (size_t i = 0; i < r->nranked && i < top; i++) {
		const struct diff_row *row = &r->rows[r->ranked[i]];

		diff_row_name(row, name, sizeof(name));
		nnp_text_display(shown, sizeof(shown), name, NAME_COLS);
		sdur(delta, sizeof(delta), row->contrib_ns);
		fprintf(f, "  %-*s %9s  %6.1f%%\n", NAME_COLS, shown, delta, pct(row->share));
	}
	if (r->nranked > top)
		fprintf(f, "  (%zu more layers)\n", r->nranked - top);
	sdur(delta, sizeof(delta), r->unattributed_ns);
	fprintf(f, "  %-*s %9s  %6.1f%%\n", NAME_COLS, "(outside probed layers)", delta,
		pct(r->infer_delta.est ? r->unattributed_ns / r->infer_delta.est : 0.0));
}

int diff_write_table(FILE *f, const struct diff_result *r)
{
	int err;

	side_line(f, "A", r->a);
	side_line(f, "B", r->b);
	verdict(f, r);
	interval_line(f, r);
	fprintf(f,
		"layers: %zu matched by name, %zu by order and op, %zu only in A, %zu only "
		"in B\n\n",
		r->al.by_name, r->al.by_order, r->al.only_a, r->al.only_b);
	err = layers_table(f, r);
	if (err)
		return err;
	for (size_t i = 0; i < r->n; i++)
		if (diff_row_depth(&r->rows[i])) {
			fputs("nested: an indented layer ran inside the one above it; the outer "
			      "layer's times include it, \"where\" below counts self time\n",
			      f);
			break;
		}
	where(f, r, 10);
	err = r->ngroups ? diff_write_gtable(f, r) : 0;
	if (!err)
		err = diff_write_ktable(f, r);
	if (err)
		return err;
	errno = 0;
	if (fflush(f) == EOF || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

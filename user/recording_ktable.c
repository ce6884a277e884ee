// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel-signal table under each process of `nnperf record`'s output:
 * per layer, what the kernel did during one call on average; unavailable
 * signals read "n/a" with the reason below the table; then who preempted the
 * process's inferences.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "ksig_view.h"
#include "recording_ktable.h"
#include "recording_util.h"
#include "text.h"

#define CELL 48
#define NAME_COLS 24

struct ktable {
	size_t rows, cols;
	char (*cell)[CELL];
	size_t *w; /* display columns of each cell */
	size_t width[NNP_KSIG_MAX_FIELDS + 1];
};

static char *cell(struct ktable *t, size_t r, size_t c)
{
	return t->cell[r * t->cols + c];
}

static void format_field(char *buf, const struct nnp_ksig_field *f)
{
	if (!f->available)
		snprintf(buf, CELL, "n/a");
	else if (f->is_ns)
		nnp_fmt_duration(buf, CELL, (uint64_t)(f->mean + 0.5));
	else
		snprintf(buf, CELL, f->mean < 10 ? "%.2f" : "%.0f", f->mean);
}

static void fill(struct ktable *t, const struct nnp_rec_kernel *ki, struct nnp_layer_stats **ls)
{
	struct nnp_ksig_field f[NNP_KSIG_MAX_FIELDS];

	for (size_t r = 1; r < t->rows; r++) {
		const struct nnp_layer_stats *l = ls[r - 1];

		nnp_ksig_view(ki, &l->k, l->hist.count, l->hist.sum, f);
		t->w[r * t->cols] = nnp_text_display(cell(t, r, 0), CELL, l->name, NAME_COLS);
		for (size_t c = 1; c < t->cols; c++) {
			format_field(cell(t, r, c), &f[c - 1]);
			t->w[r * t->cols + c] = strlen(cell(t, r, c));
		}
	}
	nnp_ksig_view(ki, &ls[0]->k, 1, 0, f);
	t->w[0] = snprintf(cell(t, 0, 0), CELL, "LAYER (per call)");
	for (size_t c = 1; c < t->cols; c++)
		t->w[c] = snprintf(cell(t, 0, c), CELL, "%s", f[c - 1].head);
}

static void print(FILE *f, struct ktable *t)
{
	for (size_t c = 0; c < t->cols; c++) {
		t->width[c] = 0;
		for (size_t r = 0; r < t->rows; r++) {
			size_t w = t->w[r * t->cols + c];

			t->width[c] = w > t->width[c] ? w : t->width[c];
		}
	}
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->cols; c++) {
			int pad = (int)(t->width[c] - t->w[r * t->cols + c]);

			if (c == 0)
				fprintf(f, "%s%*s", cell(t, r, c), pad, "");
			else
				fprintf(f, "  %*s%s", pad, "", cell(t, r, c));
		}
		fputc('\n', f);
	}
}

/* "n/a: FAULT n/a (no fentry or kprobes); CYCLES n/a (no hardware PMU)" */
static void print_reasons(FILE *f, const struct nnp_rec_kernel *ki)
{
	struct nnp_ksig_field v[NNP_KSIG_MAX_FIELDS];
	struct nnp_ksig_sum zero = { 0 };
	int n = nnp_ksig_view(ki, &zero, 1, 0, v), shown = 0;

	for (int i = 0; i < n; i++) {
		if (v[i].available)
			continue;
		fprintf(f, "%s%s %s", shown++ ? "; " : "unavailable: ", v[i].head, v[i].why);
	}
	if (shown)
		fputc('\n', f);
}

static void print_preemptors(FILE *f, const struct nnp_proc_stats *p)
{
	struct nnp_preemptor **v;
	char comm[NNP_COMM_LEN * 4], dur[32];
	size_t n;

	if (nnp_agg_sorted_preemptors(p, &v, &n))
		return;
	fprintf(f, "preempted inside inferences by:%s", n ? "" : " nobody");
	for (size_t i = 0; i < n && i < 5; i++) {
		nnp_text_display(comm, sizeof(comm), v[i]->comm, NNP_COMM_LEN);
		fprintf(f, "%s %s[%" PRIu32 "] %" PRIu64 "x %s", i ? "," : "", comm, v[i]->pid,
			v[i]->count, nnp_fmt_duration(dur, sizeof(dur), v[i]->total_ns));
	}
	if (n > 5 || p->preempt_other_count)
		fprintf(f, ", and %zu more", n > 5 ? n - 5 : 0);
	fputc('\n', f);
	free(v);
}

int nnp_recording_write_ktable(FILE *f, const struct nnp_proc_stats *p, struct nnp_layer_stats **ls,
			       size_t n, const struct nnp_rec_kernel *ki)
{
	struct nnp_ksig_field v[NNP_KSIG_MAX_FIELDS];
	struct nnp_ksig_sum zero = { 0 };
	struct ktable t = { .rows = n + 1, .cols = 1 + nnp_ksig_view(ki, &zero, 1, 0, v) };

	if (!n)
		return 0;
	t.cell = calloc(t.rows * t.cols, CELL);
	t.w = calloc(t.rows * t.cols, sizeof(*t.w));
	if (!t.cell || !t.w) {
		free(t.cell);
		free(t.w);
		return -ENOMEM;
	}
	fputc('\n', f);
	fill(&t, ki, ls);
	print(f, &t);
	print_reasons(f, ki);
	print_preemptors(f, p);
	free(t.cell);
	free(t.w);
	return 0;
}

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

/* one row at a time, in two passes (widths, then text): memory does not grow with the layers */
struct ktable {
	size_t cols;
	int field[NNP_KSIG_MAX_FIELDS]; /* column c + 1 shows field[c]: the available ones */
	char cell[NNP_KSIG_MAX_FIELDS + 1][CELL];
	size_t w[NNP_KSIG_MAX_FIELDS + 1]; /* display columns of each cell */
	size_t width[NNP_KSIG_MAX_FIELDS + 1];
};

static void format_field(char *buf, const struct nnp_ksig_field *f)
{
	if (!f->available)
		snprintf(buf, CELL, "n/a");
	else if (f->is_ns)
		nnp_fmt_duration(buf, CELL, (uint64_t)(f->mean + 0.5));
	else if (!f->has_total)
		snprintf(buf, CELL, "%.2f", f->mean); /* a ratio: IPC, MPKI */
	else
		nnp_fmt_count(buf, CELL, f->mean);
}

/* the row of layer l, or the header row when l is NULL (heads from first) */
static void fill(struct ktable *t, const struct nnp_rec_kernel *ki, const struct nnp_proc_stats *p,
		 const struct nnp_layer_stats *l, const struct nnp_layer_stats *first)
{
	struct nnp_ksig_field f[NNP_KSIG_MAX_FIELDS];

	if (!l) {
		nnp_ksig_view(ki, &first->k, 1, 0, f);
		t->w[0] = snprintf(t->cell[0], CELL, "LAYER (per call)");
		for (size_t c = 1; c < t->cols; c++)
			t->w[c] = snprintf(t->cell[c], CELL, "%s", f[t->field[c - 1]].head);
		return;
	}
	nnp_ksig_view(ki, &l->k, l->hist.count, l->hist.sum, f);
	nnp_rec_tree_name(t->cell[0], CELL, &t->w[0], p, l, NAME_COLS);
	for (size_t c = 1; c < t->cols; c++) {
		format_field(t->cell[c], &f[t->field[c - 1]]);
		t->w[c] = strlen(t->cell[c]);
	}
}

static void widen(struct ktable *t)
{
	for (size_t c = 0; c < t->cols; c++)
		t->width[c] = t->w[c] > t->width[c] ? t->w[c] : t->width[c];
}

static void print_row(FILE *f, const struct ktable *t)
{
	for (size_t c = 0; c < t->cols; c++) {
		int pad = (int)(t->width[c] - t->w[c]);

		if (c == 0)
			fprintf(f, "%s%*s", t->cell[c], pad, "");
		else
			fprintf(f, "  %*s%s", pad, "", t->cell[c]);
	}
	fputc('\n', f);
}

static void print(FILE *f, struct ktable *t, const struct nnp_rec_kernel *ki,
		  const struct nnp_proc_stats *p, struct nnp_layer_stats **ls, size_t n)
{
	for (size_t r = 0; r <= n; r++) {
		fill(t, ki, p, r ? ls[r - 1] : NULL, ls[0]);
		widen(t);
	}
	for (size_t r = 0; r <= n; r++) {
		fill(t, ki, p, r ? ls[r - 1] : NULL, ls[0]);
		print_row(f, t);
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
	struct ktable t = { .cols = 1 };
	int nf = nnp_ksig_view(ki, &zero, 1, 0, v);

	if (!n)
		return 0;
	/* unavailable signals get no column: the line under the table says why */
	for (int i = 0; i < nf; i++)
		if (v[i].available)
			t.field[t.cols++ - 1] = i;
	fputc('\n', f);
	print(f, &t, ki, p, ls, n);
	print_reasons(f, ki);
	print_preemptors(f, p);
	return 0;
}

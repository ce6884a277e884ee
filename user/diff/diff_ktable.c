// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `nnperf diff`'s kernel signals as text: per group (time, switches and faults,
 * hardware counters) a table of layers by signal, each signal as A, B and B/A
 * in its unit, columns sized to their content; signals measured on neither side
 * are left out and named below.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_ksig.h"
#include "text.h"

#define NAME_COLS 40
#define NAME_CELL 192
#define CELL 24
#define SUB 3 /* A, B, B/A */

struct krow {
	char name[NAME_CELL];
	size_t name_w;
	char s[DK_NR][SUB][CELL];
};

struct kwidths {
	size_t name;
	size_t sub[DK_NR][SUB];
};

static void fill_row(struct krow *k, const struct diff_row *row)
{
	char name[NAME_CELL];
	double v;

	diff_row_tree_name(row, name, sizeof(name));
	k->name_w = nnp_text_display(k->name, sizeof(k->name), name, NAME_COLS);
	for (int id = 0; id < DK_NR; id++) {
		for (int side = 0; side < 2; side++) {
			if (diff_ksig_value(row, id, side, &v))
				diff_ksig_fmt(k->s[id][side], CELL, id, v);
			else
				snprintf(k->s[id][side], CELL, "%s",
					 (side ? row->pair.b : row->pair.a) ? "n/a" : "-");
		}
		diff_ksig_fmt_ratio(k->s[id][2], CELL, row, id);
	}
}

static void widen(struct kwidths *w, const struct krow *k)
{
	static const char *const sub_head[SUB] = { "A", "B", "B/A" };

	w->name = k->name_w > w->name ? k->name_w : w->name;
	for (int id = 0; id < DK_NR; id++)
		for (int s = 0; s < SUB; s++) {
			size_t n = strlen(k->s[id][s]), h = strlen(sub_head[s]);

			n = n > h ? n : h;
			w->sub[id][s] = n > w->sub[id][s] ? n : w->sub[id][s];
		}
}

/* a signal's columns: at least as wide as its heading */
static size_t span(const struct kwidths *w, int id)
{
	size_t n = w->sub[id][0] + w->sub[id][1] + w->sub[id][2] + 2 * (SUB - 1);
	size_t h = strlen(diff_ksig_def(id)->head);

	return n > h ? n : h;
}

static void heads(FILE *f, const struct kwidths *w, const bool *show, int g)
{
	static const char *const sub_head[SUB] = { "A", "B", "B/A" };

	int last = -1;

	for (int id = 0; id < DK_NR; id++)
		if (show[id] && diff_ksig_def(id)->group == (enum diff_ksig_group)g)
			last = id;
	fprintf(f, "  %-*s", (int)w->name, "LAYER");
	for (int id = 0; id < DK_NR; id++)
		if (show[id] && diff_ksig_def(id)->group == (enum diff_ksig_group)g)
			fprintf(f, "    %-*s", id == last ? 0 : (int)span(w, id),
				diff_ksig_def(id)->head);
	fprintf(f, "\n  %-*s", (int)w->name, "");
	for (int id = 0; id < DK_NR; id++) {
		size_t extra;

		if (!show[id] || diff_ksig_def(id)->group != (enum diff_ksig_group)g)
			continue;
		extra = span(w, id) - (w->sub[id][0] + w->sub[id][1] + w->sub[id][2] + 4);
		fprintf(f, "    %*s", (int)(w->sub[id][0] + extra), sub_head[0]);
		for (int s = 1; s < SUB; s++)
			fprintf(f, "  %*s", (int)w->sub[id][s], sub_head[s]);
	}
	fputc('\n', f);
}

static void body(FILE *f, const struct kwidths *w, const bool *show, int g, const struct krow *k)
{
	fprintf(f, "  %s%*s", k->name, (int)(w->name - k->name_w), "");
	for (int id = 0; id < DK_NR; id++) {
		size_t extra;

		if (!show[id] || diff_ksig_def(id)->group != (enum diff_ksig_group)g)
			continue;
		extra = span(w, id) - (w->sub[id][0] + w->sub[id][1] + w->sub[id][2] + 4);
		fprintf(f, "    %*s", (int)(w->sub[id][0] + extra), k->s[id][0]);
		for (int s = 1; s < SUB; s++)
			fprintf(f, "  %*s", (int)w->sub[id][s], k->s[id][s]);
	}
	fputc('\n', f);
}

static void missing(FILE *f, const bool *show)
{
	int n = 0;

	for (int id = 0; id < DK_NR; id++)
		if (!show[id])
			fprintf(f, "%s%s", n++ ? ", " : "\nnot measured on either side: ",
				diff_ksig_def(id)->what);
	if (n)
		fputc('\n', f);
}

int diff_write_ktable(FILE *f, const struct diff_result *r)
{
	struct krow *k = calloc(r->n ? r->n : 1, sizeof(*k));
	struct kwidths w = { .name = strlen("LAYER") };
	bool show[DK_NR], any[DKG_NR] = { false };

	if (!k)
		return -ENOMEM;
	for (int id = 0; id < DK_NR; id++) {
		show[id] = diff_ksig_collected(r, id);
		any[diff_ksig_def(id)->group] |= show[id];
	}
	for (size_t i = 0; i < r->n; i++) {
		fill_row(&k[i], &r->rows[i]);
		widen(&w, &k[i]);
	}
	for (int g = 0; g < DKG_NR; g++) {
		if (!any[g])
			continue;
		fprintf(f, "\nkernel signals, %s (A, B, B/A):\n", diff_ksig_group_title(g));
		heads(f, &w, show, g);
		for (size_t i = 0; i < r->n; i++)
			body(f, &w, show, g, &k[i]);
	}
	if (any[DKG_TIME] || any[DKG_EVENTS] || any[DKG_COUNTERS])
		missing(f, show);
	free(k);
	return 0;
}

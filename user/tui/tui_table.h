/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A sortable, filterable, scrollable table for `nnperf top`: columns (title,
 * width, alignment, how to compare), rows of cells (display text and a number
 * to sort by), a selection that follows its row's key across refreshes and a
 * scroll window that keeps it visible. No terminal here: rows come out as
 * text lines that the screen draws with attributes and batch mode prints.
 */
#ifndef NNP_TUI_TABLE_H
#define NNP_TUI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tui_align { TUI_LEFT, TUI_RIGHT };
enum tui_kind { TUI_TEXT, TUI_NUM }; /* compare text (case-insensitive) or num */

struct tui_col {
	const char *title;
	int width; /* columns; a fit column's minimum */
	enum tui_align align;
	enum tui_kind kind;
	bool fit;	   /* as wide as its widest cell in the view, width to max */
	bool default_desc; /* first sort by this column is descending */
	bool filter;	   /* the `/` filter looks at this column's text */
	int max;	   /* a fit column's maximum */
};

/* the most columns a right-aligned number column gains from a wide screen */
#define TUI_NUM_GROW 4

#define TUI_CELL_LEN 96

struct tui_cell {
	char text[TUI_CELL_LEN]; /* display text, already safe for a terminal */
	double num;		 /* sort key of TUI_NUM columns */
	bool missing;		 /* "n/a" or "-": sorts after every value */
};

struct tui_table {
	const struct tui_col *cols;
	int ncols;
	struct tui_cell *cells; /* nrows * ncols */
	uint64_t *keys;		/* identity of each row, for the selection */
	size_t nrows, cap;
	size_t *view; /* rows that pass the filter, in sort order */
	size_t nview;
	int sort_col;
	bool sort_desc;
	char filter[64]; /* case-insensitive substring of a filter column's text; "" = all */
	size_t sel;	 /* index in view */
	size_t top;	 /* first view row shown */
	uint64_t sel_key;
	bool has_sel_key;
};

int tui_table_init(struct tui_table *t, const struct tui_col *cols, int ncols, int sort_col);
void tui_table_free(struct tui_table *t);
/* starts a refresh: rows go, the selection's key stays */
void tui_table_clear(struct tui_table *t);
/* a new row of ncols zeroed cells to fill, or NULL on ENOMEM */
struct tui_cell *tui_table_add_row(struct tui_table *t, uint64_t key);
/* filters and sorts; the selection follows its key, else stays at its index, clamped */
int tui_table_update(struct tui_table *t);

/* sorts by the next column (descending if the column says so); wraps */
void tui_table_sort_next(struct tui_table *t);
void tui_table_sort_reverse(struct tui_table *t);
void tui_table_set_filter(struct tui_table *t, const char *s);
/* moves the selection by delta rows, clamped to the view */
void tui_table_move(struct tui_table *t, long delta);
void tui_table_home(struct tui_table *t);
void tui_table_end(struct tui_table *t);
/* keeps the selection inside a window of `height` rows; returns the first row shown */
size_t tui_table_scroll(struct tui_table *t, size_t height);
/* the selected row's key; false when the view is empty */
bool tui_table_selected(const struct tui_table *t, uint64_t *key);
const struct tui_cell *tui_table_cell(const struct tui_table *t, size_t view_row, int col);

/*
 * Column widths for a screen `width` wide: a fit column as wide as its widest
 * cell in the view or its title (within its width..max), cut back towards its
 * minimum while the line is wider than the screen (the column furthest above
 * its minimum first, the rightmost of equals); what is left
 * of the screen widens the right-aligned number columns, evenly, up to
 * TUI_NUM_GROW each. Returns the line length (more than `width` when even the
 * minimums do not fit).
 */
int tui_table_layout(const struct tui_table *t, int width, int *widths);
/* the title line (sort column marked 'v' descending, '^' ascending) and a row, as text of at
 * most `width` columns, padded */
void tui_table_format_title(const struct tui_table *t, const int *widths, int width, char *buf,
			    size_t len);
void tui_table_format_row(const struct tui_table *t, size_t view_row, const int *widths, int width,
			  char *buf, size_t len);

#endif

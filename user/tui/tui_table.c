// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "tui_table.h"

int tui_table_init(struct tui_table *t, const struct tui_col *cols, int ncols, int sort_col)
{
	if (ncols <= 0 || sort_col < 0 || sort_col >= ncols)
		return -EINVAL;
	*t = (struct tui_table){ .cols = cols, .ncols = ncols, .sort_col = sort_col };
	t->sort_desc = cols[sort_col].default_desc;
	return 0;
}

void tui_table_free(struct tui_table *t)
{
	free(t->cells);
	free(t->keys);
	free(t->view);
	t->cells = NULL;
	t->keys = NULL;
	t->view = NULL;
	t->nrows = t->cap = t->nview = 0;
}

static void remember_sel(struct tui_table *t)
{
	uint64_t key;

	if (tui_table_selected(t, &key)) {
		t->sel_key = key;
		t->has_sel_key = true;
	}
}

void tui_table_clear(struct tui_table *t)
{
	remember_sel(t);
	t->nrows = 0;
}

static int grow(struct tui_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 32;
	struct tui_cell *c = realloc(t->cells, cap * (size_t)t->ncols * sizeof(*c));
	uint64_t *k;
	size_t *v;

	if (!c)
		return -ENOMEM;
	t->cells = c;
	k = realloc(t->keys, cap * sizeof(*k));
	if (!k)
		return -ENOMEM;
	t->keys = k;
	v = realloc(t->view, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->view = v;
	t->cap = cap;
	return 0;
}

struct tui_cell *tui_table_add_row(struct tui_table *t, uint64_t key)
{
	struct tui_cell *row;

	if (t->nrows == t->cap && grow(t))
		return NULL;
	row = &t->cells[t->nrows * (size_t)t->ncols];
	memset(row, 0, (size_t)t->ncols * sizeof(*row));
	t->keys[t->nrows++] = key;
	return row;
}

static bool row_matches(const struct tui_table *t, size_t r)
{
	if (!t->filter[0])
		return true;
	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].filter &&
		    strcasestr(t->cells[r * (size_t)t->ncols + (size_t)c].text, t->filter))
			return true;
	return false;
}

static int cmp_cells(const struct tui_cell *a, const struct tui_cell *b, enum tui_kind kind)
{
	if (kind == TUI_TEXT)
		return strcasecmp(a->text, b->text);
	return (a->num > b->num) - (a->num < b->num);
}

/* missing values last whatever the direction; ties in insertion order */
static int cmp_rows(const void *pa, const void *pb, void *ctx)
{
	const struct tui_table *t = ctx;
	size_t ra = *(const size_t *)pa, rb = *(const size_t *)pb;
	const struct tui_cell *a = &t->cells[ra * (size_t)t->ncols + (size_t)t->sort_col];
	const struct tui_cell *b = &t->cells[rb * (size_t)t->ncols + (size_t)t->sort_col];
	int d;

	if (a->missing != b->missing)
		return a->missing ? 1 : -1;
	d = a->missing ? 0 : cmp_cells(a, b, t->cols[t->sort_col].kind);
	if (t->sort_desc)
		d = -d;
	return d ? d : (ra > rb) - (ra < rb);
}

static void clamp_sel(struct tui_table *t)
{
	if (!t->nview)
		t->sel = 0;
	else if (t->sel >= t->nview)
		t->sel = t->nview - 1;
}

int tui_table_update(struct tui_table *t)
{
	t->nview = 0;
	for (size_t r = 0; r < t->nrows; r++)
		if (row_matches(t, r))
			t->view[t->nview++] = r;
	if (t->nview > 1)
		qsort_r(t->view, t->nview, sizeof(*t->view), cmp_rows, t);
	for (size_t i = 0; t->has_sel_key && i < t->nview; i++) {
		if (t->keys[t->view[i]] == t->sel_key) {
			t->sel = i;
			break;
		}
	}
	clamp_sel(t);
	return 0;
}

void tui_table_sort_next(struct tui_table *t)
{
	remember_sel(t);
	t->sort_col = (t->sort_col + 1) % t->ncols;
	t->sort_desc = t->cols[t->sort_col].default_desc;
	tui_table_update(t);
}

void tui_table_sort_reverse(struct tui_table *t)
{
	remember_sel(t);
	t->sort_desc = !t->sort_desc;
	tui_table_update(t);
}

void tui_table_set_filter(struct tui_table *t, const char *s)
{
	remember_sel(t);
	snprintf(t->filter, sizeof(t->filter), "%s", s ? s : "");
	tui_table_update(t);
}

/* an explicit move forgets the key: the row under the cursor is what was chosen */
static void select_index(struct tui_table *t, size_t i)
{
	t->sel = i;
	clamp_sel(t);
	t->has_sel_key = tui_table_selected(t, &t->sel_key);
}

void tui_table_move(struct tui_table *t, long delta)
{
	size_t i = t->sel;

	if (delta < 0)
		i = (size_t)-delta > i ? 0 : i - (size_t)-delta;
	else
		i = (size_t)delta > SIZE_MAX - i ? SIZE_MAX : i + (size_t)delta;
	select_index(t, i);
}

void tui_table_home(struct tui_table *t)
{
	select_index(t, 0);
}

void tui_table_end(struct tui_table *t)
{
	select_index(t, t->nview ? t->nview - 1 : 0);
}

size_t tui_table_scroll(struct tui_table *t, size_t height)
{
	if (!height)
		height = 1;
	if (t->sel < t->top)
		t->top = t->sel;
	else if (t->sel >= t->top + height)
		t->top = t->sel - height + 1;
	/* after a shrink, fill the window rather than leave blank rows below the last one */
	if (t->top + height > t->nview)
		t->top = t->nview > height ? t->nview - height : 0;
	return t->top;
}

bool tui_table_selected(const struct tui_table *t, uint64_t *key)
{
	if (!t->nview || t->sel >= t->nview)
		return false;
	*key = t->keys[t->view[t->sel]];
	return true;
}

const struct tui_cell *tui_table_cell(const struct tui_table *t, size_t view_row, int col)
{
	if (view_row >= t->nview || col < 0 || col >= t->ncols)
		return NULL;
	return &t->cells[t->view[view_row] * (size_t)t->ncols + (size_t)col];
}

/* the widest cell of column c in the view, or its title with room for the sort mark */
static int content_width(const struct tui_table *t, int c)
{
	char tmp[TUI_CELL_LEN * 3];
	int w = (int)strlen(t->cols[c].title) + 1;

	for (size_t i = 0; i < t->nview; i++) {
		int n = (int)nnp_text_display(tmp, sizeof(tmp), tui_table_cell(t, i, c)->text,
					      SIZE_MAX);

		if (n > w)
			w = n;
	}
	return w;
}

static int fit_width(const struct tui_table *t, int c)
{
	const struct tui_col *col = &t->cols[c];
	int w = content_width(t, c), max = col->max > col->width ? col->max : col->width;

	return w < col->width ? col->width : w > max ? max : w;
}

/* one column narrower: the fit column furthest above its minimum, the rightmost of equals
 * (the first columns say what a row is); false if none is */
static bool shrink_one(const struct tui_table *t, int *widths)
{
	int best = -1;

	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].fit && widths[c] > t->cols[c].width &&
		    (best < 0 ||
		     widths[c] - t->cols[c].width >= widths[best] - t->cols[best].width))
			best = c;
	if (best < 0)
		return false;
	widths[best]--;
	return true;
}

/* spreads `extra` columns over the number columns, one each in turn */
static int grow_numbers(const struct tui_table *t, int *widths, int extra)
{
	int given = 0;

	for (int round = 0; round < TUI_NUM_GROW && given < extra; round++)
		for (int c = 0; c < t->ncols && given < extra; c++)
			if (!t->cols[c].fit && t->cols[c].align == TUI_RIGHT) {
				widths[c]++;
				given++;
			}
	return given;
}

int tui_table_layout(const struct tui_table *t, int width, int *widths)
{
	int used = 0;

	for (int c = 0; c < t->ncols; c++) {
		widths[c] = t->cols[c].fit ? fit_width(t, c) : t->cols[c].width;
		used += widths[c] + (c ? 1 : 0);
	}
	while (used > width && shrink_one(t, widths))
		used--;
	if (used < width)
		used += grow_numbers(t, widths, width - used);
	return used;
}

/* appends s in a field of w columns; returns the new offset */
static size_t put_field(char *buf, size_t len, size_t off, const char *s, int w,
			enum tui_align align)
{
	char cut[TUI_CELL_LEN * 3];
	size_t n = nnp_text_display(cut, sizeof(cut), s, (size_t)w);
	int pad = w - (int)n;

	if (off >= len)
		return off;
	if (align == TUI_RIGHT)
		off += (size_t)snprintf(buf + off, len - off, "%*s%s", pad, "", cut);
	else
		off += (size_t)snprintf(buf + off, len - off, "%s%*s", cut, pad, "");
	return off < len ? off : len - 1;
}

/* fields one space apart, cut at `width` screen columns */
static void format_line(const struct tui_table *t, const int *widths, int width, char *buf,
			size_t len,
			const char *(*text)(const struct tui_table *, size_t, int, char *),
			size_t row)
{
	char tmp[TUI_CELL_LEN + 2];
	size_t off = 0;
	int col = 0;

	buf[0] = 0;
	for (int c = 0; c < t->ncols && col < width; c++) {
		int w = widths[c];

		if (c) {
			off = put_field(buf, len, off, "", 1, TUI_LEFT);
			col++;
		}
		if (col + w > width)
			w = width - col;
		off = put_field(buf, len, off, text(t, row, c, tmp), w, t->cols[c].align);
		col += w;
	}
	if (col < width)
		put_field(buf, len, off, "", width - col, TUI_LEFT);
}

static const char *title_text(const struct tui_table *t, size_t row, int c, char *tmp)
{
	(void)row;
	if (c != t->sort_col)
		return t->cols[c].title;
	snprintf(tmp, TUI_CELL_LEN + 2, "%c%s", t->sort_desc ? 'v' : '^', t->cols[c].title);
	return tmp;
}

static const char *cell_text(const struct tui_table *t, size_t row, int c, char *tmp)
{
	(void)tmp;
	return tui_table_cell(t, row, c)->text;
}

void tui_table_format_title(const struct tui_table *t, const int *widths, int width, char *buf,
			    size_t len)
{
	format_line(t, widths, width, buf, len, title_text, 0);
}

void tui_table_format_row(const struct tui_table *t, size_t view_row, const int *widths, int width,
			  char *buf, size_t len)
{
	if (view_row >= t->nview) {
		buf[0] = 0;
		return;
	}
	format_line(t, widths, width, buf, len, cell_text, view_row);
}

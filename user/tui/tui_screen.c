// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Keys (docs/top.md): arrows, PgUp/PgDn, Home/End move; Enter opens the
 * selected process's layers; Esc, Left or Backspace goes back; s or F6 sorts by
 * the next column, S reverses; / edits the filter (Enter keeps it, Esc clears
 * it); g groups the layers (none, block, part, op); p pauses; ? shows help;
 * q closes help, else quits.
 */
#include <ctype.h>
#include <curses.h>
#include <string.h>

#include "text.h"
#include "tui_rows.h"
#include "tui_screen.h"

#define KEY_ESC 27
#define KEY_CTRL_U 21

int tui_screen_init(struct tui_screen *s, enum nnp_group_by group_by)
{
	int err;

	*s = (struct tui_screen){ .page = 10, .group_by = group_by };
	err = tui_table_init(&s->procs, tui_proc_cols, PC_NCOLS, PC_PID);
	if (!err)
		err = tui_table_init(&s->layers, tui_layer_cols, LC_NCOLS, LC_LAYER);
	if (!err)
		err = tui_table_init(&s->groups, tui_group_cols, GC_NCOLS, GC_GROUP);
	return err;
}

void tui_screen_free(struct tui_screen *s)
{
	tui_table_free(&s->procs);
	tui_table_free(&s->layers);
	tui_table_free(&s->groups);
	tui_groups_free(&s->g);
}

static struct tui_table *layer_table(struct tui_screen *s)
{
	return s->group_by == NNP_GROUP_NONE ? &s->layers : &s->groups;
}

struct tui_table *tui_screen_table(struct tui_screen *s)
{
	return s->view == TUI_VIEW_PROCS ? &s->procs : layer_table(s);
}

static int fill_layers(struct tui_screen *s, const struct tui_model *m)
{
	const struct tui_proc_row *p = tui_model_proc(m, s->layer_tgid);
	int err;

	if (p)
		nnp_text_display(s->layer_comm, sizeof(s->layer_comm), p->comm, 16);
	if (s->group_by == NNP_GROUP_NONE)
		return tui_rows_layers(&s->layers, p);
	err = tui_groups_build(&s->g, p, s->group_by);
	return err ? err : tui_rows_groups(&s->groups, &s->g);
}

/* g: none -> block -> part -> op -> none; the group table starts at its top */
static void next_group(struct tui_screen *s, const struct tui_model *m)
{
	s->group_by = s->group_by == NNP_GROUP_OP ? NNP_GROUP_NONE : s->group_by + 1;
	s->groups.sel = s->groups.top = 0;
	s->groups.has_sel_key = false;
	if (s->view == TUI_VIEW_LAYERS) /* paused too: the model keeps the last numbers */
		fill_layers(s, m);
}

int tui_screen_update(struct tui_screen *s, const struct tui_model *m)
{
	int err;

	if (s->paused)
		return 0;
	err = tui_rows_procs(&s->procs, m);
	if (!err && s->view == TUI_VIEW_LAYERS)
		err = fill_layers(s, m);
	return err;
}

static void open_layers(struct tui_screen *s, const struct tui_model *m)
{
	uint64_t key;

	if (!tui_table_selected(&s->procs, &key))
		return;
	s->layer_tgid = (uint32_t)key;
	s->view = TUI_VIEW_LAYERS;
	s->layers.sel = s->layers.top = 0;
	s->layers.has_sel_key = false;
	s->groups.sel = s->groups.top = 0;
	s->groups.has_sel_key = false;
	fill_layers(s, m);
}

static void edit_filter(struct tui_table *t, int key, bool *editing)
{
	size_t n = strlen(t->filter);
	char f[sizeof(t->filter)];

	memcpy(f, t->filter, n + 1);
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		*editing = false;
		return;
	}
	if (key == KEY_ESC) {
		*editing = false;
		f[0] = 0;
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (n)
			f[n - 1] = 0;
	} else if (key == KEY_CTRL_U) {
		f[0] = 0;
	} else if (key >= 0 && key < 256 && isprint(key) && n + 1 < sizeof(f)) {
		f[n] = (char)key;
		f[n + 1] = 0;
	} else {
		return;
	}
	tui_table_set_filter(t, f);
}

static bool move_key(struct tui_screen *s, int key)
{
	struct tui_table *t = tui_screen_table(s);
	long page = s->page > 1 ? (long)s->page - 1 : 1;

	switch (key) {
	case KEY_UP:
		tui_table_move(t, -1);
		break;
	case KEY_DOWN:
		tui_table_move(t, 1);
		break;
	case KEY_PPAGE:
		tui_table_move(t, -page);
		break;
	case KEY_NPAGE:
		tui_table_move(t, page);
		break;
	case KEY_HOME:
		tui_table_home(t);
		break;
	case KEY_END:
		tui_table_end(t);
		break;
	default:
		return false;
	}
	return true;
}

static bool back_key(int key)
{
	return key == KEY_ESC || key == KEY_LEFT || key == KEY_BACKSPACE || key == 127 || key == 8;
}

bool tui_screen_key(struct tui_screen *s, const struct tui_model *m, int key)
{
	if (key == KEY_RESIZE)
		return true;
	if (s->help) {
		s->help =
		    !(key == 'q' || key == '?' || key == KEY_ESC || key == 'h' || key == KEY_F(1));
		return true;
	}
	if (s->editing) {
		edit_filter(tui_screen_table(s), key, &s->editing);
		return true;
	}
	if (move_key(s, key))
		return true;
	if ((key == '\n' || key == '\r' || key == KEY_ENTER || key == KEY_RIGHT) &&
	    s->view == TUI_VIEW_PROCS)
		open_layers(s, m);
	else if (back_key(key) && s->view == TUI_VIEW_LAYERS)
		s->view = TUI_VIEW_PROCS;
	else if (key == 's' || key == KEY_F(6))
		tui_table_sort_next(tui_screen_table(s));
	else if (key == 'S')
		tui_table_sort_reverse(tui_screen_table(s));
	else if (key == '/')
		s->editing = true;
	else if (key == 'g')
		next_group(s, m);
	else if (key == 'p' || key == ' ')
		s->paused = !s->paused;
	else if (key == '?' || key == 'h' || key == KEY_F(1))
		s->help = true;
	else if (key == 'q' || key == KEY_F(10))
		s->quit = true;
	else
		return false;
	return true;
}

static void print_table(const struct tui_table *t, FILE *f, int width)
{
	int widths[16];
	char line[TUI_LINE_LEN * 2];

	width = tui_table_layout(t, width, widths);
	tui_table_format_title(t, widths, width, line, sizeof(line));
	fprintf(f, "%s\n", line);
	for (size_t i = 0; i < t->nview; i++) {
		tui_table_format_row(t, i, widths, width, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

int tui_screen_print(struct tui_screen *s, const struct tui_model *m, const struct tui_header *h,
		     FILE *f, int width)
{
	char lines[TUI_HEADER_LINES][TUI_LINE_LEN];
	int err = tui_rows_procs(&s->procs, m);

	tui_header_lines(h, width, lines);
	for (int i = 0; i < TUI_HEADER_LINES; i++)
		fprintf(f, "%s\n", lines[i]);
	fprintf(f, "\n");
	print_table(&s->procs, f, width);
	for (size_t i = 0; i < s->procs.nview && !err; i++) {
		s->layer_tgid = (uint32_t)s->procs.keys[s->procs.view[i]];
		err = fill_layers(s, m);
		if (s->group_by == NNP_GROUP_NONE)
			fprintf(f, "\nLayers of %u %s:\n", s->layer_tgid, s->layer_comm);
		else
			fprintf(f, "\nLayers of %u %s by %s:\n", s->layer_tgid, s->layer_comm,
				nnp_group_by_str(s->group_by));
		print_table(layer_table(s), f, width);
	}
	fprintf(f, "\n");
	fflush(f);
	return err;
}

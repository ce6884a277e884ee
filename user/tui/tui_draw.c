// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Drawing the screens of `nnperf top` with ncurses (text comes from tui_table/tui_header). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "tui_screen.h"

#define FIRST_TABLE_LINE (TUI_HEADER_LINES + 1)

static const char *const help_text[] = {
	"nnperf top - keys",
	"",
	"Up/Down PgUp/PgDn Home/End  move the selection",
	"Enter, Right    show the selected process's layers",
	"Esc, Left, Backspace        back to the processes",
	"s, F6           sort by the next column",
	"S               reverse the sort order",
	"/               filter rows (Enter keeps, Esc clears)",
	"g               group layers: none, block, part, op",
	"p, Space        pause the display (collection goes on)",
	"?, h, F1        this help",
	"q               close help; quit",
	"",
	"Numbers cover the last refresh interval (-d).",
	"n/a: the kernel signal is not collected here;",
	"-: nothing ran in the interval.",
};

static void put_line(int y, int cols, const char *s, int attr)
{
	char buf[TUI_LINE_LEN];

	nnp_text_display(buf, sizeof(buf), s, (size_t)cols);
	if (attr)
		attron(attr);
	mvaddstr(y, 0, buf);
	if (attr)
		attroff(attr);
}

static void draw_title(struct tui_screen *s, int y, int cols)
{
	const struct tui_table *t = tui_screen_table(s);
	char l[TUI_LINE_LEN], f[sizeof(t->filter) + 16] = "";

	if (t->filter[0])
		snprintf(f, sizeof(f), "  filter: %s", t->filter);
	if (s->view == TUI_VIEW_PROCS)
		snprintf(l, sizeof(l), "Processes (%zu)%s", t->nview, f);
	else if (s->group_by == NNP_GROUP_NONE)
		snprintf(l, sizeof(l), "Layers of %u %s (%zu)%s  [Esc: back]", s->layer_tgid,
			 s->layer_comm, t->nview, f);
	else
		snprintf(l, sizeof(l), "Layers of %u %s by %s (%zu groups)%s  [Esc: back]",
			 s->layer_tgid, s->layer_comm, nnp_group_by_str(s->group_by), t->nview, f);
	put_line(y, cols, l, A_BOLD);
}

static void draw_table(struct tui_screen *s, int y, int rows, int cols)
{
	struct tui_table *t = tui_screen_table(s);
	char line[TUI_LINE_LEN * 2];
	int widths[16], width = tui_table_layout(t, cols, widths);
	size_t height = rows > y + 2 ? (size_t)(rows - y - 2) : 1, top;

	if (width > cols)
		width = cols;
	tui_table_format_title(t, widths, width, line, sizeof(line));
	put_line(y, cols, line, A_REVERSE | A_BOLD);
	s->page = height;
	top = tui_table_scroll(t, height);
	for (size_t i = 0; i < height && top + i < t->nview; i++) {
		tui_table_format_row(t, top + i, widths, width, line, sizeof(line));
		put_line(y + 1 + (int)i, cols, line, top + i == t->sel ? A_REVERSE : 0);
	}
}

static void draw_bottom(struct tui_screen *s, int y, int cols)
{
	const struct tui_table *t = tui_screen_table(s);
	char l[TUI_LINE_LEN];

	if (s->editing)
		snprintf(l, sizeof(l), "Filter: %s_   (Enter: keep, Esc: clear)", t->filter);
	else if (s->status[0])
		snprintf(l, sizeof(l), "%s", s->status);
	else
		snprintf(l, sizeof(l),
			 "%s  g group:%s  s/F6 sort  S reverse  / filter  p pause  ? help  q quit",
			 s->view == TUI_VIEW_PROCS ? "Enter layers" : "Esc back",
			 nnp_group_by_str(s->group_by));
	put_line(y, cols, l, s->editing ? A_BOLD : 0);
}

static void draw_help(int rows, int cols)
{
	int n = (int)(sizeof(help_text) / sizeof(help_text[0])), h = n + 2, w = 58;
	WINDOW *win;

	if (h > rows)
		h = rows;
	if (w > cols)
		w = cols;
	win = newwin(h, w, (rows - h) / 2, (cols - w) / 2);
	if (!win)
		return;
	werase(win);
	box(win, 0, 0);
	for (int i = 0; i < n && i + 1 < h - 1; i++)
		mvwaddnstr(win, i + 1, 2, help_text[i], w - 4);
	wnoutrefresh(stdscr);
	wnoutrefresh(win);
	doupdate();
	delwin(win);
}

void tui_screen_draw(struct tui_screen *s, const struct tui_header *h)
{
	char lines[TUI_HEADER_LINES][TUI_LINE_LEN];
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	tui_header_lines(h, cols, lines);
	for (int i = 0; i < TUI_HEADER_LINES && i < rows; i++)
		put_line(i, cols, lines[i], i == 0 ? A_BOLD : 0);
	if (rows > FIRST_TABLE_LINE + 1) {
		draw_title(s, TUI_HEADER_LINES, cols);
		draw_table(s, FIRST_TABLE_LINE, rows, cols);
	}
	if (rows > TUI_HEADER_LINES)
		draw_bottom(s, rows - 1, cols);
	if (s->help) {
		draw_help(rows, cols);
		return;
	}
	wnoutrefresh(stdscr);
	doupdate();
}

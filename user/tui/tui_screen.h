/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The screens of `nnperf top`: the process table, a process's layer table
 * or its group table, the filter prompt and the help overlay; the keys that move between them;
 * drawing with ncurses, or the same tables as plain text for batch mode.
 */
#ifndef NNP_TUI_SCREEN_H
#define NNP_TUI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "layer_group.h"
#include "tui_groups.h"
#include "tui_header.h"
#include "tui_model.h"
#include "tui_table.h"

enum tui_view { TUI_VIEW_PROCS, TUI_VIEW_LAYERS };

struct tui_screen {
	struct tui_table procs, layers, groups;
	enum tui_view view;
	enum nnp_group_by group_by; /* not NONE: the layer view shows groups (`g` cycles) */
	struct tui_groups g;
	uint32_t layer_tgid; /* whose layers the layer view shows */
	char layer_comm[40];
	bool paused, help, editing, quit;
	size_t page;	  /* table rows on screen, for PgUp/PgDn */
	char status[256]; /* a line for the bottom of the screen, "" = key hints */
};

int tui_screen_init(struct tui_screen *s, enum nnp_group_by group_by);
void tui_screen_free(struct tui_screen *s);
/* the table on screen: processes, layers or groups */
struct tui_table *tui_screen_table(struct tui_screen *s);
/* new numbers from the model (ignored while paused); 0 or -ENOMEM */
int tui_screen_update(struct tui_screen *s, const struct tui_model *m);
/* one key (ncurses codes); true when the screen needs drawing again */
bool tui_screen_key(struct tui_screen *s, const struct tui_model *m, int key);
/* draws everything on stdscr */
void tui_screen_draw(struct tui_screen *s, const struct tui_header *h);
/* batch mode: the header, the process table and each process's layer (or group) table,
 * `width` wide */
int tui_screen_print(struct tui_screen *s, const struct tui_model *m, const struct tui_header *h,
		     FILE *f, int width);

#endif

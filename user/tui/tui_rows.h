/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The two tables of `nnperf top`: their columns, and the model's rows turned
 * into cells (numbers for people, "-" when nothing ran in the window, "n/a"
 * when the kernel signal is not collected, target strings made safe).
 */
#ifndef NNP_TUI_ROWS_H
#define NNP_TUI_ROWS_H

#include <stddef.h>

#include "tui_groups.h"
#include "tui_model.h"
#include "tui_table.h"

enum tui_proc_col {
	PC_PID,
	PC_COMMAND,
	PC_MODEL,
	PC_INF_S,
	PC_P50,
	PC_P99,
	PC_LAYERS,
	PC_OFFCPU,
	PC_FLT_S,
	PC_NCOLS
};
enum tui_layer_col {
	LC_LAYER,
	LC_OP,
	LC_CALLS_S,
	LC_MEAN,
	LC_P99,
	LC_SHARE,
	LC_OFFCPU,
	LC_RUNQ,
	LC_FLT_S,
	LC_CMISS,
	LC_NCOLS
};

enum tui_group_col {
	GC_GROUP,
	GC_LAYERS,
	GC_CALLS_S,
	GC_SELF_INF,
	GC_SHARE,
	GC_OFFCPU,
	GC_RUNQ,
	GC_FLT_S,
	GC_NCOLS
};

extern const struct tui_col tui_proc_cols[PC_NCOLS];
extern const struct tui_col tui_layer_cols[LC_NCOLS];
extern const struct tui_col tui_group_cols[GC_NCOLS];

enum tui_unit { TUI_U_RATE, TUI_U_NS, TUI_U_SHARE, TUI_U_COUNT };

/* "1.52ms", "12.3k", "45.0%", "-" (nothing in the window), "n/a" */
void tui_fmt_val(char *buf, size_t len, struct tui_val v, enum tui_unit u);
/* refills the table (clear, rows, update); 0 or -ENOMEM */
int tui_rows_procs(struct tui_table *t, const struct tui_model *m);
/* child layers indented under their parent, two columns a level */
int tui_rows_layers(struct tui_table *t, const struct tui_proc_row *p);
int tui_rows_groups(struct tui_table *t, const struct tui_groups *g);

#endif

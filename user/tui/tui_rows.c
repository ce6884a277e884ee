// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>

#include "fmt.h"
#include "text.h"
#include "tui_rows.h"

#define NAME_COLS 40 /* a name is cut here before the table cuts it to the column */

/* the layer column sorts by first-seen order: network order, not alphabetical */
const struct tui_col tui_proc_cols[PC_NCOLS] = {
	[PC_PID] = { "PID", 7, TUI_RIGHT, TUI_NUM, false, false, true },
	[PC_COMMAND] = { "COMMAND", 15, TUI_LEFT, TUI_TEXT, true, false, true },
	[PC_MODEL] = { "MODEL", 9, TUI_LEFT, TUI_TEXT, false, false, true },
	[PC_INF_S] = { "INF/S", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[PC_P50] = { "P50", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[PC_P99] = { "P99", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[PC_LAYERS] = { "LAYERS", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[PC_OFFCPU] = { "OFFCPU", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[PC_FLT_S] = { "FLT/S", 6, TUI_RIGHT, TUI_NUM, false, true, false },
};

const struct tui_col tui_layer_cols[LC_NCOLS] = {
	[LC_LAYER] = { "LAYER", 10, TUI_LEFT, TUI_NUM, true, false, true },
	[LC_OP] = { "OP", 8, TUI_LEFT, TUI_TEXT, false, false, true },
	[LC_CALLS_S] = { "CALLS/S", 8, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_MEAN] = { "MEAN", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_P99] = { "P99", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_SHARE] = { "SHARE", 6, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_OFFCPU] = { "OFFCPU", 7, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_RUNQ] = { "RUNQ", 6, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_FLT_S] = { "FLT/S", 6, TUI_RIGHT, TUI_NUM, false, true, false },
	[LC_CMISS] = { "CMISS", 6, TUI_RIGHT, TUI_NUM, false, true, false },
};

static void fmt_count(char *buf, size_t len, double v)
{
	if (v < 10)
		snprintf(buf, len, "%.2f", v);
	else if (v < 1000)
		snprintf(buf, len, "%.1f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else
		snprintf(buf, len, "%.1fG", v / 1e9);
}

void tui_fmt_val(char *buf, size_t len, struct tui_val v, enum tui_unit u)
{
	if (v.st != TUI_V_OK) {
		snprintf(buf, len, "%s", v.st == TUI_V_NA ? "n/a" : "-");
		return;
	}
	switch (u) {
	case TUI_U_NS:
		nnp_fmt_duration(buf, len, v.v > 0 ? (uint64_t)(v.v + 0.5) : 0);
		break;
	case TUI_U_SHARE:
		snprintf(buf, len, "%.1f%%", v.v * 100);
		break;
	case TUI_U_RATE:
	case TUI_U_COUNT:
		fmt_count(buf, len, v.v);
		break;
	}
}

static void num(struct tui_cell *c, struct tui_val v, enum tui_unit u)
{
	tui_fmt_val(c->text, sizeof(c->text), v, u);
	c->num = v.v;
	c->missing = v.st != TUI_V_OK;
}

static void text(struct tui_cell *c, const char *s, double sort_key)
{
	nnp_text_display(c->text, sizeof(c->text), s, NAME_COLS);
	c->num = sort_key;
}

static void integer(struct tui_cell *c, uint64_t v)
{
	snprintf(c->text, sizeof(c->text), "%llu", (unsigned long long)v);
	c->num = (double)v;
}

int tui_rows_procs(struct tui_table *t, const struct tui_model *m)
{
	tui_table_clear(t);
	for (size_t i = 0; i < m->nrows; i++) {
		const struct tui_proc_row *p = m->rows[i];
		struct tui_cell *c = tui_table_add_row(t, p->tgid);
		char comm[40];

		if (!c)
			return -ENOMEM;
		integer(&c[PC_PID], p->tgid);
		snprintf(comm, sizeof(comm), "%s%s", p->comm, p->exited ? " (exited)" : "");
		text(&c[PC_COMMAND], comm, 0);
		text(&c[PC_MODEL], p->model, 0);
		num(&c[PC_INF_S], p->inf_s, TUI_U_RATE);
		num(&c[PC_P50], p->p50_ns, TUI_U_NS);
		num(&c[PC_P99], p->p99_ns, TUI_U_NS);
		integer(&c[PC_LAYERS], p->nlayers);
		num(&c[PC_OFFCPU], p->offcpu_share, TUI_U_SHARE);
		num(&c[PC_FLT_S], p->faults_s, TUI_U_RATE);
	}
	return tui_table_update(t);
}

int tui_rows_layers(struct tui_table *t, const struct tui_proc_row *p)
{
	tui_table_clear(t);
	for (size_t i = 0; p && i < p->nlayer_rows; i++) {
		const struct tui_layer_row *l = &p->layers[i];
		struct tui_cell *c = tui_table_add_row(t, l->key);

		if (!c)
			return -ENOMEM;
		text(&c[LC_LAYER], l->name, (double)l->order);
		text(&c[LC_OP], l->op[0] ? l->op : "-", 0);
		num(&c[LC_CALLS_S], l->calls_s, TUI_U_RATE);
		num(&c[LC_MEAN], l->mean_ns, TUI_U_NS);
		num(&c[LC_P99], l->p99_ns, TUI_U_NS);
		num(&c[LC_SHARE], l->share, TUI_U_SHARE);
		num(&c[LC_OFFCPU], l->offcpu_share, TUI_U_SHARE);
		num(&c[LC_RUNQ], l->runq_ns, TUI_U_NS);
		num(&c[LC_FLT_S], l->faults_s, TUI_U_RATE);
		num(&c[LC_CMISS], l->cmiss, TUI_U_COUNT);
	}
	return tui_table_update(t);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "text.h"
#include "tui_rows.h"

#define INDENT 2 /* columns per nesting level */

/* text columns are as wide as their widest value, within {width, max}; the LAYER and
 * GROUP columns sort by execution order: network order, not alphabetical */
const struct tui_col tui_proc_cols[PC_NCOLS] = {
	[PC_PID] = { "PID", 7, TUI_RIGHT, TUI_NUM, false, false, true, 0 },
	[PC_COMMAND] = { "COMMAND", 12, TUI_LEFT, TUI_TEXT, true, false, true, 24 },
	[PC_MODEL] = { "MODEL", 6, TUI_LEFT, TUI_TEXT, true, false, true, 40 },
	[PC_INF_S] = { "INF/S", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[PC_P50] = { "P50", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[PC_P99] = { "P99", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[PC_LAYERS] = { "LAYERS", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[PC_OFFCPU] = { "OFFCPU", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[PC_FLT_S] = { "FLT/S", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
};

const struct tui_col tui_layer_cols[LC_NCOLS] = {
	[LC_LAYER] = { "LAYER", 10, TUI_LEFT, TUI_NUM, true, false, true, 48 },
	[LC_OP] = { "OP", 6, TUI_LEFT, TUI_TEXT, true, false, true, 20 },
	[LC_CALLS_S] = { "CALLS/S", 8, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_MEAN] = { "MEAN", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_P99] = { "P99", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_SHARE] = { "SHARE", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_OFFCPU] = { "OFFCPU", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_RUNQ] = { "RUNQ", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_FLT_S] = { "FLT/S", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[LC_CMISS] = { "CMISS", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
};

const struct tui_col tui_group_cols[GC_NCOLS] = {
	[GC_GROUP] = { "GROUP", 10, TUI_LEFT, TUI_NUM, true, false, true, 48 },
	[GC_LAYERS] = { "LAYERS", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[GC_CALLS_S] = { "CALLS/S", 8, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[GC_SELF_INF] = { "SELF/INF", 9, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[GC_SHARE] = { "SHARE", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[GC_OFFCPU] = { "OFFCPU", 7, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[GC_RUNQ] = { "RUNQ", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
	[GC_FLT_S] = { "FLT/S", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
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

/* a name made safe, cut at its column's maximum after `indent` spaces */
static void text(struct tui_cell *c, const struct tui_col *col, unsigned int indent, const char *s,
		 double sort_key)
{
	int max = col->max > col->width ? col->max : col->width;

	if (indent > (unsigned int)max / 2)
		indent = (unsigned int)max / 2;
	memset(c->text, ' ', indent);
	nnp_text_display(c->text + indent, sizeof(c->text) - indent, s, (size_t)max - indent);
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
		text(&c[PC_COMMAND], &tui_proc_cols[PC_COMMAND], 0, comm, 0);
		text(&c[PC_MODEL], &tui_proc_cols[PC_MODEL], 0, p->model, 0);
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
		text(&c[LC_LAYER], &tui_layer_cols[LC_LAYER], l->depth * INDENT, l->name,
		     (double)l->order);
		text(&c[LC_OP], &tui_layer_cols[LC_OP], 0, l->op[0] ? l->op : "-", 0);
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

int tui_rows_groups(struct tui_table *t, const struct tui_groups *g)
{
	tui_table_clear(t);
	for (size_t i = 0; g && i < g->n; i++) {
		const struct tui_group_row *r = &g->rows[i];
		struct tui_cell *c = tui_table_add_row(t, r->key);

		if (!c)
			return -ENOMEM;
		text(&c[GC_GROUP], &tui_group_cols[GC_GROUP], 0, r->name, (double)r->order);
		integer(&c[GC_LAYERS], r->nlayers);
		num(&c[GC_CALLS_S], r->calls_s, TUI_U_RATE);
		num(&c[GC_SELF_INF], r->self_inf_ns, TUI_U_NS);
		num(&c[GC_SHARE], r->share, TUI_U_SHARE);
		num(&c[GC_OFFCPU], r->offcpu_share, TUI_U_SHARE);
		num(&c[GC_RUNQ], r->runq_ns, TUI_U_NS);
		num(&c[GC_FLT_S], r->faults_s, TUI_U_RATE);
	}
	return tui_table_update(t);
}

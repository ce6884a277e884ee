// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui_rows.h"
#include "tui_table.h"

enum { C_NAME, C_OP, C_TIME, NCOLS };

/* NAME as wide as its widest value, 8 to 12 columns */
static const struct tui_col cols[NCOLS] = {
	[C_NAME] = { "NAME", 8, TUI_LEFT, TUI_TEXT, true, false, true, 12 },
	[C_OP] = { "OP", 6, TUI_LEFT, TUI_TEXT, false, false, false, 0 },
	[C_TIME] = { "TIME", 6, TUI_RIGHT, TUI_NUM, false, true, false, 0 },
};

struct row {
	const char *name, *op;
	double time;
	bool missing;
};

static void fill(struct tui_table *t, const struct row *rows, size_t n)
{
	tui_table_clear(t);
	for (size_t i = 0; i < n; i++) {
		struct tui_cell *c = tui_table_add_row(t, 100 + i);

		assert_non_null(c);
		snprintf(c[C_NAME].text, sizeof(c[C_NAME].text), "%s", rows[i].name);
		snprintf(c[C_OP].text, sizeof(c[C_OP].text), "%s", rows[i].op);
		if (rows[i].missing)
			snprintf(c[C_TIME].text, sizeof(c[C_TIME].text), "n/a");
		else
			snprintf(c[C_TIME].text, sizeof(c[C_TIME].text), "%.0f", rows[i].time);
		c[C_TIME].num = rows[i].time;
		c[C_TIME].missing = rows[i].missing;
	}
	assert_int_equal(tui_table_update(t), 0);
}

static const struct row five[] = {
	{ "conv1", "conv2d", 30, false }, { "Relu1", "relu", 5, false },
	{ "pool1", "maxpool", 0, true },  { "conv2", "conv2d", 90, false },
	{ "fc1", "fc", 5, false },
};

static void assert_order(const struct tui_table *t, const char *const *names, size_t n)
{
	assert_int_equal(t->nview, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(tui_table_cell(t, i, C_NAME)->text, names[i]);
}

static int setup(void **state)
{
	struct tui_table *t = calloc(1, sizeof(*t));

	if (!t || tui_table_init(t, cols, NCOLS, C_NAME))
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tui_table_free(*state);
	free(*state);
	return 0;
}

static void test_sort_text_and_numbers(void **state)
{
	static const char *const by_name[] = { "conv1", "conv2", "fc1", "pool1", "Relu1" };
	static const char *const by_op[] = { "conv1", "conv2", "fc1", "pool1", "Relu1" };
	/* descending first (the column says so); ties keep insertion order; n/a last */
	static const char *const by_time[] = { "conv2", "conv1", "Relu1", "fc1", "pool1" };
	static const char *const by_time_up[] = { "Relu1", "fc1", "conv1", "conv2", "pool1" };
	static const char *const by_name_down[] = { "Relu1", "pool1", "fc1", "conv2", "conv1" };
	struct tui_table *t = *state;

	fill(t, five, 5);
	assert_order(t, by_name, 5); /* text compares ignoring case */
	tui_table_sort_next(t);
	assert_int_equal(t->sort_col, C_OP);
	assert_false(t->sort_desc);
	assert_order(t, by_op, 5);
	tui_table_sort_next(t);
	assert_int_equal(t->sort_col, C_TIME);
	assert_true(t->sort_desc);
	assert_order(t, by_time, 5);
	tui_table_sort_reverse(t);
	assert_order(t, by_time_up, 5);
	tui_table_sort_next(t); /* wraps to the first column */
	assert_int_equal(t->sort_col, C_NAME);
	tui_table_sort_reverse(t);
	assert_order(t, by_name_down, 5);
}

static void test_filter(void **state)
{
	static const char *const conv[] = { "conv1", "conv2" };
	struct tui_table *t = *state;
	uint64_t key;

	fill(t, five, 5);
	tui_table_set_filter(t, "CONV");
	assert_order(t, conv, 2);
	/* OP is not a filter column: "relu" there does not count, the name's "Relu1" does */
	tui_table_set_filter(t, "maxpool");
	assert_int_equal(t->nview, 0);
	assert_false(tui_table_selected(t, &key));
	tui_table_move(t, 1);
	assert_false(tui_table_selected(t, &key));
	tui_table_set_filter(t, "elu");
	assert_int_equal(t->nview, 1);
	assert_true(tui_table_selected(t, &key));
	assert_int_equal(key, 101);
	fill(t, five, 5); /* a refresh keeps the filter */
	assert_int_equal(t->nview, 1);
	tui_table_set_filter(t, "");
	assert_int_equal(t->nview, 5);
}

/* the selection follows its row through sorts and refreshes */
static void test_selection_follows_key(void **state)
{
	struct tui_table *t = *state;
	uint64_t key;

	fill(t, five, 5);
	tui_table_move(t, 2); /* conv1, conv2, fc1: fc1 */
	assert_true(tui_table_selected(t, &key));
	assert_int_equal(key, 104);
	tui_table_sort_next(t);
	tui_table_sort_next(t);
	assert_true(tui_table_selected(t, &key));
	assert_int_equal(key, 104);
	assert_int_equal(t->sel, 3);
	fill(t, five, 5);
	assert_true(tui_table_selected(t, &key));
	assert_int_equal(key, 104);
}

static void test_selection_clamped_on_shrink(void **state)
{
	struct tui_table *t = *state;
	uint64_t key;

	fill(t, five, 5);
	tui_table_end(t);
	assert_int_equal(t->sel, 4);
	tui_table_move(t, -1); /* pool1, key 102 */
	fill(t, five, 2);      /* the selected row went: the index stays, clamped */
	assert_int_equal(t->sel, 1);
	assert_true(tui_table_selected(t, &key));
	fill(t, five, 0);
	assert_int_equal(t->sel, 0);
	assert_false(tui_table_selected(t, &key));
	tui_table_move(t, -3);
	tui_table_move(t, 1000);
	assert_int_equal(t->sel, 0);
	fill(t, five, 5);
	tui_table_move(t, 1000);
	assert_int_equal(t->sel, 4);
	tui_table_move(t, -1000);
	assert_int_equal(t->sel, 0);
}

static void test_scroll_window(void **state)
{
	struct tui_table *t = *state;
	struct row rows[20];
	char names[20][8];

	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "l%02d", i);
		rows[i] = (struct row){ names[i], "op", i, false };
	}
	fill(t, rows, 20);
	assert_int_equal(tui_table_scroll(t, 5), 0);
	tui_table_move(t, 4);
	assert_int_equal(tui_table_scroll(t, 5), 0); /* still visible */
	tui_table_move(t, 1);
	assert_int_equal(tui_table_scroll(t, 5), 1); /* one line down */
	tui_table_move(t, 9);			     /* a page: sel 14 */
	assert_int_equal(tui_table_scroll(t, 5), 10);
	tui_table_move(t, -2); /* inside the window: no scroll */
	assert_int_equal(tui_table_scroll(t, 5), 10);
	tui_table_end(t);
	assert_int_equal(tui_table_scroll(t, 5), 15);
	tui_table_home(t);
	assert_int_equal(tui_table_scroll(t, 5), 0);
	tui_table_end(t);
	assert_int_equal(tui_table_scroll(t, 5), 15);
	/* a taller screen shows every row from the top */
	assert_int_equal(tui_table_scroll(t, 30), 0);
	/* after a shrink the window is filled, not left mostly empty */
	assert_int_equal(tui_table_scroll(t, 5), 15);
	fill(t, rows, 8);
	assert_int_equal(t->sel, 7);
	assert_int_equal(tui_table_scroll(t, 5), 3);
	assert_int_equal(tui_table_scroll(t, 0), 7); /* height 0 counts as 1 */
}

static void test_format(void **state)
{
	struct tui_table *t = *state;
	int widths[NCOLS];
	char line[256];

	fill(t, five, 5);
	/* NAME at its minimum (the names are shorter); TIME 4 wider, the rest stays blank */
	assert_int_equal(tui_table_layout(t, 30, widths), 26);
	assert_int_equal(widths[C_NAME], 8);
	assert_int_equal(widths[C_TIME], 6 + TUI_NUM_GROW);
	tui_table_format_title(t, widths, 26, line, sizeof(line));
	assert_string_equal(line, "^NAME    OP           TIME");
	tui_table_format_row(t, 0, widths, 26, line, sizeof(line));
	assert_string_equal(line, "conv1    conv2d         30");
	/* narrower than the columns: cut at the width, with an ellipsis */
	assert_int_equal(tui_table_layout(t, 10, widths), 22);
	tui_table_format_row(t, 1, widths, 12, line, sizeof(line));
	assert_string_equal(line, "conv2    co\xe2\x80\xa6");
	tui_table_sort_next(t);
	tui_table_sort_next(t);
	tui_table_format_title(t, widths, 22, line, sizeof(line));
	assert_string_equal(line, "NAME     OP      vTIME");
	tui_table_format_row(t, 4, widths, 22, line, sizeof(line));
	assert_string_equal(line, "pool1    maxpo\xe2\x80\xa6    n/a");
}

/* a fit column follows its widest visible value, within its minimum and maximum */
static void test_fit_widths(void **state)
{
	static const struct row rows[] = {
		{ "conv1", "conv2d", 30, false },
		{ "blk.10.attn_q", "mul_mat", 5, false }, /* 13: over the maximum */
		{ "fc_layer1", "fc", 5, false },	  /* 9 */
	};
	struct tui_table *t = *state;
	int widths[NCOLS];
	char line[256];

	fill(t, rows, 3);
	assert_int_equal(tui_table_layout(t, 30, widths), 30);
	assert_int_equal(widths[C_NAME], 12);
	assert_int_equal(widths[C_TIME], 10);			    /* 6 + the 4 left */
	tui_table_format_row(t, 0, widths, 30, line, sizeof(line)); /* sorted by name */
	assert_string_equal(line, "blk.10.attn\xe2\x80\xa6 mul_m\xe2\x80\xa6          5");
	/* a narrower screen takes it back towards its minimum first */
	assert_int_equal(tui_table_layout(t, 24, widths), 24);
	assert_int_equal(widths[C_NAME], 10);
	assert_int_equal(widths[C_TIME], 6);
	/* a wide one: the numbers get at most TUI_NUM_GROW more, the line ends early */
	assert_int_equal(tui_table_layout(t, 200, widths), 12 + 6 + 6 + TUI_NUM_GROW + 2);
	/* only what the filter leaves counts */
	tui_table_set_filter(t, "fc_");
	tui_table_layout(t, 30, widths);
	assert_int_equal(widths[C_NAME], 9);
	tui_table_set_filter(t, "conv");
	tui_table_layout(t, 30, widths);
	assert_int_equal(widths[C_NAME], 8);
}

static void fill_layers(struct tui_table *t, const char *const *names, size_t n)
{
	tui_table_clear(t);
	for (size_t i = 0; i < n; i++) {
		struct tui_cell *c = tui_table_add_row(t, i);

		assert_non_null(c);
		snprintf(c[LC_LAYER].text, sizeof(c[LC_LAYER].text), "%s", names[i]);
		snprintf(c[LC_OP].text, sizeof(c[LC_OP].text), "conv2d");
		for (int k = LC_CALLS_S; k < LC_NCOLS; k++)
			snprintf(c[k].text, sizeof(c[k].text), "99.9%%");
		c[LC_LAYER].num = (double)i;
	}
	assert_int_equal(tui_table_update(t), 0);
}

/* the layer table on 80 and 160 columns: names short and long */
static void test_layer_widths_80_160(void **state)
{
	static const char *const tiny[] = { "conv1", "  bn1", "relu1", "softmax" };
	static const char *const long_names[] = { "features.denseblock4.denselayer16.conv2",
						  "classifier" };
	struct tui_table t;
	int w[LC_NCOLS], nums = LC_NCOLS - LC_CALLS_S;
	char line[512];

	(void)state;
	assert_int_equal(tui_table_init(&t, tui_layer_cols, LC_NCOLS, LC_LAYER), 0);
	fill_layers(&t, tiny, 4);
	/* the minimums take 78 columns: 10 + 6 + 8 numbers (53) + 9 spaces */
	assert_int_equal(tui_table_layout(&t, 80, w), 80);
	assert_int_equal(w[LC_LAYER], 10);
	assert_int_equal(w[LC_OP], 6);
	/* 160: LAYER stays narrow, the numbers spread out, up to TUI_NUM_GROW more each */
	assert_int_equal(tui_table_layout(&t, 160, w), 78 + nums * TUI_NUM_GROW);
	assert_int_equal(w[LC_LAYER], 10);
	assert_int_equal(w[LC_CALLS_S], tui_layer_cols[LC_CALLS_S].width + TUI_NUM_GROW);
	tui_table_format_row(&t, 1, w, 160, line, sizeof(line));
	assert_memory_equal(line, "  bn1      conv2d", 17);

	fill_layers(&t, long_names, 2);
	assert_int_equal(tui_table_layout(&t, 160, w), 39 + 6 + 53 + 9 + nums * TUI_NUM_GROW);
	assert_int_equal(w[LC_LAYER], 39);
	assert_int_equal(tui_table_layout(&t, 80, w), 80);
	assert_int_equal(w[LC_LAYER], 12); /* what the minimums leave; cut, with an ellipsis */
	tui_table_format_row(&t, 0, w, 80, line, sizeof(line));
	assert_memory_equal(line, "features.de\xe2\x80\xa6 conv2d", 21);
	tui_table_free(&t);
}

/* the process table at 80 columns: MODEL gives way before COMMAND */
static void test_proc_widths_80(void **state)
{
	struct tui_table t;
	struct tui_cell *c;
	int w[PC_NCOLS];

	(void)state;
	assert_int_equal(tui_table_init(&t, tui_proc_cols, PC_NCOLS, PC_PID), 0);
	tui_table_clear(&t);
	c = tui_table_add_row(&t, 1);
	assert_non_null(c);
	snprintf(c[PC_PID].text, sizeof(c[PC_PID].text), "4242");
	snprintf(c[PC_COMMAND].text, sizeof(c[PC_COMMAND].text), "nnperf-tinynet");
	snprintf(c[PC_MODEL].text, sizeof(c[PC_MODEL].text), "nnperf-tinynet");
	assert_int_equal(tui_table_update(&t), 0);
	assert_int_equal(tui_table_layout(&t, 80, w), 80);
	assert_int_equal(w[PC_COMMAND], 14);
	assert_int_equal(w[PC_MODEL], 10);
	assert_int_equal(tui_table_layout(&t, 160, w), 7 + 14 + 14 + 41 + 8 + 7 * TUI_NUM_GROW);
	tui_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sort_text_and_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_follows_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_clamped_on_shrink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scroll_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fit_widths, setup, teardown),
		cmocka_unit_test(test_layer_widths_80_160),
		cmocka_unit_test(test_proc_widths_80),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui_table.h"

enum { C_NAME, C_OP, C_TIME, NCOLS };

static const struct tui_col cols[NCOLS] = {
	[C_NAME] = { "NAME", 8, TUI_LEFT, TUI_TEXT, true, false, true },
	[C_OP] = { "OP", 6, TUI_LEFT, TUI_TEXT, false, false, false },
	[C_TIME] = { "TIME", 6, TUI_RIGHT, TUI_NUM, false, true, false },
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
	assert_int_equal(tui_table_layout(t, 30, widths), 30);
	assert_int_equal(widths[C_NAME], 16); /* 8 + the 8 columns left over */
	tui_table_format_title(t, widths, 30, line, sizeof(line));
	assert_string_equal(line, "^NAME            OP       TIME");
	tui_table_format_row(t, 0, widths, 30, line, sizeof(line));
	assert_string_equal(line, "conv1            conv2d     30");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sort_text_and_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_follows_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_clamped_on_shrink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scroll_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

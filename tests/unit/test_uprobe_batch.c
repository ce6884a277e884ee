// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Grouping of planned uprobe sites into uprobe_multi links (uprobe_batch.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "uprobe_batch.h"

/* what the flush handed out: one line per group */
struct seen {
	char groups[16][128];
	int n;
	int fail_at; /* the group whose callback fails, -1 for none */
};

static int on_group(void *ctx, const struct nnp_usite *g, size_t n)
{
	struct seen *s = ctx;
	char *line = s->groups[s->n];
	size_t used;

	used =
	    (size_t)snprintf(line, 128, "%s %d %s:", g->ret ? "ret" : "ent", (int)g->pid, g->path);
	for (size_t i = 0; i < n; i++) {
		/* every site of a group shares its file, process and direction */
		assert_string_equal(g[i].path, g->path);
		assert_int_equal(g[i].pid, g->pid);
		assert_int_equal(g[i].ret, g->ret);
		used += (size_t)snprintf(line + used, 128 - used, " %u", g[i].cookie);
	}
	return s->n++ == s->fail_at ? -EIO : 0;
}

static void add(struct nnp_ubatch *b, const char *path, int pid, bool ret, uint32_t cookie)
{
	char label[16];
	struct nnp_usite s = { .path = (char *)path,
			       .label = label,
			       .pid = pid,
			       .ret = ret,
			       .off = 0x1000 + cookie,
			       .cookie = cookie };

	snprintf(label, sizeof(label), "f%u", cookie);
	assert_int_equal(nnp_ubatch_add(b, &s), 0);
}

/* returns before entries, one group per (file, pid, direction), arrival order inside */
static void test_groups(void **state)
{
	struct nnp_ubatch b = { 0 };
	struct seen s = { .fail_at = -1 };

	(void)state;
	add(&b, "/lib/b.so", 7, true, 1);
	add(&b, "/lib/b.so", 7, false, 2);
	add(&b, "/lib/a.so", 7, true, 3);
	add(&b, "/lib/a.so", 7, false, 4);
	add(&b, "/lib/b.so", 7, true, 5);
	add(&b, "/lib/b.so", 7, false, 6);
	add(&b, "/lib/b.so", 9, false, 7);
	assert_int_equal(nnp_ubatch_flush(&b, on_group, &s), 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.groups[0], "ret 7 /lib/a.so: 3");
	assert_string_equal(s.groups[1], "ret 7 /lib/b.so: 1 5");
	assert_string_equal(s.groups[2], "ent 7 /lib/a.so: 4");
	assert_string_equal(s.groups[3], "ent 7 /lib/b.so: 2 6");
	assert_string_equal(s.groups[4], "ent 9 /lib/b.so: 7");
	assert_int_equal(b.n, 0);
	/* empty: no callback */
	assert_int_equal(nnp_ubatch_flush(&b, on_group, &s), 0);
	assert_int_equal(s.n, 5);
	nnp_ubatch_free(&b);
}

/* a failing group stops the flush and the batch is emptied anyway */
static void test_failure(void **state)
{
	struct nnp_ubatch b = { 0 };
	struct seen s = { .fail_at = 0 };

	(void)state;
	add(&b, "/lib/a.so", 1, false, 1);
	add(&b, "/lib/a.so", 1, true, 2);
	assert_int_equal(nnp_ubatch_flush(&b, on_group, &s), -EIO);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.groups[0], "ret 1 /lib/a.so: 2");
	assert_int_equal(b.n, 0);
	nnp_ubatch_free(&b);
}

/* a definition that fails drops only its own sites; the sites are copies */
static void test_drop_and_copies(void **state)
{
	struct nnp_ubatch b = { 0 };
	struct seen s = { .fail_at = -1 };
	char path[32] = "/lib/a.so";

	(void)state;
	for (uint32_t i = 0; i < 100; i++)
		add(&b, path, 1, false, i);
	strcpy(path, "/lib/zzzz.so");
	add(&b, "/lib/b.so", 1, false, 100);
	add(&b, "/lib/b.so", 1, true, 101);
	nnp_ubatch_drop(&b, 100);
	assert_int_equal(b.n, 100);
	nnp_ubatch_drop(&b, 200); /* past the end: nothing */
	assert_int_equal(b.n, 100);
	assert_int_equal(nnp_ubatch_flush(&b, on_group, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(strncmp(s.groups[0], "ent 1 /lib/a.so: 0 1 2 3", 24), 0);
	nnp_ubatch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_failure),
		cmocka_unit_test(test_drop_and_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

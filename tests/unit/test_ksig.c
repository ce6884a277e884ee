// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel signals: sums in the aggregator, preemptor table, the view every
 * output uses (n/a, never 0, for what was not collected), counter lists. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agg.h"
#include "counters.h"
#include "ksig_view.h"

#define T1 5000001u

static const struct nnp_ksig_field *find(const struct nnp_ksig_field *f, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].key, key))
			return &f[i];
	return NULL;
}

static void test_layer_sums(void **state)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = T1, .probe_id = 1 },
		.start_ns = 100,
		.end_ns = 2100,
		.k = { .offcpu_ns = 1500,
		       .runq_ns = 10,
		       .minflt = 7,
		       .ivcsw = 1,
		       .counters = { 3, 5 } },
	};
	struct nnp_agg a;
	struct nnp_layer_stats *l;
	struct nnp_proc_stats *p;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	assert_int_equal(nnp_agg_event(&a, &e, sizeof(e)), 0);
	assert_int_equal(nnp_agg_event(&a, &e, sizeof(e)), 0);
	p = nnp_agg_proc(&a, T1);
	assert_non_null(p);
	l = p->layers;
	assert_non_null(l);
	assert_int_equal(l->k.offcpu_ns, 3000);
	assert_int_equal(l->k.runq_ns, 20);
	assert_int_equal(l->k.minflt, 14);
	assert_int_equal(l->k.ivcsw, 2);
	assert_int_equal(l->k.counters[0], 6);
	assert_int_equal(l->k.counters[1], 10);
	nnp_agg_free(&a);
}

static int preempt(struct nnp_agg *a, uint32_t by, const char *comm, uint64_t ns)
{
	struct nnp_preempt_event e = {
		.hdr = { .type = NNP_EV_PREEMPT, .tgid = T1, .tid = T1 },
		.infer_seq = 1,
		.start_ns = 1000,
		.end_ns = 1000 + ns,
		.by_pid = by,
		.by_tgid = by,
	};

	snprintf(e.by_comm, sizeof(e.by_comm), "%s", comm);
	return nnp_agg_event(a, &e, sizeof(e));
}

static void test_preemptors(void **state)
{
	struct nnp_preemptor **v;
	struct nnp_proc_stats *p;
	struct nnp_agg a;
	size_t n;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	assert_int_equal(preempt(&a, 10, "kworker", 100), 0);
	assert_int_equal(preempt(&a, 20, "hog", 5000), 0);
	assert_int_equal(preempt(&a, 10, "kworker", 300), 0);
	p = nnp_agg_proc(&a, T1);
	assert_int_equal(nnp_agg_sorted_preemptors(p, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0]->comm, "hog");
	assert_int_equal(v[0]->total_ns, 5000);
	assert_int_equal(v[1]->count, 2);
	assert_int_equal(v[1]->total_ns, 400);
	free(v);
	/* bounded: beyond NNP_MAX_PREEMPTORS tasks are counted together */
	for (uint32_t pid = 100; pid < 100 + NNP_MAX_PREEMPTORS; pid++)
		assert_int_equal(preempt(&a, pid, "t", 1), 0);
	assert_int_equal(p->npreemptors, NNP_MAX_PREEMPTORS);
	assert_int_equal(p->preempt_other_count, 2);
	assert_int_equal(p->preempt_other_ns, 2);
	nnp_agg_free(&a);
}

static void test_view_unavailable_is_not_zero(void **state)
{
	struct nnp_counters c;
	struct nnp_rec_kernel ki = {
		.sched = "none", .fault = "none", .fault_why = "n/a (x)", .counters = &c
	};
	struct nnp_ksig_sum s = { .offcpu_ns = 50, .minflt = 9 };
	struct nnp_ksig_field f[NNP_KSIG_MAX_FIELDS];
	const struct nnp_ksig_field *x;
	int n;

	(void)state;
	assert_int_equal(nnp_counters_parse(&c, "cycles,instructions"), 0);
	c.req[0].slot = -1;
	strcpy(c.req[0].why, "n/a (no hardware PMU)");
	c.req[1].slot = -1;
	strcpy(c.req[1].why, "n/a (no hardware PMU)");
	n = nnp_ksig_view(&ki, &s, 3, 900, f);
	x = find(f, n, "offcpu_ns");
	assert_false(x->available);
	assert_string_equal(x->why, "n/a (no scheduler hooks)");
	assert_false(find(f, n, "oncpu_ns")->available);
	assert_false(find(f, n, "fault_ns")->available);
	assert_string_equal(find(f, n, "cycles")->why, "n/a (no hardware PMU)");
	assert_false(find(f, n, "ipc")->available);
	x = find(f, n, "minflt");
	assert_true(x->available);
	assert_int_equal(x->total, 9);
	assert_true(x->mean > 2.99 && x->mean < 3.01);
}

static void test_view_derived(void **state)
{
	struct nnp_counters c;
	struct nnp_rec_kernel ki = { .sched = "tp_btf", .fault = "fentry", .counters = &c };
	struct nnp_ksig_sum s = { .offcpu_ns = 100, .fault_ns = 40, .counters = { 2000, 1000, 6 } };
	struct nnp_ksig_field f[NNP_KSIG_MAX_FIELDS];
	int n;

	(void)state;
	assert_int_equal(nnp_counters_parse(&c, "instructions,cycles,cache-misses"), 0);
	for (int i = 0; i < 3; i++)
		c.req[i].slot = i;
	n = nnp_ksig_view(&ki, &s, 2, 1000, f);
	assert_int_equal(find(f, n, "oncpu_ns")->total, 900);
	assert_int_equal(find(f, n, "fault_ns")->total, 40);
	assert_true(find(f, n, "ipc")->mean > 1.99 && find(f, n, "ipc")->mean < 2.01);
	assert_true(find(f, n, "mpki")->mean > 2.99 && find(f, n, "mpki")->mean < 3.01);
	assert_int_equal(find(f, n, "cache_misses")->total, 6);
}

static void test_counter_list(void **state)
{
	struct nnp_counters c;

	(void)state;
	assert_int_equal(nnp_counters_parse(&c, "page-faults,,cpu-clock"), 0);
	assert_int_equal(c.nreq, 2);
	assert_string_equal(c.req[1].name, "cpu-clock");
	assert_int_equal(nnp_counters_parse(&c, ""), 0);
	assert_int_equal(c.nreq, 0);
	assert_int_equal(nnp_counters_parse(&c, "cycles,bogus"), -EINVAL);
	assert_int_equal(nnp_counters_parse(&c, "cycles,cycles,cycles,cycles,cycles,cycles,"
						"cycles,cycles,cycles"),
			 -EINVAL);
	assert_true(nnp_counter_known("llc-misses"));
	assert_false(nnp_counter_known("cache-miss"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_sums),
		cmocka_unit_test(test_preemptors),
		cmocka_unit_test(test_view_unavailable_is_not_zero),
		cmocka_unit_test(test_view_derived),
		cmocka_unit_test(test_counter_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

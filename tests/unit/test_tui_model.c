// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
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
#include "tui_groups.h"
#include "tui_model.h"
#include "tui_rows.h"

/* above any possible pid_max: /proc/TGID never exists */
#define T1 5000001u
#define SEC 1000000000ull
#define US 1000ull

struct fixture {
	struct nnp_agg a;
	struct tui_model m;
	struct nnp_counters ctr;
	struct nnp_rec_kernel ki;
	uint64_t clock; /* event time */
	uint64_t seq;
};

/* one inference of two layers: conv (probe 1) then relu (probe 2), back to back */
static void inference(struct fixture *f, uint64_t conv_ns, uint64_t relu_ns,
		      const struct nnp_ksig *conv_k)
{
	uint64_t t0 = f->clock, seq = ++f->seq;
	struct nnp_layer_event conv = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = T1, .probe_id = 1 },
		.key = 1,
		.start_ns = t0,
		.end_ns = t0 + conv_ns,
		.infer_seq = seq,
	};
	struct nnp_layer_event relu = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = T1, .probe_id = 2 },
		.key = 2,
		.start_ns = t0 + conv_ns,
		.end_ns = t0 + conv_ns + relu_ns,
		.infer_seq = seq,
	};
	struct nnp_infer_event inf = {
		.hdr = { .type = NNP_EV_INFER, .tgid = T1, .tid = T1 },
		.start_ns = t0,
		.end_ns = t0 + conv_ns + relu_ns,
		.infer_seq = seq,
	};

	if (conv_k)
		conv.k = *conv_k;
	assert_int_equal(nnp_agg_event(&f->a, &conv, sizeof(conv)), 0);
	assert_int_equal(nnp_agg_event(&f->a, &relu, sizeof(relu)), 0);
	assert_int_equal(nnp_agg_event(&f->a, &inf, sizeof(inf)), 0);
	f->clock += conv_ns + relu_ns;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || nnp_agg_init(&f->a, NULL))
		return -1;
	nnp_agg_add_probe(&f->a, 1, "conv", "conv2d", "usdt");
	nnp_agg_add_probe(&f->a, 2, "relu", "relu", "usdt");
	f->ctr.nreq = 1;
	snprintf(f->ctr.req[0].name, sizeof(f->ctr.req[0].name), "cache-misses");
	f->ctr.req[0].slot = -1;
	snprintf(f->ctr.req[0].why, sizeof(f->ctr.req[0].why), "n/a (no hardware PMU)");
	f->ki = (struct nnp_rec_kernel){ .sched = "tp_btf",
					 .fault = "none",
					 .fault_why = "n/a (no fentry or kprobes)",
					 .counters = &f->ctr };
	f->clock = 1000;
	tui_model_init(&f->m, &f->ki, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tui_model_free(&f->m);
	nnp_agg_free(&f->a);
	free(f);
	return 0;
}

static const struct tui_layer_row *layer(const struct tui_model *m, const char *name)
{
	const struct tui_proc_row *p = tui_model_proc(m, T1);

	assert_non_null(p);
	for (size_t i = 0; i < p->nlayer_rows; i++)
		if (!strcmp(p->layers[i].name, name))
			return &p->layers[i];
	fail_msg("no layer %s", name);
	return NULL;
}

static void assert_val(struct tui_val v, double want, double tol)
{
	assert_int_equal(v.st, TUI_V_OK);
	if (fabs(v.v - want) > tol)
		fail_msg("value %g, want %g (+- %g)", v.v, want, tol);
}

static void update(struct fixture *f, uint64_t now)
{
	assert_int_equal(tui_model_update(&f->m, &f->a, NULL, NULL, now), 0);
}

/* the second window's numbers describe only the calls made in it */
static void test_rates_from_two_snapshots(void **state)
{
	struct fixture *f = *state;
	const struct tui_proc_row *p;

	for (int i = 0; i < 30; i++)
		inference(f, 400 * US, 600 * US, NULL);
	update(f, 1 * SEC);
	p = tui_model_proc(&f->m, T1);
	assert_non_null(p);
	assert_val(p->inf_s, 30, 1e-9);
	assert_val(p->p50_ns, 1000 * US, 1000 * US / 64.0);
	assert_val(layer(&f->m, "conv")->calls_s, 30, 1e-9);
	assert_val(layer(&f->m, "conv")->mean_ns, 400 * US, 1);
	assert_val(layer(&f->m, "conv")->share, 0.4, 1e-9);
	assert_val(layer(&f->m, "relu")->share, 0.6, 1e-9);

	for (int i = 0; i < 20; i++)
		inference(f, 1600 * US, 400 * US, NULL);
	update(f, 3 * SEC);
	p = tui_model_proc(&f->m, T1);
	assert_val(p->inf_s, 10, 1e-9);			    /* 20 in 2 s */
	assert_val(p->p50_ns, 2000 * US, 2000 * US / 64.0); /* not the first window's 1 ms */
	assert_val(p->p99_ns, 2000 * US, 2000 * US / 64.0);
	assert_val(layer(&f->m, "conv")->mean_ns, 1600 * US, 1);
	assert_val(layer(&f->m, "conv")->p99_ns, 1600 * US, 1600 * US / 64.0);
	assert_val(layer(&f->m, "conv")->share, 0.8, 1e-9);
	assert_int_equal(layer(&f->m, "conv")->calls, 50);
	assert_int_equal(p->inferences, 50);
	assert_int_equal(p->nlayers, 2);
	assert_int_equal(f->m.totals.procs, 1);
	assert_val(f->m.totals.inf_s, 10, 1e-9);
}

/* nothing ran: rates are 0, means and percentiles are missing ("-"), not 0 */
static void test_empty_window(void **state)
{
	struct fixture *f = *state;
	const struct tui_proc_row *p;
	char buf[32];

	inference(f, 100 * US, 100 * US, NULL);
	update(f, 1 * SEC);
	update(f, 2 * SEC);
	p = tui_model_proc(&f->m, T1);
	assert_val(p->inf_s, 0, 0);
	assert_int_equal(p->p50_ns.st, TUI_V_NONE);
	assert_int_equal(layer(&f->m, "conv")->mean_ns.st, TUI_V_NONE);
	assert_int_equal(layer(&f->m, "conv")->share.st, TUI_V_NONE);
	assert_int_equal(f->m.totals.p99_ns.st, TUI_V_NONE);
	tui_fmt_val(buf, sizeof(buf), p->p50_ns, TUI_U_NS);
	assert_string_equal(buf, "-");
}

static void test_offcpu_share_and_faults(void **state)
{
	struct fixture *f = *state;
	struct nnp_ksig k = { .offcpu_ns = 300 * US, .runq_ns = 50 * US, .minflt = 3, .majflt = 1 };

	for (int i = 0; i < 4; i++)
		inference(f, 400 * US, 100 * US, &k);
	update(f, 2 * SEC);
	assert_val(layer(&f->m, "conv")->offcpu_share, 0.75, 1e-9);
	assert_val(layer(&f->m, "conv")->runq_ns, 50 * US, 1e-6);
	assert_val(layer(&f->m, "conv")->faults_s, 8, 1e-9); /* 16 faults in 2 s */
	assert_val(layer(&f->m, "relu")->offcpu_share, 0, 0);
}

/* signals not collected are n/a with the reason, whatever the numbers say */
static void test_na_signals(void **state)
{
	struct fixture *f = *state;
	struct nnp_ksig k = { .offcpu_ns = 300 * US, .counters = { 77 } };
	const struct tui_layer_row *l;
	struct tui_table t;
	char buf[32];

	f->ki.sched = "none";
	inference(f, 400 * US, 100 * US, &k);
	update(f, 1 * SEC);
	l = layer(&f->m, "conv");
	assert_int_equal(l->offcpu_share.st, TUI_V_NA);
	assert_string_equal(l->offcpu_share.why, "n/a (no scheduler hooks)");
	assert_int_equal(l->cmiss.st, TUI_V_NA);
	assert_string_equal(l->cmiss.why, "n/a (no hardware PMU)");
	tui_fmt_val(buf, sizeof(buf), l->cmiss, TUI_U_COUNT);
	assert_string_equal(buf, "n/a");

	/* the counter open: misses per call */
	f->ctr.req[0].slot = 0;
	inference(f, 400 * US, 100 * US, &k);
	update(f, 2 * SEC);
	assert_val(layer(&f->m, "conv")->cmiss, 77, 1e-9);

	/* the table cells say n/a and sort after every value */
	f->ctr.req[0].slot = -1;
	update(f, 3 * SEC);
	assert_int_equal(tui_table_init(&t, tui_layer_cols, LC_NCOLS, LC_CMISS), 0);
	assert_int_equal(tui_rows_layers(&t, tui_model_proc(&f->m, T1)), 0);
	assert_int_equal(t.nview, 2);
	assert_string_equal(tui_table_cell(&t, 0, LC_CMISS)->text, "n/a");
	assert_true(tui_table_cell(&t, 0, LC_CMISS)->missing);
	assert_string_equal(tui_table_cell(&t, 0, LC_OFFCPU)->text, "n/a");
	tui_table_free(&t);
}

static void test_no_kernel_info(void **state)
{
	struct fixture *f = *state;

	tui_model_free(&f->m);
	tui_model_init(&f->m, NULL, 0);
	inference(f, 400 * US, 100 * US, NULL);
	update(f, 1 * SEC);
	assert_int_equal(layer(&f->m, "conv")->offcpu_share.st, TUI_V_NA);
	assert_int_equal(layer(&f->m, "conv")->cmiss.st, TUI_V_NA);
	assert_val(layer(&f->m, "conv")->calls_s, 1, 1e-9);
}

/* a process that goes is dropped; one whose counts restart is not a negative rate */
static void test_removed_and_restarted(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 5; i++)
		inference(f, 100 * US, 100 * US, NULL);
	update(f, 1 * SEC);
	assert_non_null(tui_model_proc(&f->m, T1));
	nnp_agg_proc_remove(&f->a, T1);
	update(f, 2 * SEC);
	assert_null(tui_model_proc(&f->m, T1));
	assert_int_equal(f->m.nrows, 0);

	for (int i = 0; i < 5; i++)
		inference(f, 100 * US, 100 * US, NULL);
	update(f, 3 * SEC);
	for (int i = 0; i < 2; i++)
		inference(f, 100 * US, 100 * US, NULL);
	nnp_agg_proc_remove(&f->a, T1);
	inference(f, 100 * US, 100 * US, NULL); /* seen again with fewer counts than before */
	update(f, 4 * SEC);
	assert_val(tui_model_proc(&f->m, T1)->inf_s, 1, 1e-9);
	assert_val(layer(&f->m, "conv")->calls_s, 1, 1e-9);
}

/* one layer event: probe P (its key is P too unless KEY), depth, inference SEQ (0: none) */
static void ev(struct fixture *f, uint32_t probe, uint64_t key, uint64_t start, uint64_t end,
	       uint32_t depth, uint64_t child, uint64_t seq, const struct nnp_ksig *k)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = T1, .probe_id = probe },
		.key = key,
		.start_ns = start,
		.end_ns = end,
		.child_ns = child,
		.infer_seq = seq,
		.depth = depth,
	};

	if (k)
		e.k = *k;
	assert_int_equal(nnp_agg_event(&f->a, &e, sizeof(e)), 0);
}

/*
 * A 250 us inference: conv (holding inner, a conv2d too) 100 us, relu 50 us,
 * conv b 100 us. Kernel signals are inclusive: conv's include inner's.
 */
static void nested_inference(struct fixture *f)
{
	static const struct nnp_ksig conv_k = { .offcpu_ns = 50 * US,
						.runq_ns = 10 * US,
						.minflt = 5 };
	static const struct nnp_ksig inner_k = { .offcpu_ns = 20 * US,
						 .runq_ns = 4 * US,
						 .minflt = 2 };
	static const struct nnp_ksig relu_k = { .minflt = 1 };
	static const struct nnp_ksig conv_b_k = { .offcpu_ns = 25 * US,
						  .runq_ns = 6 * US,
						  .minflt = 3 };
	uint64_t t0 = f->clock, seq = ++f->seq;
	struct nnp_infer_event inf = {
		.hdr = { .type = NNP_EV_INFER, .tgid = T1, .tid = T1 },
		.start_ns = t0,
		.end_ns = t0 + 250 * US,
		.infer_seq = seq,
	};

	ev(f, 4, 4, t0 + 10 * US, t0 + 30 * US, 1, 0, seq, &inner_k);
	ev(f, 1, 1, t0, t0 + 100 * US, 0, 20 * US, seq, &conv_k);
	ev(f, 2, 2, t0 + 100 * US, t0 + 150 * US, 0, 0, seq, &relu_k);
	ev(f, 1, 3, t0 + 150 * US, t0 + 250 * US, 0, 0, seq, &conv_b_k);
	assert_int_equal(nnp_agg_event(&f->a, &inf, sizeof(inf)), 0);
	f->clock += 1000 * US;
}

static const struct tui_proc_row *attach_mid_inference(struct fixture *f)
{
	nnp_agg_add_probe(&f->a, 4, "inner", "conv2d", "usdt");
	/* the rest of an inference in progress when top attached: outside any */
	ev(f, 2, 2, f->clock, f->clock + 50 * US, 0, 0, 0, NULL);
	ev(f, 1, 3, f->clock + 50 * US, f->clock + 150 * US, 0, 0, 0, NULL);
	f->clock += 1000 * US;
	update(f, 1 * SEC);
	for (int i = 0; i < 10; i++)
		nested_inference(f);
	update(f, 3 * SEC);
	return tui_model_proc(&f->m, T1);
}

/* layers in execution order from the first refresh that saw an inference, nested indented */
static void test_execution_order_and_depth(void **state)
{
	static const char *const names[] = { "conv", "  inner", "relu", "conv" };
	struct fixture *f = *state;
	const struct tui_proc_row *p = attach_mid_inference(f);
	struct tui_table t;

	assert_int_equal(p->nlayer_rows, 4);
	assert_int_equal(p->layers[0].w.calls, 10);
	assert_int_equal(p->layers[1].depth, 1);
	assert_string_equal(p->layers[2].name, "relu");
	assert_int_equal(p->layers[3].order, 3);
	assert_int_equal(tui_table_init(&t, tui_layer_cols, LC_NCOLS, LC_LAYER), 0);
	assert_int_equal(tui_rows_layers(&t, p), 0);
	for (size_t i = 0; i < 4; i++)
		assert_memory_equal(tui_table_cell(&t, i, LC_LAYER)->text, names[i],
				    strlen(names[i]));
	tui_table_free(&t);
}

static const struct tui_group_row *group(const struct tui_groups *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->rows[i].name, name))
			return &g->rows[i];
	fail_msg("no group %s", name);
	return NULL;
}

/* by op: self time adds up, a conv inside a conv counts its signals once */
static void test_group_rows(void **state)
{
	struct fixture *f = *state;
	const struct tui_proc_row *p = attach_mid_inference(f);
	const struct tui_group_row *conv, *relu;
	struct tui_groups g = { 0 };
	struct tui_table t;

	assert_int_equal(tui_groups_build(&g, p, NNP_GROUP_NONE), -EINVAL);
	assert_int_equal(tui_groups_build(&g, p, NNP_GROUP_OP), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[0].name, "conv2d"); /* its first layer runs first */
	conv = group(&g, "conv2d");
	relu = group(&g, "relu");
	assert_int_equal(conv->nlayers, 3);
	assert_int_equal(relu->nlayers, 1);
	assert_val(conv->calls_s, 15, 1e-9); /* 30 calls in 2 s */
	assert_val(conv->self_inf_ns, 200 * US, 1e-6);
	assert_val(relu->self_inf_ns, 50 * US, 1e-6);
	assert_val(conv->share, 0.8, 1e-9);
	assert_val(relu->share, 0.2, 1e-9);
	assert_val(conv->offcpu_share, 75.0 / 200, 1e-9); /* inner's 20 us is in conv's 50 */
	assert_val(conv->runq_ns, 8 * US, 1e-6);	  /* (10 + 6) us over 2 counted calls */
	assert_val(conv->faults_s, 40, 1e-9);		  /* (5 + 3) x 10 in 2 s, not 5 + 2 + 3 */
	assert_val(relu->faults_s, 5, 1e-9);

	assert_int_equal(tui_table_init(&t, tui_group_cols, GC_NCOLS, GC_GROUP), 0);
	assert_int_equal(tui_rows_groups(&t, &g), 0);
	assert_string_equal(tui_table_cell(&t, 0, GC_GROUP)->text, "conv2d");
	assert_string_equal(tui_table_cell(&t, 0, GC_LAYERS)->text, "3");
	assert_string_equal(tui_table_cell(&t, 0, GC_SHARE)->text, "80.0%");
	assert_string_equal(tui_table_cell(&t, 1, GC_SELF_INF)->text, "50.0us");
	tui_table_sort_next(&t); /* LAYERS, descending */
	assert_string_equal(tui_table_cell(&t, 0, GC_GROUP)->text, "conv2d");
	tui_table_free(&t);

	/* by block: no numbered names here, so by op again; an empty process has none */
	assert_int_equal(tui_groups_build(&g, p, NNP_GROUP_BLOCK), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(tui_groups_build(&g, NULL, NNP_GROUP_OP), 0);
	assert_int_equal(g.n, 0);
	tui_groups_free(&g);
}

static void test_fmt(void **state)
{
	char buf[32];

	(void)state;
	tui_fmt_val(buf, sizeof(buf), (struct tui_val){ .v = 0.4567 }, TUI_U_SHARE);
	assert_string_equal(buf, "45.7%");
	tui_fmt_val(buf, sizeof(buf), (struct tui_val){ .v = 1520000 }, TUI_U_NS);
	assert_string_equal(buf, "1.52ms");
	tui_fmt_val(buf, sizeof(buf), (struct tui_val){ .v = 12345 }, TUI_U_RATE);
	assert_string_equal(buf, "12.3k");
	tui_fmt_val(buf, sizeof(buf), (struct tui_val){ .v = 3.5 }, TUI_U_RATE);
	assert_string_equal(buf, "3.50");
	tui_fmt_val(buf, sizeof(buf), (struct tui_val){ .st = TUI_V_NA }, TUI_U_RATE);
	assert_string_equal(buf, "n/a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rates_from_two_snapshots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offcpu_share_and_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_na_signals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_kernel_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_and_restarted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_execution_order_and_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_rows, setup, teardown),
		cmocka_unit_test(test_fmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "agg.h"

/* above any possible pid_max (2^22): /proc/TGID never exists, comm stays "?" */
#define T1 5000001u
#define T2 5000002u
#define T3 5000003u

static int layer(struct nnp_agg *a, uint32_t tgid, uint32_t probe, uint64_t key, uint64_t start,
		 uint64_t end, uint64_t child, uint64_t seq)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = tgid, .tid = tgid, .probe_id = probe },
		.key = key,
		.start_ns = start,
		.end_ns = end,
		.child_ns = child,
		.infer_seq = seq,
	};

	return nnp_agg_event(a, &e, sizeof(e));
}

static int infer(struct nnp_agg *a, uint32_t tgid, uint64_t start, uint64_t end, uint64_t seq)
{
	struct nnp_infer_event e = {
		.hdr = { .type = NNP_EV_INFER, .tgid = tgid, .tid = tgid },
		.start_ns = start,
		.end_ns = end,
		.infer_seq = seq,
	};

	return nnp_agg_event(a, &e, sizeof(e));
}

/* name and op are copied with memcpy: they may fill their arrays with no NUL, as BPF can */
static int name_ev(struct nnp_agg *a, uint32_t tgid, uint32_t probe, uint64_t key, const char *name,
		   size_t name_len, const char *op)
{
	struct nnp_name_event e = {
		.hdr = { .type = NNP_EV_NAME, .tgid = tgid, .tid = tgid, .probe_id = probe },
		.key = key,
	};

	memcpy(e.name, name, name_len < sizeof(e.name) ? name_len : sizeof(e.name));
	memcpy(e.op, op, strnlen(op, sizeof(e.op)));
	return nnp_agg_event(a, &e, sizeof(e));
}

static int name_ev_s(struct nnp_agg *a, uint32_t tgid, uint32_t probe, uint64_t key,
		     const char *name, const char *op)
{
	return name_ev(a, tgid, probe, key, name, strlen(name), op);
}

static struct nnp_layer_stats *find_layer(struct nnp_agg *a, uint32_t tgid, uint32_t probe,
					  uint64_t key)
{
	struct nnp_proc_stats *p = nnp_agg_proc(a, tgid);
	struct nnp_layer_key id = { .probe_id = probe, .key = key };
	struct nnp_layer_stats *l;

	assert_non_null(p);
	HASH_FIND(hh, p->layers, &id, sizeof(id), l);
	return l;
}

static int setup(void **state)
{
	struct nnp_agg *a = calloc(1, sizeof(*a));

	if (!a || nnp_agg_init(a, NULL))
		return -1;
	nnp_agg_add_probe(a, 1, "tinynet_conv2d", "Conv", "probe");
	nnp_agg_add_probe(a, 2, "nnperf:layer_begin", "", "usdt");
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	nnp_agg_free(*state);
	free(*state);
	return 0;
}

static void test_counts(void **state)
{
	struct nnp_agg *a = *state;
	struct nnp_layer_stats *l;
	struct nnp_proc_stats *p;

	assert_int_equal(infer(a, T1, 1000, 5000, 1), 0);
	assert_int_equal(layer(a, T1, 1, 0xabc, 1100, 1600, 200, 1), 0);
	assert_int_equal(layer(a, T1, 1, 0xabc, 2000, 2300, 0, 1), 0);
	/* nested time larger than the call (clock skew between CPUs): self clamps at 0 */
	assert_int_equal(layer(a, T1, 1, 0xabc, 6000, 6100, 500, 0), 0);
	assert_int_equal(infer(a, T1, 7000, 10000, 2), 0);
	l = find_layer(a, T1, 1, 0xabc);
	assert_non_null(l);
	assert_int_equal(l->hist.count, 3);
	assert_int_equal(l->hist.sum, 500 + 300 + 100);
	assert_int_equal(l->hist.min, 100);
	assert_int_equal(l->hist.max, 500);
	assert_int_equal(l->self_ns, 300 + 300 + 0);
	assert_int_equal(l->in_infer, 2);
	p = nnp_agg_proc(a, T1);
	assert_int_equal(p->infer.count, 2);
	assert_int_equal(p->infer.sum, 4000 + 3000);
	assert_int_equal(p->layer_events, 3);
	assert_int_equal(p->nlayers, 1);
	assert_int_equal(p->first_ns, 1000);
	assert_int_equal(p->last_ns, 10000);
	assert_string_equal(p->comm, "?");
	assert_false(p->exited);
	assert_int_equal(a->events, 5);
	assert_int_equal(a->bad_events, 0);
}

static void test_names_from_name_events(void **state)
{
	struct nnp_agg *a = *state;
	struct nnp_layer_stats *l;

	/* before the layer runs: kept pending, applied when it appears */
	name_ev_s(a, T1, 1, 0x10, "features.0", "Conv2d");
	layer(a, T1, 1, 0x10, 0, 10, 0, 0);
	l = find_layer(a, T1, 1, 0x10);
	assert_string_equal(l->name, "features.0");
	assert_string_equal(l->op, "Conv2d");
	assert_true(l->named);
	assert_int_equal(nnp_agg_proc(a, T1)->npending, 0);
	/* after: replaces the default name; an empty op keeps the probe's */
	layer(a, T1, 1, 0x20, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 1, 0x20)->name, "tinynet_conv2d#2");
	name_ev_s(a, T1, 1, 0x20, "features.3", "");
	l = find_layer(a, T1, 1, 0x20);
	assert_string_equal(l->name, "features.3");
	assert_string_equal(l->op, "Conv");
	/* the first name wins */
	name_ev_s(a, T1, 1, 0x20, "other", "Other");
	assert_string_equal(l->name, "features.3");
	/* names are per process */
	layer(a, T2, 1, 0x10, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T2, 1, 0x10)->name, "tinynet_conv2d");
	/* no name event, no probe op: empty op */
	layer(a, T1, 2, 7, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 2, 7)->op, "");
}

static void test_label_numbering(void **state)
{
	struct nnp_agg *a = *state;

	layer(a, T1, 1, 0x100, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 1, 0x100)->name, "tinynet_conv2d");
	layer(a, T1, 1, 0x200, 0, 10, 0, 0);
	layer(a, T1, 1, 0x300, 0, 10, 0, 0);
	layer(a, T1, 1, 0x100, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 1, 0x100)->name, "tinynet_conv2d#1");
	assert_string_equal(find_layer(a, T1, 1, 0x200)->name, "tinynet_conv2d#2");
	assert_string_equal(find_layer(a, T1, 1, 0x300)->name, "tinynet_conv2d#3");
	/* key 0 (no key fetch) keeps the plain label */
	layer(a, T1, 1, 0, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 1, 0)->name, "tinynet_conv2d");
	/* a single-key probe whose key 0 came first: the other key is numbered */
	layer(a, T2, 2, 0, 0, 10, 0, 0);
	layer(a, T2, 2, 0x5, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T2, 2, 0)->name, "nnperf:layer_begin");
	assert_string_equal(find_layer(a, T2, 2, 0x5)->name, "nnperf:layer_begin#1");
	/* ... and the other way round: the first key is renamed when key 0 shows up */
	layer(a, T3, 2, 0x5, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T3, 2, 0x5)->name, "nnperf:layer_begin");
	layer(a, T3, 2, 0, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T3, 2, 0x5)->name, "nnperf:layer_begin#1");
	/* a probe nobody registered */
	layer(a, T1, 77, 0, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 77, 0)->name, "probe77");
}

/* a probe that reads its key (--probe ...,key=arg0): key 0 is a layer like the others */
static void test_keyed_numbering(void **state)
{
	struct nnp_agg *a = *state;

	assert_int_equal(nnp_agg_add_probe(a, 5, "late_layer", "", "probe"), 0);
	assert_int_equal(nnp_agg_probe_keyed(a, 5), 0);
	assert_int_equal(nnp_agg_probe_keyed(a, 55), -ENOENT);
	layer(a, T1, 5, 0, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 5, 0)->name, "late_layer");
	layer(a, T1, 5, 1, 0, 10, 0, 0);
	layer(a, T1, 5, 2, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 5, 0)->name, "late_layer#1");
	assert_string_equal(find_layer(a, T1, 5, 1)->name, "late_layer#2");
	assert_string_equal(find_layer(a, T1, 5, 2)->name, "late_layer#3");
}

static void test_named_layer_not_renumbered(void **state)
{
	struct nnp_agg *a = *state;

	name_ev_s(a, T1, 1, 0x100, "conv1", "");
	layer(a, T1, 1, 0x100, 0, 10, 0, 0);
	layer(a, T1, 1, 0x200, 0, 10, 0, 0);
	assert_string_equal(find_layer(a, T1, 1, 0x100)->name, "conv1");
	assert_string_equal(find_layer(a, T1, 1, 0x200)->name, "tinynet_conv2d#2");
}

/* a name event, then a 100 ns call of that layer inside inference 1 */
static void named_call(struct nnp_agg *a, uint32_t probe, uint64_t key, const char *name)
{
	static uint64_t t = 100;

	assert_int_equal(name_ev_s(a, T1, probe, key, name, ""), 0);
	assert_int_equal(layer(a, T1, probe, key, t, t + 100, 0, 1), 0);
	t += 200;
}

/* llama.cpp names both norms of a block norm-0; their keys differ (the input's name is
 * hashed in): first seen keeps blk.0.norm, the next is blk.0.norm#2, both raw norm-0,
 * whether the name comes before the layer (pending) or after it */
static void test_ggml_same_name(void **state)
{
	struct nnp_agg *a = *state;

	nnp_agg_add_probe(a, 7, "ggml_compute_forward_rms_norm", "rms_norm", "ggml");
	named_call(a, 7, 0x11, "norm-0");
	/* the name after the layer: named when it comes */
	assert_int_equal(layer(a, T1, 7, 0x22, 10000, 10100, 0, 1), 0);
	assert_int_equal(name_ev_s(a, T1, 7, 0x22, "norm-0", ""), 0);
	named_call(a, 7, 0x33, "norm-0");
	named_call(a, 7, 0x44, "norm-1");
	assert_string_equal(find_layer(a, T1, 7, 0x11)->name, "blk.0.norm");
	assert_string_equal(find_layer(a, T1, 7, 0x22)->name, "blk.0.norm#2");
	assert_string_equal(find_layer(a, T1, 7, 0x33)->name, "blk.0.norm#3");
	assert_string_equal(find_layer(a, T1, 7, 0x44)->name, "blk.1.norm");
	assert_string_equal(find_layer(a, T1, 7, 0x22)->raw_name, "norm-0");
	/* a name ggml keeps as it is gets a raw_name only once a #N changes it */
	named_call(a, 7, 0x55, "embd");
	named_call(a, 7, 0x66, "embd");
	assert_string_equal(find_layer(a, T1, 7, 0x55)->raw_name, "");
	assert_string_equal(find_layer(a, T1, 7, 0x66)->name, "embd#2");
	assert_string_equal(find_layer(a, T1, 7, 0x66)->raw_name, "embd");
	/* other runtimes' layers keep their names as sent */
	named_call(a, 2, 0x77, "norm-0");
	named_call(a, 2, 0x88, "norm-0");
	assert_string_equal(find_layer(a, T1, 2, 0x88)->name, "norm-0");
}

static void test_bad_events(void **state)
{
	struct nnp_agg *a = *state;
	struct nnp_event_hdr h = { .type = 99, .tgid = T1 };
	struct nnp_layer_event le = { .hdr = { .type = NNP_EV_LAYER, .tgid = T1 } };
	struct nnp_name_event ne = { .hdr = { .type = NNP_EV_NAME, .tgid = T1 } };

	assert_int_equal(nnp_agg_event(a, &h, sizeof(h) - 1), -EINVAL);
	assert_int_equal(nnp_agg_event(a, &h, sizeof(h)), -EINVAL);
	assert_int_equal(nnp_agg_event(a, &le, sizeof(le) - 8), -EINVAL);
	assert_int_equal(nnp_agg_event(a, &ne, sizeof(ne) - 1), -EINVAL);
	assert_int_equal(layer(a, T1, 1, 1, 500, 499, 0, 0), -EINVAL);
	assert_int_equal(infer(a, T1, 500, 499, 1), -EINVAL);
	assert_int_equal(a->bad_events, 6);
	assert_int_equal(a->events, 6);
	/* nothing was created from them */
	assert_null(nnp_agg_proc(a, T1));
	/* a longer record (a newer BPF side) is read by its known prefix */
	{
		unsigned char big[sizeof(le) + 16] = { 0 };

		le.start_ns = 10;
		le.end_ns = 30;
		memcpy(big, &le, sizeof(le));
		assert_int_equal(nnp_agg_event(a, big, sizeof(big)), 0);
		assert_int_equal(find_layer(a, T1, 0, 0)->hist.sum, 20);
	}
	assert_int_equal(a->bad_events, 6);
}

static void test_max_layers(void **state)
{
	struct nnp_agg_opts o = { .max_layers = 2 };
	struct nnp_agg a;

	(void)state;
	nnp_agg_init(&a, &o);
	layer(&a, T1, 1, 1, 0, 10, 0, 0);
	layer(&a, T1, 1, 2, 0, 10, 0, 0);
	assert_int_equal(layer(&a, T1, 1, 3, 0, 10, 0, 0), 0);
	assert_int_equal(layer(&a, T1, 1, 3, 0, 10, 0, 0), 0);
	layer(&a, T1, 1, 1, 0, 10, 0, 0);
	assert_int_equal(a.dropped_layers, 2);
	assert_int_equal(nnp_agg_proc(&a, T1)->nlayers, 2);
	assert_int_equal(nnp_agg_proc(&a, T1)->layer_events, 5);
	assert_null(find_layer(&a, T1, 1, 3));
	assert_int_equal(find_layer(&a, T1, 1, 1)->hist.count, 2);
	/* the limit is per process */
	layer(&a, T2, 1, 3, 0, 10, 0, 0);
	assert_non_null(find_layer(&a, T2, 1, 3));
	/* pending names are bounded by the same limit */
	name_ev_s(&a, T2, 1, 10, "a", "");
	name_ev_s(&a, T2, 1, 11, "b", "");
	name_ev_s(&a, T2, 1, 12, "c", "");
	assert_int_equal(a.dropped_names, 1);
	assert_int_equal(nnp_agg_proc(&a, T2)->npending, 2);
	nnp_agg_free(&a);
}

static void test_max_procs(void **state)
{
	struct nnp_agg_opts o = { .max_procs = 2 };
	struct nnp_agg a;

	(void)state;
	nnp_agg_init(&a, &o);
	infer(&a, T1, 100, 200, 1);
	infer(&a, T2, 100, 300, 1);
	/* both alive: the newcomer is refused, and counted */
	assert_int_equal(infer(&a, T3, 100, 400, 1), 0);
	assert_null(nnp_agg_proc(&a, T3));
	assert_int_equal(a.refused_events, 1);
	assert_int_equal(a.evicted_procs, 0);
	/* the exited process that was active least recently goes first */
	nnp_agg_proc_exited(&a, T2);
	nnp_agg_proc_exited(&a, T1);
	infer(&a, T1, 1000, 2000, 2);
	assert_int_equal(infer(&a, T3, 100, 400, 1), 0);
	assert_int_equal(a.evicted_procs, 1);
	assert_null(nnp_agg_proc(&a, T2));
	assert_non_null(nnp_agg_proc(&a, T1));
	assert_non_null(nnp_agg_proc(&a, T3));
	nnp_agg_free(&a);
}

static void test_exited_and_comm(void **state)
{
	struct nnp_agg *a = *state;
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "r");
	uint32_t self = (uint32_t)getpid();

	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	infer(a, self, 1, 2, 1);
	assert_string_equal(nnp_agg_proc(a, self)->comm, comm);
	assert_false(nnp_agg_proc(a, self)->exited);
	nnp_agg_proc_exited(a, self);
	assert_true(nnp_agg_proc(a, self)->exited);
	nnp_agg_proc_exited(a, T3); /* unknown: no effect, nothing created */
	assert_null(nnp_agg_proc(a, T3));
	assert_int_equal(nnp_agg_set_comm(a, self, "renamed-process-long"), 0);
	assert_string_equal(nnp_agg_proc(a, self)->comm, "renamed-process");
	assert_int_equal(nnp_agg_set_comm(a, T3, "x"), -ENOENT);
}

static void test_sorted_layers(void **state)
{
	struct nnp_agg *a = *state;
	static const uint64_t keys[] = { 9, 3, 7, 1, 8, 2 };
	struct nnp_layer_stats **ls;
	size_t n;

	for (size_t r = 0; r < 3; r++)
		for (size_t i = 0; i < 6; i++)
			layer(a, T1, 1, keys[i], 0, 10, 0, 0);
	assert_int_equal(nnp_agg_sorted_layers(nnp_agg_proc(a, T1), &ls, &n), 0);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ls[i]->id.key, keys[i]);
		assert_int_equal(ls[i]->order, i);
	}
	free(ls);
}

/* one layer event with a depth and a thread */
static void nested(struct nnp_agg *a, uint32_t tid, uint64_t key, uint64_t start, uint64_t end,
		   uint32_t depth, uint64_t child)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = tid, .probe_id = 1 },
		.key = key,
		.start_ns = start,
		.end_ns = end,
		.child_ns = child,
		.depth = depth,
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

/* a block (key 10) holding a conv (11) holding a bn (12), then a relu (13) on its
 * own; another thread runs a conv at depth 1 with no parent event of its own */
static void test_nesting(void **state)
{
	struct nnp_agg *a = *state;
	struct nnp_proc_stats *p;
	struct nnp_layer_stats **ls;
	size_t n;

	for (uint64_t t = 0; t < 3000; t += 1000) {
		nested(a, T1, 12, t + 20, t + 40, 2, 0);     /* bn inside the conv */
		nested(a, T1, 11, t + 10, t + 60, 1, 20);    /* conv inside the block */
		nested(a, T1 + 1, 14, t + 15, t + 25, 1, 0); /* another thread's */
		nested(a, T1, 10, t + 0, t + 100, 0, 50);    /* the block */
		nested(a, T1, 13, t + 100, t + 120, 0, 0);   /* after it */
	}
	p = nnp_agg_proc(a, T1);
	assert_int_equal(nnp_agg_sorted_layers(p, &ls, &n), 0);
	assert_int_equal(n, 5);
	/* first seen: bn, conv, other, block, relu; in tree order the block leads */
	assert_int_equal(ls[0]->id.key, 14);
	assert_int_equal(ls[1]->id.key, 10);
	assert_int_equal(ls[2]->id.key, 11);
	assert_int_equal(ls[3]->id.key, 12);
	assert_int_equal(ls[4]->id.key, 13);
	assert_int_equal(nnp_agg_layer_depth(p, ls[0]), 0); /* its parent never came */
	assert_int_equal(nnp_agg_layer_depth(p, ls[1]), 0);
	assert_int_equal(nnp_agg_layer_depth(p, ls[2]), 1);
	assert_int_equal(nnp_agg_layer_depth(p, ls[3]), 2);
	assert_ptr_equal(nnp_agg_layer_parent(p, ls[3]), ls[2]);
	assert_null(nnp_agg_layer_parent(p, ls[4]));
	assert_int_equal(ls[2]->nested, 3);
	assert_int_equal(ls[1]->nested, 0);
	/* self times do not overlap: 3 x (50 + 30 + 20 + 10 + 20) = 390 of 390 */
	assert_int_equal(ls[1]->self_ns + ls[2]->self_ns + ls[3]->self_ns + ls[4]->self_ns +
			     ls[0]->self_ns,
			 3 * (50 + 30 + 20 + 20) + 3 * 10);
	free(ls);
}

/* A first ran inside B, and B inside A: both still listed, once each */
static void test_nesting_cycle(void **state)
{
	struct nnp_agg *a = *state;
	struct nnp_proc_stats *p;
	struct nnp_layer_stats **ls;
	size_t n;

	nested(a, T1, 21, 10, 20, 1, 0);
	nested(a, T1, 20, 0, 30, 0, 10); /* 21 inside 20 */
	nested(a, T1, 20, 110, 120, 1, 0);
	nested(a, T1, 21, 100, 130, 0, 10); /* 20 inside 21 */
	p = nnp_agg_proc(a, T1);
	assert_int_equal(nnp_agg_sorted_layers(p, &ls, &n), 0);
	assert_int_equal(n, 2);
	assert_true(ls[0] != ls[1]);
	assert_true(nnp_agg_layer_depth(p, ls[0]) <= NNP_AGG_MAX_NEST);
	free(ls);
}

/* one layer event of thread T1, with a depth and an inference number */
static void exec_layer(struct nnp_agg *a, uint64_t key, uint64_t start, uint64_t end,
		       uint32_t depth, uint64_t seq)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = T1, .probe_id = 1 },
		.key = key,
		.start_ns = start,
		.end_ns = end,
		.depth = depth,
		.infer_seq = seq,
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static void assert_keys(const struct nnp_proc_stats *p, const uint64_t *want, size_t nwant)
{
	struct nnp_layer_stats **ls;
	size_t n;

	assert_int_equal(nnp_agg_sorted_layers(p, &ls, &n), 0);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		if (ls[i]->id.key != want[i])
			fail_msg("position %zu: layer %llu, want %llu", i,
				 (unsigned long long)ls[i]->id.key, (unsigned long long)want[i]);
	free(ls);
}

/*
 * Attached in the middle of an inference of layers 1..6 (3 holds 7): the
 * rest of it (4, 5, 6) is seen first, outside any inference; then whole
 * inferences. A layer that only ever runs outside one (9) comes last; one
 * that first runs in the second inference (8, a branch) takes its place in it.
 */
static void test_execution_order(void **state)
{
	static const uint64_t want[] = { 1, 2, 3, 7, 8, 4, 5, 6, 9 };
	struct nnp_agg *a = *state;
	struct nnp_layer_stats **ls;
	struct nnp_proc_stats *p;
	size_t n;

	exec_layer(a, 9, 0, 10, 0, 0);
	for (uint64_t k = 4; k <= 6; k++)
		exec_layer(a, k, k * 10, k * 10 + 10, 0, 0);
	for (uint64_t seq = 1, t = 100; seq <= 2; seq++, t += 100) {
		exec_layer(a, 1, t + 10, t + 20, 0, seq);
		exec_layer(a, 2, t + 20, t + 30, 0, seq);
		exec_layer(a, 7, t + 32, t + 38, 1, seq); /* ends before its parent 3 */
		exec_layer(a, 3, t + 30, t + 40, 0, seq);
		if (seq == 2)
			exec_layer(a, 8, t + 40, t + 45, 0, seq);
		for (uint64_t k = 4; k <= 6; k++)
			exec_layer(a, k, t + k * 10 + 10, t + k * 10 + 20, 0, seq);
		infer(a, T1, t, t + 90, seq);
	}
	exec_layer(a, 9, 400, 410, 0, 0);
	p = nnp_agg_proc(a, T1);
	assert_keys(p, want, 9);
	assert_int_equal(nnp_agg_sorted_layers(p, &ls, &n), 0);
	assert_int_equal(nnp_agg_layer_depth(p, ls[3]), 1);
	assert_int_equal(ls[5]->order, 1); /* first seen second, listed sixth */
	assert_int_equal(p->exec_waiting, 0);
	free(ls);
}

/*
 * --sample 2: inference 1 measures layers 1 and 3, inference 2 layers 2 and
 * 4, each later in time than the first's; a layer waits for its inference's
 * event (one lost: the next inference places it).
 */
static void test_execution_order_sampled(void **state)
{
	static const uint64_t want[] = { 1, 2, 3, 4 };
	static const uint64_t before_event[] = { 1, 3, 2, 4 };
	struct nnp_agg *a = *state;
	struct nnp_proc_stats *p;

	exec_layer(a, 1, 100, 110, 0, 1);
	exec_layer(a, 3, 120, 130, 0, 1);
	infer(a, T1, 100, 140, 1);
	exec_layer(a, 2, 210, 220, 0, 2);
	exec_layer(a, 4, 230, 240, 0, 2); /* inference 2's event is lost */
	p = nnp_agg_proc(a, T1);
	assert_keys(p, before_event, 4); /* 2 and 4 wait, in first-seen order */
	assert_int_equal(p->exec_waiting, 2);
	exec_layer(a, 2, 310, 320, 0, 3);
	exec_layer(a, 2, 325, 328, 0, 3); /* called again: its first call counts */
	exec_layer(a, 4, 330, 340, 0, 3);
	infer(a, T1, 300, 340, 3);
	assert_keys(p, want, 4);
	assert_int_equal(p->exec_waiting, 0);
}

static void test_untrusted_strings(void **state)
{
	struct nnp_agg *a = *state;
	char full[NNP_NAME_LEN], op[NNP_OP_LEN];
	struct nnp_layer_stats *l;

	memset(full, 'x', sizeof(full));
	memset(op, 'o', sizeof(op));
	name_ev(a, T1, 1, 1, full, sizeof(full), "");
	{
		struct nnp_name_event e = {
			.hdr = { .type = NNP_EV_NAME, .tgid = T1, .probe_id = 1 },
			.key = 2,
		};

		memcpy(e.name, "quote\"back\\slash\nnl\xff\xc3", 22);
		memcpy(e.op, op, sizeof(op));
		nnp_agg_event(a, &e, sizeof(e));
	}
	layer(a, T1, 1, 1, 0, 10, 0, 0);
	layer(a, T1, 1, 2, 0, 10, 0, 0);
	l = find_layer(a, T1, 1, 1);
	assert_int_equal(strlen(l->name), NNP_NAME_LEN);
	assert_int_equal(strspn(l->name, "x"), NNP_NAME_LEN);
	l = find_layer(a, T1, 1, 2);
	assert_string_equal(l->name, "quote\"back\\slash\nnl\xff\xc3");
	assert_int_equal(strlen(l->op), NNP_OP_LEN - 1);
	/* a label longer than the name: cut, and the #N survives */
	{
		char label[200];

		memset(label, 'L', sizeof(label) - 1);
		label[sizeof(label) - 1] = '\0';
		nnp_agg_add_probe(a, 9, label, "", "spec");
		layer(a, T1, 9, 1, 0, 10, 0, 0);
		layer(a, T1, 9, 2, 0, 10, 0, 0);
		l = find_layer(a, T1, 9, 2);
		assert_int_equal(strlen(l->name), sizeof(l->name) - 1);
		assert_string_equal(l->name + strlen(l->name) - 2, "#2");
		assert_int_equal(strlen(nnp_agg_probe(a, 9)->label), 127);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_from_name_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_label_numbering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyed_numbering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_named_layer_not_renumbered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ggml_same_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_events, setup, teardown),
		cmocka_unit_test(test_max_layers),
		cmocka_unit_test(test_max_procs),
		cmocka_unit_test_setup_teardown(test_exited_and_comm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted_layers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nesting_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_execution_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_execution_order_sampled, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A TFLite node's index from Subgraph's nodes_and_registration_ in a target's
 * memory (runtime/litert/node_index.c), on a memory image laid out as the
 * wheels lay it out (the array at Subgraph+0x108, 168-byte pairs in
 * ai-edge-litert 2.3.0, 1.2.0 and tflite-runtime 2.14.0), another pair size,
 * and what must give no index.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "litert.h"
#include "node_index.h"

#define BASE 0x200000ull
#define SIZE 0x8000
#define SG BASE /* the Subgraph */
#define ARRAY_OFF 0x108
#define ARRAY (BASE + 0x1000)
#define INTS (BASE + 0x6000) /* TfLiteIntArrays */
#define N 6

static uint8_t mem[SIZE];

static int img_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (addr < BASE || addr - BASE > SIZE || len > SIZE - (addr - BASE))
		return -EFAULT;
	memcpy(buf, mem + (addr - BASE), len);
	return 0;
}

static const struct nnp_mem m = { img_read, NULL };

static void put64(uint64_t addr, uint64_t v)
{
	memcpy(mem + (addr - BASE), &v, sizeof(v));
}

static void put32(uint64_t addr, int32_t v)
{
	memcpy(mem + (addr - BASE), &v, sizeof(v));
}

static uint64_t node_at(uint32_t stride, int i)
{
	return ARRAY + (uint64_t)stride * (uint64_t)i;
}

/* N pairs of STRIDE bytes: inputs {1: 7}, outputs {1: i}, builtin_code 3 (CONV_2D) */
static void build(uint32_t stride)
{
	memset(mem, 0, sizeof(mem));
	/* a decoy vector first, around the whole image: its elements are no nodes */
	put64(SG + 0x40, BASE);
	put64(SG + 0x48, BASE + SIZE);
	put64(SG + 0x50, BASE + SIZE);
	put64(SG + ARRAY_OFF, ARRAY);
	put64(SG + ARRAY_OFF + 8, node_at(stride, N));
	put64(SG + ARRAY_OFF + 16, node_at(stride, N + 2));
	put32(INTS, 1);
	put32(INTS + 4, 7);
	for (int i = 0; i < N; i++) {
		uint64_t out = INTS + 16 + 8 * (uint64_t)i;

		put32(out, 1);
		put32(out + 4, i);
		put64(node_at(stride, i), INTS);
		put64(node_at(stride, i) + 8, out);
		put32(node_at(stride, i) + NNP_LITERT_BUILTIN_OFF, 3);
	}
}

static void assert_indexes(uint32_t stride)
{
	struct nnp_litert_nodes l;
	uint32_t index;

	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(stride, 4), &l), 0);
	assert_int_equal(l.array_off, ARRAY_OFF);
	assert_int_equal(l.stride, stride);
	assert_int_equal(l.n, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(nnp_litert_node_index(&m, SG, &l, node_at(stride, i), &index), 0);
		assert_int_equal(index, i);
	}
	/* between two nodes, and past the array */
	assert_int_equal(nnp_litert_node_index(&m, SG, &l, node_at(stride, 1) + 8, &index),
			 -ENOENT);
	assert_int_equal(nnp_litert_node_index(&m, SG, &l, node_at(stride, N), &index), -ENOENT);
}

static void test_wheels_layout(void **state)
{
	(void)state;
	build(168);
	assert_indexes(168);
}

static void test_other_pair_size(void **state)
{
	(void)state;
	build(200); /* a TfLiteRegistration that grew */
	assert_indexes(200);
}

/* one element that is no node: no array, so no index for any node */
static void test_one_bad_element(void **state)
{
	struct nnp_litert_nodes l;

	(void)state;
	build(168);
	put32(node_at(168, 5) + NNP_LITERT_BUILTIN_OFF, 5000); /* builtin_code out of range */
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, 0), &l), -ENOENT);
	build(168);
	put32(INTS + 16 + 8 * 2, 0); /* node 2 without outputs */
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, 0), &l), -ENOENT);
	build(168);
	put64(node_at(168, 3), INTS + 2); /* a misaligned inputs array */
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, 0), &l), -ENOENT);
	build(168);
	put64(node_at(168, 1) + 8, BASE + SIZE + 64); /* outputs outside the memory */
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, 0), &l), -ENOENT);
}

static void test_not_a_subgraph(void **state)
{
	struct nnp_litert_nodes l;

	(void)state;
	build(168);
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, 1) + 8, &l), -ENOENT);
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, N), &l), -ENOENT);
	assert_int_equal(nnp_litert_nodes_find(&m, 0, node_at(168, 0), &l), -ENOENT);
	assert_int_equal(nnp_litert_nodes_find(&m, SG + 4, node_at(168, 0), &l), -ENOENT);
	put64(SG + ARRAY_OFF + 16, ARRAY); /* capacity below the end */
	assert_int_equal(nnp_litert_nodes_find(&m, SG, node_at(168, 0), &l), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wheels_layout),
		cmocka_unit_test(test_other_pair_size),
		cmocka_unit_test(test_one_bad_element),
		cmocka_unit_test(test_not_a_subgraph),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

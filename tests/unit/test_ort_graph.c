// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ONNX Runtime's graph read from a target's memory (runtime/ort/graph.c), on
 * a memory image laid out as ORT lays out a session: SessionState with its
 * kernel table, OpKernel -> OpKernelInfo -> Node, names in both of
 * libstdc++'s string ABIs; and what must give no name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "graph.h"

#define BASE 0x100000ull
#define SIZE 0x10000
#define SS BASE			/* SessionState */
#define TABLE_OFF 0xe0		/* session_kernels_ in it */
#define DECOY_OFF 0x40		/* a vector of pointers that are not kernels */
#define ENTRIES (BASE + 0x2000) /* the table's storage */
#define KERNELS (BASE + 0x3000)
#define INFOS (BASE + 0x5000)
#define NODES (BASE + 0x7000)
#define HEAP (BASE + 0xb000)

struct image {
	uint8_t mem[SIZE];
	uint64_t heap; /* next free byte for strings */
	int abi;       /* 0: C++11 strings, 1: old ABI */
};

static struct image img;

static int img_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct image *m = ctx;

	if (addr < BASE || addr - BASE > SIZE || len > SIZE - (addr - BASE))
		return -EFAULT;
	memcpy(buf, m->mem + (addr - BASE), len);
	return 0;
}

static const struct nnp_mem mem = { img_read, &img };

static void put64(uint64_t addr, uint64_t v)
{
	memcpy(img.mem + (addr - BASE), &v, sizeof(v));
}

static uint64_t put_text(const char *s)
{
	uint64_t at = img.heap;

	memcpy(img.mem + (at - BASE), s, strlen(s) + 1);
	img.heap += (strlen(s) + 8) & ~7ull;
	return at;
}

/* a std::string object at ADDR holding S, in the image's ABI */
static void put_string(uint64_t addr, const char *s)
{
	size_t n = strlen(s);

	if (img.abi) { /* old ABI: length, capacity, refcount, then the text */
		uint64_t rep = img.heap;

		put64(rep, n);
		put64(rep + 8, n);
		put64(rep + 16, 0);
		img.heap += 24;
		put64(addr, put_text(s));
		return;
	}
	if (n < 16) { /* the local buffer */
		put64(addr, addr + 16);
		memcpy(img.mem + (addr + 16 - BASE), s, n + 1);
	} else {
		put64(addr, put_text(s));
		put64(addr + 16, n);
	}
	put64(addr + 8, n);
}

static uint64_t node_of(int j)
{
	return NODES + (uint64_t)j * 0x100;
}

/* node J: kernel -> info (+8) -> node (+8), its strings */
static void put_node(int j, const char *name, const char *op, const char *domain)
{
	static const unsigned off[2][3] = { { 8, 40, 72 }, { 8, 16, 24 } };
	uint64_t k = KERNELS + (uint64_t)j * 0x40, info = INFOS + (uint64_t)j * 0x40;

	put64(ENTRIES + (uint64_t)j * 8, k);
	put64(k, 0x7f0000001000ull); /* the vtable */
	put64(k + 8, info);
	put64(info, info + 0x20); /* OpNodeProtoHelper's impl_, inside the info */
	put64(info + 8, node_of(j));
	put64(node_of(j), (uint64_t)j);
	put_string(node_of(j) + off[img.abi][0], name);
	put_string(node_of(j) + off[img.abi][1], op);
	put_string(node_of(j) + off[img.abi][2], domain);
}

/* a session of N table entries, node 2 left empty (a node removed by an optimizer) */
static void build(int abi, int n)
{
	static const char *const long_name = "/features/features.14/conv/conv.0/conv.0.2/"
					     "Clip_output_0_nchwc_with_a_long_tail";

	memset(&img, 0, sizeof(img));
	img.heap = HEAP;
	img.abi = abi;
	/* a decoy vector first: pointers to words that lead nowhere */
	put64(SS + DECOY_OFF, BASE + 0x1000);
	put64(SS + DECOY_OFF + 8, BASE + 0x1000 + 8 * 64);
	put64(SS + DECOY_OFF + 16, BASE + 0x1000 + 8 * 64);
	for (int i = 0; i < 64; i++)
		put64(BASE + 0x1000 + 8 * i, BASE + 0x1800);
	put64(SS + TABLE_OFF, ENTRIES);
	put64(SS + TABLE_OFF + 8, ENTRIES + 8 * (uint64_t)n);
	put64(SS + TABLE_OFF + 16, ENTRIES + 8 * (uint64_t)n);
	for (int j = 0; j < n; j++) {
		char name[32];

		if (j == 2)
			continue;
		snprintf(name, sizeof(name), "/conv%d/Conv", j);
		put_node(j, j == 4 ? long_name : name, j == 3 ? "QLinearConv" : "Conv",
			 j == 3 ? "com.microsoft" : "");
	}
}

static void assert_names(int n)
{
	struct nnp_ort_layout l;
	struct nnp_ort_node node;

	assert_int_equal(nnp_ort_graph_find(&mem, SS, 3, &l), 0);
	assert_int_equal(l.table_off, TABLE_OFF);
	assert_int_equal(l.info_off, 8);
	assert_int_equal(l.node_off, 8);
	assert_int_equal(l.str_abi, img.abi);
	assert_int_equal(l.nodes, n);
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 0, &node), 0);
	assert_string_equal(node.name, "/conv0/Conv");
	assert_string_equal(node.op, "Conv");
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 3, &node), 0);
	assert_string_equal(node.op, "QLinearConv");
	/* cut to the event's 63 bytes */
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 4, &node), 0);
	assert_int_equal(strlen(node.name), NNP_NAME_LEN - 1);
	assert_memory_equal(node.name, "/features/features.14/conv/", 27);
	/* an empty entry, and one past the table */
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 2, &node), -ENOENT);
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, (uint64_t)n, &node), -ENOENT);
}

static void test_cxx11_strings(void **state)
{
	(void)state;
	build(0, 8);
	assert_names(8);
}

static void test_old_abi_strings(void **state)
{
	(void)state;
	build(1, 8);
	assert_names(8);
}

static void test_empty_name(void **state)
{
	struct nnp_ort_layout l;
	struct nnp_ort_node node;

	(void)state;
	build(0, 6);
	put_node(5, "", "Flatten", "");
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 5, &l), 0);
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 5, &node), 0);
	assert_string_equal(node.name, "");
	assert_string_equal(node.op, "Flatten");
}

/* one kernel that does not check out: no table, so no name for any node */
static void test_one_bad_kernel(void **state)
{
	struct nnp_ort_layout l;

	(void)state;
	build(0, 8);
	put64(node_of(6), 7); /* node 6's index_ says 7 */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
	build(0, 8);
	memcpy(img.mem + (node_of(5) + 8 + 16 - BASE), "/conv\x01", 6); /* a control byte */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
	build(0, 8);
	put_string(node_of(1) + 40, "Conv/2"); /* not an op type */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
	build(0, 8);
	put64(node_of(7) + 8 + 8, 40); /* local buffer, 40 bytes long */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
	build(1, 8);
	put64(INFOS + 3 * 0x40 + 8, BASE + SIZE + 0x1000); /* a Node outside the memory */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
}

/* layouts that are no session at all */
static void test_not_a_session(void **state)
{
	struct nnp_ort_layout l;

	(void)state;
	build(0, 8);
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 8, &l), -ENOENT); /* index past it */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 2, &l), -ENOENT); /* an empty entry */
	assert_int_equal(nnp_ort_graph_find(&mem, 0, 0, &l), -ENOENT);
	assert_int_equal(nnp_ort_graph_find(&mem, SS + 4, 0, &l), -ENOENT);
	assert_int_equal(nnp_ort_graph_find(&mem, BASE + SIZE, 0, &l), -ENOENT);
	put64(SS + TABLE_OFF + 16, ENTRIES); /* capacity below the end */
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
	memset(img.mem, 0, SIZE);
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 0, &l), -ENOENT);
}

/* the session changed after its layout was found: a node that no longer checks out */
static void test_node_changed(void **state)
{
	struct nnp_ort_layout l;
	struct nnp_ort_node node;

	(void)state;
	build(1, 8);
	assert_int_equal(nnp_ort_graph_find(&mem, SS, 1, &l), 0);
	put64(node_of(1), 9);
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 1, &node), -ENOENT);
	put64(node_of(1), 1);
	put64(node_of(1) + 8, 0); /* a NULL text */
	assert_int_equal(nnp_ort_graph_node(&mem, SS, &l, 1, &node), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cxx11_strings), cmocka_unit_test(test_old_abi_strings),
		cmocka_unit_test(test_empty_name),    cmocka_unit_test(test_one_bad_kernel),
		cmocka_unit_test(test_not_a_session), cmocka_unit_test(test_node_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

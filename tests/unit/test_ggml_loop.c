// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ggml's graph loop: the op calls inside it and the graph's end after its caller's call of it. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_sym.h"
#include "ggml.h"

#define FIXTURE NNP_FIXTURE_DIR "/libnnpfix_ggml.so"

static const char ops[][64] = { "ggml_compute_forward_add", "ggml_compute_forward_mul_mat",
				"ggml_compute_forward_unused" };

static uint8_t byte_at(uint64_t off)
{
	uint8_t b = 0;
	int fd = open(FIXTURE, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, (off_t)off), 1);
	close(fd);
	return b;
}

/* every op the loop calls, at a call instruction; the unused op nowhere; one
 * graph end, in ggml_graph_compute, at the emulated call after the loop's */
static void test_loop_and_end(void **state)
{
	struct nnp_ggml_loop lp;
	struct nnp_elf *e;
	struct nnp_sym fn;
	bool seen[3] = { false };
	int cls, machine, type;
	uint64_t va;

	(void)state;
	assert_int_equal(nnp_elf_open(FIXTURE, &e), 0);
	nnp_elf_abi(e, &cls, &machine, &type);
	if (machine != EM_X86_64) {
		assert_int_equal(nnp_ggml_loop_find(e, ops, 3, &lp), -ENOTSUP);
		nnp_elf_close(e);
		return;
	}
	assert_int_equal(nnp_ggml_loop_find(e, ops, 3, &lp), 0);
	assert_non_null(strstr(lp.fn, "ggml_graph_compute_thread"));
	assert_true(lp.n >= 2);
	for (size_t i = 0; i < lp.n; i++) {
		assert_true(lp.sites[i].op < 3);
		seen[lp.sites[i].op] = true;
		assert_int_equal(byte_at(lp.sites[i].call_off), 0xe8); /* call rel32 */
	}
	assert_true(seen[0] && seen[1] && !seen[2]);
	assert_int_equal(lp.nends, 1);
	assert_string_equal(lp.ends[0].caller, "ggml_graph_compute");
	assert_string_equal(lp.ends[0].insn, "call");
	assert_int_equal(byte_at(lp.ends[0].off), 0xe8);
	/* after the loop's call, inside ggml_graph_compute */
	assert_int_equal(nnp_elf_off_to_vaddr(e, lp.ends[0].off, &va), 0);
	assert_int_equal(nnp_elf_sym_at(e, va, &fn), 0);
	assert_string_equal(fn.name, "ggml_graph_compute");
	assert_true(va > fn.vaddr + 5);
	nnp_ggml_loop_free(&lp);
	assert_int_equal(lp.n, 0);
	nnp_elf_close(e);
}

/* a library without the loop: -ENOENT, nothing found */
static void test_no_loop(void **state)
{
	struct nnp_ggml_loop lp;
	struct nnp_elf *e;

	(void)state;
	assert_int_equal(nnp_elf_open(NNP_FIXTURE_DIR "/libnnpfix.so", &e), 0);
	assert_int_equal(nnp_ggml_loop_find(e, ops, 3, &lp), -ENOENT);
	assert_int_equal(lp.n, 0);
	assert_int_equal(lp.nends, 0);
	nnp_elf_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_and_end),
		cmocka_unit_test(test_no_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

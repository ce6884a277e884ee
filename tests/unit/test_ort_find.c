// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ExecuteKernel and InferenceSession::Run finders on fuzz_ort_find's
 * seeds: small programs built from tests/fuzz/seeds/ort_kernel.c and
 * ort_run.c, and the inputs that broke them.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capstone_dl.h"
#include "ort.h"

#define SEED(name) NNP_TEST_DATA_DIR "/../../fuzz/corpus/fuzz_ort_find/" name

static void read_at(const char *path, uint64_t off, uint8_t *buf, size_t len)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void test_finds_the_function(void **state)
{
	static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	uint8_t code[4];
	uint64_t off;

	(void)state;
	if (!nnp_capstone())
		skip(); /* the sweep that proves the lea needs it */
	assert_int_equal(nnp_ort_find_kernel(SEED("ort_kernel_exe"), &off), 0);
	assert_int_equal(off, 0x1190); /* objdump: <execute_kernel> */
	assert_int_equal(nnp_ort_find_kernel(SEED("ort_kernel_O0"), &off), 0);
	assert_int_equal(off, 0x1149);
	/* past the entry's endbr64 */
	assert_int_equal(nnp_ort_find_kernel(SEED("ort_kernel_cet.so"), &off), 0);
	assert_int_equal(off, 0x1174);
	read_at(SEED("ort_kernel_cet.so"), off - 4, code, sizeof(code));
	assert_memory_equal(code, endbr64, sizeof(code));
}

/* InferenceSession::Run: every reference to "model_run" in one function, or no answer */
static void test_session_run(void **state)
{
	uint64_t off = 0;

	(void)state;
	if (!nnp_capstone())
		skip();
	/* -O0: two leas of the text in session_run */
	assert_int_equal(nnp_ort_find_session_run(SEED("ort_run_O0"), &off), 0);
	assert_int_equal(off, 0x1149); /* objdump: <session_run> */
	/* stripped, endbr64 at the entry: past it */
	assert_int_equal(nnp_ort_find_session_run(SEED("ort_run_cet.so"), &off), 0);
	assert_int_equal(off, 0x1164);
	/* a second function references it: which is Run is not known */
	off = 7;
	assert_int_equal(nnp_ort_find_session_run(SEED("ort_run_two_fns"), &off), -ENOENT);
	assert_int_equal(off, 7);
	/* no such text; and each finder only finds its own function */
	assert_int_equal(nnp_ort_find_session_run(SEED("ort_kernel_exe"), &off), -ENOENT);
	assert_int_equal(nnp_ort_find_kernel(SEED("ort_run_O0"), &off), -ENOENT);
}

/* arm64 code: the text's page by adrp, its low bits by an add to that register; no
 * capstone needed (fixed-size words); bti/paciasp at the entry left to the planner */
static void test_arm64(void **state)
{
	uint64_t off = 0;

	(void)state;
	assert_int_equal(nnp_ort_find_kernel(SEED("ort_kernel_arm64"), &off), 0);
	assert_int_equal(off, 0x8a0); /* aarch64-linux-gnu-objdump: <execute_kernel> */
	assert_int_equal(nnp_ort_find_session_run(SEED("ort_run_arm64_bti.so"), &off), 0);
	assert_int_equal(off, 0x6e0); /* <session_run>: paciasp, kept */
	off = 7;
	assert_int_equal(nnp_ort_find_session_run(SEED("ort_run_arm64_two_fns"), &off), -ENOENT);
	assert_int_equal(off, 7);
	assert_int_equal(nnp_ort_find_kernel(SEED("ort_run_arm64_bti.so"), &off), -ENOENT);
}

/* hostile files: an error, never an offset outside the file or a read outside a section */
static void test_hostile_files(void **state)
{
	uint64_t off = 0;

	(void)state;
	if (!nnp_capstone())
		skip();
	/* cut inside .eh_frame: no section table, no text */
	assert_int_equal(nnp_ort_find_kernel(SEED("trunc-ort_kernel_exe-9000"), &off), -ENOENT);
	/* the text PT_LOAD's p_offset is 2^63 past the end: once found at 0xf800000000001190 */
	assert_int_equal(nnp_ort_find_kernel(SEED("regress-load-past-eof"), &off), -ENOENT);
	/* .eh_frame_hdr's FDE pointer wraps past 2^64: once read beyond .eh_frame */
	assert_int_equal(nnp_ort_find_kernel(SEED("regress-fde-wraps"), &off), -ENOTSUP);
	assert_int_equal(nnp_ort_find_kernel(SEED("no-such-file"), &off), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_the_function),
		cmocka_unit_test(test_session_run),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_hostile_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Call-site probes: calls and their emulated ends in x86-64 code, and what a PLT stub calls. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "callsite.h"
#include "elf_sym.h"

#define MAX_SITES 8

struct found {
	struct nnp_callsite s[MAX_SITES];
	size_t n;
};

static int keep(const struct nnp_callsite *c, void *arg)
{
	struct found *f = arg;

	if (f->n < MAX_SITES)
		f->s[f->n++] = *c;
	return 0;
}

/* ggml's loop: the call, then lea/mov and the jump back (emulated); a call
 * followed by a conditional jump has no end; call *%rax is no direct call */
static void test_ends(void **state)
{
	static const uint8_t code[] = {
		0x48, 0x8b, 0x74, 0x24, 0x28, /* 0x1000 mov 0x28(%rsp),%rsi */
		0xe8, 0xf6, 0x00, 0x00, 0x00, /* 0x1005 call 0x1100 */
		0x8d, 0x45, 0x01,	      /* 0x100a lea 0x1(%rbp),%eax */
		0x89, 0x44, 0x24, 0x68,	      /* 0x100d mov %eax,0x68(%rsp) */
		0xeb, 0x10,		      /* 0x1011 jmp */
		0xe8, 0xe8, 0x00, 0x00, 0x00, /* 0x1013 call 0x1100 */
		0x74, 0x05,		      /* 0x1018 je */
		0xff, 0xd0,		      /* 0x101a call *%rax */
		0xe8, 0xdf, 0x00, 0x00, 0x00, /* 0x101c call 0x1100 */
		0x55,			      /* 0x1021 push %rbp */
		0xc3,			      /* 0x1022 ret */
	};
	struct found f = { .n = 0 };

	(void)state;
	assert_int_equal(nnp_callsites_x86(code, sizeof(code), 0x1000, keep, &f), 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.s[0].call, 0x1005);
	assert_int_equal(f.s[0].target, 0x1100);
	assert_int_equal(f.s[0].end, 0x1011);
	assert_string_equal(f.s[0].end_insn, "jmp");
	assert_int_equal(f.s[1].call, 0x1013);
	assert_int_equal(f.s[1].end, 0);
	assert_string_equal(f.s[1].end_insn, "je");
	assert_int_equal(f.s[2].call, 0x101c);
	assert_int_equal(f.s[2].end, 0x1021);
	assert_string_equal(f.s[2].end_insn, "push");
}

/* a call at the end of the code has nothing after it; garbage decodes to nothing */
static void test_edges(void **state)
{
	static const uint8_t tail[] = { 0xe8, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t junk[] = { 0x06, 0x06 }; /* push %es: invalid in 64-bit mode */
	struct found f = { .n = 0 };

	(void)state;
	assert_int_equal(nnp_callsites_x86(tail, sizeof(tail), 0x2000, keep, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.s[0].end, 0);
	assert_int_equal(nnp_callsites_x86(junk, sizeof(junk), 0, keep, &f), -EINVAL);
}

struct fn {
	uint64_t vaddr, off, size;
};

static int first(const struct nnp_sym *s, void *arg)
{
	struct fn *f = arg;

	*f = (struct fn){ s->vaddr, s->file_off, s->size };
	return 1;
}

/* the fixture executable's main calls libnnpfix.so through its PLT */
static void test_plt(void **state)
{
	const char *path = NNP_FIXTURE_DIR "/nnpfix_exe";
	struct nnp_elf *e;
	struct found f = { .n = 0 };
	struct fn m = { 0 };
	uint8_t code[4096];
	char name[64];
	int fd;

	(void)state;
	assert_int_equal(nnp_elf_open(path, &e), 0);
	assert_int_equal(nnp_elf_match(e, "main", first, &m), 1);
	assert_true(m.size > 0 && m.size <= sizeof(code));
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, code, m.size, (off_t)m.off), (ssize_t)m.size);
	close(fd);
	assert_int_equal(nnp_callsites_x86(code, m.size, m.vaddr, keep, &f), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(nnp_elf_plt_name(e, f.s[0].target, name, sizeof(name)), 0);
	assert_string_equal(name, "nnp_fixture_alpha");
	assert_int_equal(nnp_elf_plt_name(e, f.s[1].target, name, sizeof(name)), 0);
	assert_string_equal(name, "nnp_fixture_beta");
	/* main itself is no stub; a name longer than the buffer is not cut */
	assert_int_equal(nnp_elf_plt_name(e, m.vaddr, name, sizeof(name)), -ENOENT);
	assert_int_equal(nnp_elf_plt_name(e, f.s[0].target, name, 8), -ENOENT);
	assert_int_equal(nnp_elf_plt_name(e, 0xffffffffffff0000ull, name, sizeof(name)), -ENOENT);
	nnp_elf_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ends),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_plt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnp_elf_check on the fixtures (real files: all pass) and on copies of one
 * with a single field broken, as a hostile process's file would be (the
 * same cases, end to end, in tests/integration/test_hostile_target.sh).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_check.h"
#include "fixtures/test_util.h"

#define LIB FIXTURE("libnnpfix.so")

struct copy {
	unsigned char *b;
	size_t len;
};

static struct copy load(void)
{
	struct copy c = { .b = malloc(1 << 20) };
	int fd = open(LIB, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0 && c.b);
	n = read(fd, c.b, 1 << 20);
	assert_true(n > (ssize_t)sizeof(Elf64_Ehdr) && n < (1 << 20));
	c.len = (size_t)n;
	close(fd);
	return c;
}

static Elf64_Ehdr *eh(struct copy *c)
{
	return (Elf64_Ehdr *)c->b;
}

static Elf64_Shdr *shdr(struct copy *c, size_t i)
{
	return (Elf64_Shdr *)(c->b + eh(c)->e_shoff) + i;
}

static Elf64_Shdr *section(struct copy *c, const char *name)
{
	const char *names = (const char *)c->b + shdr(c, eh(c)->e_shstrndx)->sh_offset;

	for (size_t i = 0; i < eh(c)->e_shnum; i++)
		if (!strcmp(names + shdr(c, i)->sh_name, name))
			return shdr(c, i);
	fail_msg("no %s in %s", name, LIB);
	return NULL;
}

/* the copy's verdict: its errno, and what it says is wrong must contain WANT */
static void expect(struct copy *c, int err, const char *want)
{
	char tmp[] = "/tmp/nnp_elf_check_XXXXXX", why[256];
	int fd = mkstemp(tmp);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, c->b, c->len), (ssize_t)c->len);
	close(fd);
	assert_int_equal(nnp_elf_check(tmp, why, sizeof(why)), err);
	if (!strstr(why, want))
		fail_msg("'%s' does not say '%s'", why, want);
	assert_null(strchr(why, '\n'));
	unlink(tmp);
	free(c->b);
}

static void test_real_files(void **state)
{
	static const char *const files[] = { "libnnpfix.so", "libnnpfixcxx.so",
					     "libnnpfixcxx_stripped.so", "nnpfix_exe",
					     "nnpfix_exe_stripped" };
	char path[512], why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", NNP_FIXTURE_DIR, files[i]);
		assert_int_equal(nnp_elf_check(path, why, sizeof(why)), 0);
		assert_string_equal(why, "");
	}
	assert_int_equal(nnp_elf_check("/usr/bin/true", why, sizeof(why)), 0);
	assert_int_equal(nnp_elf_check("/nonexistent", why, sizeof(why)), -ENOENT);
	assert_int_equal(nnp_elf_check("/etc/hostname", why, sizeof(why)), -ENOEXEC);
	assert_string_equal(why, "not an ELF file");
}

static void test_section_headers(void **state)
{
	struct copy c = load();

	(void)state;
	c.len = eh(&c)->e_shoff + 64 * (eh(&c)->e_shnum / 2) + 10; /* cut in the table */
	expect(&c, -ENOEXEC, "section headers at offset");
	c = load();
	eh(&c)->e_shnum = 0; /* extended numbering: the count is section 0's sh_size */
	shdr(&c, 0)->sh_size = 0xffffffff;
	expect(&c, -ENOEXEC, "4294967295 section headers at offset");
	c = load();
	eh(&c)->e_shentsize = 32;
	expect(&c, -ENOEXEC, "section headers of 32 bytes, not 64");
}

static void test_sections(void **state)
{
	struct copy c = load();

	(void)state;
	section(&c, ".symtab")->sh_offset = c.len + 4096;
	expect(&c, -ENOEXEC, "(.symtab): ");
	c = load();
	section(&c, ".dynsym")->sh_size = (uint64_t)1 << 40;
	expect(&c, -ENOEXEC, "(.dynsym): 1099511627776 bytes");
	c = load();
	section(&c, ".symtab")->sh_size = UINT64_MAX; /* offset + size wraps */
	expect(&c, -ENOEXEC, "run past the end of the file");
}

static void test_notes(void **state)
{
	struct copy c = load();
	Elf64_Nhdr *n = (Elf64_Nhdr *)(c.b + section(&c, ".note.gnu.build-id")->sh_offset);

	(void)state;
	n->n_descsz = 0xfffffff0;
	expect(&c, -ENOEXEC, "a 4-byte name and a 4294967280-byte descriptor, past its end");
}

static Elf64_Phdr *load_segment(struct copy *c, int k)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(c->b + eh(c)->e_phoff);

	for (size_t i = 0; i < eh(c)->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && k-- == 0)
			return &ph[i];
	fail_msg("%s has too few PT_LOADs", LIB);
	return NULL;
}

static void test_segments(void **state)
{
	struct copy c = load();

	(void)state;
	eh(&c)->e_phnum = 0xfffe;
	expect(&c, -ENOEXEC, "65534 program headers at offset 64 run past the end");
	c = load();
	load_segment(&c, 1)->p_vaddr = load_segment(&c, 0)->p_vaddr + 0x100;
	expect(&c, -ENOEXEC, "overlap or are out of order");
	c = load();
	load_segment(&c, 1)->p_filesz = c.len;
	expect(&c, -ENOEXEC, "runs past the end of the file");
	c = load();
	load_segment(&c, 1)->p_memsz = UINT64_MAX;
	expect(&c, -ENOEXEC, "wraps around the address space");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_files), cmocka_unit_test(test_section_headers),
		cmocka_unit_test(test_sections),   cmocka_unit_test(test_notes),
		cmocka_unit_test(test_segments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The gate in front of a runtime's file (elf_check.c) and what the scanner
 * does once a file passes it: open the ELF, index its functions, read its
 * notes. A file the check lets through must be read without a fault; one it
 * refuses gets one line saying why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_check.h"
#include "elf_sym.h"
#include "fuzz_util.h"

static int count_sym(const struct nnp_sym *sym, void *ctx)
{
	if (!sym->name)
		abort();
	return ++*(int *)ctx >= 4096;
}

static int count_note(const char *provider, const char *name, void *ctx)
{
	if (!provider || !name)
		abort();
	return ++*(int *)ctx >= 4096;
}

/* what the scanner reads of a file the check passed (runtime/scan.c) */
static void read_as_scanner(const char *path)
{
	struct nnp_elf *e;
	int n = 0;

	if (nnp_elf_open(path, &e))
		return;
	nnp_elf_match(e, "*", count_sym, &n);
	nnp_elf_match(e, "at::_ops::*::call", count_sym, &n);
	nnp_elf_usdt_foreach(e, count_note, &n);
	nnp_elf_build_id(e);
	nnp_elf_close(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], why[256];
	int fd = fuzz_file(data, size, path, sizeof(path)), ret;

	if (fd < 0)
		return 0;
	why[0] = '\0';
	ret = nnp_elf_check(path, why, sizeof(why));
	if (ret == -ENOEXEC) {
		/* one line, saying something */
		if (!why[0] || strchr(why, '\n') || !memchr(why, '\0', sizeof(why)))
			abort();
	} else if (ret) {
		if (ret > 0)
			abort(); /* 0 or -errno */
	} else {
		read_as_scanner(path);
	}
	close(fd);
	return 0;
}

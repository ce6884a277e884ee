// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF notes and .dynamic (elf_notes.c): stapsdt USDT notes, the GNU build-id,
 * DT_NEEDED, DT_RUNPATH/DT_RPATH and PT_INTERP of a hostile file. (The USDT
 * argument strings are parsed by libbpf when it attaches, not by nnperf.)
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "fuzz_util.h"

/* every string handed out is NUL-terminated: strlen reads all of it under ASan */
static int on_usdt(const char *provider, const char *name, void *ctx)
{
	int *n = ctx;

	if (!provider || !name || strlen(provider) + strlen(name) > (1u << 30))
		abort();
	return ++*n >= 1000; /* stopping early is part of the contract too */
}

static int on_needed(const char *soname, void *ctx)
{
	size_t *n = ctx;

	if (!soname)
		abort();
	*n += strlen(soname);
	return 0;
}

static void check_build_id(const struct nnp_elf *e)
{
	const char *id = nnp_elf_build_id(e);
	size_t len;

	if (!id)
		return;
	len = strlen(id);
	/* two lowercase hex digits a byte: it names cache files */
	if (!len || len % 2 || strspn(id, "0123456789abcdef") != len)
		abort();
}

static void check_interp(const struct nnp_elf *e)
{
	char out[PATH_MAX];
	int err;

	memset(out, 0x5a, sizeof(out));
	err = nnp_elf_interp(e, out, sizeof(out));
	if (err > 0 || (!err && !memchr(out, '\0', sizeof(out))))
		abort();
	err = nnp_elf_interp(e, out, 1);
	if (err > 0 || (!err && out[0]))
		abort(); /* one byte only fits "" */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nnp_elf *e = NULL;
	const char *runpath;
	size_t needed = 0;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path)), err, n = 0;

	if (fd < 0)
		return 0;
	err = nnp_elf_open(path, &e);
	if (err > 0 || (!err) != (e != NULL))
		abort();
	if (e) {
		err = nnp_elf_usdt_foreach(e, on_usdt, &n);
		if (err > 0)
			abort();
		err = nnp_elf_has_usdt(e, "nnperf");
		if (err > 1 || (err == 1 && !n))
			abort();
		check_build_id(e);
		if (nnp_elf_needed_foreach(e, on_needed, &needed))
			abort(); /* the callback never stops it */
		runpath = nnp_elf_runpath(e);
		if (runpath && strlen(runpath) > size)
			abort();
		check_interp(e);
	}
	nnp_elf_close(e);
	close(fd);
	return 0;
}

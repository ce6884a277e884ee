// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Symbol names of any library a target maps, through the demangler: each
 * line of the input is one name, in a buffer of exactly its size. The short
 * form must follow the demangled name's NUL and be part of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "fuzz_util.h"

static void check(const char *name)
{
	const char *base = (const char *)1;
	char *dem = (char *)1, *plain;
	size_t dlen;
	int err;

	err = nnp_demangle_full(name, &dem, &base);
	if (err) {
		if (err != -ENOMEM || dem || base)
			abort();
		return;
	}
	if (!dem && base)
		abort(); /* a short form only of a C++ name */
	if (base) {
		dlen = strlen(dem);
		if (base != dem + dlen + 1 || !*base || strlen(base) > dlen ||
		    !memmem(dem, dlen, base, strlen(base)))
			abort();
	}
	plain = nnp_demangle(name);
	if (!plain != !dem || (plain && strcmp(plain, dem)))
		abort(); /* the same name either way */
	free(plain);
	free(dem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *nl;
	char *name;

	while (data < end) {
		nl = memchr(data, '\n', (size_t)(end - data));
		if (!nl)
			nl = end;
		name = fuzz_cstr(data, (size_t)(nl - data));
		if (!name)
			return 0;
		check(name);
		free(name);
		data = nl + 1;
	}
	return 0;
}

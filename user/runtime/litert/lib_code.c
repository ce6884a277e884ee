// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A LiteRT library's functions and their code, for the finders (litert.h). */
#include <errno.h>
#include <stdlib.h>

#include "elf_sym.h"
#include "litert.h"

#define MAX_FN (256 * 1024) /* InvokeImpl is 2-3 KiB; a hostile size reads no more */

static int first_sym(const struct nnp_sym *sym, void *arg)
{
	*(struct nnp_sym *)arg = *sym;
	return 1;
}

int nnp_litert_find_fn(struct nnp_elf *e, const char *name, struct nnp_sym *sym)
{
	int n = nnp_elf_match(e, name, first_sym, sym);

	return n < 0 ? n : n ? 0 : -ENOENT;
}

int nnp_litert_read_code(struct nnp_elf *e, const struct nnp_sym *fn, uint8_t **code)
{
	int err;

	if (!fn->size || fn->size > MAX_FN)
		return -EFBIG;
	*code = malloc(fn->size);
	if (!*code)
		return -ENOMEM;
	err = nnp_elf_pread(e, *code, fn->size, fn->file_off);
	if (err)
		free(*code);
	return err;
}

uint16_t nnp_litert_machine(struct nnp_elf *e)
{
	int cls, machine, type;

	nnp_elf_abi(e, &cls, &machine, &type);
	return (uint16_t)machine;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A data object by its exact (mangled) name, from .symtab or .dynsym: where a
 * runtime keeps a table its code indexes (TFLite's op names). The function
 * index (elf_index.c) holds functions only; objects are looked up rarely,
 * once per library an adapter claims, so this walks the tables each time.
 */
#include <errno.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"

static int in_table(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *want, GElf_Sym *out)
{
	size_t symsz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Sym sym;

	if (!d || !symsz)
		return -ENOEXEC;
	/* the count from the data libelf read, never from a hostile sh_size */
	for (size_t i = 0; i < d->d_size / symsz; i++) {
		const char *name;

		if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_OBJECT ||
		    sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (name && !strcmp(name, want)) {
			*out = sym;
			return 0;
		}
	}
	return -ENOENT;
}

int nnp_elf_object(struct nnp_elf *e, const char *name, uint64_t *vaddr, uint64_t *size)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym sym;

	while ((scn = elf_nextscn(e->elf, scn))) {
		int err;

		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || !sh.sh_entsize)
			continue;
		err = in_table(e->elf, scn, &sh, name, &sym);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		*vaddr = sym.st_value;
		*size = sym.st_size;
		return 0;
	}
	return -ENOENT;
}

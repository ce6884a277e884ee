// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What an x86-64 PLT stub calls: the stub jumps through a GOT slot
 * (`jmp *slot(%rip)`, after `endbr64` and a `bnd` prefix in .plt.sec) and the
 * dynamic relocation of that slot (R_X86_64_JUMP_SLOT, or GLOB_DAT for
 * .plt.got) names the symbol. Every byte is the file's: the stub is read at
 * its file offset, relocations and names through libelf's bounded accessors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "elf_priv.h"
#include "elf_sym.h"

#define R_JUMP_SLOT 7 /* R_X86_64_JUMP_SLOT */
#define R_GLOB_DAT 6  /* R_X86_64_GLOB_DAT */

/* the GOT slot a stub at VADDR jumps through; 0 or -ENOENT (not a stub this knows) */
static int stub_slot(const struct nnp_elf *e, uint64_t vaddr, uint64_t *slot)
{
	uint8_t b[16];
	uint64_t off;
	size_t i = 0;
	int32_t disp;

	if (nnp_elf_vaddr_to_off(e, vaddr, &off) || nnp_elf_pread(e, b, sizeof(b), off))
		return -ENOENT;
	if (!memcmp(b, "\xf3\x0f\x1e\xfa", 4))
		i = 4; /* endbr64 */
	if (b[i] == 0xf2)
		i++; /* bnd */
	if (b[i] != 0xff || b[i + 1] != 0x25)
		return -ENOENT;
	memcpy(&disp, b + i + 2, sizeof(disp));
	*slot = vaddr + i + 6 + (uint64_t)(int64_t)disp;
	return 0;
}

/* the name of the symbol relocation section SCN puts at SLOT; 0 or -ENOENT */
static int rela_name(struct nnp_elf *e, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t slot,
		     char *name, size_t len)
{
	Elf_Data *d = elf_getdata(scn, NULL), *sd;
	Elf_Scn *symscn = elf_getscn(e->elf, sh->sh_link);
	GElf_Shdr ssh;
	GElf_Rela r;
	GElf_Sym sym;
	const char *s;

	if (!d || !symscn || !gelf_getshdr(symscn, &ssh) || !sh->sh_entsize)
		return -ENOENT;
	sd = elf_getdata(symscn, NULL);
	/* d_size, not sh_size: a hostile header cannot make the walk longer than the file */
	for (size_t i = 0; sd && i < d->d_size / sh->sh_entsize; i++) {
		unsigned type;

		if (!gelf_getrela(d, (int)i, &r) || r.r_offset != slot)
			continue;
		type = (unsigned)GELF_R_TYPE(r.r_info);
		if (type != R_JUMP_SLOT && type != R_GLOB_DAT)
			return -ENOENT;
		if (!gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &sym))
			return -ENOENT;
		s = elf_strptr(e->elf, ssh.sh_link, sym.st_name);
		if (!s || !*s || strlen(s) >= len)
			return -ENOENT;
		snprintf(name, len, "%s", s);
		return 0;
	}
	return -ENOENT;
}

int nnp_elf_plt_name(struct nnp_elf *e, uint64_t vaddr, char *name, size_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	uint64_t slot;

	if (e->machine != EM_X86_64 || e->cls != ELFCLASS64 || stub_slot(e, vaddr, &slot))
		return -ENOENT;
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA)
			continue;
		if (!rela_name(e, scn, &sh, slot, name, len))
			return 0;
	}
	return -ENOENT;
}

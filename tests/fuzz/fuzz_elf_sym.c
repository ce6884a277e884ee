// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The function index of an ELF file (elf_sym.c, elf_index.c): open, match a few
 * patterns, look symbols up by address, map addresses to file offsets and back,
 * name the PLT stub at an address (elf_plt.c).
 * The file is hostile (nnperf reads what other people's processes mapped).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "fuzz_util.h"

struct seen {
	struct nnp_elf *e;
	int n;
	char name[256], dem[256]; /* the first match, to look up again by name */
	uint64_t vaddr;
};

/* how many PT_LOAD segments hold file offset OFF */
static size_t segs_with_off(const struct nnp_elf *e, uint64_t off)
{
	size_t i, n = 0;

	for (i = 0; i < e->nsegs; i++)
		n += off >= e->segs[i].off && off - e->segs[i].off < e->segs[i].filesz;
	return n;
}

/* what the API promises about every symbol it hands out */
static int check_sym(const struct nnp_sym *sym, void *ctx)
{
	struct seen *s = ctx;
	uint64_t off, vaddr;
	struct nnp_sym at;

	if (!sym->name || !sym->name[0] || strlen(sym->name) > (1 << 24))
		abort();
	if (sym->demangled && strlen(sym->demangled) > (1 << 26))
		abort();
	if (nnp_elf_vaddr_to_off(s->e, sym->vaddr, &off) || off != sym->file_off)
		abort(); /* file_off is where sym->vaddr lies in the file */
	if (nnp_elf_off_to_vaddr(s->e, sym->file_off, &vaddr))
		abort();
	/* both directions agree unless two segments map the same file bytes */
	if (vaddr != sym->vaddr && segs_with_off(s->e, sym->file_off) < 2)
		abort();
	if (nnp_elf_sym_at(s->e, sym->vaddr, &at) || at.vaddr != sym->vaddr)
		abort(); /* the address of a symbol is inside a symbol */
	if (!s->n++) {
		snprintf(s->name, sizeof(s->name), "%s", sym->name);
		snprintf(s->dem, sizeof(s->dem), "%s", sym->demangled ? sym->demangled : "");
		s->vaddr = sym->vaddr;
	}
	return s->n >= 64; /* enough to check; the walk stops here */
}

static void match(struct nnp_elf *e, const char *pattern, struct seen *s)
{
	int n;

	s->e = e;
	s->n = 0;
	n = nnp_elf_match(e, pattern, check_sym, s);
	if (n >= 0 && n != s->n && s->n < 64)
		abort(); /* the count is what the callback saw */
}

/* a name the index handed out is found again by that name */
static void match_again(struct nnp_elf *e, const char *name)
{
	struct seen s = { 0 };
	char copy[256];

	if (!name[0] || strlen(name) >= sizeof(copy) - 1)
		return; /* truncated copies need not match */
	snprintf(copy, sizeof(copy), "%s", name);
	match(e, copy, &s);
	if (s.n < 1)
		abort();
}

static void check_addresses(struct nnp_elf *e, const uint8_t *data, size_t size)
{
	uint64_t v = 0, off;
	struct nnp_sym sym;
	int err;

	if (size >= 8)
		memcpy(&v, data + size - 8, 8); /* any address, from the input */
	err = nnp_elf_sym_at(e, v, &sym);
	if (err > 0 || (!err && (v < sym.vaddr || !sym.name)))
		abort();
	if (!nnp_elf_vaddr_to_off(e, v, &off) &&
	    (nnp_elf_off_to_vaddr(e, off, &v) || nnp_elf_vaddr_to_off(e, v, &off)))
		abort(); /* an offset found for an address maps back into a segment */
}

/* the PLT stub at an address from the input names a symbol, in the buffer, or nothing */
static void check_plt(struct nnp_elf *e, const uint8_t *data, size_t size)
{
	char name[32]; /* short: a longer name is refused, never overrun */
	uint64_t v = 0;
	int err;

	if (size >= 16)
		memcpy(&v, data + size - 16, 8);
	memset(name, 0x5a, sizeof(name));
	err = nnp_elf_plt_name(e, v, name, sizeof(name));
	if (err > 0 || (!err && (!memchr(name, '\0', sizeof(name)) || !name[0])))
		abort();
	if (!err && nnp_elf_plt_name(e, v, name, 1) == 0 && name[0])
		abort(); /* a 1-byte buffer holds the empty string at most */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const patterns[] = { "main",	      "*conv*",	   "_Z*", "ns::make<int>",
						"*::forward", "f?o[a-z]*", "[" };
	struct nnp_elf *e = NULL;
	struct seen s = { 0 };
	char path[64];
	size_t i;
	int fd = fuzz_file(data, size, path, sizeof(path)), err;

	if (fd < 0)
		return 0;
	err = nnp_elf_open(path, &e);
	if (err > 0 || (!err) != (e != NULL))
		abort(); /* 0 and a handle, or -errno and none */
	if (e) {
		err = nnp_elf_is_stripped(e);
		if (err > 1)
			abort();
		for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
			match(e, patterns[i], &s);
		match(e, "*", &s);
		if (s.n) {
			match_again(e, s.name);
			match_again(e, s.dem);
		}
		check_addresses(e, data, size);
		check_plt(e, data, size);
	}
	nnp_elf_close(e);
	close(fd);
	return 0;
}

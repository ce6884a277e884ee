// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The function index of one ELF file: every defined STT_FUNC/STT_GNU_IFUNC
 * name of .symtab and .dynsym, built once, sorted by address so that aliases
 * (and the same function in both tables) sit together and are reported once.
 * C++ names are demangled only when a pattern needs them, then kept: a big
 * library is matched against many patterns.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"

struct fn_table {
	Elf_Data *data;
	size_t n;      /* entries, as many as the data holds (not sh_size / sh_entsize) */
	size_t strtab; /* sh_link */
	unsigned rank; /* .symtab names win: .dynsym lacks local functions' real names */
};

static unsigned bind_rank(unsigned char info)
{
	switch (GELF_ST_BIND(info)) {
	case STB_GLOBAL:
		return 0;
	case STB_WEAK:
		return 1;
	default:
		return 2;
	}
}

static int is_function(const GElf_Sym *sym)
{
	int type = GELF_ST_TYPE(sym->st_info);

	return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym->st_shndx != SHN_UNDEF &&
	       sym->st_value != 0;
}

/*
 * The symbol tables, and how many entries they hold in all. The counts come
 * from the data libelf read from the file, never from the header's sizes: a
 * hostile sh_size would have the index allocate for billions of symbols.
 */
static int find_tables(Elf *elf, struct fn_table tabs[2], size_t *ntabs, size_t *nsyms)
{
	size_t symsz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	*ntabs = 0;
	*nsyms = 0;
	if (!symsz)
		return -ENOEXEC;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) || !sh.sh_entsize)
			continue;
		if (*ntabs == 2)
			return -ENOEXEC;
		tabs[*ntabs].data = elf_getdata(scn, NULL);
		if (!tabs[*ntabs].data)
			return -ENOEXEC;
		tabs[*ntabs].n = tabs[*ntabs].data->d_size / symsz;
		tabs[*ntabs].strtab = sh.sh_link;
		tabs[*ntabs].rank = sh.sh_type == SHT_SYMTAB ? 0 : 4;
		*nsyms += tabs[*ntabs].n;
		(*ntabs)++;
	}
	return 0;
}

static int add_fn(struct nnp_elf *e, const GElf_Sym *sym, const char *name, unsigned rank)
{
	struct nnp_elf_fn *fn = &e->fns[e->nfns];

	if (!name || !*name)
		return 0;
	/* functions outside any loaded segment (debug-only files) cannot be probed */
	if (nnp_elf_vaddr_to_off(e, sym->st_value, &fn->off))
		return 0;
	fn->name = name;
	fn->vaddr = sym->st_value;
	fn->size = sym->st_size;
	fn->rank = rank + bind_rank(sym->st_info);
	e->nfns++;
	return 0;
}

static int index_table(struct nnp_elf *e, const struct fn_table *t)
{
	GElf_Sym sym;
	size_t i;
	int err;

	for (i = 0; i < t->n; i++) {
		if (!gelf_getsym(t->data, (int)i, &sym))
			return -ENOEXEC;
		if (!is_function(&sym))
			continue;
		err = add_fn(e, &sym, elf_strptr(e->elf, t->strtab, sym.st_name), t->rank);
		if (err)
			return err;
	}
	return 0;
}

static int fn_cmp(const void *a, const void *b)
{
	const struct nnp_elf_fn *x = a, *y = b;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* by address, then name: copies of one name at one address are neighbours */
static int fn_cmp_name(const void *a, const void *b)
{
	const struct nnp_elf_fn *x = a, *y = b;
	int c;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/*
 * The same name at the same address from both tables is one entry, the
 * best-ranked. Sorting by name first keeps this O(n log n): comparing each
 * name with every other at its address took 33 s for 60,000 aliases.
 */
static void drop_duplicates(struct nnp_elf *e)
{
	size_t i, kept = 0;

	qsort(e->fns, e->nfns, sizeof(*e->fns), fn_cmp_name);
	for (i = 0; i < e->nfns; i++) {
		if (kept && e->fns[kept - 1].vaddr == e->fns[i].vaddr &&
		    !strcmp(e->fns[kept - 1].name, e->fns[i].name))
			continue;
		e->fns[kept++] = e->fns[i];
	}
	e->nfns = kept;
}

static int build_index(struct nnp_elf *e)
{
	struct fn_table tabs[2];
	size_t i, ntabs, nsyms;
	int err;

	if (e->indexed)
		return 0;
	err = find_tables(e->elf, tabs, &ntabs, &nsyms);
	if (err)
		return err;
	e->fns = calloc(nsyms ? nsyms : 1, sizeof(*e->fns));
	if (!e->fns)
		return -ENOMEM;
	for (i = 0; i < ntabs && !err; i++)
		err = index_table(e, &tabs[i]);
	if (err) {
		/* nothing is demangled yet; a later call starts over */
		free(e->fns);
		e->fns = NULL;
		e->nfns = 0;
		return err;
	}
	drop_duplicates(e);
	qsort(e->fns, e->nfns, sizeof(*e->fns), fn_cmp);
	e->indexed = 1;
	return 0;
}

int nnp_elf_is_stripped(const struct nnp_elf *e)
{
	struct fn_table tabs[2];
	size_t i, j, ntabs, nsyms;
	GElf_Sym sym;
	int err;

	err = find_tables(e->elf, tabs, &ntabs, &nsyms);
	if (err)
		return err;
	for (i = 0; i < ntabs; i++) {
		for (j = 0; j < tabs[i].n; j++) {
			if (!gelf_getsym(tabs[i].data, (int)j, &sym))
				return -ENOEXEC;
			if (is_function(&sym))
				return 0;
		}
	}
	return 1;
}

static int fn_demangle(struct nnp_elf_fn *fn)
{
	int err;

	if (fn->dem_done)
		return 0;
	err = nnp_demangle_full(fn->name, &fn->dem, &fn->base);
	if (err)
		return err;
	fn->dem_done = 1;
	return 0;
}

static int fn_to_sym(struct nnp_elf_fn *fn, struct nnp_sym *out)
{
	int err = fn_demangle(fn);

	if (err)
		return err;
	out->name = fn->name;
	out->demangled = fn->dem;
	out->vaddr = fn->vaddr;
	out->size = fn->size;
	out->file_off = fn->off;
	return 0;
}

/*
 * fnmatch over every name of a big library is slow ("*::forward" against
 * 100,000 names): literal parts of the glob reject most names first.
 */
struct pattern {
	const char *text;
	int glob;
	int cold;	  /* the user asked for .cold fragments */
	size_t prefix;	  /* literal text before the first glob character */
	const char *tail; /* literal text after the last one, or NULL */
	size_t tail_len;
	char needle[64]; /* (part of) the longest literal run in between */
};

/* end of the glob token at p: '*', '?' or a bracket expression */
static const char *glob_token_end(const char *p)
{
	const char *q = p + 1;

	if (*p != '[')
		return q;
	q += *q == '!' || *q == '^';
	q += *q == ']';
	q = strchr(q, ']');
	return q ? q + 1 : p + 1; /* an unclosed '[' is a plain character to fnmatch */
}

static void pattern_init(struct pattern *p, const char *text)
{
	const char *run = text, *end;
	size_t best = 0;

	memset(p, 0, sizeof(*p));
	p->text = text;
	p->cold = strstr(text, ".cold") != NULL;
	p->prefix = strcspn(text, "*?[\\");
	p->glob = text[p->prefix] != '\0';
	/* escapes would need unquoting: only the prefix check then */
	if (!p->glob || strchr(text, '\\'))
		return;
	while (*run) {
		size_t n = strcspn(run, "*?[");

		if (n > best) {
			best = n;
			snprintf(p->needle, sizeof(p->needle), "%.*s", (int)n, run);
		}
		if (!run[n]) {
			p->tail = run;
			p->tail_len = n;
			break;
		}
		end = glob_token_end(run + n);
		run = end;
	}
}

static int str_match(const struct pattern *p, const char *s)
{
	size_t len;

	if (!s)
		return 0;
	if (!strcmp(p->text, s))
		return 1;
	if (!p->glob || strncmp(s, p->text, p->prefix))
		return 0;
	if (p->tail) {
		len = strlen(s);
		if (len < p->tail_len || memcmp(s + len - p->tail_len, p->tail, p->tail_len))
			return 0;
	}
	if (p->needle[0] && !strstr(s, p->needle))
		return 0;
	return !fnmatch(p->text, s, 0);
}

/*
 * GCC's "foo.cold" holds the unlikely blocks of foo, reached by a jump: a
 * uretprobe there would take a random stack slot for the return address.
 */
static int is_cold(const char *name)
{
	const char *c = strstr(name, ".cold");

	return c && (c[5] == '\0' || c[5] == '.');
}

/* 1, 0 or -ENOMEM */
static int fn_match(struct nnp_elf_fn *fn, const struct pattern *p, int demangled)
{
	int err, m;

	m = str_match(p, fn->name);
	if (!m && demangled && !strncmp(fn->name, "_Z", 2)) {
		err = fn_demangle(fn);
		if (err)
			return err;
		m = str_match(p, fn->dem) || str_match(p, fn->base);
	}
	return m && (p->cold || !is_cold(fn->name));
}

/* one callback per address: the first matching name in (table, binding, name) order */
static int walk(struct nnp_elf *e, const struct pattern *p, int demangled, nnp_sym_cb cb, void *ctx)
{
	struct nnp_sym sym;
	size_t i, k, next;
	int count = 0, m;

	for (i = 0; i < e->nfns; i = next) {
		for (next = i + 1; next < e->nfns && e->fns[next].vaddr == e->fns[i].vaddr; next++)
			;
		for (k = i; k < next; k++) {
			m = fn_match(&e->fns[k], p, demangled);
			if (m < 0)
				return m;
			if (m)
				break;
		}
		if (k == next)
			continue;
		count++;
		m = fn_to_sym(&e->fns[k], &sym);
		if (m < 0)
			return m;
		if (cb && cb(&sym, ctx))
			break;
	}
	return count;
}

static int is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int nnp_elf_match(struct nnp_elf *e, const char *pattern, nnp_sym_cb cb, void *ctx)
{
	struct pattern p;
	int err, n;

	if (!e || !pattern || !*pattern)
		return -EINVAL;
	err = build_index(e);
	if (err)
		return err;
	pattern_init(&p, pattern);
	/*
	 * A C-looking name is looked up among stored names first: demangling is
	 * needed only if that finds nothing (a C++ function in no namespace).
	 */
	if (is_ident_start(pattern[0]) && !strstr(pattern, "::") && !strchr(pattern, '(')) {
		n = walk(e, &p, 0, cb, ctx);
		if (n)
			return n;
	}
	return walk(e, &p, 1, cb, ctx);
}

/* the last index whose address is <= vaddr, or -1 */
static long find_floor(const struct nnp_elf *e, uint64_t vaddr)
{
	size_t lo = 0, hi = e->nfns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->fns[mid].vaddr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

int nnp_elf_sym_at(struct nnp_elf *e, uint64_t vaddr, struct nnp_sym *out)
{
	uint64_t size = 0;
	long i, first;
	struct nnp_sym sym;
	int err;

	if (!e)
		return -ENOENT;
	err = build_index(e);
	if (err)
		return err;
	i = find_floor(e, vaddr);
	if (i < 0)
		return -ENOENT;
	for (first = i; first > 0 && e->fns[first - 1].vaddr == e->fns[i].vaddr; first--)
		;
	for (; i >= first; i--)
		size = e->fns[i].size > size ? e->fns[i].size : size;
	/* a zero-sized symbol (assembly) still names the instruction it labels */
	if (vaddr - e->fns[first].vaddr >= (size ? size : 1))
		return -ENOENT;
	err = fn_to_sym(&e->fns[first], &sym);
	if (err)
		return err;
	sym.size = size;
	if (out)
		*out = sym;
	return 0;
}

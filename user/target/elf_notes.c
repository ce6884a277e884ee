// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ELF notes (GNU build-id, SystemTap USDT) and the .dynamic entries libpath needs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"

#define NT_STAPSDT 3

typedef int (*note_fn)(const GElf_Nhdr *nh, const char *owner, const unsigned char *desc,
		       void *ctx);

/* calls fn for each well-formed note in data until it returns non-zero */
static int walk_notes(Elf_Data *data, note_fn fn, void *ctx)
{
	size_t off = 0, next, name_off, desc_off;
	const char *owner;
	GElf_Nhdr nh;
	int ret;

	while (off < data->d_size) {
		next = gelf_getnote(data, off, &nh, &name_off, &desc_off);
		if (!next)
			return -ENOEXEC;
		owner = (const char *)data->d_buf + name_off;
		if (nh.n_namesz && owner[nh.n_namesz - 1] == '\0') {
			ret = fn(&nh, owner, (const unsigned char *)data->d_buf + desc_off, ctx);
			if (ret)
				return ret;
		}
		off = next;
	}
	return 0;
}

/* fn over the notes of every SHT_NOTE section */
static int walk_note_sections(Elf *elf, note_fn fn, void *ctx)
{
	Elf_Scn *scn = NULL;
	Elf_Data *data;
	GElf_Shdr sh;
	int ret;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if (sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			return -ENOEXEC;
		ret = walk_notes(data, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* without section headers (sstrip'ed files) the notes are still in PT_NOTE */
static int walk_note_segments(Elf *elf, note_fn fn, void *ctx)
{
	Elf_Data *data;
	size_t i, n;
	GElf_Phdr ph;
	int ret;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph))
			return -ENOEXEC;
		if (ph.p_type != PT_NOTE)
			continue;
		/* 8-aligned notes (GNU properties) pad their parts to 8, as in SHT_NOTE */
		data = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz,
					    ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (!data)
			return -ENOEXEC;
		ret = walk_notes(data, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Linkers write 8 to 20 bytes (xxhash, md5, uuid, sha1). A longer one is not
 * used: the id names cache files, and n_descsz * 2 + 1 would wrap in 32 bits.
 */
#define BUILD_ID_MAX 64

static int build_id_note(const GElf_Nhdr *nh, const char *owner, const unsigned char *desc,
			 void *ctx)
{
	struct nnp_elf *e = ctx;
	size_t i;

	if (nh->n_type != NT_GNU_BUILD_ID || strcmp(owner, "GNU") || !nh->n_descsz ||
	    nh->n_descsz > BUILD_ID_MAX)
		return 0;
	e->build_id = malloc((size_t)nh->n_descsz * 2 + 1);
	if (!e->build_id)
		return -ENOMEM;
	for (i = 0; i < nh->n_descsz; i++) {
		e->build_id[2 * i] = "0123456789abcdef"[desc[i] >> 4];
		e->build_id[2 * i + 1] = "0123456789abcdef"[desc[i] & 0xf];
	}
	e->build_id[2 * i] = '\0';
	return 1;
}

int nnp_elf_read_build_id(struct nnp_elf *e)
{
	size_t nsec;
	int ret;

	if (elf_getshdrnum(e->elf, &nsec))
		return -ENOEXEC;
	if (nsec)
		ret = walk_note_sections(e->elf, build_id_note, e);
	else
		ret = walk_note_segments(e->elf, build_id_note, e);
	return ret < 0 ? ret : 0;
}

struct usdt_walk {
	int cls;
	int (*cb)(const char *provider, const char *name, void *ctx);
	void *ctx;
};

/* the string after the one at s, or NULL if s is not terminated before end */
static const char *next_string(const char *s, const char *end)
{
	const char *nul = memchr(s, '\0', (size_t)(end - s));

	return nul && nul + 1 < end ? nul + 1 : NULL;
}

/*
 * A stapsdt note: pc, base and semaphore addresses, then "provider\0name\0args\0".
 * A malformed one is skipped, as other USDT readers do.
 */
static int usdt_note(const GElf_Nhdr *nh, const char *owner, const unsigned char *desc, void *ctx)
{
	struct usdt_walk *w = ctx;
	size_t addrs = 3 * (w->cls == ELFCLASS64 ? 8 : 4);
	const char *provider, *name, *args, *end;

	if (nh->n_type != NT_STAPSDT || strcmp(owner, "stapsdt") || nh->n_descsz <= addrs)
		return 0;
	provider = (const char *)desc + addrs;
	end = (const char *)desc + nh->n_descsz;
	name = next_string(provider, end);
	args = name ? next_string(name, end) : NULL;
	if (!args || !memchr(args, '\0', (size_t)(end - args)))
		return 0;
	return w->cb(provider, name, w->ctx);
}

int nnp_elf_usdt_foreach(struct nnp_elf *e,
			 int (*cb)(const char *provider, const char *name, void *ctx), void *ctx)
{
	struct usdt_walk w = { .cls = e->cls, .cb = cb, .ctx = ctx };
	int ret = walk_note_sections(e->elf, usdt_note, &w);

	return ret < 0 ? ret : 0;
}

static int provider_is(const char *provider, const char *name, void *ctx)
{
	(void)name;
	return !strcmp(provider, ctx);
}

int nnp_elf_has_usdt(struct nnp_elf *e, const char *provider)
{
	struct usdt_walk w = { .cls = e->cls, .cb = provider_is, .ctx = (void *)provider };

	return walk_note_sections(e->elf, usdt_note, &w);
}

static int dyn_entry(struct nnp_elf *e, const GElf_Dyn *d, size_t strtab)
{
	const char *s;

	if (d->d_tag != DT_NEEDED && d->d_tag != DT_RUNPATH && d->d_tag != DT_RPATH)
		return 0;
	s = elf_strptr(e->elf, strtab, d->d_un.d_val);
	if (!s)
		return -ENOEXEC;
	if (d->d_tag == DT_NEEDED)
		e->needed[e->nneeded++] = s;
	else if (d->d_tag == DT_RUNPATH)
		e->runpath = s;
	else
		e->rpath = s;
	return 0;
}

static int read_dynamic_section(struct nnp_elf *e, Elf_Scn *scn, const GElf_Shdr *sh)
{
	size_t i, n, dynsz = gelf_fsize(e->elf, ELF_T_DYN, 1, EV_CURRENT);
	Elf_Data *data;
	GElf_Dyn d;
	int err;

	data = elf_getdata(scn, NULL);
	if (!data || !dynsz)
		return -ENOEXEC;
	/* counted in what libelf read: a hostile sh_size would ask for terabytes */
	n = sh->sh_entsize ? data->d_size / dynsz : 0;
	e->needed = calloc(n ? n : 1, sizeof(*e->needed));
	if (!e->needed)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!gelf_getdyn(data, (int)i, &d))
			return -ENOEXEC;
		if (d.d_tag == DT_NULL)
			break;
		err = dyn_entry(e, &d, sh->sh_link);
		if (err)
			return err;
	}
	return 0;
}

int nnp_elf_read_dynamic(struct nnp_elf *e)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if (sh.sh_type == SHT_DYNAMIC)
			return read_dynamic_section(e, scn, &sh);
	}
	return 0; /* static executable */
}

/*
 * Through a raw chunk, which libelf bounds by the file, rather than
 * elf_rawfile: without a mapping that reads the whole file, and libelf then
 * loses the sections it had read on its own.
 */
int nnp_elf_interp(const struct nnp_elf *e, char *out, size_t len)
{
	size_t phnum;

	if (elf_getphdrnum(e->elf, &phnum))
		return -ENOEXEC;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		Elf_Data *data;

		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz == 0 || ph.p_filesz > len)
			return -ENOEXEC;
		data = elf_getdata_rawchunk(e->elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_BYTE);
		if (!data || data->d_size != ph.p_filesz ||
		    ((const char *)data->d_buf)[ph.p_filesz - 1])
			return -ENOEXEC;
		memcpy(out, data->d_buf, ph.p_filesz);
		return 0;
	}
	return -ENOENT;
}

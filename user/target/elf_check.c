// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bounds of an ELF file's tables against its size (elf_check.h). Every
 * count and offset is checked before anything is read through it, and only
 * with arithmetic that cannot wrap; a message gives the file's own numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_check.h"
#include "log.h"
#include "text.h"

struct chk {
	int fd;
	Elf *elf;
	uint64_t size;
	GElf_Ehdr eh;
	char *why;
	size_t len;
};

typedef unsigned long long ull;

static int NNP_PRINTF(2, 3) bad(struct chk *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->len, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* n entries of entsize bytes at off end within the file */
static bool fits(const struct chk *c, uint64_t off, uint64_t n, uint64_t entsize)
{
	return off <= c->size && (!entsize || n <= (c->size - off) / entsize);
}

/* e_shnum, or section 0's sh_size when it is 0 and there is a table (extended numbering) */
static int claimed_shnum(struct chk *c, uint64_t *n)
{
	unsigned char b[8] = { 0 };
	bool is64 = c->eh.e_ident[EI_CLASS] == ELFCLASS64;
	size_t w = is64 ? 8 : 4;
	uint64_t v = 0;

	*n = c->eh.e_shnum;
	if (*n || !c->eh.e_shoff)
		return 0;
	if (!fits(c, c->eh.e_shoff, 1, gelf_fsize(c->elf, ELF_T_SHDR, 1, EV_CURRENT)) ||
	    pread(c->fd, b, w, (off_t)(c->eh.e_shoff + (is64 ? 32 : 20))) != (ssize_t)w)
		return bad(c,
			   "its section header table (offset %llu) starts past the end of the "
			   "file (%llu bytes)",
			   (ull)c->eh.e_shoff, (ull)c->size);
	for (size_t i = w; i-- > 0;) /* little-endian, checked in check_header */
		v = v << 8 | b[i];
	*n = v;
	return 0;
}

static int check_header(struct chk *c)
{
	if (!gelf_getehdr(c->elf, &c->eh))
		return bad(c, "unreadable ELF header (%s)", elf_errmsg(-1));
	if (c->eh.e_ident[EI_CLASS] != ELFCLASS32 && c->eh.e_ident[EI_CLASS] != ELFCLASS64)
		return bad(c, "unknown ELF class %u", c->eh.e_ident[EI_CLASS]);
	/* nnperf probes only processes of this machine, whose files are in its byte order */
	if (c->eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return bad(c, "not a little-endian ELF file (EI_DATA %u)", c->eh.e_ident[EI_DATA]);
	return 0;
}

static const char *seg_name(uint32_t type)
{
	switch (type) {
	case PT_LOAD:
		return "PT_LOAD";
	case PT_DYNAMIC:
		return "PT_DYNAMIC";
	case PT_NOTE:
		return "PT_NOTE";
	case PT_INTERP:
		return "PT_INTERP";
	default:
		return "segment";
	}
}

/* ld.so maps PT_LOADs in order, each past the one before (ELF gABI: sorted by p_vaddr) */
static int check_load(struct chk *c, size_t i, const GElf_Phdr *ph, uint64_t *end, size_t *prev)
{
	if (ph->p_filesz > ph->p_memsz)
		return bad(c, "PT_LOAD %zu has more bytes in the file (%llu) than in memory (%llu)",
			   i, (ull)ph->p_filesz, (ull)ph->p_memsz);
	if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
		return bad(c, "PT_LOAD %zu (0x%llx, %llu bytes) wraps around the address space", i,
			   (ull)ph->p_vaddr, (ull)ph->p_memsz);
	if (*prev != SIZE_MAX && ph->p_vaddr < *end)
		return bad(c,
			   "PT_LOAD segments %zu and %zu overlap or are out of order (0x%llx "
			   "starts before 0x%llx, where %zu ends)",
			   *prev, i, (ull)ph->p_vaddr, (ull)*end, *prev);
	*end = ph->p_vaddr + ph->p_memsz;
	*prev = i;
	return 0;
}

static int check_segments(struct chk *c, size_t n)
{
	size_t prev = SIZE_MAX;
	uint64_t end = 0;
	GElf_Phdr ph;
	int err;

	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(c->elf, (int)i, &ph))
			return bad(c, "unreadable program header %zu (%s)", i, elf_errmsg(-1));
		if (ph.p_type == PT_NULL)
			continue;
		/* an empty one (PT_GNU_STACK) says nothing about the file */
		if (ph.p_filesz && !fits(c, ph.p_offset, ph.p_filesz, 1))
			return bad(c,
				   "%s %zu (%llu bytes at offset %llu) runs past the end of the "
				   "file (%llu bytes)",
				   seg_name(ph.p_type), i, (ull)ph.p_filesz, (ull)ph.p_offset,
				   (ull)c->size);
		err = ph.p_type == PT_LOAD ? check_load(c, i, &ph, &end, &prev) : 0;
		if (err)
			return err;
	}
	return 0;
}

static int check_phdrs(struct chk *c)
{
	size_t entsize = gelf_fsize(c->elf, ELF_T_PHDR, 1, EV_CURRENT), n = c->eh.e_phnum;

	/* PN_XNUM: the count is in section 0, which libelf reads (and bounds) */
	if (n == PN_XNUM && elf_getphdrnum(c->elf, &n))
		return bad(c, "unreadable program header count (%s)", elf_errmsg(-1));
	if (!n)
		return 0;
	if (c->eh.e_phentsize != entsize)
		return bad(c, "program headers of %u bytes, not %zu", c->eh.e_phentsize, entsize);
	if (!fits(c, c->eh.e_phoff, n, entsize))
		return bad(c,
			   "%zu program headers at offset %llu run past the end of the file "
			   "(%llu bytes)",
			   n, (ull)c->eh.e_phoff, (ull)c->size);
	return check_segments(c, n);
}

/* each note's header, name and descriptor inside its section or segment */
static int check_notes(struct chk *c, Elf_Data *d, const char *where)
{
	size_t off = 0, next, name_off, desc_off;
	uint32_t hdr[3];
	GElf_Nhdr nh;

	while (off < d->d_size) {
		next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
		if (next)
			off = next;
		else if (d->d_size - off < sizeof(hdr))
			return bad(c, "%s ends inside a note header (offset %zu of %zu)", where,
				   off, d->d_size);
		else
			break;
	}
	if (off >= d->d_size)
		return 0;
	memcpy(hdr, (const char *)d->d_buf + off, sizeof(hdr));
	return bad(c,
		   "the note at offset %zu of %s claims a %u-byte name and a %u-byte "
		   "descriptor, past its end (%zu bytes)",
		   off, where, hdr[0], hdr[1], d->d_size);
}

static int check_section(struct chk *c, Elf_Scn *scn, size_t shstrndx)
{
	const char *name;
	char where[128], shown[80];
	Elf_Data *d;
	GElf_Shdr sh;
	size_t i = elf_ndxscn(scn);

	if (!gelf_getshdr(scn, &sh))
		return bad(c, "unreadable section header %zu (%s)", i, elf_errmsg(-1));
	/* the name is the file's bytes: no newline or escape reaches the line */
	name = elf_strptr(c->elf, shstrndx, sh.sh_name);
	nnp_text_display(shown, sizeof(shown), name ? name : "?", 64);
	snprintf(where, sizeof(where), "section %zu (%s)", i, shown);
	if (sh.sh_type == SHT_NOBITS || !sh.sh_size)
		return 0;
	if (!fits(c, sh.sh_offset, sh.sh_size, 1))
		return bad(c,
			   "%s: %llu bytes at offset %llu run past the end of the file (%llu "
			   "bytes)",
			   where, (ull)sh.sh_size, (ull)sh.sh_offset, (ull)c->size);
	if (sh.sh_type != SHT_NOTE)
		return 0;
	d = elf_getdata(scn, NULL);
	if (!d)
		return bad(c, "%s: unreadable notes (%s)", where, elf_errmsg(-1));
	return check_notes(c, d, where);
}

static int check_shdrs(struct chk *c)
{
	size_t entsize = gelf_fsize(c->elf, ELF_T_SHDR, 1, EV_CURRENT), seen, shstrndx = 0;
	Elf_Scn *scn = NULL;
	uint64_t n;
	int err = claimed_shnum(c, &n);

	if (err || !n)
		return err;
	if (c->eh.e_shentsize != entsize)
		return bad(c, "section headers of %u bytes, not %zu", c->eh.e_shentsize, entsize);
	if (!fits(c, c->eh.e_shoff, n, entsize))
		return bad(c,
			   "%llu section headers at offset %llu run past the end of the file "
			   "(%llu bytes)",
			   (ull)n, (ull)c->eh.e_shoff, (ull)c->size);
	/* libelf ignores a table it cannot read: it must see all of this one */
	if (elf_getshdrnum(c->elf, &seen) || seen != n)
		return bad(c, "%llu section headers, of which libelf reads %zu", (ull)n, seen);
	if (elf_getshdrstrndx(c->elf, &shstrndx))
		shstrndx = 0; /* names shown as "?" */
	while (!err && (scn = elf_nextscn(c->elf, scn)))
		err = check_section(c, scn, shstrndx);
	return err;
}

/* without section headers (sstrip'ed files) the notes are read from PT_NOTE */
static int check_note_segments(struct chk *c)
{
	char where[64];
	size_t n;
	GElf_Phdr ph;
	Elf_Data *d;

	if (elf_getphdrnum(c->elf, &n))
		return 0; /* already reported by check_phdrs */
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(c->elf, (int)i, &ph) || ph.p_type != PT_NOTE || !ph.p_filesz)
			continue;
		snprintf(where, sizeof(where), "PT_NOTE %zu", i);
		d = elf_getdata_rawchunk(c->elf, (int64_t)ph.p_offset, ph.p_filesz,
					 ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (!d)
			return bad(c, "%s: unreadable notes (%s)", where, elf_errmsg(-1));
		if (check_notes(c, d, where))
			return -ENOEXEC;
	}
	return 0;
}

static int check_all(struct chk *c)
{
	size_t nsec = 0;
	int err = check_header(c);

	if (!err)
		err = check_phdrs(c);
	if (!err)
		err = check_shdrs(c);
	if (!err && !elf_getshdrnum(c->elf, &nsec) && !nsec)
		err = check_note_segments(c);
	return err;
}

int nnp_elf_check(const char *path, char *why, size_t len)
{
	struct chk c = { .why = why, .len = len };
	struct stat st;
	int err;

	if (len)
		why[0] = '\0';
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOTSUP;
	c.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c.fd < 0)
		return -errno;
	if (fstat(c.fd, &st)) {
		err = -errno;
		close(c.fd);
		return err;
	}
	c.size = (uint64_t)st.st_size;
	c.elf = S_ISREG(st.st_mode) ? elf_begin(c.fd, ELF_C_READ_MMAP, NULL) : NULL;
	if (!c.elf || elf_kind(c.elf) != ELF_K_ELF)
		err = bad(&c, "not an ELF file");
	else
		err = check_all(&c);
	elf_end(c.elf);
	close(c.fd);
	return err;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Finds functions of a stripped ONNX Runtime by a text only they use.
 * onnxruntime::ExecuteKernel builds the error "Non-zero status code returned
 * while running <op> node. Name:..." when a kernel fails, and nothing else uses
 * that text; InferenceSession::Run names its profiler event "model_run" (the
 * Python wheel links ORT into onnxruntime_pybind11_state, with no OrtApi table
 * to read Run from). The string's code references in .text give code addresses
 * (x86-64: rip-relative leas; arm64: adrp of its page, then the add of its low
 * 12 bits to that register within ARM64_ADD_WINDOW instructions);
 * .eh_frame_hdr's sorted table and the FDE give the function around it; on
 * x86-64 a capstone sweep from the function start proves the lea is a real
 * instruction there, not bytes inside another one (arm64's are 4-byte words).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capstone_dl.h"
#include "elf_priv.h"
#include "log.h"
#include "ort.h"

/* a function found by the one text in .rodata that only it uses */
struct ort_anchor {
	const char *text;     /* exactly, NUL-terminated */
	const char *what;     /* for messages */
	const char *function; /* what the function is, for -v */
	int max_refs;	      /* code references to it that one function may hold */
};

struct sec {
	uint64_t addr;
	const uint8_t *buf;
	size_t size;
};

static int section(Elf *elf, const char *want, struct sec *out)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return -ENOEXEC;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, want))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size != sh.sh_size)
			return -ENOEXEC;
		/* addr + offset below must not wrap: no real section ends past 2^64 */
		if (sh.sh_addr + sh.sh_size < sh.sh_addr)
			return -ENOEXEC;
		*out = (struct sec){ .addr = sh.sh_addr, .buf = d->d_buf, .size = d->d_size };
		return 0;
	}
	return -ENOENT;
}

/* where VADDR is in the file: uprobes attach by file offset, so only bytes the file has count */
static int vaddr_to_off(Elf *elf, uint64_t size, uint64_t vaddr, uint64_t *off)
{
	size_t n;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset >= size || ph.p_filesz > size - ph.p_offset)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

/* TEXT's address: the NUL-terminated string exactly, not a longer one's tail */
static int find_text(const struct sec *ro, const char *text, uint64_t *addr)
{
	const size_t len = strlen(text) + 1; /* with its NUL */
	const uint8_t *p = ro->buf, *end = ro->buf + ro->size;

	while ((p = memmem(p, end - p, text, len))) {
		if (p == ro->buf || p[-1] == 0) {
			*addr = ro->addr + (p - ro->buf);
			return 0;
		}
		p++;
	}
	return -ENOENT;
}

#define MAX_REFS 8 /* code references to one text that a search follows */

#define ARM64_ADD_WINDOW 8 /* instructions between an adrp and its add */

/* `adrp Xd, PAGE` with PAGE the page of TARGET, at word I of CODE (N words, at ADDR) */
static bool adrp_to(const uint8_t *code, uint64_t addr, size_t i, uint64_t target, unsigned *rd)
{
	uint32_t w;
	uint64_t imm;

	memcpy(&w, code + 4 * i, 4);
	if ((w & 0x9f000000) != 0x90000000)
		return false;
	imm = ((uint64_t)((w >> 5) & 0x7ffff) << 2 | ((w >> 29) & 3)) << 12;
	if (imm & (1ULL << 32))
		imm |= ~((1ULL << 33) - 1); /* a signed 33-bit offset */
	*rd = w & 31;
	return ((addr + 4 * i) & ~0xfffULL) + imm == (target & ~0xfffULL);
}

/* `add Xd, Xn, #LO` (64-bit, no shift) with Xn RN and LO TARGET's low 12 bits */
static bool add_lo(const uint8_t *code, size_t i, unsigned rn, uint64_t target)
{
	uint32_t w;

	memcpy(&w, code + 4 * i, 4);
	return (w & 0xffc00000) == 0x91000000 && ((w >> 5) & 31) == rn &&
	       ((w >> 10) & 0xfff) == (target & 0xfff);
}

/* arm64: an adrp of TARGET's page and an add of its low bits to that register
 * shortly after; the adds' addresses, the first MAX_REFS into refs, the count returned */
static int adrp_refs(const struct sec *text, uint64_t target, uint64_t *refs)
{
	size_t words = text->size / 4;
	unsigned rd;
	int n = 0;

	if (text->addr % 4)
		return 0;
	for (size_t i = 0; i < words; i++) {
		if (!adrp_to(text->buf, text->addr, i, target, &rd))
			continue;
		for (size_t j = i + 1; j < words && j <= i + ARM64_ADD_WINDOW; j++) {
			if (!add_lo(text->buf, j, rd, target))
				continue;
			if (n < MAX_REFS)
				refs[n] = text->addr + 4 * j;
			n++;
			break;
		}
	}
	return n;
}

/* `lea disp32(%rip), %r64`: REX.W (+R), 8d, modrm with mod 00 and r/m 101; the
 * first MAX_REFS into refs, the count returned */
static int lea_refs(const struct sec *text, uint64_t target, uint64_t *refs)
{
	int n = 0;

	for (size_t i = 0; i + 7 <= text->size; i++) {
		const uint8_t *b = text->buf + i;
		int32_t disp;

		if ((b[0] & 0xfb) != 0x48 || b[1] != 0x8d || (b[2] & 0xc7) != 0x05)
			continue;
		memcpy(&disp, b + 3, 4);
		if (text->addr + i + 7 + (int64_t)disp != target)
			continue;
		if (n < MAX_REFS)
			refs[n] = text->addr + i;
		n++;
	}
	return n;
}

static int32_t rd32(const uint8_t *p)
{
	int32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* LEB128 (signedness does not matter: only skipped or small) */
static const uint8_t *leb(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (p < end && shift < 64) {
		*v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
		if (!(*p++ & 0x80))
			return p;
	}
	return NULL;
}

static int ptr_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x00:
	case 0x04:
	case 0x0c:
		return 8;
	case 0x02:
	case 0x0a:
		return 2;
	case 0x03:
	case 0x0b:
		return 4;
	default:
		return -1;
	}
}

/* past the data of augmentation A: 'P' an encoding byte and a pointer, 'L' one byte */
static const uint8_t *skip_aug(char a, const uint8_t *p, const uint8_t *end)
{
	if (a == 'S' || a == 'B')
		return p; /* signal frame, BTI: no data */
	if (a == 'L')
		return p + 1;
	if (a == 'P' && ptr_size(*p) > 0 && end - p > ptr_size(*p))
		return p + 1 + ptr_size(*p);
	return NULL;
}

/*
 * The FDE pointer encoding of the CIE at P ("zR" augmentation). Everything is
 * read inside the CIE's own length: a hostile one is no reason to read its
 * neighbours, or past the section.
 */
static int cie_encoding(const uint8_t *p, const uint8_t *end, uint8_t *enc)
{
	const char *aug;
	uint64_t v;
	uint8_t version;

	if (end - p < 9 || (uint32_t)rd32(p) > (size_t)(end - p - 4) || rd32(p + 4) != 0)
		return -ENOTSUP;
	end = p + 4 + (uint32_t)rd32(p);
	if (end - p < 9)
		return -ENOTSUP;
	version = p[8];
	aug = (const char *)p + 9;
	p = memchr(aug, 0, end - (const uint8_t *)aug);
	if (!p || aug[0] != 'z')
		return -ENOTSUP;
	p = leb(p + 1, end, &v);	/* code alignment */
	p = p ? leb(p, end, &v) : NULL; /* data alignment */
	if (p && p < end)
		p = version == 1 ? p + 1 : leb(p, end, &v); /* return register */
	else
		p = NULL;
	p = p ? leb(p, end, &v) : NULL; /* augmentation data length */
	for (const char *a = aug + 1; p && p < end && *a; a++) {
		if (*a == 'R') {
			*enc = *p;
			return 0;
		}
		p = skip_aug(*a, p, end);
	}
	return -ENOTSUP;
}

/* [start, end) of the FDE at vaddr FDE that must contain ADDR */
static int fde_bounds(const struct sec *ehf, uint64_t fde, uint64_t addr, uint64_t *start,
		      uint64_t *end)
{
	const uint8_t *lim = ehf->buf + ehf->size, *p;
	uint64_t at = fde - ehf->addr, begin;
	uint32_t cie;
	uint8_t enc;
	int err;

	/* as offsets: FDE comes from the file, FDE + 16 may wrap */
	if (fde < ehf->addr || ehf->size < 16 || at > ehf->size - 16)
		return -ENOTSUP;
	p = ehf->buf + at;
	cie = (uint32_t)rd32(p + 4); /* back from p + 4 to its CIE; 0 is a CIE itself */
	if ((uint32_t)rd32(p) == 0xffffffffu || !cie || cie > at + 4)
		return -ENOTSUP;
	err = cie_encoding(p + 4 - cie, lim, &enc);
	if (err)
		return err;
	if ((enc & 0x0f) != 0x0b && (enc & 0x0f) != 0x03)
		return -ENOTSUP;
	begin = (uint64_t)(int64_t)rd32(p + 8);
	if ((enc & 0x70) == 0x10)
		begin += fde + 8;
	else if (enc & 0x70)
		return -ENOTSUP;
	*start = begin;
	*end = begin + (uint32_t)rd32(p + 12);
	return addr >= *start && addr < *end ? 0 : -ENOENT;
}

/* the function around ADDR: .eh_frame_hdr's table (datarel sdata4) sorted by start */
static int function_at(Elf *elf, uint64_t addr, uint64_t *start, uint64_t *end)
{
	struct sec hdr, ehf;
	const uint8_t *tab;
	size_t lo = 0, hi, n;
	int err = section(elf, ".eh_frame_hdr", &hdr);

	if (!err)
		err = section(elf, ".eh_frame", &ehf);
	if (err)
		return err;
	if (hdr.size < 12 || hdr.buf[0] != 1 || ptr_size(hdr.buf[1]) != 4 || hdr.buf[2] != 0x03 ||
	    hdr.buf[3] != 0x3b)
		return -ENOTSUP;
	n = (uint32_t)rd32(hdr.buf + 8);
	if (n == 0 || n > (hdr.size - 12) / 8)
		return -ENOTSUP;
	tab = hdr.buf + 12;
	hi = n;
	while (hi - lo > 1) { /* the last entry whose start <= addr */
		size_t mid = lo + (hi - lo) / 2;

		if (hdr.addr + (int64_t)rd32(tab + 8 * mid) <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return fde_bounds(&ehf, hdr.addr + (int64_t)rd32(tab + 8 * lo + 4), addr, start, end);
}

/* 0 when a linear sweep from START meets an instruction at REF */
static int on_boundary(const struct sec *text, uint64_t start, uint64_t ref)
{
	const uint8_t *code = text->buf + (start - text->addr);
	size_t size = text->addr + text->size - start;
	const struct nnp_capstone *api = nnp_capstone();
	uint64_t pc = start;
	cs_insn *insn;
	csh cs;
	int err = -ENOENT;

	if (!api)
		return -ENOENT;
	if (api->open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return -ENOMEM;
	insn = api->malloc(cs);
	while (insn && pc <= ref && api->disasm_iter(cs, &code, &size, &pc, insn)) {
		if (insn->address == ref) {
			err = strcmp(insn->mnemonic, "lea") ? -ENOENT : 0;
			break;
		}
	}
	if (insn)
		api->free(insn, 1);
	api->close(&cs);
	return err;
}

static int skip_endbr(const struct sec *text, uint64_t *addr)
{
	static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };

	if (*addr < text->addr || text->addr + text->size - *addr < 4)
		return -ENOENT;
	/* a probe on endbr64 is single-stepped out of line (~10x the cost) */
	if (!memcmp(text->buf + (*addr - text->addr), endbr64, 4))
		*addr += 4;
	return 0;
}

/* the one function that holds every code reference to the text, its start
 * (START) and end; each reference a real instruction of it */
static int text_function(Elf *elf, bool arm64, const struct sec *text, const struct ort_anchor *a,
			 uint64_t str, uint64_t *start, uint64_t *end)
{
	uint64_t refs[MAX_REFS], s0 = 0, e0 = 0;
	int n = arm64 ? adrp_refs(text, str, refs) : lea_refs(text, str, refs), err = 0;

	if (n < 1 || n > a->max_refs) {
		nnp_info("onnxruntime: %d code references to %s, want 1..%d", n, a->what,
			 a->max_refs);
		return -ENOENT;
	}
	for (int i = 0; i < n && !err; i++) {
		err = function_at(elf, refs[i], start, end);
		if (!err) /* inside .text */
			err = *start >= text->addr && *start <= refs[i] ? 0 : -ENOENT;
		if (!err && i && (*start != s0 || *end != e0)) {
			nnp_info("onnxruntime: the references to %s are in more than one "
				 "function (0x%llx, 0x%llx)",
				 a->what, (unsigned long long)s0, (unsigned long long)*start);
			err = -ENOENT;
		}
		if (!err && !arm64)
			err = on_boundary(text, *start, refs[i]);
		s0 = *start;
		e0 = *end;
	}
	if (!err)
		nnp_info("onnxruntime: %s at 0x%llx-0x%llx (%d reference%s to %s, the first at "
			 "0x%llx)",
			 a->function, (unsigned long long)*start, (unsigned long long)*end, n,
			 n == 1 ? "" : "s", a->what, (unsigned long long)refs[0]);
	return err;
}

/* the code's machine: x86-64 or arm64, else -ENOTSUP */
static int machine(Elf *elf, bool *arm64)
{
	GElf_Ehdr eh;

	if (!gelf_getehdr(elf, &eh))
		return -ENOEXEC;
	if (eh.e_machine != EM_X86_64 && eh.e_machine != EM_AARCH64)
		return -ENOTSUP;
	*arm64 = eh.e_machine == EM_AARCH64;
	return 0;
}

static int search(Elf *elf, uint64_t size, const struct ort_anchor *a, uint64_t *off)
{
	struct sec ro, text;
	uint64_t str, start, end;
	bool arm64 = false;
	int err = machine(elf, &arm64);

	if (!err)
		err = section(elf, ".rodata", &ro);
	if (!err)
		err = section(elf, ".text", &text);
	if (!err)
		err = find_text(&ro, a->text, &str);
	if (!err)
		err = text_function(elf, arm64, &text, a, str, &start, &end);
	/* arm64's bti c / paciasp at the entry are the planner's placement to judge */
	if (!err && !arm64)
		err = skip_endbr(&text, &start);
	if (!err)
		err = vaddr_to_off(elf, size, start, off);
	return err;
}

static int find_by_text(const char *path, const struct ort_anchor *a, uint64_t *off)
{
	Elf *elf = NULL;
	struct stat st;
	int fd, err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOEXEC;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	elf = elf_begin(fd, NNP_ELF_C_READ, NULL);
	err = elf ? search(elf, (uint64_t)st.st_size, a, off) : -ENOEXEC;
	elf_end(elf);
	close(fd);
	return err;
}

/* ExecuteKernel builds the error a failing kernel returns, with this text alone */
static const struct ort_anchor kernel_anchor = {
	.text = "Non-zero status code returned while running ",
	.what = "its kernel error text",
	.function = "ExecuteKernel",
	.max_refs = 1,
};

/* InferenceSession::Run names its profiler event "model_run" (twice: start and
 * end), and no other function does */
static const struct ort_anchor run_anchor = {
	.text = "model_run",
	.what = "the profiler's \"model_run\"",
	.function = "InferenceSession::Run",
	.max_refs = 4,
};

int nnp_ort_find_kernel(const char *path, uint64_t *off)
{
	return find_by_text(path, &kernel_anchor, off);
}

int nnp_ort_find_session_run(const char *path, uint64_t *off)
{
	return find_by_text(path, &run_anchor, off);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ELF symbols through libelf: .symtab and .dynsym functions, their file
 * offsets (st_value - p_vaddr + p_offset of the PT_LOAD that holds them), C++
 * names matched mangled or demangled, nnperf USDT notes, build-id.
 */
#ifndef NNP_ELF_SYM_H
#define NNP_ELF_SYM_H

#include <stddef.h>
#include <stdint.h>

struct nnp_elf;

struct nnp_sym {
	const char *name;      /* as stored (mangled) */
	const char *demangled; /* C++ demangled name, or NULL for C symbols */
	uint64_t vaddr;
	uint64_t size;
	uint64_t file_off; /* where uprobes attach */
};

/* return non-zero from the callback to stop the walk */
typedef int (*nnp_sym_cb)(const struct nnp_sym *sym, void *ctx);

/* -ENOENT, -EACCES, -ENOEXEC (not ELF), -ENOMEM */
int nnp_elf_open(const char *path, struct nnp_elf **out);
void nnp_elf_close(struct nnp_elf *e);
const char *nnp_elf_path(const struct nnp_elf *e);
/* N bytes at file offset OFF of the file nnp_elf_open opened (not reopened by
 * path); 0, -EIO (short: past its end) or -errno */
int nnp_elf_pread(const struct nnp_elf *e, void *buf, size_t n, uint64_t off);
/* class and e_machine, to reject libraries for another ABI */
void nnp_elf_abi(const struct nnp_elf *e, int *cls, int *machine, int *type);
/* 1 when neither .symtab nor .dynsym has a function symbol */
int nnp_elf_is_stripped(const struct nnp_elf *e);

/*
 * Calls cb for each defined function symbol (STT_FUNC, STT_GNU_IFUNC) matching
 * pattern, once per address. A pattern matches the mangled name, the demangled
 * name, or the demangled name without its parameter list
 * ("at::_ops::conv2d::call"); '*', '?' and '[...]' glob (fnmatch). Returns the
 * number of matches (0 = none) or -errno.
 */
int nnp_elf_match(struct nnp_elf *e, const char *pattern, nnp_sym_cb cb, void *ctx);
/* The function containing vaddr, for reporting (NULL-safe); 0 or -ENOENT */
int nnp_elf_sym_at(struct nnp_elf *e, uint64_t vaddr, struct nnp_sym *out);

/* a defined data object (STT_OBJECT) named NAME exactly (mangled), from
 * .symtab or .dynsym (elf_object.c): its address and size; 0, -ENOENT, -ENOEXEC */
int nnp_elf_object(struct nnp_elf *e, const char *name, uint64_t *vaddr, uint64_t *size);

/* the symbol an x86-64 PLT stub at VADDR jumps to (elf_plt.c); 0 or -ENOENT */
int nnp_elf_plt_name(struct nnp_elf *e, uint64_t vaddr, char *name, size_t len);
int nnp_elf_vaddr_to_off(const struct nnp_elf *e, uint64_t vaddr, uint64_t *off);
int nnp_elf_off_to_vaddr(const struct nnp_elf *e, uint64_t off, uint64_t *vaddr);

/* 1 if a .note.stapsdt note of this provider exists, 0 if none, -errno */
int nnp_elf_has_usdt(struct nnp_elf *e, const char *provider);
/* calls cb(provider, name, ctx) for each USDT note; 0 or -errno */
int nnp_elf_usdt_foreach(struct nnp_elf *e,
			 int (*cb)(const char *provider, const char *name, void *ctx), void *ctx);

/* lowercase hex build-id, or NULL */
const char *nnp_elf_build_id(const struct nnp_elf *e);

/* DT_NEEDED entries in order; cb returns non-zero to stop; 0 or -errno */
int nnp_elf_needed_foreach(struct nnp_elf *e, int (*cb)(const char *soname, void *ctx), void *ctx);
/* the program interpreter (PT_INTERP, the dynamic loader): 0, -ENOENT (static), -ENOEXEC */
int nnp_elf_interp(const struct nnp_elf *e, char *out, size_t len);
/* DT_RUNPATH, else DT_RPATH, else NULL */
const char *nnp_elf_runpath(const struct nnp_elf *e);

/* C++ demangling (__cxa_demangle); malloc'ed result or NULL */
char *nnp_demangle(const char *mangled);

#endif

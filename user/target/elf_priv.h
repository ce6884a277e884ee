/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Inside struct nnp_elf, shared by elf_sym.c, elf_notes.c and libpath.c; how files are read. */
#ifndef NNP_ELF_PRIV_H
#define NNP_ELF_PRIV_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How libelf reads a file. A mapping reads as zeros up to the end of its last
 * page, so a read past the end of the file goes unseen; fuzz builds copy the
 * file into malloc'ed memory instead, which ASan guards.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define NNP_ELF_C_READ ELF_C_READ
#else
#define NNP_ELF_C_READ ELF_C_READ_MMAP
#endif

struct nnp_elf_seg {
	uint64_t vaddr, off, filesz;
	int exec;
};

/* One name of a function; several may share an address (aliases, both tables). */
struct nnp_elf_fn {
	const char *name; /* points into libelf's mapping of the string table */
	char *dem;	  /* demangled, then its parameter-less form after the NUL */
	const char *base; /* inside dem, NULL when it has no parameter list */
	uint64_t vaddr, size, off;
	unsigned rank; /* lower is preferred when several names share an address */
	int dem_done;
};

struct nnp_elf {
	char *path;
	int fd;
	uint64_t size; /* of the file: no segment claims bytes past it */
	Elf *elf;
	int cls;     /* ELFCLASS32 / ELFCLASS64 */
	int machine; /* e_machine */
	int type;    /* e_type */
	struct nnp_elf_seg *segs;
	size_t nsegs;
	/* function index, built on first use, sorted by (vaddr, rank, name) */
	struct nnp_elf_fn *fns;
	size_t nfns;
	int indexed;
	/* from notes and .dynamic, read at open */
	char *build_id;
	const char **needed;
	size_t nneeded;
	const char *runpath;
	const char *rpath;
};

/* elf_notes.c: fills build_id, needed, runpath, rpath; 0 or -errno */
int nnp_elf_read_build_id(struct nnp_elf *e);
int nnp_elf_read_dynamic(struct nnp_elf *e);

/* elf_sym.c: DT_RPATH and DT_RUNPATH apart (ld.so uses them at different steps), or NULL */
const char *nnp_elf_rpath(const struct nnp_elf *e);
const char *nnp_elf_dt_runpath(const struct nnp_elf *e);

/*
 * demangle.c: *dem gets the demangled name (NULL if not C++), followed after
 * its NUL by the name without return type, parameter list, cv/ref qualifiers
 * and ABI tags, which *base points to (NULL without parameter list).
 * 0 or -ENOMEM; free(*dem).
 */
int nnp_demangle_full(const char *mangled, char **dem, const char **base);

#endif

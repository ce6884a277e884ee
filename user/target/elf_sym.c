// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Opening an ELF file and mapping addresses to file offsets. The function
 * index and its matching live in elf_index.c, notes and .dynamic in
 * elf_notes.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_priv.h"
#include "elf_sym.h"

static int read_header(struct nnp_elf *e)
{
	GElf_Ehdr eh;

	if (!gelf_getehdr(e->elf, &eh))
		return -ENOEXEC;
	e->cls = eh.e_ident[EI_CLASS];
	e->machine = eh.e_machine;
	e->type = eh.e_type;
	if (e->cls != ELFCLASS32 && e->cls != ELFCLASS64)
		return -ENOEXEC;
	/* relocatable objects and cores have no PT_LOAD to attach uprobes through */
	if (e->type != ET_EXEC && e->type != ET_DYN)
		return -ENOEXEC;
	return 0;
}

/*
 * Only the bytes the file has are mapped from it: a truncated file claims
 * more, and a segment whose addresses wrap cannot be mapped at all. Either
 * would give file offsets that no uprobe can use (or that overflow).
 */
static void add_segment(struct nnp_elf *e, const GElf_Phdr *ph)
{
	struct nnp_elf_seg *s = &e->segs[e->nsegs];

	if (ph->p_offset >= e->size)
		return;
	s->filesz = ph->p_filesz < e->size - ph->p_offset ? ph->p_filesz : e->size - ph->p_offset;
	if (ph->p_vaddr + s->filesz < ph->p_vaddr)
		return;
	s->vaddr = ph->p_vaddr;
	s->off = ph->p_offset;
	s->exec = !!(ph->p_flags & PF_X);
	e->nsegs++;
}

static int read_segments(struct nnp_elf *e)
{
	size_t i, n;
	GElf_Phdr ph;

	/* libelf bounds the count by what fits in the file */
	if (elf_getphdrnum(e->elf, &n))
		return -ENOEXEC;
	e->segs = calloc(n ? n : 1, sizeof(*e->segs));
	if (!e->segs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(e->elf, (int)i, &ph))
			return -ENOEXEC;
		if (ph.p_type == PT_LOAD)
			add_segment(e, &ph);
	}
	return 0;
}

static int open_file(struct nnp_elf *e)
{
	struct stat st;

	e->fd = open(e->path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0)
		return -errno;
	if (fstat(e->fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	e->size = (uint64_t)st.st_size;
	e->elf = elf_begin(e->fd, NNP_ELF_C_READ, NULL);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF)
		return -ENOEXEC;
	return 0;
}

int nnp_elf_open(const char *path, struct nnp_elf **out)
{
	struct nnp_elf *e;
	int err;

	*out = NULL;
	if (!path)
		return -EINVAL;
	/* the libelf this was built against must be the one loaded */
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOTSUP;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->fd = -1;
	e->path = strdup(path);
	err = e->path ? open_file(e) : -ENOMEM;
	if (!err)
		err = read_header(e);
	if (!err)
		err = read_segments(e);
	if (!err)
		err = nnp_elf_read_build_id(e);
	if (!err)
		err = nnp_elf_read_dynamic(e);
	if (err)
		goto cleanup;
	*out = e;
	return 0;
cleanup:
	nnp_elf_close(e);
	return err;
}

void nnp_elf_close(struct nnp_elf *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->nfns; i++)
		free(e->fns[i].dem);
	free(e->fns);
	free(e->segs);
	free(e->needed);
	free(e->build_id);
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e->path);
	free(e);
}

const char *nnp_elf_path(const struct nnp_elf *e)
{
	return e ? e->path : NULL;
}

int nnp_elf_pread(const struct nnp_elf *e, void *buf, size_t n, uint64_t off)
{
	ssize_t r;

	if (off > (uint64_t)INT64_MAX)
		return -EINVAL;
	r = pread(e->fd, buf, n, (off_t)off);
	if (r < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

void nnp_elf_abi(const struct nnp_elf *e, int *cls, int *machine, int *type)
{
	*cls = e->cls;
	*machine = e->machine;
	*type = e->type;
}

int nnp_elf_vaddr_to_off(const struct nnp_elf *e, uint64_t vaddr, uint64_t *off)
{
	size_t i;

	for (i = 0; i < e->nsegs; i++) {
		const struct nnp_elf_seg *s = &e->segs[i];

		if (vaddr >= s->vaddr && vaddr - s->vaddr < s->filesz) {
			*off = vaddr - s->vaddr + s->off;
			return 0;
		}
	}
	return -ENOENT;
}

int nnp_elf_off_to_vaddr(const struct nnp_elf *e, uint64_t off, uint64_t *vaddr)
{
	const struct nnp_elf_seg *found = NULL;
	size_t i;

	/* old layouts map the same file page twice: the code segment is the one that runs */
	for (i = 0; i < e->nsegs; i++) {
		const struct nnp_elf_seg *s = &e->segs[i];

		if (off < s->off || off - s->off >= s->filesz)
			continue;
		if (!found || (s->exec && !found->exec))
			found = s;
	}
	if (!found)
		return -ENOENT;
	*vaddr = off - found->off + found->vaddr;
	return 0;
}

const char *nnp_elf_build_id(const struct nnp_elf *e)
{
	return e ? e->build_id : NULL;
}

const char *nnp_elf_runpath(const struct nnp_elf *e)
{
	return e->runpath ? e->runpath : e->rpath;
}

const char *nnp_elf_rpath(const struct nnp_elf *e)
{
	return e->rpath;
}

const char *nnp_elf_dt_runpath(const struct nnp_elf *e)
{
	return e->runpath;
}

int nnp_elf_needed_foreach(struct nnp_elf *e, int (*cb)(const char *soname, void *ctx), void *ctx)
{
	size_t i;
	int ret;

	for (i = 0; i < e->nneeded; i++) {
		ret = cb(e->needed[i], ctx);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	return 0;
}

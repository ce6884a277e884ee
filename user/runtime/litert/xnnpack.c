// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * XNNPACK's operators as layers, inside the DELEGATE node that runs them: a
 * layer probe on xnn_run_operator_with_index (entry and return), keyed by the
 * operator, named xnnpack#N in the order they first ran (the delegate's
 * runtime runs them in its plan's order, so N is the operator's place in it),
 * op the operator type's name as XNNPACK writes it ("Convolution (NHWC, F32)"),
 * read in BPF from the library's own table (xnn_find.c finds it and the
 * type's offset in xnn_operator). The table is checked in the file: its first
 * name is XNNPACK's "Invalid" and the next ones are text, else the operators
 * are measured without op names.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_sym.h"
#include "litert.h"
#include "log.h"
#include "runtimes.h"
#include "xnnpack.h"

#define RUN "xnn_run_operator_with_index"
#define TO_STRING "xnn_operator_type_to_string"
#define TO_STRING_V2 "xnn_operator_type_to_string_v2"
#define PROFILING "xnn_get_runtime_profiling_info"
#define LABEL "xnnpack"
#define CHECKED 8 /* table entries checked for text */

/* the C string at VADDR in the file, at most LEN - 1 bytes of text; 0 or -errno */
static int file_string(struct nnp_elf *e, uint64_t vaddr, char *buf, size_t len)
{
	uint64_t off;
	size_t n;

	if (nnp_elf_vaddr_to_off(e, vaddr, &off) || nnp_elf_pread(e, buf, len, off))
		return -ENOEXEC;
	for (n = 0; n < len && buf[n]; n++)
		if (buf[n] < 0x20 || buf[n] > 0x7e)
			return -EBADMSG;
	return n == 0 || n == len ? -EBADMSG : 0;
}

/* the value of the table entry for TYPE; 0 or -errno */
static int entry(struct nnp_elf *e, const struct nnp_xnn_table *t, unsigned int type,
		 uint64_t *name)
{
	uint8_t b[4] = { 0 };
	uint64_t off;
	size_t w = t->kind == NNP_XNN_REL32 ? 4 : 2;

	if (nnp_elf_vaddr_to_off(e, t->table + type * w, &off) || nnp_elf_pread(e, b, w, off))
		return -ENOEXEC;
	if (t->kind == NNP_XNN_REL32)
		*name = t->table + (uint64_t)(int64_t)(int32_t)(b[0] | b[1] << 8 | b[2] << 16 |
								(uint32_t)b[3] << 24);
	else
		*name = t->data + (uint64_t)(b[0] | b[1] << 8);
	return 0;
}

/* the layout check: "Invalid" first, then CHECKED - 1 names of text */
static int check_table(struct nnp_elf *e, const struct nnp_xnn_table *t)
{
	char name[64];
	uint64_t at;

	for (unsigned int i = 0; i < CHECKED; i++) {
		if (entry(e, t, i, &at) || file_string(e, at, name, sizeof(name)))
			return -EBADMSG;
		if (i == 0 && strcmp(name, "Invalid"))
			return -EBADMSG;
	}
	return 0;
}

static int table_of(struct nnp_elf *e, struct nnp_sym *to_string, struct nnp_xnn_table *t)
{
	uint8_t *code;
	int err = nnp_litert_find_fn(e, TO_STRING, to_string);

	if (!err)
		err = nnp_litert_read_code(e, to_string, &code);
	if (err)
		return err;
	err = nnp_xnn_find_table(nnp_litert_machine(e), code, to_string->size, to_string->vaddr, t);
	free(code);
	return err ? err : check_table(e, t);
}

/* the type's offset, from the first of the functions that read it */
static int type_off(struct nnp_elf *e, uint64_t to_string, uint32_t *off)
{
	static const char *const readers[] = { TO_STRING_V2, PROFILING, RUN };
	struct nnp_sym fn;
	uint8_t *code;
	int err = -ENOENT;

	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]) && err; i++) {
		if (nnp_litert_find_fn(e, readers[i], &fn) || nnp_litert_read_code(e, &fn, &code))
			continue;
		err = nnp_xnn_find_type_off(nnp_litert_machine(e), code, fn.size, fn.vaddr,
					    i == 0 ? 0 : to_string, off);
		free(code);
	}
	return err;
}

/* ",op=..." reading the name of u32(arg0 + OFF) pc-relative from the site AT; "" if out of reach */
static void op_fetch(const struct nnp_xnn_table *t, uint32_t off, uint64_t at, char *out,
		     size_t len)
{
	int64_t dt = (int64_t)(t->table - at), dd = (int64_t)(t->data - at);

	*out = '\0';
	if (dt < INT32_MIN || dt > INT32_MAX || dd < INT32_MIN || dd > INT32_MAX)
		return;
	if (t->kind == NNP_XNN_REL32)
		snprintf(out, len, ",op=str(pc%+lld+s32(*(pc%+lld+u32(*(arg0+%u))*4)))",
			 (long long)dt, (long long)dt, off);
	else
		snprintf(out, len, ",op=str(pc%+lld+u16(*(pc%+lld+u32(*(arg0+%u))*2)))",
			 (long long)dd, (long long)dt, off);
}

/* the op fetch, or "" with one line saying why the operators have no op names */
static void op_names(struct nnp_elf *e, const char *path, const struct nnp_sym *run, char *out,
		     size_t len)
{
	struct nnp_xnn_table t;
	struct nnp_sym to_string;
	uint32_t off;
	int err = table_of(e, &to_string, &t);

	*out = '\0';
	if (err) {
		nnp_info("litert: XNNPACK operators of %s without op names: %s's table %s", path,
			 TO_STRING, err == -EBADMSG ? "is not XNNPACK's layout" : "not found");
		return;
	}
	err = type_off(e, to_string.vaddr, &off);
	if (err) {
		nnp_info("litert: XNNPACK operators of %s without op names: no read of the "
			 "operator's type found (%s)",
			 path, err == -ENOTUNIQ ? "reads disagree" : "none");
		return;
	}
	op_fetch(&t, off, run->vaddr, out, len);
	nnp_info("litert: XNNPACK operator types at +%u, names %s table at 0x%llx", off,
		 t.kind == NNP_XNN_REL32 ? "a relative-offset" : "a 16-bit-offset",
		 (unsigned long long)t.table);
}

int nnp_litert_attach_xnnpack(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	char text[PATH_MAX + 256], op[128];
	struct nnp_sym run;
	int err;

	if (nnp_litert_find_fn(e, RUN, &run))
		return 0; /* a build without XNNPACK */
	op_names(e, path, &run, op, sizeof(op));
	snprintf(text, sizeof(text), "layer=%s:0x%llx,key=arg0,name=\"" LABEL "\"%s", path,
		 (unsigned long long)run.file_off, op);
	err = nnp_runtime_attach_text(p, "litert", text, NULL, NULL);
	return err ? err : 1;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Call sites in any bytes (callsite.c, what ggml's graph loop is read with):
 * the input is an address (8 bytes, little-endian) and the code at it. Every
 * call handed out is a `call rel32` inside the code with its target computed
 * from its bytes, in order; an end is after its call, inside the code, and an
 * instruction the kernel emulates (x86_oracle.h); a callback that asks to stop
 * stops the walk with its value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callsite.h"
#include "capstone_dl.h"
#include "fuzz_util.h"
#include "x86_oracle.h"

#define RELEASE_EVERY 1024 /* inputs between unloads of capstone */
#define STOP_VALUE 7	   /* what the callback returns to stop */

struct walk {
	const uint8_t *code;
	size_t len, seen, stop_at; /* stop_at 0: never stop */
	uint64_t vaddr, last;
};

static int check(const struct nnp_callsite *cs, void *ctx)
{
	struct walk *w = ctx;
	uint64_t off = cs->call - w->vaddr, rel_end;
	int32_t rel;

	if (off >= w->len || w->len - off < 5 || w->code[off] != 0xe8)
		abort(); /* a call rel32, all of it inside the code */
	memcpy(&rel, w->code + off + 1, sizeof(rel));
	if (cs->target != cs->call + 5 + (uint64_t)(int64_t)rel)
		abort();
	if (w->seen && off <= w->last - w->vaddr)
		abort(); /* in order, each once */
	if (!memchr(cs->end_insn, '\0', sizeof(cs->end_insn)) || !cs->end_insn[0])
		abort(); /* the end, or what stopped the walk, is named */
	if (cs->end) {
		rel_end = cs->end - w->vaddr;
		if (rel_end <= off + 4 || rel_end >= w->len ||
		    !kernel_emulates(w->code + rel_end, w->len - rel_end))
			abort();
	}
	w->last = cs->call;
	w->seen++;
	return w->stop_at && w->seen == w->stop_at ? STOP_VALUE : 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!nnp_capstone()) {
		fprintf(stderr, "fuzz_callsite: capstone cannot be loaded: nothing to fuzz\n");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct walk all = { 0 }, part = { 0 };
	int err;

	if (size < 8)
		return 0;
	memcpy(&all.vaddr, data, 8);
	all.code = data + 8;
	all.len = size - 8;
	err = nnp_callsites_x86(all.code, all.len, all.vaddr, check, &all);
	if (err && err != -EINVAL && err != -ENOMEM)
		abort();
	if (!err && all.seen > 1) { /* stopped at the second-last call, with its value */
		part = all;
		part.seen = 0;
		part.stop_at = all.seen - 1;
		if (nnp_callsites_x86(part.code, part.len, part.vaddr, check, &part) !=
			STOP_VALUE ||
		    part.seen != part.stop_at)
			abort();
	}
	if (++runs % RELEASE_EVERY == 0)
		nnp_capstone_release();
	return 0;
}

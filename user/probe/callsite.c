// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "callsite.h"
#include "capstone_dl.h"
#include "placement.h"

#define MAX_END_WALK 8 /* instructions looked at after a call for its end */

static bool flow(const struct nnp_capstone *cs, csh h, const cs_insn *insn)
{
	return cs->insn_group(h, insn, CS_GRP_JUMP) || cs->insn_group(h, insn, CS_GRP_CALL) ||
	       cs->insn_group(h, insn, CS_GRP_RET) || cs->insn_group(h, insn, CS_GRP_INT) ||
	       cs->insn_group(h, insn, CS_GRP_IRET);
}

/* the end of the call at insn[i]: the first emulated instruction after it */
static void find_end(const struct nnp_capstone *cs, csh h, const cs_insn *insn, size_t n, size_t i,
		     struct nnp_callsite *out)
{
	snprintf(out->end_insn, sizeof(out->end_insn), "end of the code");
	for (size_t j = i + 1; j < n && j <= i + MAX_END_WALK; j++) {
		if (nnp_x86_emulated(insn[j].bytes, insn[j].size)) {
			out->end = insn[j].address;
			snprintf(out->end_insn, sizeof(out->end_insn), "%s", insn[j].mnemonic);
			return;
		}
		if (flow(cs, h, &insn[j])) {
			snprintf(out->end_insn, sizeof(out->end_insn), "%s", insn[j].mnemonic);
			return;
		}
	}
	if (i + 1 < n)
		snprintf(out->end_insn, sizeof(out->end_insn), "no emulated instruction");
}

/* call rel32 by its bytes: capstone's X86_INS_CALL is also call *%rax */
static bool direct_call(const cs_insn *insn, uint64_t *target)
{
	int32_t rel;

	if (insn->size != 5 || insn->bytes[0] != 0xe8)
		return false;
	memcpy(&rel, insn->bytes + 1, sizeof(rel));
	*target = insn->address + 5 + (uint64_t)(int64_t)rel;
	return true;
}

static int walk(const struct nnp_capstone *cs, csh h, const cs_insn *insn, size_t n,
		nnp_callsite_cb cb, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		struct nnp_callsite c = { .call = insn[i].address };
		int r;

		if (!direct_call(&insn[i], &c.target))
			continue;
		find_end(cs, h, insn, n, i, &c);
		r = cb(&c, ctx);
		if (r)
			return r;
	}
	return 0;
}

int nnp_callsites_x86(const uint8_t *code, size_t len, uint64_t vaddr, nnp_callsite_cb cb,
		      void *ctx)
{
	const struct nnp_capstone *cs = nnp_capstone();
	cs_insn *insn = NULL;
	size_t n;
	csh h;
	int err;

	if (!cs || cs->open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -EINVAL;
	cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
	/* stops at the first byte that does not decode: the calls before it still count */
	n = cs->disasm(h, code, len, vaddr, 0, &insn);
	err = n ? walk(cs, h, insn, n, cb, ctx) : -EINVAL;
	cs->free(insn, n);
	cs->close(&h);
	return err;
}

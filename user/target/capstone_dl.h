/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * capstone, loaded when an instruction is first decoded and unloaded after
 * each batch of attaches. Linked in, the dynamic loader's relocation of its
 * tables for every architecture kept about 3 MiB of the library resident for
 * the whole run, a tenth of nnperf's memory goal; nnperf decodes only while
 * it places probes. Only the SONAME of the capstone the build used is loaded
 * (libcapstone.so.CS_API_MAJOR): another major version has another ABI.
 */
#ifndef NNP_CAPSTONE_DL_H
#define NNP_CAPSTONE_DL_H

#include <capstone/capstone.h>

struct nnp_capstone {
	__typeof__(&cs_open) open;
	__typeof__(&cs_option) option;
	__typeof__(&cs_disasm) disasm;
	__typeof__(&cs_disasm_iter) disasm_iter;
	__typeof__(&cs_malloc) malloc;
	__typeof__(&cs_free) free;
	__typeof__(&cs_close) close;
	__typeof__(&cs_insn_group) insn_group;
	__typeof__(&cs_regs_access) regs_access;
};

/* capstone's functions, loaded if needed; NULL if it cannot be (said once) */
const struct nnp_capstone *nnp_capstone(void);

/* unloads it until the next nnp_capstone(); no decoding may be in progress */
void nnp_capstone_release(void);

#endif /* NNP_CAPSTONE_DL_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fetch-expression language of probe definitions (see probe_spec.h):
 * parses key=VALUE and name/op=STRING into the normalised struct nnp_fetch of
 * nnperf_abi.h, and writes a fetch back as text.
 */
#ifndef NNP_FETCH_EXPR_H
#define NNP_FETCH_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nnperf_abi.h"
#include "spec_lex.h"

/* the argument registers layer.bpf.c reads at a uprobe, per target arch */
#if defined(__aarch64__)
#define NNP_UPROBE_MAX_ARG 7 /* x0..x7 (AAPCS64) */
#define NNP_UPROBE_ARG_REGS "arm64 argument registers x0..x7"
#else
#define NNP_UPROBE_MAX_ARG 5 /* rdi rsi rdx rcx r8 r9 */
#define NNP_UPROBE_ARG_REGS "x86-64 argument registers"
#endif
#define NNP_USDT_MAX_ARG 11  /* sys/sdt.h carries at most 12 arguments */
#define NNP_MAX_STACK_ARG 63 /* sargN: the 8-byte stack argument slots a fetch may name */

/* Parses VALUE at lx->p into *f (kind VALUE); usdt picks the argument limit. */
int nnp_fetch_parse_value(struct nnp_lex *lx, bool usdt, const char *option, struct nnp_fetch *f);

/* Parses key=VALUE, where hash(str(A),str(B)) also fills *f2 (kind HASH; else NONE). */
int nnp_fetch_parse_key(struct nnp_lex *lx, bool usdt, struct nnp_fetch *f, struct nnp_fetch *f2);

/* Parses "VALUE == N" or "VALUE != N" (when=) into *f, *val and *ne. */
int nnp_fetch_parse_when(struct nnp_lex *lx, bool usdt, struct nnp_fetch *f, uint64_t *val,
			 bool *ne);

/* Parses "i64xN(ADDR)" or "i32xN(ADDR)" (shape=): f->width is 8 or 4, *dims N. */
int nnp_fetch_parse_shape(struct nnp_lex *lx, bool usdt, struct nnp_fetch *f, uint8_t *dims);

/* Writes a shape fetch of dims elements back as i64xN(ADDR); 0 or -ENOSPC. */
int nnp_shape_format(const struct nnp_fetch *f, unsigned dims, char *buf, size_t len);

/*
 * Parses STRING at lx->p: str(ADDR) into *f (kind STRING), or a quoted literal
 * into lit (f->kind stays NONE). option ("name", "op") is for messages.
 */
int nnp_fetch_parse_string(struct nnp_lex *lx, bool usdt, const char *option, struct nnp_fetch *f,
			   char *lit, size_t litlen);

/* Writes a VALUE or STRING fetch in canonical form; 0, -EINVAL or -ENOSPC. */
int nnp_fetch_format(const struct nnp_fetch *f, char *buf, size_t len);

/* Writes a key (f, and f2 when it is a second hashed string) in canonical form. */
int nnp_fetch_format_key(const struct nnp_fetch *f, const struct nnp_fetch *f2, char *buf,
			 size_t len);

/* true if the fetch reads ret (itself or in its index term): made at the return */
bool nnp_fetch_uses_ret(const struct nnp_fetch *f);
/* whether F reads pc, the site's address (in its term or its index's) */
bool nnp_fetch_uses_pc(const struct nnp_fetch *f);

/* Writes lit as a quoted literal with '"' and '\' escaped; 0 or -ENOSPC. */
int nnp_literal_format(const char *lit, char *buf, size_t len);

#endif

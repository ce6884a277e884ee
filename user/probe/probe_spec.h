/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Probe definitions: what `--probe` and `--spec FILE` say, parsed into
 * struct nnp_probe_def. Grammar (docs/spec-format.md is the user's version):
 *
 *   probe   := ROLE '=' SITE { ',' OPTION }
 *   ROLE    := layer | inference            (entry + return, or entry-only)
 *            | layer-begin | layer-end | inference-begin | inference-end
 *   SITE    := LIB ':' SYMBOL [ '+' OFF ]   symbol, glob allowed (*, ?, [..])
 *            | LIB ':' OFF                  raw file offset (0x.. or decimal)
 *            | 'usdt:' LIB ':' PROVIDER ':' NAME
 *   OPTION  := key=VALUE | name=STRING | op=STRING | mode=entry-only|entry-return
 *                                          mode: not on inference-begin/-end; an
 *                                          entry-only layer-end (no key) ends the
 *                                          entry-only layer open on the thread
 *            | when=VALUE ('=='|'!=') NUMBER    layer and layer-begin only
 *            | when-cache=thread                 with when: read it once per thread
 *            | shape=(i64|i32)'x'N '(' ADDR ')' N in 1..4, read with the name
 *   VALUE   := [u8|u16|u32|u64 '('] ADDR [')']      a 64-bit value, masked
 *            | 'hash(str(' ADDR '))'            a hash of a C string
 *   STRING  := 'str(' ADDR ')' | '"' literal '"'   a C string read at ADDR
 *   ADDR    := TERM { ('+'|'-') NUMBER | '+' INDEX }   at most one INDEX
 *   INDEX   := (TERM | ('u8'|'u16'|'u32'|'u64') '(' ADDR ')') [ '*' SIZE ]
 *                                             a value read at run time, times SIZE
 *   TERM    := 'arg' N | '*' TERM | '(' ADDR ')'   N in 0..5 (uprobe), 0..11 (usdt)
 *            | 'stack' | 'sarg' N              uprobe only: stack-passed arguments
 *                                             at entry, sargN = *(stack+8N), N 0..63
 *            | 'ret'                          layer= only: the return value, read at
 *                                             the return; a fetch reads ret or the
 *                                             arguments, not both
 *
 * LIB is a path, an executable's name, or a library name ("libtorch_cpu.so").
 * '*' dereferences 8 bytes. Whitespace is allowed around tokens. In a spec file
 * each non-empty line not starting with '#' is one probe, or a runtime= or
 * library= line (below).
 * Examples:
 *   layer=nnperf-tinynet:tinynet_conv2d_f32,key=arg0,name=str(*arg0)
 *   layer=libtorch_cpu.so:at::_ops::conv2d::call,key=*arg2
 *   layer=libopencv_dnn.so:*forwardLayer*,key=u32(*arg1),name=str(*(arg1+8)),op=str(*(arg1+40))
 *   layer-begin=usdt:./app:myprov:start,key=arg0,name=str(arg1)
 *   layer=./app:run_node,key=ret,name=str(*(ret+56)),when=ret!=0
 */
#ifndef NNP_PROBE_SPEC_H
#define NNP_PROBE_SPEC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nnperf_abi.h"

#define NNP_PAIR_TAG_LEN 64

enum nnp_probe_kind {
	NNP_PROBE_LAYER = 1, /* LAYER_BEGIN at entry (+ LAYER_END at return) */
	NNP_PROBE_INFERENCE, /* INFER_BEGIN at entry + INFER_END at return */
	NNP_PROBE_LAYER_BEGIN,
	NNP_PROBE_LAYER_END,
	NNP_PROBE_INFER_BEGIN,
	NNP_PROBE_INFER_END,
};

enum nnp_site_kind {
	NNP_SITE_SYMBOL = 1,
	NNP_SITE_OFFSET,
	NNP_SITE_USDT,
};

struct nnp_probe_def {
	enum nnp_probe_kind kind;
	enum nnp_site_kind site;
	char lib[PATH_MAX];
	char symbol[512];  /* NNP_SITE_SYMBOL: name or glob */
	uint64_t offset;   /* SYMBOL: +OFF; OFFSET: the file offset */
	bool has_offset;   /* SYMBOL: +OFF was written (even +0): no placement */
	char provider[64]; /* NNP_SITE_USDT */
	char usdt_name[64];
	bool entry_only; /* mode=entry-only (LAYER/INFERENCE only) */
	struct nnp_fetch key;
	struct nnp_fetch key2; /* key=hash(str(A),str(B)): B (kind HASH), else NONE */
	struct nnp_fetch name;
	struct nnp_fetch op;
	struct nnp_fetch when; /* when=VALUE==N / VALUE!=N: a layer only then */
	uint64_t when_val;
	bool when_ne;
	/* when-cache=thread: the condition is read once per thread and value of the
	 * argument its address starts from (ggml's params->ith), then reused */
	bool when_cache;
	struct nnp_fetch shape; /* shape=i64xN(ADDR): width 8 or 4 (i32xN) */
	uint8_t shape_dims;	/* N, 0 = no shape */
	struct nnp_fetch rank;	/* rank=VALUE: dimensions really there (<= N kept) */
	/* a value sent with the names, read at the entry: an adapter's (not in the
	 * grammar), for its runtime's name_event to read names from (runtimes.h) */
	struct nnp_fetch ref;
	char name_literal[NNP_NAME_LEN]; /* name="..." */
	char op_literal[NNP_OP_LEN];	 /* op="..." */
	char origin[PATH_MAX + 32];	 /* "--probe" or "FILE:LINE", for messages */
	/* begin/end roles pair up per library and tag: an adapter gives each
	 * begin site and its end sites a tag of their own (not in the grammar) */
	char pair[NNP_PAIR_TAG_LEN];
};

/*
 * Parses one probe. On error returns -EINVAL, writes a message to err and the
 * 1-based column of the offending character to *col.
 */
int nnp_probe_parse(const char *text, struct nnp_probe_def *out, char *err, size_t errlen,
		    int *col);

/*
 * Appends the probes of a spec file to *defs (realloc'ed; *n updated). On error
 * returns -errno and err holds "FILE:LINE:COL: message" (or "FILE: strerror").
 */
int nnp_spec_load(const char *path, struct nnp_probe_def **defs, size_t *n, char *err,
		  size_t errlen);

/*
 * A spec file may also say, on lines of their own, which runtime it describes
 * and which mapped files are that runtime's (for a probes directory:
 * runtime/spec_runtimes.h):
 *   runtime=NAME     at most once; NAME is 1-31 of [A-Za-z0-9_.-]
 *   library=GLOB     repeatable; an fnmatch pattern on a mapped file's basename
 */
#define NNP_SPEC_RUNTIME_LEN 32
#define NNP_SPEC_LIB_LEN 256
#define NNP_SPEC_MAX_LIBS 16
struct nnp_spec_meta {
	char runtime[NNP_SPEC_RUNTIME_LEN]; /* "" when the file has no runtime= */
	char libs[NNP_SPEC_MAX_LIBS][NNP_SPEC_LIB_LEN];
	size_t nlibs;
};

/* nnp_spec_load, and the file's runtime= and library= lines into *meta (may be NULL) */
int nnp_spec_load_meta(const char *path, struct nnp_probe_def **defs, size_t *n,
		       struct nnp_spec_meta *meta, char *err, size_t errlen);
/* 1 if NAME may be a runtime's name (runtime=NAME), else 0 */
int nnp_spec_runtime_name_ok(const char *name);

/* What a layer probe reads at its return, from ret (the rest at its entry) */
#define NNP_AT_RETURN_KEY (1u << 0)   /* key (and key2) */
#define NNP_AT_RETURN_NAMES (1u << 1) /* name, op, shape and rank, read together */
#define NNP_AT_RETURN_WHEN (1u << 2)
unsigned nnp_probe_at_return(const struct nnp_probe_def *d);
/* whether a fetch of D reads pc: its site is then kept where it is written */
bool nnp_probe_uses_pc(const struct nnp_probe_def *d);

/* Writes a probe back in the grammar above (for -v and recordings). */
int nnp_probe_format(const struct nnp_probe_def *d, char *buf, size_t len);

#endif

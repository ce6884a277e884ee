// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Probe definitions: --probe strings and spec files, parsed, rejected and written back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bad_probes.h"
#include "fetch_expr.h"
#include "probe_spec.h"

#define SPECS NNP_TEST_DATA_DIR "/specs/"

/* the last argument register of a uprobe site, and one past it (fetch_expr.h) */
#if defined(__aarch64__)
#define ARG_MAX "7"
#define ARG_OVER "8"
#else
#define ARG_MAX "5"
#define ARG_OVER "6"
#endif

/* A fetch as the BPF side walks it: argN, derefs at the given offsets, then final. */
#define VAL(a, w, nd, fin, ...)                                                                    \
	{                                                                                          \
		.kind = NNP_FETCH_VALUE, .arg = (a), .nderef = (nd), .width = (w),                 \
		.final_off = (fin), .deref_off = {                                                 \
			__VA_ARGS__                                                                \
		}                                                                                  \
	}
#define STR(a, nd, fin, ...)                                                                       \
	{                                                                                          \
		.kind = NNP_FETCH_STRING, .arg = (a), .nderef = (nd), .final_off = (fin),          \
		.deref_off = {                                                                     \
			__VA_ARGS__                                                                \
		}                                                                                  \
	}

#define LAYER NNP_PROBE_LAYER
#define SYMBOL_AT(l, s) .site = NNP_SITE_SYMBOL, .lib = (l), .symbol = (s)
#define OFFSET_AT(l, o) .site = NNP_SITE_OFFSET, .lib = (l), .offset = (o)
#define USDT_AT(l, p, n) .site = NNP_SITE_USDT, .lib = (l), .provider = (p), .usdt_name = (n)

struct good_case {
	const char *in;
	enum nnp_probe_kind kind;
	enum nnp_site_kind site;
	const char *lib;
	const char *symbol;
	uint64_t offset;
	bool has_offset; /* +0 written: kept, not placed */
	const char *provider;
	const char *usdt_name;
	bool entry_only;
	struct nnp_fetch key, name, op;
	const char *name_lit, *op_lit;
	const char *canonical; /* nnp_probe_format's text, NULL: the input itself */
};

#define STK NNP_FETCH_ARG_STACK
#define RET NNP_FETCH_ARG_RET
#define PC NNP_FETCH_ARG_PC
/* an index term: its value's arg, width, derefs, final offset; the scale; where it is added */
#define IDX(at_, a, w, sc, nd, fin, ...)                                                           \
	.idx = { .at = (at_),                                                                      \
		 .arg = (a),                                                                       \
		 .nderef = (nd),                                                                   \
		 .width = (w),                                                                     \
		 .scale = (sc),                                                                    \
		 .final_off = (fin),                                                               \
		 .deref_off = { __VA_ARGS__ } }
/* the index term inside an index term's value: the same fields, at a step of idx's walk */
#define IDX_IN(at_, a, w, sc, nd, fin, ...)                                                        \
	.idx_in = { .at = (at_),                                                                   \
		    .arg = (a),                                                                    \
		    .nderef = (nd),                                                                \
		    .width = (w),                                                                  \
		    .scale = (sc),                                                                 \
		    .final_off = (fin),                                                            \
		    .deref_off = { __VA_ARGS__ } }
#define S32 (NNP_WIDTH_SIGNED | 4)
static const struct good_case good[] = {
	/* an index inside an index, signed: XNNPACK's operator type names, a table of
	 * 32-bit offsets from the table itself (T + s32(*(T + type * 4))) */
	{ "layer=l:f,key=arg0,op=str(pc+100+s32(*(pc+100+u32(*(arg0+184))*4)))", .kind = LAYER,
	  SYMBOL_AT("l", "f"), .key = VAL(0, 8, 0, 0, 0),
	  .op = { .kind = NNP_FETCH_STRING,
		  .arg = PC,
		  .final_off = 100,
		  IDX(1, PC, S32, 1, 1, 0, 100),
		  IDX_IN(1, 0, 4, 4, 1, 0, 184) },
	  .canonical = "layer=l:f,key=arg0,op=str(pc+s32(*(pc+u32(*(arg0+184))*4+100))+100)" },
	/* tflite-runtime's: 16-bit offsets into a string array (D + u16(*(O + type * 2))) */
	{ "layer=l:f,op=str(pc-8+u16(*(pc+16+u32(*(arg0+1168))*2)))", .kind = LAYER,
	  SYMBOL_AT("l", "f"),
	  .op = { .kind = NNP_FETCH_STRING,
		  .arg = PC,
		  .final_off = -8,
		  IDX(1, PC, 2, 1, 1, 0, 16),
		  IDX_IN(1, 0, 4, 2, 1, 0, 1168) },
	  .canonical = "layer=l:f,op=str(pc+u16(*(pc+u32(*(arg0+1168))*2+16))-8)" },
	{ "layer=l:f,key=*(arg0+(*(arg1+arg2*8))*16)", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = { .kind = NNP_FETCH_VALUE,
		   .arg = 0,
		   .width = 8,
		   .nderef = 1,
		   IDX(1, 1, 8, 16, 1, 0, 0),
		   IDX_IN(1, 2, 8, 8, 0, 0, 0) },
	  .canonical = "layer=l:f,key=*(arg0+(*(arg1+arg2*8))*16)" },
	/* index terms: ADDR + VALUE * SIZE, added where the address is being built */
	{ "layer=l:f,key=arg0+arg1", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = { .kind = NNP_FETCH_VALUE, .arg = 0, .width = 8, IDX(1, 1, 8, 1, 0, 0, 0) } },
	/* TFLite's output tensor name: context->tensors[node->outputs->data[0]].name */
	{ "layer=l:f,key=arg1,name=str(*(*(arg0+16) + u32(*(*(arg1+8)+4)) * 112 + 56))",
	  .kind = LAYER, SYMBOL_AT("l", "f"), .key = VAL(1, 8, 0, 0, 0),
	  .name = { .kind = NNP_FETCH_STRING,
		    .arg = 0,
		    .nderef = 2,
		    .deref_off = { 16, 56 },
		    IDX(2, 1, 4, 112, 2, 0, 8, 4) },
	  .canonical = "layer=l:f,key=arg1,name=str(*(*(arg0+16)+u32(*(*(arg1+8)+4))*112+56))" },
	{ "layer=l:f,key=*(arg0 + (arg1+4)*8)", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = { .kind = NNP_FETCH_VALUE,
		   .arg = 0,
		   .width = 8,
		   .nderef = 1,
		   IDX(1, 1, 8, 8, 0, 4, 0) },
	  .canonical = "layer=l:f,key=*(arg0+(arg1+4)*8)" },
	{ "layer=l:f,key=u16(*(arg0+sarg1*16)+8)", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = { .kind = NNP_FETCH_VALUE,
		   .arg = 0,
		   .width = 2,
		   .nderef = 1,
		   .final_off = 8,
		   IDX(1, STK, 8, 16, 1, 0, 8) },
	  .canonical = "layer=l:f,key=u16(*(arg0+*(stack+8)*16)+8)" },
	{ "layer-begin=usdt:app:p:n,key=arg0,name=str(*(arg2 + arg11*8))",
	  .kind = NNP_PROBE_LAYER_BEGIN, USDT_AT("app", "p", "n"), .key = VAL(0, 8, 0, 0, 0),
	  .name = { .kind = NNP_FETCH_STRING, .arg = 2, .nderef = 1, IDX(1, 11, 8, 8, 0, 0, 0) },
	  .canonical = "layer-begin=usdt:app:p:n,key=arg0,name=str(*(arg2+arg11*8))" },
	/* the stack: sargN is the Nth 8-byte stack argument, *(stack+8*N) */
	{ "layer=a.so:f,key=sarg2", .kind = LAYER, SYMBOL_AT("a.so", "f"),
	  .key = VAL(STK, 8, 1, 0, 16), .canonical = "layer=a.so:f,key=*(stack+16)" },
	{ "layer=a.so:f,key=u32(stack + 4)", .kind = LAYER, SYMBOL_AT("a.so", "f"),
	  .key = VAL(STK, 4, 0, 4, 0), .canonical = "layer=a.so:f,key=u32(stack+4)" },
	{ "layer=a.so:f,key=sarg0,name=str(*(stack+8)),op=str(*(sarg1+16))", .kind = LAYER,
	  SYMBOL_AT("a.so", "f"), .key = VAL(STK, 8, 1, 0, 0), .name = STR(STK, 1, 0, 8),
	  .op = STR(STK, 2, 0, 8, 16),
	  .canonical = "layer=a.so:f,key=*stack,name=str(*(stack+8)),op=str(*(*(stack+8)+16))" },
	{ "layer=a.so:f,key=*(*(*sarg63))", .kind = LAYER, SYMBOL_AT("a.so", "f"),
	  .key = VAL(STK, 8, 4, 0, 504, 0, 0, 0), .canonical = "layer=a.so:f,key=****(stack+504)" },
	/* ret: the return value, read at the return */
	{ "layer=l:f,key=ret,name=str(*(ret+56))", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(RET, 8, 0, 0, 0), .name = STR(RET, 1, 0, 56) },
	{ "layer=l:f,key=ret,name=str(*(*(ret+8) + u32(ret+4)*16))", .kind = LAYER,
	  SYMBOL_AT("l", "f"), .key = VAL(RET, 8, 0, 0, 0),
	  .name = { .kind = NNP_FETCH_STRING,
		    .arg = RET,
		    .nderef = 2,
		    .deref_off = { 8, 0 },
		    IDX(2, RET, 4, 16, 0, 4) },
	  .canonical = "layer=l:f,key=ret,name=str(*(*(ret+8)+u32(ret+4)*16))" },
	/* pc: the site's address; LiteRT's op name, EnumNamesBuiltinOperator()[builtin_code] */
	{ "layer-begin=l:0x1000,key=arg1,op=str(*(pc + 2816622 + u32(*(arg1+120))*8))",
	  .kind = NNP_PROBE_LAYER_BEGIN, OFFSET_AT("l", 0x1000), .key = VAL(1, 8, 0, 0, 0),
	  .op = { .kind = NNP_FETCH_STRING,
		  .arg = PC,
		  .nderef = 1,
		  .deref_off = { 2816622 },
		  IDX(1, 1, 4, 8, 1, 0, 120) },
	  .canonical = "layer-begin=l:0x1000,key=arg1,op=str(*(pc+u32(*(arg1+120))*8+2816622))" },
	{ "layer-begin=usdt:app:p:n,key=pc-16", .kind = NNP_PROBE_LAYER_BEGIN,
	  USDT_AT("app", "p", "n"), .key = VAL(PC, 8, 0, -16) },
	/* the runtimes of docs/spec-format.md */
	{ "layer=nnperf-tinynet:tinynet_conv2d,key=arg0,name=str(*arg0),op=str(*(arg0+16))",
	  .kind = LAYER, SYMBOL_AT("nnperf-tinynet", "tinynet_conv2d"), .key = VAL(0, 8, 0, 0, 0),
	  .name = STR(0, 1, 0, 0), .op = STR(0, 1, 0, 16) },
	{ "layer=libtorch_cpu.so:at::_ops::conv2d::call,key=*arg2", .kind = LAYER,
	  SYMBOL_AT("libtorch_cpu.so", "at::_ops::conv2d::call"), .key = VAL(2, 8, 1, 0, 0) },
	{ "layer=libopencv_dnn.so:*forwardLayer*,key=u32(*arg1),name=str(*(arg1+8)),"
	  "op=str(*(arg1+40))",
	  .kind = LAYER, SYMBOL_AT("libopencv_dnn.so", "*forwardLayer*"), .key = VAL(1, 4, 1, 0, 0),
	  .name = STR(1, 1, 0, 8), .op = STR(1, 1, 0, 40) },
	{ "layer=libggml-cpu-haswell.so:ggml_compute_forward_*+4,key=arg1,name=str(arg1+256)",
	  .kind = LAYER, SYMBOL_AT("libggml-cpu-haswell.so", "ggml_compute_forward_*"), .offset = 4,
	  .key = VAL(1, 8, 0, 0, 0), .name = STR(1, 0, 256, 0),
	  .canonical = "layer=libggml-cpu-haswell.so:ggml_compute_forward_*+0x4,key=arg1,"
		       "name=str(arg1+256)" },
	{ "layer-begin=usdt:./app:myprov:start,key=arg0,name=str(arg1)",
	  .kind = NNP_PROBE_LAYER_BEGIN, USDT_AT("./app", "myprov", "start"),
	  .key = VAL(0, 8, 0, 0, 0), .name = STR(1, 0, 0, 0) },
	{ "layer-end=usdt:/opt/app/lib/libm.so.6:myprov:end,key=arg11", .kind = NNP_PROBE_LAYER_END,
	  USDT_AT("/opt/app/lib/libm.so.6", "myprov", "end"), .key = VAL(11, 8, 0, 0, 0) },
	{ "inference-begin=usdt:app:p_1:infer_start", .kind = NNP_PROBE_INFER_BEGIN,
	  USDT_AT("app", "p_1", "infer_start") },
	{ "inference-end=usdt : app : p : e , key = u16(arg3)", .kind = NNP_PROBE_INFER_END,
	  USDT_AT("app", "p", "e"), .key = VAL(3, 2, 0, 0, 0),
	  .canonical = "inference-end=usdt:app:p:e,key=u16(arg3)" },
	{ "inference=./build/nnperf-tinynet:tinynet_infer", .kind = NNP_PROBE_INFERENCE,
	  SYMBOL_AT("./build/nnperf-tinynet", "tinynet_infer") },
	{ "layer=lib.so:f,mode=entry-only", .kind = LAYER, SYMBOL_AT("lib.so", "f"),
	  .entry_only = true },
	{ "layer=lib.so:f,mode=entry-return", .kind = LAYER, SYMBOL_AT("lib.so", "f"),
	  .canonical = "layer=lib.so:f" },
	{ "inference=lib.so:run,mode=entry-only", .kind = NNP_PROBE_INFERENCE,
	  SYMBOL_AT("lib.so", "run"), .entry_only = true },
	{ "layer-begin=l:0x1000,key=arg1,mode=entry-only", .kind = NNP_PROBE_LAYER_BEGIN,
	  OFFSET_AT("l", 0x1000), .key = VAL(1, 8, 0, 0, 0), .entry_only = true },
	{ "layer-end=l:0x1008,mode=entry-only", .kind = NNP_PROBE_LAYER_END, OFFSET_AT("l", 0x1008),
	  .entry_only = true },
	/* normalisation of fetch expressions */
	{ "layer=l:f,key=*(arg1+8)", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 8, 1, 0, 8) },
	{ "layer=l:f,key=*(*(arg1+8)+16)+4", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 8, 2, 4, 8, 16) },
	{ "layer=l:f,key=*arg0+8", .kind = LAYER, SYMBOL_AT("l", "f"), .key = VAL(0, 8, 1, 8, 0) },
	{ "layer=l:f,key=**arg0", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(0, 8, 2, 0, 0, 0) },
	{ "layer=l:f,key=*(*(*(*(arg5+1)+2)+3)+4)+5", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(5, 8, 4, 5, 1, 2, 3, 4) },
	{ "layer=l:f,key=*arg" ARG_MAX, .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(NNP_UPROBE_MAX_ARG, 8, 1, 0, 0) },
	{ "layer=l:f,key=(arg1+8)+4-2", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 8, 0, 10, 0), .canonical = "layer=l:f,key=arg1+10" },
	{ "layer=l:f,key=*((arg1+0x10)-4)", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 8, 1, 0, 12), .canonical = "layer=l:f,key=*(arg1+12)" },
	{ "layer=l:f,key=*(*arg1-8)", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 8, 2, 0, 0, -8) },
	{ "layer=l:f,key=arg0-0x80000000", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(0, 8, 0, INT32_MIN, 0), .canonical = "layer=l:f,key=arg0-2147483648" },
	{ "layer=l:f,key=arg0+2147483647", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(0, 8, 0, INT32_MAX, 0) },
	{ "layer=l:f,key=arg0+0x7fffffff-1+1", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(0, 8, 0, INT32_MAX, 0), .canonical = "layer=l:f,key=arg0+2147483647" },
	{ "layer=l:f,key=arg0+010", .kind = LAYER, SYMBOL_AT("l", "f"), .key = VAL(0, 8, 0, 10, 0),
	  .canonical = "layer=l:f,key=arg0+10" },
	{ "layer=l:f,key=u8(arg0)", .kind = LAYER, SYMBOL_AT("l", "f"), .key = VAL(0, 1, 0, 0, 0) },
	{ "layer=l:f,key=u32(*(arg1+8))", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 4, 1, 0, 8) },
	{ "layer=l:f,key=u64(arg0)", .kind = LAYER, SYMBOL_AT("l", "f"), .key = VAL(0, 8, 0, 0, 0),
	  .canonical = "layer=l:f,key=arg0" },
	{ "layer=l:f,key= u32 ( * ( arg1 + 8 ) ) ", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .key = VAL(1, 4, 1, 0, 8), .canonical = "layer=l:f,key=u32(*(arg1+8))" },
	{ "layer=l:f,name=str((arg1)),op=str( * arg2 + 3 )", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .name = STR(1, 0, 0, 0), .op = STR(2, 1, 3, 0),
	  .canonical = "layer=l:f,name=str(arg1),op=str(*arg2+3)" },
	/* literals */
	{ "layer=l:f,name=\"conv1\",op=\"Conv\"", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .name_lit = "conv1", .op_lit = "Conv" },
	{ "layer=l:f,name=\"a \\\"q\\\" b\\\\c, d\"", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .name_lit = "a \"q\" b\\c, d" },
	{ "layer=l:f,name=\"" /* 63 bytes: the longest that fits */
	  "0123456789012345678901234567890123456789012345678901234567890ab\"",
	  .kind = LAYER, SYMBOL_AT("l", "f"),
	  .name_lit = "0123456789012345678901234567890123456789012345678901234567890ab" },
	{ "layer=l:f,op=\"0123456789012345678901234567890\"", .kind = LAYER, SYMBOL_AT("l", "f"),
	  .op_lit = "0123456789012345678901234567890" },
	/* sites */
	{ "layer=libx.so:0x1234", .kind = LAYER, OFFSET_AT("libx.so", 0x1234) },
	{ "layer=libx.so:4660", .kind = LAYER, OFFSET_AT("libx.so", 4660),
	  .canonical = "layer=libx.so:0x1234" },
	{ "layer=libx.so:0xffffffffffffffff", .kind = LAYER, OFFSET_AT("libx.so", UINT64_MAX) },
	{ "layer=libx.so:f+0x10", .kind = LAYER, SYMBOL_AT("libx.so", "f"), .offset = 16 },
	{ "layer=libx.so:f + 16", .kind = LAYER, SYMBOL_AT("libx.so", "f"), .offset = 16,
	  .canonical = "layer=libx.so:f+0x10" },
	{ "layer=libx.so:f+0", .kind = LAYER, SYMBOL_AT("libx.so", "f"), .has_offset = true,
	  .canonical = "layer=libx.so:f+0x0" },
	{ "layer=libx.so:operator+", .kind = LAYER, SYMBOL_AT("libx.so", "operator+") },
	{ "layer=libx.so:ns::T::operator+(ns::T const&)", .kind = LAYER,
	  SYMBOL_AT("libx.so", "ns::T::operator+(ns::T const&)") },
	{ "layer=libx.so:a+1+2", .kind = LAYER, SYMBOL_AT("libx.so", "a+1"), .offset = 2,
	  .canonical = "layer=libx.so:a+1+0x2" },
	{ "layer=libx.so:a+1+0", .kind = LAYER, SYMBOL_AT("libx.so", "a+1"), .has_offset = true,
	  .canonical = "layer=libx.so:a+1+0x0" },
	{ "layer=/usr/lib/x86_64-linux-gnu/libtorch_cpu.so:at::native::add(at::Tensor const&)",
	  .kind = LAYER,
	  SYMBOL_AT("/usr/lib/x86_64-linux-gnu/libtorch_cpu.so",
		    "at::native::add(at::Tensor const&)") },
	{ "layer=libx.so:ns::f<a, b>(int, double),key=arg1", .kind = LAYER,
	  SYMBOL_AT("libx.so", "ns::f<a, b>(int, double)"), .key = VAL(1, 8, 0, 0, 0) },
	{ "layer=libx.so:std::map<int, std::pair<int, int> >::find(int const&) const+0x8,key=arg0",
	  .kind = LAYER,
	  SYMBOL_AT("libx.so", "std::map<int, std::pair<int, int> >::find(int const&) const"),
	  .offset = 8, .key = VAL(0, 8, 0, 0, 0) },
	{ "layer=libx.so:std::less<int>::operator()(int const&, int const&) const,key=arg0",
	  .kind = LAYER,
	  SYMBOL_AT("libx.so", "std::less<int>::operator()(int const&, int const&) const"),
	  .key = VAL(0, 8, 0, 0, 0) },
	{ "layer=libx.so:ns::T::operator<(ns::T const&, int),key=arg0", .kind = LAYER,
	  SYMBOL_AT("libx.so", "ns::T::operator<(ns::T const&, int)"), .key = VAL(0, 8, 0, 0, 0) },
	/* a glob with its '<' left open: a pattern, the ',' ends the site */
	{ "layer=libtf.so:tflite::ops::builtin::conv::Eval<*,key=arg0", .kind = LAYER,
	  SYMBOL_AT("libtf.so", "tflite::ops::builtin::conv::Eval<*"), .key = VAL(0, 8, 0, 0, 0) },
	{ "layer=libx.so:operator<<,key=arg0", .kind = LAYER, SYMBOL_AT("libx.so", "operator<<"),
	  .key = VAL(0, 8, 0, 0, 0) },
	{ "layer=libx.so:ns::X::operator->() const,key=arg0", .kind = LAYER,
	  SYMBOL_AT("libx.so", "ns::X::operator->() const"), .key = VAL(0, 8, 0, 0, 0) },
	{ "layer=libx.so:f(a[2], b)", .kind = LAYER, SYMBOL_AT("libx.so", "f(a[2], b)") },
	{ "layer=libx.so:tinynet_[cr]*", .kind = LAYER, SYMBOL_AT("libx.so", "tinynet_[cr]*") },
	{ "layer=libx.so:get?", .kind = LAYER, SYMBOL_AT("libx.so", "get?") },
	{ "layer=my lib.so:f", .kind = LAYER, SYMBOL_AT("my lib.so", "f") },
	/* whitespace */
	{ "  layer \t= lib.so : f ,key = arg0,  name = \"n\" ,op=str(arg1)\t ", .kind = LAYER,
	  SYMBOL_AT("lib.so", "f"), .key = VAL(0, 8, 0, 0, 0), .op = STR(1, 0, 0, 0),
	  .name_lit = "n", .canonical = "layer=lib.so:f,key=arg0,name=\"n\",op=str(arg1)" },
	{ "layer=lib.so:f,op=str(arg2),key=arg1,name=str(arg0)", .kind = LAYER,
	  SYMBOL_AT("lib.so", "f"), .key = VAL(1, 8, 0, 0, 0), .name = STR(0, 0, 0, 0),
	  .op = STR(2, 0, 0, 0),
	  .canonical = "layer=lib.so:f,key=arg1,name=str(arg0),op=str(arg2)" },
	/* key on end roles: USDT end markers pass the id */
	{ "layer-end=lib.so:f,key=arg0", .kind = NNP_PROBE_LAYER_END, SYMBOL_AT("lib.so", "f"),
	  .key = VAL(0, 8, 0, 0, 0) },
};

static const struct bad_case bad[] = {
	{ "", 1,
	  "expected a role (layer, inference, layer-begin, layer-end, inference-begin, "
	  "inference-end) but found end of input" },
	{ "   ", 4, "expected a role" },
	{ "=lib:f", 1,
	  "expected a role (layer, inference, layer-begin, layer-end, "
	  "inference-begin, inference-end) but found '='" },
	{ "lyr=a:b", 1, "unknown role 'lyr' (expected layer, inference, layer-begin, " },
	{ "Layer=a:b", 1, "unknown role 'Layer'" },
	{ "layer-start=a:b", 1, "unknown role 'layer-start'" },
	{ "layer", 6, "expected '=' after role 'layer' but found end of input" },
	{ "layer:a:b", 6, "expected '=' after role 'layer' but found ':'" },
	{ "layer=", 7,
	  "expected a site (LIB:SYMBOL, LIB:OFFSET or usdt:LIB:PROVIDER:NAME) but "
	  "found end of input" },
	{ "layer= ,key=arg0", 8, "expected a site" },
	{ "layer=lib.so", 13,
	  "expected ':' and a symbol after library 'lib.so' but found end "
	  "of input" },
	{ "layer=lib.so,key=arg0", 13,
	  "expected ':' and a symbol after library 'lib.so' but "
	  "found ','" },
	{ "layer=:f", 7, "expected a library but found ':'" },
	{ "layer= :f", 8, "expected a library but found ':'" },
	{ "layer=lib.so:", 14,
	  "expected a symbol or offset after 'lib.so:' but found end of "
	  "input" },
	{ "layer=lib.so: ,key=arg0", 15,
	  "expected a symbol or offset after 'lib.so:' but "
	  "found ','" },
	{ "layer=lib.so:0x10000000000000000", 14, "file offset out of range" },
	{ "layer=lib.so:f+0x10000000000000000", 16, "file offset out of range" },
	{ "layer=lib.so:f # conv", 16, "unexpected '#' in symbol" },
	{ "layer=lib.so:foo<int,key=arg0", 17,
	  "unclosed '<' in site (a ',' inside (), <> or "
	  "[] belongs to the symbol)" },
	{ "layer=lib.so:f(int, key=arg0", 15, "unclosed '('" },
	/* a glob's open '<' is plain, but not inside an unclosed '(' */
	{ "layer=lib.so:f(Eval<*, key=arg0", 15, "unclosed '('" },
	{ "layer=lib.so:f),key=arg0", 15, "unmatched ')' in site" },
	{ "layer=lib.so:f[a),key=arg0", 17, "unmatched ')' in site" },
	{ "layer=usdt:app:prov", 20,
	  "incomplete USDT site 'usdt:app:prov' (expected "
	  "usdt:LIB:PROVIDER:NAME)" },
	{ "layer-begin=usdt:", 18, "incomplete USDT site" },
	{ "layer-begin=usdt::p:n", 18, "expected a library after 'usdt:' but found ':'" },
	{ "layer-begin=usdt:app::n", 22,
	  "expected a USDT provider after 'usdt:app:' but found "
	  "':'" },
	{ "layer-begin=usdt:app:p:", 24,
	  "expected a USDT name after 'usdt:app:p:' but found "
	  "end of input" },
	{ "layer-begin=usdt:app:p-x:n", 23, "invalid character '-' in USDT provider" },
	{ "layer-begin=usdt:app:p:n*,key=arg0", 25, "invalid character '*' in USDT name" },
	{ "layer-begin=usdt:app:p:"
	  "n123456789012345678901234567890123456789012345678901234567890123",
	  87, "a USDT name too long (at most 63 bytes)" },
	{ "layer=lib.so:f,", 16,
	  "expected an option (key, name, op, mode, when, shape, rank, when-cache) but "
	  "found end of input" },
	{ "layer=lib.so:f,,key=arg0", 16,
	  "expected an option (key, name, op, mode, when, shape, rank, when-cache) but "
	  "found ','" },
	{ "layer=lib.so:f,nmae=str(arg0)", 16,
	  "unknown option 'nmae' (expected key, name, op, "
	  "mode, when, shape, rank, when-cache)" },
	{ "layer=lib.so:f,key", 19, "expected '=' after 'key' but found end of input" },
	{ "layer=lib.so:f,key:arg0", 19, "expected '=' after 'key' but found ':'" },
	{ "layer=lib.so:f,key=arg0,key=arg1", 25, "option 'key' given twice" },
	{ "layer=lib.so:f,key=arg0 arg1", 25,
	  "expected ',' or end of input after 'key=arg0' "
	  "but found 'arg1'" },
	{ "layer=lib.so:f,key=arg0 # id", 25,
	  "expected ',' or end of input after 'key=arg0' "
	  "but found '#'" },
	{ "layer=lib.so:f,name=\"n\"x", 24,
	  "expected ',' or end of input after 'name=\"n\"' "
	  "but found 'x'" },
	/* fetch expressions */
	{ "layer=lib.so:f,key=", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key but found end of input" },
	{ "layer=lib.so:f,key=argv", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key but found 'argv'" },
	{ "layer=lib.so:f,key=arg", 23,
	  "expected an argument number after 'arg' but found end "
	  "of input" },
	{ "layer=lib.so:f,key=arg0x1", 20, "expected argN, sargN, stack, ret, pc, '*' or '('" },
	{ "layer=lib.so:f,key=arg" ARG_OVER, 23,
	  "argument index " ARG_OVER " out of range: uprobe sites have "
	  "arg0..arg" ARG_MAX " (" NNP_UPROBE_ARG_REGS ")" },
	{ "layer=lib.so:f,key=arg99999999999999999999999", 23, "out of range: uprobe sites" },
	{ "layer-begin=usdt:app:p:n,key=arg12", 33,
	  "argument index 12 out of range: usdt sites "
	  "have arg0..arg11" },
	{ "layer=lib.so:f,key=*(arg1+8", 28,
	  "expected ')' after '*(arg1+8' but found end of "
	  "input" },
	{ "layer=lib.so:f,key=*(arg1+8]", 28, "expected ')' after '*(arg1+8' but found ']'" },
	{ "layer=lib.so:f,key=arg1+", 25,
	  "expected a number or an index term (VALUE * SIZE) after 'arg1+' but found end of "
	  "input" },
	{ "layer=lib.so:f,key=arg1+x", 25,
	  "expected a number or an index term (VALUE * SIZE) after 'arg1+' but found 'x'" },
	{ "layer=lib.so:f,key=arg1+0x", 25, "expected a number after 'arg1+' but found '0x'" },
	{ "layer=lib.so:f,key=arg1-arg2", 25, "expected a number after 'arg1-' but found 'arg2'" },
	/* index terms */
	{ "layer=lib.so:f,key=arg0+arg1+arg2", 30,
	  "at most one index term (+ VALUE * SIZE) in a fetch, besides the one its index may "
	  "hold" },
	{ "layer=lib.so:f,key=*(arg0+arg1)+arg2", 33, "at most one index term" },
	{ "layer=lib.so:f,key=arg0+u32(arg1+u32(arg2+u32(arg3)))", 43,
	  "at most one index term inside an index term, and none inside that" },
	{ "layer=lib.so:f,key=arg0+u32(arg1+arg2+arg3)", 39,
	  "at most one index term inside an index term" },
	{ "layer=lib.so:f,key=arg0+u32(arg1+arg2)+arg3", 40, "at most one index term" },
	{ "layer=lib.so:f,key=s32(arg0)", 20,
	  "s32(...) is a signed index: only inside an index term (ADDR + s32(ADDR) * SIZE); "
	  "key takes u8..u64" },
	{ "layer=lib.so:f,name=str(s16(arg0))", 25,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' after 'str(' but found 's16'" },
	{ "layer=lib.so:f,key=arg0+arg1*0", 30, "element size out of range: 1..2147483647" },
	{ "layer=lib.so:f,key=arg0+arg1*0x80000000", 30, "element size out of range" },
	{ "layer=lib.so:f,key=arg0+arg1*x", 30,
	  "expected an element size after 'arg0+arg1*' but found 'x'" },
	{ "layer=lib.so:f,key=arg0+u32 arg1", 29,
	  "expected '(' after 'arg0+u32' but found 'arg1'" },
	{ "layer=lib.so:f,key=arg0+u32(arg1", 33, "expected ')' after 'arg0+u32(arg1'" },
	{ "layer-begin=usdt:a:p:n,key=arg0+sarg1", 33, "sarg1 is a function's stack at a uprobe" },
	{ "layer=lib.so:f,key=8+arg1", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key but found '8'" },
	{ "layer=lib.so:f,key=-8", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key but found '-'" },
	{ "layer=lib.so:f,key=arg0+0x80000000", 25,
	  "offset out of range in 'arg0+0x80000000': "
	  "offsets must fit in 32 signed bits" },
	{ "layer=lib.so:f,key=arg0-2147483649", 25, "offset out of range" },
	{ "layer=lib.so:f,key=arg0+0x7fffffff+1", 36,
	  "offset out of range in "
	  "'arg0+0x7fffffff+1'" },
	{ "layer=lib.so:f,key=*(arg0+99999999999999999999999)", 27, "offset out of range" },
	{ "layer=lib.so:f,key=*****arg0", 20, "too many dereferences: at most 4 '*' in one fetch" },
	{ "layer=lib.so:f,key=*(*(*(*sarg1)))", 20, "too many dereferences: at most 4" },
	/* ret: only where a return is probed, and not with the arguments */
	{ "layer=lib.so:f,key=*(ret+arg1)", 26,
	  "arg1: key reads ret or the arguments, not both (the arguments are gone when the "
	  "function returns)" },
	{ "layer=lib.so:f,name=str(*(arg0+ret*8))", 32, "ret: name reads ret or the arguments" },
	{ "layer=lib.so:f,key=ret+pc", 24, "pc: key reads ret or the arguments" },
	{ "layer=lib.so:f,key=pcx", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key" },
	{ "layer=lib.so:f,key=retx", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key" },
	{ "layer-begin=usdt:a:p:n,key=ret", 28,
	  "ret is a function's return value: a USDT probe has none (its arguments are "
	  "arg0..arg11)" },
	{ "layer=lib.so:f,mode=entry-only,key=ret", 32,
	  "key reads ret, the return value: only layer probes have a return probe (not "
	  "mode=entry-only layer)" },
	{ "layer=lib.so:f,key=arg0,mode=entry-only,when=ret==0", 41, "when reads ret" },
	{ "layer-begin=lib.so:f,name=str(ret)", 22,
	  "name reads ret, the return value: only layer probes have a return probe (not "
	  "layer-begin)" },
	{ "inference=lib.so:f,key=ret", 20, "(not inference)" },
	{ "layer=lib.so:f,name=str(*arg0),op=str(ret)", 16,
	  "name reads the arguments but op reads ret: name, op, shape and rank are read "
	  "together, at the entry or at the return" },
	{ "layer=lib.so:f,key=ret,op=str(*(arg0+16))", 24,
	  "op reads the arguments but key reads ret: a layer's names are read with its key" },
	{ "layer=lib.so:f,key=sarg64", 24, "stack argument 64 out of range: sarg0..sarg63" },
	{ "layer=lib.so:f,key=sarg", 24, "expected a stack argument number after 'sarg'" },
	{ "layer=lib.so:f,key=sargx", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key" },
	{ "layer=lib.so:f,key=stacks", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key" },
	{ "layer-begin=usdt:a.so:p:n,key=sarg1", 31,
	  "sarg1 is a function's stack at a uprobe: a USDT probe's arguments are arg0..arg11" },
	{ "layer-begin=usdt:a.so:p:n,name=str(stack)", 36, "stack is a function's stack" },
	{ "layer=lib.so:f,key=*(*(*(*(*(arg1+1)+2)+3)+4)+5)", 20, "too many dereferences" },
	{ "layer=lib.so:f,key=*(*(*(*(*arg1+1)+2)+3)+4)", 20, "too many dereferences" },
	{ "layer=lib.so:f,key=str(arg0)", 20,
	  "key must be a value (argN, *ADDR, u32(ADDR), ...),"
	  " not a string" },
	{ "layer=lib.so:f,key=\"k\"", 20, "key must be a value" },
	{ "layer=lib.so:f,key=u32", 23, "expected '(' after 'u32' but found end of input" },
	{ "layer=lib.so:f,key=u32 arg0", 24, "expected '(' after 'u32' but found 'arg0'" },
	{ "layer=lib.so:f,key=u32(arg0", 28,
	  "expected ')' after 'u32(arg0' but found end of "
	  "input" },
	{ "layer=lib.so:f,key=u24(arg0)", 20,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' for key but found "
	  "'u24'" },
	{ "layer=lib.so:f,key=u32(u16(arg0))", 24,
	  "expected argN, sargN, stack, ret, pc, '*' or '(' after 'u32(' but "
	  "found 'u16'" },
	{ "layer=lib.so:f,name=str(arg1", 29,
	  "expected ')' after 'str(arg1' but found end of "
	  "input" },
	{ "layer=lib.so:f,name=str arg1", 25, "expected '(' after 'str' but found 'arg1'" },
	{ "layer=lib.so:f,name=arg1", 21,
	  "expected str(ADDR) or a \"literal\" for name but found "
	  "'arg1'" },
	{ "layer=lib.so:f,op=u32(arg1)", 19,
	  "expected str(ADDR) or a \"literal\" for op but "
	  "found 'u32'" },
	{ "layer=lib.so:f,name=", 21,
	  "expected str(ADDR) or a \"literal\" for name but found end "
	  "of input" },
	{ "layer=lib.so:f,name=\"conv", 26,
	  "expected '\"' to end the literal after '\"conv' but "
	  "found end of input" },
	{ "layer=lib.so:f,name=\"a\\nb\"", 23, "unknown escape in name literal" },
	{ "layer=lib.so:f,name=\"a\\", 23, "unknown escape in name literal" },
	{ "layer=lib.so:f,name=\"\"", 21, "empty name literal" },
	{ "layer=lib.so:f,name=\""
	  "0123456789012345678901234567890123456789012345678901234567890abc\"",
	  85, "name literal too long (at most 63 bytes)" },
	{ "layer=lib.so:f,op=\"01234567890123456789012345678901\"", 51,
	  "op literal too long (at most 31 bytes)" },
	{ "layer=lib.so:f,name=str(((((((((((((((((((((((((((((((((((arg0)))))))))))))))))))))"
	  "))))))))))))))",
	  57, "expression nested too deeply" },
	/* role rules */
	{ "inference-begin=lib.so:f,mode=entry-only", 26,
	  "mode applies only to layer, layer-begin, layer-end and inference "
	  "probes, not inference-begin" },
	{ "inference-end=lib.so:f,mode=entry-return", 24,
	  "mode applies only to layer, layer-begin, layer-end and "
	  "inference probes, not inference-end" },
	{ "layer-end=lib.so:0x10,mode=entry-only,key=arg0", 39,
	  "key is not allowed on a mode=entry-only layer-end" },
	{ "layer=lib.so:f,mode=entry", 21,
	  "expected mode entry-only or entry-return but found "
	  "'entry'" },
	{ "layer=lib.so:f,mode=", 21,
	  "expected mode entry-only or entry-return but found end of "
	  "input" },
	{ "layer-end=lib.so:f,key=arg0,name=str(arg1)", 29,
	  "name is not allowed on layer-end "
	  "probes" },
	{ "inference-end=usdt:a:p:n,op=\"x\"", 26, "op is not allowed on inference-end probes" },
};

static void assert_index_equal(const struct nnp_index *got, const struct nnp_index *want)
{
	assert_int_equal(got->at, want->at);
	if (!want->at)
		return;
	assert_int_equal(got->arg, want->arg);
	assert_int_equal(got->nderef, want->nderef);
	assert_int_equal(got->width, want->width);
	assert_int_equal(got->scale, want->scale);
	assert_int_equal(got->final_off, want->final_off);
	for (int i = 0; i < NNP_MAX_DEREF; i++)
		assert_int_equal(got->deref_off[i], want->deref_off[i]);
}

static void assert_fetch_equal(const struct nnp_fetch *got, const struct nnp_fetch *want)
{
	int i;

	assert_int_equal(got->kind, want->kind);
	assert_int_equal(got->arg, want->arg);
	assert_int_equal(got->nderef, want->nderef);
	assert_int_equal(got->width, want->width);
	assert_int_equal(got->final_off, want->final_off);
	for (i = 0; i < NNP_MAX_DEREF; i++)
		assert_int_equal(got->deref_off[i], want->deref_off[i]);
	assert_index_equal(&got->idx, &want->idx);
	if (want->idx.at)
		assert_index_equal(&got->idx_in, &want->idx_in);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void assert_def_equal(const struct nnp_probe_def *d, const struct good_case *c)
{
	assert_int_equal(d->kind, c->kind);
	assert_int_equal(d->site, c->site);
	assert_string_equal(d->lib, c->lib);
	assert_string_equal(d->symbol, or_empty(c->symbol));
	assert_int_equal(d->offset, c->offset);
	assert_int_equal(d->has_offset, c->has_offset || (c->site == NNP_SITE_SYMBOL && c->offset));
	assert_string_equal(d->provider, or_empty(c->provider));
	assert_string_equal(d->usdt_name, or_empty(c->usdt_name));
	assert_int_equal(d->entry_only, c->entry_only);
	assert_fetch_equal(&d->key, &c->key);
	assert_fetch_equal(&d->name, &c->name);
	assert_fetch_equal(&d->op, &c->op);
	assert_string_equal(d->name_literal, or_empty(c->name_lit));
	assert_string_equal(d->op_literal, or_empty(c->op_lit));
}

/* The whole struct, padding and unused bytes included, as the parser must leave it. */
static bool def_matches(const struct nnp_probe_def *d, const struct good_case *c)
{
	static struct nnp_probe_def want;

	memset(&want, 0, sizeof(want));
	want.kind = c->kind;
	want.site = c->site;
	strcpy(want.lib, c->lib);
	strcpy(want.symbol, or_empty(c->symbol));
	want.offset = c->offset;
	want.has_offset = c->has_offset || (c->site == NNP_SITE_SYMBOL && c->offset);
	strcpy(want.provider, or_empty(c->provider));
	strcpy(want.usdt_name, or_empty(c->usdt_name));
	want.entry_only = c->entry_only;
	want.key = c->key;
	want.name = c->name;
	want.op = c->op;
	strcpy(want.name_literal, or_empty(c->name_lit));
	strcpy(want.op_literal, or_empty(c->op_lit));
	strcpy(want.origin, "--probe");
	return memcmp(&want, d, sizeof(want)) == 0;
}

static void test_good(void **state)
{
	static struct nnp_probe_def d;
	char err[256];
	size_t i;
	int col;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		col = -1;
		err[0] = 'x';
		if (nnp_probe_parse(good[i].in, &d, err, sizeof(err), &col))
			fail_msg("case %zu '%s': col %d: %s", i, good[i].in, col, err);
		assert_int_equal(col, 0);
		assert_string_equal(err, "");
		if (!def_matches(&d, &good[i])) {
			print_error("case %zu '%s' parsed to something else\n", i, good[i].in);
			assert_def_equal(&d, &good[i]);
			fail_msg("case %zu: a field assert_def_equal does not check differs", i);
		}
		assert_string_equal(d.origin, "--probe");
	}
}

static void test_bad(void **state)
{
	(void)state;
	check_bad_probes(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Parsing what nnp_probe_format wrote gives back the very same struct. */
static void assert_round_trip(const struct nnp_probe_def *d, char *text, size_t len)
{
	static struct nnp_probe_def again;
	char err[256];
	int col;

	assert_int_equal(nnp_probe_format(d, text, len), 0);
	if (nnp_probe_parse(text, &again, err, sizeof(err), &col))
		fail_msg("'%s' does not parse back: col %d: %s", text, col, err);
	strcpy(again.origin, d->origin);
	if (memcmp(&again, d, sizeof(again)) != 0)
		fail_msg("'%s' parses back to a different probe", text);
}

static void test_round_trip(void **state)
{
	static struct nnp_probe_def d;
	char text[8192], again[8192];
	size_t i;
	int col;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(nnp_probe_parse(good[i].in, &d, NULL, 0, &col), 0);
		assert_round_trip(&d, text, sizeof(text));
		assert_string_equal(text, good[i].canonical ? good[i].canonical : good[i].in);
		/* canonical text is a fixed point */
		assert_int_equal(nnp_probe_parse(text, &d, NULL, 0, NULL), 0);
		assert_int_equal(nnp_probe_format(&d, again, sizeof(again)), 0);
		assert_string_equal(again, text);
	}
}

static void test_format_limits(void **state)
{
	static struct nnp_probe_def d;
	const char *in = "layer=lib.so:f,key=*(arg1+8),name=\"a\\\"b\"";
	char text[128];
	size_t len = strlen(in), n;

	(void)state;
	assert_int_equal(nnp_probe_parse(in, &d, NULL, 0, NULL), 0);
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), 0);
	assert_string_equal(text, in);
	for (n = 0; n <= len; n++)
		assert_int_equal(nnp_probe_format(&d, text, n), -ENOSPC);
	assert_int_equal(nnp_probe_format(&d, text, len + 1), 0);
	assert_string_equal(text, in);

	/* what the grammar cannot say is refused, not written wrong */
	d.key.width = 3;
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), -EINVAL);
	d.key.width = 8;
	d.key.nderef = NNP_MAX_DEREF + 1;
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), -EINVAL);
	d.key.nderef = 1;
	d.kind = 0;
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), -EINVAL);
}

static void test_long_fields(void **state)
{
	static struct nnp_probe_def d;
	static char in[PATH_MAX + 1024];
	char err[256];
	int col, n;

	(void)state;
	/* the longest library and symbol that fit, and one byte more of each */
	n = snprintf(in, sizeof(in), "layer=%0*d:%0*d+1", PATH_MAX - 1, 0, 511, 0);
	in[6] = 'l';
	in[6 + PATH_MAX] = 's';
	assert_true(n > 0);
	assert_int_equal(nnp_probe_parse(in, &d, err, sizeof(err), &col), 0);
	assert_int_equal(strlen(d.lib), PATH_MAX - 1);
	assert_int_equal(strlen(d.symbol), 511);
	assert_int_equal(d.offset, 1);

	snprintf(in, sizeof(in), "layer=l%0*d:f", PATH_MAX - 1, 0);
	assert_int_equal(nnp_probe_parse(in, &d, err, sizeof(err), &col), -EINVAL);
	assert_int_equal(col, 6 + PATH_MAX);
	assert_non_null(strstr(err, "a library too long (at most 4095 bytes)"));

	snprintf(in, sizeof(in), "layer=l:s%0*d", 511, 0);
	assert_int_equal(nnp_probe_parse(in, &d, err, sizeof(err), &col), -EINVAL);
	assert_int_equal(col, 8 + 512);
	assert_non_null(strstr(err, "a symbol too long (at most 511 bytes)"));
}

static void test_null_err(void **state)
{
	static struct nnp_probe_def d;
	char err[8];
	int col = 0;

	(void)state;
	/* no message buffer, or a tiny one, still gives the column */
	assert_int_equal(nnp_probe_parse("lyr=a:b", &d, NULL, 0, &col), -EINVAL);
	assert_int_equal(col, 1);
	assert_int_equal(nnp_probe_parse("layer=a:b,x=1", &d, err, sizeof(err), &col), -EINVAL);
	assert_int_equal(col, 11);
	assert_string_equal(err, "unknown");
	assert_int_equal(nnp_probe_parse("layer=a:b", &d, NULL, 0, NULL), 0);
}

/* Deterministic xorshift: the same mutations on every run. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void mutate(char *buf, size_t cap, uint64_t *seed)
{
	static const char alphabet[] = "*()+-,:=\"\\<>[]# \targ0159xustr_lyen\xff";
	size_t len = strlen(buf), at = len ? rng_next(seed) % len : 0;
	char c = alphabet[rng_next(seed) % (sizeof(alphabet) - 1)];

	switch (rng_next(seed) % 4) {
	case 0:
		if (len)
			buf[at] = c;
		break;
	case 1:
		if (len + 1 < cap) {
			memmove(buf + at + 1, buf + at, len - at + 1);
			buf[at] = c;
		}
		break;
	case 2:
		if (len)
			memmove(buf + at, buf + at + 1, len - at);
		break;
	default:
		buf[at] = '\0';
		break;
	}
}

/* Every input either parses and round-trips, or fails with a column inside it. */
static void check_any(const char *in, char *text, size_t textlen)
{
	static struct nnp_probe_def d;
	char err[256];
	int col = 0, ret;

	err[0] = '\0';
	ret = nnp_probe_parse(in, &d, err, sizeof(err), &col);
	if (ret == 0) {
		assert_round_trip(&d, text, textlen);
		return;
	}
	assert_int_equal(ret, -EINVAL);
	if (col < 1 || (size_t)col > strlen(in) + 1 || !err[0])
		fail_msg("'%s': col %d, message '%s'", in, col, err);
}

static void test_mutations(void **state)
{
	char buf[1024], text[8192];
	uint64_t seed = 0x5eed5eed12345678ull;
	size_t i, n;
	int round;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		for (n = 0; n <= strlen(good[i].in); n++) {
			snprintf(buf, sizeof(buf), "%.*s", (int)n, good[i].in);
			check_any(buf, text, sizeof(text));
		}
		for (round = 0; round < 400; round++) {
			snprintf(buf, sizeof(buf), "%s", good[i].in);
			for (n = rng_next(&seed) % 4; n < 4; n++)
				mutate(buf, sizeof(buf), &seed);
			check_any(buf, text, sizeof(text));
		}
	}
}

static void test_spec_good(void **state)
{
	static const struct good_case want[] = {
		{ "", .kind = NNP_PROBE_INFERENCE, SYMBOL_AT("nnperf-tinynet", "tinynet_infer") },
		{ "", .kind = LAYER, SYMBOL_AT("nnperf-tinynet", "tinynet_conv2d"),
		  .key = VAL(0, 8, 0, 0, 0), .name = STR(0, 1, 0, 0), .op = STR(0, 1, 0, 16) },
		{ "", .kind = LAYER, SYMBOL_AT("nnperf-tinynet", "tinynet_relu"),
		  .key = VAL(0, 8, 0, 0, 0), .op_lit = "ReLU" },
		{ "", .kind = LAYER, SYMBOL_AT("libtorch_cpu.so", "at::_ops::conv2d::call"),
		  .key = VAL(2, 8, 1, 0, 0), .entry_only = true },
		{ "", .kind = NNP_PROBE_LAYER_BEGIN, USDT_AT("./app", "myprov", "start"),
		  .key = VAL(0, 8, 0, 0, 0), .name = STR(1, 0, 0, 0) },
		{ "", .kind = NNP_PROBE_LAYER_END, USDT_AT("./app", "myprov", "end"),
		  .key = VAL(0, 8, 0, 0, 0) },
		{ "", .kind = LAYER, SYMBOL_AT("libfoo.so", "ns::f<a, b>(int, double)"),
		  .offset = 16, .key = VAL(1, 4, 1, 0, 8) },
	};
	static const int lines[] = { 4, 5, 7, 9, 10, 11, 12 };
	struct nnp_probe_def *defs = NULL;
	char err[PATH_MAX + 256], origin[PATH_MAX + 32], text[8192];
	size_t n = 0, i;

	(void)state;
	assert_int_equal(nnp_spec_load(SPECS "good.spec", &defs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++) {
		assert_def_equal(&defs[i], &want[i]);
		snprintf(origin, sizeof(origin), SPECS "good.spec:%d", lines[i]);
		assert_string_equal(defs[i].origin, origin);
		assert_round_trip(&defs[i], text, sizeof(text));
	}
	/* a second file appends; the first file's probes stay */
	assert_int_equal(nnp_spec_load(SPECS "empty.spec", &defs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 7);
	assert_int_equal(nnp_spec_load(SPECS "good.spec", &defs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 14);
	for (i = 0; i < n; i++)
		assert_def_equal(&defs[i], &want[i % 7]);
	free(defs);
}

static void test_spec_bad(void **state)
{
	static const struct {
		const char *file;
		const char *where; /* LINE:COL */
		const char *msg;
	} cases[] = {
		{ "bad_role.spec", "3:1", "unknown role 'lyr'" },
		{ "bad_fetch.spec", "4:50",
		  "expected ')' after 'str(arg1' but found end of input" },
		{ "bad_comment.spec", "2:45",
		  "expected ',' or end of input after 'key=arg0' but "
		  "found '#'" },
		{ "bad_deref.spec", "4:20", "too many dereferences" },
		/* out of range on x86-64 (arg0..arg5) and arm64 (arg0..arg7) */
		{ "bad_arg.spec", "2:50",
		  "argument index 9 out of range: uprobe sites have "
		  "arg0..arg" ARG_MAX },
	};
	struct nnp_probe_def *defs = NULL;
	char err[PATH_MAX + 256], want[PATH_MAX + 64], path[PATH_MAX];
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), SPECS "%s:%s: ", cases[i].file, cases[i].where);
		snprintf(path, sizeof(path), SPECS "%s", cases[i].file);
		assert_int_equal(nnp_spec_load(path, &defs, &n, err, sizeof(err)), -EINVAL);
		if (strncmp(err, want, strlen(want)) || !strstr(err, cases[i].msg))
			fail_msg("got '%s'\nwant '%s...%s'", err, want, cases[i].msg);
		/* a failed file adds nothing */
		assert_int_equal(n, 0);
	}
	free(defs);
}

static void test_spec_unreadable(void **state)
{
	struct nnp_probe_def *defs = NULL;
	char err[PATH_MAX + 256];
	size_t n = 0;

	(void)state;
	assert_int_equal(nnp_spec_load(SPECS "no-such.spec", &defs, &n, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, SPECS "no-such.spec: No such file or directory");
	assert_int_equal(nnp_spec_load(SPECS, &defs, &n, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, SPECS ": Is a directory");
	assert_int_equal(n, 0);
	assert_null(defs);
}

/* Writes text to a fresh temporary file; the caller unlinks path. */
static void write_temp(char *path, size_t len, const char *text, size_t textlen)
{
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/nnp-spec-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, textlen, f), textlen);
	assert_int_equal(fclose(f), 0);
}

static void load_temp_expect(const char *text, size_t textlen, int ret, const char *where,
			     const char *msg, size_t want_n)
{
	struct nnp_probe_def *defs = NULL;
	char path[64], err[512], want[128];
	size_t n = 0;

	write_temp(path, sizeof(path), text, textlen);
	assert_int_equal(nnp_spec_load(path, &defs, &n, err, sizeof(err)), ret);
	if (ret) {
		snprintf(want, sizeof(want), "%s:%s: %s", path, where, msg);
		assert_string_equal(err, want);
	}
	assert_int_equal(n, want_n);
	free(defs);
	unlink(path);
}

static void test_spec_lines(void **state)
{
	static const char crlf[] = "# dos\r\nlayer=a.so:f,key=arg0\r\n\r\nlayer=a.so:g\r\n";
	static const char nul[] = "layer=a.so:f\nlayer=a.so:g\0x\n";
	static const char *const probe = "layer=a.so:f,key=arg0\n";
	size_t plen = strlen(probe), i;
	char *big = malloc(8192 + (NNP_DEFAULT_SPECS + 1) * plen);

	(void)state;
	assert_non_null(big);
	load_temp_expect(crlf, sizeof(crlf) - 1, 0, NULL, NULL, 2);
	load_temp_expect(nul, sizeof(nul) - 1, -EINVAL, "2:13", "unexpected NUL byte", 0);
	load_temp_expect("layer=a.so:f", 12, 0, NULL, NULL, 1); /* no final newline */

	/* 4096 characters are fine, 4097 are not */
	memcpy(big, "layer=a.so:f", 12);
	memset(big + 12, ' ', 4096 - 12);
	big[4096] = '\n';
	load_temp_expect(big, 4097, 0, NULL, NULL, 1);
	memcpy(big, "\n\nlayer=a.so:f", 14);
	memset(big + 14, ' ', 4097 - 12);
	big[2 + 4097] = '\n';
	load_temp_expect(big, 2 + 4097 + 1, -EINVAL, "3:4097",
			 "line too long (at most 4096 characters)", 0);

	for (i = 0; i < NNP_DEFAULT_SPECS + 1; i++)
		memcpy(big + i * plen, probe, plen);
	load_temp_expect(big, NNP_DEFAULT_SPECS * plen, 0, NULL, NULL, NNP_DEFAULT_SPECS);
	load_temp_expect(big, (NNP_DEFAULT_SPECS + 1) * plen, -EINVAL, "4097:1",
			 "too many probes (at most 4096)", 0);
	free(big);
}

/* runtime= and library= lines: what a probes directory's file says of itself */
static void meta_expect(const char *text, int ret, const char *where, const char *msg,
			size_t want_n, struct nnp_spec_meta *meta)
{
	struct nnp_probe_def *defs = NULL;
	char path[64], err[512], want[256];
	size_t n = 0;

	write_temp(path, sizeof(path), text, strlen(text));
	assert_int_equal(nnp_spec_load_meta(path, &defs, &n, meta, err, sizeof(err)), ret);
	if (ret) {
		snprintf(want, sizeof(want), "%s:%s: %s", path, where, msg);
		assert_string_equal(err, want);
	}
	assert_int_equal(n, want_n);
	free(defs);
	unlink(path);
}

static void test_spec_meta(void **state)
{
	struct nnp_spec_meta m;
	char *many = malloc(20 * 32);

	(void)state;
	assert_non_null(many);
	meta_expect("# tiny\n runtime = tiny-1.0\nlibrary=libtiny.so*\nlibrary = tinyapp \n"
		    "layer=libtiny.so:f,key=arg0\n",
		    0, NULL, NULL, 1, &m);
	assert_string_equal(m.runtime, "tiny-1.0");
	assert_int_equal(m.nlibs, 2);
	assert_string_equal(m.libs[0], "libtiny.so*");
	assert_string_equal(m.libs[1], "tinyapp");
	meta_expect("layer=a.so:f\n", 0, NULL, NULL, 1, &m);
	assert_string_equal(m.runtime, "");
	assert_int_equal(m.nlibs, 0);
	/* a plain spec file may say them too (--spec); nnp_spec_load passes them by */
	meta_expect("runtime=x\nlibrary=a.so\nlayer=a.so:f\n", 0, NULL, NULL, 1, NULL);
	/* "runtimes" and "libraryX" are not the words: probes, and bad ones */
	meta_expect("runtimes=x\n", -EINVAL, "1:1",
		    "unknown role 'runtimes' (expected layer, inference, layer-begin, layer-end, "
		    "inference-begin, inference-end)",
		    0, &m);

	meta_expect("runtime=a\nruntime=b\n", -EINVAL, "2:1",
		    "a second runtime= line (one runtime a file)", 0, &m);
	meta_expect("runtime=\n", -EINVAL, "1:9", "expected a value after '='", 0, &m);
	meta_expect("library=   # x\n", -EINVAL, "1:12", "expected a value after '='", 0, &m);
	meta_expect("runtime=a b\n", -EINVAL, "1:11",
		    "one value a line: a comment goes on a line of its own", 0, &m);
	meta_expect("library=a.so # the lib\n", -EINVAL, "1:14",
		    "one value a line: a comment goes on a line of its own", 0, &m);
	meta_expect("runtime=a/b\n", -EINVAL, "1:9",
		    "a runtime's name is 1-31 letters, digits, '_', '.' or '-'", 0, &m);
	meta_expect("runtime=abcdefghijklmnopqrstuvwxyz0123456\n", -EINVAL, "1:40",
		    "value too long", 0, &m);
	meta_expect("library=/usr/lib/a.so\n", -EINVAL, "1:9",
		    "library= matches a file's basename: no '/'", 0, &m);
	many[0] = '\0';
	for (int i = 0; i < 17; i++)
		snprintf(many + strlen(many), 32, "library=lib%d.so\n", i);
	meta_expect(many, -EINVAL, "17:1", "too many library= lines (at most 16)", 0, &m);
	free(many);
	assert_true(nnp_spec_runtime_name_ok("a"));
	assert_true(nnp_spec_runtime_name_ok("A_b.c-9"));
	assert_true(nnp_spec_runtime_name_ok("abcdefghijklmnopqrstuvwxyz01234"));
	assert_false(nnp_spec_runtime_name_ok("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(nnp_spec_runtime_name_ok(""));
	assert_false(nnp_spec_runtime_name_ok("a b"));
	assert_false(nnp_spec_runtime_name_ok("a\"b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),	    cmocka_unit_test(test_bad),
		cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_format_limits),
		cmocka_unit_test(test_long_fields), cmocka_unit_test(test_null_err),
		cmocka_unit_test(test_mutations),   cmocka_unit_test(test_spec_good),
		cmocka_unit_test(test_spec_bad),    cmocka_unit_test(test_spec_unreadable),
		cmocka_unit_test(test_spec_lines),  cmocka_unit_test(test_spec_meta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

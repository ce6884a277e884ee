// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* when=, shape= and key=hash(str(...)) in probe definitions; ggml layer names */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agg_names.h"
#include "bad_probes.h"
#include "probe_spec.h"

static const char ggml[] = "layer=lib.so:ggml_compute_forward_mul_mat,"
			   "key=hash(str(arg1+256),str(*(arg1+152)+256)),"
			   "name=str(arg1+256),op=\"mul_mat\",when=u32(*arg0)==0,"
			   "when-cache=thread,shape=i64x4(arg1+16)";

static void test_parse(void **state)
{
	static struct nnp_probe_def d;
	char err[256];
	int col;

	(void)state;
	assert_int_equal(nnp_probe_parse(ggml, &d, err, sizeof(err), &col), 0);
	assert_int_equal(d.key.kind, NNP_FETCH_HASH);
	assert_int_equal(d.key.arg, 1);
	assert_int_equal(d.key.final_off, 256);
	assert_int_equal(d.key2.kind, NNP_FETCH_HASH);
	assert_int_equal(d.key2.arg, 1);
	assert_int_equal(d.key2.nderef, 1);
	assert_int_equal(d.key2.deref_off[0], 152);
	assert_int_equal(d.key2.final_off, 256);
	assert_int_equal(d.when.kind, NNP_FETCH_VALUE);
	assert_int_equal(d.when.width, 4);
	assert_int_equal(d.when.nderef, 1);
	assert_int_equal(d.when_val, 0);
	assert_false(d.when_ne);
	assert_true(d.when_cache);
	assert_int_equal(d.shape_dims, 4);
	assert_int_equal(d.shape.width, 8);
	assert_int_equal(d.shape.final_off, 16);

	assert_int_equal(nnp_probe_parse("layer-begin=a.so:f, when = arg2 != 0x10 ,"
					 "shape=i32x2(*(arg0+8))",
					 &d, err, sizeof(err), &col),
			 0);
	assert_true(d.when_ne);
	assert_false(d.when_cache);
	assert_int_equal(d.when_val, 16);
	assert_int_equal(d.when.width, 8);
	assert_int_equal(d.shape_dims, 2);
	assert_int_equal(d.shape.width, 4);
	assert_int_equal(d.shape.deref_off[0], 8);

	/* when read at the return, from ret: its canonical text is the input */
	assert_int_equal(nnp_probe_parse("layer=a.so:f,key=arg1,op=\"add\",when=u32(ret)!=0", &d,
					 err, sizeof(err), &col),
			 0);
	assert_int_equal(d.when.arg, NNP_FETCH_ARG_RET);
	assert_int_equal(d.when.width, 4);
	assert_true(d.when_ne);
	assert_int_equal(nnp_probe_format(&d, err, sizeof(err)), 0);
	assert_string_equal(err, "layer=a.so:f,key=arg1,op=\"add\",when=u32(ret)!=0");

	/* one string: no second part */
	assert_int_equal(
	    nnp_probe_parse("layer=a.so:f,key=hash( str(arg0) )", &d, err, sizeof(err), &col), 0);
	assert_int_equal(d.key.kind, NNP_FETCH_HASH);
	assert_int_equal(d.key2.kind, NNP_FETCH_NONE);
}

static void test_round_trip(void **state)
{
	static struct nnp_probe_def d, again;
	char text[1024];

	(void)state;
	assert_int_equal(nnp_probe_parse(ggml, &d, NULL, 0, NULL), 0);
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), 0);
	assert_string_equal(text, ggml);
	assert_int_equal(
	    nnp_probe_parse("layer=a.so:f,when=(arg1+4)-4!=7,shape=i32x1(arg0)", &d, NULL, 0, NULL),
	    0);
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), 0);
	assert_string_equal(text, "layer=a.so:f,when=arg1!=7,shape=i32x1(arg0)");
	assert_int_equal(nnp_probe_parse(text, &again, NULL, 0, NULL), 0);
	strcpy(again.origin, d.origin);
	assert_memory_equal(&again, &d, sizeof(d));
	/* PyTorch: a weight's sizes, as many as its TensorImpl says it has */
	assert_int_equal(nnp_probe_parse("layer=a.so:f,rank=*(*arg2+72),shape=i64x4(*arg2+80)", &d,
					 NULL, 0, NULL),
			 0);
	assert_int_equal(d.rank.kind, NNP_FETCH_VALUE);
	assert_int_equal(d.rank.nderef, 2);
	assert_int_equal(d.rank.deref_off[1], 72);
	assert_int_equal(nnp_probe_format(&d, text, sizeof(text)), 0);
	assert_string_equal(text, "layer=a.so:f,shape=i64x4(*arg2+80),rank=*(*arg2+72)");
}

static const struct bad_case bad[] = {
	{ "inference=a.so:f,when=arg0==0", 18, "when applies only to layer and layer-begin" },
	{ "layer-end=a.so:f,shape=i64x4(arg0)", 18, "shape is not allowed on layer-end" },
	{ "layer=a.so:f,when=arg0", 23, "expected '==' or '!=' in when" },
	{ "layer=a.so:f,when=arg0=1", 23, "expected '==' or '!='" },
	{ "layer=a.so:f,when=arg0==x", 25, "expected a number after '=='" },
	{ "layer=a.so:f,when=u8(arg0)==256", 29, "256 does not fit in the 1 bytes" },
	{ "layer=a.so:f,when=str(arg0)==1", 19, "when must be a value" },
	{ "layer=a.so:f,shape=i64x5(arg0)", 20, "expected i64xN(ADDR) or i32xN(ADDR), N in 1..4" },
	{ "layer=a.so:f,shape=i16x2(arg0)", 20, "expected i64xN(ADDR)" },
	{ "layer=a.so:f,shape=i64x4 arg0", 26, "expected '('" },
	{ "layer=a.so:f,key=hash(arg0)", 23, "expected str(ADDR)" },
	{ "layer=a.so:f,key=hash", 22, "expected '('" }, /* fuzz_spec: read past the end */
	{ "layer=a.so:f,key=hash(str(arg0)", 32, "expected ',' or ')'" },
	{ "layer=a.so:f,key=hash(str(arg0),arg1)", 33, "expected str(ADDR)" },
	{ "layer=a.so:f,key=hash(str(arg0),str(arg1),str(arg2))", 42, "expected ')'" },
	{ "layer=a.so:f,when=hash(str(arg0),str(arg1))==1", 33,
	  "expected ')' after 'hash(str(arg0)'" },
	{ "layer=a.so:f,when=arg0==0,when=arg1==0", 27, "option 'when' given twice" },
	/* when-cache=thread: the one scope, a when to cache, the roles when has */
	{ "layer=a.so:f,when=arg0==0,when-cache=process", 38, "expected when-cache=thread" },
	{ "layer=a.so:f,when-cache=thread", 14, "when-cache=thread needs a when= condition" },
	{ "inference=a.so:f,when-cache=thread", 18, "when-cache applies only to layer" },
	{ "layer=a.so:f,when-cache=thread,when=arg0==0,when-cache=thread", 45,
	  "option 'when-cache' given twice" },
	{ "layer=a.so:f,key=arg0,rank=*(arg0+8)", 23, "rank needs shape=i64xN(ADDR)" },
	{ "layer-end=a.so:f,rank=arg0", 18, "rank is not allowed on layer-end" },
	{ "layer=a.so:f,shape=i64x2(arg0),rank=str(arg1)", 37, "rank must be a value" },
	/* fuzz_spec, CI 2026-12-03: rank= at the end compared 4 bytes past it */
	{ "layer=tinynet:tiamye=str(ar27),rank=", 37, "expected" },
	{ "layer=a.so:f,rank=has", 19, "expected" },
	{ "layer=a.so:f,shape=i64x2(arg0),rank=hash(str(arg0))", 37, "rank must be a number" },
	{ "layer=a.so:f,shape=i64x2(arg0),rank=hashed", 37, "expected" },
};

static void test_bad(void **state)
{
	(void)state;
	check_bad_probes(bad, sizeof(bad) / sizeof(bad[0]));
}

static void test_ggml_names(void **state)
{
	static const char *const cases[][2] = {
		{ "ffn_up-1", "blk.1.ffn_up" },
		{ "Qcur-0", "blk.0.Qcur" },
		{ "kq_soft_max-12", "blk.12.kq_soft_max" },
		{ "result_output", "result_output" },
		{ "node_21", "node_21" },
		{ "cache_k_l0 (view)", "cache_k_l0 (view)" },
		{ "x (copy of Kcur-0)", "x (copy of Kcur-0)" },
		{ "-1", "-1" },
		{ "a-", "a-" },
		{ "a-1b", "a-1b" },
		{ "a-12345678", "a-12345678" },
	};
	char out[80];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = nnp_ggml_layer_name(cases[i][0], out, sizeof(out));

		assert_string_equal(out, cases[i][1]);
		assert_int_equal(r, strcmp(cases[i][0], cases[i][1]) != 0);
	}
	/* too long for out: kept raw (cut), not a half-made blk name */
	assert_int_equal(nnp_ggml_layer_name("abcdefgh-1", out, 12), 0);
	assert_string_equal(out, "abcdefgh-1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_ggml_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

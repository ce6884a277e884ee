// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layer_group.h"

struct group_case {
	const char *name, *op, *group;
	int from;
};

static void check(enum nnp_group_by by, const struct group_case *c, size_t n)
{
	char out[NNP_GROUP_LEN];

	for (size_t i = 0; i < n; i++) {
		int r = nnp_group_of(by, c[i].name, c[i].op, out, sizeof(out));

		print_message("%s %s -> %s\n", nnp_group_by_str(by), c[i].name ? c[i].name : "NULL",
			      out);
		assert_int_equal(r, c[i].from);
		assert_string_equal(out, c[i].group);
	}
}

static void test_block(void **state)
{
	static const struct group_case c[] = {
		{ "blk.3.ffn_up", "mul_mat", "blk.3", NNP_GROUP_FROM_NAME },
		{ "blk.12.kq_soft_max", "soft_max", "blk.12", NNP_GROUP_FROM_NAME },
		{ "blk.0.norm#2", "rms_norm", "blk.0", NNP_GROUP_FROM_NAME },
		{ "inp_embd", "get_rows", "input", NNP_GROUP_FROM_NAME },
		{ "result_output", "mul_mat", "output", NNP_GROUP_FROM_NAME },
		{ "/model/layers.3/self_attn/q_proj/MatMul", "MatMul", "/model/layers.3",
		  NNP_GROUP_FROM_NAME },
		{ "/layer1/layer1.0/conv1/Conv", "Conv", "/layer1/layer1.0", NNP_GROUP_FROM_NAME },
		{ "model.layers.11.mlp.down_proj", "linear", "model.layers.11",
		  NNP_GROUP_FROM_NAME },
		{ "features.12", "conv2d", "features", NNP_GROUP_FROM_NAME },
		/* no numbered component: the op type */
		{ "conv1", "conv2d", "conv2d", NNP_GROUP_FROM_OP },
		{ "/conv1/Conv", "Conv", "Conv", NNP_GROUP_FROM_OP },
		{ "Conv_0", "Conv", "Conv", NNP_GROUP_FROM_OP },
		{ "12", "relu", "relu", NNP_GROUP_FROM_OP },
		{ "blk.", "add", "add", NNP_GROUP_FROM_OP },
		{ "", "", "(other)", NNP_GROUP_FROM_OP },
		{ NULL, NULL, "(other)", NNP_GROUP_FROM_OP },
	};

	(void)state;
	check(NNP_GROUP_BLOCK, c, sizeof(c) / sizeof(c[0]));
}

static void test_part(void **state)
{
	static const struct group_case c[] = {
		{ "blk.0.attn_norm", "rms_norm", "norm", NNP_GROUP_FROM_NAME },
		{ "blk.0.ffn_norm", "rms_norm", "norm", NNP_GROUP_FROM_NAME },
		{ "blk.0.norm#2", "rms_norm", "norm", NNP_GROUP_FROM_NAME },
		{ "blk.1.Qcur", "mul_mat", "attention", NNP_GROUP_FROM_NAME },
		{ "blk.1.kq_soft_max", "soft_max", "attention", NNP_GROUP_FROM_NAME },
		{ "blk.1.kqv_out", "cont", "attention", NNP_GROUP_FROM_NAME },
		{ "blk.1.attn_out", "mul_mat", "attention", NNP_GROUP_FROM_NAME },
		{ "blk.1.ffn_up", "mul_mat", "feed-forward", NNP_GROUP_FROM_NAME },
		{ "blk.1.ffn_gate_par", "mul", "feed-forward", NNP_GROUP_FROM_NAME },
		{ "blk.1.l_out", "add", "other", NNP_GROUP_FROM_NAME },
		{ "inp_embd", "get_rows", "input", NNP_GROUP_FROM_NAME },
		{ "result_norm", "rms_norm", "norm", NNP_GROUP_FROM_NAME },
		{ "result_output", "mul_mat", "output", NNP_GROUP_FROM_NAME },
		/* not llama.cpp's names: the op type */
		{ "conv2", "conv2d", "conv2d", NNP_GROUP_FROM_OP },
		{ "/model/layers.3/self_attn/q_proj/MatMul", "MatMul", "MatMul",
		  NNP_GROUP_FROM_OP },
		{ "blk.x.ffn_up", "mul_mat", "mul_mat", NNP_GROUP_FROM_OP },
		{ "normalize", "", "(other)", NNP_GROUP_FROM_OP },
	};

	(void)state;
	check(NNP_GROUP_PART, c, sizeof(c) / sizeof(c[0]));
}

static void test_op_and_parse(void **state)
{
	static const struct group_case c[] = {
		{ "blk.3.ffn_up", "mul_mat", "mul_mat", NNP_GROUP_FROM_OP },
		{ "conv1", "conv2d", "conv2d", NNP_GROUP_FROM_OP },
	};
	static const char *const names[] = { "none", "block", "part", "op" };
	enum nnp_group_by by;
	char out[8];

	(void)state;
	check(NNP_GROUP_OP, c, sizeof(c) / sizeof(c[0]));
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(nnp_group_by_parse(names[i], &by), 0);
		assert_string_equal(nnp_group_by_str(by), names[i]);
	}
	assert_int_equal(nnp_group_by_parse("blocks", &by), -EINVAL);
	assert_int_equal(nnp_group_by_parse(NULL, &by), -EINVAL);
	assert_int_equal(nnp_group_of(NNP_GROUP_NONE, "a", "b", out, sizeof(out)), -EINVAL);
	assert_int_equal(nnp_group_of(NNP_GROUP_OP, "a", "b", out, 0), -EINVAL);
	/* cut to the buffer, never past it */
	assert_int_equal(
	    nnp_group_of(NNP_GROUP_BLOCK, "/a_long_module/layers.12/x", "", out, sizeof(out)),
	    NNP_GROUP_FROM_NAME);
	assert_string_equal(out, "/a_long");
}

/* what node-llama-cpp's llama.cpp really runs (tests/integration/test_runtime_ggml.sh) */
static void test_llama_places(void **state)
{
	static const char *const names[] = {
		"embd",		 "blk.0.norm",	 "blk.0.Qcur",	   "cache_k_l0 (view)",
		"node_21",	 "blk.0.ffn_up", "blk.1.attn_out", "node_55",
		"blk.1.ffn_out", "norm",	 "result_output",
	};
	static const char *const ops[] = {
		"get_rows",	  "rms_norm_mul_fused",
		"mul_mat",	  "set_rows",
		"flash_attn_ext", "mul_mat",
		"mul_mat",	  "get_rows",
		"mul_mat",	  "rms_norm_mul_fused",
		"mul_mat",
	};
	static const char *const block[] = { "input", "blk.0", "blk.0", "blk.0",  "blk.0", "blk.0",
					     "blk.1", "blk.1", "blk.1", "output", "output" };
	static const char *const part[] = { "input",	 "norm",      "attention",
					    "attention", "attention", "feed-forward",
					    "attention", "other",     "feed-forward",
					    "norm",	 "output" };
	char out[11][NNP_GROUP_LEN];
	int from[11];

	(void)state;
	assert_int_equal(nnp_group_layers(NNP_GROUP_BLOCK, names, ops, 11, out, from), 0);
	for (int i = 0; i < 11; i++)
		assert_string_equal(out[i], block[i]);
	assert_int_equal(from[4], NNP_GROUP_FROM_PLACE);
	assert_int_equal(from[3], NNP_GROUP_FROM_NAME);
	assert_int_equal(from[9], NNP_GROUP_FROM_PLACE);
	assert_int_equal(nnp_group_layers(NNP_GROUP_PART, names, ops, 11, out, from), 0);
	for (int i = 0; i < 11; i++)
		assert_string_equal(out[i], part[i]);
	assert_string_equal(nnp_group_from_str(from[4]), "place");
	/* a network without llama.cpp's names keeps the per-name rule */
	assert_int_equal(nnp_group_layers(NNP_GROUP_BLOCK, names + 9, ops + 9, 1, out, from), 0);
	assert_string_equal(out[0], "rms_norm_mul_fused");
	assert_int_equal(from[0], NNP_GROUP_FROM_OP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_part),
		cmocka_unit_test(test_op_and_parse),
		cmocka_unit_test(test_llama_places),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Layer groups from names (docs/groups.md). Names are untrusted bytes from
 * the traced process: everything here is bounded by the string and by len.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "layer_group.h"

static const char *const by_names[] = {
	[NNP_GROUP_NONE] = "none",
	[NNP_GROUP_BLOCK] = "block",
	[NNP_GROUP_PART] = "part",
	[NNP_GROUP_OP] = "op",
};

int nnp_group_by_parse(const char *s, enum nnp_group_by *out)
{
	for (size_t i = 0; s && i < sizeof(by_names) / sizeof(by_names[0]); i++) {
		if (!strcmp(s, by_names[i])) {
			*out = (enum nnp_group_by)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *nnp_group_by_str(enum nnp_group_by by)
{
	return (unsigned int)by < sizeof(by_names) / sizeof(by_names[0]) ? by_names[by] : "?";
}

static bool is_sep(char c)
{
	return c == '/' || c == '.';
}

/* s[0..n) is one or more digits */
static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int put(char *out, size_t len, const char *s, size_t n, int from)
{
	snprintf(out, len, "%.*s", (int)(n > 512 ? 512 : n), s);
	return from;
}

static int by_op(const char *op, char *out, size_t len)
{
	return put(out, len, op && *op ? op : "(other)", strlen(op && *op ? op : "(other)"),
		   NNP_GROUP_FROM_OP);
}

/*
 * The block of a hierarchical name: everything up to its last numbered
 * component ("/model/layers.3/attn/MatMul" -> "/model/layers.3", "blk.3.ffn_up"
 * -> "blk.3"); a name that ends in its number belongs to what comes before it
 * ("features.12" -> "features"). 0 when the name has no numbered component.
 */
static size_t block_len(const char *name)
{
	size_t end = 0, before = 0, n = strlen(name);

	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && !is_sep(name[j]))
			j++;
		if (i > 0 && all_digits(name + i, j - i)) {
			if (j < n) {
				end = j;
			} else if (!end) {
				before = i - 1;
			}
		}
		i = j + 1;
	}
	return end ? end : before;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* llama.cpp's KV cache views: "cache_k_l3 (view)" is block 3's; the length of
 * its digits, 0 when it is not one */
static size_t cache_block(const char *name)
{
	if (!starts(name, "cache_k_l") && !starts(name, "cache_v_l"))
		return 0;
	return strspn(name + 9, "0123456789");
}

static bool is_input(const char *name)
{
	return starts(name, "inp_") || !strcmp(name, "embd") || starts(name, "token_embd");
}

/* llama.cpp's graph names (shown by nnperf as blk.N.NAME): the tensor's part, or NULL */
static const char *llama_part(const char *name)
{
	static const char *const attn[] = { "attn", "kq", "kv", "Qcur",	  "Kcur", "Vcur",
					    "q_",   "k_", "v_", "cache_", "wo",	  "rope" };
	bool in_block = false;

	if (starts(name, "blk.")) {
		const char *t = name + 4;
		size_t d = strspn(t, "0123456789");

		if (!d || t[d] != '.')
			return NULL;
		name = t + d + 1;
		in_block = true;
	}
	if (is_input(name))
		return "input";
	if (starts(name, "result_output") || (!in_block && starts(name, "output")))
		return "output";
	if (!in_block && !starts(name, "result_") && !cache_block(name))
		return NULL;
	if (ends(name, "norm") || starts(name, "norm") || starts(name, "result_norm"))
		return "norm";
	if (starts(name, "ffn") || starts(name, "moe"))
		return "feed-forward";
	for (size_t i = 0; i < sizeof(attn) / sizeof(attn[0]); i++)
		if (starts(name, attn[i]))
			return "attention";
	return "other";
}

int nnp_group_of(enum nnp_group_by by, const char *name, const char *op, char *out, size_t len)
{
	const char *part;
	size_t n;

	if (!len || by == NNP_GROUP_NONE || (unsigned int)by > NNP_GROUP_OP)
		return -EINVAL;
	if (!name)
		name = "";
	switch (by) {
	case NNP_GROUP_BLOCK:
		if ((n = cache_block(name))) {
			snprintf(out, len, "blk.%.*s", (int)(n > 20 ? 20 : n), name + 9);
			return NNP_GROUP_FROM_NAME;
		}
		if (is_input(name))
			return put(out, len, "input", 5, NNP_GROUP_FROM_NAME);
		if (starts(name, "result_"))
			return put(out, len, "output", 6, NNP_GROUP_FROM_NAME);
		n = block_len(name);
		return n ? put(out, len, name, n, NNP_GROUP_FROM_NAME) : by_op(op, out, len);
	case NNP_GROUP_PART:
		part = llama_part(name);
		return part ? put(out, len, part, strlen(part), NNP_GROUP_FROM_NAME)
			    : by_op(op, out, len);
	default:
		return by_op(op, out, len);
	}
}

const char *nnp_group_from_str(int from)
{
	return from == NNP_GROUP_FROM_OP ? "op" : from == NNP_GROUP_FROM_PLACE ? "place" : "name";
}

static bool is_block(const char *g)
{
	return starts(g, "blk.") && g[4] >= '0' && g[4] <= '9';
}

/* an op of ggml's that llama.cpp leaves unnamed: its part, from the op */
static const char *op_part(const char *op)
{
	if (!op)
		return "other";
	if (strstr(op, "attn") || strstr(op, "soft_max") || strstr(op, "rope") ||
	    strstr(op, "flash"))
		return "attention";
	return strstr(op, "norm") ? "norm" : "other";
}

/* BY block: layers without a block take their place from the blocks around them */
static void place_blocks(size_t n, char (*out)[NNP_GROUP_LEN], int *from)
{
	size_t first = n, last = 0;

	for (size_t i = 0; i < n; i++)
		if (is_block(out[i])) {
			first = first < i ? first : i;
			last = i;
		}
	for (size_t i = 0; i < n; i++) {
		if (is_block(out[i]) || from[i] != NNP_GROUP_FROM_OP)
			continue;
		if (i < first)
			snprintf(out[i], NNP_GROUP_LEN, "input");
		else if (i > last)
			snprintf(out[i], NNP_GROUP_LEN, "output");
		else
			memcpy(out[i], out[i - 1], NNP_GROUP_LEN);
		from[i] = NNP_GROUP_FROM_PLACE;
	}
}

int nnp_group_layers(enum nnp_group_by by, const char *const *names, const char *const *ops,
		     size_t n, char (*out)[NNP_GROUP_LEN], int *from)
{
	bool llama = false;

	for (size_t i = 0; i < n; i++) {
		from[i] = nnp_group_of(by, names[i], ops[i], out[i], NNP_GROUP_LEN);
		if (from[i] < 0)
			return from[i];
		llama |= names[i] && is_block(names[i]) && strchr(names[i] + 4, '.');
	}
	if (!llama || by == NNP_GROUP_OP)
		return 0;
	if (by == NNP_GROUP_BLOCK) {
		place_blocks(n, out, from);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (from[i] == NNP_GROUP_FROM_OP) {
			snprintf(out[i], NNP_GROUP_LEN, "%s", op_part(ops[i]));
			from[i] = NNP_GROUP_FROM_PLACE;
		}
	return 0;
}

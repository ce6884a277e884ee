// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ONNX Runtime's graph in the target's memory (graph.h): every byte read is
 * the target's, so each pointer is read with a bound, each string checked for
 * libstdc++'s layout and its text, and a table taken only if all its kernels
 * check out.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "graph.h"

#define STR_HEAP_MAX (1u << 24) /* a capacity beyond this is not a name's */
#define NAME_MAX_LEN 4096	/* longest node name taken */
#define OP_MAX_LEN 128
#define DOMAIN_MAX_LEN 256
#define INFO_OFF_MAX 32 /* OpKernel: vtable, then the OpKernelInfo pointer */
#define NODE_OFF_MAX 56 /* OpKernelInfo: the Node reference among its first words */
#define CHUNK 512	/* table entries read at once */

/*
 * Node: index_, then name_, op_type_ and domain_, std::strings of libstdc++'s
 * C++11 ABI (32 bytes: pointer, length, capacity or a 16-byte local buffer:
 * the onnxruntime 1.2x-1.3x wheels, onnxruntime-node) or of its old ABI (a
 * pointer to the text, whose length, capacity and reference count are the 24
 * bytes before it: manylinux2014 builds, the 1.16 wheels)
 */
static const unsigned node_str[2][3] = { { 8, 40, 72 }, { 8, 16, 24 } };

enum text_kind { TEXT_NAME, TEXT_OP, TEXT_DOMAIN };

static int rd64(const struct nnp_mem *m, uint64_t addr, uint64_t *v)
{
	return m->read(m->ctx, addr, v, sizeof(*v));
}

static bool text_char(enum text_kind k, unsigned char c)
{
	bool ident =
	    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';

	if (k == TEXT_OP)
		return ident;
	if (k == TEXT_DOMAIN)
		return ident || c == '.' || c == '-';
	return c >= 0x20 && c != 0x7f; /* names: any text, UTF-8 included */
}

/* the C++11 string at ADDR: its text's address and length; false if it is not one */
static bool string_new(const struct nnp_mem *m, uint64_t addr, size_t max, uint64_t *text,
		       uint64_t *n)
{
	uint64_t w[3];

	if (m->read(m->ctx, addr, w, sizeof(w)) || w[1] > max)
		return false;
	*text = w[0];
	*n = w[1];
	if (w[0] == addr + 16)
		return w[1] < 16; /* the local buffer */
	return w[0] && w[2] >= w[1] && w[2] >= 16 && w[2] <= STR_HEAP_MAX;
}

/* the old-ABI string at ADDR (a pointer past its header); false if it is not one */
static bool string_cow(const struct nnp_mem *m, uint64_t addr, size_t max, uint64_t *text,
		       uint64_t *n)
{
	uint64_t p, rep[3];
	int32_t refs;

	if (rd64(m, addr, &p) || p < 24 || m->read(m->ctx, p - 24, rep, sizeof(rep)))
		return false;
	refs = (int32_t)(uint32_t)rep[2]; /* -1: leaked (shared no more), else owners - 1 */
	*text = p;
	*n = rep[0];
	return rep[0] <= max && rep[1] >= rep[0] && rep[1] <= STR_HEAP_MAX && refs >= -1 &&
	       refs < (1 << 20);
}

/* the std::string at ADDR, its text checked, into OUT (cut to len - 1); 0 or -ENOENT */
static int read_string(const struct nnp_mem *m, uint64_t addr, unsigned abi, enum text_kind k,
		       size_t max, char *out, size_t len)
{
	char buf[NAME_MAX_LEN + 1];
	uint64_t text, n;

	if (!(abi ? string_cow(m, addr, max, &text, &n) : string_new(m, addr, max, &text, &n)))
		return -ENOENT;
	if ((k == TEXT_OP && !n) || m->read(m->ctx, text, buf, n + 1) || buf[n])
		return -ENOENT;
	for (size_t i = 0; i < n; i++)
		if (!text_char(k, (unsigned char)buf[i]))
			return -ENOENT;
	if (out && len) {
		n = n < len - 1 ? n : len - 1;
		memcpy(out, buf, n);
		out[n] = 0;
	}
	return 0;
}

/* a Node at ADDR whose index_ is INDEX, its strings well formed; 0 or -ENOENT */
static int node_check(const struct nnp_mem *m, uint64_t addr, unsigned abi, uint64_t index,
		      struct nnp_ort_node *out)
{
	const unsigned *o = node_str[abi & 1];
	char *name = out ? out->name : NULL, *op = out ? out->op : NULL;
	uint64_t idx = 0;

	if (!addr || (addr & 7) || rd64(m, addr, &idx) || idx != index)
		return -ENOENT;
	if (read_string(m, addr + o[0], abi, TEXT_NAME, NAME_MAX_LEN, name, NNP_NAME_LEN) ||
	    read_string(m, addr + o[1], abi, TEXT_OP, OP_MAX_LEN, op, NNP_OP_LEN) ||
	    read_string(m, addr + o[2], abi, TEXT_DOMAIN, DOMAIN_MAX_LEN, NULL, 0))
		return -ENOENT;
	return 0;
}

/* kernel K's Node through the two offsets; 0 or -ENOENT */
static int kernel_node(const struct nnp_mem *m, uint64_t k, unsigned info_off, unsigned node_off,
		       uint64_t *node)
{
	uint64_t info;

	if (!k || (k & 7) || rd64(m, k + info_off, &info) || !info || (info & 7) ||
	    rd64(m, info + node_off, node))
		return -ENOENT;
	return 0;
}

/* the offsets that lead kernel K to the Node of INDEX; 0 or -ENOENT */
static int chain_search(const struct nnp_mem *m, uint64_t k, uint64_t index,
			struct nnp_ort_layout *l)
{
	uint64_t node;

	for (unsigned io = 8; io <= INFO_OFF_MAX; io += 8)
		for (unsigned no = 0; no <= NODE_OFF_MAX; no += 8)
			for (unsigned abi = 0; abi < 2; abi++)
				if (!kernel_node(m, k, io, no, &node) &&
				    !node_check(m, node, abi, index, NULL)) {
					l->info_off = (uint8_t)io;
					l->node_off = (uint8_t)no;
					l->str_abi = (uint8_t)abi;
					return 0;
				}
	return -ENOENT;
}

/* every kernel of the table (N entries at BEGIN) leads to its own Node; 0 or -ENOENT */
static int table_check(const struct nnp_mem *m, uint64_t begin, uint64_t n,
		       const struct nnp_ort_layout *l)
{
	uint64_t k[CHUNK], node;

	for (uint64_t i = 0; i < n; i += CHUNK) {
		uint64_t c = n - i < CHUNK ? n - i : CHUNK;

		if (m->read(m->ctx, begin + i * 8, k, c * 8))
			return -ENOENT;
		for (uint64_t j = 0; j < c; j++)
			if (k[j] && (kernel_node(m, k[j], l->info_off, l->node_off, &node) ||
				     node_check(m, node, l->str_abi, i + j, NULL)))
				return -ENOENT;
	}
	return 0;
}

/* the words at W (SessionState + OFF) as a std::vector of pointers holding
 * INDEX: its begin and size; false if they cannot be one */
static bool vector_shape(const uint64_t w[3], uint64_t index, uint64_t *n)
{
	if (!w[0] || (w[0] & 7) || w[1] < w[0] || w[2] < w[1] || ((w[1] - w[0]) & 7))
		return false;
	*n = (w[1] - w[0]) / 8;
	return *n > index && *n <= NNP_ORT_MAX_NODES;
}

int nnp_ort_graph_find(const struct nnp_mem *m, uint64_t ss, uint64_t index,
		       struct nnp_ort_layout *out)
{
	uint64_t w[NNP_ORT_SS_SCAN / 8], n, k;
	struct nnp_ort_layout l;
	size_t words;

	if (!ss || (ss & 7))
		return -ENOENT;
	words = nnp_mem_read_words(m, ss, w, NNP_ORT_SS_SCAN / 8);
	for (size_t i = 0; i + 3 <= words; i++) {
		if (!vector_shape(w + i, index, &n) || rd64(m, w[i] + index * 8, &k) ||
		    chain_search(m, k, index, &l))
			continue;
		if (table_check(m, w[i], n, &l))
			continue;
		l.table_off = (uint32_t)(i * 8);
		l.nodes = (uint32_t)n;
		*out = l;
		return 0;
	}
	return -ENOENT;
}

int nnp_ort_graph_node(const struct nnp_mem *m, uint64_t ss, const struct nnp_ort_layout *l,
		       uint64_t index, struct nnp_ort_node *out)
{
	uint64_t w[3], n, k, node;

	if (!ss || (ss & 7) || m->read(m->ctx, ss + l->table_off, w, sizeof(w)) ||
	    !vector_shape(w, index, &n) || rd64(m, w[0] + index * 8, &k) ||
	    kernel_node(m, k, l->info_off, l->node_off, &node))
		return -ENOENT;
	return node_check(m, node, l->str_abi, index, out);
}

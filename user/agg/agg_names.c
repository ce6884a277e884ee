// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_names.h"
#include "node_names.h"
#include "text.h"

static const char *probe_label(const struct nnp_name_ctx *c, uint32_t probe_id, char *buf,
			       size_t len)
{
	const struct nnp_probe_info *pi = c->probe;

	if (pi && pi->label[0])
		return pi->label;
	snprintf(buf, len, "probe%" PRIu32, probe_id);
	return buf;
}

/* label, or label#N with the label cut so that "#N" always survives */
static void set_default_name(const struct nnp_name_ctx *c, struct nnp_layer_stats *l, uint64_t n)
{
	char buf[32], suffix[24] = "";
	const char *label = probe_label(c, l->id.probe_id, buf, sizeof(buf));
	size_t room;

	if (n)
		snprintf(suffix, sizeof(suffix), "#%" PRIu64, n);
	room = sizeof(l->name) - strlen(suffix);
	nnp_text_copy(l->name, room, label, SIZE_MAX);
	strcat(l->name, suffix);
}

static struct nnp_probe_keys *probe_keys(struct nnp_proc_stats *p, uint32_t probe_id)
{
	struct nnp_probe_keys *pk;

	HASH_FIND(hh, p->probe_keys, &probe_id, sizeof(probe_id), pk);
	if (pk)
		return pk;
	pk = calloc(1, sizeof(*pk));
	if (!pk)
		return NULL;
	pk->probe_id = probe_id;
	HASH_ADD(hh, p->probe_keys, probe_id, sizeof(pk->probe_id), pk);
	return pk;
}

/*
 * A probe with one key names its layer after the probe; once a second key
 * shows up, every key is numbered in first-seen order, the first renamed to
 * label#1 unless a name event named it. Key 0 of a probe that reads no key
 * (or could not read it) keeps the label; a keyed probe's key 0 is numbered.
 */
static int name_by_label(const struct nnp_name_ctx *c, struct nnp_proc_stats *p,
			 struct nnp_layer_stats *l)
{
	struct nnp_probe_keys *pk = probe_keys(p, l->id.probe_id);
	uint64_t n;

	set_default_name(c, l, 0);
	if (!pk)
		return -ENOMEM;
	if (l->id.key == 0 && !(c->probe && c->probe->keyed)) {
		pk->has_zero = true;
		if (pk->nkeys == 1 && !pk->first->named)
			set_default_name(c, pk->first, 1);
		return 0;
	}
	n = ++pk->nkeys;
	if (n == 1)
		pk->first = l;
	if (n == 2 && !pk->first->named)
		set_default_name(c, pk->first, 1);
	if (n > 1 || pk->has_zero)
		set_default_name(c, l, n);
	return 0;
}

/* the probe was made by the runtime adapter RUNTIME */
static bool probe_of(const struct nnp_name_ctx *c, const char *runtime)
{
	return c->probe && !strcmp(c->probe->runtime, runtime);
}

/*
 * ggml: llama.cpp gives several nodes of a graph one name (every build_norm
 * output is norm-N, whatever it normalises); their keys differ by their
 * input's name (runtime/ggml.c). How many other layers of this probe the
 * runtime sent SENT for: the 2nd, 3rd, ... in first-seen order get #2, #3.
 */
static unsigned int same_name(const struct nnp_proc_stats *p, const struct nnp_layer_stats *l,
			      const char *sent)
{
	const struct nnp_layer_stats *o;
	unsigned int n = 0;

	for (o = p->layers; o; o = o->hh.next)
		if (o != l && o->named && o->id.probe_id == l->id.probe_id &&
		    !strcmp(o->raw_name[0] ? o->raw_name : o->name, sent))
			n++;
	return n;
}

static void name_ggml(const struct nnp_proc_stats *p, struct nnp_layer_stats *l, const char *sent)
{
	unsigned int dup = same_name(p, l, sent);
	char suffix[16] = "";
	size_t room;

	if (dup)
		snprintf(suffix, sizeof(suffix), "#%u", dup + 1);
	room = sizeof(l->name) - strlen(suffix);
	nnp_ggml_layer_name(sent, l->name, room);
	strcat(l->name, suffix);
	if (strcmp(l->name, sent))
		nnp_text_copy(l->raw_name, sizeof(l->raw_name), sent, NNP_NAME_LEN);
}

static void apply_name(const struct nnp_name_ctx *c, const struct nnp_proc_stats *p,
		       struct nnp_layer_stats *l, const struct nnp_pending_name *n)
{
	if (n->name[0]) {
		nnp_text_copy(l->name, sizeof(l->name), n->name, NNP_NAME_LEN);
		if (probe_of(c, "ggml"))
			name_ggml(p, l, n->name);
		l->named = true;
	}
	if (n->op[0])
		nnp_text_copy(l->op, sizeof(l->op), n->op, NNP_OP_LEN);
	l->shape_dims = n->shape_dims;
	memcpy(l->shape, n->shape, sizeof(l->shape));
}

/* the event's fields, NUL-terminated (the event's strings may fill their arrays) */
static void pending_fill(struct nnp_pending_name *pn, const struct nnp_name_event *e)
{
	nnp_text_copy(pn->name, sizeof(pn->name), e->name, sizeof(e->name));
	nnp_text_copy(pn->op, sizeof(pn->op), e->op, sizeof(e->op));
	pn->shape_dims = e->shape_dims <= NNP_SHAPE_DIMS ? (uint8_t)e->shape_dims : 0;
	memcpy(pn->shape, e->shape, sizeof(pn->shape));
}

static void set_probe_op(const struct nnp_name_ctx *c, struct nnp_layer_stats *l)
{
	nnp_text_copy(l->op, sizeof(l->op), c->probe ? c->probe->op : "", NNP_OP_LEN);
}

/* --node-names: ONNX Runtime nodes (key = NodeIndex) named from ORT's profile */
static void name_by_node(const struct nnp_name_ctx *c, struct nnp_layer_stats *l)
{
	const struct nnp_node_name *nn;

	if (!c->node_names || !probe_of(c, "onnxruntime"))
		return;
	nn = nnp_node_names_find(c->node_names, l->id.key);
	if (!nn)
		return;
	nnp_text_copy(l->name, sizeof(l->name), nn->name, NNP_NAME_LEN);
	if (nn->op[0])
		nnp_text_copy(l->op, sizeof(l->op), nn->op, NNP_OP_LEN);
	l->named = true;
}

int nnp_agg_name_layer(const struct nnp_name_ctx *c, struct nnp_proc_stats *p,
		       struct nnp_layer_stats *l)
{
	struct nnp_pending_name *pn;
	int err;

	err = name_by_label(c, p, l);
	set_probe_op(c, l);
	HASH_FIND(hh, p->pending, &l->id, sizeof(l->id), pn);
	if (pn) {
		apply_name(c, p, l, pn);
		HASH_DEL(p->pending, pn);
		p->npending--;
		free(pn);
	}
	name_by_node(c, l);
	return err;
}

static int keep_pending(const struct nnp_name_ctx *c, struct nnp_proc_stats *p,
			const struct nnp_layer_key *id, const struct nnp_name_event *e)
{
	struct nnp_pending_name *pn;

	HASH_FIND(hh, p->pending, id, sizeof(*id), pn);
	if (pn)
		return 0; /* the first name wins, as for a layer that exists */
	if (p->npending >= c->max_pending) {
		(*c->dropped)++;
		return 0;
	}
	pn = calloc(1, sizeof(*pn));
	if (!pn)
		return -ENOMEM;
	pn->id = *id;
	pending_fill(pn, e);
	HASH_ADD(hh, p->pending, id, sizeof(pn->id), pn);
	p->npending++;
	return 0;
}

int nnp_agg_name_event(const struct nnp_name_ctx *c, struct nnp_proc_stats *p,
		       const struct nnp_name_event *e)
{
	struct nnp_layer_key id = { .probe_id = e->hdr.probe_id, .key = e->key };
	struct nnp_pending_name n;
	struct nnp_layer_stats *l;

	HASH_FIND(hh, p->layers, &id, sizeof(id), l);
	if (!l)
		return keep_pending(c, p, &id, e);
	if (l->named)
		return 0;
	pending_fill(&n, e);
	apply_name(c, p, l, &n);
	return 0;
}

void nnp_agg_names_free(struct nnp_proc_stats *p)
{
	struct nnp_pending_name *pn, *tpn;
	struct nnp_probe_keys *pk, *tpk;

	HASH_ITER(hh, p->pending, pn, tpn) {
		HASH_DEL(p->pending, pn);
		free(pn);
	}
	HASH_ITER(hh, p->probe_keys, pk, tpk) {
		HASH_DEL(p->probe_keys, pk);
		free(pk);
	}
	p->npending = 0;
}

int nnp_ggml_layer_name(const char *raw, char *out, size_t len)
{
	const char *dash = strrchr(raw, '-'), *d;
	int n;

	if (!dash || dash == raw || !dash[1])
		goto copy;
	for (d = dash + 1; *d; d++)
		if (!isdigit((unsigned char)*d))
			goto copy;
	if (d - dash - 1 > 6)
		goto copy; /* not a block number */
	n = snprintf(out, len, "blk.%s.%.*s", dash + 1, (int)(dash - raw), raw);
	if (n >= 0 && (size_t)n < len)
		return 1;
copy:
	nnp_text_copy(out, len, raw, SIZE_MAX);
	return 0;
}

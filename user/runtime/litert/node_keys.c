// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * TFLite nodes keyed by their node index: the node probes key a node by its
 * TfLiteNode* and send the Subgraph* (the context's impl_) with its name;
 * the first node of a subgraph finds its array of nodes (node_index.c), and
 * every node's name event and layer events then carry its index instead of
 * the pointer, the same for the whole run. A subgraph whose array does not
 * check out is one line and keeps pointer keys.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "litert.h"
#include "log.h"
#include "node_index.h"

#define MAX_SUBGRAPHS 1024
#define MAX_KEYS 65536 /* then new nodes keep their pointer keys */

struct subgraph {
	uint64_t id[2]; /* tgid, Subgraph* */
	int err;
	struct nnp_litert_nodes l;
	UT_hash_handle hh;
};

struct key_id {
	uint32_t tgid, probe_id;
	uint64_t node;
};

struct node_key {
	struct key_id id;
	uint32_t index;
	UT_hash_handle hh;
};

static struct subgraph *subgraphs;
static struct node_key *keys;
static size_t nsubgraphs, nkeys;
static atomic_bool have_keys;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void say(pid_t pid, uint64_t sg, const struct subgraph *s)
{
	if (!s->err)
		nnp_info("litert: node indexes from the subgraph in process %d (Subgraph 0x%llx: "
			 "nodes at +0x%x, %u of %u bytes)",
			 pid, (unsigned long long)sg, s->l.array_off, s->l.n, s->l.stride);
	else
		nnp_warn("litert: no node indexes from the subgraph in process %d (Subgraph "
			 "0x%llx: %s): nodes are keyed by their TfLiteNode",
			 pid, (unsigned long long)sg,
			 s->err == -ENOENT ? "no array of nodes in it whose every element checks "
					     "out: not the layout nnperf reads"
					   : strerror(-s->err));
}

static struct subgraph *subgraph_of(pid_t pid, uint64_t sg, uint64_t node)
{
	struct nnp_mem m = nnp_proc_mem(pid);
	uint64_t id[2] = { (uint64_t)pid, sg }, word;
	struct subgraph *s;

	HASH_FIND(hh, subgraphs, id, sizeof(id), s);
	if (s || nsubgraphs >= MAX_SUBGRAPHS)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	memcpy(s->id, id, sizeof(id));
	s->err = nnp_proc_mem_read(pid, sg, &word, sizeof(word));
	if (!s->err)
		s->err = nnp_litert_nodes_find(&m, sg, node, &s->l);
	HASH_ADD(hh, subgraphs, id, sizeof(s->id), s);
	nsubgraphs++;
	say(pid, sg, s);
	return s;
}

void nnp_litert_name_event(struct nnp_name_event *e)
{
	struct key_id id = { .tgid = e->hdr.tgid, .probe_id = e->hdr.probe_id, .node = e->key };
	pid_t pid = (pid_t)e->hdr.tgid;
	struct nnp_mem m = nnp_proc_mem(pid);
	struct subgraph *s;
	struct node_key *k;
	uint32_t index;

	if (!e->ref)
		return;
	pthread_mutex_lock(&mu);
	HASH_FIND(hh, keys, &id, sizeof(id), k);
	s = k ? NULL : subgraph_of(pid, e->ref, e->key);
	if (s && !s->err && nkeys < MAX_KEYS &&
	    !nnp_litert_node_index(&m, e->ref, &s->l, e->key, &index)) {
		k = calloc(1, sizeof(*k));
		if (k) {
			k->id = id;
			k->index = index;
			HASH_ADD(hh, keys, id, sizeof(k->id), k);
			nkeys++;
			atomic_store(&have_keys, true);
		}
	}
	if (k)
		e->key = k->index;
	pthread_mutex_unlock(&mu);
}

void nnp_litert_layer_event(struct nnp_layer_event *e)
{
	struct key_id id = { .tgid = e->hdr.tgid, .probe_id = e->hdr.probe_id, .node = e->key };
	struct node_key *k;

	if (!atomic_load(&have_keys))
		return;
	pthread_mutex_lock(&mu);
	HASH_FIND(hh, keys, &id, sizeof(id), k);
	if (k)
		e->key = k->index;
	pthread_mutex_unlock(&mu);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ONNX Runtime's node names without a profile: ExecuteKernel's name event
 * carries the context's SessionState* (its ref); the first node of a session
 * finds where the session keeps its graph (graph.c), and every node is then
 * named from it. A session whose layout does not check out is one warning and
 * its nodes keep their NodeIndex labels.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "graph.h"
#include "log.h"
#include "ort.h"
#include "proc_mem.h"

#define MAX_SESSIONS 1024 /* then forgotten and found again */

struct session {
	uint64_t id[2]; /* tgid, SessionState* */
	int err;	/* 0: layout found; -errno: no names for it */
	struct nnp_ort_layout l;
	UT_hash_handle hh;
};

static struct session *sessions;
static size_t nsessions;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void forget_all(void)
{
	struct session *s, *t;

	HASH_ITER(hh, sessions, s, t) {
		HASH_DEL(sessions, s);
		free(s);
	}
	nsessions = 0;
}

static void say_found(pid_t pid, uint64_t ss, const struct session *s)
{
	if (!s->err) {
		nnp_info("onnxruntime: node names from the session's graph in process %d "
			 "(SessionState 0x%llx: kernel table at +0x%x, %u kernels, OpKernelInfo "
			 "at +%u, Node at +%u, %s strings)",
			 pid, (unsigned long long)ss, s->l.table_off, s->l.nodes, s->l.info_off,
			 s->l.node_off, s->l.str_abi ? "old-ABI" : "C++11");
		return;
	}
	nnp_warn("onnxruntime: no node names from the session's graph in process %d "
		 "(SessionState 0x%llx: %s): nodes are shown by NodeIndex; --node-names PROFILE "
		 "names them",
		 pid, (unsigned long long)ss,
		 s->err == -ENOENT ? "no kernel table in its SessionState whose every kernel "
				     "leads to a Node of its own index: not the layout nnperf reads"
				   : strerror(-s->err));
}

/* the session's entry, found on its first node; NULL without memory */
static struct session *session_of(pid_t pid, uint64_t ss, uint64_t index)
{
	struct nnp_mem m = nnp_proc_mem(pid);
	uint64_t id[2] = { (uint64_t)pid, ss };
	struct session *s;
	uint64_t probe;

	HASH_FIND(hh, sessions, id, sizeof(id), s);
	if (s)
		return s;
	if (nsessions >= MAX_SESSIONS)
		forget_all();
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	memcpy(s->id, id, sizeof(id));
	/* unreadable memory is said as such, not as a layout that did not match */
	s->err = nnp_proc_mem_read(pid, ss, &probe, sizeof(probe));
	if (!s->err)
		s->err = nnp_ort_graph_find(&m, ss, index, &s->l);
	HASH_ADD(hh, sessions, id, sizeof(s->id), s);
	nsessions++;
	say_found(pid, ss, s);
	return s;
}

void nnp_ort_name_event(struct nnp_name_event *e)
{
	pid_t pid = (pid_t)e->hdr.tgid;
	struct nnp_mem m = nnp_proc_mem(pid);
	struct nnp_ort_node node;
	struct session *s;

	if (!e->ref || e->name[0])
		return;
	pthread_mutex_lock(&mu);
	s = session_of(pid, e->ref, e->key);
	if (s && !s->err && !nnp_ort_graph_node(&m, e->ref, &s->l, e->key, &node)) {
		memcpy(e->name, node.name, sizeof(e->name));
		memcpy(e->op, node.op, sizeof(e->op));
	}
	pthread_mutex_unlock(&mu);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "agg_names.h"
#include "text.h"

#define DEFAULT_MAX_PROCS 1024
#define DEFAULT_MAX_LAYERS 65536

int nnp_agg_init(struct nnp_agg *a, const struct nnp_agg_opts *opts)
{
	memset(a, 0, sizeof(*a));
	if (opts)
		a->opts = *opts;
	if (!a->opts.max_procs)
		a->opts.max_procs = DEFAULT_MAX_PROCS;
	if (!a->opts.max_layers)
		a->opts.max_layers = DEFAULT_MAX_LAYERS;
	return 0;
}

static void proc_free(struct nnp_proc_stats *p)
{
	struct nnp_layer_stats *l, *tmp;

	HASH_ITER(hh, p->layers, l, tmp) {
		HASH_DEL(p->layers, l);
		nnp_hist_free(&l->hist);
		free(l);
	}
	nnp_agg_names_free(p);
	nnp_hist_free(&p->infer);
	nnp_agg_free_preemptors(p);
	nnp_agg_period_free(p);
	nnp_agg_nest_free(p);
	free(p);
}

void nnp_agg_free(struct nnp_agg *a)
{
	struct nnp_proc_stats *p, *ptmp;
	struct nnp_probe_info *pi, *pitmp;

	HASH_ITER(hh, a->procs, p, ptmp) {
		HASH_DEL(a->procs, p);
		proc_free(p);
	}
	HASH_ITER(hh, a->probes, pi, pitmp) {
		HASH_DEL(a->probes, pi);
		free(pi);
	}
}

int nnp_agg_probe_keyed(struct nnp_agg *a, uint32_t probe_id)
{
	struct nnp_probe_info *pi;

	HASH_FIND(hh, a->probes, &probe_id, sizeof(probe_id), pi);
	if (!pi)
		return -ENOENT;
	pi->keyed = true;
	return 0;
}

int nnp_agg_add_probe(struct nnp_agg *a, uint32_t probe_id, const char *label, const char *op,
		      const char *runtime)
{
	struct nnp_probe_info *pi;

	HASH_FIND(hh, a->probes, &probe_id, sizeof(probe_id), pi);
	if (!pi) {
		pi = calloc(1, sizeof(*pi));
		if (!pi)
			return -ENOMEM;
		pi->probe_id = probe_id;
		pi->scale = 1;
		HASH_ADD(hh, a->probes, probe_id, sizeof(pi->probe_id), pi);
	}
	nnp_text_copy(pi->label, sizeof(pi->label), label, SIZE_MAX);
	nnp_text_copy(pi->op, sizeof(pi->op), op, SIZE_MAX);
	nnp_text_copy(pi->runtime, sizeof(pi->runtime), runtime, SIZE_MAX);
	return 0;
}

double nnp_agg_probe_scale(const struct nnp_agg *a, const struct nnp_layer_stats *l)
{
	const struct nnp_probe_info *pi = nnp_agg_probe(a, l->id.probe_id);

	return pi && pi->scale > 1 ? pi->scale : 1;
}

double nnp_agg_scale(const struct nnp_agg *a, const struct nnp_layer_stats *l)
{
	return nnp_agg_sample(a) * nnp_agg_probe_scale(a, l);
}

const struct nnp_probe_info *nnp_agg_probe(const struct nnp_agg *a, uint32_t probe_id)
{
	struct nnp_probe_info *pi;

	HASH_FIND(hh, a->probes, &probe_id, sizeof(probe_id), pi);
	return pi;
}

/* naming the layers of PROBE_ID (agg_names.c) */
static struct nnp_name_ctx name_ctx(struct nnp_agg *a, uint32_t probe_id)
{
	return (struct nnp_name_ctx){ .probe = nnp_agg_probe(a, probe_id),
				      .node_names = a->opts.node_names,
				      .max_pending = a->opts.max_layers,
				      .dropped = &a->dropped_names };
}

struct nnp_proc_stats *nnp_agg_proc(struct nnp_agg *a, uint32_t tgid)
{
	struct nnp_proc_stats *p;

	HASH_FIND(hh, a->procs, &tgid, sizeof(tgid), p);
	return p;
}

/* comm is read once: by the time a process is evicted or exits it is gone from /proc */
static void read_comm(struct nnp_proc_stats *p)
{
	char path[32], buf[sizeof(p->comm)];
	ssize_t n;
	int fd;

	strcpy(p->comm, "?");
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/comm", p->tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (buf[n - 1] == '\n')
		n--;
	if (n > 0)
		nnp_text_copy(p->comm, sizeof(p->comm), buf, (size_t)n);
}

int nnp_agg_set_comm(struct nnp_agg *a, uint32_t tgid, const char *comm)
{
	struct nnp_proc_stats *p = nnp_agg_proc(a, tgid);

	if (!p)
		return -ENOENT;
	nnp_text_copy(p->comm, sizeof(p->comm), comm, SIZE_MAX);
	return 0;
}

void nnp_agg_proc_exited(struct nnp_agg *a, uint32_t tgid)
{
	struct nnp_proc_stats *p = nnp_agg_proc(a, tgid);

	if (p)
		p->exited = true;
}

void nnp_agg_proc_remove(struct nnp_agg *a, uint32_t tgid)
{
	struct nnp_proc_stats *p = nnp_agg_proc(a, tgid);

	if (!p)
		return;
	HASH_DEL(a->procs, p);
	proc_free(p);
}

/* Frees the exited process that was active least recently; false if none has exited. */
static bool evict_one(struct nnp_agg *a)
{
	struct nnp_proc_stats *p, *tmp, *victim = NULL;

	HASH_ITER(hh, a->procs, p, tmp) {
		if (p->exited && (!victim || p->last_ns < victim->last_ns))
			victim = p;
	}
	if (!victim)
		return false;
	HASH_DEL(a->procs, victim);
	proc_free(victim);
	a->evicted_procs++;
	return true;
}

/* The process of an event, created on first sight; NULL with *err = 0 when refused. */
static struct nnp_proc_stats *get_proc(struct nnp_agg *a, uint32_t tgid, int *err)
{
	struct nnp_proc_stats *p = nnp_agg_proc(a, tgid);

	*err = 0;
	if (p)
		return p;
	if (HASH_COUNT(a->procs) >= a->opts.max_procs && !evict_one(a)) {
		a->refused_events++;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->tgid = tgid;
	nnp_hist_init(&p->infer);
	read_comm(p);
	HASH_ADD(hh, a->procs, tgid, sizeof(p->tgid), p);
	return p;
}

static void note_time(struct nnp_proc_stats *p, uint64_t start, uint64_t end)
{
	if (!p->first_ns || start < p->first_ns)
		p->first_ns = start;
	if (end > p->last_ns)
		p->last_ns = end;
}

static struct nnp_layer_stats *get_layer(struct nnp_agg *a, struct nnp_proc_stats *p,
					 const struct nnp_layer_key *id, int *err)
{
	struct nnp_layer_stats *l;
	struct nnp_name_ctx c;

	*err = 0;
	HASH_FIND(hh, p->layers, id, sizeof(*id), l);
	if (l)
		return l;
	if (p->nlayers >= a->opts.max_layers) {
		a->dropped_layers++;
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		*err = -ENOMEM;
		return NULL;
	}
	l->id = *id;
	l->order = p->next_order++;
	nnp_hist_init(&l->hist);
	HASH_ADD(hh, p->layers, id, sizeof(l->id), l);
	p->nlayers++;
	/* without memory for its name the layer still counts, under the probe's label */
	c = name_ctx(a, id->probe_id);
	nnp_agg_name_layer(&c, p, l);
	return l;
}

static int on_layer(struct nnp_agg *a, const struct nnp_layer_event *e)
{
	struct nnp_layer_key id = { .probe_id = e->hdr.probe_id, .key = e->key };
	struct nnp_proc_stats *p;
	struct nnp_layer_stats *l;
	uint64_t dur;
	int err;

	p = get_proc(a, e->hdr.tgid, &err);
	if (!p)
		return err;
	note_time(p, e->start_ns, e->end_ns);
	p->layer_events++;
	l = get_layer(a, p, &id, &err);
	if (!l)
		return err;
	dur = e->end_ns - e->start_ns;
	l->self_ns += dur > e->child_ns ? dur - e->child_ns : 0;
	if (e->infer_seq)
		l->in_infer++;
	nnp_agg_order_layer(p, l, e);
	nnp_ksig_add(&l->k, &e->k);
	err = nnp_agg_nest_layer(p, e, l);
	if (!err)
		err = nnp_hist_add(&l->hist, dur);
	if (!err && a->infer_by_period && !p->real_infer && e->depth == 0)
		err = nnp_agg_period_layer(a, p, e);
	return err;
}

static int on_infer(struct nnp_agg *a, const struct nnp_infer_event *e)
{
	struct nnp_proc_stats *p;
	int err;

	p = get_proc(a, e->hdr.tgid, &err);
	if (!p)
		return err;
	note_time(p, e->start_ns, e->end_ns);
	if (!p->real_infer) {
		/* the runtime marks its inferences: they win over periods */
		p->real_infer = true;
		nnp_agg_period_free(p);
	}
	nnp_ksig_add(&p->infer_k, &e->k);
	nnp_agg_order_infer(p, e);
	return nnp_hist_add(&p->infer, e->end_ns - e->start_ns);
}

static int on_preempt(struct nnp_agg *a, const struct nnp_preempt_event *e)
{
	struct nnp_proc_stats *p;
	int err;

	p = get_proc(a, e->hdr.tgid, &err);
	if (!p)
		return err;
	return nnp_agg_preempt(a, p, e);
}

static int on_name(struct nnp_agg *a, const struct nnp_name_event *e)
{
	struct nnp_proc_stats *p;
	struct nnp_name_ctx c;
	int err;

	p = get_proc(a, e->hdr.tgid, &err);
	if (!p)
		return err;
	c = name_ctx(a, e->hdr.probe_id);
	return nnp_agg_name_event(&c, p, e);
}

int nnp_agg_apply(struct nnp_agg *a, const union nnp_event *ev)
{
	int err = -EINVAL;

	a->events++;
	switch (ev ? ev->hdr.type : 0) {
	case NNP_EV_LAYER:
		err = on_layer(a, &ev->layer);
		break;
	case NNP_EV_INFER:
		err = on_infer(a, &ev->infer);
		break;
	case NNP_EV_NAME:
		err = on_name(a, &ev->name);
		break;
	case NNP_EV_PREEMPT:
		err = on_preempt(a, &ev->preempt);
		break;
	}
	if (err == -EINVAL)
		a->bad_events++;
	return err;
}

int nnp_agg_event(struct nnp_agg *a, const void *data, size_t size)
{
	union nnp_event ev;

	return nnp_agg_apply(a, nnp_event_decode(data, size, &ev) ? NULL : &ev);
}

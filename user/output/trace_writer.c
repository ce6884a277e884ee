// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Timestamps are CLOCK_MONOTONIC microseconds written with three decimals,
 * which is exact for nanoseconds: slices nest exactly as they did. Events are
 * written when they end, so the file is not sorted by ts; the format does
 * not require it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"
#include "trace_writer.h"

struct seen_thread {
	uint64_t id; /* tgid << 32 | tid */
	UT_hash_handle hh;
};

struct nnp_trace {
	FILE *f;
	bool first; /* no event written yet: no comma before the next */
	struct seen_thread *seen;
	int err;
	bool offcpu; /* off-CPU time was measured */
};

void nnp_trace_set_offcpu(struct nnp_trace *t, bool measured)
{
	t->offcpu = measured;
}

int nnp_trace_open(const char *path, struct nnp_trace **out)
{
	struct nnp_trace *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->f = fopen(path, "we");
	if (!t->f) {
		int err = -errno;

		free(t);
		return err;
	}
	t->first = true;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", t->f);
	*out = t;
	return 0;
}

/* a JSON string: valid UTF-8 (invalid bytes become U+FFFD), quotes and controls escaped */
static void json_str(FILE *f, const char *s)
{
	char *clean = nnp_utf8_sanitize(s);
	const unsigned char *p = (const unsigned char *)(clean ? clean : "?");

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
	free(clean);
}

static void begin_event(struct nnp_trace *t)
{
	fputs(t->first ? "\n" : ",\n", t->f);
	t->first = false;
}

static void us(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, "\"%s\":%" PRIu64 ".%03" PRIu64, key, ns / 1000, ns % 1000);
}

static void thread_comm(uint32_t tgid, uint32_t tid, char *buf, size_t len)
{
	char path[64], raw[32];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/task/%" PRIu32 "/comm", tgid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, raw, sizeof(raw) - 1);
		close(fd);
	}
	while (n > 0 && raw[n - 1] == '\n')
		n--;
	if (n > 0)
		nnp_text_copy(buf, len, raw, (size_t)n);
	else
		snprintf(buf, len, "thread %" PRIu32, tid);
}

static void meta(struct nnp_trace *t, const char *what, uint32_t tgid, uint32_t tid,
		 const char *name)
{
	begin_event(t);
	fprintf(t->f,
		"{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"args\":{\"name\":",
		what, tgid, tid);
	json_str(t->f, name);
	fputs("}}", t->f);
}

/* true the first time id is seen; remembering it costs one small allocation */
static bool first_sight(struct nnp_trace *t, uint64_t id)
{
	struct seen_thread *s;

	HASH_FIND(hh, t->seen, &id, sizeof(id), s);
	if (s || !(s = calloc(1, sizeof(*s))))
		return false;
	s->id = id;
	HASH_ADD(hh, t->seen, id, sizeof(s->id), s);
	return true;
}

/* process and thread names, the first time each shows up (a process: tid UINT32_MAX) */
static void name_thread(struct nnp_trace *t, struct nnp_agg *a, uint32_t tgid, uint32_t tid)
{
	struct nnp_proc_stats *p;
	char name[64];

	if (!first_sight(t, (uint64_t)tgid << 32 | tid))
		return;
	if (first_sight(t, (uint64_t)tgid << 32 | UINT32_MAX)) {
		p = nnp_agg_proc(a, tgid);
		snprintf(name, sizeof(name), "%s (%" PRIu32 ")", p ? p->comm : "?", tgid);
		meta(t, "process_name", tgid, tgid, name);
	}
	thread_comm(tgid, tid, name, sizeof(name));
	meta(t, "thread_name", tgid, tid, name);
}

static void slice(struct nnp_trace *t, const struct nnp_event_hdr *h, const char *name,
		  const char *cat, uint64_t start, uint64_t end)
{
	begin_event(t);
	fputs("{\"name\":", t->f);
	json_str(t->f, name);
	fputs(",\"cat\":", t->f);
	json_str(t->f, cat);
	fputs(",\"ph\":\"X\",", t->f);
	us(t->f, "ts", start);
	fputc(',', t->f);
	us(t->f, "dur", end - start);
	fprintf(t->f, ",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"args\":{", h->tgid, h->tid);
}

/* the kernel signals of one call; off-CPU time only where it was measured */
static void ksig_args(const struct nnp_trace *t, FILE *f, const struct nnp_ksig *k)
{
	if (t->offcpu)
		fprintf(f, ",\"offcpu_ns\":%" PRIu64, (uint64_t)k->offcpu_ns);
	fprintf(f,
		",\"runq_ns\":%" PRIu64 ",\"vcsw\":%" PRIu32 ",\"ivcsw\":%" PRIu32
		",\"minflt\":%" PRIu32 ",\"majflt\":%" PRIu32 ",\"migrations\":%" PRIu32,
		(uint64_t)k->runq_ns, k->vcsw, k->ivcsw, k->minflt, k->majflt, k->migrations);
}

static void layer(struct nnp_trace *t, struct nnp_agg *a, const struct nnp_layer_event *e)
{
	struct nnp_layer_key id = { .probe_id = e->hdr.probe_id, .key = e->key };
	const struct nnp_probe_info *pi = nnp_agg_probe(a, e->hdr.probe_id);
	struct nnp_proc_stats *p = nnp_agg_proc(a, e->hdr.tgid);
	struct nnp_layer_stats *l = NULL;
	const char *name, *op;
	uint64_t dur = e->end_ns - e->start_ns;

	if (p)
		HASH_FIND(hh, p->layers, &id, sizeof(id), l);
	/* a layer the aggregator could not keep (max_layers) still shows, under its probe */
	name = l ? l->name : pi ? pi->label : "layer";
	op = l ? l->op : pi ? pi->op : "";
	slice(t, &e->hdr, name, op[0] ? op : "layer", e->start_ns, e->end_ns);
	fputs("\"op\":", t->f);
	json_str(t->f, op);
	fprintf(t->f,
		",\"key\":\"0x%" PRIx64 "\",\"probe_id\":%" PRIu32 ",\"depth\":%" PRIu32
		",\"infer_seq\":%" PRIu64 ",\"cpu\":%" PRIu32 ",\"self_ns\":%" PRIu64,
		(uint64_t)e->key, e->hdr.probe_id, e->depth, (uint64_t)e->infer_seq, e->cpu,
		(uint64_t)(dur > e->child_ns ? dur - e->child_ns : 0));
	ksig_args(t, t->f, &e->k);
	fputs("}}", t->f);
}

static void inference(struct nnp_trace *t, const struct nnp_infer_event *e)
{
	slice(t, &e->hdr, "inference", "inference", e->start_ns, e->end_ns);
	fprintf(t->f, "\"infer_seq\":%" PRIu64 ",\"layers\":%" PRIu32, (uint64_t)e->infer_seq,
		e->layers);
	ksig_args(t, t->f, &e->k);
	fputs("}}", t->f);
}

void nnp_trace_event(struct nnp_trace *t, struct nnp_agg *a, const union nnp_event *ev)
{
	if (ev->hdr.type == NNP_EV_LAYER) {
		name_thread(t, a, ev->hdr.tgid, ev->hdr.tid);
		layer(t, a, &ev->layer);
	} else if (ev->hdr.type == NNP_EV_INFER) {
		name_thread(t, a, ev->hdr.tgid, ev->hdr.tid);
		inference(t, &ev->infer);
	}
	if (!t->err && ferror(t->f))
		t->err = -EIO;
}

int nnp_trace_close(struct nnp_trace *t)
{
	struct seen_thread *s, *tmp;
	int err;

	if (!t)
		return 0;
	fputs("\n]}\n", t->f);
	err = t->err;
	errno = 0;
	if (fflush(t->f) == EOF || ferror(t->f))
		err = err ? err : errno ? -errno : -EIO;
	if (fclose(t->f) && !err)
		err = -errno;
	HASH_ITER(hh, t->seen, s, tmp) {
		HASH_DEL(t->seen, s);
		free(s);
	}
	free(t);
	return err;
}

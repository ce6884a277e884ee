// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every BPF try shares: load one program of bpf/features.bpf.c alone,
 * record how loading or attaching failed, and tear down everything after. Also
 * the ring buffer try, which needs no program.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "features.skel.h"
#include "features_try.h"

static void try_end(struct nnp_try *t)
{
	bpf_link__destroy(t->link);
	if (t->has_fd)
		close(t->link_fd);
	features_bpf__destroy(t->skel);
}

/*
 * Detaching waits for the kernel to quiesce (~100 ms for a uprobe here): tear
 * every try down on its own thread, so that the waits overlap, and join them
 * in nnp_try_settle. A failed hand-off just tears down here and now.
 */
static pthread_t teardowns[16];
static size_t n_teardowns;

static void *teardown_thread(void *arg)
{
	try_end(arg);
	free(arg);
	return NULL;
}

void nnp_try_end_later(struct nnp_try *t)
{
	struct nnp_try *copy;

	if (!t->skel)
		return;
	copy =
	    n_teardowns < sizeof(teardowns) / sizeof(teardowns[0]) ? malloc(sizeof(*copy)) : NULL;
	if (copy) {
		*copy = *t;
		if (!pthread_create(&teardowns[n_teardowns], NULL, teardown_thread, copy)) {
			n_teardowns++;
			return;
		}
		free(copy);
	}
	try_end(t);
}

void nnp_try_settle(void)
{
	for (size_t i = 0; i < n_teardowns; i++)
		pthread_join(teardowns[i], NULL);
	n_teardowns = 0;
}

/* Loads only program NAME; on failure fills F and returns -errno */
int nnp_try_load(struct nnp_feature *f, struct nnp_try *t, const char *name)
{
	struct bpf_program *p;
	int err;

	t->skel = features_bpf__open();
	if (!t->skel) {
		err = -errno;
		nnp_feat_set(f, NNP_FEAT_NO, -err, "%s: open failed: %s", t->what,
			     nnp_feat_errstr(err));
		return err;
	}
	t->skel->rodata->target_tgid = (__u32)getpid();
	bpf_object__for_each_program(p, t->skel->obj) {
		bool mine = !strcmp(bpf_program__name(p), name);

		bpf_program__set_autoload(p, mine);
		if (mine)
			t->prog = p;
		if (mine && t->attach_type)
			bpf_program__set_expected_attach_type(p, t->attach_type);
	}
	err = features_bpf__load(t->skel);
	if (err) {
		nnp_feat_set(f, NNP_FEAT_NO, -err, "%s: load failed: %s", t->what,
			     nnp_feat_errstr(err));
		return err;
	}
	return 0;
}

/* Takes LINK (NULL with errno on failure); on failure fills F and returns -errno */
int nnp_try_attached(struct nnp_feature *f, struct nnp_try *t, struct bpf_link *link)
{
	int err = -errno;

	if (!link) {
		nnp_feat_set(f, NNP_FEAT_NO, -err, "%s: attach failed: %s", t->what,
			     nnp_feat_errstr(err));
		return err ? err : -EINVAL;
	}
	t->link = link;
	return 0;
}

void nnp_try_ringbuf(struct nnp_feature *f)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "nnp_feat_rb", 0, 0, (__u32)page, NULL);

	if (fd < 0) {
		nnp_feat_set(f, NNP_FEAT_NO, errno, "creating a BPF ring buffer failed: %s",
			     strerror(errno));
		return;
	}
	nnp_feat_set(f, NNP_FEAT_YES, 0, "created a %ld KiB BPF ring buffer", page / 1024);
	close(fd);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The real planner (probe/planner.c) against a fake kernel side: the order
 * sites are attached in, begin/end pairing, deferred batches, uprobe_multi
 * grouping, a failure in the middle of a batch and a library that is not
 * loaded yet. No root: the fake records what the session would have done.
 * The libraries are the unit-test fixtures (real ELF files).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "agg.h"
#include "elf_sym.h"
#include "placement.h"
#include "planner.h"
#include "probe_spec.h"

#define LIB NNP_FIXTURE_DIR "/libnnpfix.so"
#define LIBCXX NNP_FIXTURE_DIR "/libnnpfixcxx.so"
#define MAX_CALLS 32

/* one call of the kernel side, as the fake saw it */
struct call {
	char what[8]; /* "uprobe", "multi", "usdt" */
	bool ret;
	char path[PATH_MAX];
	uint64_t offs[8];
	uint32_t cookies[8];
	size_t n;
};

struct fake {
	struct nnp_spec specs[64];
	uint32_t nspecs;
	uint32_t probe_ids;
	bool multi;
	bool loaded; /* resolve finds the libraries */
	int fail_at; /* the attach call that fails with -EIO; -1 none */
	struct call calls[MAX_CALLS];
	int ncalls;
};

static int add_spec(void *ctx, const struct nnp_spec *spec, uint32_t *idx)
{
	struct fake *f = ctx;

	if (f->nspecs == 64)
		return -E2BIG;
	f->specs[f->nspecs] = *spec;
	*idx = f->nspecs++;
	return 0;
}

static uint32_t new_probe_id(void *ctx)
{
	return ++((struct fake *)ctx)->probe_ids;
}

static bool uprobe_multi(void *ctx)
{
	return ((struct fake *)ctx)->multi;
}

static struct call *record(struct fake *f, const char *what, const char *path, bool ret, int *err)
{
	struct call *c = &f->calls[f->ncalls];

	assert_true(f->ncalls < MAX_CALLS);
	*err = f->ncalls++ == f->fail_at ? -EIO : 0;
	snprintf(c->what, sizeof(c->what), "%s", what);
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->ret = ret;
	return c;
}

static int attach_uprobe(void *ctx, uint32_t idx, pid_t pid, const char *path, uint64_t off,
			 bool ret)
{
	int err;
	struct call *c = record(ctx, "uprobe", path, ret, &err);

	assert_int_equal(pid, 4242);
	c->offs[0] = off;
	c->cookies[0] = idx;
	c->n = 1;
	return err;
}

static int attach_uprobes(void *ctx, pid_t pid, const char *path, const uint64_t *offs,
			  const uint64_t *cookies, size_t n, bool ret)
{
	int err;
	struct call *c = record(ctx, "multi", path, ret, &err);

	assert_int_equal(pid, 4242);
	assert_true(n <= 8);
	for (size_t i = 0; i < n; i++) {
		c->offs[i] = offs[i];
		c->cookies[i] = (uint32_t)cookies[i];
	}
	c->n = n;
	return err;
}

static int attach_usdt(void *ctx, uint32_t idx, pid_t pid, const char *path, const char *provider,
		       const char *name)
{
	int err;
	struct call *c = record(ctx, "usdt", path, false, &err);

	assert_int_equal(pid, 4242);
	assert_string_equal(provider, "prov");
	assert_string_equal(name, "mark");
	c->cookies[0] = idx;
	c->n = 1;
	return err;
}

/* "libnnpfix.so" is the fixture of that name once the target has loaded it */
static int resolve(void *ctx, const struct nnp_target *t, const char *lib, char *out, size_t len)
{
	struct fake *f = ctx;

	assert_int_equal(t->pid, 4242);
	if (!f->loaded)
		return -ENOENT;
	snprintf(out, len, "%s/%s", NNP_FIXTURE_DIR, lib);
	return 0;
}

static const struct nnp_planner_ops fake_ops = {
	.add_spec = add_spec,
	.new_probe_id = new_probe_id,
	.uprobe_multi = uprobe_multi,
	.attach_uprobe = attach_uprobe,
	.attach_uprobes = attach_uprobes,
	.attach_usdt = attach_usdt,
	.resolve = resolve,
};

struct world {
	struct fake f;
	struct nnp_agg a;
	struct nnp_planner *p;
};

static int setup(void **state)
{
	static struct world w;
	struct nnp_target t = { .pid = 4242 };

	memset(&w, 0, sizeof(w));
	w.f.loaded = true;
	w.f.fail_at = -1;
	if (nnp_agg_init(&w.a, NULL) || nnp_planner_new_ops(&fake_ops, &w.f, &w.a, &t, &w.p))
		return -1;
	*state = &w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	nnp_planner_free(w->p);
	nnp_agg_free(&w->a);
	return 0;
}

static int attach(struct world *w, const char *text)
{
	struct nnp_probe_def d;
	char err[256];
	int col;

	assert_int_equal(nnp_probe_parse(text, &d, err, sizeof(err), &col), 0);
	return nnp_planner_attach(w->p, &d, "test");
}

static int take_off(const struct nnp_sym *sym, void *arg)
{
	*(uint64_t *)arg = sym->file_off;
	return 1;
}

/* where the planner should put SYMBOL's entry probe: past what placement skips */
static uint64_t entry_of(const char *path, const char *symbol)
{
	struct nnp_placement pl = { 0 };
	struct nnp_elf *e;
	uint64_t off = 0;

	assert_int_equal(nnp_elf_open(path, &e), 0);
	assert_int_equal(nnp_elf_match(e, symbol, take_off, &off), 1);
	nnp_elf_close(e);
	if (!nnp_place_probe(path, off, &pl))
		off += pl.skip;
	return off;
}

/* every uretprobe before any uprobe, one site each, at the placed entry */
static void test_returns_first(void **state)
{
	struct world *w = *state;
	uint64_t alpha = entry_of(LIB, "nnp_fixture_alpha"),
		 beta = entry_of(LIB, "nnp_fixture_beta");

	nnp_planner_defer(w->p);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha"), 0);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_beta"), 0);
	assert_int_equal(w->f.ncalls, 0); /* deferred: nothing attached before the flush */
	assert_int_equal(nnp_planner_flush(w->p), 0);
	assert_int_equal(w->f.ncalls, 4);
	for (int i = 0; i < 4; i++) {
		struct call *c = &w->f.calls[i];

		assert_string_equal(c->what, "uprobe");
		assert_string_equal(c->path, LIB);
		assert_int_equal(c->ret, i < 2);
		/* arrival order is kept within the returns and within the entries */
		assert_int_equal(c->offs[0], i % 2 ? beta : alpha);
		assert_int_equal(w->f.specs[c->cookies[0]].role,
				 i < 2 ? NNP_ROLE_LAYER_END : NNP_ROLE_LAYER_BEGIN);
	}
	assert_int_equal(nnp_planner_sites(w->p), 4);
}

/* without defer, each definition is attached at once, its return first */
static void test_immediate(void **state)
{
	struct world *w = *state;

	assert_int_equal(attach(w, "inference=libnnpfix.so:nnp_fixture_alpha"), 0);
	assert_int_equal(w->f.ncalls, 2);
	assert_true(w->f.calls[0].ret);
	assert_false(w->f.calls[1].ret);
	assert_int_equal(w->f.specs[w->f.calls[0].cookies[0]].role, NNP_ROLE_INFER_END);
	assert_int_equal(w->f.specs[w->f.calls[1].cookies[0]].role, NNP_ROLE_INFER_BEGIN);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_beta,mode=entry-only"), 0);
	assert_int_equal(w->f.ncalls, 3); /* entry-only: no return probe */
	assert_false(w->f.calls[2].ret);
}

/* what reads ret goes in the return's spec (RET_KEY for the key), the rest in the entry's */
static void test_ret_split(void **state)
{
	struct world *w = *state;
	const struct nnp_spec *end, *begin;

	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha,key=ret,"
				   "name=str(*(ret+56)),op=\"node\",when=arg1!=0"),
			 0);
	assert_int_equal(w->f.ncalls, 2);
	end = &w->f.specs[w->f.calls[0].cookies[0]];
	begin = &w->f.specs[w->f.calls[1].cookies[0]];
	assert_int_equal(end->role, NNP_ROLE_LAYER_END);
	assert_int_equal(end->flags, NNP_SPEC_RET_KEY);
	assert_int_equal(end->key.arg, NNP_FETCH_ARG_RET);
	assert_int_equal(end->name.kind, NNP_FETCH_STRING);
	assert_int_equal(end->name.deref_off[0], 56);
	assert_int_equal(end->when.kind, NNP_FETCH_NONE);
	assert_int_equal(begin->role, NNP_ROLE_LAYER_BEGIN);
	assert_int_equal(begin->flags, NNP_SPEC_WHEN_NE);
	assert_int_equal(begin->when.arg, 1);
	assert_int_equal(begin->key.kind, NNP_FETCH_NONE);
	assert_int_equal(begin->name.kind, NNP_FETCH_NONE);
	assert_int_equal(begin->probe_id, end->probe_id);
	/* when at the return, key and names at the entry */
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_beta,key=arg0,"
				   "name=str(*arg0),when=u32(ret)==3"),
			 0);
	end = &w->f.specs[w->f.calls[2].cookies[0]];
	begin = &w->f.specs[w->f.calls[3].cookies[0]];
	assert_int_equal(end->flags, NNP_SPEC_WHEN_EQ);
	assert_int_equal(end->when.arg, NNP_FETCH_ARG_RET);
	assert_int_equal(end->when.width, 4);
	assert_int_equal(end->when_val, 3);
	assert_int_equal(end->key.kind, NNP_FETCH_NONE);
	assert_int_equal(end->name.kind, NNP_FETCH_NONE);
	assert_int_equal(begin->flags, 0);
	assert_int_equal(begin->key.kind, NNP_FETCH_VALUE);
	assert_int_equal(begin->name.kind, NNP_FETCH_STRING);
}

/* when-cache=thread: specs with the same when share its id, another when gets another */
static void test_when_cache(void **state)
{
	struct world *w = *state;
	const struct nnp_spec *a, *b, *c, *d;

	assert_int_equal(attach(w, "layer-begin=libnnpfix.so:nnp_fixture_alpha,"
				   "when=u32(*arg0)==0,when-cache=thread,mode=entry-only"),
			 0);
	assert_int_equal(attach(w, "layer-begin=libnnpfix.so:nnp_fixture_beta,key=arg1,"
				   "when=u32(*arg0)==0,when-cache=thread"),
			 0);
	assert_int_equal(attach(w, "layer-begin=libnnpfix.so:nnp_fixture_alpha,"
				   "when=u32(*arg0)!=0,when-cache=thread"),
			 0);
	assert_int_equal(attach(w, "layer-begin=libnnpfix.so:nnp_fixture_beta,when=u32(*arg0)==0"),
			 0);
	assert_int_equal(w->f.ncalls, 4);
	a = &w->f.specs[w->f.calls[0].cookies[0]];
	b = &w->f.specs[w->f.calls[1].cookies[0]];
	c = &w->f.specs[w->f.calls[2].cookies[0]];
	d = &w->f.specs[w->f.calls[3].cookies[0]];
	assert_int_equal(a->flags, NNP_SPEC_ENTRY_ONLY | NNP_SPEC_WHEN_EQ | NNP_SPEC_WHEN_CACHE);
	assert_int_equal(b->flags, NNP_SPEC_WHEN_EQ | NNP_SPEC_WHEN_CACHE);
	assert_int_not_equal(a->when_id, 0);
	assert_int_equal(a->when_id, b->when_id);
	assert_int_not_equal(c->when_id, a->when_id); /* != : another test */
	assert_int_equal(d->flags, NNP_SPEC_WHEN_EQ);
	assert_int_equal(d->when_id, 0);
}

/* explicit begin and end roles of one library share a probe id; others get their own */
static void test_pairing(void **state)
{
	struct world *w = *state;
	uint32_t begin, end, other, cxx_begin;

	assert_int_equal(attach(w, "layer-begin=libnnpfix.so:nnp_fixture_alpha,key=arg0"), 0);
	assert_int_equal(attach(w, "layer-end=libnnpfix.so:nnp_fixture_beta,key=arg0"), 0);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_gamma"), 0);
	assert_int_equal(attach(w, "layer-begin=" LIBCXX ":nnp_cxx_*,key=arg0"), 0);
	begin = w->f.specs[0].probe_id;
	end = w->f.specs[1].probe_id;
	other = w->f.specs[2].probe_id;
	cxx_begin = w->f.specs[w->f.nspecs - 1].probe_id;
	assert_int_equal(w->f.specs[0].role, NNP_ROLE_LAYER_BEGIN);
	assert_int_equal(w->f.specs[1].role, NNP_ROLE_LAYER_END);
	assert_int_equal(begin, end);
	assert_int_not_equal(other, begin);
	assert_int_not_equal(cxx_begin, begin);
	assert_int_not_equal(cxx_begin, other);
	/* the aggregator knows each probe, under its label */
	assert_non_null(nnp_agg_probe(&w->a, begin));
	assert_non_null(nnp_agg_probe(&w->a, other));
}

/* with uprobe_multi, one link per file and direction, returns first */
static void test_multi_groups(void **state)
{
	struct world *w = *state;
	const char *want[][2] = {
		{ "ret", LIB }, { "ret", LIBCXX }, { "ent", LIB }, { "ent", LIBCXX }
	};

	w->f.multi = true;
	nnp_planner_defer(w->p);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha"), 0);
	assert_int_equal(attach(w, "layer=" LIBCXX ":nnp_cxx_*"), 0);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_beta"), 0);
	assert_int_equal(nnp_planner_flush(w->p), 0);
	assert_int_equal(w->f.ncalls, 4);
	for (int i = 0; i < 4; i++) {
		struct call *c = &w->f.calls[i];

		assert_string_equal(c->what, "multi");
		assert_int_equal(c->ret, !strcmp(want[i][0], "ret"));
		assert_string_equal(c->path, want[i][1]);
		if (!strcmp(c->path, LIB))
			assert_int_equal(c->n, 2);
		for (size_t j = 0; j < c->n; j++)
			assert_int_equal(w->f.specs[c->cookies[j]].role,
					 c->ret ? NNP_ROLE_LAYER_END : NNP_ROLE_LAYER_BEGIN);
	}
	assert_int_equal(nnp_planner_sites(w->p), 2 * (2 + w->f.calls[1].n));
}

/* the third attach fails: the flush says so, two sites count, the batch is gone */
static void test_fail_mid_batch(void **state)
{
	struct world *w = *state;

	w->f.fail_at = 2;
	nnp_planner_defer(w->p);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha"), 0);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_beta"), 0);
	assert_int_equal(nnp_planner_flush(w->p), -EIO);
	assert_int_equal(w->f.ncalls, 3);
	assert_int_equal(nnp_planner_sites(w->p), 2);
	assert_int_equal(nnp_planner_flush(w->p), 0);
	assert_int_equal(w->f.ncalls, 3);
}

/* a definition that fails plans nothing: the sites before it in the batch stay */
static void test_failed_definition(void **state)
{
	struct world *w = *state;
	struct nnp_probe_def d;
	char err[256];
	int col;

	nnp_planner_defer(w->p);
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha"), 0);
	assert_int_equal(attach(w, "layer=libnnpfix.so:no_such_function"), -ENOENT);
	assert_int_equal(
	    nnp_probe_parse("layer=libnnpfix.so:nnp_none_*", &d, err, sizeof(err), &col), 0);
	assert_int_equal(nnp_planner_attach_optional(w->p, &d, "test"), -ENOENT);
	assert_int_equal(nnp_planner_flush(w->p), 0);
	assert_int_equal(w->f.ncalls, 2);
	assert_int_equal(nnp_planner_sites(w->p), 2);
}

/* a library the target has not loaded yet: an error and nothing planned; once it is
 * loaded (dlopen), the same definition attaches */
static void test_library_later(void **state)
{
	struct world *w = *state;

	w->f.loaded = false;
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha"), -ENOENT);
	assert_int_equal(w->f.nspecs, 0);
	assert_int_equal(w->f.ncalls, 0);
	w->f.loaded = true;
	assert_int_equal(attach(w, "layer=libnnpfix.so:nnp_fixture_alpha"), 0);
	assert_int_equal(w->f.ncalls, 2);
	/* a path is opened as given, whatever the target has loaded */
	w->f.loaded = false;
	assert_int_equal(attach(w, "layer=" LIBCXX ":nnp_cxx_*"), 0);
}

/* USDT sites attach at once, even in a deferred batch: they are not uprobe_multi */
static void test_usdt(void **state)
{
	struct world *w = *state;

	nnp_planner_defer(w->p);
	assert_int_equal(attach(w, "layer-begin=usdt:libnnpfix.so:prov:mark,key=arg0"), 0);
	assert_int_equal(w->f.ncalls, 1);
	assert_string_equal(w->f.calls[0].what, "usdt");
	assert_string_equal(w->f.calls[0].path, LIB);
	assert_int_equal(w->f.specs[w->f.calls[0].cookies[0]].role, NNP_ROLE_LAYER_BEGIN);
	assert_int_equal(nnp_planner_flush(w->p), 0);
	assert_int_equal(nnp_planner_sites(w->p), 1);
}

/* the loader watch: a spec of its own at a file offset, one uprobe */
static void test_attach_spec(void **state)
{
	struct world *w = *state;
	struct nnp_spec sp = { .role = NNP_ROLE_LIBLOAD };

	assert_int_equal(nnp_planner_attach_spec(w->p, &sp, LIB, 0x1234), 0);
	assert_int_equal(w->f.ncalls, 1);
	assert_int_equal(w->f.calls[0].offs[0], 0x1234);
	assert_int_equal(w->f.specs[w->f.calls[0].cookies[0]].role, NNP_ROLE_LIBLOAD);
	w->f.fail_at = 1;
	assert_int_equal(nnp_planner_attach_spec(w->p, &sp, LIB, 0x1234), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_returns_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_immediate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ret_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_when_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pairing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_mid_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_definition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_library_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_spec, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

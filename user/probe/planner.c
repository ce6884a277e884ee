// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capstone_dl.h"
#include "elf_check.h"
#include "elf_sym.h"
#include "log.h"
#include "placement.h"
#include "planner.h"
#include "planner_priv.h"

/* what one attach needs beyond the definition */
struct site {
	const char *path;
	uint64_t off;
	const char *label;
	uint32_t probe_id;
	int cls; /* enum nnp_insn_class at off, -1: not decoded yet */
};

int nnp_planner_new_ops(const struct nnp_planner_ops *ops, void *ctx, struct nnp_agg *a,
			const struct nnp_target *t, struct nnp_planner **out)
{
	struct nnp_planner *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->ops = ops;
	p->ctx = ctx;
	p->a = a;
	p->t = *t;
	*out = p;
	return 0;
}

void nnp_planner_free(struct nnp_planner *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nelfs; i++)
		nnp_elf_close(p->elfs[i]);
	free(p->pairs);
	nnp_ubatch_free(&p->batch);
	free(p);
}

size_t nnp_planner_sites(const struct nnp_planner *p)
{
	return p->nsites;
}

const struct nnp_target *nnp_planner_target(const struct nnp_planner *p)
{
	return &p->t;
}

static int elf_get(struct nnp_planner *p, const char *path, struct nnp_elf **out)
{
	int err;

	for (size_t i = 0; i < p->nelfs; i++) {
		if (!strcmp(nnp_elf_path(p->elfs[i]), path)) {
			*out = p->elfs[i];
			return 0;
		}
	}
	err = nnp_elf_open(path, out);
	if (err)
		return err;
	if (p->nelfs == MAX_ELFS) {
		nnp_elf_close(p->elfs[0]);
		memmove(p->elfs, p->elfs + 1, (MAX_ELFS - 1) * sizeof(p->elfs[0]));
		p->nelfs--;
	}
	p->elfs[p->nelfs++] = *out;
	return 0;
}

static int resolve_lib(struct nnp_planner *p, const char *lib, char *out, size_t len)
{
	int err;

	if (strchr(lib, '/')) {
		/* a scan's /proc/PID/map_files/... path (a deleted file, procmaps.c): kept,
		 * as realpath would follow it to the file's old name */
		if (!strncmp(lib, "/proc/", 6) && strstr(lib, "/map_files/") && strlen(lib) < len &&
		    !access(lib, R_OK)) {
			strcpy(out, lib);
			return 0;
		}
		if (!realpath(lib, out) || strlen(out) >= len) {
			err = -errno;
			nnp_err("cannot open library '%s': %s", lib, strerror(-err));
			return err;
		}
		return 0;
	}
	err = p->ops->resolve(p->ctx, &p->t, lib, out, len);
	if (!err)
		return 0;
	if (p->late_libs && err == -ENOENT) {
		p->lib_missing = true;
		if (p->t.exe) /* once: not at each look after the exec */
			nnp_info("library '%s' is not among %s's dependencies: its probes wait "
				 "for it to be loaded (dlopen)",
				 lib, p->t.exe);
		return err;
	}
	if (p->t.exe)
		nnp_err("library '%s' not found for %s (searched its dependencies)", lib, p->t.exe);
	else
		nnp_err("library '%s' is not mapped by process %d (looked in /proc/%d/maps)", lib,
			p->t.pid, p->t.pid);
	return err;
}

static enum nnp_role begin_role(enum nnp_probe_kind k)
{
	switch (k) {
	case NNP_PROBE_INFERENCE:
	case NNP_PROBE_INFER_BEGIN:
		return NNP_ROLE_INFER_BEGIN;
	case NNP_PROBE_INFER_END:
		return NNP_ROLE_INFER_END;
	case NNP_PROBE_LAYER_END:
		return NNP_ROLE_LAYER_END;
	default:
		return NNP_ROLE_LAYER_BEGIN;
	}
}

static bool has_return(const struct nnp_probe_def *d)
{
	return (d->kind == NNP_PROBE_LAYER || d->kind == NNP_PROBE_INFERENCE) && !d->entry_only;
}

/* FNV-1a of the bytes that make SP's `when` (the fetch, zero-filled around its
 * fields by spec_fill's memset, the value and the test), never 0 */
static uint32_t when_id(const struct nnp_spec *sp)
{
	const unsigned char *b = (const unsigned char *)&sp->when;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(sp->when); i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	for (int i = 0; i < 64; i += 8)
		h = (h ^ ((sp->when_val >> i) & 0xff)) * 0x100000001b3ULL;
	h = (h ^ (sp->flags & (NNP_SPEC_WHEN_EQ | NNP_SPEC_WHEN_NE))) * 0x100000001b3ULL;
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

/* the fetches of D read at its return (they read ret: probe_spec.c's check_ret)
 * or at its entry, into SP */
static void spec_fetches(struct nnp_spec *sp, const struct nnp_probe_def *d, bool at_return)
{
	unsigned ret = nnp_probe_at_return(d);

	if (!!(ret & NNP_AT_RETURN_KEY) == at_return) {
		sp->key = d->key;
		sp->key2 = d->key2;
		if (at_return)
			sp->flags |= NNP_SPEC_RET_KEY;
	}
	if (!!(ret & NNP_AT_RETURN_NAMES) == at_return) {
		sp->name = d->name;
		sp->op = d->op;
		sp->shape = d->shape;
		sp->shape_dims = d->shape_dims;
		sp->rank = d->rank;
	}
	if (!at_return)
		sp->ref = d->ref;
	if (d->when.kind != NNP_FETCH_NONE && !!(ret & NNP_AT_RETURN_WHEN) == at_return) {
		sp->flags |= d->when_ne ? NNP_SPEC_WHEN_NE : NNP_SPEC_WHEN_EQ;
		sp->when = d->when;
		sp->when_val = d->when_val;
		if (d->when_cache) {
			sp->flags |= NNP_SPEC_WHEN_CACHE;
			sp->when_id = when_id(sp);
		}
	}
}

static void spec_fill(struct nnp_spec *sp, const struct nnp_probe_def *d, uint32_t probe_id,
		      bool at_return)
{
	memset(sp, 0, sizeof(*sp));
	sp->probe_id = probe_id;
	if (at_return) {
		/* arguments are gone at return: the end pairs with the begin frame,
		 * and reads only what reads ret */
		sp->role = d->kind == NNP_PROBE_INFERENCE ? NNP_ROLE_INFER_END : NNP_ROLE_LAYER_END;
		if (d->kind == NNP_PROBE_LAYER)
			spec_fetches(sp, d, true);
		return;
	}
	sp->role = begin_role(d->kind);
	sp->flags = d->entry_only ? NNP_SPEC_ENTRY_ONLY : 0;
	spec_fetches(sp, d, false);
}

/* a probe_id shared by explicit begin/end roles of one library (and pair tag) */
static int pair_id(struct nnp_planner *p, const char *path, const char *tag, uint32_t *id)
{
	struct lib_pair *n;

	for (size_t i = 0; i < p->npairs; i++) {
		if (!strcmp(p->pairs[i].path, path) && !strcmp(p->pairs[i].tag, tag)) {
			*id = p->pairs[i].probe_id;
			return 0;
		}
	}
	n = realloc(p->pairs, (p->npairs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	p->pairs = n;
	snprintf(n[p->npairs].path, sizeof(n[p->npairs].path), "%s", path);
	snprintf(n[p->npairs].tag, sizeof(n[p->npairs].tag), "%s", tag);
	n[p->npairs].probe_id = *id = p->ops->new_probe_id(p->ctx);
	p->npairs++;
	return 0;
}

static int probe_id_for(struct nnp_planner *p, const struct nnp_probe_def *d, const char *path,
			uint32_t *id)
{
	if (d->kind == NNP_PROBE_LAYER || d->kind == NNP_PROBE_INFERENCE) {
		*id = p->ops->new_probe_id(p->ctx);
		return 0;
	}
	return pair_id(p, path, d->pair, id);
}

static int register_probe(struct nnp_planner *p, const struct nnp_probe_def *d, uint32_t id,
			  const char *label, const char *runtime)
{
	const char *name = d->name_literal[0] ? d->name_literal : label;

	int err;

	if (nnp_agg_probe(p->a, id))
		return 0;
	err = nnp_agg_add_probe(p->a, id, name, d->op_literal, runtime);
	/* user probes' keys are values like any other: 0 included (#15) */
	if (!err && d->key.kind != NNP_FETCH_NONE && p->numbered)
		err = nnp_agg_probe_keyed(p->a, id);
	return err;
}

static const char *role_name(uint8_t role)
{
	static const char *const names[] = { "?", "inference-begin", "inference-end", "layer-begin",
					     "layer-end" };

	return role <= NNP_ROLE_LAYER_END ? names[role] : "?";
}

static void log_site(uint8_t role, const char *kind, const char *path, const char *label,
		     uint64_t off, uint32_t idx, uint32_t probe_id)
{
	nnp_info("attached %s %s %s:%s (file offset 0x%llx, cookie %u, probe %u)", role_name(role),
		 kind, path, label, (unsigned long long)off, idx, probe_id);
}

/* what a hit at ST costs: the class placement chose, or that of the instruction
 * at an offset kept as given (one placement would move from is not emulated) */
static enum nnp_site_cost site_cost(const struct site *st)
{
	struct nnp_placement pl;
	int cls = st->cls;

	if (cls < 0 && !nnp_place_probe(st->path, st->off, &pl))
		cls = pl.skip ? NNP_INSN_STEPPED : (int)pl.cls;
	if (cls == NNP_INSN_STEPPED)
		return NNP_COST_STEPPED;
	return cls == NNP_INSN_EMULATED ? NNP_COST_EMULATED : NNP_COST_UNKNOWN;
}

/* one spec + one attachment (usdt), or a uprobe site planned for the next flush */
static int attach_one(struct nnp_planner *p, const struct nnp_probe_def *d, const struct site *st,
		      bool at_return)
{
	struct nnp_usite us = { .path = (char *)st->path, .label = (char *)st->label };
	struct nnp_spec sp;
	uint32_t idx;
	int err;

	spec_fill(&sp, d, st->probe_id, at_return);
	err = p->ops->add_spec(p->ctx, &sp, &idx);
	if (err) {
		nnp_err("too many probe sites (%s): raise --max-sites", strerror(-err));
		return err;
	}
	if (d->site != NNP_SITE_USDT) {
		us.pid = p->t.pid;
		us.ret = at_return;
		us.off = st->off;
		us.cookie = idx;
		us.probe_id = st->probe_id;
		us.role = sp.role;
		us.cost = at_return ? NNP_COST_RETURN : site_cost(st);
		return nnp_ubatch_add(&p->batch, &us);
	}
	err = p->ops->attach_usdt(p->ctx, idx, p->t.pid, st->path, d->provider, d->usdt_name);
	if (err) {
		nnp_err("failed to attach %s probe to %s:%s: %s", role_name(sp.role), st->path,
			st->label, strerror(-err));
		return err;
	}
	p->nsites++;
	log_site(sp.role, "usdt", st->path, st->label, st->off, idx, st->probe_id);
	return 0;
}

/* the kernel's uprobe_multi links: one for the group, released with one wait */
static int attach_multi(struct nnp_planner *p, const struct nnp_usite *g, size_t n)
{
	uint64_t *offs = malloc(n * sizeof(*offs)), *cookies = malloc(n * sizeof(*cookies));
	int err = -ENOMEM;

	if (!offs || !cookies)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		offs[i] = g[i].off;
		cookies[i] = g[i].cookie;
	}
	err = p->ops->attach_uprobes(p->ctx, g->pid, g->path, offs, cookies, n, g->ret);
	if (err)
		nnp_err("failed to attach %zu %s to %s as one uprobe_multi link: %s "
			"(NNPERF_FORCE=no-uprobe-multi attaches them one by one)",
			n, g->ret ? "uretprobes" : "uprobes", g->path, strerror(-err));
	else
		nnp_info("uprobe_multi link: %zu %s on %s", n, g->ret ? "uretprobes" : "uprobes",
			 g->path);
cleanup:
	free(offs);
	free(cookies);
	return err;
}

static int attach_group(void *ctx, const struct nnp_usite *g, size_t n)
{
	struct nnp_planner *p = ctx;
	const char *kind = g->ret ? "uretprobe" : "uprobe";
	bool multi = p->ops->uprobe_multi(p->ctx);
	int err = multi ? attach_multi(p, g, n) : 0;

	/* per-site links one by one; either way each site is counted and logged */
	for (size_t i = 0; i < n && !err; i++) {
		if (!multi)
			err = p->ops->attach_uprobe(p->ctx, g[i].cookie, g[i].pid, g[i].path,
						    g[i].off, g[i].ret);
		if (err) {
			nnp_err("failed to attach %s probe to %s:%s: %s", role_name(g[i].role),
				g[i].path, g[i].label, strerror(-err));
			break;
		}
		p->nsites++;
		if (p->ops->site_cost)
			p->ops->site_cost(p->ctx, g[i].cookie, g[i].cost);
		log_site(g[i].role, kind, g[i].path, g[i].label, g[i].off, g[i].cookie,
			 g[i].probe_id);
	}
	return err;
}

void nnp_planner_defer(struct nnp_planner *p)
{
	p->defer = true;
}

int nnp_planner_flush(struct nnp_planner *p)
{
	int err;

	p->defer = false;
	err = nnp_ubatch_flush(&p->batch, attach_group, p);
	/* a batch of attaches is over: nothing decodes until the next one */
	nnp_capstone_release();
	return err;
}

static int attach_site(struct nnp_planner *p, const struct nnp_probe_def *d, struct site *st,
		       const char *runtime)
{
	int err;

	err = probe_id_for(p, d, st->path, &st->probe_id);
	if (!err)
		err = register_probe(p, d, st->probe_id, st->label, runtime);
	if (err)
		return err;
	/* the return first (the flush keeps this order): a call entering between
	 * the two attachments then gives an unmatched end (counted, harmless)
	 * rather than a begin that never ends, which would hold a running
	 * process's inference depth above zero for good under -p */
	if (has_return(d) && d->site != NNP_SITE_USDT)
		err = attach_one(p, d, st, true);
	if (!err)
		err = attach_one(p, d, st, false);
	return err;
}

struct match_ctx {
	struct nnp_planner *p;
	const struct nnp_probe_def *d;
	const char *path;
	const char *runtime;
	int err;
};

/* the first instruction the kernel emulates, if reachable without moving past
 * anything the probe reads (placement.h); an explicit +OFF, even +0, is kept as given */
static void place(struct site *st, const char *label)
{
	struct nnp_placement pl;

	if (nnp_place_probe(st->path, st->off, &pl))
		return;
	st->off += pl.skip;
	st->cls = (int)pl.cls;
	if (pl.cls == NNP_INSN_REJECTED)
		nnp_warn("site %s+%u: %s (%s)", label, pl.skip, pl.mnemonic,
			 nnp_insn_class_str(pl.cls));
	else
		nnp_info("site %s+%u: %s (%s)", label, pl.skip, pl.mnemonic,
			 nnp_insn_class_str(pl.cls));
}

/* -v's cost line for a site an explicit +OFF keeps where it is */
static void describe_kept(const struct site *st, const char *label, uint64_t at)
{
	struct nnp_placement pl;

	if (nnp_place_probe(st->path, st->off, &pl))
		return;
	if (!pl.skip)
		nnp_info("site %s+%llu (kept as given): %s (%s)", label, (unsigned long long)at,
			 pl.mnemonic, nnp_insn_class_str(pl.cls));
	else
		nnp_info("site %s+%llu (kept as given): not emulated (%s); +%llu would be %s",
			 label, (unsigned long long)at, nnp_insn_class_str(NNP_INSN_STEPPED),
			 (unsigned long long)(at + pl.skip), pl.mnemonic);
}

static int on_symbol(const struct nnp_sym *sym, void *arg)
{
	struct match_ctx *m = arg;
	char label[512];
	struct site st = {
		.path = m->path, .off = sym->file_off + m->d->offset, .label = label, .cls = -1
	};
	const char *name = sym->demangled ? sym->demangled : sym->name;

	snprintf(label, sizeof(label), "%.*s", (int)strcspn(name, "("), name);
	/* pc is the address written: a probe that reads it stays there */
	if (!m->d->has_offset && !nnp_probe_uses_pc(m->d))
		place(&st, label);
	else
		describe_kept(&st, label, m->d->offset);
	m->err = attach_site(m->p, m->d, &st, m->runtime);
	return m->err;
}

static int attach_symbols(struct nnp_planner *p, const struct nnp_probe_def *d, const char *path,
			  const char *runtime)
{
	struct match_ctx m = { .p = p, .d = d, .path = path, .runtime = runtime };
	char why[256] = "";
	struct nnp_elf *e;
	int n, err = elf_get(p, path, &e);

	if (err) {
		/* what is wrong with a malformed one, "not an ELF file" for the rest */
		if (err != -ENOEXEC)
			snprintf(why, sizeof(why), "%s", strerror(-err));
		else if (nnp_elf_check(path, why, sizeof(why)) != -ENOEXEC)
			snprintf(why, sizeof(why), "not an ELF file");
		nnp_err("cannot read symbols of %s: %s", path, why);
		return err;
	}
	n = nnp_elf_match(e, d->symbol, on_symbol, &m);
	if (n < 0 && !m.err && !p->optional) /* an adapter's scan reports the file itself */
		nnp_err("cannot read symbols of %s: %s", path,
			n == -ENOEXEC ? "malformed symbol table" : strerror(-n));
	if (n < 0 || m.err)
		return m.err ? m.err : n;
	if (n > 0)
		return 0;
	if (p->optional)
		nnp_info("%s: no '%s' in %s (not in this build)", d->origin, d->symbol, path);
	else if (nnp_elf_is_stripped(e))
		nnp_err("%s is stripped: no symbol table to find '%s' in (%s)", path, d->symbol,
			d->origin);
	else
		nnp_err("no function matches '%s' in %s (%s)", d->symbol, path, d->origin);
	return -ENOENT;
}

static int attach_offset(struct nnp_planner *p, const struct nnp_probe_def *d, const char *path,
			 const char *runtime)
{
	char label[64];
	struct site st = { .path = path, .off = d->offset, .label = label, .cls = -1 };

	snprintf(label, sizeof(label), "0x%llx", (unsigned long long)d->offset);
	if (d->pair[0]) /* an adapter's pair: named after what it measures, kept as it chose */
		snprintf(label, sizeof(label), "%s", d->pair);
	else if (!nnp_probe_uses_pc(d)) /* a function's start by hand: placed as a symbol's is */
		place(&st, label);
	return attach_site(p, d, &st, runtime);
}

static int attach_usdt(struct nnp_planner *p, const struct nnp_probe_def *d, const char *path,
		       const char *runtime)
{
	char label[160];
	struct site st = { .path = path, .label = label, .cls = -1 };

	snprintf(label, sizeof(label), "%s:%s", d->provider, d->usdt_name);
	return attach_site(p, d, &st, runtime);
}

static int attach_def(struct nnp_planner *p, const struct nnp_probe_def *d, const char *runtime)
{
	char path[PATH_MAX];
	int err;

	if (d->kind == NNP_PROBE_INFERENCE && d->entry_only) {
		nnp_err("%s: an inference probe needs its return (mode=entry-only is for layers)",
			d->origin);
		return -EINVAL;
	}
	if (d->site == NNP_SITE_USDT && has_return(d)) {
		nnp_err("%s: a USDT site has no return: use layer-begin/layer-end or "
			"mode=entry-only",
			d->origin);
		return -EINVAL;
	}
	err = resolve_lib(p, d->lib, path, sizeof(path));
	if (err)
		return err;
	switch (d->site) {
	case NNP_SITE_SYMBOL:
		return attach_symbols(p, d, path, runtime);
	case NNP_SITE_OFFSET:
		return attach_offset(p, d, path, runtime);
	case NNP_SITE_USDT:
		return attach_usdt(p, d, path, runtime);
	}
	return -EINVAL;
}

int nnp_planner_attach(struct nnp_planner *p, const struct nnp_probe_def *d, const char *runtime)
{
	size_t planned = p->batch.n;
	int err = attach_def(p, d, runtime);

	if (err)
		nnp_ubatch_drop(&p->batch, planned);
	else if (!p->defer)
		err = nnp_planner_flush(p);
	return err;
}

int nnp_planner_attach_optional(struct nnp_planner *p, const struct nnp_probe_def *d,
				const char *runtime)
{
	int err;

	p->optional = true;
	err = nnp_planner_attach(p, d, runtime);
	p->optional = false;
	return err;
}

int nnp_planner_attach_user(struct nnp_planner *p, const struct nnp_probe_def *d,
			    const char *runtime)
{
	int err;

	p->numbered = true;
	err = nnp_planner_attach_optional(p, d, runtime);
	p->numbered = false;
	return err;
}

static bool def_is_end(const struct nnp_probe_def *d)
{
	return d->kind == NNP_PROBE_LAYER_END || d->kind == NNP_PROBE_INFER_END;
}

/* definition i of a set; with pending, a library not loaded yet makes it wait */
static int attach_member(struct nnp_planner *p, const struct nnp_probe_def *d, const char *runtime,
			 bool *pending)
{
	int err;

	p->lib_missing = false;
	err = nnp_planner_attach(p, d, runtime);
	if (pending)
		*pending = err == -ENOENT && p->lib_missing;
	return pending && *pending ? 0 : err;
}

int nnp_planner_attach_set(struct nnp_planner *p, const struct nnp_probe_def *defs,
			   const char **runtimes, size_t n, bool *pending)
{
	int err = 0;

	nnp_planner_defer(p);
	p->late_libs = pending != NULL;
	p->numbered = true;
	/* end sites before begin sites (a begin must never miss its end) */
	for (int ends = 1; ends >= 0; ends--)
		for (size_t i = 0; !err && i < n; i++)
			if (def_is_end(&defs[i]) == ends)
				err = attach_member(p, &defs[i], runtimes[i],
						    pending ? &pending[i] : NULL);
	p->late_libs = false;
	p->numbered = false;
	return err ? err : nnp_planner_flush(p);
}

void nnp_planner_execd(struct nnp_planner *p)
{
	p->t.exe = NULL;
}

void nnp_planner_drop(struct nnp_planner *p)
{
	nnp_ubatch_drop(&p->batch, 0);
}

int nnp_planner_attach_spec(struct nnp_planner *p, const struct nnp_spec *sp, const char *path,
			    uint64_t file_off)
{
	uint32_t idx;
	int err = p->ops->add_spec(p->ctx, sp, &idx);

	if (!err)
		err = p->ops->attach_uprobe(p->ctx, idx, p->t.pid, path, file_off, false);
	return err;
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * From probe definitions to attached sites: resolves each LIB in the target,
 * each SYMBOL (glob) to file offsets, turns every site into specs in the BPF
 * table (begin at entry, end at return unless entry-only) and attaches them.
 * Which files get which definitions is runtime/scan.h's business.
 */
#ifndef NNP_PLANNER_H
#define NNP_PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "agg.h"
#include "probe_spec.h"
#include "session.h"

struct nnp_target {
	pid_t pid;	 /* process the probes are for */
	const char *exe; /* launched and not yet exec'ed: its executable; NULL for -p */
};

struct nnp_planner;

/*
 * What the planner asks of the kernel side and of the target's files: the BPF
 * session (planner_session.c) in nnperf, a fake in tests/unit/test_planner.c.
 * CTX is the session. Each returns 0 or -errno (no message: the planner says).
 */
struct nnp_planner_ops {
	/* a spec into the BPF table; its index, the BPF cookie, in *idx */
	int (*add_spec)(void *ctx, const struct nnp_spec *spec, uint32_t *idx);
	uint32_t (*new_probe_id)(void *ctx);
	/* sites of one file and direction go as one uprobe_multi link */
	bool (*uprobe_multi)(void *ctx);
	int (*attach_uprobe)(void *ctx, uint32_t idx, pid_t pid, const char *path, uint64_t off,
			     bool ret);
	int (*attach_uprobes)(void *ctx, pid_t pid, const char *path, const uint64_t *offs,
			      const uint64_t *cookies, size_t n, bool ret);
	int (*attach_usdt)(void *ctx, uint32_t idx, pid_t pid, const char *path,
			   const char *provider, const char *name);
	/* what a hit of the uprobe site of spec IDX costs (enum nnp_site_cost); may be NULL */
	void (*site_cost)(void *ctx, uint32_t idx, uint8_t cost);
	/* a library name (no '/') as the target loads it: the file's path in out */
	int (*resolve)(void *ctx, const struct nnp_target *t, const char *lib, char *out,
		       size_t len);
};

/* the session's operations */
extern const struct nnp_planner_ops nnp_planner_session_ops;

int nnp_planner_new_ops(const struct nnp_planner_ops *ops, void *ctx, struct nnp_agg *a,
			const struct nnp_target *t, struct nnp_planner **out);
/* nnp_planner_new_ops with the session */
int nnp_planner_new(struct nnp_session *s, struct nnp_agg *a, const struct nnp_target *t,
		    struct nnp_planner **out);
void nnp_planner_free(struct nnp_planner *p);
/* attaches one definition; prints one error line and returns -errno on failure */
int nnp_planner_attach(struct nnp_planner *p, const struct nnp_probe_def *d, const char *runtime);
/* the same for a runtime adapter's definition: a symbol missing from this build of
 * the library is -ENOENT after an info line, not an error line */
int nnp_planner_attach_optional(struct nnp_planner *p, const struct nnp_probe_def *d,
				const char *runtime);
/* the same for a spec file's definition in a runtime of its own: its keys are
 * numbered like those of --probe and --spec (key 0 too) */
int nnp_planner_attach_user(struct nnp_planner *p, const struct nnp_probe_def *d,
			    const char *runtime);
/*
 * A set of definitions: after nnp_planner_defer, nnp_planner_attach only plans
 * uprobe sites, and nnp_planner_flush attaches all of them (every return before
 * any entry), one uprobe_multi link per file and direction where the kernel has
 * them. Flush: 0 or -errno after one error line.
 */
void nnp_planner_defer(struct nnp_planner *p);
int nnp_planner_flush(struct nnp_planner *p);
/*
 * --probe and --spec: the n definitions (runtimes[i]: def i's runtime label) as one
 * deferred set, end sites first; 0 or -errno after one error line. With pending
 * (n flags), a definition whose library the target has not loaded yet is no error:
 * pending[i] says it waits (an info line), to be attached again when the loader
 * maps more (nnp_planner_execd first, so that its maps are read).
 */
int nnp_planner_attach_set(struct nnp_planner *p, const struct nnp_probe_def *defs,
			   const char **runtimes, size_t n, bool *pending);
/* a launched target has exec'd: libraries are looked for in its maps from now on */
void nnp_planner_execd(struct nnp_planner *p);
/* forgets the sites planned since the last flush */
void nnp_planner_drop(struct nnp_planner *p);
/* a spec of nnperf's own (the dynamic loader watch) on FILE_OFF of PATH, attached now;
 * 0 or -errno (the caller says what failed) */
int nnp_planner_attach_spec(struct nnp_planner *p, const struct nnp_spec *sp, const char *path,
			    uint64_t file_off);
/* sites attached so far */
size_t nnp_planner_sites(const struct nnp_planner *p);
const struct nnp_target *nnp_planner_target(const struct nnp_planner *p);

#endif

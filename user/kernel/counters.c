// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>

#include "counters.h"
#include "log.h"

struct counter_def {
	const char *name;
	__u32 type;
	__u64 config;
};

#define HW_CACHE(c, op, res) ((c) | ((op) << 8) | ((res) << 16))

static const struct counter_def defs[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "llc-misses", PERF_TYPE_HW_CACHE,
	  HW_CACHE(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ,
		   PERF_COUNT_HW_CACHE_RESULT_MISS) },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
};

static const struct counter_def *def_of(const char *name)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

bool nnp_counter_known(const char *name)
{
	return def_of(name) != NULL;
}

static bool def_is_hw(const struct counter_def *d)
{
	return d->type == PERF_TYPE_HARDWARE || d->type == PERF_TYPE_HW_CACHE;
}

bool nnp_counter_is_hw(const char *name)
{
	const struct counter_def *d = def_of(name);

	return d && def_is_hw(d);
}

const char *nnp_counter_hw_name(int i)
{
	for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++)
		if (def_is_hw(&defs[k]) && i-- == 0)
			return defs[k].name;
	return NULL;
}

int nnp_counter_try(const char *name)
{
	const struct counter_def *d = def_of(name);
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.disabled = 1,
		/* user space only keeps the try valid at perf_event_paranoid 2 */
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	long fd;

	if (!d)
		return -EINVAL;
	attr.type = d->type;
	attr.config = d->config;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

void nnp_counter_hw_why(char *buf, size_t len, const char *name, int err, bool pmu_exists)
{
	bool unsupported = err == -ENOENT || err == -EOPNOTSUPP;

	if (unsupported && pmu_exists)
		snprintf(buf, len, "this PMU has no %s event", name);
	else if (unsupported)
		snprintf(buf, len, "no hardware PMU");
	else
		snprintf(buf, len, "perf_event_open: %s", strerror(-err));
}

const char *nnp_counters_default(void)
{
	return "cache-misses,instructions,cycles";
}

int nnp_counters_parse(struct nnp_counters *c, const char *list)
{
	const char *p = list;

	memset(c, 0, sizeof(*c));
	while (*p) {
		size_t len = strcspn(p, ",");
		struct nnp_counter_req *r = &c->req[c->nreq];

		if (len && c->nreq == NNP_MAX_REQUESTED) {
			nnp_err("--counters: at most %d counters", NNP_MAX_REQUESTED);
			return -EINVAL;
		}
		if (len >= sizeof(r->name) || (len && !nnp_counter_known(strndupa(p, len)))) {
			nnp_err("--counters: unknown counter '%.*s' (known: cycles, instructions, "
				"cache-misses, cache-references, branch-misses, llc-misses, "
				"page-faults, minor-faults, major-faults, context-switches, "
				"cpu-migrations, cpu-clock)",
				(int)len, p);
			return -EINVAL;
		}
		if (len) {
			memcpy(r->name, p, len);
			r->slot = -1;
			c->nreq++;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

static int perf_open(const struct counter_def *d, int cpu)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = d->type,
		.config = d->config,
	};
	long fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

/* opens counter D on every CPU into fds[]; 0 if at least one CPU works */
static int open_on_cpus(const struct counter_def *d, int *fds, int ncpu)
{
	int err = -ENODEV, opened = 0;

	for (int cpu = 0; cpu < ncpu; cpu++) {
		fds[cpu] = perf_open(d, cpu);
		if (fds[cpu] >= 0)
			opened++;
		else if (fds[cpu] != -ENODEV) /* offline CPUs give ENODEV */
			err = fds[cpu];
	}
	return opened ? 0 : err;
}

static void open_one(struct nnp_counters *c, struct nnp_counter_req *r, const char *hw_off)
{
	const struct counter_def *d = def_of(r->name);
	bool hw = def_is_hw(d);
	int *fds = c->fds + c->nslots * c->ncpu;
	char why[64];
	int err;

	if (hw && hw_off) {
		snprintf(r->why, sizeof(r->why), "n/a (%s)", hw_off);
		return;
	}
	if (c->nslots == NNP_MAX_COUNTERS) {
		snprintf(r->why, sizeof(r->why), "n/a (at most %d counters)", NNP_MAX_COUNTERS);
		return;
	}
	err = open_on_cpus(d, fds, c->ncpu);
	if (err) {
		for (int cpu = 0; cpu < c->ncpu; cpu++)
			if (fds[cpu] >= 0)
				close(fds[cpu]);
		if (hw)
			nnp_counter_hw_why(why, sizeof(why), r->name, err, true);
		else
			snprintf(why, sizeof(why), "perf: %s", strerror(-err));
		snprintf(r->why, sizeof(r->why), "n/a (%s)", why);
		return;
	}
	r->slot = c->nslots++;
}

int nnp_counters_open(struct nnp_counters *c, const char *hw_off)
{
	c->ncpu = libbpf_num_possible_cpus();
	if (c->ncpu <= 0)
		return c->ncpu ? c->ncpu : -EINVAL;
	c->fds = malloc(sizeof(int) * NNP_MAX_COUNTERS * c->ncpu);
	if (!c->fds)
		return -ENOMEM;
	for (int i = 0; i < NNP_MAX_COUNTERS * c->ncpu; i++)
		c->fds[i] = -1;
	for (int i = 0; i < c->nreq; i++)
		open_one(c, &c->req[i], hw_off);
	return 0;
}

void nnp_counters_close(struct nnp_counters *c)
{
	for (int i = 0; c->fds && i < NNP_MAX_COUNTERS * c->ncpu; i++)
		if (c->fds[i] >= 0)
			close(c->fds[i]);
	free(c->fds);
	c->fds = NULL;
	c->nslots = 0;
}

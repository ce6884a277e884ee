/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The aggregator: turns ring-buffer events (bpf/nnperf_abi.h) into per
 * process, per layer statistics. Memory is bounded by max_procs/max_layers;
 * what does not fit is counted in `evicted`/`dropped_layers`, never silently lost.
 */
#ifndef NNP_AGG_H
#define NNP_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

#include "decode.h"
#include "hist.h"
#include "nnperf_abi.h"

/* What user space knows about a probe_id: its label (symbol or USDT name). */
struct nnp_probe_info {
	uint32_t probe_id;
	char label[128];     /* e.g. "tinynet_conv2d" or "nnperf:layer_begin" */
	char op[NNP_OP_LEN]; /* default op for layers of this probe ("" = label) */
	char runtime[32];    /* adapter that made it: "usdt", "probe", "spec", ... */
	/* its layers are told apart by a key the probe reads (key=...): key 0 is one of
	 * them, numbered like the rest; without, key 0 is the probe's one layer */
	bool keyed;
	/* --overhead-budget: its calls were measured in 1/scale of the time (1: all);
	 * estimates of all calls multiply by it (nnp_agg_scale) */
	double scale;
	UT_hash_handle hh;
};

struct nnp_pending_name;
struct nnp_probe_keys;

struct nnp_layer_key {
	uint32_t probe_id;
	uint32_t pad;
	uint64_t key;
};

/* Kernel signals (struct nnp_ksig) summed over calls */
struct nnp_ksig_sum {
	uint64_t offcpu_ns, runq_ns, fault_ns;
	uint64_t vcsw, ivcsw, minflt, majflt, migrations;
	uint64_t counters[NNP_MAX_COUNTERS]; /* by slot: see struct nnp_counters */
};

/* A task that preempted the process's threads inside inferences */
struct nnp_preemptor {
	uint32_t pid; /* thread id of the task that ran instead */
	uint32_t tgid;
	char comm[NNP_COMM_LEN];
	uint64_t count;
	uint64_t total_ns; /* how long the preempted threads waited to run again */
	UT_hash_handle hh;
};

#define NNP_MAX_PREEMPTORS 256

struct nnp_layer_stats {
	struct nnp_layer_key id;
	char name[NNP_NAME_LEN + 16]; /* from a name event, else label or label#N */
	char op[NNP_OP_LEN];
	uint64_t order;		       /* first-seen order within the process */
	struct nnp_hist hist;	       /* inclusive duration of each call, ns */
	uint64_t self_ns;	       /* sum of durations minus nested probed layers */
	uint64_t in_infer;	       /* calls that ran inside an inference */
	bool named;		       /* name came from a name event (a default name may change) */
	char raw_name[NNP_NAME_LEN];   /* the name event's text where name shows it otherwise */
	uint8_t shape_dims;	       /* 0: no shape read */
	int64_t shape[NNP_SHAPE_DIMS]; /* read with the name, at the key's first call */
	struct nnp_ksig_sum k;	       /* what the kernel did during these calls */
	/* agg_nest.c: the layer it first ran inside, and how many calls ran inside one */
	struct nnp_layer_key parent;
	bool has_parent;
	uint64_t nested;  /* calls at depth > 0: inside another probed layer */
	uint32_t scratch; /* nnp_agg_sorted_layers' own use */
	/* agg_order.c: where its first call inside an inference started in it, once
	 * that inference's event came (exec_placed); the call until then */
	uint64_t exec_ns;
	uint64_t exec_seq, exec_start_ns; /* exec_seq 0: no call waits */
	uint32_t exec_tid;
	bool exec_placed;
	UT_hash_handle hh;
};

struct nnp_nest_thread;

struct nnp_proc_stats {
	uint32_t tgid;
	char comm[16];
	bool exited;
	struct nnp_hist infer;		  /* inference durations, ns */
	struct nnp_ksig_sum infer_k;	  /* kernel signals summed over inferences */
	struct nnp_preemptor *preemptors; /* uthash by pid, at most NNP_MAX_PREEMPTORS */
	size_t npreemptors;
	uint64_t preempt_other_count, preempt_other_ns; /* beyond the bound */
	bool real_infer;				/* it sent inference events: no periods */
	struct nnp_period_thread *periods;		/* agg_period.c, uthash by tid */
	uint64_t period_infers;				/* inferences found from periods */
	uint64_t layer_events;
	uint64_t nlayers;
	uint64_t first_ns, last_ns;	/* first and last event time seen */
	struct nnp_layer_stats *layers; /* uthash by id */
	uint64_t next_order;
	struct nnp_pending_name *pending;  /* names whose layer has not run yet (agg.c) */
	size_t npending;		   /* bounded by max_layers */
	struct nnp_probe_keys *probe_keys; /* distinct keys per probe, for label#N (agg.c) */
	struct nnp_nest_thread *nest;	   /* agg_nest.c: nested layers per thread, by tid */
	size_t nnest;
	uint64_t exec_waiting; /* agg_order.c: layers whose call waits for its inference */
	UT_hash_handle hh;
};

struct nnp_node_names;

struct nnp_agg_opts {
	size_t max_procs;  /* 0 = 1024 */
	size_t max_layers; /* per process; 0 = 65536 */
	uint32_t sample;   /* --sample N: layer events are one outermost call in N; 0, 1: all */
	/* --node-names: ONNX Runtime node names by NodeIndex (NULL: none); not owned */
	const struct nnp_node_names *node_names;
};

struct nnp_agg {
	struct nnp_agg_opts opts;
	struct nnp_probe_info *probes; /* uthash by probe_id */
	struct nnp_proc_stats *procs;  /* uthash by tgid */
	uint64_t events;	       /* records consumed */
	uint64_t bad_events;	       /* records too short or of unknown type */
	uint64_t dropped_layers;       /* layers not tracked because of max_layers */
	uint64_t evicted_procs;	       /* processes dropped because of max_procs */
	uint64_t refused_events; /* records of new processes refused: max_procs, none exited */
	uint64_t dropped_names;	 /* name events not kept: max_layers pending names */
	/* processes without inference events get inferences from the period of
	 * their outermost layers (agg_period.c); set when such a runtime is found */
	bool infer_by_period;
};

/* Layer histograms hold the measured calls; outputs scale counts and totals
 * by this where they estimate all calls (docs/recording-format.md) */
static inline uint32_t nnp_agg_sample(const struct nnp_agg *a)
{
	return a->opts.sample > 1 ? a->opts.sample : 1;
}

/* what estimates of all of L's calls multiply its measured calls by: --sample
 * times its probe's scale (--overhead-budget) */
double nnp_agg_scale(const struct nnp_agg *a, const struct nnp_layer_stats *l);
/* its probe's scale alone */
double nnp_agg_probe_scale(const struct nnp_agg *a, const struct nnp_layer_stats *l);

int nnp_agg_init(struct nnp_agg *a, const struct nnp_agg_opts *opts);
void nnp_agg_free(struct nnp_agg *a);
int nnp_agg_add_probe(struct nnp_agg *a, uint32_t probe_id, const char *label, const char *op,
		      const char *runtime);
const struct nnp_probe_info *nnp_agg_probe(const struct nnp_agg *a, uint32_t probe_id);
/* a registered probe reads a key (nnp_probe_info.keyed); 0 or -ENOENT */
int nnp_agg_probe_keyed(struct nnp_agg *a, uint32_t probe_id);
/* one ring-buffer record; 0, -EINVAL (counted in bad_events) or -ENOMEM */
int nnp_agg_event(struct nnp_agg *a, const void *data, size_t size);
/* the same for a record nnp_event_decode() already read; NULL: one it refused */
int nnp_agg_apply(struct nnp_agg *a, const union nnp_event *ev);
/*
 * Overrides the comm read from /proc/TGID/comm when the process was first
 * seen; 0 or -ENOENT if the process is not tracked.
 */
int nnp_agg_set_comm(struct nnp_agg *a, uint32_t tgid, const char *comm);
/* mark a process as exited (its stats stay) */
void nnp_agg_proc_exited(struct nnp_agg *a, uint32_t tgid);
/* forget a process and its stats (an exporter drops the series of exited processes) */
void nnp_agg_proc_remove(struct nnp_agg *a, uint32_t tgid);
struct nnp_proc_stats *nnp_agg_proc(struct nnp_agg *a, uint32_t tgid);
/* preemptors of a process, most time first; *out is malloc'ed, caller frees */
int nnp_agg_sorted_preemptors(const struct nnp_proc_stats *p, struct nnp_preemptor ***out,
			      size_t *n);
void nnp_ksig_add(struct nnp_ksig_sum *s, const struct nnp_ksig *k);
/* agg_period.c: an outermost layer of a process without inference events */
int nnp_agg_period_layer(struct nnp_agg *a, struct nnp_proc_stats *p,
			 const struct nnp_layer_event *e);
/* ends the open period inferences of process TGID (0: of all), when it
 * exited or the recording ends */
void nnp_agg_period_flush(struct nnp_agg *a, uint32_t tgid);
void nnp_agg_period_free(struct nnp_proc_stats *p);
/* agg_kernel.c: a preemption event; 0 or -errno */
int nnp_agg_preempt(struct nnp_agg *a, struct nnp_proc_stats *p, const struct nnp_preempt_event *e);
void nnp_agg_free_preemptors(struct nnp_proc_stats *p);
/* agg_order.c: layers of a process in execution order: layers that ran inside
 * an inference by where their first call inside one started in it, then the
 * others in first-seen order; each nested layer right after the layer it runs
 * inside (see nnp_agg_layer_depth); *out is malloc'ed, caller frees */
int nnp_agg_sorted_layers(const struct nnp_proc_stats *p, struct nnp_layer_stats ***out, size_t *n);
/* agg_order.c: a call of L (event E), and an inference event: place layers in it */
void nnp_agg_order_layer(struct nnp_proc_stats *p, struct nnp_layer_stats *l,
			 const struct nnp_layer_event *e);
void nnp_agg_order_infer(struct nnp_proc_stats *p, const struct nnp_infer_event *e);
/* agg_nest.c: finds which layer E ran inside (its children end before it, on its
 * thread, one level deeper); 0 or -ENOMEM */
int nnp_agg_nest_layer(struct nnp_proc_stats *p, const struct nnp_layer_event *e,
		       struct nnp_layer_stats *l);
void nnp_agg_nest_free(struct nnp_proc_stats *p);
/* puts V (N layers in execution order) in tree order: children after their
 * parent, parents cycling through each other as roots; 0 or -ENOMEM */
int nnp_agg_tree_order(const struct nnp_proc_stats *p, struct nnp_layer_stats **v, size_t n);
/* 0 for an outermost layer, 1 inside one, ...; at most NNP_AGG_MAX_NEST */
unsigned int nnp_agg_layer_depth(const struct nnp_proc_stats *p, const struct nnp_layer_stats *l);
/* the layer L first ran inside, or NULL */
const struct nnp_layer_stats *nnp_agg_layer_parent(const struct nnp_proc_stats *p,
						   const struct nnp_layer_stats *l);
#define NNP_AGG_MAX_NEST 8

#endif

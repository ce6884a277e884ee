/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What `nnperf diff` compares: one side (A or B) read from one or more
 * recordings. Every process of every recording is merged into one profile,
 * layers by (name, op, occurrence), so a side may be N runs of a command
 * (`nnperf compare`) or a multi-process recording.
 */
#ifndef NNP_DIFF_PROFILE_H
#define NNP_DIFF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

struct json_object;

/* A layer's identity "name\x1fop\x1foccurrence" -> its index in diff_profile.layers. */
struct diff_layer_index {
	char *key;
	size_t idx;
	UT_hash_handle hh;
};

/* Percentiles of each run, until diff_profile_finish takes their median. */
struct diff_runs {
	double *v;
	size_t n;
};

/* A distribution from a recording; NAN marks what is null or missing (unknown). */
struct diff_dist {
	uint64_t count;
	double total_ns;
	double mean_ns; /* total / count: exact, unlike the rounded mean_ns */
	double sd_ns;	/* NAN when unknown: count < 2, or written before stddev_ns */
	double min_ns, max_ns;
	double p50_ns, p90_ns, p99_ns;
	double m2;		 /* sum of squared deviations from the mean, to combine runs */
	bool sd_unknown;	 /* a run with count >= 2 had no stddev_ns */
	struct diff_runs pct[3]; /* p50, p90, p99 of each run */
	struct diff_runs means;	 /* each run's mean, until diff_profile_finish */
	unsigned int units;	 /* runs (processes) the distribution was seen in */
	double unit_sd_ns;	 /* sd of the runs' means; NAN with fewer than 2 runs */
};

/* A numeric member of a layer's "kernel" object; null = not measured (n/a). */
struct diff_kfield {
	char *key;
	bool null;
	double value;
	double weight; /* executions behind value, to combine runs */
};

struct diff_layer {
	char *name;
	char *op;
	unsigned int occurrence; /* earlier layers with the same name and op */
	unsigned int depth;	 /* nesting: 0 outermost, 1 inside another layer, ... */
	struct diff_dist d;
	double self_ns;	  /* total self time, scaled by each recording's "sample" */
	double calls_est; /* calls, scaled the same way */
	struct diff_kfield *kernel;
	size_t nkernel;
};

struct diff_profile {
	char *label;   /* what the user named it: a file, or "CMD (N runs)" */
	char *command; /* of the first recording, NULL if attached with -p */
	unsigned int runs;
	struct diff_dist infer;
	uint64_t lost_events;
	struct diff_layer *layers; /* in first-seen order */
	size_t nlayers;
	size_t cap;
	struct diff_layer_index *index; /* (name, op, occurrence) -> layer: diff_profile.c */
};

/* An empty profile named label; 0 or -ENOMEM. */
int diff_profile_init(struct diff_profile *p, const char *label);
void diff_profile_free(struct diff_profile *p);
/*
 * Adds one parsed recording. Returns 0, -ENOMEM, or -EINVAL with one line in
 * err for a document that is not shaped like a recording.
 */
int diff_profile_add(struct diff_profile *p, struct json_object *rec, char *err, size_t errlen);
/* Reads path with nnp_recording_read and adds it; errors as above. */
int diff_profile_load(struct diff_profile *p, const char *path, char *err, size_t errlen);
/*
 * Finishes a profile after all adds: percentiles become the median of the
 * runs' percentiles, and the spread of the runs' means is kept for intervals
 * over runs. 0 or -ENOMEM.
 */
int diff_profile_finish(struct diff_profile *p);
/* calls per inference of a layer (NAN without inferences) */
double diff_calls_per_infer(const struct diff_profile *p, const struct diff_layer *l);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line, run and report of the tinynet executable. */
#ifndef TINYNET_CLI_H
#define TINYNET_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "tinynet.h"

struct tinynet_opts {
	enum tinynet_variant variant;
	uint64_t iterations;
	unsigned threads;
	uint64_t seed;
	const char *sleep_layer;
	unsigned sleep_us;
	const char *touch_layer;
	unsigned touch_pages;
	unsigned start_delay_ms;
	bool wait_stdin;
	bool self_profile;
	const char *profile_out; /* NULL: stderr */
	bool list_layers;
	bool help;
};

/* Totals over all threads of one run. */
struct tinynet_result {
	uint64_t total_ns;
	uint64_t checksum;
	uint64_t infer_ns, infer_min_ns, infer_max_ns;
	uint64_t layer_ns[TINYNET_MAX_LAYERS];
	uint64_t layer_calls[TINYNET_MAX_LAYERS];
	uint64_t layer_min_ns[TINYNET_MAX_LAYERS];
	uint64_t layer_max_ns[TINYNET_MAX_LAYERS];
};

/* "nnperf-tinynet: error: ...", one line on stderr */
void tinynet_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli.c: 0, or -EINVAL after printing why */
int tinynet_opts_parse(int argc, char **argv, struct tinynet_opts *o);
void tinynet_usage(FILE *f);

/* run.c */
int tinynet_run(const struct tinynet_model *m, const struct tinynet_opts *o,
		struct tinynet_result *r);
int tinynet_main_run(const struct tinynet_opts *o);

/* report.c */
int tinynet_profile_write(const struct tinynet_model *m, const struct tinynet_opts *o,
			  const struct tinynet_result *r, FILE *f);
int tinynet_list_layers(uint64_t seed);

#endif

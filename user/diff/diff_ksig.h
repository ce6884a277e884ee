/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel signals of a diff as a table of layers by signal: per call, A, B
 * and B/A, each signal with its unit (ns, counts, ratios), and only those
 * measured on some side. Shared by the text, JSON and HTML writers.
 */
#ifndef NNP_DIFF_KSIG_H
#define NNP_DIFF_KSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diff_result.h"

enum diff_ksig_unit { DIFF_KSIG_NS, DIFF_KSIG_COUNT, DIFF_KSIG_RATIO };

enum diff_ksig_id {
	DK_ONCPU,
	DK_RUNQ,
	DK_BLOCKED, /* off-CPU minus run-queue wait: sleeping, I/O, locks */
	DK_FAULT,
	DK_VCSW,
	DK_IVCSW,
	DK_MINFLT,
	DK_MAJFLT,
	DK_CMISS,
	DK_INSNS,
	DK_CYCLES,
	DK_IPC,
	DK_MPKI,
	DK_NR,
};

/* the tables the signals are printed in: time, switches and faults, counters */
enum diff_ksig_group { DKG_TIME, DKG_EVENTS, DKG_COUNTERS, DKG_NR };

struct diff_ksig_def {
	const char *key;  /* JSON: "oncpu_ns", "cache_misses", "ipc" */
	const char *head; /* column: "ON-CPU", "CMISS" */
	const char *what; /* "on-CPU time" */
	enum diff_ksig_unit unit;
	enum diff_ksig_group group;
};

const struct diff_ksig_def *diff_ksig_def(enum diff_ksig_id id);
/* "time per call", "switches and faults per call", "hardware counters per call" */
const char *diff_ksig_group_title(enum diff_ksig_group g);
/* "ns", "count", "ratio" */
const char *diff_ksig_unit_str(enum diff_ksig_unit u);
/* ROW's value of signal ID per call on side B (else A); false when not measured there */
bool diff_ksig_value(const struct diff_row *row, enum diff_ksig_id id, bool b, double *v);
/* measured on some side of some row */
bool diff_ksig_collected(const struct diff_result *r, enum diff_ksig_id id);
/* B/A of ROW's signal ID; false when a side is n/a or A is 0 */
bool diff_ksig_ratio(const struct diff_row *row, enum diff_ksig_id id, double *ratio);
/* V in ID's unit: "1.71ms", "0.52", "47.2k", "4.72M", "1.23" */
void diff_ksig_fmt(char *buf, size_t len, enum diff_ksig_id id, double v);
/* "1.11x", or "-" when there is no ratio */
void diff_ksig_fmt_ratio(char *buf, size_t len, const struct diff_row *row, enum diff_ksig_id id);

/* diff_ktable.c: the text tables, one per group with a collected signal, and a
 * line naming the signals measured on neither side; 0 or -errno */
int diff_write_ktable(FILE *f, const struct diff_result *r);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Feature policy and NNPERF_FORCE, without root: the tries are not run here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "counters.h"
#include "features.h"

#define BIT(id) (1u << (id))

static void test_force_parse(void **state)
{
	static const struct {
		const char *list;
		unsigned int mask;
		const char *unknown;
	} cases[] = {
		{ NULL, 0, "" },
		{ "", 0, "" },
		{ "no-tp-btf", BIT(NNP_FEAT_TP_BTF), "" },
		{ "no-tp-btf,no-pmu", BIT(NNP_FEAT_TP_BTF) | BIT(NNP_FEAT_PERF_HW), "" },
		{ " no-fentry , no-kprobe ,,", BIT(NNP_FEAT_FENTRY) | BIT(NNP_FEAT_KPROBE), "" },
		{ "no-usdt,no-cookie", BIT(NNP_FEAT_USDT) | BIT(NNP_FEAT_COOKIE), "" },
		{ "NO-TP_BTF", BIT(NNP_FEAT_TP_BTF), "" },
		{ "no-uprobe-multi", BIT(NNP_FEAT_UPROBE_MULTI), "" },
		/* only the documented words: raw_tp and uprobes cannot be forced off */
		{ "no-raw-tp,no-pmu,tp-btf,bogus", BIT(NNP_FEAT_PERF_HW),
		  "no-raw-tp,tp-btf,bogus" },
		{ "no-uprobes", 0, "no-uprobes" },
	};
	char unknown[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int mask = nnp_force_parse(cases[i].list, unknown, sizeof(unknown));

		assert_int_equal(mask, cases[i].mask);
		assert_string_equal(unknown, cases[i].unknown);
	}
	/* the unknown buffer is optional and never overflows */
	assert_int_equal(nnp_force_parse("no-pmu,zzzzzzzzzzzz", NULL, 0), BIT(NNP_FEAT_PERF_HW));
	nnp_force_parse("aaaaaaaaaa,bbbbbbbbbb", unknown, 8);
	assert_string_equal(unknown, "aaaaaaa");
}

static void test_forced_off_env(void **state)
{
	(void)state;
	assert_int_equal(setenv("NNPERF_FORCE", "no-tp-btf,no-pmu", 1), 0);
	assert_true(nnp_feature_forced_off("tp_btf"));
	assert_true(nnp_feature_forced_off("tp-btf"));
	assert_true(nnp_feature_forced_off("no-tp-btf"));
	assert_true(nnp_feature_forced_off("pmu"));
	assert_true(nnp_feature_forced_off("hardware perf events"));
	assert_false(nnp_feature_forced_off("fentry"));
	assert_false(nnp_feature_forced_off("raw_tp"));
	assert_false(nnp_feature_forced_off("nonsense"));
	assert_false(nnp_feature_forced_off(NULL));
	assert_int_equal(unsetenv("NNPERF_FORCE"), 0);
	assert_false(nnp_feature_forced_off("tp_btf"));
}

/* Every feature present, then the listed ones set to STATE */
static void fill(struct nnp_features *f, enum nnp_feat_state state, unsigned int missing)
{
	nnp_features_init(f);
	for (int i = 0; i < NNP_FEAT_NR; i++)
		f->f[i].state = (missing & BIT(i)) ? state : NNP_FEAT_YES;
	nnp_features_decide(f);
}

static void test_init_names(void **state)
{
	struct nnp_features f;

	(void)state;
	nnp_features_init(&f);
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		assert_non_null(f.f[i].name);
		assert_int_equal(f.f[i].state, NNP_FEAT_UNKNOWN);
	}
	assert_string_equal(f.f[NNP_FEAT_UPROBE].name, "uprobes");
	assert_string_equal(f.f[NNP_FEAT_PERF_HW].name, "hardware perf events");
	assert_true(f.f[NNP_FEAT_COOKIE].required);
	assert_true(f.f[NNP_FEAT_MEMLOCK].required);
	assert_false(f.f[NNP_FEAT_URETPROBE].required);
	assert_false(f.f[NNP_FEAT_TP_BTF].required);
}

static void test_all_present(void **state)
{
	struct nnp_features f;

	(void)state;
	fill(&f, NNP_FEAT_NO, 0);
	assert_int_equal(f.sched, NNP_SCHED_TP_BTF);
	assert_int_equal(f.fault, NNP_FAULT_FENTRY);
	assert_int_equal(f.counters, NNP_COUNTERS_HW);
	assert_int_equal(f.uprobes, NNP_UPROBES_MULTI);
	assert_true(f.can_record);
	for (int i = 0; i < NNP_FEAT_NR; i++)
		assert_string_equal(f.f[i].fallback, "");
}

/* without uprobe_multi links (old kernel or forced off): one link per site, still recording */
static void test_uprobe_multi_policy(void **state)
{
	struct nnp_features f;

	(void)state;
	fill(&f, NNP_FEAT_NO, BIT(NNP_FEAT_UPROBE_MULTI));
	assert_int_equal(f.uprobes, NNP_UPROBES_PER_SITE);
	assert_true(f.can_record);
	assert_true(strstr(f.f[NNP_FEAT_UPROBE_MULTI].fallback, "one perf-event link per") != NULL);
	assert_true(strstr(f.f[NNP_FEAT_UPROBE_MULTI].fix, "6.6") != NULL);
	fill(&f, NNP_FEAT_FORCED_OFF, BIT(NNP_FEAT_UPROBE_MULTI));
	assert_int_equal(f.uprobes, NNP_UPROBES_PER_SITE);
	assert_string_equal(f.f[NNP_FEAT_UPROBE_MULTI].fix, "unset NNPERF_FORCE");
	assert_string_equal(nnp_uprobe_attach_str(NNP_UPROBES_MULTI), "uprobe_multi");
	assert_string_equal(nnp_uprobe_attach_str(NNP_UPROBES_PER_SITE), "per-site");
}

static void test_policies(void **state)
{
	static const struct {
		enum nnp_feat_state state;
		unsigned int missing;
		enum nnp_sched_attach sched;
		enum nnp_fault_attach fault;
		enum nnp_counter_source counters;
	} cases[] = {
		{ NNP_FEAT_NO, BIT(NNP_FEAT_TP_BTF), NNP_SCHED_RAW_TP, NNP_FAULT_FENTRY,
		  NNP_COUNTERS_HW },
		{ NNP_FEAT_FORCED_OFF, BIT(NNP_FEAT_TP_BTF), NNP_SCHED_RAW_TP, NNP_FAULT_FENTRY,
		  NNP_COUNTERS_HW },
		{ NNP_FEAT_NO, BIT(NNP_FEAT_TP_BTF) | BIT(NNP_FEAT_RAW_TP), NNP_SCHED_NONE,
		  NNP_FAULT_FENTRY, NNP_COUNTERS_HW },
		{ NNP_FEAT_NO, BIT(NNP_FEAT_RAW_TP), NNP_SCHED_TP_BTF, NNP_FAULT_FENTRY,
		  NNP_COUNTERS_HW },
		{ NNP_FEAT_FORCED_OFF, BIT(NNP_FEAT_FENTRY), NNP_SCHED_TP_BTF, NNP_FAULT_KPROBE,
		  NNP_COUNTERS_HW },
		{ NNP_FEAT_NO, BIT(NNP_FEAT_FENTRY) | BIT(NNP_FEAT_KPROBE), NNP_SCHED_TP_BTF,
		  NNP_FAULT_NONE, NNP_COUNTERS_HW },
		{ NNP_FEAT_UNKNOWN, BIT(NNP_FEAT_FENTRY) | BIT(NNP_FEAT_KPROBE), NNP_SCHED_TP_BTF,
		  NNP_FAULT_NONE, NNP_COUNTERS_HW },
		{ NNP_FEAT_NO, BIT(NNP_FEAT_PERF_HW), NNP_SCHED_TP_BTF, NNP_FAULT_FENTRY,
		  NNP_COUNTERS_SW_ONLY },
		{ NNP_FEAT_NO, BIT(NNP_FEAT_PERF_HW) | BIT(NNP_FEAT_PERF_SW), NNP_SCHED_TP_BTF,
		  NNP_FAULT_FENTRY, NNP_COUNTERS_NONE },
		/* this kernel */
		{ NNP_FEAT_NO, BIT(NNP_FEAT_FENTRY) | BIT(NNP_FEAT_KPROBE) | BIT(NNP_FEAT_PERF_HW),
		  NNP_SCHED_TP_BTF, NNP_FAULT_NONE, NNP_COUNTERS_SW_ONLY },
	};
	struct nnp_features f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fill(&f, cases[i].state, cases[i].missing);
		assert_int_equal(f.sched, cases[i].sched);
		assert_int_equal(f.fault, cases[i].fault);
		assert_int_equal(f.counters, cases[i].counters);
		/* none of these is required */
		assert_true(f.can_record);
	}
}

static void test_fallback_texts(void **state)
{
	struct nnp_features f;

	(void)state;
	fill(&f, NNP_FEAT_NO, BIT(NNP_FEAT_TP_BTF));
	assert_string_equal(f.f[NNP_FEAT_TP_BTF].fallback, "raw_tp/sched_switch");

	fill(&f, NNP_FEAT_NO, BIT(NNP_FEAT_FENTRY));
	assert_string_equal(f.f[NNP_FEAT_FENTRY].fallback, "kprobe/kretprobe on handle_mm_fault");

	fill(&f, NNP_FEAT_NO, BIT(NNP_FEAT_FENTRY) | BIT(NNP_FEAT_KPROBE));
	assert_string_equal(f.f[NNP_FEAT_FENTRY].fallback,
			    "fault handling time unavailable (page fault counts still exact from "
			    "task counters)");
	assert_string_equal(f.f[NNP_FEAT_KPROBE].fallback, f.f[NNP_FEAT_FENTRY].fallback);

	nnp_features_init(&f);
	for (int i = 0; i < NNP_FEAT_NR; i++)
		f.f[i].state = NNP_FEAT_YES;
	f.f[NNP_FEAT_PERF_HW].state = NNP_FEAT_NO;
	f.f[NNP_FEAT_PERF_HW].err = ENOENT;
	nnp_features_decide(&f);
	assert_string_equal(f.f[NNP_FEAT_PERF_HW].fallback,
			    "cache misses, instructions, cycles shown as n/a: no hardware PMU; "
			    "software events still used");

	fill(&f, NNP_FEAT_NO, BIT(NNP_FEAT_BPFFS) | BIT(NNP_FEAT_TRACEFS));
	assert_true(f.can_record);
	assert_string_equal(f.f[NNP_FEAT_BPFFS].fix, "mount -t bpf bpf /sys/fs/bpf");
	assert_string_equal(f.f[NNP_FEAT_TRACEFS].fix,
			    "mount -t tracefs tracefs /sys/kernel/tracing");
}

static void test_required(void **state)
{
	static const enum nnp_feat_id required[] = {
		NNP_FEAT_PRIV,	  NNP_FEAT_MEMLOCK, NNP_FEAT_BTF,
		NNP_FEAT_RINGBUF, NNP_FEAT_UPROBE,  NNP_FEAT_COOKIE,
	};
	struct nnp_features f;

	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		fill(&f, NNP_FEAT_NO, BIT(required[i]));
		assert_false(f.can_record);
		assert_true(strstr(f.f[required[i]].fallback, "cannot record") != NULL);
		assert_true(f.f[required[i]].fix[0] != '\0');
	}
	fill(&f, NNP_FEAT_FORCED_OFF, BIT(NNP_FEAT_COOKIE));
	assert_false(f.can_record);
	assert_string_equal(f.f[NNP_FEAT_COOKIE].fix, "unset NNPERF_FORCE");

	fill(&f, NNP_FEAT_NO,
	     BIT(NNP_FEAT_URETPROBE) | BIT(NNP_FEAT_USDT) | BIT(NNP_FEAT_BPFFS) |
		 BIT(NNP_FEAT_TRACEFS) | BIT(NNP_FEAT_PERF_SW));
	assert_true(f.can_record);
}

/* Without privileges, BPF failures point at the privileges, not at the kernel */
static void test_denied_fix(void **state)
{
	struct nnp_features f;

	(void)state;
	nnp_features_init(&f);
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		f.f[i].state = NNP_FEAT_NO;
		f.f[i].err = EPERM;
	}
	nnp_features_decide(&f);
	assert_false(f.can_record);
	assert_true(strstr(f.f[NNP_FEAT_PRIV].fix, "CAP_BPF") != NULL);
	assert_true(strstr(f.f[NNP_FEAT_UPROBE].fix, "privileges") != NULL);
	assert_true(strstr(f.f[NNP_FEAT_MEMLOCK].fix, "ulimit -l") != NULL);
	assert_int_equal(f.sched, NNP_SCHED_NONE);
	assert_int_equal(f.counters, NNP_COUNTERS_NONE);
}

static void test_apply_force(void **state)
{
	struct nnp_features f;

	(void)state;
	nnp_features_init(&f);
	for (int i = 0; i < NNP_FEAT_NR; i++)
		f.f[i].state = NNP_FEAT_YES;
	f.f[NNP_FEAT_PERF_HW].state = NNP_FEAT_NO;
	nnp_features_apply_force(&f, nnp_force_parse("no-tp-btf,no-pmu", NULL, 0));
	assert_int_equal(f.f[NNP_FEAT_TP_BTF].state, NNP_FEAT_FORCED_OFF);
	assert_true(strstr(f.f[NNP_FEAT_TP_BTF].detail, "NNPERF_FORCE=no-tp-btf") != NULL);
	/* absent stays absent: forcing never hides why a feature is missing */
	assert_int_equal(f.f[NNP_FEAT_PERF_HW].state, NNP_FEAT_NO);
	assert_int_equal(f.f[NNP_FEAT_RAW_TP].state, NNP_FEAT_YES);
	nnp_features_decide(&f);
	assert_int_equal(f.sched, NNP_SCHED_RAW_TP);
	assert_string_equal(nnp_sched_attach_str(f.sched), "raw_tp");
	assert_string_equal(nnp_feat_state_str(f.f[NNP_FEAT_TP_BTF].state), "forced off");
}

/* The fast path of `record`: real checks, so the answer depends on who runs it */
static void test_require_record(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		assert_int_equal(nnp_features_require_record(), -EPERM);
		return;
	}
	assert_int_equal(nnp_features_require_record(), 0);
	/* 0 also where root cannot raise the limit but memcg accounting makes it moot */
	assert_int_equal(nnp_sys_prepare(), 0);
	assert_int_equal(setenv("NNPERF_FORCE", "no-cookie", 1), 0);
	assert_int_equal(nnp_features_require_record(), -EOPNOTSUPP);
	assert_int_equal(setenv("NNPERF_FORCE", "no-tp-btf,no-pmu", 1), 0);
	assert_int_equal(nnp_features_require_record(), 0);
	assert_int_equal(unsetenv("NNPERF_FORCE"), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(nnp_feat_state_str(NNP_FEAT_YES), "yes");
	assert_string_equal(nnp_feat_state_str(NNP_FEAT_NO), "no");
	assert_string_equal(nnp_feat_state_str(NNP_FEAT_UNKNOWN), "unknown");
	assert_string_equal(nnp_sched_attach_str(NNP_SCHED_TP_BTF), "tp_btf");
	assert_string_equal(nnp_sched_attach_str(NNP_SCHED_NONE), "none");
	assert_string_equal(nnp_fault_attach_str(NNP_FAULT_KPROBE), "kprobe");
	assert_string_equal(nnp_fault_attach_str(NNP_FAULT_NONE), "none");
	assert_string_equal(nnp_counter_source_str(NNP_COUNTERS_HW), "hardware");
	assert_string_equal(nnp_counter_source_str(NNP_COUNTERS_SW_ONLY), "software only");
}

/* Fills f->hw[] with the hardware counters and ERRS[i] as each one's errno */
static void fill_hw(struct nnp_features *f, const int *errs)
{
	nnp_features_init(f);
	for (int i = 0; i < NNP_HW_EVENTS && nnp_counter_hw_name(i); i++) {
		f->hw[i].name = nnp_counter_hw_name(i);
		f->hw[i].err = errs[i];
	}
	nnp_features_sum_hw(f);
}

/* qemu's arm64 -cpu max: cycles and instructions, no cache or branch events */
static void test_hw_partial_pmu(void **state)
{
	const int errs[NNP_HW_EVENTS] = { 0, 0, ENOENT, ENOENT, ENOENT, ENOENT };
	struct nnp_features f;

	(void)state;
	assert_string_equal(nnp_counter_hw_name(0), "cycles");
	assert_string_equal(nnp_counter_hw_name(2), "cache-misses");
	assert_null(nnp_counter_hw_name(6));
	fill_hw(&f, errs);
	assert_int_equal(f.f[NNP_FEAT_PERF_HW].state, NNP_FEAT_YES);
	assert_string_equal(f.f[NNP_FEAT_PERF_HW].detail,
			    "cycles, instructions open; this PMU has no cache-misses, "
			    "cache-references, branch-misses, llc-misses event");
	assert_string_equal(f.hw[0].why, "");
	assert_string_equal(f.hw[2].why, "this PMU has no cache-misses event");
	f.f[NNP_FEAT_PERF_SW].state = NNP_FEAT_YES;
	nnp_features_decide(&f);
	assert_int_equal(f.counters, NNP_COUNTERS_HW);
	assert_string_equal(f.f[NNP_FEAT_PERF_HW].fallback, "");
}

/* no PMU at all (this project's VMs): the feature is missing, not "partial" */
static void test_hw_no_pmu(void **state)
{
	const int errs[NNP_HW_EVENTS] = { ENOENT, ENOENT, ENOENT, ENOENT, ENOENT, ENOENT };
	const int denied[NNP_HW_EVENTS] = { ENOENT, EACCES, ENOENT, ENOENT, ENOENT, ENOENT };
	struct nnp_features f;

	(void)state;
	fill_hw(&f, errs);
	assert_int_equal(f.f[NNP_FEAT_PERF_HW].state, NNP_FEAT_NO);
	assert_int_equal(f.f[NNP_FEAT_PERF_HW].err, ENOENT);
	assert_string_equal(
	    f.f[NNP_FEAT_PERF_HW].detail,
	    "n/a: no hardware PMU: perf_event_open(cycles): No such file or directory");
	assert_string_equal(f.hw[1].why, "no hardware PMU");
	/* another error than "no such event" is the one named */
	fill_hw(&f, denied);
	assert_int_equal(f.f[NNP_FEAT_PERF_HW].err, EACCES);
	assert_string_equal(f.f[NNP_FEAT_PERF_HW].detail,
			    "perf_event_open(instructions): Permission denied");
	assert_string_equal(f.hw[1].why, "perf_event_open: Permission denied");
}

static void test_hw_all_and_errors(void **state)
{
	const int all[NNP_HW_EVENTS] = { 0 };
	const int one_denied[NNP_HW_EVENTS] = { 0, 0, 0, 0, ENOENT, EACCES };
	struct nnp_features f;
	char why[64];

	(void)state;
	fill_hw(&f, all);
	assert_string_equal(f.f[NNP_FEAT_PERF_HW].detail,
			    "cycles, instructions, cache-misses, cache-references, branch-misses, "
			    "llc-misses open");
	fill_hw(&f, one_denied);
	assert_string_equal(
	    f.f[NNP_FEAT_PERF_HW].detail,
	    "cycles, instructions, cache-misses, cache-references open; this PMU has "
	    "no branch-misses event; llc-misses: Permission denied");
	nnp_counter_hw_why(why, sizeof(why), "llc-misses", -EOPNOTSUPP, true);
	assert_string_equal(why, "this PMU has no llc-misses event");
	nnp_counter_hw_why(why, sizeof(why), "cycles", -EOPNOTSUPP, false);
	assert_string_equal(why, "no hardware PMU");
	assert_true(nnp_counter_is_hw("llc-misses"));
	assert_false(nnp_counter_is_hw("minor-faults"));
	assert_false(nnp_counter_is_hw("bogus"));
}

/* the kernel's ENOTSUPP, which fentry attach gives on arm64 6.1, by name */
static void test_errstr(void **state)
{
	(void)state;
	assert_string_equal(nnp_feat_errstr(-524),
			    "ENOTSUPP (524): this kernel cannot attach this program type here");
	assert_string_equal(nnp_feat_errstr(524), nnp_feat_errstr(-524));
	assert_non_null(strstr(nnp_feat_errstr(525), "ETOOSMALL (525)"));
	assert_string_equal(nnp_feat_errstr(-EPERM), strerror(EPERM));
	assert_string_equal(nnp_feat_errstr(EINVAL), strerror(EINVAL));
	assert_null(strstr(nnp_feat_errstr(524), "Unknown error"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_force_parse),
		cmocka_unit_test(test_forced_off_env),
		cmocka_unit_test(test_init_names),
		cmocka_unit_test(test_all_present),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_fallback_texts),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_denied_fix),
		cmocka_unit_test(test_apply_force),
		cmocka_unit_test(test_require_record),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_uprobe_multi_policy),
		cmocka_unit_test(test_hw_partial_pmu),
		cmocka_unit_test(test_hw_no_pmu),
		cmocka_unit_test(test_hw_all_and_errors),
		cmocka_unit_test(test_errstr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

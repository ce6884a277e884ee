// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `nnperf doctor [--json]`: what this kernel supports and what nnperf uses instead. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <bpf/btf.h>

#include "btf_path.h"
#include "clock.h"
#include "cmds.h"
#include "features.h"
#include "features_try.h"
#include "log.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: nnperf doctor [--json] [--btf FILE] [-v]\n\n"
		     "Tries every kernel mechanism nnperf uses (loads, attaches and triggers a\n"
		     "tiny BPF program for each) and prints what works, what nnperf falls back\n"
		     "to, and whether it can record. Exit status 0 if it can record, else 1.\n\n"
		     "  --json         one JSON object instead of the table\n"
		     "  --btf FILE     kernel BTF to use instead of /sys/kernel/btf/vmlinux\n"
		     "  -v, --verbose  libbpf messages (-vv: libbpf debug output)\n"
		     "  -h, --help     this text\n\n"
		     "NNPERF_FORCE=no-tp-btf,no-fentry,no-kprobe,no-pmu,no-usdt,no-cookie turns\n"
		     "features off to exercise the fallbacks.\n");
}

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

static void print_table(const struct nnp_features *f)
{
	int w_name = (int)strlen("FEATURE"), w_state = (int)strlen("STATUS");
	int w_detail = (int)strlen("DETAIL");

	for (int i = 0; i < NNP_FEAT_NR; i++) {
		const struct nnp_feature *ft = &f->f[i];
		int n = (int)strlen(ft->name), s = (int)strlen(nnp_feat_state_str(ft->state));
		int d = (int)strlen(or_dash(ft->detail));

		w_name = n > w_name ? n : w_name;
		w_state = s > w_state ? s : w_state;
		w_detail = d > w_detail ? d : w_detail;
	}
	printf("%-*s  %-*s  %-*s  %s\n", w_name, "FEATURE", w_state, "STATUS", w_detail, "DETAIL",
	       "FALLBACK");
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		const struct nnp_feature *ft = &f->f[i];

		printf("%-*s  %-*s  %-*s  %s\n", w_name, ft->name, w_state,
		       nnp_feat_state_str(ft->state), w_detail, or_dash(ft->detail),
		       or_dash(ft->fallback));
	}
}

/* "yes", "forced off" or "n/a: this PMU has no cache-misses event" */
static void hw_event_state(char *buf, size_t len, const struct nnp_features *f,
			   const struct nnp_hw_event *e)
{
	if (e->err)
		snprintf(buf, len, "n/a: %s", e->why);
	else if (f->f[NNP_FEAT_PERF_HW].state == NNP_FEAT_FORCED_OFF)
		snprintf(buf, len, "forced off");
	else
		snprintf(buf, len, "yes");
}

static void print_hw_events(const struct nnp_features *f)
{
	char st[96];

	if (!f->hw[0].name)
		return;
	printf("\nhardware counters (each tried on its own):\n");
	for (int i = 0; i < NNP_HW_EVENTS && f->hw[i].name; i++) {
		hw_event_state(st, sizeof(st), f, &f->hw[i]);
		printf("  %-18s %s\n", f->hw[i].name, st);
	}
}

static void print_summary(const struct nnp_features *f)
{
	bool header = false;

	for (int i = 0; i < NNP_FEAT_NR; i++) {
		const struct nnp_feature *ft = &f->f[i];

		if (ft->state == NNP_FEAT_YES || !ft->fix[0])
			continue;
		if (!header)
			printf("\n");
		header = true;
		printf("to get %s: %s\n", ft->name, ft->fix);
	}
	print_hw_events(f);
	printf("\nkernel BTF: %s\n", nnp_btf_in_use());
	printf("scheduler hooks: %s\n", nnp_sched_attach_str(f->sched));
	printf("fault timing: %s\n", nnp_fault_attach_str(f->fault));
	printf("counters: %s\n", nnp_counter_source_str(f->counters));
	printf("uprobe links: %s\n", nnp_uprobe_attach_str(f->uprobes));
	printf("nnperf can record: %s\n", f->can_record ? "yes" : "no");
}

static json_object *feature_json(const struct nnp_feature *ft)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(ft->name));
	json_object_object_add(o, "state", json_object_new_string(nnp_feat_state_str(ft->state)));
	json_object_object_add(o, "errno", json_object_new_int(ft->err));
	json_object_object_add(o, "detail", json_object_new_string(ft->detail));
	json_object_object_add(o, "fallback", json_object_new_string(ft->fallback));
	json_object_object_add(o, "fix", json_object_new_string(ft->fix));
	json_object_object_add(o, "required", json_object_new_boolean(ft->required));
	return o;
}

static json_object *hw_events_json(const struct nnp_features *f)
{
	json_object *a = json_object_new_array();
	char st[96];

	for (int i = 0; i < NNP_HW_EVENTS && f->hw[i].name; i++) {
		const struct nnp_hw_event *e = &f->hw[i];
		json_object *o = json_object_new_object();

		hw_event_state(st, sizeof(st), f, e);
		json_object_object_add(o, "name", json_object_new_string(e->name));
		json_object_object_add(o, "state", json_object_new_string(e->err ? "no" : st));
		json_object_object_add(o, "errno", json_object_new_int(e->err));
		json_object_object_add(o, "detail", json_object_new_string(e->err ? st : ""));
		json_object_array_add(a, o);
	}
	return a;
}

static int print_json(const struct nnp_features *f)
{
	json_object *root = json_object_new_object(), *feats = json_object_new_array();
	json_object *pol = json_object_new_object();
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	json_object_object_add(root, "nnperf_version", json_object_new_string(NNPERF_VERSION));
	json_object_object_add(root, "kernel_release", json_object_new_string(u.release));
	for (int i = 0; i < NNP_FEAT_NR; i++)
		json_object_array_add(feats, feature_json(&f->f[i]));
	json_object_object_add(root, "features", feats);
	json_object_object_add(root, "hardware_counters", hw_events_json(f));
	json_object_object_add(root, "btf", json_object_new_string(nnp_btf_in_use()));
	json_object_object_add(pol, "sched",
			       json_object_new_string(nnp_sched_attach_str(f->sched)));
	json_object_object_add(pol, "fault",
			       json_object_new_string(nnp_fault_attach_str(f->fault)));
	json_object_object_add(pol, "counters",
			       json_object_new_string(nnp_counter_source_str(f->counters)));
	json_object_object_add(pol, "uprobes",
			       json_object_new_string(nnp_uprobe_attach_str(f->uprobes)));
	json_object_object_add(root, "policies", pol);
	json_object_object_add(root, "can_record", json_object_new_boolean(f->can_record));
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}

/* The first required feature that is missing, as "name: detail; fix" */
static void report_cannot_record(const struct nnp_features *f)
{
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		const struct nnp_feature *ft = &f->f[i];

		if (!ft->required || ft->state == NNP_FEAT_YES)
			continue;
		nnp_err("cannot record: %s: %s; fix: %s", ft->name, or_dash(ft->detail),
			or_dash(ft->fix));
		return;
	}
}

/* --btf FILE stands in for the kernel's BTF (record and export relocate against it) */
static void use_custom_btf(struct nnp_features *f)
{
	struct btf *btf = btf__parse(nnp_btf_custom(), NULL);

	if (!btf) {
		nnp_feat_set(&f->f[NNP_FEAT_BTF], NNP_FEAT_NO, errno, "%s (--btf): %s",
			     nnp_btf_custom(), strerror(errno));
	} else {
		nnp_feat_set(&f->f[NNP_FEAT_BTF], NNP_FEAT_YES, 0, "%s (--btf): %u types",
			     nnp_btf_custom(), btf__type_cnt(btf));
		btf__free(btf);
	}
	nnp_features_decide(f);
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "btf", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	struct nnp_features f;
	bool json = false;
	double t0;
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'b':
			if (nnp_btf_set(optarg))
				return 1;
			break;
		case 'v':
			nnp_log_set_verbose(nnp_log_verbose() + 1);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		nnp_err("doctor takes no arguments ('%s'); try 'nnperf doctor --help'",
			argv[optind]);
		return 2;
	}
	/* a failure here is reported as the memlock feature */
	nnp_sys_prepare();
	t0 = (nnp_mono_ns() / 1e6);
	nnp_features_detect(&f);
	if (nnp_btf_custom())
		use_custom_btf(&f);
	nnp_info("doctor: detection took %.0f ms", (nnp_mono_ns() / 1e6) - t0);
	if (json) {
		print_json(&f);
	} else {
		print_table(&f);
		print_summary(&f);
	}
	if (!f.can_record)
		report_cannot_record(&f);
	return f.can_record ? 0 : 1;
}

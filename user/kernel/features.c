// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Feature table, NNPERF_FORCE and the detection sequence. The tries live in
 * features_sys.c and features_probe.c, the policy choice in features_policy.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "features.h"
#include "features_try.h"
#include "log.h"

static const struct feat_info {
	const char *name;
	const char *force_word; /* after "no-" in NNPERF_FORCE; NULL: cannot be forced */
	bool required;
	void (*try)(struct nnp_feature *f);
} feat_info[NNP_FEAT_NR] = {
	[NNP_FEAT_PRIV] = { "privileges", NULL, true, nnp_try_privileges },
	[NNP_FEAT_MEMLOCK] = { "memlock", NULL, true, nnp_try_memlock },
	[NNP_FEAT_BTF] = { "btf", NULL, true, nnp_try_btf },
	[NNP_FEAT_BPFFS] = { "bpffs", NULL, false, nnp_try_bpffs },
	[NNP_FEAT_TRACEFS] = { "tracefs", NULL, false, nnp_try_tracefs },
	[NNP_FEAT_RINGBUF] = { "ringbuf", NULL, true, nnp_try_ringbuf },
	[NNP_FEAT_UPROBE] = { "uprobes", NULL, true, nnp_try_uprobe },
	[NNP_FEAT_URETPROBE] = { "uretprobes", NULL, false, nnp_try_uretprobe },
	[NNP_FEAT_USDT] = { "usdt", "usdt", false, nnp_try_usdt },
	[NNP_FEAT_COOKIE] = { "bpf cookies", "cookie", true, nnp_try_cookie },
	[NNP_FEAT_UPROBE_MULTI] = { "uprobe_multi", "uprobe-multi", false, nnp_try_uprobe_multi },
	[NNP_FEAT_TP_BTF] = { "tp_btf", "tp-btf", false, nnp_try_tp_btf },
	[NNP_FEAT_RAW_TP] = { "raw_tp", NULL, false, nnp_try_raw_tp },
	[NNP_FEAT_FENTRY] = { "fentry", "fentry", false, nnp_try_fentry },
	[NNP_FEAT_KPROBE] = { "kprobes", "kprobe", false, nnp_try_kprobe },
	/* no per-feature try: nnp_try_perf_hw tries each event into f->hw[] */
	[NNP_FEAT_PERF_HW] = { "hardware perf events", "pmu", false, NULL },
	[NNP_FEAT_PERF_SW] = { "software perf events", NULL, false, nnp_try_perf_sw },
};

void nnp_features_init(struct nnp_features *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		f->f[i].name = feat_info[i].name;
		f->f[i].required = feat_info[i].required;
	}
	f->sched = NNP_SCHED_NONE;
	f->fault = NNP_FAULT_NONE;
	f->counters = NNP_COUNTERS_NONE;
}

/* "tp_btf", "TP-BTF" and "tp-btf" are the same word */
static bool word_eq(const char *a, size_t alen, const char *b)
{
	if (strlen(b) != alen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		char ca = a[i] == '_' ? '-' : (char)tolower((unsigned char)a[i]);
		char cb = b[i] == '_' ? '-' : (char)tolower((unsigned char)b[i]);

		if (ca != cb)
			return false;
	}
	return true;
}

/* Feature id named by WORD (LEN bytes): a force word or a feature name; -1 if none */
static int feat_lookup(const char *word, size_t len)
{
	if (len > 3 && !strncasecmp(word, "no-", 3)) {
		word += 3;
		len -= 3;
	}
	for (int i = 0; i < NNP_FEAT_NR; i++)
		if ((feat_info[i].force_word && word_eq(word, len, feat_info[i].force_word)) ||
		    word_eq(word, len, feat_info[i].name))
			return i;
	return -1;
}

static void append_word(char *buf, size_t buf_len, const char *word, size_t len)
{
	size_t used;

	if (!buf || !buf_len)
		return;
	used = strlen(buf);
	snprintf(buf + used, buf_len - used, "%s%.*s", used ? "," : "", (int)len, word);
}

unsigned int nnp_force_parse(const char *list, char *unknown, size_t unknown_len)
{
	unsigned int mask = 0;
	const char *p = list;

	if (unknown && unknown_len)
		unknown[0] = '\0';
	while (p && *p) {
		size_t len = strcspn(p, ",");
		const char *w = p;
		size_t wlen = len;
		int id;

		while (wlen && isspace((unsigned char)*w)) {
			w++;
			wlen--;
		}
		while (wlen && isspace((unsigned char)w[wlen - 1]))
			wlen--;
		id = wlen > 3 && !strncasecmp(w, "no-", 3) ? feat_lookup(w, wlen) : -1;
		if (id >= 0 && feat_info[id].force_word)
			mask |= 1u << id;
		else if (wlen)
			append_word(unknown, unknown_len, w, wlen);
		p += len;
		if (*p == ',')
			p++;
	}
	return mask;
}

/* NNPERF_FORCE as a mask, warning once per process about words it ignores */
static unsigned int force_mask_env(void)
{
	static bool warned;
	const char *env = getenv("NNPERF_FORCE");
	char unknown[128];
	unsigned int mask = nnp_force_parse(env, unknown, sizeof(unknown));

	if (unknown[0] && !warned) {
		warned = true;
		nnp_warn("NNPERF_FORCE: ignoring unknown '%s' (known: no-tp-btf, no-fentry, "
			 "no-kprobe, no-pmu, no-usdt, no-cookie, no-uprobe-multi)",
			 unknown);
	}
	return mask;
}

bool nnp_feature_forced_off(const char *name)
{
	int id = name ? feat_lookup(name, strlen(name)) : -1;

	return id >= 0 && (force_mask_env() & (1u << id));
}

void nnp_features_apply_force(struct nnp_features *f, unsigned int mask)
{
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		struct nnp_feature *ft = &f->f[i];
		size_t used = strlen(ft->detail);

		if (!(mask & (1u << i)) || !feat_info[i].force_word)
			continue;
		/* a missing feature stays "no": forcing cannot make it more absent */
		if (ft->state == NNP_FEAT_YES)
			ft->state = NNP_FEAT_FORCED_OFF;
		snprintf(ft->detail + used, sizeof(ft->detail) - used,
			 "%sforced off by NNPERF_FORCE=no-%s", used ? "; " : "",
			 feat_info[i].force_word);
	}
}

static int detect(struct nnp_features *f, unsigned int which)
{
	unsigned int mask = force_mask_env();

	nnp_features_init(f);
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		double t0 = (nnp_mono_ns() / 1e6);

		if (!(which & (1u << i)))
			continue;
		if (feat_info[i].try)
			feat_info[i].try(&f->f[i]);
		else
			nnp_try_perf_hw(f);
		nnp_info("feature %s: %s (%.1f ms)", f->f[i].name,
			 nnp_feat_state_str(f->f[i].state), (nnp_mono_ns() / 1e6) - t0);
	}
	nnp_try_settle();
	nnp_features_apply_force(f, mask);
	nnp_features_decide(f);
	return 0;
}

int nnp_features_detect(struct nnp_features *f)
{
	return detect(f, ~0u);
}

int nnp_features_detect_policies(struct nnp_features *f)
{
	return detect(f, 1u << NNP_FEAT_TP_BTF | 1u << NNP_FEAT_RAW_TP | 1u << NNP_FEAT_FENTRY |
			     1u << NNP_FEAT_KPROBE | 1u << NNP_FEAT_PERF_HW |
			     1u << NNP_FEAT_PERF_SW | 1u << NNP_FEAT_UPROBE_MULTI);
}

const char *nnp_feat_state_str(enum nnp_feat_state s)
{
	switch (s) {
	case NNP_FEAT_YES:
		return "yes";
	case NNP_FEAT_NO:
		return "no";
	case NNP_FEAT_FORCED_OFF:
		return "forced off";
	case NNP_FEAT_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *nnp_sched_attach_str(enum nnp_sched_attach a)
{
	return a == NNP_SCHED_TP_BTF ? "tp_btf" : a == NNP_SCHED_RAW_TP ? "raw_tp" : "none";
}

const char *nnp_fault_attach_str(enum nnp_fault_attach a)
{
	return a == NNP_FAULT_FENTRY ? "fentry" : a == NNP_FAULT_KPROBE ? "kprobe" : "none";
}

const char *nnp_uprobe_attach_str(enum nnp_uprobe_attach a)
{
	return a == NNP_UPROBES_MULTI ? "uprobe_multi" : "per-site";
}

const char *nnp_counter_source_str(enum nnp_counter_source c)
{
	return c == NNP_COUNTERS_HW	   ? "hardware"
	       : c == NNP_COUNTERS_SW_ONLY ? "software only"
					   : "none";
}

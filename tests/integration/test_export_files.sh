#!/usr/bin/env bash
# The files that ship with nnperf export, checked without a container engine or
# Grafana: the dashboard is Grafana JSON whose variables are all defined, the
# DaemonSet and rules parse as YAML and carry what deploy.md promises, the
# Containerfile has its two stages, and every metric nnperf exports is in
# docs/metrics.md. Needs no root.
set -euo pipefail
: "${NNP_SRC:?set by ctest}"
source "$NNP_SRC/tests/integration/skips.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
/usr/bin/python3 - "$NNP_SRC" >"$out" <<'EOF_PY' || rc=$?
import json, re, sys
src = sys.argv[1]

def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)

dash = json.load(open(f"{src}/dashboards/nnperf.json"))
for key in ("uid", "title", "schemaVersion", "panels", "templating"):
    if key not in dash:
        fail(f"dashboard lacks {key}")
variables = {v["name"] for v in dash["templating"]["list"]} | {"__rate_interval"}
ids, titles = set(), []
for p in dash["panels"]:
    for key in ("id", "type", "title", "gridPos"):
        if key not in p:
            fail(f"panel {p.get('title')} lacks {key}")
    if p["id"] in ids:
        fail(f"duplicate panel id {p['id']}")
    ids.add(p["id"])
    titles.append(p["title"])
    for t in p.get("targets", []):
        if not t.get("refId") or not t.get("expr"):
            fail(f"panel {p['title']}: target without refId/expr")
        for v in re.findall(r"\$\{?(\w+)", t["expr"]):
            if v not in variables:
                fail(f"panel {p['title']}: undefined variable ${v}")
for want in ("Inference rate", "p50 / p99", "Slowest layers", "Off-CPU", "Page faults",
             "Cache misses", "CPU used by nnperf"):
    if not any(want in t for t in titles):
        fail(f"dashboard lacks a '{want}' panel")
print(f"ok: dashboard, {len(ids)} panels")

try:
    import yaml
except ImportError:
    print("skipped: python3-yaml missing: the DaemonSet, rules and scrape config not parsed")
else:
    docs = list(yaml.safe_load_all(open(f"{src}/deploy/nnperf-daemonset.yaml")))
    ds = next(d for d in docs if d["kind"] == "DaemonSet")
    pod = ds["spec"]["template"]
    ann = pod["metadata"]["annotations"]
    if ann.get("prometheus.io/scrape") != "true" or ann.get("prometheus.io/port") != "9464":
        fail(f"DaemonSet scrape annotations: {ann}")
    if not pod["spec"].get("hostPID"):
        fail("DaemonSet without hostPID")
    caps = pod["spec"]["containers"][0]["securityContext"]["capabilities"]
    if caps != {"drop": ["ALL"], "add": ["SYS_ADMIN", "SYS_PTRACE"]}:
        fail(f"DaemonSet capabilities {caps}")
    mounts = {m["mountPath"] for m in pod["spec"]["containers"][0]["volumeMounts"]}
    if not {"/sys/kernel/btf", "/sys/fs/bpf"} <= mounts:
        fail(f"DaemonSet mounts {mounts}")
    for f in ("nnperf.rules.yml", "prometheus.yml"):
        yaml.safe_load(open(f"{src}/dashboards/{f}"))
    print("ok: DaemonSet, rules and scrape config parse")

cf = open(f"{src}/deploy/Containerfile").read()
stages = re.findall(r"^FROM (\S+)", cf, re.M)
if len(stages) != 2 or not stages[0].startswith("debian:12"):
    fail(f"Containerfile stages {stages}")
if "COPY --from=build" not in cf or "ENTRYPOINT" not in cf:
    fail("Containerfile lacks the runtime stage's COPY or ENTRYPOINT")
print("ok: Containerfile")

doc = open(f"{src}/docs/metrics.md").read()
golden = open(f"{src}/tests/unit/data/prom/hostile.prom").read()
families = re.findall(r"^# TYPE (\S+) ", golden, re.M)
for name in families:
    if f"`{name}`" not in doc:
        fail(f"docs/metrics.md does not document {name}")
print(f"ok: docs/metrics.md documents all {len(families)} exported families")
EOF_PY
cat "$out"
[ $rc = 0 ] || exit $rc
while IFS= read -r why; do
	NNP_SKIPPED+=("$why")
done < <(sed -n 's/^skipped: //p' "$out")
pass

#!/usr/bin/env bash
# A real Prometheus (Debian's package, run as a plain binary on localhost)
# scrapes nnperf export --all while tinynet runs: a p99 for each tinynet layer
# through the query API, every dashboard and rule expression runs, the rules
# and a live page pass promtool, and the systemd unit passes systemd-analyze.
source "$(dirname "$0")/lib.sh"
require_root
X="/usr/bin/python3 $NNP_SRC/tests/integration/export_check.py"
for tool in prometheus promtool; do
	command -v $tool >/dev/null || { echo "SKIP: $tool missing (Debian package prometheus)"; exit 77; }
done

echo "== promtool check rules"
promtool check rules "$NNP_SRC"/dashboards/*.rules.yml || fail "promtool check rules"

echo "== systemd-analyze verify deploy/nnperf-export.service"
if command -v systemd-analyze >/dev/null; then
	# the unit names /usr/bin/nnperf and man:nnperf(8): point both at this tree
	sed "s|/usr/bin/nnperf|$NNPERF|" "$NNP_SRC/deploy/nnperf-export.service" \
		>"$TMP/nnperf-export.service"
	mkdir -p "$TMP/man/man8" && cp "$NNP_SRC/docs/nnperf.8" "$TMP/man/man8/"
	out=$(MANPATH=$TMP/man systemd-analyze verify "$TMP/nnperf-export.service" 2>&1) ||
		fail "systemd-analyze verify: $out"
	# unknown keys are only warnings to systemd-analyze: any output fails here
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
	echo "ok: unit verified"
else
	skip_check "systemd-analyze missing: the unit file not verified"
fi

"$TINYNET" --model dense --iterations 10000000 >/dev/null &
TN=$!
PIDS+=($TN)
LISTEN=127.0.0.1:$($X free-port)
"$NNPERF" export --all --listen $LISTEN 2>"$TMP/export.err" &
PIDS+=($!)
$X wait http://$LISTEN/metrics "^nnperf_layer_duration_seconds_count\{pid=\"$TN\".*layer=\"softmax\"" 30

PROM=127.0.0.1:$($X free-port)
cp "$NNP_SRC"/dashboards/nnperf.rules.yml "$TMP/"
cat >"$TMP/prometheus.yml" <<EOT
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [nnperf.rules.yml]
scrape_configs:
  - job_name: nnperf
    static_configs:
      - targets: ['$LISTEN']
EOT
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
	--web.listen-address=$PROM --log.level=warn >"$TMP/prom.log" 2>&1 &
PIDS+=($!)
$X wait-up http://$PROM 60 || { cat "$TMP/prom.log"; exit 1; }
echo "ok: Prometheus scrapes nnperf (up == 1)"

echo "== p99 of each tinynet layer through /api/v1/query"
$X p99-layers http://$PROM $TN 45

echo "== every dashboard and rule expression against the server"
$X http http://$LISTEN/metrics GET "" "$TMP/page.prom" >/dev/null
$X exprs http://$PROM "$NNP_SRC/dashboards/nnperf.json" "$NNP_SRC/dashboards/nnperf.rules.yml" \
	"$TMP/page.prom"

echo "== promtool check metrics on the live page"
promtool check metrics <"$TMP/page.prom" || fail "promtool check metrics"
pass

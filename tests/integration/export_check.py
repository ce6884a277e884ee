#!/usr/bin/python3
"""Helpers for the nnperf export integration tests: HTTP, waits, Prometheus queries.

usage: export_check.py COMMAND ARGS...   (exit 1 with a message when an assertion fails)
Every wait is bounded by its TIMEOUT (seconds).
"""
import json
import math
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TINYNET_LAYERS = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3",
                  "pool3", "fc1", "relu4", "fc2", "softmax"]


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def request(url, method="GET", accept=None):
    req = urllib.request.Request(url, method=method)
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def cmd_free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def cmd_hold_port(port):
    """listens on 127.0.0.1:PORT until killed (for the port-in-use test)"""
    s = socket.socket()
    s.bind(("127.0.0.1", int(port)))
    s.listen(1)
    print("listening", flush=True)
    time.sleep(120)


def cmd_http(url, method, accept, out):
    """prints 'STATUS|CONTENT-TYPE|ALLOW'; the body goes to OUT"""
    status, headers, body = request(url, method, accept or None)
    with open(out, "wb") as f:
        f.write(body)
    print(f"{status}|{headers.get('Content-Type', '')}|{headers.get('Allow', '')}")


def scrape(url):
    try:
        status, _, body = request(url)
    except OSError:
        return ""
    return body.decode() if status == 200 else ""


def cmd_wait(url, regex, timeout, want="present"):
    """waits until REGEX is (want=present) or is not (want=gone) in the page"""
    deadline = time.time() + float(timeout)
    while time.time() < deadline:
        page = scrape(url)
        found = re.search(regex, page, re.M) is not None
        if page and found == (want == "present"):
            return
        time.sleep(0.3)
    fail(f"{regex} still {'absent from' if want == 'present' else 'in'} {url} after {timeout}s")


def cmd_wait_count(url, regex, count, timeout):
    """waits until COUNT sample lines match REGEX (a process attached mid-inference shows
    the layers after the attach point first, the others from its next inference on)"""
    deadline, n = time.time() + float(timeout), 0
    while time.time() < deadline:
        n = len([l for l in scrape(url).splitlines() if re.search(regex, l)])
        if n == int(count):
            return
        time.sleep(0.3)
    fail(f"{n} lines match {regex} in {url} after {timeout}s, want {count}")


def cmd_value(url, regex):
    """prints the value of the first sample line matching REGEX"""
    for line in scrape(url).splitlines():
        if not line.startswith("#") and re.search(regex, line):
            print(line.rsplit(" ", 1)[1])
            return
    fail(f"no sample matches {regex}")


def prom_query(prom, expr):
    url = f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    status, _, body = request(url)
    doc = json.loads(body)
    return status, doc


def cmd_wait_up(prom, timeout):
    deadline = time.time() + float(timeout)
    while time.time() < deadline:
        try:
            _, doc = prom_query(prom, 'up{job="nnperf"} == 1')
            if doc.get("status") == "success" and doc["data"]["result"]:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    fail(f"Prometheus at {prom} never saw nnperf up within {timeout}s")


def cmd_p99_layers(prom, pid, timeout):
    """a p99 for each of tinynet's 13 layers, through the query API"""
    expr = ("histogram_quantile(0.99, sum by (le, layer) "
            f"(rate(nnperf_layer_duration_seconds_bucket{{pid=\"{pid}\"}}[30s])))")
    deadline = time.time() + float(timeout)
    got = {}
    while time.time() < deadline:
        _, doc = prom_query(prom, expr)
        if doc.get("status") != "success":
            fail(f"query failed: {doc}")
        got = {r["metric"].get("layer"): float(r["value"][1]) for r in doc["data"]["result"]}
        if sorted(got) == sorted(TINYNET_LAYERS) and all(
                math.isfinite(v) and v > 0 for v in got.values()):
            for layer in TINYNET_LAYERS:
                print(f"  p99 {layer:8s} {got[layer] * 1e6:10.1f} us")
            return
        time.sleep(1)
    fail(f"want a finite p99 for each of {TINYNET_LAYERS}, got {got}")


def dashboard_exprs(path):
    def walk(panels):
        for p in panels:
            yield from walk(p.get("panels", []))
            for t in p.get("targets", []):
                if t.get("expr"):
                    yield p["title"], t["expr"]
    with open(path) as f:
        return list(walk(json.load(f)["panels"]))


def rule_exprs(path):
    """expr: values of a rules file (block scalars included) without a YAML library"""
    out, lines = [], open(path).read().splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)expr:\s*(.*)$", lines[i])
        i += 1
        if not m:
            continue
        if m.group(2) not in ("|", ">"):
            out.append(("rule", m.group(2)))
            continue
        indent, body = len(m.group(1)), []
        while i < len(lines) and (not lines[i].strip() or
                                  len(lines[i]) - len(lines[i].lstrip()) > indent):
            body.append(lines[i].strip())
            i += 1
        out.append(("rule", " ".join(body)))
    return out


def grafana_vars(expr):
    return (expr.replace("$__rate_interval", "30s").replace("$model", ".*")
            .replace("$instance", ".*"))


# kernel-signal metrics the dashboard already shows (docs/metrics.md, "Kernel
# signals"): exported once the aggregator carries them, "no data" until then
RESERVED = {"nnperf_layer_off_cpu_seconds_total", "nnperf_layer_page_faults_total",
            "nnperf_layer_perf_events_total"}


def cmd_exprs(prom, dashboard, rules, scrape_file):
    """every expression runs; dashboard ones on metrics nnperf exports return data"""
    exported = set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)", open(scrape_file).read(), re.M))
    n = 0
    for source, items in (("dashboard", dashboard_exprs(dashboard)), ("rules", rule_exprs(rules))):
        for title, expr in items:
            q = grafana_vars(expr)
            status, doc = prom_query(prom, q)
            if status != 200 or doc.get("status") != "success":
                fail(f"{source} '{title}': {q} -> {doc.get('error', status)}")
            names = set(re.findall(r"(?<![\w:])(nnperf_[a-z_]+|process_cpu_seconds_total)(?![\w:])", q))
            unknown = names - exported - RESERVED
            if unknown:
                fail(f"{source} '{title}' uses metrics nnperf does not export: {unknown}")
            if source == "dashboard" and names <= exported and not doc["data"]["result"]:
                fail(f"{source} '{title}': {q} returned no data")
            n += 1
    print(f"ok: {n} dashboard and rule expressions run against Prometheus")


def cmd_jsonl(path, pid):
    """JSON lines: every line parses; pid's last process line has tinynet's layers"""
    last, nnperf_lines = None, 0
    for line in open(path):
        o = json.loads(line)
        if o["type"] == "nnperf":
            nnperf_lines += 1
        elif o["type"] == "process" and o["pid"] == int(pid):
            last = o
    if nnperf_lines < 2 or last is None:
        fail(f"want nnperf lines and a process line for {pid}: {nnperf_lines}, {last}")
    names = [layer["layer"] for layer in last["layers"]]
    if sorted(names) != sorted(TINYNET_LAYERS):
        fail(f"layers {names}")
    if last["inferences"]["count"] < 1 or last["runtime"] != "usdt":
        fail(f"process line {last['inferences']} {last['runtime']}")
    print(f"ok: {last['inferences']['count']} inferences, {len(names)} layers in JSON lines")


COMMANDS = {
    "free-port": cmd_free_port, "hold-port": cmd_hold_port, "http": cmd_http,
    "wait": cmd_wait, "wait-count": cmd_wait_count, "value": cmd_value, "wait-up": cmd_wait_up,
    "p99-layers": cmd_p99_layers, "exprs": cmd_exprs, "jsonl": cmd_jsonl,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail(f"usage: {sys.argv[0]} {'|'.join(COMMANDS)} ARGS...")
    COMMANDS[sys.argv[1]](*sys.argv[2:])

#!/usr/bin/env bash
# nnperf export's HTTP side (docs/reliability.md): --web-config errors, basic
# auth (401/200), TLS (https works, plain HTTP on the TLS port does not), only
# GET, idle clients beyond the connection limit time out and /healthz answers
# again, and the capabilities left: the attach set in the main thread, none in
# the HTTP thread, no_new_privs in both.
source "$(dirname "$0")/lib.sh"
require_root
X="/usr/bin/python3 $NNP_SRC/tests/integration/export_check.py"
for t in curl openssl htpasswd; do
	command -v $t >/dev/null || { echo "SKIP: $t missing (curl, openssl, apache2-utils)"; exit 77; }
done
start_export() { # start_export SCHEME ARGS...: sets EXP, LISTEN; waits for /healthz
	local scheme=$1
	shift
	LISTEN=127.0.0.1:$($X free-port)
	"$NNPERF" export --listen $LISTEN "$@" 2>>"$TMP/export.err" &
	EXP=$!
	PIDS+=($EXP)
	for _ in $(seq 200); do
		curl -sk -o /dev/null -u "alice:$PASS" "$scheme://$LISTEN/healthz" && return 0
		kill -0 $EXP 2>/dev/null || fail "export died: $(cat "$TMP/export.err")"
		sleep 0.1
	done
	fail "export on $LISTEN never answered"
}
status() { curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
PASS=s3cret-pw

echo "== --web-config errors: one line, file:line:column"
printf 'tls_server_config:\n  cert_file: [unclosed\n' >"$TMP/bad.yml"
expect_error "bad.yml:3:1: " "$NNPERF" export --web-config "$TMP/bad.yml" --listen 127.0.0.1:0
printf 'basic_auth_users:\n  alice: $2y$10$abc\nhttp_server_config:\n  http2: true\n' >"$TMP/unknown.yml"
expect_error "unknown.yml:3:1: unsupported key 'http_server_config'" \
	"$NNPERF" export --web-config "$TMP/unknown.yml" --listen 127.0.0.1:0
printf 'basic_auth_users:\n  alice: plaintext\n' >"$TMP/plain.yml"
expect_error "plain.yml:2:10: want a bcrypt hash" "$NNPERF" export --web-config "$TMP/plain.yml" --listen 127.0.0.1:0
printf 'tls_server_config:\n  cert_file: nope.crt\n' >"$TMP/half.yml"
expect_error "needs both cert_file and key_file" "$NNPERF" export --web-config "$TMP/half.yml" --listen 127.0.0.1:0
expect_error "--web-config $TMP/none.yml: No such file" "$NNPERF" export --web-config "$TMP/none.yml" --listen 127.0.0.1:0

echo "== basic auth"
HASH=$(htpasswd -nbB -C 5 alice "$PASS" | cut -d: -f2)
printf 'basic_auth_users:\n  alice: %s\n' "$HASH" >"$TMP/auth.yml"
start_export http --web-config "$TMP/auth.yml"
[ "$(status http://$LISTEN/metrics)" = 401 ] || fail "no credentials: want 401"
[ "$(status -u alice:wrong http://$LISTEN/metrics)" = 401 ] || fail "wrong password: want 401"
[ "$(status -u bob:$PASS http://$LISTEN/metrics)" = 401 ] || fail "unknown user: want 401"
[ "$(status -u alice:$PASS http://$LISTEN/metrics)" = 200 ] || fail "right password: want 200"
curl -si http://$LISTEN/metrics | grep -qi '^WWW-Authenticate: Basic realm="nnperf"' || fail "no WWW-Authenticate"
for m in POST PUT DELETE HEAD OPTIONS; do
	r=$(status -X $m -u alice:$PASS http://$LISTEN/metrics)
	[ "$r" = 405 ] || fail "$m: $r, want 405"
done
echo "ok: 401 without/with wrong credentials, 200 with them, only GET"

echo "== capabilities after start-up"
grep -q "^NoNewPrivs:.1" /proc/$EXP/status || fail "no_new_privs not set"
# what we had, within DAC_READ_SEARCH SETGID SETUID SYS_PTRACE SYS_ADMIN SYS_RESOURCE
# PERFMON BPF
before=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
want=$(printf '%016x' $((0x$before & 0xc0012800c4)))
main=$(awk '/^CapEff/ { print $2 }' /proc/$EXP/status)
[ "$main" = "$want" ] || fail "main thread CapEff $main, want $want (from $before)"
bnd=$(awk '/^CapBnd/ { print $2 }' /proc/$EXP/status)
[ "$bnd" = "$want" ] || fail "main thread CapBnd $bnd, want $want"
http_tid=$(grep -l '^MHD' /proc/$EXP/task/*/comm | head -n1 | cut -d/ -f5)
[ -n "$http_tid" ] || fail "no HTTP thread found"
http=$(awk '/^CapEff/ { print $2 }' /proc/$EXP/task/$http_tid/status)
[ "$http" = 0000000000000000 ] || fail "HTTP thread CapEff $http, want none"
echo "ok: CapEff before=$before main=$main http=$http, CapBnd=$bnd, NoNewPrivs=1"
# not curl | grep -q: grep leaves at the match and curl, still writing a page sent in chunks,
# fails with EPIPE (pipefail)
page=$(curl -s -u alice:$PASS http://$LISTEN/metrics) || fail "no page after the drop"
grep -q '^nnperf_build_info' <<<"$page" || fail "page after the drop"
kill $EXP; wait $EXP || true

echo "== TLS"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$TMP/server.key" -out "$TMP/server.crt" 2>/dev/null
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: %s\nbasic_auth_users:\n  alice: %s\n' \
	"$TMP/server.key" "$HASH" >"$TMP/tls.yml"
start_export https --web-config "$TMP/tls.yml"
[ "$(status --cacert "$TMP/server.crt" -u alice:$PASS https://localhost:${LISTEN#*:}/metrics)" = 200 ] ||
	fail "https with the certificate: want 200"
[ "$(status -u alice:$PASS http://$LISTEN/metrics)" = 000 ] || fail "plain HTTP on the TLS port answered"
[ "$(status https://$LISTEN/metrics)" = 401 ] || fail "https without credentials: want 401"
echo "ok: https 200, plain http refused, auth over TLS"
kill $EXP; wait $EXP || true

echo "== idle clients beyond the connection limit"
start_export http
python3 - "$LISTEN" <<'PY' || fail "slow clients pinned the server"
import socket, sys, time, urllib.request
host, port = sys.argv[1].rsplit(":", 1)
idle = []
for _ in range(24):  # NNP_HTTP_MAX_CONNECTIONS is 16
    s = socket.create_connection((host, int(port)))
    s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # never finishes the request
    idle.append(s)
t0 = time.monotonic()
while True:
    try:
        with urllib.request.urlopen(f"http://{sys.argv[1]}/healthz", timeout=2) as r:
            assert r.read() == b"ok\n"
            break
    except Exception:
        if time.monotonic() - t0 > 25:  # NNP_HTTP_TIMEOUT_S is 10
            raise SystemExit("no answer 25 s after 24 idle connections")
        time.sleep(0.5)
print(f"ok: /healthz answered {time.monotonic() - t0:.1f} s after 24 idle connections")
PY
pass

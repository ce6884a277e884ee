#!/usr/bin/env bash
# A hostile target. nnperf attaches to any process that maps a file named like
# a runtime's library, and that file's bytes are the process's to choose.
# Beside an honest tinynet, processes map crafted ELF files
# (tests/workloads/hostile/craft_elf.py: truncated section headers, absurd
# e_shnum, e_phnum and sh_size, overlapping PT_LOADs, symbol tables past the
# end of the file, a 4 GiB note, an .eh_frame CIE/FDE cycle, a name with
# terminal escapes) named libonnxruntime, libtorch_cpu, libggml-cpu, libllama
# and libopencv_dnn. Under `export --all`, `record -p` of those processes and
# `record -p` of each file alone: one line per bad file naming it and what is
# wrong, tinynet still exported with real counts, bounded time and peak
# memory (a table of both per file), no crash, no hang. The code of such files
# that nnperf loads to ask them things (the ORT and ggml adapters) runs in a
# child holding none of nnperf's descriptors. All again with the ASan build.
source "$(dirname "$0")/lib.sh"
require_root
H=$NNP_SRC/tests/workloads/hostile
PY=/usr/bin/python3
X="$PY $NNP_SRC/tests/integration/export_check.py"
BASE=$NNP_BUILD/libnnperf-fake-runtime.so
ASAN=${NNPERF_ASAN:-$NNP_SRC/build-asan/nnperf}
# bounds, generous (memory x SCALE, 6, under ASan)
EXPORT_S=30          # export --all shows tinynet's 13 layers within this
EXPORT_KIB=131072    # export's peak RSS (VmHWM)
FILE_S=20            # record -p of one bad file, the whole run
FILE_EXTRA_KIB=32768 # a bad file's peak RSS over the honest file's
[ -f "$BASE" ] || fail "$BASE missing (built by tests/workloads/hostile/CMakeLists.txt)"

# the children nnperf runs as nobody (fake_runtime.c's constructor) report
# under $TMP/report, one file per build
chmod 755 "$TMP"
mkdir -m 1777 "$TMP/report"

$PY "$H/craft_elf.py" "$BASE" "$TMP/elf" >"$TMP/manifest" || fail "craft_elf.py failed"
F=() SHOWN=() WHAT=() WANT=() KEPT=()
while IFS=$'\t' read -r path shown what want kept; do
	F+=("$path") SHOWN+=("$shown") WHAT+=("$what") WANT+=("$want") KEPT+=("$kept")
done <"$TMP/manifest"
BAD=("${!F[@]}")
BAD=("${BAD[@]:1}") # 0 is the honest copy
DEAD=() # the bad files that leave nothing to measure; ORT: the one that does
for i in "${BAD[@]}"; do
	if [ "${KEPT[i]}" = yes ]; then ORT=$i; else DEAD+=("$i"); fi
done
mkdir "$TMP/elf/sandbox"
cp "$BASE" "$TMP/elf/sandbox/libonnxruntime.so.3"
cp "$BASE" "$TMP/elf/sandbox/libggml-cpu-s.so"

# start_map TAG FILE...: a process mapping each FILE r-xp; sets MP
start_map() {
	local out=$TMP/map.$1
	$PY "$H/map_files.py" "${@:2}" >"$out" &
	MP=$!
	PIDS+=($MP)
	for _ in $(seq 200); do grep -q '^mapped' "$out" 2>/dev/null && return 0; sleep 0.05; done
	fail "map_files.py never mapped ${*:2}"
}

# one_line ERR I WHERE [REGEX]: exactly one warning or error line names file I,
# saying WANT[I] (or REGEX)
one_line() {
	local lines n want=${4:-${WANT[$2]}}
	lines=$(grep -E '^nnperf: (warning|error): ' "$1" | grep -F -- "${SHOWN[$2]}" || true)
	n=$(printf '%s' "$lines" | grep -c . || true)
	[ "$n" = 1 ] || fail "$3: $n lines name ${SHOWN[$2]}, want 1: $lines"
	grep -qE -- "$want" <<<"$lines" || fail "$3: '$lines' does not say /$want/"
}

# clean ERR OUT WHERE: no sanitizer report, no control bytes, nothing the loaded code wrote
clean() {
	! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$1" ||
		fail "$3: sanitizer report: $(grep -m5 -E 'Sanitizer|runtime error|#[0-9] ' "$1")"
	! grep -q 'nnperf-fake-runtime' "$1" "$2" || fail "$3: a library nnperf loaded wrote on its output"
	! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$1" || fail "$3: control bytes in nnperf's messages"
}

# measured BUILD.TAG NNPERF ARGS...: runs nnperf with its own ORT site cache; sets RC WALL KIB
measured() {
	local tag=$1 nn=$2
	shift 2
	read -r RC WALL KIB < <(XDG_CACHE_HOME=$TMP/cache.$tag \
		NNP_FAKE_RUNTIME_REPORT=$TMP/report/${tag%%.*} $PY "$H/measure.py" 60 \
		"$TMP/$tag.out" "$TMP/$tag.err" "$nn" "$@")
	clean "$TMP/$tag.err" "$TMP/$tag.out" "$tag"
}

export_phase() { # export_phase NNPERF BUILD
	local nn=$1 b=$2 listen url err=$TMP/$2.export.err exp t0 dt hwm i
	listen=127.0.0.1:$($X free-port)
	url=http://$listen/metrics
	t0=$(date +%s%N)
	XDG_CACHE_HOME=$TMP/cache.$b.export NNP_FAKE_RUNTIME_REPORT=$TMP/report/$b \
		ASAN_OPTIONS=detect_leaks=0 "$nn" export -v --all --listen $listen --interval 0.1 >"$TMP/$b.export.out" 2>"$err" &
	exp=$!
	PIDS+=($exp)
	$X wait-count $url "^nnperf_layer_duration_seconds_count\{pid=\"$TN\".*\} [1-9][0-9]*$" 13 40
	dt=$((($(date +%s%N) - t0) / 1000000))
	[ $dt -le $((EXPORT_S * 1000)) ] || fail "$b export: tinynet's layers after $dt ms"
	# B (nothing in it measurable) is examined again every 30 scans: still one line a file
	for _ in $(seq 150); do
		[ "$(grep -c "not attached to process $B:" "$err")" -ge 2 ] && break
		sleep 0.1
	done
	[ "$(grep -c "not attached to process $B:" "$err")" -ge 2 ] ||
		fail "$b export: process $B examined fewer than twice: $(grep -F "$B" "$err")"
	# export keeps CAP_SETUID (user/kernel/privs.c) for the child that loads an ORT
	# library as nobody: Run is found and the .eh_frame is read
	if grep -F -- "${SHOWN[ORT]}" "$err" | grep -q 'OrtApi::Run .*(Operation not permitted)'; then
		fail "$b export: the child that loads ORT could not drop root"
	fi
	grep -q "attached to process $A " "$err" || fail "$b export: hostile process $A not attached"
	one_line "$err" $ORT "$b export"
	for i in "${DEAD[@]}"; do one_line "$err" $i "$b export"; done
	hwm=$(awk '/^VmHWM/ {print $2}' /proc/$exp/status)
	[ $hwm -le $((EXPORT_KIB * ${SCALE:-1})) ] || fail "$b export: peak RSS $hwm KiB"
	kill -TERM $exp
	wait $exp || fail "$b export exited $? after SIGTERM: $(tail -3 "$err")"
	clean "$err" "$TMP/$b.export.out" "$b export"
	echo "ok: $b export: tinynet's 13 layers with counts after $dt ms, one line for each of" \
		"${#BAD[@]} bad files (process $B examined again), peak RSS $((hwm / 1024)) MiB"
}

record_phase() { # record_phase NNPERF BUILD
	local nn=$1 b=$2 i wall
	measured $b.recA "$nn" record -p $A -d 1
	wall=$WALL
	[ "$RC" = 0 ] || fail "$b record -p $A exited $RC: $(cat "$TMP/$b.recA.err")"
	for i in "${BAD[@]}"; do one_line "$TMP/$b.recA.err" $i "$b record -p $A"; done
	! grep -q '^nnperf: error' "$TMP/$b.recA.err" || fail "$b record -p $A: an error line"
	measured $b.recB "$nn" record -p $B -d 1
	[ "$RC" = 1 ] || fail "$b record -p $B (nothing measurable) exited $RC, want 1"
	for i in "${DEAD[@]}"; do one_line "$TMP/$b.recB.err" $i "$b record -p $B"; done
	tail -n1 "$TMP/$b.recB.err" | grep -q "^nnperf: error: nothing to measure in the process: ${#DEAD[@]} runtime files it maps could not be read" ||
		fail "$b record -p $B: last line '$(tail -n1 "$TMP/$b.recB.err")'"
	echo "ok: $b record -p: one line a bad file; with ${#BAD[@]} (the ORT one still" \
		"measured) exit 0 in $wall s, with the ${#DEAD[@]} others alone exit 1 with a clear error"
}

per_file_phase() { # per_file_phase NNPERF BUILD: record -p of each file alone, a table
	local nn=$1 b=$2 i want base_kib=0 rows=""
	for i in "${!F[@]}"; do
		start_map $b.f$i "${F[i]}"
		measured $b.f$i "$nn" record -p $MP -d 1
		kill $MP
		want=$([ "${KEPT[i]}" = yes ] && echo 0 || echo 1)
		[ "$RC" = $want ] || fail "$b record -p of ${SHOWN[i]} alone exited $RC, want $want: $(cat "$TMP/$b.f$i.err")"
		if [ $i = 0 ]; then
			! grep -q '^nnperf: \(warning\|error\)' "$TMP/$b.f$i.err" ||
				fail "$b: the honest file got a warning: $(cat "$TMP/$b.f$i.err")"
			base_kib=$KIB
		else
			one_line "$TMP/$b.f$i.err" $i "$b record -p of ${SHOWN[i]}"
			awk -v w=$WALL -v m=$FILE_S 'BEGIN { exit !(w <= m) }' ||
				fail "$b: ${SHOWN[i]} took $WALL s"
			[ $KIB -le $((base_kib + FILE_EXTRA_KIB * ${SCALE:-1})) ] ||
				fail "$b: ${SHOWN[i]}: peak RSS $KIB KiB, the honest file $base_kib"
		fi
		rows+=$(awk -v f="${SHOWN[i]#"$TMP/elf/"}" -v rc=$RC -v w=$WALL -v k=$KIB \
			-v b=$base_kib -v d="${WHAT[i]}" \
			'BEGIN { printf "%-34s %3s %7s %9.1f %+9.1f  %s", f, rc, w, k / 1024, (k - b) / 1024, d }')$'\n'
	done
	echo "== $b: record -p PID -d 1 of each file alone (wall: the whole run, BPF load included;"
	echo "   exit 0: something was attached, so the run lasted -d 1)"
	printf '%-34s %3s %7s %9s %8s  %s\n' FILE RC WALL_S PEAK_MiB VS_HONEST DEFECT
	printf '%s' "$rows"
}

# the ORT and ggml adapters load such files in a child: nobody, stdio on
# /dev/null, no BPF fds. Its report holds every such child of this build's runs.
sandbox_phase() { # sandbox_phase NNPERF BUILD
	local nn=$1 b=$2
	start_map $b.sb "$TMP/elf/sandbox/libonnxruntime.so.3" "$TMP/elf/sandbox/libggml-cpu-s.so"
	measured $b.sb "$nn" record -p $MP -d 1
	kill $MP
	[ "$RC" = 0 ] || fail "$b record -p of honest ORT and ggml copies exited $RC: $(cat "$TMP/$b.sb.err")"
	$PY - "$TMP/report/$b" "$b" <<'PY' || fail "$b: the loaded code reached nnperf's descriptors"
import collections, sys
procs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    w = line.split(maxsplit=4)
    if w[2] == "uid":
        procs[w[1]]["uid"] = int(w[3])
    else:
        procs[w[1]][int(w[3])] = w[4].strip()
held = [t for fds in procs.values() for fd, t in fds.items() if fd != "uid"]
assert any(t.endswith("/sandbox/libonnxruntime.so.3") for t in held), "the ORT child never ran"
assert any(t.endswith("/sandbox") for t in held), "the ggml child never ran"
for pid, fds in procs.items():
    assert fds.pop("uid") == 65534, f"child {pid} runs as uid {fds}"
    assert all(fds.get(i) == "/dev/null" for i in range(3)), f"child {pid}: stdio {fds}"
    leaked = {fd: t for fd, t in fds.items() if t.startswith(("anon_inode:", "socket:"))}
    assert not leaked, f"child {pid} holds nnperf's {leaked}"
print(f"ok: {sys.argv[2]}: {len(procs)} children ran the libraries' code as nobody, stdio on "
      f"/dev/null, holding only {sorted(set(t.split(':')[0] for f in procs.values() for t in f.values()))}")
PY
}

# tinynet sleeps 20 ms an inference: busy enough to be measured, idle enough for a 2-core VM
"$TINYNET" --model pruned --iterations 1000000 --sleep-layer softmax --sleep-us 20000 >/dev/null &
TN=$!
PIDS+=($TN)
start_map A "${F[@]:1}"
A=$MP
DEADF=()
for i in "${DEAD[@]}"; do DEADF+=("${F[i]}"); done
start_map B "${DEADF[@]}"
B=$MP

suite() { # suite NNPERF BUILD
	echo "== $2 nnperf: export --all"
	export_phase "$1" "$2"
	echo "== $2 nnperf: record -p"
	record_phase "$1" "$2"
	per_file_phase "$1" "$2"
	echo "== $2 nnperf: the code nnperf loads from those files"
	sandbox_phase "$1" "$2"
}

suite "$NNPERF" plain
if [ -x "$ASAN" ]; then
	SCALE=6 suite "$ASAN" asan
else
	skip_check "no ASan build at $ASAN (scripts/test.sh builds build-asan/): the same checks under ASan"
fi
pass

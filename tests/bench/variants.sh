# The comparisons of tests/bench/run.sh (sourced): each bench_* runs its variants
# interleaved REPS times and appends "group.variant value" lines with put.

# calls_run KEY FUNC N CMD...: CMD (a tracer's prefix) runs the call benchmark
calls_run() {
	step "calls $1"
	local key=$1 func=$2 n=$3
	shift 3
	wait_releases
	rm -f "$TMP/calls.out"
	if ! "$@" "$CALLS" calls "$func" "$n" "$CALLS_R" "$TMP/calls.out" >"$TMP/calls.log" 2>&1 ||
		[ ! -s "$TMP/calls.out" ]; then
		note "calls.$key failed: $(tail -2 "$TMP/calls.log")"
		return 0
	fi
	put "calls.$key" "$(awk '{ print $3 }' "$TMP/calls.out")"
}

calls_bpftrace() { # KEY FUNC N: the latency histogram of bpftrace's documentation
	local f=bench_$2 cmd="$CALLS calls $2 $3 $CALLS_R $TMP/calls.out"
	step "calls $1"
	wait_releases
	rm -f "$TMP/calls.out"
	bpftrace -c "$cmd" -e "uprobe:$CALLS:$f { @start[tid] = nsecs; }
		uretprobe:$CALLS:$f /@start[tid]/ { @lat = hist(nsecs - @start[tid]);
		delete(@start[tid]); }" >"$TMP/calls.log" 2>&1 || true
	if [ ! -s "$TMP/calls.out" ] || ! grep -q '^@lat' "$TMP/calls.log"; then
		note "calls.$1 failed: $(tail -2 "$TMP/calls.log")"
		return 0
	fi
	put "calls.$1" "$(awk '{ print $3 }' "$TMP/calls.out")"
}

calls_nnperf() { # KEY FUNC N [,mode=entry-only]: checks every call was measured
	local want=$(($3 / 4 + 1 + $3 * CALLS_R)) got
	calls_run "$1" "$2" "$3" "$NNPERF" record --usdt off --probe "layer=$CALLS:bench_$2${4:-}" --
	# entry-only: the last call stays open (only a next begin would end it)
	[ -z "${4:-}" ] || want=$((want - 1))
	got=$(awk -v f="bench_$2" '$1 == f { print $3; exit }' "$TMP/calls.log")
	[ "$got" = "$want" ] || note "calls.$1: nnperf counted ${got:-no} calls, want $want"
}

bench_calls() {
	local n=$CALLS_N slow=$((CALLS_N / 10)) probe=$BUILD/nnperf-bench-probe
	command -v bpftrace >/dev/null || note "bpftrace missing: its variants are n/a"
	for _ in $(seq "$REPS"); do
		calls_run none cet "$n"
		calls_run empty_best_cet cet "$n" "$probe" "$CALLS" bench_cet 4 --
		calls_run empty_ret_best_cet cet "$n" "$probe" --ret "$CALLS" bench_cet 4 --
		calls_run empty_entry_cet cet "$slow" "$probe" "$CALLS" bench_cet 0 --
		calls_nnperf nnperf_cet cet "$n"
		calls_nnperf nnperf_entry_only_cet cet "$n" ,mode=entry-only
		calls_nnperf nnperf_plain plain "$n"
		if command -v bpftrace >/dev/null; then
			calls_bpftrace bpftrace_cet cet "$slow"
			calls_bpftrace bpftrace_plain plain "$n"
		fi
		# the kernel's floor: an empty uprobe on a 5-byte nop (a syscall from 6.18 on x86-64),
		# on sys/sdt.h's 1-byte nop, and on a push (empty_best_cet above)
		calls_run empty_nop5 nop5 "$n" "$probe" "$CALLS" bench_nop5 0 --
		calls_run empty_nop1 nop1 "$n" "$probe" "$CALLS" bench_nop1 0 --
		# nnperf's USDT layer: begin and end markers (5-byte nops, nnperf/usdt.h)
		calls_run none_usdt usdt "$n"
		calls_run nnperf_usdt usdt "$n" "$NNPERF" record --
	done
}

# model_run KEY REGEX CMD...: the ms per inference the workload printed
model_run() {
	step "model $1"
	local key=$1 re=$2 v
	shift 2
	wait_releases
	"$@" >"$TMP/model.log" 2>&1 || { note "$key failed: $(tail -2 "$TMP/model.log")"; return 0; }
	v=$(grep -oE "$re" "$TMP/model.log" | grep -oE '[0-9.]+' | tail -1)
	[ -n "$v" ] || { note "$key: no time in the output: $(tail -2 "$TMP/model.log")"; return 0; }
	put "$key" "$v"
	if [ "${key#*.}" = nnperf ] && ! grep -qE 'inferences: [1-9]' "$TMP/model.log"; then
		note "$key: nnperf measured no inference"
	fi
}

bench_torch() {
	local mb=$SRC/tests/workloads/torch/mobilenet.py re='ms_per_inference=[0-9.]+'
	local args=(--iterations "$TORCH_IT" --warmup 2)
	$PY -c 'import torch, torchvision' 2>/dev/null || { note "no python3-torch: torch n/a"; return 0; }
	for _ in $(seq "$REPS"); do
		model_run torch.none "$re" $PY "$mb" "${args[@]}"
		model_run torch.nnperf "$re" "$NNPERF" record --runtime pytorch -- $PY "$mb" "${args[@]}"
		model_run torch.profiler "$re" $PY "$mb" "${args[@]}" --profile-out "$TMP/torch-prof.json"
	done
	# per operator call, where the op itself is cheap: what each tracer adds to one call
	local ops=$SRC/tests/bench/torch_ops.py ore='ns_per_op=[0-9.]+'
	local oargs=(--ops "$TORCH_OPS" --rounds 5)
	for _ in $(seq "$REPS"); do
		model_run torchop.none "$ore" $PY "$ops" "${oargs[@]}"
		model_run torchop.nnperf "$ore" "$NNPERF" record --runtime pytorch -- $PY "$ops" \
			"${oargs[@]}"
		model_run torchop.profiler "$ore" $PY "$ops" "${oargs[@]}" --profile
	done
}

bench_ort() {
	local model=$BUILD/models/ort-mobilenet_v2-opset13.onnx re='[0-9.]+ ms/inference'
	if ! command -v node >/dev/null || [ ! -e "$ORT/package.json" ]; then
		note "no node or onnxruntime-node in $ORT: ONNX Runtime n/a"
		return 0
	fi
	[ -s "$model" ] || $PY "$SRC/tests/workloads/opencv/make_model.py" --opset 13 "$model" \
		>/dev/null 2>&1 || { note "cannot make $model: ONNX Runtime n/a"; return 0; }
	local run=(node "$SRC/tests/workloads/ort/run.js" --ort "$ORT" --model "$model"
		--iterations "$ORT_IT" --warmup 2 --settle-ms "$ORT_SETTLE")
	mkdir -p "$TMP/ortprof"
	for _ in $(seq "$REPS"); do
		model_run ort.none "$re" "${run[@]}"
		model_run ort.nnperf "$re" "$NNPERF" record --runtime onnxruntime -- "${run[@]}"
		model_run ort.profiler "$re" "${run[@]}" --profile "$TMP/ortprof/p"
		rm -f "$TMP"/ortprof/*
	done
}

# llama.cpp through node-llama-cpp: ms per token of a tiny llama (tests/workloads/llama),
# 1 thread, every node measured: nnperf on the graph loop's call sites, entry-only (the
# default: one hit a node), at each call and its jump back (NNPERF_GGML_CALL_SITES=pairs,
# two), on each op's own entry and return (NNPERF_GGML_CALL_SITES=0),
# empty uprobes at the sites nnperf chose (the kernel's floor for them), bpftrace
# timing ggml_compute_forward_mul_mat alone and nnperf --overhead-budget 2. GGML_ROUNDS
# rounds of GGML_TOKENS tokens: the budget's first window (every probe, 0.2-1 s) then
# weighs little in the median token
bench_ggml() {
	local dir=${NNP_LLAMA_NPM:-$BUILD/npm-llama} re='[0-9.]+ ms/token' cpu mm
	local nlc=$dir/node_modules/node-llama-cpp model=$TMP/llama.gguf
	if ! command -v node >/dev/null || [ ! -e "$nlc/package.json" ]; then
		note "no node or node-llama-cpp in $dir: ggml n/a"
		return 0
	fi
	$PY "$SRC/tests/workloads/llama/make_model.py" --gguf-py "$dir/llama.cpp/gguf-py" "$model" \
		>/dev/null 2>&1 || { note "cannot make a llama model: ggml n/a"; return 0; }
	# one absolute path: bpftrace -c refuses a bare name found twice in PATH (/bin, /usr/bin)
	local run=("$(readlink -f "$(command -v node)")" "$SRC/tests/workloads/llama/run.js" --nlc "$nlc" --model "$model"
		--tokens "$GGML_TOKENS" --rounds "$GGML_ROUNDS" --threads 1 --settle-ms "$ORT_SETTLE")
	cpu=$("${run[@]}" 2>/dev/null | sed -n 's/^ggml-cpu: //p')
	# the same file by a path without '@', which bpftrace 0.17 cannot parse
	[ -z "$cpu" ] || { ln -sf "$cpu" "$TMP/bin/libggml-cpu.so" && cpu=$TMP/bin/libggml-cpu.so; }
	# the floor: empty uprobes at the very sites nnperf chose in the CPU library
	local sites=() site_file=
	"$NNPERF" record -v -- "${run[@]}" >"$TMP/ggml-v.log" 2>&1 || true
	mapfile -t sites < <(sed -nE 's/.*attached layer-(begin|end) uprobe (.*libggml-cpu[^:]*\.so):.* \(file offset (0x[0-9a-f]+),.*/\2 \3/p' \
		"$TMP/ggml-v.log" | sort -u)
	if [ ${#sites[@]} -gt 0 ]; then
		site_file=${sites[0]% *}
		sites=("$(printf '%s\n' "${sites[@]#* }" | paste -sd,)")
	else
		note "no ggml layer sites in nnperf -v: ggml.empty_sites n/a"
	fi
	mm="uprobe:$cpu:ggml_compute_forward_mul_mat { @s[tid] = nsecs; }
		uretprobe:$cpu:ggml_compute_forward_mul_mat /@s[tid]/ {
		@lat = hist(nsecs - @s[tid]); delete(@s[tid]); }"
	for _ in $(seq "$REPS"); do
		model_run ggml.none "$re" "${run[@]}"
		model_run ggml.nnperf "$re" "$NNPERF" record -- "${run[@]}"
		model_run ggml.nnperf_pairs "$re" env NNPERF_GGML_CALL_SITES=pairs "$NNPERF" record -- \
			"${run[@]}"
		model_run ggml.nnperf_own "$re" env NNPERF_GGML_CALL_SITES=0 "$NNPERF" record -- \
			"${run[@]}"
		model_run ggml.budget2 "$re" "$NNPERF" record --overhead-budget 2 -- "${run[@]}"
		[ -z "$site_file" ] || model_run ggml.empty_sites "$re" "$BUILD/nnperf-bench-probe" \
			--sites "$site_file" "${sites[0]}" -- "${run[@]}"
		[ -z "$cpu" ] || ! command -v bpftrace >/dev/null ||
			model_run ggml.bpftrace_mul_mat "$re" bpftrace -c "${run[*]}" -e "$mm"
	done
}

agg_field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

bench_agg() {
	local agg=$BUILD/nnperf-bench-agg line
	for _ in $(seq "$REPS"); do
		line=$("$agg" drain "$AGG_S" 100) && put agg.drain_events_per_s "$(agg_field events_per_s <<<"$line")"
		line=$("$agg" drain "$AGG_S" 10000) && put agg.drain10k_events_per_s "$(agg_field events_per_s <<<"$line")"
		line=$("$agg" live 2000000 "$LIVE_S" 100) || continue
		put agg.live_lost "$(agg_field lost <<<"$line")"
		put agg.live_achieved_per_s "$(agg_field achieved_per_s <<<"$line")"
		put agg.live_reader_cpu_pct "$(agg_field reader_cpu_share <<<"$line" | awk '{ print $1 * 100 }')"
	done
}

hwm_kib() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }

mem_record() { # nnperf record of 10,000 named layers: peak RSS, and every layer named
	local pid hwm=0 h n
	wait_releases
	"$NNPERF" record -o "$TMP/mem.json" -- "$CALLS" layers 10000 3 1500 >/dev/null 2>"$TMP/mem.err" &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		h=$(hwm_kib $pid)
		[ -n "$h" ] && hwm=$h
		sleep 0.1
	done
	wait $pid || { note "mem record failed: $(tail -2 "$TMP/mem.err")"; return 0; }
	n=$($PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for p in d["processes"] for l in p["layers"] if l["name"].startswith("layer_")))' \
		"$TMP/mem.json")
	[ "$n" = 10000 ] || note "mem: the recording has $n named layers, want 10000"
	put mem.record_hwm_mib "$(kib_to_mib "$hwm")"
}

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_export TARGET_PID: nnperf export attached to it, pid in EXP, URL set
start_export() {
	local port
	port=$(free_port)
	URL=http://127.0.0.1:$port/metrics
	wait_releases
	: >"$TMP/export.err"
	"$NNPERF" export -v -p "$1" --listen "127.0.0.1:$port" 2>"$TMP/export.err" &
	EXP=$!
	PIDS+=("$EXP")
	for _ in $(seq 300); do
		grep -q "attached to process $1" "$TMP/export.err" && return 0
		kill -0 "$EXP" 2>/dev/null || break
		sleep 0.1
	done
	note "export did not attach: $(tail -2 "$TMP/export.err")"
	return 1
}

stop() { kill "$@" 2>/dev/null || true; wait "$@" 2>/dev/null || true; }

mem_export() { # nnperf export of 10,000 named layers, after a scrape of them all
	local t n
	"$CALLS" layers 10000 1000000 0 50 &
	t=$!
	PIDS+=("$t")
	if start_export $t; then
		sleep "$HOLD_S"
		n=$(curl -sf --max-time 20 "$URL" | grep -c '^nnperf_layer_duration_seconds_count{' || true)
		sleep 1
		echo "info export_layer_series $n (10,000 layers tracked)" >>"$OUT"
		put mem.export_hwm_mib "$(kib_to_mib "$(hwm_kib "$EXP")")"
		stop "$EXP"
	fi
	stop $t
}

bench_mem() {
	for _ in $(seq "$REPS"); do
		mem_record
		mem_export
	done
}

ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
layer_count() { curl -sf --max-time 5 "$URL" | awk '/^nnperf_layer_duration_seconds_count\{/ { s += $NF } END { print s + 0 }'; }

# cpu_window PID KEY: % of a core PID used over CPU_SECONDS / REPS, after a 2 s warm-up
cpu_window() {
	local w t0 t1 hz
	w=$(awk -v s="$CPU_SECONDS" -v r="$REPS" 'BEGIN { printf "%.1f", s / r }')
	hz=$(getconf CLK_TCK)
	sleep 2
	t0=$(ticks "$1")
	sleep "$w"
	t1=$(ticks "$1")
	put "$2" "$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v w="$w" \
		'BEGIN { printf "%.3f", (b - a) * 100 / hz / w }')"
}

bench_cpu() {
	local t top scraper c0 c1
	"$BUILD/nnperf-tinynet" --model sparse --iterations 1000000000 >/dev/null &
	t=$!
	PIDS+=("$t")
	for _ in $(seq "$REPS"); do
		if start_export $t; then
			(while :; do curl -sf -o /dev/null --max-time 5 "$URL" || true; sleep 1; done) &
			scraper=$!
			c0=$(layer_count)
			cpu_window "$EXP" cpu.export_pct
			c1=$(layer_count)
			stop $scraper
			put cpu.layer_calls_per_s "$(awk -v a="$c0" -v b="$c1" -v s="$CPU_SECONDS" -v r="$REPS" \
				'BEGIN { printf "%.0f", (b - a) / (s / r + 2) }')"
			stop "$EXP"
		fi
		wait_releases
		"$NNPERF" top -b -d 1 -p $t >"$TMP/top.out" 2>&1 &
		top=$!
		PIDS+=("$top")
		cpu_window $top cpu.top_pct
		grep -q . "$TMP/top.out" || note "top printed nothing"
		stop $top
	done
	stop $t
}

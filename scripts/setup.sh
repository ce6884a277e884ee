#!/usr/bin/env bash
# Shared set-up of the demo and the tests: installs the Debian packages that are
# missing, mounts bpffs/tracefs if needed, raises nothing else, and builds into
# build/ (NNPERF_BUILD_DIR overrides). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libcapstone-dev
	libmicrohttpd-dev libncurses-dev libjson-c-dev libcmocka-dev uthash-dev
	systemtap-sdt-dev cmake ninja-build pkg-config gcc g++ make binutils
	python3 python3-pip util-linux procps chromium prometheus python3-yaml python3-numpy python3-flatbuffers python3-packaging python3-sympy git bpftrace
	python3-torch python3-torchvision python3-onnx python3-opencv python3-pyarmnn libarmnn-cpuref-backend22
	libyaml-dev libcrypt-dev libclang-rt-14-dev clang-format-14 openssl curl apache2-utils)

die() { echo "setup: $*" >&2; exit 1; }

# --arch arm64 on an x86-64 host: the cross packages and a cross build into build-arm64/
# (NNPERF_BUILD_DIR overrides); docs/deploy.md. Without --arch: the host build, as always.
arch=
if [ "${1:-}" = --arch ]; then
	arch=${2:-}
	[ "$arch" = arm64 ] || die "--arch takes arm64, not '${arch}'"
	[ "$(uname -m)" = aarch64 ] && arch= # native on an arm64 machine
fi

[ "$(id -u)" = 0 ] || die "run as root (nnperf loads BPF programs; apt-get installs packages)"

if [ -n "$arch" ]; then
	CROSS=(clang llvm bpftool cmake ninja-build pkg-config python3 python3-pip uthash-dev
		gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user-static
		libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64 libcapstone-dev:arm64
		libmicrohttpd-dev:arm64 libncurses-dev:arm64 libjson-c-dev:arm64 libcmocka-dev:arm64
		libyaml-dev:arm64 libcrypt-dev:arm64 systemtap-sdt-dev:arm64)
	apt=(apt-get -o DPkg::Lock::Timeout=900)
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
	missing=()
	for p in "${CROSS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "setup: installing ${missing[*]}"
		"${apt[@]}" update -qq
		DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends \
			"${missing[@]}" >/dev/null
	fi
	build=${NNPERF_BUILD_DIR:-build-arm64}
	cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake ${NNPERF_CMAKE_ARGS:-} >/dev/null
	cmake --build "$build"
	# LiteRT's aarch64 wheel for the arm64 guest's LiteRT test (tests/vm), as on the host
	pip_dir=$build/pip/ai-edge-litert-2.3.0
	if [ ! -e "$pip_dir/ai_edge_litert/interpreter.py" ]; then
		rm -rf "$pip_dir"
		python3 -m pip install -q --no-deps --disable-pip-version-check --no-warn-script-location \
			--root-user-action=ignore --platform manylinux_2_27_aarch64 --only-binary=:all: \
			--python-version 3.11 --implementation cp --target "$pip_dir" "ai-edge-litert==2.3.0" \
			>/dev/null || echo "setup: warning: cannot fetch ai-edge-litert's aarch64 wheel" >&2
	fi
	# onnxruntime's aarch64 wheels (1.17.0 is PyPI's oldest for Python 3.11 there) and the
	# model its test runs, made here: the arm64 guest has no torch
	for v in 1.32.0 1.17.0; do
		pip_dir=$build/pip/onnxruntime-$v
		[ -e "$pip_dir/onnxruntime/__init__.py" ] && continue
		rm -rf "$pip_dir"
		python3 -m pip install -q --no-deps --disable-pip-version-check --no-warn-script-location \
			--root-user-action=ignore --platform manylinux_2_28_aarch64 \
			--platform manylinux_2_27_aarch64 --platform manylinux2014_aarch64 \
			--only-binary=:all: --python-version 3.11 --implementation cp --target "$pip_dir" \
			"onnxruntime==$v" >/dev/null ||
			echo "setup: warning: cannot fetch onnxruntime $v's aarch64 wheel" >&2
	done
	model=$build/models/ort-mobilenet_v2-opset13.onnx
	if [ ! -s "$model" ] && /usr/bin/python3 -c 'import torch, torchvision, onnx' 2>/dev/null; then
		/usr/bin/python3 tests/workloads/opencv/make_model.py --opset 13 "$model" >/dev/null ||
			echo "setup: warning: cannot make $model" >&2
	fi
	exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# bpffs and tracefs: not needed to record (uprobes attach through perf events),
# but bpftool, pinning and the legacy uprobe path use them.
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || echo "setup: warning: cannot mount bpffs" >&2
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing ||
	echo "setup: warning: cannot mount tracefs" >&2

build=${NNPERF_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${NNPERF_CMAKE_ARGS:-} >/dev/null
cmake --build "$build"

# onnxruntime-node for the ONNX Runtime test, kept in the build dir (not in git). Its install
# script downloads from a host that may not be reachable; the CPU libraries are in the package.
ort_dir=$build/npm
if [ ! -e "$ort_dir/node_modules/onnxruntime-node/package.json" ]; then
	if command -v npm >/dev/null; then
		mkdir -p "$ort_dir"
		npm i --prefix "$ort_dir" --ignore-scripts --no-audit --no-fund onnxruntime-node@1.30.0 >/dev/null ||
			echo "setup: warning: cannot install onnxruntime-node: its test is skipped" >&2
	else
		echo "setup: warning: no npm: the ONNX Runtime test is skipped" >&2
	fi
fi

# onnxruntime from PyPI, the way most people run ORT (python3 -m pip), for its test: the
# newest wheel and the oldest that issue #15 covers, each in a directory of its own in the
# build dir (PYTHONPATH; not in git). --no-deps: Debian's numpy is enough to run a session.
for v in 1.32.0 1.16.3; do
	pip_dir=$build/pip/onnxruntime-$v
	[ -e "$pip_dir/onnxruntime/__init__.py" ] && continue
	rm -rf "$pip_dir"
	python3 -m pip install -q --no-deps --disable-pip-version-check --no-warn-script-location \
		--root-user-action=ignore --target "$pip_dir" "onnxruntime==$v" >/dev/null ||
		echo "setup: warning: cannot install onnxruntime $v from PyPI: its test is skipped" >&2
done

# onnx 1.16.2 from PyPI for the quantized-model test: ORT's quantize_static needs onnx.reference
# (onnx >= 1.13; Debian 12 has 1.12). Put before Debian's on PYTHONPATH by that test only.
pip_dir=$build/pip/onnx-1.16.2
if [ ! -e "$pip_dir/onnx/__init__.py" ]; then
	rm -rf "$pip_dir"
	python3 -m pip install -q --no-deps --disable-pip-version-check --no-warn-script-location \
		--root-user-action=ignore --target "$pip_dir" "onnx==1.16.2" >/dev/null ||
		echo "setup: warning: cannot install onnx 1.16.2 from PyPI: the ORT int8 check is skipped" >&2
fi

# LiteRT (TensorFlow Lite) from PyPI for its test, the same way: ai-edge-litert 2.3.0 (its
# kernels in libpywrap_litert_common.so) and 1.2.0 (in _pywrap_tensorflow_interpreter_wrapper,
# the file name tflite-runtime used). The test's models are written by
# tests/workloads/litert/make_model.py with the schema module the wheel carries and Debian's
# python3-flatbuffers (tensorflow, the usual converter, is a 600 MB install).
# tflite-runtime 2.14.0, LiteRT's predecessor (still what many edge guides install), keeps
# Subgraph::OpInvoke as a function of its own.
for p in ai-edge-litert==2.3.0 ai-edge-litert==1.2.0 tflite-runtime==2.14.0; do
	pip_dir=$build/pip/${p/==/-}
	compgen -G "$pip_dir/*/interpreter.py" >/dev/null && continue
	rm -rf "$pip_dir"
	python3 -m pip install -q --no-deps --disable-pip-version-check --no-warn-script-location \
		--root-user-action=ignore --target "$pip_dir" "$p" >/dev/null ||
		echo "setup: warning: cannot install $p from PyPI: its test is skipped" >&2
done

# node-llama-cpp for the llama.cpp / ggml test: only the linux-x64 CPU prebuilt (about 85 MB;
# the optional CUDA, Vulkan and ARM packages make it 730 MB). Its llama.cpp source (a git
# bundle in the package) gives gguf-py, which makes the test's tiny models offline.
llama_dir=$build/npm-llama
if [ ! -e "$llama_dir/node_modules/node-llama-cpp/package.json" ] && command -v npm >/dev/null; then
	mkdir -p "$llama_dir"
	npm i --prefix "$llama_dir" --ignore-scripts --no-audit --no-fund --omit=optional -E \
		node-llama-cpp@3.21.1 @node-llama-cpp/linux-x64@3.21.1 >/dev/null ||
		echo "setup: warning: cannot install node-llama-cpp: the ggml test is skipped" >&2
fi
bundle=$llama_dir/node_modules/node-llama-cpp/llama/gitRelease.bundle
if [ -e "$bundle" ] && [ ! -d "$llama_dir/llama.cpp/gguf-py" ]; then
	git clone -q "$bundle" "$llama_dir/llama.cpp" 2>/dev/null ||
		echo "setup: warning: cannot unpack llama.cpp's source: the ggml test is skipped" >&2
fi

#!/usr/bin/env bash
# Seeds of fuzz_demangle: real mangled names from `nm -D` of libtorch_cpu, libstdc++ and
# libopencv_dnn, one a line, picked by kind so that each file is a few dozen names.
#   tests/fuzz/demangle_seeds.sh [OUTDIR]   (default tests/fuzz/corpus/fuzz_demangle)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-tests/fuzz/corpus/fuzz_demangle}
lib=/usr/lib/x86_64-linux-gnu
mkdir -p "$out"

# every C++ name a library exports, without its @VERSION, sorted so picks are stable
names() { nm -D --defined-only "$1" | awk '{ print $NF }' | sed 's/@.*//' | grep '^_Z' | LC_ALL=C sort -u; }

torch=$(names $lib/libtorch_cpu.so.1.13)
stdcxx=$(names $lib/libstdc++.so.6)
opencv=$(names $lib/libopencv_dnn.so.406)

# ABI tags: std::string in a signature ([abi:cxx11])
grep 'B5cxx11' <<<"$torch" | awk 'NR % 4 == 1' | sed -n 1,60p >"$out/torch-abi-tags"
# lambdas (Ul...E_) and names local to a function (_ZZ)
grep -E 'Ul|^_ZZ' <<<"$torch" | sed -n 1,60p >"$out/torch-lambdas-local"
# operators (c++filt says which) and the 10 longest names
{
	paste <(cat <<<"$torch") <(c++filt <<<"$torch") | grep -F '::operator' | cut -f1 |
		awk 'NR % 8 == 1' | sed -n 1,50p
	awk '{ print length, $0 }' <<<"$torch" | LC_ALL=C sort -k1,1nr -k2 | sed -n 1,10p | cut -d' ' -f2
} >"$out/torch-operators-long"
# special names: vtables, typeinfo, guards, thunks, TLS wrappers; operator new/delete
grep -E '^_Z(TV|TI|TS|GV|Th|Tv|Tc|TW|TH|nw|na|dl|da)' <<<"$stdcxx" | awk 'NR % 8 == 1' | sed -n 1,80p \
	>"$out/stdcxx-special"
# libstdc++ templates: iostreams, strings, locale facets
grep -E '^_ZNS' <<<"$stdcxx" | awk 'NR % 40 == 1' | sed -n 1,60p >"$out/stdcxx-templates"
# OpenCV's dnn, every 16th
awk 'NR % 16 == 1' <<<"$opencv" >"$out/opencv-dnn"
wc -l "$out"/* >&2

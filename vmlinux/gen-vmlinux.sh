#!/bin/sh
# Regenerates vmlinux/<arch>/vmlinux.h from a kernel's BTF. Never edit the output by hand.
# usage: vmlinux/gen-vmlinux.sh [BTF_FILE]   (default /sys/kernel/btf/vmlinux)
set -eu
btf=${1:-/sys/kernel/btf/vmlinux}
case "$(uname -m)" in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) echo "gen-vmlinux: unsupported arch $(uname -m)" >&2; exit 1 ;;
esac
dir=$(dirname "$0")/$arch
mkdir -p "$dir"
[ -r "$btf" ] || { echo "gen-vmlinux: cannot read BTF file $btf" >&2; exit 1; }
bpftool btf dump file "$btf" format c >"$dir/vmlinux.h.tmp"
mv "$dir/vmlinux.h.tmp" "$dir/vmlinux.h"
echo "wrote $dir/vmlinux.h from $btf ($(uname -r))"

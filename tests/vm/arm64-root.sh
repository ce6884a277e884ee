#!/usr/bin/env bash
# Assembles the userland of the arm64 guest: Debian 12 arm64 packages (what the integration
# tests and nnperf need, with their dependencies) fetched with apt-get download and
# extracted with dpkg-deb -x into DIR (default build/vm/arm64-root; never in git). Kept
# until the package list changes. tests/vm/run.sh shares DIR as the guest's root and the
# project tree at its own path inside it.
#
#   tests/vm/arm64-root.sh [DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-$ROOT/build/vm/arm64-root}
die() { echo "vm: arm64 root: $*" >&2; exit 1; }

# what the tests run (bash, coreutils, python3 for check.py, bpftool, objdump, numpy and
# flatbuffers for LiteRT's test, ...) and what nnperf links
WANT=(busybox-static bash dash coreutils grep sed mawk procps util-linux mount findutils
	python3.11-minimal libpython3.11-stdlib bpftool binutils binutils-aarch64-linux-gnu
	libelf1 libbpf1 libcapstone4 libjson-c5 libmicrohttpd12 libncurses6 libtinfo6 zlib1g
	libzstd1 libcrypt1 libyaml-0-2 python3-numpy)
# architecture-independent ones (apt-cache depends lists them without :arm64), whose own
# dependencies WANT already brings
WANT_ALL=(python3-flatbuffers)
# dependencies the tests do not need (alternatives apt-cache lists, perl, installers)
SKIP='^(perl|perl-base|perl-modules-.*|libperl.*|dpkg|cdebconf|debconf|libdebian-installer4|libnewt0.52|libslang2|libtextwrap1|install-info|gawk|original-awk|libsigsegv2|libmpfr6|libelogind0|base-files|usrmerge|usr-is-merged|init-system-helpers|debianutils|tar|mailcap|media-types|mime-support|readline-common|libaudit-common|libtirpc-common)$'

# awk for the tests (dpkg's alternatives would make it; mawk is what the root has)
if [ -d "$DIR/usr/bin" ] && [ ! -e "$DIR/usr/bin/awk" ] && [ -x "$DIR/usr/bin/mawk" ]; then
	ln -s mawk "$DIR/usr/bin/awk"
fi
stamp=$(printf '%s\n' "${WANT[@]}" all: "${WANT_ALL[@]}" "$SKIP" blas-links | sha256sum | cut -c1-16)
[ "$(cat "$DIR/.nnpvm-stamp" 2>/dev/null)" != "$stamp" ] || exit 0

dpkg --print-foreign-architectures | grep -qx arm64 ||
	die "apt knows no arm64 packages: run dpkg --add-architecture arm64; apt-get update (tests/vm/setup.sh)"
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
	--no-replaces --no-enhances "${WANT[@]/%/:arm64}" 2>/dev/null |
	sed -n 's/^\([a-z0-9][a-z0-9.+-]*\):arm64$/\1/p' | sort -u | grep -Ev "$SKIP") ||
	die "apt-cache depends failed"
[ -n "$pkgs" ] || die "apt-cache found none of ${WANT[*]} for arm64 (apt-get update after dpkg --add-architecture arm64?)"

debs=$ROOT/build/vm/cache/arm64-debs
mkdir -p "$debs"
echo "vm: arm64 root: fetching $(($(echo "$pkgs" | wc -l) + ${#WANT_ALL[@]})) packages into $debs"
# shellcheck disable=SC2046
(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $(echo "$pkgs" | sed 's/$/:arm64/') \
	"${WANT_ALL[@]}" >download.log 2>&1) ||
	die "apt-get download failed: $(grep -E '^E:' "$debs/download.log" | head -n1)"

rm -rf "$DIR.new"
mkdir -p "$DIR.new"
for p in $pkgs "${WANT_ALL[@]}"; do
	deb=$(compgen -G "$debs/${p}_*_arm64.deb" || compgen -G "$debs/${p}_*_all.deb") ||
		die "no .deb for $p in $debs"
	deb=$(echo "$deb" | tail -n1)
	dpkg-deb -x "$deb" "$DIR.new"
done
cd "$DIR.new"
# what the packages' maintainer scripts and the base system would have made
mkdir -p proc sys dev tmp run root etc "./$ROOT"
ln -sf python3.11 usr/bin/python3
ln -sf mawk usr/bin/awk
# numpy's BLAS and LAPACK, which update-alternatives would link: the reference ones
ln -sf blas/libblas.so.3 usr/lib/aarch64-linux-gnu/libblas.so.3
ln -sf lapack/liblapack.so.3 usr/lib/aarch64-linux-gnu/liblapack.so.3
[ -e bin/sh ] || ln -s dash bin/sh
for f in passwd group hosts nsswitch.conf; do [ -e "/etc/$f" ] && cp "/etc/$f" etc/; done
# the multiarch library directories without an ld.so.cache (ldconfig is the host's)
mkdir -p etc/ld.so.conf.d
printf '/lib/aarch64-linux-gnu\n/usr/lib/aarch64-linux-gnu\n' >etc/ld.so.conf.d/aarch64-linux-gnu.conf
[ -x usr/bin/python3.11 ] && [ -x bin/bash ] && [ -x usr/sbin/bpftool ] && [ -x bin/busybox ] ||
	die "the extracted packages lack python3.11, bash, bpftool or busybox"
echo "$stamp" >.nnpvm-stamp
cd /
rm -rf "$DIR"
mv "$DIR.new" "$DIR"
echo "vm: arm64 root: $(du -sh "$DIR" | cut -f1) in $DIR"

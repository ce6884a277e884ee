#!/usr/bin/env bash
# What tests/vm/ needs on the host (Debian 12, root): qemu for both guests, busybox-static
# for the initramfs, and apt's arm64 package lists (the arm64 kernel and userland are
# fetched with apt-get download at test time). Installs only what is missing.
set -euo pipefail
die() { echo "vm setup: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (apt-get)"
apt_opts=(-o DPkg::Lock::Timeout=900 -q)
missing=()
for p in qemu-system-x86 qemu-system-arm busybox-static; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
updated=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	apt-get "${apt_opts[@]}" update -qq || die "apt-get update failed"
	updated=1
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "vm setup: installing ${missing[*]}"
	[ $updated = 1 ] || apt-get "${apt_opts[@]}" update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi
if ! apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1; then
	apt-get "${apt_opts[@]}" update -qq || die "apt-get update failed"
	apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1 ||
		die "apt knows no linux-image-arm64:arm64 after apt-get update"
fi

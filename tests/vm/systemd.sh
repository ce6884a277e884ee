#!/usr/bin/env bash
# deploy/nnperf-export.service run under a real systemd: a qemu guest (Debian 12 root made
# with debootstrap, Debian's 6.1 kernel, systemd as PID 1) where the unit is installed the
# way docs/deploy.md says, started with a tinynet running, killed with SIGKILL and restarted
# by systemd, and checked for anything its hardening blocked (tests/vm/systemd/guest.sh).
#
#   tests/vm/systemd.sh
#
# Needs root, and build/ (nnperf and nnperf-tinynet; NNPERF_VM_BUILD for another build
# directory). Installs what it lacks with apt-get (debootstrap qemu-system-x86 busybox-static
# e2fsprogs). Cached in NNPERF_VM_CACHE (default build/vm/systemd, never in git): the root
# (rebuilt when its package list changes) and the kernel package. Each run installs this
# checkout's build (cmake --install, DESTDIR into a copy of the root) and deploy/'s unit,
# makes an ext4 image of it with mkfs.ext4 -d, and boots it with a busybox initramfs that
# loads virtio_blk and ext4 and switch_roots to systemd. KVM where it really boots a guest
# (probed once per host boot), else TCG.
#
# Exit: 0 every check in the guest passed; 1 a check failed (one line names it), the guest
# timed out or set-up failed.
#
# Environment: NNPERF_VM_CACHE, NNPERF_VM_BUILD, NNPERF_VM_MIRROR (default: the bookworm
# mirror of /etc/apt/sources.list*), NNPERF_VM_KERNEL (a linux-image-6.1.0-N-amd64 package,
# default the one linux-image-amd64 depends on), NNPERF_VM_KVM (auto, 0, 1),
# NNPERF_VM_BOOT_TIMEOUT (s, default 600), NNPERF_VM_MEM (MiB, 2048), NNPERF_VM_SMP (2),
# NNPERF_VM_VERBOSE=1 (print the whole guest console).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "vm-systemd: FAILED: $*" >&2; exit 1; }
. "$ROOT/tests/vm/lib.sh"
log() { echo "vm-systemd: $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
T_START=$(now_ms)

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, the image's root-owned files)"
BUILD=${NNPERF_VM_BUILD:-$ROOT/build}
[ -x "$BUILD/nnperf" ] && [ -x "$BUILD/nnperf-tinynet" ] ||
	{ echo "vm-systemd: no $BUILD/nnperf and nnperf-tinynet: build first (scripts/setup.sh, or cmake -B build -G Ninja && ninja -C build)" >&2; exit 1; }
BUILD=$(cd "$BUILD" && pwd)
CACHE=${NNPERF_VM_CACHE:-$ROOT/build/vm/systemd}
MEM=${NNPERF_VM_MEM:-2048}
SMP=${NNPERF_VM_SMP:-2}
BOOT_TIMEOUT=${NNPERF_VM_BOOT_TIMEOUT:-600}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
APT=(-o DPkg::Lock::Timeout=900 -o APT::Sandbox::User=root -q)

# --- host tools ---
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
file -L /bin/busybox 2>/dev/null | grep -q "statically linked" || need+=(busybox-static)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v cmake >/dev/null || need+=(cmake)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	timeout 1200 apt-get "${APT[@]}" -y -o DPkg::Lock::Timeout=900 install "${need[@]}" >"$CACHE/apt-install.log" 2>&1 ||
		die "apt-get install ${need[*]}: $(grep -E '^E:' "$CACHE/apt-install.log" | head -n1)"
fi

# --- the mirror: the bookworm one apt already uses ---
mirror=${NNPERF_VM_MIRROR:-}
if [ -z "$mirror" ]; then
	# deb822 stanzas (URIs: + Suites: bookworm) and one-line "deb [opts] URI bookworm ..."
	srcs=()
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
		[ ! -f "$f" ] || srcs+=("$f")
	done
	[ ${#srcs[@]} -gt 0 ] || die "no /etc/apt/sources.list*: set NNPERF_VM_MIRROR"
	mirror=$(awk '
		FNR == 1 || /^[ \t]*$/ { if (uri != "" && suite) { print uri; done = 1; exit } uri = ""; suite = 0 }
		/^[ \t]*$/ { next }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
		/^deb[ \t]/ { sub(/\[[^]]*\][ \t]*/, ""); if ($3 == "bookworm") { print $2; done = 1; exit } }
		END { if (!done && uri != "" && suite) print uri }' "${srcs[@]}")
	[ -n "$mirror" ] || die "no bookworm mirror in /etc/apt/sources.list*: set NNPERF_VM_MIRROR"
fi

# --- the root: debootstrap minbase with systemd, curl and the libraries nnperf links ---
# the packages of the shared libraries build/nnperf and build/nnperf-tinynet need (ldd)
libpkgs=$(ldd "$BUILD/nnperf" "$BUILD/nnperf-tinynet" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u |
	while read -r lib; do
		real=$(readlink -f "$lib")
		for f in "$lib" "$real" "/usr$lib" "/usr$real" "${lib#/usr}" "${real#/usr}"; do
			p=$(dpkg -S "$f" 2>/dev/null | head -n1 | cut -d: -f1) && [ -n "$p" ] && { echo "$p"; break; }
		done || { echo "vm-systemd: FAILED: no package owns $lib (needed by nnperf)" >&2; echo MISSING; }
	done | sort -u | tr '\n' ' ')
case $libpkgs in *MISSING*) exit 1 ;; esac
PKGS="systemd systemd-sysv curl $libpkgs"
PKGS=$(echo $PKGS | tr ' ' '\n' | sort -u | tr '\n' ',' | sed 's/,$//')
rootdir=$CACHE/root
# bump RECIPE when what is done to the root after debootstrap changes
RECIPE=1
stamp=$(printf '%s\n' "$PKGS" "$mirror" "$RECIPE" | sha256sum | cut -c1-16)
T_ROOT=$(now_ms)
if [ "$(cat "$rootdir/.nnpsd-stamp" 2>/dev/null)" != "$stamp" ]; then
	log "debootstrap bookworm (minbase + $PKGS) from $mirror into $rootdir"
	rm -rf "$rootdir.new"
	timeout 1800 debootstrap --variant=minbase --include="$PKGS" bookworm "$rootdir.new" "$mirror" \
		>"$CACHE/debootstrap.log" 2>&1 ||
		die "debootstrap failed (exit $?): $(grep -E '^(E|W): ' "$CACHE/debootstrap.log" | tail -n1) (see $CACHE/debootstrap.log)"
	r=$rootdir.new
	# what a test guest needs beyond the packages: a machine id (no first-boot prompts), no
	# getty on the console (no udev here to bring up dev-ttyS0.device), a hostname, an empty fstab
	chroot "$r" systemd-machine-id-setup >/dev/null 2>&1 || die "systemd-machine-id-setup in the root"
	echo nnpsd >"$r/etc/hostname"
	echo "127.0.1.1 nnpsd" >>"$r/etc/hosts"
	: >"$r/etc/fstab"
	for u in serial-getty@ttyS0.service getty@tty1.service getty.target apt-daily.timer apt-daily-upgrade.timer \
		systemd-timesyncd.service e2scrub_reap.service; do
		ln -sf /dev/null "$r/etc/systemd/system/$u"
	done
	rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/*
	echo "$stamp" >"$r/.nnpsd-stamp"
	rm -rf "$rootdir"
	mv "$r" "$rootdir"
	log "root: $(du -sh "$rootdir" | cut -f1) ($(($(now_ms) - T_ROOT)) ms)"
fi

# --- the kernel: Debian's linux-image-6.1.0-N-amd64 ---
pkg=${NNPERF_VM_KERNEL:-}
if [ -z "$pkg" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' | head -n1)
	[ -n "$pkg" ] || die "apt knows no linux-image-6.1.0-*-amd64 (apt-get update?)"
fi
vm_kernel "$CACHE/kernel/$pkg" "$pkg" "$pkg"
log "root $rootdir ready, kernel $kver ($(($(now_ms) - T_START)) ms since start)"

# --- this run's files ---
work=$(mktemp -d /tmp/nnperf-vm-systemd.XXXXXX)
QPID=
cleanup() {
	if [ -n "$QPID" ]; then
		kill -KILL "$QPID" 2>/dev/null || true
		wait "$QPID" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# initramfs: busybox, virtio_pci + virtio_blk + ext4 with their dependencies, init.sh
ird=$work/initramfs
mkdir -p "$ird"/{bin,dev,proc,sys,lib/modules}
cp /bin/busybox "$ird/bin/busybox"
# crc32c before ext4: ext4's metadata checksums look it up at mount time
vm_modules "$ird" virtio_pci virtio_blk crc32c_generic ext4
cp "$ROOT/tests/vm/systemd/init.sh" "$ird/init"
cp "$ROOT/tests/vm/init-common.sh" "$ird/init-common.sh"
chmod +x "$ird/init"
(cd "$ird" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initramfs.gz" || die "cannot pack the initramfs"

# the root of this run: hard links to the cached root, plus (new files only, so the cache
# stays as it is) the install of docs/deploy.md and the test unit
T_IMG=$(now_ms)
stage=$work/root
cp -al "$rootdir" "$stage" || die "cannot copy $rootdir"
DESTDIR=$stage cmake --install "$BUILD" >"$work/install.log" 2>&1 ||
	die "cmake --install $BUILD: $(tail -n1 "$work/install.log")"
[ -x "$stage/usr/local/bin/nnperf" ] || die "cmake --install put no nnperf in /usr/local/bin"
mkdir -p "$stage/root/nnpsd" "$stage/usr/local/lib/nnpsd"
cp "$ROOT/deploy/nnperf-export.service" "$stage/root/nnpsd/"
cp "$ROOT/tests/vm/systemd/guest.sh" "$stage/usr/local/lib/nnpsd/guest.sh"
chmod 755 "$stage/usr/local/lib/nnpsd/guest.sh"
cp "$ROOT/tests/vm/systemd/nnpsd-test.service" "$stage/etc/systemd/system/nnpsd-test.service.new"
mv "$stage/etc/systemd/system/nnpsd-test.service.new" "$stage/etc/systemd/system/nnpsd-test.service"
mkdir -p "$stage/etc/systemd/system/multi-user.target.wants"
ln -s ../nnpsd-test.service "$stage/etc/systemd/system/multi-user.target.wants/nnpsd-test.service"
size=$(($(du -sm "$stage" | cut -f1) + 256))
mkfs.ext4 -q -F -L nnpsd -d "$stage" "$work/root.ext4" "${size}M" >"$work/mkfs.log" 2>&1 ||
	die "mkfs.ext4 -d: $(tail -n1 "$work/mkfs.log")"
rm -rf "$stage"
log "image: ${size} MiB ext4 ($(($(now_ms) - T_IMG)) ms)"

# --- qemu ---
console=$CACHE/console.log
rm -f "$console"
qemu_args=(-nodefaults -display none -no-reboot -M pc -m "$MEM" -smp "$SMP"
	-kernel "$vmlinuz" -initrd "$work/initramfs.gz"
	-drive "file=$work/root.ext4,format=raw,if=virtio,cache=unsafe"
	-serial "file:$console")
append="console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init systemd.firstboot=off systemd.show_status=error"

boot() { # KVM(0|1) EXTRA_APPEND TIMEOUT WATCH(0|1): runs the guest until it powers off
	local args=("${qemu_args[@]}") deadline=$((SECONDS + $3)) rc=0
	if [ "$1" = 1 ]; then args+=(-enable-kvm -cpu host); else args+=("${VM_X86_TCG[@]}"); fi
	qemu-system-x86_64 "${args[@]}" -append "$append $2" </dev/null >"$work/qemu.log" 2>&1 &
	QPID=$!
	while kill -0 "$QPID" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			kill -KILL "$QPID" 2>/dev/null || true
			wait "$QPID" 2>/dev/null || true
			QPID=
			return 124
		fi
		[ "$4" = 0 ] || progress
		sleep 0.5
	done
	wait "$QPID" 2>/dev/null || rc=$?
	QPID=
	[ "$4" = 0 ] || progress
	return $rc
}
seen=0 t_first=
progress() { # prints the guest's new "nnpsd: " lines
	local lines l
	lines=$(grep -a 'nnpsd\(-init\)\?: ' "$console" 2>/dev/null | tail -n +$((seen + 1))) || return 0
	[ -n "$lines" ] || return 0
	while IFS= read -r l; do
		seen=$((seen + 1))
		l=${l//$'\r'/}
		case $l in *nnpsd-init:\ *) l="init: ${l##*nnpsd-init: }" ;; *) l=${l##*nnpsd: } ;; esac
		[ -n "$t_first" ] || t_first=$(now_ms)
		case $l in journal*) [ "${NNPERF_VM_VERBOSE:-0}" != 0 ] || continue ;; esac
		echo "vm-systemd: guest: $l"
	done <<<"$lines"
}

kvm=0
case ${NNPERF_VM_KVM:-auto} in
1) kvm=1 ;;
0) ;;
*)
	kvmkey=$CACHE/kvm-$(cat /proc/sys/kernel/random/boot_id)
	if [ -e "$kvmkey" ]; then
		kvm=$(cat "$kvmkey")
	elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		# nested KVM may open and then hang: a boot that powers off at once, 30 s at most
		prc=0
		boot 1 nnpsd.probe=1 30 0 || prc=$?
		if [ $prc = 0 ] && grep -aq 'nnpsd-probe: ok' "$console"; then kvm=1; fi
		[ $kvm = 1 ] || log "KVM probe: qemu -enable-kvm did not boot (exit $prc): TCG from now on (until the host reboots)"
		echo $kvm >"$kvmkey"
		rm -f "$console"
	fi
	;;
esac
accel=TCG
[ "$kvm" = 0 ] || accel=KVM

log "booting $kver ($accel, $SMP CPUs, $MEM MiB), systemd as PID 1; console: $console"
T_BOOT=$(now_ms)
brc=0
boot "$kvm" "" "$BOOT_TIMEOUT" 1 || brc=$?
T_END=$(now_ms)
[ "${NNPERF_VM_VERBOSE:-0}" = 0 ] || { echo "--- console ---"; cat "$console"; echo "--- end ---"; }

# --- verdict ---
res=$(grep -a 'nnpsd: ' "$console" | sed 's/.*nnpsd: //; s/\r$//') || res=
fail_line=$(grep -m1 '^FAIL ' <<<"$res" || true)
done_line=$(grep -m1 '^done ' <<<"$res" || true)
checks=(pid1 install verify workload metrics hardening restart denials stop)
missing=()
for c in "${checks[@]}"; do grep -q "^ok $c " <<<"$res" || missing+=("$c"); done
log "boot to result: $(((T_END - T_BOOT) / 1000)).$(((T_END - T_BOOT) % 1000 / 100)) s (qemu start to power-off), whole run $(((T_END - T_START) / 1000)) s"
if [ -n "$fail_line" ]; then
	echo "vm-systemd: FAILED check ${fail_line#FAIL }"
	grep '^journal ' <<<"$res" | sed 's/^journal /    /' | tail -n 20
	exit 1
fi
init_err=$(grep -a -m1 'nnpsd-init: error' "$console" | sed 's/.*nnpsd-init: //; s/\r$//' || true)
if [ -n "$init_err" ]; then
	echo "vm-systemd: FAILED check boot: initramfs: $init_err"
	exit 1
fi
if [ "$brc" = 124 ]; then
	echo "vm-systemd: FAILED check boot: the guest ran past $BOOT_TIMEOUT s and was killed (checks not reached: ${missing[*]}); console tail:"
	tail -n 15 "$console" | sed 's/^/    /'
	exit 1
fi
if [ -z "$done_line" ] || [ ${#missing[@]} -gt 0 ]; then
	echo "vm-systemd: FAILED check ${missing[0]:-done}: the guest powered off (qemu exit $brc) before it; console tail:"
	tail -n 15 "$console" | sed 's/^/    /'
	exit 1
fi
log "PASS: ${checks[*]} ($accel, kernel $kver)"

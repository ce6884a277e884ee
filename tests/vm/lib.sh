# What tests/vm/run.sh and tests/vm/systemd.sh share on the host (sourced; bash). Each
# defines die() first.

# qemu's options for an x86-64 guest under TCG: one host thread runs both vCPUs
# (thread=single; NNPERF_VM_TCG_THREAD=multi for one thread each). With a thread per vCPU,
# qemu 7.2 let a vCPU loop for ever on a kernel int3 that x86's live text patching (kprobes,
# static keys, BPF trampolines: text_poke_bp) had already taken out again: both vCPUs were
# seen in asm_exc_int3 -> exc_int3 -> iret (docs/kernel-compat.md, known problem). The arm64
# guest runs with -icount, which is single-threaded already.
VM_X86_TCG=(-accel "tcg,thread=${NNPERF_VM_TCG_THREAD:-single}" -cpu max)

# vm_kernel DIR PKG WANT: Debian's kernel package WANT (PKG[:ARCH][=VERSION]) fetched with
# apt-get download and extracted into DIR once; sets vmlinuz, kver and moddir
vm_kernel() {
	local kdir=$1 pkg=$2 want=$3
	if [ ! -e "$kdir/.done" ]; then
		rm -rf "$kdir" && mkdir -p "$kdir/deb"
		echo "vm: fetching $want"
		(cd "$kdir/deb" && timeout 900 apt-get download -o DPkg::Lock::Timeout=900 \
			-o APT::Sandbox::User=root -q "$want" >"$kdir/download.log" 2>&1) ||
			die "apt-get download $want failed: $(grep -E '^E:' "$kdir/download.log" | head -n1)"
		dpkg-deb -x "$kdir"/deb/*.deb "$kdir/x" || die "cannot extract the $pkg package"
		rm -f "$kdir"/deb/*.deb
		touch "$kdir/.done"
	fi
	vmlinuz=$(ls "$kdir"/x/boot/vmlinuz-* 2>/dev/null | head -n1)
	[ -n "$vmlinuz" ] || die "no boot/vmlinuz-* in $pkg"
	kver=${vmlinuz##*/vmlinuz-}
	moddir=$kdir/x/lib/modules/$kver
}

# vm_modules IRD NAME...: the modules NAME (absent: built in) of $moddir, dependencies first
# (.modinfo's depends=, no modinfo needed, any architecture), copied into IRD/lib/modules and
# listed in IRD/modules in load order
vm_modules() {
	local ird=$1 f
	shift
	vm_mods=()
	for f in "$@"; do vm_add_module "$f"; done
	mkdir -p "$ird/lib/modules"
	: >"$ird/modules"
	for f in "${vm_mods[@]+"${vm_mods[@]}"}"; do
		cp "$f" "$ird/lib/modules/"
		echo "${f##*/}" >>"$ird/modules"
	done
}
vm_add_module() {
	local name=$1 f dep m
	f=$(find "$moddir/kernel" \( -name "$name.ko" -o -name "${name//_/-}.ko" \) | head -n1)
	[ -n "$f" ] || return 0
	for dep in $(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' '); do vm_add_module "$dep"; done
	for m in "${vm_mods[@]+"${vm_mods[@]}"}"; do [ "$m" != "$f" ] || return 0; done
	vm_mods+=("$f")
}

# The start of both guests' /init (tests/vm/init.sh, tests/vm/systemd/init.sh; busybox sh,
# sourced as /init-common.sh): busybox's applets, the kernel's file systems, say() with
# the prefix SAY (the host greps the console for it), fatal(), and the modules of /modules
# (dependencies first) loaded, a failure fatal.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "$SAY: $*" >/dev/console; }
off() {
	sync
	poweroff -f
	sleep 10
}
fatal() {
	say "error: $*"
	off
}
load_modules() {
	for m in $(cat /modules); do
		insmod "/lib/modules/$m" 2>/dev/null || grep -q "^${m%.ko} " /proc/modules ||
			fatal "insmod $m failed: $(insmod "/lib/modules/$m" 2>&1)"
	done
}

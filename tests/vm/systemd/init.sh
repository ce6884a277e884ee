#!/bin/busybox sh
# /init of the initramfs tests/vm/systemd.sh builds (busybox sh; not run on the host).
# Loads the kernel's virtio and ext4 modules (listed in /modules, dependencies first),
# mounts the root image (/dev/vda, ext4) and hands over to its systemd with switch_root.
# With nnpsd.probe=1 on the command line it only says "nnpsd-probe: ok" and powers off (the
# host's check that KVM really runs a guest).
SAY=nnpsd-init
. /init-common.sh
if grep -q "nnpsd.probe=1" /proc/cmdline; then
	echo "nnpsd-probe: ok" >/dev/console
	off
fi
load_modules
i=0
while [ ! -b /dev/vda ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fatal "no /dev/vda after 10 s (virtio_blk loaded: $(grep -c '^virtio_blk ' /proc/modules))"
	sleep 0.1
done
mkdir -p /newroot
mount -t ext4 -o rw /dev/vda /newroot || fatal "cannot mount /dev/vda (ext4)"
[ -x /newroot/lib/systemd/systemd ] || fatal "no /lib/systemd/systemd in the root image"
umount /proc /sys
mount --move /dev /newroot/dev || umount /dev
exec switch_root /newroot /lib/systemd/systemd

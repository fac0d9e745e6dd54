# SPDX-License-Identifier: GPL-2.0
# Tonnerre: top-level targets.
#
#   make            build the hypervisor: xen/xen (Multiboot2 ELF), xen/xen.gz
#   make iso        a GRUB rescue image that boots it: build/tonnerre.iso
#   make run        build, install what is missing, boot under QEMU with the
#                   serial console on this terminal (Ctrl-a x quits)
#   make test       unit tests (host, ASan/UBSan), a short run of each fuzz
#                   target, and boot tests (QEMU)
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60)
#   make bench      benchmarks, each beside a baseline from the same run
#   make defconfig  write .config from config/defconfig
#
# Variables: O=<dir> builds the hypervisor out of tree; XEN_CMDLINE, QEMU_MEM,
# QEMU_SMP tune `make run`.

ROOT := $(CURDIR)
include Config.mk

O           ?= $(ROOT)/xen
BUILD       := $(ROOT)/build
XEN_GZ      := $(O)/xen.gz
XEN_CMDLINE ?= console=com1 com1=115200,8n1 loglvl=all dom0_mem=1G
DOM0_CMDLINE ?= console=hvc0 earlyprintk=xen
QEMU_MEM    ?= 2048
QEMU_SMP    ?= 2
QEMU        := qemu-system-x86_64 -accel tcg -cpu max

.PHONY: all xen guests tools dom0 iso run test test-slow unit-test boot-test fuzz bench deps defconfig clean

all: xen guests tools dom0

# The freestanding PVH test guest the boot tests run (tools/tests/guests).
guests:
	$(MAKE) -C tools/tests/guests O=$(BUILD)/guests

xen:
	$(MAKE) -C xen O=$(O)

# dom0's toolstack (xl, xenstored, xenconsoled and their libraries).
TOOLS_O := $(BUILD)/tools
tools:
	$(MAKE) -C tools O=$(TOOLS_O)

# dom0: Debian's kernel (whatever linux-image-amd64 points at today) and an
# initramfs of busybox-static, that kernel's Xen modules and our tools.
DOM0 := $(BUILD)/dom0
DOM0_CFLAGS := -static -O2 -Wall -Wextra -Werror

$(DOM0)/tools/tonnerre-check: tools/dom0/tonnerre-check.c
	@mkdir -p $(dir $@)
	$(CC) $(DOM0_CFLAGS) -o $@ $<

# User space keeps its AVX registers across signals (XSAVE for guests).
$(DOM0)/tools/avx-signal-check: tools/dom0/avx-signal-check.c
	@mkdir -p $(dir $@)
	$(CC) $(DOM0_CFLAGS) -o $@ $<

# make bench's disk and TCP measurements, the same program in dom0 and in
# the domUs (tools/dom0/pvio-bench, tools/domu/io-bench).
$(DOM0)/tools/iobench: tools/domu/iobench.c
	@mkdir -p $(dir $@)
	$(CC) $(DOM0_CFLAGS) -o $@ $<

$(DOM0)/kernel-root/.pkg: scripts/fetch-dom0.sh
	sh scripts/fetch-dom0.sh $(DOM0)

# The user-space frontend that attacks dom0's backends (tools/domu/hostile-
# frontend.c), for the guests only.
$(DOM0)/domu-tools/hostile-frontend: tools/domu/hostile-frontend.c xen/include/public/io/xs_wire.h
	@mkdir -p $(dir $@)
	$(CC) $(DOM0_CFLAGS) -Ixen/include -o $@ $<

# The guests xl creates: the same kernel, a busybox initramfs of their own
# with the PV frontends (disk, network), ext4 and Debian's e2fsprogs (from
# this machine: e2fsprogs is part of every Debian system); gntalloc and
# evtchn for the hostile frontend.
DOMU_MODULES := xen-blkfront,xen-netfront,ext4,crc32c-generic,xen-gntalloc,xen-evtchn
$(DOM0)/domu-initrd.img: $(DOM0)/kernel-root/.pkg tools/dom0/mkinitramfs.py \
		tools/domu/init tools/domu/inittab tools/domu/io-checks tools/domu/io-bench \
		tools/domu/udhcpc.script $(DOM0)/tools/iobench $(DOM0)/domu-tools/hostile-frontend
	$(PYTHON) tools/dom0/mkinitramfs.py --busybox $(DOM0)/busybox-root/bin/busybox \
	    --kernel-root $(DOM0)/kernel-root --modules $(DOMU_MODULES) \
	    --program /sbin/mke2fs --program /sbin/e2fsck --file /etc/mke2fs.conf:/etc/mke2fs.conf \
	    --init tools/domu/init --file tools/domu/inittab:/etc/inittab \
	    --file tools/domu/io-checks:/etc/tonnerre/io-checks \
	    --file tools/domu/io-bench:/etc/tonnerre/io-bench \
	    --file $(DOM0)/tools/iobench:/usr/bin/iobench \
	    --file tools/domu/udhcpc.script:/usr/share/udhcpc/default.script \
	    --file $(DOM0)/domu-tools/hostile-frontend:/usr/lib/tonnerre/hostile-frontend -o $@

DOM0_TOOLS := bin/xl xenstored xenconsoled
$(DOM0)/tools/.toolstack: tools FORCE
	@mkdir -p $(dir $@)
	@# The stamp is new only when a program changed: the initramfs follows it.
	@for t in $(DOM0_TOOLS); do cmp -s $(TOOLS_O)/$$t $(DOM0)/tools/$${t##*/} || \
	    { cp $(TOOLS_O)/$$t $(DOM0)/tools/$${t##*/} && touch $@; }; done
	@[ -e $@ ] || touch $@

$(DOM0)/initrd.img: $(DOM0)/kernel-root/.pkg $(DOM0)/tools/tonnerre-check \
		$(DOM0)/tools/avx-signal-check $(DOM0)/tools/iobench \
		$(DOM0)/tools/.toolstack $(DOM0)/domu-initrd.img $(DOM0)/vmlinuz \
		$(BUILD)/guests/testguest.elf $(BUILD)/guests/testguest32.elf \
		tools/dom0/mkinitramfs.py tools/dom0/init tools/dom0/checks \
		tools/dom0/toolstack-checks tools/dom0/toolstack-bench tools/dom0/pvio-lib \
		tools/dom0/pvio-checks tools/dom0/pvio-bench tools/dom0/hostile-checks \
		tools/domu/example.cfg
	$(PYTHON) tools/dom0/mkinitramfs.py --kernel-root $(DOM0)/kernel-root \
	    --busybox $(DOM0)/busybox-root/bin/busybox --tools $(DOM0)/tools \
	    --init tools/dom0/init --checks tools/dom0/checks \
	    --file tools/dom0/toolstack-checks:/etc/tonnerre/toolstack-checks \
	    --file tools/dom0/toolstack-bench:/etc/tonnerre/toolstack-bench \
	    --file tools/dom0/pvio-lib:/etc/tonnerre/pvio-lib \
	    --file tools/dom0/pvio-checks:/etc/tonnerre/pvio-checks \
	    --file tools/dom0/pvio-bench:/etc/tonnerre/pvio-bench \
	    --file tools/dom0/hostile-checks:/etc/tonnerre/hostile-checks \
	    --file tools/domu/example.cfg:/etc/xen/example.cfg \
	    --file $(DOM0)/vmlinuz:/usr/lib/tonnerre/vmlinuz \
	    --file $(DOM0)/domu-initrd.img:/usr/lib/tonnerre/domu-initrd.img \
	    --file $(BUILD)/guests/testguest.elf:/usr/lib/tonnerre/testguest.elf \
	    --file $(BUILD)/guests/testguest32.elf:/usr/lib/tonnerre/testguest32.elf -o $@

# The compatibility proof (issue 14): a dom0 image with Debian's own Xen
# userspace (xen-utils-4.17 and its libraries, fetched and unpacked by
# scripts/fetch-debian-xen.sh, never committed) instead of our toolstack,
# started by Debian's /etc/init.d/xen.  Left out: the HVM firmware and PV
# shim, and pygrub with its file-system readers (no Python in dom0).
$(DOM0)/xen-root/.debs: scripts/fetch-debian-xen.sh
	sh scripts/fetch-debian-xen.sh $(DOM0)

DEBIAN_XEN := tools/dom0/debian-xen
$(DOM0)/initrd-debian-xl.img: $(DOM0)/kernel-root/.pkg $(DOM0)/xen-root/.debs \
		$(DOM0)/domu-initrd.img $(DOM0)/vmlinuz tools/dom0/mkinitramfs.py \
		tools/dom0/init tools/dom0/debian-xl-checks $(DEBIAN_XEN)/init-functions \
		$(DEBIAN_XEN)/vars.sh $(DEBIAN_XEN)/choom $(DEBIAN_XEN)/default-xen
	$(PYTHON) tools/dom0/mkinitramfs.py --kernel-root $(DOM0)/kernel-root \
	    --busybox $(DOM0)/busybox-root/bin/busybox --init tools/dom0/init \
	    --tree $(DOM0)/xen-root --tree $(DOM0)/xen-helpers-root \
	    --libs-from $(DOM0)/xen-libs-root \
	    --exclude 'usr/lib/xen-*/boot' --exclude 'usr/lib/xen-*/lib' \
	    --exclude 'usr/lib/xen-*/bin/pygrub' --exclude usr/bin/pygrub \
	    --file $(DEBIAN_XEN)/init-functions:/lib/lsb/init-functions \
	    --file $(DEBIAN_XEN)/vars.sh:/lib/init/vars.sh \
	    --file $(DEBIAN_XEN)/choom:/usr/bin/choom \
	    --file $(DEBIAN_XEN)/default-xen:/etc/default/xen \
	    --file tools/dom0/debian-xl-checks:/etc/tonnerre/debian-xl-checks \
	    --file $(DOM0)/vmlinuz:/usr/lib/tonnerre/vmlinuz \
	    --file $(DOM0)/domu-initrd.img:/usr/lib/tonnerre/domu-initrd.img -o $@

$(DOM0)/vmlinuz: $(DOM0)/kernel-root/.pkg
	cp $(DOM0)/kernel-root/boot/vmlinuz-* $@

# The same kernel as an ELF file, for the bochs case that would otherwise
# spend minutes of emulation undoing XZ twice (tools/tests/boot/tests.py).
$(DOM0)/vmlinux: $(DOM0)/vmlinuz scripts/extract-vmlinux.py
	$(PYTHON) scripts/extract-vmlinux.py $< $@

# The initramfs carries the test guest and the toolstack: build them first.
dom0: guests tools
	$(MAKE) $(DOM0)/vmlinuz $(DOM0)/vmlinux $(DOM0)/initrd.img $(DOM0)/initrd-debian-xl.img

$(BUILD)/guests/testguest.elf $(BUILD)/guests/testguest32.elf:
	$(MAKE) guests

defconfig:
	cp config/defconfig .config

deps:
	@sh scripts/install-deps.sh

$(BUILD)/iso/boot/grub/grub.cfg: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' 'set timeout=0' 'set default=0' \
	    'serial --unit=0 --speed=115200' 'terminal_input serial console' \
	    'terminal_output serial console' \
	    'menuentry "Tonnerre" {' \
	    '    multiboot2 /boot/xen.gz $(XEN_CMDLINE)' \
	    '    module2 /boot/vmlinuz $(DOM0_CMDLINE)' \
	    '    module2 /boot/initrd.img' '}' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/tonnerre.iso: xen dom0 $(BUILD)/iso/boot/grub/grub.cfg
	cp $(XEN_GZ) $(BUILD)/iso/boot/xen.gz
	cp $(DOM0)/vmlinuz $(DOM0)/initrd.img $(BUILD)/iso/boot/
	grub-mkrescue -o $@ $(BUILD)/iso 2>/dev/null

iso: deps $(BUILD)/tonnerre.iso

run: deps $(BUILD)/tonnerre.iso
	$(QEMU) -m $(QEMU_MEM) -smp $(QEMU_SMP) -nographic -no-reboot \
	    -cdrom $(BUILD)/tonnerre.iso -boot d

# The fuzz targets' smoke run makes sure each still builds, replays its
# seeds and survives 30000 inputs mutated from a fixed seed (the same verdict every run).
unit-test:
	$(MAKE) -C tools/tests/unit run
	$(MAKE) -C tools test O=$(TOOLS_O)
	$(MAKE) -C tools/tests/fuzz smoke

# The parsers of untrusted input under libFuzzer (tools/tests/fuzz), one
# target after the other; a crash or broken invariant fails it.
fuzz: deps
	$(MAKE) -C tools/tests/fuzz run

boot-test: xen guests tools dom0
	TESTGUEST=$(BUILD)/guests/testguest.elf DOM0_DIR=$(DOM0) $(PYTHON) tools/tests/boot/tests.py --xen $(XEN_GZ)

test: deps
	$(MAKE) unit-test
	$(MAKE) boot-test

# Boot tests too long for `make test` (the 2-vCPU Linux dom0 under bochs).
test-slow: xen guests tools dom0
	TONNERRE_SLOW=1 TESTGUEST=$(BUILD)/guests/testguest.elf DOM0_DIR=$(DOM0) \
	    $(PYTHON) tools/tests/boot/tests.py --xen $(XEN_GZ) -j 1 -k linux-dom0-bochs-vmx-2-vcpus

bench: deps xen guests dom0
	TESTGUEST=$(BUILD)/guests/testguest.elf DOM0_DIR=$(DOM0) $(PYTHON) tools/tests/bench/bench.py --xen $(XEN_GZ)

clean:
	$(MAKE) -C xen O=$(O) clean
	$(MAKE) -C tools/tests/unit clean
	rm -rf $(BUILD)

FORCE:

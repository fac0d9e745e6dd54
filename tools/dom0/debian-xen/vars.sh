# SPDX-License-Identifier: GPL-2.0
# /lib/init/vars.sh for the debian-xl dom0 image: Debian's (from initscripts)
# only sets the verbosity the LSB helpers read.
VERBOSE=no

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Turn a .config (CONFIG_X=value lines) on stdin into a C header on stdout.
echo "/* Generated from the build configuration: do not edit. */"
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/#define \1 1/p' \
       -e '/=[yn]$/d' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/#define \1 \2/p'

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#define TONNERRE_VERSION_MAJOR 0
#define TONNERRE_VERSION_MINOR 1
#define TONNERRE_VERSION "0.1-dev"

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build configuration: the generated header made from .config (see
 * config/README), plus IS_ENABLED() to test switches in ordinary C.
 */
#ifndef XEN_CONFIG_H
#define XEN_CONFIG_H

#ifndef __XEN_HOST_TEST__
#include <generated/config.h>
#endif

/* IS_ENABLED(CONFIG_FOO) is 1 if CONFIG_FOO is defined to 1, else 0. */
#define __IS_ENABLED_ARG_1 0,
#define __is_enabled_take_second(ignored, val, ...) val
#define __is_enabled_probe(junk) __is_enabled_take_second(junk 1, 0, 0)
#define __is_enabled_expand(x) __is_enabled_probe(__IS_ENABLED_ARG_##x)
#define IS_ENABLED(option) __is_enabled_expand(option)

#endif /* XEN_CONFIG_H */

# SPDX-License-Identifier: GPL-2.0
# ACPI table parsing: synthetic firmware tables, good and broken.
TESTS += test_acpi
test_acpi-srcs := drivers/acpi/tables.c

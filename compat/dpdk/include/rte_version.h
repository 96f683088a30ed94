/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_version.h DPDK compatibility: the DPDK release this layer follows (22.11). */
#ifndef POLLUX_RTE_VERSION_H
#define POLLUX_RTE_VERSION_H

#include <rte_config.h>

#define RTE_VERSION_NUM(a, b, c, d) ((a) << 24 | (b) << 16 | (c) << 8 | (d))
#define RTE_VERSION RTE_VERSION_NUM(RTE_VER_YEAR, RTE_VER_MONTH, RTE_VER_MINOR, RTE_VER_RELEASE)

#pragma GCC visibility push(default)
/** @return "Pollux 22.11 (DPDK API layer)". */
const char *rte_version(void);
#pragma GCC visibility pop

#endif /* POLLUX_RTE_VERSION_H */

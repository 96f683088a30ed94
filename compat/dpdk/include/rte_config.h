/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_config.h
 * DPDK compatibility: the build-time limits, taken from Pollux's configuration (px_config.h).
 * Every rte_*.h of this layer includes it first, as DPDK's do.
 */
#ifndef POLLUX_RTE_CONFIG_H
#define POLLUX_RTE_CONFIG_H

#include <px_config.h>

/** Marks a build against Pollux's DPDK layer (DPDK itself never defines it). */
#define RTE_POLLUX_COMPAT 1

#define RTE_MAX_LCORE PX_MAX_LCORE
#define RTE_MAX_ETHPORTS PX_MAX_ETHPORTS
#define RTE_MAX_NUMA_NODES PX_MAX_NUMA_NODES
#define RTE_CACHE_LINE_SIZE PX_CACHE_LINE_SIZE
#define RTE_PKTMBUF_HEADROOM 128
#define RTE_MEMPOOL_CACHE_MAX_SIZE 512
#define RTE_ETHDEV_QUEUE_STAT_CNTRS 16
#define RTE_MAX_QUEUES_PER_PORT 64
#define RTE_ETHDEV_RXTX_CALLBACKS 0

/* The DPDK release whose API this layer follows. */
#define RTE_VER_YEAR 22
#define RTE_VER_MONTH 11
#define RTE_VER_MINOR 0
#define RTE_VER_SUFFIX ""
#define RTE_VER_RELEASE 99

#endif /* POLLUX_RTE_CONFIG_H */

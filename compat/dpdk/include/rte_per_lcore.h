/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_per_lcore.h DPDK compatibility: per-lcore (thread-local) variables. */
#ifndef POLLUX_RTE_PER_LCORE_H
#define POLLUX_RTE_PER_LCORE_H

#define RTE_DEFINE_PER_LCORE(type, name) __thread __typeof__(type) per_lcore_##name
#define RTE_DECLARE_PER_LCORE(type, name) extern __thread __typeof__(type) per_lcore_##name
#define RTE_PER_LCORE(name) (per_lcore_##name)

#endif /* POLLUX_RTE_PER_LCORE_H */

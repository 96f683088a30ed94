/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_prefetch.h DPDK compatibility: cache prefetch hints. */
#ifndef POLLUX_RTE_PREFETCH_H
#define POLLUX_RTE_PREFETCH_H

#include <px_common.h>

static inline void rte_prefetch0(const volatile void *p)
{
	px_prefetch0(p);
}

static inline void rte_prefetch1(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 2);
}

static inline void rte_prefetch2(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 1);
}

static inline void rte_prefetch_non_temporal(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 0);
}

static inline void rte_prefetch0_write(const void *p)
{
	px_prefetch_w(p);
}

#endif /* POLLUX_RTE_PREFETCH_H */

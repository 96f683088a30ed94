/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_memcpy.h DPDK compatibility: rte_memcpy() is the compiler's memcpy(). */
#ifndef POLLUX_RTE_MEMCPY_H
#define POLLUX_RTE_MEMCPY_H

#include <stddef.h>
#include <string.h>

static inline void *rte_memcpy(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

static inline void rte_mov16(uint8_t *dst, const uint8_t *src)
{
	memcpy(dst, src, 16);
}

static inline void rte_mov32(uint8_t *dst, const uint8_t *src)
{
	memcpy(dst, src, 32);
}

#endif /* POLLUX_RTE_MEMCPY_H */

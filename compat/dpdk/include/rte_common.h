/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_common.h
 * DPDK compatibility: attributes, alignment and arithmetic macros, as DPDK 22.11 names them,
 * over px_common.h.
 */
#ifndef POLLUX_RTE_COMMON_H
#define POLLUX_RTE_COMMON_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_config.h>
#include <rte_branch_prediction.h>
#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_STD_C11 __extension__
#define __rte_aligned(a) __px_aligned(a)
#define __rte_cache_aligned __px_cache_aligned
#define __rte_cache_min_aligned __px_cache_aligned
#define __rte_packed __px_packed
#define __rte_unused __px_unused
#define __rte_used __attribute__((used))
#define __rte_always_inline __px_always_inline
#define __rte_noinline __px_noinline
#define __rte_noreturn __attribute__((noreturn))
#define __rte_cold __px_cold
#define __rte_hot __attribute__((hot))
#define __rte_weak __attribute__((weak))
#define __rte_deprecated __attribute__((deprecated))
#define __rte_experimental
#define __rte_internal
#define __rte_format_printf(f, a) __px_format_printf(f, a)
#define __rte_malloc __attribute__((malloc))
#define __rte_may_alias __attribute__((may_alias))
#define __rte_restrict __restrict

#define RTE_SET_USED(x) (void)(x)
#define RTE_DIM(a) PX_DIM(a)
#define RTE_MIN(a, b) PX_MIN(a, b)
#define RTE_MAX(a, b) PX_MAX(a, b)
#define RTE_STR(x) PX_STR(x)
#define RTE_BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))

#define RTE_PTR_ADD(p, n) PX_PTR_ADD(p, n)
#define RTE_PTR_SUB(p, n) PX_PTR_SUB(p, n)
#define RTE_PTR_DIFF(a, b) PX_PTR_DIFF(a, b)
#define RTE_ALIGN_FLOOR(v, a) PX_ALIGN_FLOOR(v, a)
#define RTE_ALIGN_CEIL(v, a) PX_ALIGN_CEIL(v, a)
#define RTE_ALIGN(v, a) RTE_ALIGN_CEIL(v, a)
#define RTE_ALIGN_MUL_CEIL(v, mul) \
	((((v) + (__typeof__(v))(mul)-1) / ((__typeof__(v))(mul))) * (mul))
#define RTE_PTR_ALIGN_FLOOR(p, a) ((__typeof__(p))RTE_ALIGN_FLOOR((uintptr_t)(p), a))
#define RTE_PTR_ALIGN_CEIL(p, a) PX_PTR_ALIGN_CEIL(p, a)
#define RTE_PTR_ALIGN(p, a) RTE_PTR_ALIGN_CEIL(p, a)
#define RTE_IS_POWER_OF_2(n) ((n) && !(((n)-1) & (n)))
#define RTE_CACHE_LINE_MASK (RTE_CACHE_LINE_SIZE - 1)
#define RTE_CACHE_LINE_ROUNDUP(size) RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE)
#define RTE_CACHE_LINE_MIN_SIZE 64

#ifndef container_of
#define container_of(ptr, type, member) px_container_of(ptr, type, member)
#endif

/** Run @p func before main() (DPDK's RTE_INIT). */
#define RTE_INIT_PRIO(func, prio) static void __attribute__((constructor, used)) func(void)
#define RTE_INIT(func) RTE_INIT_PRIO(func, LAST)
#define RTE_FINI(func) static void __attribute__((destructor, used)) func(void)

static inline int rte_is_aligned(const void *p, unsigned int align)
{
	return RTE_PTR_ALIGN_FLOOR(p, align) == p;
}

static inline int rte_is_power_of_2(uint32_t n)
{
	return px_is_power_of_2(n);
}

static inline uint32_t rte_align32pow2(uint32_t v)
{
	return px_align32pow2(v);
}

static inline uint64_t rte_align64pow2(uint64_t v)
{
	return px_align64pow2(v);
}

static inline uint32_t rte_align32prevpow2(uint32_t v)
{
	return v == 0 ? 0 : 1u << (31 - __builtin_clz(v));
}

static inline uint32_t rte_bsf32(uint32_t v)
{
	return (uint32_t)__builtin_ctz(v);
}

static inline uint32_t rte_log2_u32(uint32_t v)
{
	return v == 0 ? 0 : rte_bsf32(rte_align32pow2(v)); /* ceil(log2(v)) */
}

static inline unsigned int rte_popcount32(uint32_t v)
{
	return (unsigned int)__builtin_popcount(v);
}

/** Parse a size with a K/M/G suffix ("512M"). @return bytes, 0 on a bad string. */
static inline uint64_t rte_str_to_size(const char *str)
{
	char *end;
	unsigned long long size = strtoull(str, &end, 0);

	switch (*end) {
	case 'G':
	case 'g':
		size <<= 10;
		/* fall through */
	case 'M':
	case 'm':
		size <<= 10;
		/* fall through */
	case 'K':
	case 'k':
		size <<= 10;
		break;
	default:
		break;
	}
	return size;
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_COMMON_H */

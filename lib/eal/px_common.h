/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_common.h
 * Small helpers every Pollux component uses: branch hints, alignment, cache-line attributes,
 * container_of, compiler and CPU barriers.
 */
#ifndef PX_COMMON_H
#define PX_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <px_config.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define px_likely(x) __builtin_expect(!!(x), 1)
#define px_unlikely(x) __builtin_expect(!!(x), 0)

#define __px_aligned(a) __attribute__((aligned(a)))
#define __px_cache_aligned __px_aligned(PX_CACHE_LINE_SIZE)
#define __px_packed __attribute__((packed))
#define __px_unused __attribute__((unused))
#define __px_always_inline inline __attribute__((always_inline))
#define __px_noinline __attribute__((noinline))
#define __px_format_printf(f, a) __attribute__((format(printf, f, a)))
#define __px_cold __attribute__((cold))

/** Number of elements of an array. */
#define PX_DIM(a) (sizeof(a) / sizeof((a)[0]))
#define PX_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PX_MAX(a, b) ((a) > (b) ? (a) : (b))

/** Round @p v up to a multiple of @p align, a power of two. */
#define PX_ALIGN_CEIL(v, align) (((v) + ((__typeof__(v))(align)-1)) & ~((__typeof__(v))(align)-1))
/** Round @p v down to a multiple of @p align, a power of two. */
#define PX_ALIGN_FLOOR(v, align) ((v) & ~((__typeof__(v))(align)-1))
#define PX_PTR_ADD(p, n) ((void *)((uintptr_t)(p) + (n)))
#define PX_PTR_SUB(p, n) ((void *)((uintptr_t)(p) - (n)))
#define PX_PTR_DIFF(a, b) ((uintptr_t)(a) - (uintptr_t)(b))
#define PX_PTR_ALIGN_CEIL(p, a) ((__typeof__(p))PX_ALIGN_CEIL((uintptr_t)(p), a))

/** The structure of type @p type that embeds @p ptr as its member @p member. */
#define px_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#define PX_STR_(x) #x
#define PX_STR(x) PX_STR_(x)

static inline bool px_is_power_of_2(uint64_t n)
{
	return n && !(n & (n - 1));
}

/** Smallest power of two >= @p v (v <= 2^31); 0 maps to 0. */
static inline uint32_t px_align32pow2(uint32_t v)
{
	return v <= 1 ? v : 1u << (32 - __builtin_clz(v - 1));
}

/** Smallest power of two >= @p v (v <= 2^63); 0 maps to 0. */
static inline uint64_t px_align64pow2(uint64_t v)
{
	return v <= 1 ? v : 1ull << (64 - __builtin_clzll(v - 1));
}

/* Barriers. The compiler barrier stops reordering by the compiler only. The px_smp_ barriers
 * order memory between CPUs; prefer C11 acquire/release atomics where a single variable carries
 * the ordering, and use these where a whole region must be ordered (e.g. before a doorbell). */
#define px_compiler_barrier() __asm__ volatile("" ::: "memory")
#if defined(__SANITIZE_THREAD__) && !defined(__clang__)
/* GCC warns that ThreadSanitizer does not model fences (-Wtsan): true, and the fence is still
 * emitted, so a -Werror build with -fsanitize=thread keeps it and says nothing. */
#define px_fence_(order)                                      \
	do {                                                  \
		_Pragma("GCC diagnostic push");               \
		_Pragma("GCC diagnostic ignored \"-Wtsan\""); \
		__atomic_thread_fence(order);                 \
		_Pragma("GCC diagnostic pop");                \
	} while (0)
#else
#define px_fence_(order) __atomic_thread_fence(order)
#endif
#define px_smp_mb() px_fence_(__ATOMIC_SEQ_CST)
#define px_smp_rmb() px_fence_(__ATOMIC_ACQUIRE)
#define px_smp_wmb() px_fence_(__ATOMIC_RELEASE)

/* I/O barriers: order stores to DMA memory before a store to a device register (doorbell), and
 * device-register reads before reads of DMA memory. x86 keeps stores in order (TSO) and MMIO is
 * uncached, so a compiler barrier suffices; weakly ordered CPUs need a real fence. */
#if defined(__x86_64__) || defined(__i386__)
#define px_io_wmb() px_compiler_barrier()
#define px_io_rmb() px_compiler_barrier()
#elif defined(__aarch64__)
#define px_io_wmb() __asm__ volatile("dmb oshst" ::: "memory")
#define px_io_rmb() __asm__ volatile("dmb oshld" ::: "memory")
#elif defined(__powerpc64__)
#define px_io_wmb() __asm__ volatile("sync" ::: "memory")
#define px_io_rmb() __asm__ volatile("sync" ::: "memory")
#else
#define px_io_wmb() px_smp_mb()
#define px_io_rmb() px_smp_mb()
#endif

/** Hint to the CPU that we are spinning. */
static inline void px_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#elif defined(__powerpc64__)
	__asm__ volatile("or 27,27,27" ::: "memory");
#endif
}

static inline void px_prefetch0(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 3);
}

static inline void px_prefetch_w(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 1, 3);
}

/** Identifier of "any NUMA socket". */
#define PX_SOCKET_ID_ANY (-1)

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_COMMON_H */

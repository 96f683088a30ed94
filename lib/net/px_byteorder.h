/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_byteorder.h
 * Conversions between CPU and network (big-endian) byte order.
 *
 * Protocol headers keep multi-byte fields in network order; their types (px_be16_t, px_be32_t,
 * px_be64_t) say so. Convert with px_be_to_cpu_16() and friends when reading, px_cpu_to_be_16()
 * when writing. PX_BE16() and PX_BE32() give the same result for constants and are usable where C
 * needs a constant expression (case labels, static initialisers).
 */
#ifndef PX_BYTEORDER_H
#define PX_BYTEORDER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** A 16-bit value in network (big-endian) byte order. */
typedef uint16_t px_be16_t;
/** A 32-bit value in network (big-endian) byte order. */
typedef uint32_t px_be32_t;
/** A 64-bit value in network (big-endian) byte order. */
typedef uint64_t px_be64_t;

/** Swap the two bytes of a 16-bit constant (a constant expression). */
#define PX_BSWAP16_C(x) \
	((uint16_t)((((uint16_t)(x)&0x00ffu) << 8) | (((uint16_t)(x)&0xff00u) >> 8)))
/** Swap the four bytes of a 32-bit constant (a constant expression). */
#define PX_BSWAP32_C(x)                                                                        \
	((uint32_t)((((uint32_t)(x)&0x000000ffu) << 24) | (((uint32_t)(x)&0x0000ff00u) << 8) | \
		    (((uint32_t)(x)&0x00ff0000u) >> 8) | (((uint32_t)(x)&0xff000000u) >> 24)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/** The 16-bit constant @p x in network byte order (a constant expression). */
#define PX_BE16(x) PX_BSWAP16_C(x)
/** The 32-bit constant @p x in network byte order (a constant expression). */
#define PX_BE32(x) PX_BSWAP32_C(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PX_BE16(x) ((uint16_t)(x))
#define PX_BE32(x) ((uint32_t)(x))
#else
#error "unknown byte order"
#endif

/** @return @p x converted from CPU to network byte order. */
static inline px_be16_t px_cpu_to_be_16(uint16_t x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16(x);
#else
	return x;
#endif
}

/** @return @p x converted from CPU to network byte order. */
static inline px_be32_t px_cpu_to_be_32(uint32_t x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(x);
#else
	return x;
#endif
}

/** @return @p x converted from CPU to network byte order. */
static inline px_be64_t px_cpu_to_be_64(uint64_t x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap64(x);
#else
	return x;
#endif
}

/** @return @p x converted from network to CPU byte order. */
static inline uint16_t px_be_to_cpu_16(px_be16_t x)
{
	return px_cpu_to_be_16(x);
}

/** @return @p x converted from network to CPU byte order. */
static inline uint32_t px_be_to_cpu_32(px_be32_t x)
{
	return px_cpu_to_be_32(x);
}

/** @return @p x converted from network to CPU byte order. */
static inline uint64_t px_be_to_cpu_64(px_be64_t x)
{
	return px_cpu_to_be_64(x);
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_BYTEORDER_H */

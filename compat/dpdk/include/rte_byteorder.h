/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_byteorder.h DPDK compatibility: byte order types and conversions (px_byteorder.h). */
#ifndef POLLUX_RTE_BYTEORDER_H
#define POLLUX_RTE_BYTEORDER_H

#include <stdint.h>

#include <px_byteorder.h>

typedef px_be16_t rte_be16_t;
typedef px_be32_t rte_be32_t;
typedef px_be64_t rte_be64_t;
typedef uint16_t rte_le16_t;
typedef uint32_t rte_le32_t;
typedef uint64_t rte_le64_t;

#define RTE_LITTLE_ENDIAN 0x0123
#define RTE_BIG_ENDIAN 0x3210
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define RTE_BYTE_ORDER RTE_LITTLE_ENDIAN
#else
#define RTE_BYTE_ORDER RTE_BIG_ENDIAN
#endif

#define rte_bswap16(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define rte_bswap32(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#define rte_bswap64(x) ((uint64_t)__builtin_bswap64((uint64_t)(x)))

/* Constant forms, usable in initialisers. */
#define RTE_STATIC_BSWAP16(v) \
	((uint16_t)((((uint16_t)(v)&0x00ff) << 8) | (((uint16_t)(v)&0xff00) >> 8)))
#define RTE_STATIC_BSWAP32(v) PX_BSWAP32_C(v)
#define RTE_BE16(v) ((rte_be16_t)PX_BE16(v))
#define RTE_BE32(v) ((rte_be32_t)PX_BE32(v))

#define rte_cpu_to_be_16(x) px_cpu_to_be_16(x)
#define rte_cpu_to_be_32(x) px_cpu_to_be_32(x)
#define rte_cpu_to_be_64(x) px_cpu_to_be_64(x)
#define rte_be_to_cpu_16(x) px_be_to_cpu_16(x)
#define rte_be_to_cpu_32(x) px_be_to_cpu_32(x)
#define rte_be_to_cpu_64(x) px_be_to_cpu_64(x)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define RTE_LE16(v) ((rte_le16_t)(v))
#define RTE_LE32(v) ((rte_le32_t)(v))
#define rte_cpu_to_le_16(x) ((uint16_t)(x))
#define rte_cpu_to_le_32(x) ((uint32_t)(x))
#define rte_cpu_to_le_64(x) ((uint64_t)(x))
#define rte_le_to_cpu_16(x) ((uint16_t)(x))
#define rte_le_to_cpu_32(x) ((uint32_t)(x))
#define rte_le_to_cpu_64(x) ((uint64_t)(x))
#else
#define RTE_LE16(v) ((rte_le16_t)RTE_STATIC_BSWAP16(v))
#define RTE_LE32(v) ((rte_le32_t)RTE_STATIC_BSWAP32(v))
#define rte_cpu_to_le_16(x) rte_bswap16(x)
#define rte_cpu_to_le_32(x) rte_bswap32(x)
#define rte_cpu_to_le_64(x) rte_bswap64(x)
#define rte_le_to_cpu_16(x) rte_bswap16(x)
#define rte_le_to_cpu_32(x) rte_bswap32(x)
#define rte_le_to_cpu_64(x) rte_bswap64(x)
#endif

#endif /* POLLUX_RTE_BYTEORDER_H */

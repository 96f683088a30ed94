/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_cksum.h
 * The Internet checksum (RFC 1071): a 16-bit one's-complement sum of 16-bit words.
 *
 * One's-complement addition does not care about byte order (RFC 1071 §2(B)), so the sums here
 * read memory in CPU order and their results are already in network order as stored in memory:
 * store them in a header field as they are, compare them with PX_BE16() constants.
 */
#ifndef PX_CKSUM_H
#define PX_CKSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/**
 * Add the bytes of @p buf to a running sum, without folding.
 *
 * To sum a message in pieces, give every piece but the last an even length: an odd piece would
 * shift the bytes after it into the wrong half of their words.
 * @param buf any alignment
 * @param len bytes; an odd last byte is summed as if followed by a zero byte
 * @param sum the running sum (0 to start)
 * @return the new running sum; fold it with px_cksum_fold()
 */
static inline uint64_t px_cksum_add(const void *buf, size_t len, uint64_t sum)
{
	const uint8_t *p = (const uint8_t *)buf;
	uint32_t w32;
	uint16_t w16 = 0;

	/* 32-bit words into a 64-bit sum: 2^16 == 1 (mod 0xffff), so folding later gives the
	 * 16-bit one's-complement sum (RFC 1071 §2(C)). */
	for (; len >= 4; len -= 4, p += 4) {
		memcpy(&w32, p, 4);
		sum += w32;
	}
	if (len >= 2) {
		memcpy(&w16, p, 2);
		sum += w16;
		len -= 2;
		p += 2;
	}
	if (len) {
		w16 = 0;
		memcpy(&w16, p, 1); /* the byte keeps its place in memory: zero pad after it */
		sum += w16;
	}
	return sum;
}

/** @return @p sum folded to 16 bits with end-around carries (not complemented). */
static inline uint16_t px_cksum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/**
 * The one's-complement sum of a buffer, folded, not complemented (as DPDK's rte_raw_cksum()).
 * @param buf any alignment
 * @param len bytes; an odd last byte is padded with a zero byte
 * @return the sum; its complement is the checksum of the buffer
 */
static inline uint16_t px_raw_cksum(const void *buf, size_t len)
{
	return px_cksum_fold(px_cksum_add(buf, len, 0));
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_CKSUM_H */

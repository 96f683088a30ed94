/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_icmp.h
 * ICMP for IPv4 (RFC 792) and ICMPv6 (RFC 4443) echo.
 *
 * The ICMPv4 checksum covers the ICMP message only: px_icmp_cksum(). The ICMPv6 checksum has
 * the IPv6 pseudo-header: px_ipv6_udptcp_cksum() with proto PX_IPPROTO_ICMPV6.
 */
#ifndef PX_ICMP_H
#define PX_ICMP_H

#include <stddef.h>
#include <assert.h>
#include <stdint.h>

#include <px_byteorder.h>
#include <px_cksum.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** An ICMP echo header (the common part of every ICMP message, then identifier and sequence). */
struct px_icmp_hdr {
	uint8_t icmp_type;
	uint8_t icmp_code;
	px_be16_t icmp_cksum;
	px_be16_t icmp_ident;
	px_be16_t icmp_seq_nb;
} __attribute__((packed));

static_assert(sizeof(struct px_icmp_hdr) == 8, "ICMP echo header is 8 bytes");

#define PX_ICMP_TYPE_ECHO_REPLY 0
#define PX_ICMP_TYPE_DEST_UNREACHABLE 3
#define PX_ICMP_TYPE_ECHO_REQUEST 8
#define PX_ICMP_TYPE_TTL_EXCEEDED 11
#define PX_ICMP6_ECHO_REQUEST 128
#define PX_ICMP6_ECHO_REPLY 129

/**
 * The ICMPv4 checksum of a message. Set icmp_cksum to 0 first and store the result there.
 * @param icmp the ICMP header followed by its data
 * @param len  bytes of header and data
 * @return the checksum, network order as stored
 */
static inline uint16_t px_icmp_cksum(const void *icmp, size_t len)
{
	return (uint16_t)~px_raw_cksum(icmp, len);
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ICMP_H */

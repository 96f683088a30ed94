/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_udp.h
 * The UDP header (RFC 768). Checksums: px_ipv4_udptcp_cksum(), px_ipv6_udptcp_cksum().
 */
#ifndef PX_UDP_H
#define PX_UDP_H

#include <assert.h>
#include <px_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** The UDP header. */
struct px_udp_hdr {
	px_be16_t src_port;
	px_be16_t dst_port;
	px_be16_t dgram_len;   /**< header and payload, bytes */
	px_be16_t dgram_cksum; /**< 0: not computed (IPv4 only) */
} __attribute__((packed));

static_assert(sizeof(struct px_udp_hdr) == 8, "UDP header is 8 bytes");

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_UDP_H */

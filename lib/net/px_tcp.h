/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_tcp.h
 * The TCP header (RFC 9293). Checksums: px_ipv4_udptcp_cksum(), px_ipv6_udptcp_cksum().
 */
#ifndef PX_TCP_H
#define PX_TCP_H

#include <assert.h>
#include <stdint.h>

#include <px_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** The TCP header without options. */
struct px_tcp_hdr {
	px_be16_t src_port;
	px_be16_t dst_port;
	px_be32_t sent_seq;
	px_be32_t recv_ack;
	uint8_t data_off;  /**< header length in 32-bit words (high 4 bits) */
	uint8_t tcp_flags; /**< PX_TCP_*_FLAG */
	px_be16_t rx_win;
	px_be16_t cksum;
	px_be16_t tcp_urp;
} __attribute__((packed));

static_assert(sizeof(struct px_tcp_hdr) == 20, "TCP header is 20 bytes");

#define PX_TCP_CWR_FLAG 0x80
#define PX_TCP_ECE_FLAG 0x40
#define PX_TCP_URG_FLAG 0x20
#define PX_TCP_ACK_FLAG 0x10
#define PX_TCP_PSH_FLAG 0x08
#define PX_TCP_RST_FLAG 0x04
#define PX_TCP_SYN_FLAG 0x02
#define PX_TCP_FIN_FLAG 0x01

/** @return the TCP header length in bytes, options included (20-60 when well formed). */
static inline uint8_t px_tcp_hdr_len(const struct px_tcp_hdr *h)
{
	return (uint8_t)((h->data_off >> 4) * 4);
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_TCP_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_net.h
 * Where the headers of a frame are: Ethernet (with up to two VLAN tags), IPv4 or IPv6, and the
 * L4 protocol after it, as DPDK's rte_net_get_ptype() finds them with its header lengths. And
 * the pseudo-header sums a NIC's checksum offload wants in the L4 checksum field.
 */
#ifndef PX_NET_H
#define PX_NET_H

#include <stdint.h>
#include <string.h>

#include <px_ether.h>
#include <px_ip.h>
#include <px_tcp.h>
#include <px_udp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** The headers of a frame, by length (as DPDK's struct rte_net_hdr_lens). */
struct px_net_hdr_lens {
	uint16_t l2_len;   /**< Ethernet header and VLAN tags */
	uint16_t l3_len;   /**< IPv4 header with options, or the IPv6 header (0: not IP) */
	uint16_t l4_len;   /**< UDP 8, TCP with options (0: not UDP/TCP, or a fragment) */
	px_be16_t l3_type; /**< EtherType after the tags (network order) */
	uint8_t l4_proto;  /**< PX_IPPROTO_* after the IP header (0: not IP) */
};

/**
 * Find the headers of a frame held in one buffer: Ethernet, up to two 802.1Q/802.1ad tags,
 * IPv4 (options included; a fragment other than the first has no L4 header) or IPv6 (no
 * extension headers followed), then UDP or TCP.
 * @param frame the frame's first byte
 * @param len   bytes readable at @p frame
 * @param h     filled; lengths stop at the first header that is not there or not complete
 * @return 0 when every header named in @p h is within @p len; -EBADMSG when the frame ends
 *         inside one (what was found before it is in @p h)
 */
static inline int px_net_hdr_parse(const void *frame, uint32_t len, struct px_net_hdr_lens *h)
{
	const uint8_t *p = (const uint8_t *)frame;
	const struct px_ipv4_hdr *ip4;
	uint32_t off = sizeof(struct px_ether_hdr);

	memset(h, 0, sizeof(*h));
	if (len < off)
		return -EBADMSG;
	memcpy(&h->l3_type, p + 12, 2);
	for (int tags = 0; tags < 2 && (h->l3_type == PX_BE16(PX_ETHER_TYPE_VLAN) ||
					h->l3_type == PX_BE16(PX_ETHER_TYPE_QINQ));
	     tags++) {
		if (len < off + PX_VLAN_HLEN)
			return -EBADMSG;
		memcpy(&h->l3_type, p + off + 2, 2); /* the tag's eth_proto */
		off += PX_VLAN_HLEN;
	}
	h->l2_len = (uint16_t)off;
	if (h->l3_type == PX_BE16(PX_ETHER_TYPE_IPV4)) {
		ip4 = (const struct px_ipv4_hdr *)(p + off);
		if (len < off + PX_IPV4_MIN_HDR_LEN || px_ipv4_hdr_version(ip4) != 4 ||
		    px_ipv4_hdr_len(ip4) < PX_IPV4_MIN_HDR_LEN || len < off + px_ipv4_hdr_len(ip4))
			return -EBADMSG;
		h->l3_len = px_ipv4_hdr_len(ip4);
		h->l4_proto = ip4->next_proto_id;
		if (px_be_to_cpu_16(ip4->fragment_offset) & PX_IPV4_HDR_OFFSET_MASK)
			return 0; /* a later fragment: no L4 header here */
	} else if (h->l3_type == PX_BE16(PX_ETHER_TYPE_IPV6)) {
		if (len < off + PX_IPV6_HDR_LEN)
			return -EBADMSG;
		h->l3_len = PX_IPV6_HDR_LEN;
		h->l4_proto = ((const struct px_ipv6_hdr *)(p + off))->proto;
	} else {
		return 0;
	}
	off += h->l3_len;
	if (h->l4_proto == PX_IPPROTO_UDP) {
		if (len < off + sizeof(struct px_udp_hdr))
			return -EBADMSG;
		h->l4_len = sizeof(struct px_udp_hdr);
	} else if (h->l4_proto == PX_IPPROTO_TCP) {
		const struct px_tcp_hdr *tcp = (const struct px_tcp_hdr *)(p + off);

		if (len < off + sizeof(*tcp) || px_tcp_hdr_len(tcp) < sizeof(*tcp) ||
		    len < off + px_tcp_hdr_len(tcp))
			return -EBADMSG;
		h->l4_len = px_tcp_hdr_len(tcp);
	}
	return 0;
}

/**
 * What a NIC's UDP/TCP checksum offload wants in the checksum field of an IPv4 packet: the
 * pseudo-header sum, folded, not complemented (DPDK's rte_ipv4_phdr_cksum() without TSO).
 * @return the value to store, network order
 */
static inline uint16_t px_ipv4_phdr_cksum(const struct px_ipv4_hdr *h)
{
	return px_cksum_fold(px_ipv4_phdr_sum(h, px_ipv4_l4_len(h)));
}

/** The same for IPv6 (DPDK's rte_ipv6_phdr_cksum()). @return the value to store */
static inline uint16_t px_ipv6_phdr_cksum(const struct px_ipv6_hdr *h)
{
	return px_cksum_fold(px_ipv6_phdr_sum(h));
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_NET_H */

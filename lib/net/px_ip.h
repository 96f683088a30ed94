/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_ip.h
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, their header checksum and the UDP/TCP checksum
 * with its pseudo-header (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1).
 *
 * The checksum functions trust the length fields of the headers they are given: the caller has
 * checked that the buffer holds what they say (total_length, payload_len). Results are in
 * network order as stored in memory (see px_cksum.h).
 */
#ifndef PX_IP_H
#define PX_IP_H

#include <errno.h>
#include <stdbool.h>
#include <assert.h>
#include <stdint.h>

#include <px_byteorder.h>
#include <px_cksum.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/* IP protocol numbers (IANA). */
#define PX_IPPROTO_HOPOPTS 0
#define PX_IPPROTO_ICMP 1
#define PX_IPPROTO_TCP 6
#define PX_IPPROTO_UDP 17
#define PX_IPPROTO_IPV6 41
#define PX_IPPROTO_ROUTING 43
#define PX_IPPROTO_FRAGMENT 44
#define PX_IPPROTO_GRE 47
#define PX_IPPROTO_ESP 50
#define PX_IPPROTO_AH 51
#define PX_IPPROTO_ICMPV6 58
#define PX_IPPROTO_NONE 59
#define PX_IPPROTO_DSTOPTS 60
#define PX_IPPROTO_SCTP 132

/** An IPv4 address in CPU order from its four dotted parts: PX_IPV4(192, 0, 2, 1). */
#define PX_IPV4(a, b, c, d) \
	((uint32_t)(((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (uint32_t)(d)))

/** The IPv4 header (without options). */
struct px_ipv4_hdr {
	uint8_t version_ihl;     /**< version (4 bits) and header length in 32-bit words (4 bits) */
	uint8_t type_of_service; /**< DSCP (6) and ECN (2) */
	px_be16_t total_length;  /**< header and payload, bytes */
	px_be16_t packet_id;
	px_be16_t fragment_offset; /**< flags (3) and offset in 8-byte units (13) */
	uint8_t time_to_live;
	uint8_t next_proto_id; /**< PX_IPPROTO_* */
	px_be16_t hdr_checksum;
	px_be32_t src_addr;
	px_be32_t dst_addr;
} __attribute__((packed));

#define PX_IPV4_VHL_DEF 0x45 /**< version 4, 20-byte header */
#define PX_IPV4_IHL_MULTIPLIER 4
#define PX_IPV4_MIN_HDR_LEN 20
#define PX_IPV4_MAX_HDR_LEN 60
#define PX_IPV4_HDR_DF_FLAG 0x4000     /**< fragment_offset: don't fragment (CPU order) */
#define PX_IPV4_HDR_MF_FLAG 0x2000     /**< fragment_offset: more fragments (CPU order) */
#define PX_IPV4_HDR_OFFSET_MASK 0x1fff /**< fragment_offset: the offset (CPU order) */

/** The IPv6 fixed header. */
struct px_ipv6_hdr {
	px_be32_t vtc_flow;    /**< version (4), traffic class (8), flow label (20) */
	px_be16_t payload_len; /**< bytes after this header, extension headers included */
	uint8_t proto;         /**< next header: PX_IPPROTO_* */
	uint8_t hop_limits;
	uint8_t src_addr[16];
	uint8_t dst_addr[16];
} __attribute__((packed));

#define PX_IPV6_HDR_LEN 40

static_assert(sizeof(struct px_ipv4_hdr) == 20, "IPv4 header is 20 bytes");
static_assert(sizeof(struct px_ipv6_hdr) == 40, "IPv6 header is 40 bytes");

/** @return the version field of an IPv4 header (4 when it is one). */
static inline uint8_t px_ipv4_hdr_version(const struct px_ipv4_hdr *h)
{
	return h->version_ihl >> 4;
}

/** @return the IPv4 header length in bytes, options included (20-60 when well formed). */
static inline uint8_t px_ipv4_hdr_len(const struct px_ipv4_hdr *h)
{
	return (uint8_t)((h->version_ihl & 0x0f) * PX_IPV4_IHL_MULTIPLIER);
}

/** @return true when an IPv4 header belongs to a fragment (MF set or a non-zero offset). */
static inline bool px_ipv4_frag_pkt_is_fragmented(const struct px_ipv4_hdr *h)
{
	uint16_t f = px_be_to_cpu_16(h->fragment_offset);

	return (f & (PX_IPV4_HDR_MF_FLAG | PX_IPV4_HDR_OFFSET_MASK)) != 0;
}

/** @return the version field of an IPv6 header (6 when it is one). */
static inline uint8_t px_ipv6_hdr_version(const struct px_ipv6_hdr *h)
{
	return (uint8_t)(px_be_to_cpu_32(h->vtc_flow) >> 28);
}

/**
 * The IPv4 header checksum (RFC 791), over the header and its options.
 *
 * Set hdr_checksum to 0 first and store the result there. Over a received header with its
 * checksum in place the result is 0 when the checksum is right.
 * @param h the header; px_ipv4_hdr_len(h) bytes are read
 * @return the checksum, network order as stored
 */
static inline uint16_t px_ipv4_cksum(const struct px_ipv4_hdr *h)
{
	return (uint16_t)~px_raw_cksum(h, px_ipv4_hdr_len(h));
}

/** @return the unfolded sum of the IPv4 pseudo-header for an upper layer of @p l4_len bytes. */
static inline uint64_t px_ipv4_phdr_sum(const struct px_ipv4_hdr *h, uint16_t l4_len)
{
	struct {
		px_be32_t src, dst;
		uint8_t zero, proto;
		px_be16_t len;
	} __attribute__((packed))
	ph = {h->src_addr, h->dst_addr, 0, h->next_proto_id, px_cpu_to_be_16(l4_len)};

	return px_cksum_add(&ph, sizeof(ph), 0);
}

/** @return the upper-layer length of an IPv4 packet (total_length minus the header; 0 if less). */
static inline uint16_t px_ipv4_l4_len(const struct px_ipv4_hdr *h)
{
	uint16_t tot = px_be_to_cpu_16(h->total_length), hl = px_ipv4_hdr_len(h);

	return tot > hl ? (uint16_t)(tot - hl) : 0;
}

/**
 * The UDP or TCP checksum of an IPv4 packet, pseudo-header included.
 *
 * Set the checksum field of @p l4 to 0 first and store the result there. For UDP a computed 0
 * is sent as 0xffff, because 0 means "no checksum" (RFC 768).
 * @param h  the IPv4 header; next_proto_id and total_length say what follows
 * @param l4 the UDP or TCP header, followed by its payload (px_ipv4_l4_len(h) bytes in all)
 * @return the checksum, network order as stored
 */
static inline uint16_t px_ipv4_udptcp_cksum(const struct px_ipv4_hdr *h, const void *l4)
{
	uint16_t len = px_ipv4_l4_len(h);
	uint16_t ck = (uint16_t)~px_cksum_fold(px_cksum_add(l4, len, px_ipv4_phdr_sum(h, len)));

	if (ck == 0 && h->next_proto_id == PX_IPPROTO_UDP)
		ck = 0xffff;
	return ck;
}

/**
 * Check the UDP or TCP checksum of a received IPv4 packet.
 * @param h  the IPv4 header
 * @param l4 the UDP or TCP header with its checksum in place, then the payload
 * @return 0 when the checksum is right, or is 0 in a UDP datagram (not computed by the sender);
 *         -EBADMSG when it is wrong
 */
static inline int px_ipv4_udptcp_cksum_verify(const struct px_ipv4_hdr *h, const void *l4)
{
	uint16_t len = px_ipv4_l4_len(h);
	uint16_t ck;

	if (h->next_proto_id == PX_IPPROTO_UDP && len >= 8) {
		memcpy(&ck, (const uint8_t *)l4 + 6, 2); /* UDP header: the checksum is at 6 */
		if (ck == 0)
			return 0;
	}
	ck = px_cksum_fold(px_cksum_add(l4, len, px_ipv4_phdr_sum(h, len)));
	return ck == 0xffff ? 0 : -EBADMSG;
}

/** @return the unfolded sum of the IPv6 pseudo-header: addresses, payload_len, next header. */
static inline uint64_t px_ipv6_phdr_sum(const struct px_ipv6_hdr *h)
{
	struct {
		px_be32_t len;
		uint8_t zero[3];
		uint8_t proto;
	} ph = {px_cpu_to_be_32(px_be_to_cpu_16(h->payload_len)), {0, 0, 0}, h->proto};
	uint64_t sum = px_cksum_add(h->src_addr, 32, 0); /* source and destination */

	return px_cksum_add(&ph, sizeof(ph), sum);
}

/**
 * The UDP, TCP or ICMPv6 checksum of an IPv6 packet without extension headers, pseudo-header
 * included.
 *
 * Set the checksum field of @p l4 to 0 first and store the result there. A computed 0 is
 * returned as 0xffff for UDP, where 0 is not allowed (RFC 8200 §8.1).
 * @param h  the IPv6 header; proto and payload_len describe @p l4
 * @param l4 the upper-layer header and payload (payload_len bytes)
 * @return the checksum, network order as stored
 */
static inline uint16_t px_ipv6_udptcp_cksum(const struct px_ipv6_hdr *h, const void *l4)
{
	uint16_t len = px_be_to_cpu_16(h->payload_len);
	uint16_t ck = (uint16_t)~px_cksum_fold(px_cksum_add(l4, len, px_ipv6_phdr_sum(h)));

	if (ck == 0 && h->proto == PX_IPPROTO_UDP)
		ck = 0xffff;
	return ck;
}

/**
 * Check the UDP, TCP or ICMPv6 checksum of a received IPv6 packet without extension headers.
 * @param h  the IPv6 header
 * @param l4 the upper-layer header with its checksum in place, then the payload
 * @return 0 when the checksum is right; -EBADMSG when it is wrong or is 0 in a UDP datagram
 */
static inline int px_ipv6_udptcp_cksum_verify(const struct px_ipv6_hdr *h, const void *l4)
{
	uint16_t len = px_be_to_cpu_16(h->payload_len);
	uint16_t ck;

	if (h->proto == PX_IPPROTO_UDP && len >= 8) {
		memcpy(&ck, (const uint8_t *)l4 + 6, 2);
		if (ck == 0)
			return -EBADMSG;
	}
	ck = px_cksum_fold(px_cksum_add(l4, len, px_ipv6_phdr_sum(h)));
	return ck == 0xffff ? 0 : -EBADMSG;
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_IP_H */

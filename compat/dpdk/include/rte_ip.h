/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_ip.h
 * DPDK compatibility: IPv4/IPv6 headers and checksums. struct rte_ipv4_hdr and rte_ipv6_hdr are
 * px_ipv4_hdr and px_ipv6_hdr (px_ip.h), fields named as DPDK's; DPDK's anonymous bitfields
 * over version_ihl (ihl, version) are not there: use version_ihl.
 */
#ifndef POLLUX_RTE_IP_H
#define POLLUX_RTE_IP_H

#include <netinet/in.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <px_cksum.h>
#include <px_ip.h>

#ifdef __cplusplus
extern "C" {
#endif

#define rte_ipv4_hdr px_ipv4_hdr
#define rte_ipv6_hdr px_ipv6_hdr

#define RTE_IPV4(a, b, c, d) PX_IPV4(a, b, c, d)
#define RTE_IPV4_VHL_DEF PX_IPV4_VHL_DEF
#define RTE_IPV4_IHL_MULTIPLIER PX_IPV4_IHL_MULTIPLIER
#define RTE_IPV4_HDR_IHL_MASK 0x0f
#define RTE_IPV4_MIN_IHL 5
#define RTE_IPV4_MAX_PKT_LEN 65535
#define RTE_IPV4_HDR_DF_SHIFT 14
#define RTE_IPV4_HDR_MF_SHIFT 13
#define RTE_IPV4_HDR_FO_SHIFT 3
#define RTE_IPV4_HDR_DF_FLAG PX_IPV4_HDR_DF_FLAG
#define RTE_IPV4_HDR_MF_FLAG PX_IPV4_HDR_MF_FLAG
#define RTE_IPV4_HDR_OFFSET_MASK PX_IPV4_HDR_OFFSET_MASK
#define RTE_IPV4_HDR_OFFSET_UNITS 8
#define RTE_IPV6_HDR_FL_MASK 0x000fffff
#define RTE_IPV6_HDR_TC_SHIFT 20
#define RTE_IPV6_HDR_TC_MASK (0xff << RTE_IPV6_HDR_TC_SHIFT)

static inline uint8_t rte_ipv4_hdr_len(const struct rte_ipv4_hdr *h)
{
	return px_ipv4_hdr_len(h);
}

static inline int rte_ipv4_frag_pkt_is_fragmented(const struct rte_ipv4_hdr *h)
{
	return px_ipv4_frag_pkt_is_fragmented(h);
}

static inline uint16_t rte_raw_cksum(const void *buf, size_t len)
{
	return px_raw_cksum(buf, len);
}

/** @return the IPv4 header checksum as stored in hdr_checksum (which must be 0 first). */
static inline uint16_t rte_ipv4_cksum(const struct rte_ipv4_hdr *h)
{
	return px_ipv4_cksum(h);
}

static inline uint16_t rte_ipv4_udptcp_cksum(const struct rte_ipv4_hdr *h, const void *l4)
{
	return px_ipv4_udptcp_cksum(h, l4);
}

static inline int rte_ipv4_udptcp_cksum_verify(const struct rte_ipv4_hdr *h, const void *l4)
{
	return px_ipv4_udptcp_cksum_verify(h, l4);
}

static inline uint16_t rte_ipv6_udptcp_cksum(const struct rte_ipv6_hdr *h, const void *l4)
{
	return px_ipv6_udptcp_cksum(h, l4);
}

static inline int rte_ipv6_udptcp_cksum_verify(const struct rte_ipv6_hdr *h, const void *l4)
{
	return px_ipv6_udptcp_cksum_verify(h, l4);
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_IP_H */

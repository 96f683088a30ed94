/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_ether.h
 * DPDK compatibility: Ethernet addresses and headers. struct rte_ether_addr, rte_ether_hdr and
 * rte_vlan_hdr are Pollux's px_ether_addr, px_ether_hdr and px_vlan_hdr (px_ether.h), whose
 * fields have DPDK's names, so an application's frames and Pollux's are one type.
 */
#ifndef POLLUX_RTE_ETHER_H
#define POLLUX_RTE_ETHER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_byteorder.h>
#include <px_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

#define rte_ether_addr px_ether_addr
#define rte_ether_hdr px_ether_hdr
#define rte_vlan_hdr px_vlan_hdr

#define RTE_ETHER_ADDR_LEN PX_ETHER_ADDR_LEN
#define RTE_ETHER_TYPE_LEN PX_ETHER_TYPE_LEN
#define RTE_ETHER_CRC_LEN PX_ETHER_CRC_LEN
#define RTE_ETHER_HDR_LEN PX_ETHER_HDR_LEN
#define RTE_ETHER_MIN_LEN PX_ETHER_MIN_LEN
#define RTE_ETHER_MAX_LEN PX_ETHER_MAX_LEN
#define RTE_ETHER_MTU PX_ETHER_MTU
#define RTE_ETHER_MAX_JUMBO_FRAME_LEN 0x3F00
#define RTE_ETHER_MAX_VLAN_FRAME_LEN (RTE_ETHER_MAX_LEN + 4)
#define RTE_ETHER_MAX_VLAN_ID 4095
#define RTE_ETHER_MIN_MTU 68
#define RTE_VLAN_HLEN PX_VLAN_HLEN
#define RTE_ETHER_LOCAL_ADMIN_ADDR PX_ETHER_LOCAL_ADMIN_ADDR
#define RTE_ETHER_GROUP_ADDR PX_ETHER_GROUP_ADDR
#define RTE_ETHER_ADDR_FMT_SIZE PX_ETHER_ADDR_FMT_SIZE

#define RTE_ETHER_TYPE_IPV4 PX_ETHER_TYPE_IPV4
#define RTE_ETHER_TYPE_IPV6 PX_ETHER_TYPE_IPV6
#define RTE_ETHER_TYPE_ARP PX_ETHER_TYPE_ARP
#define RTE_ETHER_TYPE_RARP PX_ETHER_TYPE_RARP
#define RTE_ETHER_TYPE_VLAN PX_ETHER_TYPE_VLAN
#define RTE_ETHER_TYPE_QINQ PX_ETHER_TYPE_QINQ
#define RTE_ETHER_TYPE_SLOW PX_ETHER_TYPE_SLOW
#define RTE_ETHER_TYPE_MPLS PX_ETHER_TYPE_MPLS
#define RTE_ETHER_TYPE_MPLSM PX_ETHER_TYPE_MPLSM
#define RTE_ETHER_TYPE_LLDP PX_ETHER_TYPE_LLDP
#define RTE_ETHER_TYPE_1588 PX_ETHER_TYPE_1588

#define RTE_ETHER_ADDR_PRT_FMT "%02X:%02X:%02X:%02X:%02X:%02X"
#define RTE_ETHER_ADDR_BYTES(a)                                                                 \
	((a)->addr_bytes[0]), ((a)->addr_bytes[1]), ((a)->addr_bytes[2]), ((a)->addr_bytes[3]), \
		((a)->addr_bytes[4]), ((a)->addr_bytes[5])

static inline int rte_is_same_ether_addr(const struct rte_ether_addr *a,
					 const struct rte_ether_addr *b)
{
	return px_ether_addr_eq(a, b);
}

static inline int rte_is_zero_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_zero(a);
}

static inline int rte_is_unicast_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_unicast(a);
}

static inline int rte_is_multicast_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_multicast(a);
}

static inline int rte_is_broadcast_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_broadcast(a);
}

static inline int rte_is_universal_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_universal(a);
}

static inline int rte_is_local_admin_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_local_admin(a);
}

static inline int rte_is_valid_assigned_ether_addr(const struct rte_ether_addr *a)
{
	return px_ether_addr_is_valid_assigned(a);
}

static inline void rte_ether_addr_copy(const struct rte_ether_addr *from, struct rte_ether_addr *to)
{
	px_ether_addr_copy(from, to);
}

static inline void rte_eth_random_addr(uint8_t *addr)
{
	struct px_ether_addr a;

	px_ether_addr_random(&a);
	memcpy(addr, a.addr_bytes, RTE_ETHER_ADDR_LEN);
}

/** Format "XX:XX:XX:XX:XX:XX" into @p buf (truncated to @p size, as DPDK does). */
static inline void rte_ether_format_addr(char *buf, uint16_t size, const struct rte_ether_addr *a)
{
	snprintf(buf, size, RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(a));
}

/** Parse a MAC address (px_ether_addr_parse()'s forms). @return 0, or -1 with rte_errno EINVAL. */
int rte_ether_unformat_addr(const char *str, struct rte_ether_addr *eth_addr);

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_ETHER_H */

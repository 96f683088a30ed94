/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_ether.h
 * Ethernet: MAC addresses, the Ethernet and 802.1Q VLAN headers, EtherTypes.
 *
 * EtherType constants are in CPU order, as in DPDK: compare a header field with
 * `eth->ether_type == PX_BE16(PX_ETHER_TYPE_IPV4)`.
 */
#ifndef PX_ETHER_H
#define PX_ETHER_H

#include <stdbool.h>
#include <stddef.h>
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include <px_common.h>
#include <px_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define PX_ETHER_ADDR_LEN 6   /**< bytes in a MAC address */
#define PX_ETHER_TYPE_LEN 2   /**< bytes in an EtherType */
#define PX_ETHER_CRC_LEN 4    /**< bytes in the frame check sequence */
#define PX_ETHER_HDR_LEN 14   /**< bytes in an Ethernet header without VLAN tags */
#define PX_ETHER_MIN_LEN 64   /**< minimum frame length, FCS included */
#define PX_ETHER_MAX_LEN 1518 /**< maximum standard frame length, FCS included */
#define PX_ETHER_MTU 1500     /**< standard Ethernet MTU */
#define PX_ETHER_MAX_JUMBO_LEN 9728
#define PX_VLAN_HLEN 4            /**< bytes in one 802.1Q tag */
#define PX_ETHER_ADDR_FMT_SIZE 18 /**< buffer size for px_ether_addr_format(), NUL included */

/* EtherTypes, CPU order. */
#define PX_ETHER_TYPE_IPV4 0x0800
#define PX_ETHER_TYPE_ARP 0x0806
#define PX_ETHER_TYPE_RARP 0x8035
#define PX_ETHER_TYPE_VLAN 0x8100 /**< 802.1Q C-tag */
#define PX_ETHER_TYPE_IPV6 0x86DD
#define PX_ETHER_TYPE_SLOW 0x8809 /**< LACP, marker */
#define PX_ETHER_TYPE_MPLS 0x8847
#define PX_ETHER_TYPE_MPLSM 0x8848
#define PX_ETHER_TYPE_QINQ 0x88A8 /**< 802.1ad S-tag */
#define PX_ETHER_TYPE_LLDP 0x88CC
#define PX_ETHER_TYPE_1588 0x88F7 /**< PTP over Ethernet */

/** A MAC address, in transmission order. */
struct px_ether_addr {
	uint8_t addr_bytes[PX_ETHER_ADDR_LEN];
} __px_aligned(2);

#define PX_ETHER_GROUP_ADDR 0x01       /**< I/G bit of the first byte: multicast */
#define PX_ETHER_LOCAL_ADMIN_ADDR 0x02 /**< U/L bit of the first byte: locally administered */

/** The Ethernet header. */
struct px_ether_hdr {
	struct px_ether_addr dst_addr;
	struct px_ether_addr src_addr;
	px_be16_t ether_type;
} __px_aligned(2);

/** An 802.1Q tag, as it follows the source address (after its TPID). */
struct px_vlan_hdr {
	px_be16_t vlan_tci;  /**< priority (3), DEI (1), VLAN id (12) */
	px_be16_t eth_proto; /**< EtherType of what follows */
} __px_packed;

static_assert(sizeof(struct px_ether_addr) == 6, "MAC address is 6 bytes");
static_assert(sizeof(struct px_ether_hdr) == 14, "Ethernet header is 14 bytes");
static_assert(sizeof(struct px_vlan_hdr) == 4, "VLAN tag is 4 bytes");

/** @return the VLAN id (0-4095) of a tag control field in network order. */
static inline uint16_t px_vlan_tci_id(px_be16_t tci)
{
	return px_be_to_cpu_16(tci) & 0x0fff;
}

/** @return the priority code point (0-7) of a tag control field in network order. */
static inline uint8_t px_vlan_tci_pcp(px_be16_t tci)
{
	return (uint8_t)(px_be_to_cpu_16(tci) >> 13);
}

/** @return true when @p a and @p b are the same address. */
static inline bool px_ether_addr_eq(const struct px_ether_addr *a, const struct px_ether_addr *b)
{
	return memcmp(a, b, PX_ETHER_ADDR_LEN) == 0;
}

/** Copy @p from to @p to. */
static inline void px_ether_addr_copy(const struct px_ether_addr *from, struct px_ether_addr *to)
{
	*to = *from;
}

/** @return true for 00:00:00:00:00:00. */
static inline bool px_ether_addr_is_zero(const struct px_ether_addr *a)
{
	static const struct px_ether_addr zero = {{0}};

	return px_ether_addr_eq(a, &zero);
}

/** @return true when the group bit is clear (an individual address). */
static inline bool px_ether_addr_is_unicast(const struct px_ether_addr *a)
{
	return (a->addr_bytes[0] & PX_ETHER_GROUP_ADDR) == 0;
}

/** @return true when the group bit is set (multicast, broadcast included). */
static inline bool px_ether_addr_is_multicast(const struct px_ether_addr *a)
{
	return (a->addr_bytes[0] & PX_ETHER_GROUP_ADDR) != 0;
}

/** @return true for ff:ff:ff:ff:ff:ff. */
static inline bool px_ether_addr_is_broadcast(const struct px_ether_addr *a)
{
	static const struct px_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

	return px_ether_addr_eq(a, &bcast);
}

/** @return true when the address is universally administered (U/L bit clear). */
static inline bool px_ether_addr_is_universal(const struct px_ether_addr *a)
{
	return (a->addr_bytes[0] & PX_ETHER_LOCAL_ADMIN_ADDR) == 0;
}

/** @return true when the address is locally administered (U/L bit set). */
static inline bool px_ether_addr_is_local_admin(const struct px_ether_addr *a)
{
	return (a->addr_bytes[0] & PX_ETHER_LOCAL_ADMIN_ADDR) != 0;
}

/** @return true when @p a may be a port's own address: unicast and not all zeros. */
static inline bool px_ether_addr_is_valid_assigned(const struct px_ether_addr *a)
{
	return px_ether_addr_is_unicast(a) && !px_ether_addr_is_zero(a);
}

/**
 * Format a MAC address as "XX:XX:XX:XX:XX:XX" (upper-case hex, as DPDK prints it).
 * @param buf  output, NUL-terminated
 * @param size size of @p buf; at least PX_ETHER_ADDR_FMT_SIZE
 * @param addr the address
 * @return 0, or -ENOSPC when @p size is too small (@p buf then holds "" if @p size > 0)
 */
int px_ether_addr_format(char *buf, size_t size, const struct px_ether_addr *addr);

/**
 * Parse a MAC address.
 *
 * Accepted forms: six groups of two hex digits separated by ':' or '-' (one separator
 * throughout), "01:23:45:67:89:ab"; or three groups of four hex digits separated by ':' or '.',
 * "0123.4567.89ab". Either case; nothing else may precede or follow.
 * @param str  the text
 * @param addr the result; unchanged on error
 * @return 0, or -EINVAL when @p str is not one of those forms
 */
int px_ether_addr_parse(const char *str, struct px_ether_addr *addr);

/**
 * Make a random locally administered unicast address (for software ports).
 * @param addr the result
 */
void px_ether_addr_random(struct px_ether_addr *addr);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ETHER_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_arp.h
 * ARP for IPv4 over Ethernet (RFC 826).
 */
#ifndef PX_ARP_H
#define PX_ARP_H

#include <assert.h>
#include <stdint.h>

#include <px_byteorder.h>
#include <px_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define PX_ARP_HRD_ETHER 1  /**< arp_hardware: Ethernet (CPU order) */
#define PX_ARP_OP_REQUEST 1 /**< arp_opcode: request (CPU order) */
#define PX_ARP_OP_REPLY 2   /**< arp_opcode: reply (CPU order) */

/** The addresses of an Ethernet/IPv4 ARP message. */
struct px_arp_ipv4 {
	struct px_ether_addr arp_sha; /**< sender hardware address */
	px_be32_t arp_sip;            /**< sender IPv4 address */
	struct px_ether_addr arp_tha; /**< target hardware address */
	px_be32_t arp_tip;            /**< target IPv4 address */
} __px_packed __px_aligned(2);

/** An ARP message. */
struct px_arp_hdr {
	px_be16_t arp_hardware; /**< PX_ARP_HRD_ETHER */
	px_be16_t arp_protocol; /**< PX_ETHER_TYPE_IPV4 */
	uint8_t arp_hlen;       /**< 6 */
	uint8_t arp_plen;       /**< 4 */
	px_be16_t arp_opcode;   /**< PX_ARP_OP_REQUEST or PX_ARP_OP_REPLY */
	struct px_arp_ipv4 arp_data;
} __px_packed __px_aligned(2);

static_assert(sizeof(struct px_arp_hdr) == 28, "ARP for IPv4 over Ethernet is 28 bytes");

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ARP_H */

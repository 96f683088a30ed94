/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_ethdev.h
 * DPDK compatibility: Ethernet ports over Pollux's px_ethdev.h.
 *
 * The burst functions are px_eth_rx_burst()/px_eth_tx_burst() under DPDK's names, inline: a
 * burst through this layer is the same code as a burst in a Pollux program. Port ids, queue ids
 * and mbufs are Pollux's. Configuration structures (rte_eth_conf, rte_eth_rxconf,
 * rte_eth_txconf, rte_eth_dev_info, rte_eth_stats, rte_eth_link) have DPDK's field names and
 * are converted to and from Pollux's in the control functions (compat/dpdk/rte_ethdev.c).
 * Offload, RSS and speed flags are DPDK's values, which are Pollux's: an offload the port
 * cannot do is refused by rte_eth_dev_configure() with -EINVAL, as DPDK does.
 *
 * Fields of DPDK's structures that Pollux cannot honour are there (so applications compile)
 * and checked: a non-zero value the port cannot do makes the call fail with -ENOTSUP (or
 * -EINVAL where DPDK documents that), with one log line naming the field. Features Pollux does
 * not have (flow API, VMDq/DCB, RX/TX callbacks, ptype parsing, timesync ...) return -ENOTSUP.
 */
#ifndef POLLUX_RTE_ETHDEV_H
#define POLLUX_RTE_ETHDEV_H

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <px_ethdev.h>
#include <px_eth_desc.h>
#include <px_eth_tx_buffer.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

#define RTE_ETH_NAME_MAX_LEN PX_ETH_NAME_MAX_LEN
#define RTE_ETH_DEV_FALLBACK_RX_RINGSIZE 512
#define RTE_ETH_DEV_FALLBACK_TX_RINGSIZE 512
#define RTE_ETH_DEV_FALLBACK_RX_NBQUEUES 1
#define RTE_ETH_DEV_FALLBACK_TX_NBQUEUES 1
#define RTE_ETH_ALL RTE_MAX_ETHPORTS
#define RTE_ETH_XSTATS_NAME_SIZE PX_ETH_XSTATS_NAME_SIZE
#define RTE_ETH_LINK_MAX_STR_LEN 40
#define RTE_ETH_MAX_VMDQ_POOL 64
#define RTE_ETH_VMDQ_MAX_VLAN_FILTERS 64
#define RTE_ETH_DCB_NUM_USER_PRIORITIES 8

/* Offloads, RSS hash functions, link speeds: DPDK 22.11's values. */
#define RTE_ETH_LINK_SPEED_AUTONEG 0
#define RTE_ETH_LINK_SPEED_FIXED (1U << 0)
#define RTE_ETH_LINK_SPEED_10M_HD (1U << 1)
#define RTE_ETH_LINK_SPEED_10M (1U << 2)
#define RTE_ETH_LINK_SPEED_100M_HD (1U << 3)
#define RTE_ETH_LINK_SPEED_100M (1U << 4)
#define RTE_ETH_LINK_SPEED_1G (1U << 5)
#define RTE_ETH_LINK_SPEED_2_5G (1U << 6)
#define RTE_ETH_LINK_SPEED_5G (1U << 7)
#define RTE_ETH_LINK_SPEED_10G (1U << 8)
#define RTE_ETH_LINK_SPEED_20G (1U << 9)
#define RTE_ETH_LINK_SPEED_25G (1U << 10)
#define RTE_ETH_LINK_SPEED_40G (1U << 11)
#define RTE_ETH_LINK_SPEED_50G (1U << 12)
#define RTE_ETH_LINK_SPEED_56G (1U << 13)
#define RTE_ETH_LINK_SPEED_100G (1U << 14)
#define RTE_ETH_LINK_SPEED_200G (1U << 15)
#define RTE_ETH_SPEED_NUM_NONE 0
#define RTE_ETH_SPEED_NUM_10M 10
#define RTE_ETH_SPEED_NUM_100M 100
#define RTE_ETH_SPEED_NUM_1G 1000
#define RTE_ETH_SPEED_NUM_2_5G 2500
#define RTE_ETH_SPEED_NUM_5G 5000
#define RTE_ETH_SPEED_NUM_10G 10000
#define RTE_ETH_SPEED_NUM_20G 20000
#define RTE_ETH_SPEED_NUM_25G 25000
#define RTE_ETH_SPEED_NUM_40G 40000
#define RTE_ETH_SPEED_NUM_50G 50000
#define RTE_ETH_SPEED_NUM_56G 56000
#define RTE_ETH_SPEED_NUM_100G 100000
#define RTE_ETH_SPEED_NUM_200G 200000
#define RTE_ETH_SPEED_NUM_UNKNOWN UINT32_MAX
#define RTE_ETH_LINK_HALF_DUPLEX 0
#define RTE_ETH_LINK_FULL_DUPLEX 1
#define RTE_ETH_LINK_DOWN 0
#define RTE_ETH_LINK_UP 1
#define RTE_ETH_LINK_FIXED 0
#define RTE_ETH_LINK_AUTONEG 1
#define RTE_ETH_RSS_IPV4 (1ULL << 2)
#define RTE_ETH_RSS_FRAG_IPV4 (1ULL << 3)
#define RTE_ETH_RSS_NONFRAG_IPV4_TCP (1ULL << 4)
#define RTE_ETH_RSS_NONFRAG_IPV4_UDP (1ULL << 5)
#define RTE_ETH_RSS_NONFRAG_IPV4_SCTP (1ULL << 6)
#define RTE_ETH_RSS_NONFRAG_IPV4_OTHER (1ULL << 7)
#define RTE_ETH_RSS_IPV6 (1ULL << 8)
#define RTE_ETH_RSS_FRAG_IPV6 (1ULL << 9)
#define RTE_ETH_RSS_NONFRAG_IPV6_TCP (1ULL << 10)
#define RTE_ETH_RSS_NONFRAG_IPV6_UDP (1ULL << 11)
#define RTE_ETH_RSS_NONFRAG_IPV6_SCTP (1ULL << 12)
#define RTE_ETH_RSS_NONFRAG_IPV6_OTHER (1ULL << 13)
#define RTE_ETH_RSS_L2_PAYLOAD (1ULL << 14)
#define RTE_ETH_RSS_IPV6_EX (1ULL << 15)
#define RTE_ETH_RSS_IPV6_TCP_EX (1ULL << 16)
#define RTE_ETH_RSS_IPV6_UDP_EX (1ULL << 17)
#define RTE_ETH_RSS_PORT (1ULL << 18)
#define RTE_ETH_RSS_VXLAN (1ULL << 19)
#define RTE_ETH_RSS_GENEVE (1ULL << 20)
#define RTE_ETH_RSS_NVGRE (1ULL << 21)
#define RTE_ETH_RSS_GTPU (1ULL << 23)
#define RTE_ETH_RSS_ETH (1ULL << 24)
#define RTE_ETH_RSS_S_VLAN (1ULL << 25)
#define RTE_ETH_RSS_C_VLAN (1ULL << 26)
#define RTE_ETH_RSS_ESP (1ULL << 27)
#define RTE_ETH_RSS_AH (1ULL << 28)
#define RTE_ETH_RSS_L2TPV3 (1ULL << 29)
#define RTE_ETH_RSS_PFCP (1ULL << 30)
#define RTE_ETH_RSS_PPPOE (1ULL << 31)
#define RTE_ETH_RSS_ECPRI (1ULL << 32)
#define RTE_ETH_RSS_MPLS (1ULL << 33)
#define RTE_ETH_RSS_IPV4_CHKSUM (1ULL << 34)
#define RTE_ETH_RSS_L4_CHKSUM (1ULL << 35)
#define RTE_ETH_RSS_L2TPV2 (1ULL << 36)
#define RTE_ETH_RSS_L3_SRC_ONLY (1ULL << 63)
#define RTE_ETH_RSS_L3_DST_ONLY (1ULL << 62)
#define RTE_ETH_RSS_L4_SRC_ONLY (1ULL << 61)
#define RTE_ETH_RSS_L4_DST_ONLY (1ULL << 60)
#define RTE_ETH_RSS_L2_SRC_ONLY (1ULL << 59)
#define RTE_ETH_RSS_L2_DST_ONLY (1ULL << 58)
#define RTE_ETH_RSS_L3_PRE32 (1ULL << 57)
#define RTE_ETH_RSS_L3_PRE40 (1ULL << 56)
#define RTE_ETH_RSS_L3_PRE48 (1ULL << 55)
#define RTE_ETH_RSS_L3_PRE56 (1ULL << 54)
#define RTE_ETH_RSS_L3_PRE64 (1ULL << 53)
#define RTE_ETH_RSS_L3_PRE96 (1ULL << 52)
#define RTE_ETH_RX_OFFLOAD_VLAN_STRIP (1ULL << 0)
#define RTE_ETH_RX_OFFLOAD_IPV4_CKSUM (1ULL << 1)
#define RTE_ETH_RX_OFFLOAD_UDP_CKSUM (1ULL << 2)
#define RTE_ETH_RX_OFFLOAD_TCP_CKSUM (1ULL << 3)
#define RTE_ETH_RX_OFFLOAD_TCP_LRO (1ULL << 4)
#define RTE_ETH_RX_OFFLOAD_QINQ_STRIP (1ULL << 5)
#define RTE_ETH_RX_OFFLOAD_OUTER_IPV4_CKSUM (1ULL << 6)
#define RTE_ETH_RX_OFFLOAD_MACSEC_STRIP (1ULL << 7)
#define RTE_ETH_RX_OFFLOAD_VLAN_FILTER (1ULL << 9)
#define RTE_ETH_RX_OFFLOAD_VLAN_EXTEND (1ULL << 10)
#define RTE_ETH_RX_OFFLOAD_SCATTER (1ULL << 13)
#define RTE_ETH_RX_OFFLOAD_TIMESTAMP (1ULL << 14)
#define RTE_ETH_RX_OFFLOAD_SECURITY (1ULL << 15)
#define RTE_ETH_RX_OFFLOAD_KEEP_CRC (1ULL << 16)
#define RTE_ETH_RX_OFFLOAD_SCTP_CKSUM (1ULL << 17)
#define RTE_ETH_RX_OFFLOAD_OUTER_UDP_CKSUM (1ULL << 18)
#define RTE_ETH_RX_OFFLOAD_RSS_HASH (1ULL << 19)
#define RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT (1ULL << 20)
#define RTE_ETH_TX_OFFLOAD_VLAN_INSERT (1ULL << 0)
#define RTE_ETH_TX_OFFLOAD_IPV4_CKSUM (1ULL << 1)
#define RTE_ETH_TX_OFFLOAD_UDP_CKSUM (1ULL << 2)
#define RTE_ETH_TX_OFFLOAD_TCP_CKSUM (1ULL << 3)
#define RTE_ETH_TX_OFFLOAD_SCTP_CKSUM (1ULL << 4)
#define RTE_ETH_TX_OFFLOAD_TCP_TSO (1ULL << 5)
#define RTE_ETH_TX_OFFLOAD_UDP_TSO (1ULL << 6)
#define RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM (1ULL << 7)
#define RTE_ETH_TX_OFFLOAD_QINQ_INSERT (1ULL << 8)
#define RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO (1ULL << 9)
#define RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO (1ULL << 10)
#define RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO (1ULL << 11)
#define RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO (1ULL << 12)
#define RTE_ETH_TX_OFFLOAD_MACSEC_INSERT (1ULL << 13)
#define RTE_ETH_TX_OFFLOAD_MT_LOCKFREE (1ULL << 14)
#define RTE_ETH_TX_OFFLOAD_MULTI_SEGS (1ULL << 15)
#define RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE (1ULL << 16)
#define RTE_ETH_TX_OFFLOAD_SECURITY (1ULL << 17)
#define RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO (1ULL << 18)
#define RTE_ETH_TX_OFFLOAD_IP_TNL_TSO (1ULL << 19)
#define RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM (1ULL << 20)
#define RTE_ETH_TX_OFFLOAD_SEND_ON_TIMESTAMP (1ULL << 21)
#define RTE_ETH_RX_OFFLOAD_CHECKSUM                                     \
	(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
	 RTE_ETH_RX_OFFLOAD_TCP_CKSUM)
#define RTE_ETH_RX_OFFLOAD_VLAN                                           \
	(RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_VLAN_FILTER | \
	 RTE_ETH_RX_OFFLOAD_VLAN_EXTEND | RTE_ETH_RX_OFFLOAD_QINQ_STRIP)
#define RTE_ETH_RSS_IP                                                               \
	(RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_OTHER | \
	 RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_FRAG_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_OTHER | \
	 RTE_ETH_RSS_IPV6_EX)
#define RTE_ETH_RSS_UDP \
	(RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_NONFRAG_IPV6_UDP | RTE_ETH_RSS_IPV6_UDP_EX)
#define RTE_ETH_RSS_TCP \
	(RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_IPV6_TCP_EX)

#define RTE_ETH_MQ_RX_RSS_FLAG (1U << 0)
#define RTE_ETH_MQ_RX_DCB_FLAG (1U << 1)
#define RTE_ETH_MQ_RX_VMDQ_FLAG (1U << 2)

enum rte_eth_rx_mq_mode {
	RTE_ETH_MQ_RX_NONE = 0,
	RTE_ETH_MQ_RX_RSS = RTE_ETH_MQ_RX_RSS_FLAG,
	RTE_ETH_MQ_RX_DCB = RTE_ETH_MQ_RX_DCB_FLAG,
	RTE_ETH_MQ_RX_DCB_RSS = RTE_ETH_MQ_RX_RSS_FLAG | RTE_ETH_MQ_RX_DCB_FLAG,
	RTE_ETH_MQ_RX_VMDQ_ONLY = RTE_ETH_MQ_RX_VMDQ_FLAG,
	RTE_ETH_MQ_RX_VMDQ_RSS = RTE_ETH_MQ_RX_RSS_FLAG | RTE_ETH_MQ_RX_VMDQ_FLAG,
	RTE_ETH_MQ_RX_VMDQ_DCB = RTE_ETH_MQ_RX_VMDQ_FLAG | RTE_ETH_MQ_RX_DCB_FLAG,
	RTE_ETH_MQ_RX_VMDQ_DCB_RSS =
		RTE_ETH_MQ_RX_RSS_FLAG | RTE_ETH_MQ_RX_DCB_FLAG | RTE_ETH_MQ_RX_VMDQ_FLAG,
};

enum rte_eth_tx_mq_mode {
	RTE_ETH_MQ_TX_NONE = 0,
	RTE_ETH_MQ_TX_DCB,
	RTE_ETH_MQ_TX_VMDQ_DCB,
	RTE_ETH_MQ_TX_VMDQ_ONLY,
};

struct rte_eth_rxmode {
	enum rte_eth_rx_mq_mode mq_mode; /**< NONE or RSS; the others are -ENOTSUP */
	uint32_t mtu;                    /**< 0: the port's MTU */
	uint32_t max_lro_pkt_size;       /**< no LRO in Pollux: ignored */
	uint64_t offloads;               /**< RTE_ETH_RX_OFFLOAD_* */
	uint64_t reserved_64s[2];
	void *reserved_ptrs[2];
};

struct rte_eth_txmode {
	enum rte_eth_tx_mq_mode mq_mode; /**< NONE; the others are -ENOTSUP */
	uint64_t offloads;               /**< RTE_ETH_TX_OFFLOAD_* */
	uint16_t pvid;
	__extension__ uint8_t hw_vlan_reject_tagged : 1, hw_vlan_reject_untagged : 1,
		hw_vlan_insert_pvid : 1;
	uint64_t reserved_64s[2];
	void *reserved_ptrs[2];
};

struct rte_eth_rss_conf {
	uint8_t *rss_key;    /**< NULL: the driver's key */
	uint8_t rss_key_len; /**< bytes in rss_key */
	uint64_t rss_hf;     /**< RTE_ETH_RSS_* */
};

/** Entries of the RSS redirection table in one rte_eth_rss_reta_entry64. */
#define RTE_ETH_RETA_GROUP_SIZE 64

/** 64 entries of an RSS redirection table: px_eth_rss_reta_entry64's layout. */
struct rte_eth_rss_reta_entry64 {
	uint64_t mask; /**< bit i: reta[i] is to be set or read */
	uint16_t reta[RTE_ETH_RETA_GROUP_SIZE];
};

struct rte_eth_intr_conf {
	uint32_t lsc : 1; /**< link state change interrupt */
	uint32_t rxq : 1; /**< RX queue interrupts */
	uint32_t rmv : 1; /**< removal interrupt: not in Pollux (-ENOTSUP) */
};

struct rte_eth_conf {
	uint32_t link_speeds; /**< RTE_ETH_LINK_SPEED_AUTONEG (0) only; else -ENOTSUP */
	struct rte_eth_rxmode rxmode;
	struct rte_eth_txmode txmode;
	uint32_t lpbk_mode; /**< 0 only; loopback is -ENOTSUP */
	struct {
		struct rte_eth_rss_conf rss_conf;
	} rx_adv_conf;
	uint32_t dcb_capability_en; /**< 0 only (-ENOTSUP) */
	struct rte_eth_intr_conf intr_conf;
};

struct rte_eth_thresh {
	uint8_t pthresh; /**< hardware prefetch threshold: Pollux's drivers choose their own */
	uint8_t hthresh;
	uint8_t wthresh;
};

struct rte_eth_rxconf {
	struct rte_eth_thresh rx_thresh; /**< ignored, as by most DPDK drivers */
	uint16_t rx_free_thresh;
	uint8_t rx_drop_en;
	uint8_t rx_deferred_start; /**< Pollux starts every queue with the port: -ENOTSUP */
	uint16_t rx_nseg;          /**< buffer split: -ENOTSUP */
	uint16_t share_group;      /**< shared RX queues: -ENOTSUP */
	uint16_t share_qid;
	uint64_t offloads;
	void *rx_seg;
	uint64_t reserved_64s[2];
	void *reserved_ptrs[2];
};

struct rte_eth_txconf {
	struct rte_eth_thresh tx_thresh; /**< ignored */
	uint16_t tx_rs_thresh;
	uint16_t tx_free_thresh;
	uint8_t tx_deferred_start; /**< -ENOTSUP */
	uint64_t offloads;
	uint64_t reserved_64s[2];
	void *reserved_ptrs[2];
};

struct rte_eth_desc_lim {
	uint16_t nb_max;
	uint16_t nb_min;
	uint16_t nb_align;
	uint16_t nb_seg_max;
	uint16_t nb_mtu_seg_max;
};

struct rte_eth_dev_portconf {
	uint16_t burst_size;
	uint16_t ring_size;
	uint16_t nb_queues;
};

struct rte_eth_switch_info {
	const char *name;
	uint16_t domain_id;
	uint16_t port_id;
	uint16_t rx_domain;
};

struct rte_device;

struct rte_eth_dev_info {
	struct rte_device *device; /**< NULL: Pollux has no generic device object */
	const char *driver_name;
	unsigned int if_index;
	uint16_t min_mtu;
	uint16_t max_mtu;
	const uint32_t *dev_flags;
	uint32_t min_rx_bufsize;
	uint32_t max_rx_pktlen;
	uint32_t max_lro_pkt_size;
	uint16_t max_rx_queues;
	uint16_t max_tx_queues;
	uint32_t max_mac_addrs;
	uint32_t max_hash_mac_addrs;
	uint16_t max_vfs;
	uint16_t max_vmdq_pools;
	uint64_t rx_offload_capa;
	uint64_t tx_offload_capa;
	uint64_t rx_queue_offload_capa;
	uint64_t tx_queue_offload_capa;
	uint16_t reta_size;
	uint8_t hash_key_size;
	uint64_t flow_type_rss_offloads;
	struct rte_eth_rxconf default_rxconf;
	struct rte_eth_txconf default_txconf;
	uint16_t vmdq_queue_base;
	uint16_t vmdq_queue_num;
	uint16_t vmdq_pool_base;
	struct rte_eth_desc_lim rx_desc_lim;
	struct rte_eth_desc_lim tx_desc_lim;
	uint32_t speed_capa;
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
	struct rte_eth_dev_portconf default_rxportconf;
	struct rte_eth_dev_portconf default_txportconf;
	uint64_t dev_capa;
	struct rte_eth_switch_info switch_info;
	uint64_t reserved_64s[2];
	void *reserved_ptrs[2];
};

struct rte_eth_stats {
	uint64_t ipackets;
	uint64_t opackets;
	uint64_t ibytes;
	uint64_t obytes;
	uint64_t imissed;
	uint64_t ierrors;
	uint64_t oerrors;
	uint64_t rx_nombuf;
	uint64_t q_ipackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_opackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_ibytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_obytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_errors[RTE_ETHDEV_QUEUE_STAT_CNTRS];
};

struct rte_eth_link {
	union {
		uint64_t val64;
		__extension__ struct {
			uint32_t link_speed;       /**< RTE_ETH_SPEED_NUM_* */
			uint16_t link_duplex : 1;  /**< RTE_ETH_LINK_[HALF/FULL]_DUPLEX */
			uint16_t link_autoneg : 1; /**< RTE_ETH_LINK_[AUTONEG/FIXED] */
			uint16_t link_status : 1;  /**< RTE_ETH_LINK_[DOWN/UP] */
		};
	};
} __rte_aligned(8);

#define rte_eth_xstat px_eth_xstat
#define rte_eth_xstat_name px_eth_xstat_name

enum rte_eth_event_type {
	RTE_ETH_EVENT_UNKNOWN,
	RTE_ETH_EVENT_INTR_LSC,
	RTE_ETH_EVENT_QUEUE_STATE,
	RTE_ETH_EVENT_INTR_RESET,
	RTE_ETH_EVENT_VF_MBOX,
	RTE_ETH_EVENT_MACSEC,
	RTE_ETH_EVENT_INTR_RMV,
	RTE_ETH_EVENT_NEW,
	RTE_ETH_EVENT_DESTROY,
	RTE_ETH_EVENT_IPSEC,
	RTE_ETH_EVENT_FLOW_AGED,
	RTE_ETH_EVENT_RX_AVAIL_THRESH,
	RTE_ETH_EVENT_ERR_RECOVERING,
	RTE_ETH_EVENT_RECOVERY_SUCCESS,
	RTE_ETH_EVENT_RECOVERY_FAILED,
	RTE_ETH_EVENT_MAX
};

typedef int (*rte_eth_dev_cb_fn)(uint16_t port_id, enum rte_eth_event_type event, void *cb_arg,
				 void *ret_param);

/* ---- fast path: Pollux's own inline bursts ---------------------------------------------- */

static __rte_always_inline uint16_t rte_eth_rx_burst(uint16_t port_id, uint16_t queue_id,
						     struct rte_mbuf **rx_pkts,
						     const uint16_t nb_pkts)
{
	return px_eth_rx_burst(port_id, queue_id, rx_pkts, nb_pkts);
}

static __rte_always_inline uint16_t rte_eth_tx_burst(uint16_t port_id, uint16_t queue_id,
						     struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return px_eth_tx_burst(port_id, queue_id, tx_pkts, nb_pkts);
}

/** Pollux's drivers need no TX preparation (they do their own offload fixups): all are ready. */
static inline uint16_t rte_eth_tx_prepare(uint16_t port_id, uint16_t queue_id,
					  struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	(void)port_id;
	(void)queue_id;
	(void)tx_pkts;
	return nb_pkts;
}

/* ---- TX buffers: Pollux's px_eth_tx_buffer (lib/ethutil) ------------------------------- */

#define rte_eth_dev_tx_buffer px_eth_tx_buffer
typedef px_eth_tx_buffer_err_fn buffer_tx_error_fn;
#define RTE_ETH_TX_BUFFER_SIZE(sz) PX_ETH_TX_BUFFER_SIZE(sz)

static inline int rte_eth_tx_buffer_init(struct rte_eth_dev_tx_buffer *buffer, uint16_t size)
{
	return px_eth_tx_buffer_init(buffer, size);
}

static inline int rte_eth_tx_buffer_set_err_callback(struct rte_eth_dev_tx_buffer *buffer,
						     buffer_tx_error_fn callback, void *userdata)
{
	return px_eth_tx_buffer_set_err_callback(buffer, callback, userdata);
}

static inline void rte_eth_tx_buffer_drop_callback(struct rte_mbuf **pkts, uint16_t unsent,
						   void *userdata)
{
	px_eth_tx_buffer_drop_callback(pkts, unsent, userdata);
}

static inline void rte_eth_tx_buffer_count_callback(struct rte_mbuf **pkts, uint16_t unsent,
						    void *userdata)
{
	px_eth_tx_buffer_count_callback(pkts, unsent, userdata);
}

static __rte_always_inline uint16_t rte_eth_tx_buffer_flush(uint16_t port_id, uint16_t queue_id,
							    struct rte_eth_dev_tx_buffer *buffer)
{
	return px_eth_tx_buffer_flush(port_id, queue_id, buffer);
}

static __rte_always_inline uint16_t rte_eth_tx_buffer(uint16_t port_id, uint16_t queue_id,
						      struct rte_eth_dev_tx_buffer *buffer,
						      struct rte_mbuf *tx_pkt)
{
	return px_eth_tx_buffer(port_id, queue_id, buffer, tx_pkt);
}

/* ---- ports ------------------------------------------------------------------------------- */

static inline int rte_eth_dev_is_valid_port(uint16_t port_id)
{
	return px_eth_dev_is_valid_port(port_id);
}

static inline uint16_t rte_eth_dev_count_avail(void)
{
	return px_eth_dev_count_avail();
}

static inline uint16_t rte_eth_dev_count_total(void)
{
	return px_eth_dev_count_avail();
}

static inline uint64_t rte_eth_find_next(uint16_t port_id)
{
	return px_eth_find_next(port_id);
}

#define RTE_ETH_FOREACH_DEV(p) PX_ETH_FOREACH_DEV (p)

static inline int rte_eth_dev_get_name_by_port(uint16_t port_id, char *name)
{
	return px_eth_dev_get_name_by_port(port_id, name);
}

static inline int rte_eth_dev_get_port_by_name(const char *name, uint16_t *port_id)
{
	return px_eth_dev_get_port_by_name(name, port_id);
}

/** @return the port's NUMA socket; -1 when unknown or for a bad port (rte_errno EINVAL). */
static inline int rte_eth_dev_socket_id(uint16_t port_id)
{
	int s = px_eth_dev_socket_id(port_id);

	if (s < 0) {
		rte_errno = s == -ENODEV ? EINVAL : -s;
		return -1;
	}
	return s;
}

int rte_eth_dev_info_get(uint16_t port_id, struct rte_eth_dev_info *dev_info);
int rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queue, uint16_t nb_tx_queue,
			  const struct rte_eth_conf *eth_conf);
int rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id, uint16_t nb_rx_desc,
			   unsigned int socket_id, const struct rte_eth_rxconf *rx_conf,
			   struct rte_mempool *mb_pool);
int rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id, uint16_t nb_tx_desc,
			   unsigned int socket_id, const struct rte_eth_txconf *tx_conf);

static inline int rte_eth_dev_adjust_nb_rx_tx_desc(uint16_t port_id, uint16_t *nb_rx_desc,
						   uint16_t *nb_tx_desc)
{
	return px_eth_dev_adjust_nb_rx_tx_desc(port_id, nb_rx_desc, nb_tx_desc);
}

static inline int rte_eth_dev_start(uint16_t port_id)
{
	return px_eth_dev_start(port_id);
}

static inline int rte_eth_dev_stop(uint16_t port_id)
{
	return px_eth_dev_stop(port_id);
}

static inline int rte_eth_dev_close(uint16_t port_id)
{
	return px_eth_dev_close(port_id);
}

static inline int rte_eth_dev_reset(uint16_t port_id)
{
	return px_eth_dev_reset(port_id);
}

static inline int rte_eth_dev_set_link_up(uint16_t port_id)
{
	return px_eth_dev_set_link_up(port_id);
}

static inline int rte_eth_dev_set_link_down(uint16_t port_id)
{
	return px_eth_dev_set_link_down(port_id);
}

/** Queues start and stop with their port in Pollux: -ENOTSUP. */
int rte_eth_dev_rx_queue_start(uint16_t port_id, uint16_t rx_queue_id);
int rte_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t rx_queue_id);
int rte_eth_dev_tx_queue_start(uint16_t port_id, uint16_t tx_queue_id);
int rte_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t tx_queue_id);

int rte_eth_stats_get(uint16_t port_id, struct rte_eth_stats *stats);

static inline int rte_eth_stats_reset(uint16_t port_id)
{
	return px_eth_stats_reset(port_id);
}

static inline int rte_eth_xstats_get_names(uint16_t port_id, struct rte_eth_xstat_name *names,
					   unsigned int size)
{
	return px_eth_xstats_get_names(port_id, names, size);
}

static inline int rte_eth_xstats_get(uint16_t port_id, struct rte_eth_xstat *xstats, unsigned int n)
{
	return px_eth_xstats_get(port_id, xstats, n);
}

static inline int rte_eth_xstats_reset(uint16_t port_id)
{
	return px_eth_xstats_reset(port_id);
}

int rte_eth_xstats_get_id_by_name(uint16_t port_id, const char *xstat_name, uint64_t *id);

int rte_eth_link_get(uint16_t port_id, struct rte_eth_link *link);
int rte_eth_link_get_nowait(uint16_t port_id, struct rte_eth_link *link);
/** @return "10 Gbps", "None", "Unknown" ... */
const char *rte_eth_link_speed_to_str(uint32_t link_speed);
/** "Link up at 10 Gbps FDX Autoneg" / "Link down". @return the length, or -EINVAL. */
int rte_eth_link_to_str(char *str, size_t len, const struct rte_eth_link *eth_link);

static inline int rte_eth_promiscuous_enable(uint16_t port_id)
{
	return px_eth_promiscuous_enable(port_id);
}

static inline int rte_eth_promiscuous_disable(uint16_t port_id)
{
	return px_eth_promiscuous_disable(port_id);
}

static inline int rte_eth_promiscuous_get(uint16_t port_id)
{
	int r = px_eth_promiscuous_get(port_id);

	return r < 0 ? -1 : r;
}

static inline int rte_eth_allmulticast_enable(uint16_t port_id)
{
	return px_eth_allmulticast_enable(port_id);
}

static inline int rte_eth_allmulticast_disable(uint16_t port_id)
{
	return px_eth_allmulticast_disable(port_id);
}

static inline int rte_eth_allmulticast_get(uint16_t port_id)
{
	int r = px_eth_allmulticast_get(port_id);

	return r < 0 ? -1 : r;
}

static inline int rte_eth_macaddr_get(uint16_t port_id, struct rte_ether_addr *mac_addr)
{
	return px_eth_macaddr_get(port_id, mac_addr);
}

static inline int rte_eth_dev_default_mac_addr_set(uint16_t port_id,
						   struct rte_ether_addr *mac_addr)
{
	return px_eth_dev_default_mac_addr_set(port_id, mac_addr);
}

/** @p pool (VMDq) must be 0: Pollux has no VMDq pools (-ENOTSUP otherwise). */
int rte_eth_dev_mac_addr_add(uint16_t port_id, struct rte_ether_addr *mac_addr, uint32_t pool);

static inline int rte_eth_dev_mac_addr_remove(uint16_t port_id, struct rte_ether_addr *mac_addr)
{
	return px_eth_dev_mac_addr_remove(port_id, mac_addr);
}

static inline int rte_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu)
{
	return px_eth_dev_set_mtu(port_id, mtu);
}

static inline int rte_eth_dev_get_mtu(uint16_t port_id, uint16_t *mtu)
{
	return px_eth_dev_get_mtu(port_id, mtu);
}

/**
 * Pollux's drivers do not classify packets (packet_type stays RTE_PTYPE_UNKNOWN). Asking for
 * no classification (@p ptype_mask RTE_PTYPE_UNKNOWN) is 0, as DPDK answers for such drivers;
 * anything else is -ENOTSUP.
 */
int rte_eth_dev_set_ptypes(uint16_t port_id, uint32_t ptype_mask, uint32_t *set_ptypes,
			   unsigned int num);
/** @return 0 packet types (none are recognised), or -ENODEV. */
int rte_eth_dev_get_supported_ptypes(uint16_t port_id, uint32_t ptype_mask, uint32_t *ptypes,
				     int num);

static inline int rte_eth_dev_rx_intr_enable(uint16_t port_id, uint16_t queue_id)
{
	return px_eth_dev_rx_intr_enable(port_id, queue_id);
}

static inline int rte_eth_dev_rx_intr_disable(uint16_t port_id, uint16_t queue_id)
{
	return px_eth_dev_rx_intr_disable(port_id, queue_id);
}

static inline int rte_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port_id, uint16_t queue_id)
{
	return px_eth_dev_rx_intr_ctl_q_get_fd(port_id, queue_id);
}

/**
 * Call @p cb_fn on @p event of port @p port_id (RTE_ETH_ALL: every port). Pollux reports
 * RTE_ETH_EVENT_INTR_LSC and RTE_ETH_EVENT_INTR_RMV; other events are -ENOTSUP.
 * @return 0, -EINVAL, -ENODEV, -ENOTSUP, -ENOMEM, -EEXIST
 */
int rte_eth_dev_callback_register(uint16_t port_id, enum rte_eth_event_type event,
				  rte_eth_dev_cb_fn cb_fn, void *cb_arg);
int rte_eth_dev_callback_unregister(uint16_t port_id, enum rte_eth_event_type event,
				    rte_eth_dev_cb_fn cb_fn, void *cb_arg);

/** Pollux has no per-packet RX/TX callbacks (they would cost every burst a branch): NULL,
 * rte_errno ENOTSUP. */
typedef uint16_t (*rte_rx_callback_fn)(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[],
				       uint16_t nb_pkts, uint16_t max_pkts, void *user_param);
typedef uint16_t (*rte_tx_callback_fn)(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[],
				       uint16_t nb_pkts, void *user_param);
const struct rte_eth_rxtx_callback *rte_eth_add_rx_callback(uint16_t port_id, uint16_t queue_id,
							    rte_rx_callback_fn fn,
							    void *user_param);
const struct rte_eth_rxtx_callback *rte_eth_add_tx_callback(uint16_t port_id, uint16_t queue_id,
							    rte_tx_callback_fn fn,
							    void *user_param);

/** RSS after configure: px_eth_dev_rss_reta_update/query, px_eth_dev_rss_hash_update/
 * conf_get (DPDK's checks and errors; a port without a table: -ENOTSUP). */
int rte_eth_dev_rss_reta_update(uint16_t port_id, struct rte_eth_rss_reta_entry64 *reta_conf,
				uint16_t reta_size);
int rte_eth_dev_rss_reta_query(uint16_t port_id, struct rte_eth_rss_reta_entry64 *reta_conf,
			       uint16_t reta_size);
int rte_eth_dev_rss_hash_update(uint16_t port_id, struct rte_eth_rss_conf *rss_conf);
int rte_eth_dev_rss_hash_conf_get(uint16_t port_id, struct rte_eth_rss_conf *rss_conf);

/** Not in Pollux: -ENOTSUP (after the port check: -ENODEV). */
int rte_eth_rx_queue_count(uint16_t port_id, uint16_t queue_id);
int rte_eth_tx_done_cleanup(uint16_t port_id, uint16_t queue_id, uint32_t free_cnt);
int rte_eth_dev_fw_version_get(uint16_t port_id, char *fw_version, size_t fw_size);
int rte_eth_dev_vlan_filter(uint16_t port_id, uint16_t vlan_id, int on);
int rte_eth_timesync_enable(uint16_t port_id);
/** The device clock (for hardware timestamps): -ENOTSUP. */
int rte_eth_read_clock(uint16_t port_id, uint64_t *clock);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_ETHDEV_H */

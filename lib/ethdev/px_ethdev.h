/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_ethdev.h
 * Ethernet ports: the API applications use, shaped like DPDK's ethdev.
 *
 * A port is configured (queue counts, offloads, RSS), its queues set up, then started; packets
 * move with px_eth_rx_burst()/px_eth_tx_burst(), which are `static inline` and dispatch through a
 * flat per-port table filled by the driver at setup (no per-packet branch on configuration).
 * Every control function checks its port and queue ids: an unknown port is -ENODEV, a bad queue
 * or argument -EINVAL.
 */
#ifndef PX_ETHDEV_H
#define PX_ETHDEV_H

#include <stdint.h>
#include <stdio.h>

#include <px_common.h>
#include <px_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

struct px_mbuf;
struct px_mempool;

/** Largest number of RX or TX queues of one port. */
#define PX_MAX_QUEUES_PER_PORT 64
#define PX_ETH_NAME_MAX_LEN 64
#define PX_ETH_MAX_MAC_ADDRS \
	16 /* receive addresses per port ethdev keeps (driver: max_mac_addrs) */

/* RX offload capabilities and requests (px_eth_rxmode.offloads) */
#define PX_ETH_RX_OFFLOAD_VLAN_STRIP (1ull << 0)
#define PX_ETH_RX_OFFLOAD_IPV4_CKSUM (1ull << 1)
#define PX_ETH_RX_OFFLOAD_UDP_CKSUM (1ull << 2)
#define PX_ETH_RX_OFFLOAD_TCP_CKSUM (1ull << 3)
#define PX_ETH_RX_OFFLOAD_TCP_LRO (1ull << 4)
#define PX_ETH_RX_OFFLOAD_VLAN_FILTER (1ull << 9) /* px_eth_dev_vlan_filter() applies */
#define PX_ETH_RX_OFFLOAD_SCATTER (1ull << 13)
#define PX_ETH_RX_OFFLOAD_TIMESTAMP (1ull << 14)
#define PX_ETH_RX_OFFLOAD_KEEP_CRC (1ull << 16)
#define PX_ETH_RX_OFFLOAD_RSS_HASH (1ull << 19)
#define PX_ETH_RX_OFFLOAD_CHECKSUM \
	(PX_ETH_RX_OFFLOAD_IPV4_CKSUM | PX_ETH_RX_OFFLOAD_UDP_CKSUM | PX_ETH_RX_OFFLOAD_TCP_CKSUM)

/* TX offload capabilities and requests (px_eth_txmode.offloads) */
#define PX_ETH_TX_OFFLOAD_VLAN_INSERT (1ull << 0)
#define PX_ETH_TX_OFFLOAD_IPV4_CKSUM (1ull << 1)
#define PX_ETH_TX_OFFLOAD_UDP_CKSUM (1ull << 2)
#define PX_ETH_TX_OFFLOAD_TCP_CKSUM (1ull << 3)
/* segmentation: the application sends one large TCP (UDP) packet with PX_MBUF_F_TX_TCP_SEG
 * (PX_MBUF_F_TX_UDP_SEG), l2_len, l3_len, l4_len and tso_segsz set, and the pseudo-header
 * checksum (without the length) in the L4 checksum field; the port sends tso_segsz-sized ones */
#define PX_ETH_TX_OFFLOAD_TCP_TSO (1ull << 5)
#define PX_ETH_TX_OFFLOAD_UDP_TSO (1ull << 6)
#define PX_ETH_TX_OFFLOAD_MULTI_SEGS (1ull << 15)
#define PX_ETH_TX_OFFLOAD_MBUF_FAST_FREE (1ull << 16)

/* RSS hash functions (px_eth_rss_conf.rss_hf) */
#define PX_ETH_RSS_IPV4 (1ull << 2)
#define PX_ETH_RSS_NONFRAG_IPV4_TCP (1ull << 4)
#define PX_ETH_RSS_NONFRAG_IPV4_UDP (1ull << 5)
#define PX_ETH_RSS_IPV6 (1ull << 8)
#define PX_ETH_RSS_NONFRAG_IPV6_TCP (1ull << 10)
#define PX_ETH_RSS_NONFRAG_IPV6_UDP (1ull << 11)

enum px_eth_mq_rx_mode {
	PX_ETH_MQ_RX_NONE = 0,
	PX_ETH_MQ_RX_RSS = 1,
};

struct px_eth_rss_conf {
	uint8_t *rss_key;    /**< NULL: the driver's default key */
	uint8_t rss_key_len; /**< bytes in rss_key */
	uint64_t rss_hf;     /**< PX_ETH_RSS_* to hash on */
};

/** Entries of the RSS redirection table in one px_eth_rss_reta_entry64. */
#define PX_ETH_RETA_GROUP_SIZE 64

/**
 * 64 entries of an RSS redirection table (RETA), as DPDK's rte_eth_rss_reta_entry64: element g
 * of an array holds entries 64g .. 64g + 63. A frame whose RSS hash is h goes to RX queue
 * reta[h % reta_size] of the table (entry h % 64 of element (h % reta_size) / 64).
 */
struct px_eth_rss_reta_entry64 {
	uint64_t mask; /**< bit i: reta[i] is to be set (update) or read (query) */
	uint16_t reta[PX_ETH_RETA_GROUP_SIZE]; /**< RX queue numbers */
};

struct px_eth_conf {
	struct {
		enum px_eth_mq_rx_mode mq_mode;
		uint32_t mtu;      /**< 0: keep the port's MTU */
		uint64_t offloads; /**< PX_ETH_RX_OFFLOAD_* */
	} rxmode;
	struct {
		uint64_t offloads; /**< PX_ETH_TX_OFFLOAD_* */
	} txmode;
	struct {
		struct px_eth_rss_conf rss_conf;
	} rx_adv_conf;
	struct {
		uint32_t lsc : 1; /**< link-state-change interrupt */
		uint32_t rxq : 1; /**< RX queue interrupts (px_eth_dev_rx_intr_enable) */
	} intr_conf;
};

struct px_eth_desc_lim {
	uint16_t nb_max;   /**< most descriptors in a ring */
	uint16_t nb_min;   /**< fewest */
	uint16_t nb_align; /**< the count must be a multiple of this */
};

struct px_eth_dev_info {
	const char *driver_name;
	unsigned int if_index; /**< kernel interface index, 0 if none */
	uint16_t max_rx_queues;
	uint16_t max_tx_queues;
	uint32_t min_rx_bufsize;
	uint32_t max_rx_pktlen;
	uint16_t min_mtu;
	uint16_t max_mtu;
	uint32_t max_mac_addrs;
	uint64_t rx_offload_capa;
	uint64_t tx_offload_capa;
	uint64_t flow_type_rss_offloads;
	uint8_t hash_key_size; /**< bytes of the RSS key (0: the key cannot be set) */
	uint16_t reta_size;    /**< entries of the RSS redirection table (0: none to set) */
	struct px_eth_desc_lim rx_desc_lim;
	struct px_eth_desc_lim tx_desc_lim;
	uint16_t nb_rx_queues; /**< configured */
	uint16_t nb_tx_queues;
	uint32_t speed_capa;
};

struct px_eth_rxconf {
	uint16_t rx_free_thresh; /**< refill when this many descriptors are free (0: driver default)
				  */
	uint8_t rx_drop_en;
	uint64_t offloads; /**< per-queue PX_ETH_RX_OFFLOAD_* on top of the port's */
};

struct px_eth_txconf {
	uint16_t tx_rs_thresh;   /**< request completion every N descriptors (0: driver default) */
	uint16_t tx_free_thresh; /**< free transmitted mbufs when fewer than N are free */
	uint64_t offloads;
};

#define PX_ETH_QUEUE_STAT_CNTRS 16

struct px_eth_stats {
	uint64_t ipackets;
	uint64_t opackets;
	uint64_t ibytes;
	uint64_t obytes;
	uint64_t imissed; /**< dropped by the device: no RX descriptor */
	uint64_t ierrors;
	uint64_t oerrors;
	uint64_t rx_nombuf; /**< RX refill failed: the pool was empty */
	uint64_t q_ipackets[PX_ETH_QUEUE_STAT_CNTRS];
	uint64_t q_opackets[PX_ETH_QUEUE_STAT_CNTRS];
	uint64_t q_ibytes[PX_ETH_QUEUE_STAT_CNTRS];
	uint64_t q_obytes[PX_ETH_QUEUE_STAT_CNTRS];
	uint64_t q_errors[PX_ETH_QUEUE_STAT_CNTRS];  /**< per RX queue: ierrors (as DPDK) */
	uint64_t q_oerrors[PX_ETH_QUEUE_STAT_CNTRS]; /**< per TX queue: oerrors */
};

#define PX_ETH_XSTATS_NAME_SIZE 64

struct px_eth_xstat {
	uint64_t id;
	uint64_t value;
};

struct px_eth_xstat_name {
	char name[PX_ETH_XSTATS_NAME_SIZE];
};

#define PX_ETH_SPEED_NUM_NONE 0
#define PX_ETH_SPEED_NUM_10M 10
#define PX_ETH_SPEED_NUM_100M 100
#define PX_ETH_SPEED_NUM_1G 1000
#define PX_ETH_SPEED_NUM_10G 10000
#define PX_ETH_SPEED_NUM_UNKNOWN UINT32_MAX

struct px_eth_link {
	uint32_t link_speed;       /**< Mb/s, PX_ETH_SPEED_NUM_* */
	uint16_t link_duplex : 1;  /**< 1 full */
	uint16_t link_autoneg : 1; /**< 1 autonegotiated */
	uint16_t link_status : 1;  /**< 1 up */
};

/* ---- fast path ---------------------------------------------------------------------------- */

typedef uint16_t (*px_eth_rx_burst_t)(void *rxq, struct px_mbuf **pkts, uint16_t n);
typedef uint16_t (*px_eth_tx_burst_t)(void *txq, struct px_mbuf **pkts, uint16_t n);

/** What the burst functions need of a port, in one cache line; filled by the driver at start. */
struct px_eth_fp_ops {
	px_eth_rx_burst_t rx_pkt_burst;
	px_eth_tx_burst_t tx_pkt_burst;
	void **rxq; /**< queue pointers, indexed by queue id */
	void **txq;
	uint16_t nb_rxq; /**< ids at or past these get 0 packets, never a crash */
	uint16_t nb_txq;
} __px_cache_aligned;

extern struct px_eth_fp_ops px_eth_fp_ops[PX_MAX_ETHPORTS];

/** @cond internal */
/* The burst function of a port, read on every burst: a capture tool (px_capture.h) swaps it
 * for its own while it runs, so with no capture the burst pays nothing for the hook. A plain
 * load of an aligned pointer, as DPDK's rte_eth_fp_ops (a volatile one made GCC allocate
 * px-fwd's loop worse: 64.89 against 64.83 instructions per packet); under ThreadSanitizer,
 * the relaxed atomic load it stands for. */
#if defined(__SANITIZE_THREAD__)
#define PX_ETH_FP_LOAD(p, f) __atomic_load_n(&(p)->f, __ATOMIC_RELAXED)
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PX_ETH_FP_LOAD(p, f) __atomic_load_n(&(p)->f, __ATOMIC_RELAXED)
#endif
#endif
#ifndef PX_ETH_FP_LOAD
#define PX_ETH_FP_LOAD(p, f) ((p)->f)
#endif
/** @endcond */

/**
 * Receive up to @p n packets from queue @p queue of port @p port.
 * @return the number of mbufs stored in @p pkts (0 for a stopped or unknown port or queue)
 */
static inline uint16_t px_eth_rx_burst(uint16_t port, uint16_t queue, struct px_mbuf **pkts,
				       uint16_t n)
{
	const struct px_eth_fp_ops *p;

	if (px_unlikely(port >= PX_MAX_ETHPORTS))
		return 0;
	p = &px_eth_fp_ops[port];
	if (px_unlikely(queue >= p->nb_rxq))
		return 0;
	return PX_ETH_FP_LOAD(p, rx_pkt_burst)(p->rxq[queue], pkts, n);
}

/**
 * Transmit up to @p n packets on queue @p queue of port @p port. The port takes the mbufs it
 * accepts (and frees them after sending); the caller keeps the rest.
 * @return the number accepted (0 for a stopped or unknown port or queue)
 */
static inline uint16_t px_eth_tx_burst(uint16_t port, uint16_t queue, struct px_mbuf **pkts,
				       uint16_t n)
{
	const struct px_eth_fp_ops *p;

	if (px_unlikely(port >= PX_MAX_ETHPORTS))
		return 0;
	p = &px_eth_fp_ops[port];
	if (px_unlikely(queue >= p->nb_txq))
		return 0;
	return PX_ETH_FP_LOAD(p, tx_pkt_burst)(p->txq[queue], pkts, n);
}

/* ---- ports ------------------------------------------------------------------------------ */

/** @return non-zero when @p port is an allocated port. */
int px_eth_dev_is_valid_port(uint16_t port);
/** @return the number of allocated ports. */
uint16_t px_eth_dev_count_avail(void);
/** @return the next valid port at or after @p port, or PX_MAX_ETHPORTS. */
uint16_t px_eth_find_next(uint16_t port);

#define PX_ETH_FOREACH_DEV(p) \
	for ((p) = px_eth_find_next(0); (p) < PX_MAX_ETHPORTS; (p) = px_eth_find_next((p) + 1))

/** Port name into @p name (PX_ETH_NAME_MAX_LEN). @return 0, -ENODEV, -EINVAL (NULL). */
int px_eth_dev_get_name_by_port(uint16_t port, char *name);
/** @return 0 and the port of @p name in *port, -ENODEV when none, -EINVAL for NULL. */
int px_eth_dev_get_port_by_name(const char *name, uint16_t *port);
/** @return the port's NUMA socket, or -ENODEV (as a negative int). */
int px_eth_dev_socket_id(uint16_t port);

/** Capabilities and limits. @return 0, -ENODEV, -EINVAL (NULL @p info). */
int px_eth_dev_info_get(uint16_t port, struct px_eth_dev_info *info);

/**
 * Configure a stopped port: queue counts, offloads (must be among the capabilities), RSS.
 * @return 0; -ENODEV; -EBUSY when started; -EINVAL with a log line naming the bad field
 *         (queue count above the limit, offload not supported, RSS hash not supported, MTU
 *         out of range); -ENOTSUP for intr_conf.lsc on a driver without link interrupts;
 *         or the driver's error
 */
int px_eth_dev_configure(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq,
			 const struct px_eth_conf *conf);

/**
 * Set up RX queue @p queue with @p nb_desc descriptors whose mbufs come from @p mp.
 * @param conf NULL for the driver's defaults
 * @return 0; -ENODEV; -EBUSY when started; -EINVAL (queue not configured, nb_desc outside the
 *         limits or not a multiple of nb_align, NULL pool, offload not supported); -ENOMEM
 */
int px_eth_rx_queue_setup(uint16_t port, uint16_t queue, uint16_t nb_desc, int socket,
			  const struct px_eth_rxconf *conf, struct px_mempool *mp);
/** TX counterpart of px_eth_rx_queue_setup() (no pool). */
int px_eth_tx_queue_setup(uint16_t port, uint16_t queue, uint16_t nb_desc, int socket,
			  const struct px_eth_txconf *conf);

/** Start a configured port whose queues are all set up. @return 0, -ENODEV, -EINVAL, driver error.
 * Starting a started port is 0. */
int px_eth_dev_start(uint16_t port);
/** Stop: bursts return 0 from now on. @return 0 (also when stopped), -ENODEV. */
int px_eth_dev_stop(uint16_t port);
/**
 * Reset the device: stop the port if needed, then the driver resets the hardware (e1000e: a
 * global reset, as after a DMA error). The configuration and queues are kept: start the port
 * again. @return 0, -ENODEV, -ENOTSUP, or the driver's error
 */
int px_eth_dev_reset(uint16_t port);
/** Stop if needed, release queues and the port; its id becomes free. @return 0, -ENODEV. */
int px_eth_dev_close(uint16_t port);
/**
 * Is the port's device being removed (PX_ETH_EVENT_INTR_RMV was raised)? Its bursts return 0
 * and it cannot be started; close it, and a PCI port's device goes back to the kernel.
 * @return 1 removed, 0 not, -ENODEV no such port
 */
int px_eth_dev_is_removed(uint16_t port);

/** @return 0, -ENODEV, -EINVAL (NULL). */
int px_eth_stats_get(uint16_t port, struct px_eth_stats *stats);
int px_eth_stats_reset(uint16_t port);

/**
 * Names of the extended statistics: the basic counters (rx_good_packets ...), then for ports
 * whose driver keeps per-queue counters rx_q<N>_packets, rx_q<N>_bytes, rx_q<N>_errors for
 * each configured RX queue and tx_q<N>_packets, tx_q<N>_bytes, tx_q<N>_errors for each TX
 * queue (as DPDK's), then the driver's own.
 * @return the number of xstats (call with @p names NULL or @p size too small to learn it),
 *         or -ENODEV
 */
int px_eth_xstats_get_names(uint16_t port, struct px_eth_xstat_name *names, unsigned int size);
/** Values, in the order of the names. @return the number of xstats, or -ENODEV. */
int px_eth_xstats_get(uint16_t port, struct px_eth_xstat *xstats, unsigned int n);
/** Value of the xstat named @p name. @return 0, -ENODEV, -ENOENT (no such name), -EINVAL. */
int px_eth_xstats_get_by_name(uint16_t port, const char *name, uint64_t *value);
int px_eth_xstats_reset(uint16_t port);

/** Link state now. @return 0, -ENODEV, -EINVAL. */
int px_eth_link_get_nowait(uint16_t port, struct px_eth_link *link);
/** Wait up to @p timeout_ms for the link to come up. @return 0 (up), -ETIMEDOUT, -ENODEV. */
int px_eth_link_wait(uint16_t port, unsigned int timeout_ms, struct px_eth_link *link);

/** @return 0, -ENODEV, -ENOTSUP when the driver cannot. */
int px_eth_promiscuous_enable(uint16_t port);
int px_eth_promiscuous_disable(uint16_t port);
/** @return 1 enabled, 0 disabled, -ENODEV. */
int px_eth_promiscuous_get(uint16_t port);
int px_eth_allmulticast_enable(uint16_t port);
int px_eth_allmulticast_disable(uint16_t port);
int px_eth_allmulticast_get(uint16_t port);

/** @return 0, -ENODEV, -EINVAL (NULL). */
int px_eth_macaddr_get(uint16_t port, struct px_ether_addr *mac);
/** Set the port's MAC address. @return 0, -ENODEV, -EINVAL (multicast or zero), -ENOTSUP. */
int px_eth_dev_default_mac_addr_set(uint16_t port, const struct px_ether_addr *mac);
/**
 * Also receive frames sent to @p mac (a unicast filter entry; the port's own address is entry
 * 0). Adding an address already there is 0. Works started or stopped.
 * @return 0, -ENODEV, -EINVAL (NULL or zero address), -ENOSPC (all max_mac_addrs entries in
 * use), -ENOTSUP
 */
int px_eth_dev_mac_addr_add(uint16_t port, const struct px_ether_addr *mac);
/** Stop receiving frames sent to @p mac. @return 0, -ENODEV, -EINVAL (NULL or the port's own
 * address: change that with px_eth_dev_default_mac_addr_set), -ENOENT, -ENOTSUP */
int px_eth_dev_mac_addr_remove(uint16_t port, const struct px_ether_addr *mac);

/** @return 0, -ENODEV, -EINVAL (outside min_mtu..max_mtu), -ENOTSUP, -EBUSY (driver needs stop). */
int px_eth_dev_set_mtu(uint16_t port, uint16_t mtu);
int px_eth_dev_get_mtu(uint16_t port, uint16_t *mtu);

/**
 * Receive (@p on != 0) or stop receiving frames tagged with VLAN @p vlan_id, on a port
 * configured with PX_ETH_RX_OFFLOAD_VLAN_FILTER. ethdev remembers the set, so a driver applies
 * it again after a reset. Works started or stopped.
 * @return 0, -ENODEV, -EINVAL (@p vlan_id above 4095), -ENOSYS (the port was not configured
 * with PX_ETH_RX_OFFLOAD_VLAN_FILTER), -ENOTSUP (the driver has no VLAN filter)
 */
int px_eth_dev_vlan_filter(uint16_t port, uint16_t vlan_id, int on);

/**
 * Set entries of the port's RSS redirection table: entry 64g + i becomes
 * @p reta_conf[g].reta[i] where bit i of @p reta_conf[g].mask is set; the others keep their
 * queue. The port must be configured with rxmode.mq_mode PX_ETH_MQ_RX_RSS; started or stopped.
 * The driver keeps the table across stop and start; configure may reset it to its default
 * (entry i is queue i % nb_rx_queues) when the RX queue count changes. On error nothing changed.
 * @param reta_conf reta_size / 64 elements (PX_ETH_RETA_GROUP_SIZE entries each)
 * @param reta_size the port's dev_info.reta_size, exactly
 * @return 0, -ENODEV, -EINVAL (NULL, a @p reta_size not the port's, no mask bit set, a queue
 * not below nb_rx_queues), -ENOTSUP (not configured for RSS, or the driver has no table),
 * -EIO (the device refused it)
 */
int px_eth_dev_rss_reta_update(uint16_t port, const struct px_eth_rss_reta_entry64 *reta_conf,
			       uint16_t reta_size);
/**
 * Read entries of the port's RSS redirection table: @p reta_conf[g].reta[i] for each bit i set
 * in @p reta_conf[g].mask (the other entries are left as they are).
 * @return 0, -ENODEV, -EINVAL (NULL, a @p reta_size not the port's, no mask bit set),
 * -ENOTSUP
 */
int px_eth_dev_rss_reta_query(uint16_t port, struct px_eth_rss_reta_entry64 *reta_conf,
			      uint16_t reta_size);
/**
 * Change the port's RSS hash types to @p rss_conf->rss_hf and, when @p rss_conf->rss_key is
 * not NULL, its key (rss_key_len bytes, exactly dev_info.hash_key_size; NULL keeps the key).
 * As px_eth_dev_rss_reta_update(): configured for RSS, started or stopped, kept across stop
 * and start, nothing changed on error.
 * @return 0, -ENODEV, -EINVAL (NULL, hash types outside flow_type_rss_offloads, a key of
 * another length), -ENOTSUP, -EIO
 */
int px_eth_dev_rss_hash_update(uint16_t port, const struct px_eth_rss_conf *rss_conf);
/**
 * The port's RSS hash types into @p rss_conf->rss_hf and, when @p rss_conf->rss_key is not
 * NULL, its key (rss_key_len must be at least dev_info.hash_key_size; it becomes the key's
 * length).
 * @return 0, -ENODEV, -EINVAL (NULL, a key buffer too short), -ENOTSUP
 */
int px_eth_dev_rss_hash_conf_get(uint16_t port, struct px_eth_rss_conf *rss_conf);

/**
 * Arm the RX interrupt of a queue (the port must be configured with intr_conf.rxq = 1).
 * @return 0, -ENODEV, -EINVAL (bad queue), -ENOTSUP (driver or configuration without it)
 */
int px_eth_dev_rx_intr_enable(uint16_t port, uint16_t queue);
int px_eth_dev_rx_intr_disable(uint16_t port, uint16_t queue);
/** @return the eventfd that signals RX on @p queue, or -ENODEV/-EINVAL/-ENOTSUP. */
int px_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port, uint16_t queue);
/**
 * Add the RX interrupt of (@p port, @p queue) to epoll set @p epfd; epoll_wait() returns
 * @p data for it. @return 0 or a negative errno.
 */
int px_eth_dev_rx_intr_epoll_add(int epfd, uint16_t port, uint16_t queue, uint64_t data);
/**
 * Sleep in epoll_wait() on @p epfd until an RX interrupt fires or @p timeout_ms passes, and
 * clear the eventfds that fired. @return the number of events with their data in @p data, 0 on
 * timeout, or a negative errno.
 */
int px_eth_dev_rx_intr_wait(int epfd, uint64_t *data, int max, int timeout_ms);

/**
 * Bring the link up / down (PHY power and, on the way up, autonegotiation restart). A link
 * change is reported by px_eth_link_get_nowait() and, with intr_conf.lsc, by the
 * PX_ETH_EVENT_INTR_LSC callbacks. @return 0, -ENODEV, -ENOTSUP, -EIO
 */
int px_eth_dev_set_link_up(uint16_t port);
int px_eth_dev_set_link_down(uint16_t port);

/** Port events delivered to callbacks (px_eth_dev_callback_register()). */
enum px_eth_event_type {
	PX_ETH_EVENT_UNKNOWN = 0,
	PX_ETH_EVENT_INTR_LSC = 1, /**< link status changed (needs intr_conf.lsc = 1) */
	PX_ETH_EVENT_INTR_RMV = 2, /**< the device is being removed (unplug request) */
	PX_ETH_EVENT_MAX,
};

/**
 * Port event callback. Runs on the EAL interrupt thread (px_intr.h): it must not block for
 * long and must not unregister other ports' callbacks. @p ret_param is event specific (NULL
 * for LSC: read the link with px_eth_link_get_nowait()). @return ignored (0).
 */
typedef int (*px_eth_dev_cb_fn)(uint16_t port, enum px_eth_event_type event, void *cb_arg,
				void *ret_param);

/**
 * Call @p cb on @p event of @p port. The same (cb, cb_arg) may be registered once per event.
 * @return 0, -ENODEV, -EINVAL (bad event or NULL cb), -EEXIST, -ENOMEM
 */
int px_eth_dev_callback_register(uint16_t port, enum px_eth_event_type event, px_eth_dev_cb_fn cb,
				 void *cb_arg);
/**
 * Remove a callback; waits for a running call of it to return (unless called from it).
 * @return 0, -ENODEV, -EINVAL, -ENOENT
 */
int px_eth_dev_callback_unregister(uint16_t port, enum px_eth_event_type event, px_eth_dev_cb_fn cb,
				   void *cb_arg);

/** Print a port's state, configuration and counters. */
void px_eth_dev_dump(FILE *f, uint16_t port);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ETHDEV_H */

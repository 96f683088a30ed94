/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a poll-mode driver sees of ethdev. Internal to libpollux (not installed).
 *
 * A driver allocates a port with eth_dev_allocate(), fills dev->ops (a const table) and its
 * private data, sets its burst functions, and calls eth_dev_probing_finish(). The ethdev layer
 * validates every argument before it reaches an op, so ops may trust them.
 */
#ifndef ETHDEV_DRIVER_H
#define ETHDEV_DRIVER_H

#include <stdbool.h>

#include "px_counter.h"
#include "px_ethdev.h"
#include "px_log.h"

struct px_eth_dev;

struct px_eth_dev_ops {
	int (*dev_infos_get)(struct px_eth_dev *dev, struct px_eth_dev_info *info);
	int (*dev_configure)(struct px_eth_dev *dev);
	int (*dev_start)(struct px_eth_dev *dev);
	int (*dev_stop)(struct px_eth_dev *dev);
	int (*dev_close)(struct px_eth_dev *dev); /* release private state; ethdev frees the port */
	int (*rx_queue_setup)(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			      const struct px_eth_rxconf *conf, struct px_mempool *mp);
	int (*tx_queue_setup)(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			      const struct px_eth_txconf *conf);
	void (*rx_queue_release)(struct px_eth_dev *dev, uint16_t q);
	void (*tx_queue_release)(struct px_eth_dev *dev, uint16_t q);
	int (*link_update)(struct px_eth_dev *dev, int wait); /* fills dev->link; 0 or -errno */
	int (*stats_get)(struct px_eth_dev *dev, struct px_eth_stats *stats);
	int (*stats_reset)(struct px_eth_dev *dev);
	/* xstats: names into @names (size entries) / values; return the total count */
	int (*xstats_get_names)(struct px_eth_dev *dev, struct px_eth_xstat_name *names,
				unsigned int size);
	int (*xstats_get)(struct px_eth_dev *dev, struct px_eth_xstat *xstats, unsigned int n);
	int (*xstats_reset)(struct px_eth_dev *dev);
	int (*promiscuous_enable)(struct px_eth_dev *dev);
	int (*promiscuous_disable)(struct px_eth_dev *dev);
	int (*allmulticast_enable)(struct px_eth_dev *dev);
	int (*allmulticast_disable)(struct px_eth_dev *dev);
	int (*mac_addr_set)(struct px_eth_dev *dev, const struct px_ether_addr *mac);
	/* filter entry @index (1 .. max_mac_addrs - 1) receives @mac / no longer receives */
	int (*mac_addr_add)(struct px_eth_dev *dev, const struct px_ether_addr *mac,
			    uint32_t index);
	void (*mac_addr_remove)(struct px_eth_dev *dev, uint32_t index);
	int (*mtu_set)(struct px_eth_dev *dev, uint16_t mtu);
	/* receive / stop receiving VLAN @vlan_id (dev->vlan_ids already holds the new set) */
	int (*vlan_filter_set)(struct px_eth_dev *dev, uint16_t vlan_id, int on);
	int (*rx_queue_intr_enable)(struct px_eth_dev *dev, uint16_t q);
	int (*rx_queue_intr_disable)(struct px_eth_dev *dev, uint16_t q);
	int (*rx_queue_intr_fd)(struct px_eth_dev *dev, uint16_t q);
	int (*dev_set_link_up)(struct px_eth_dev *dev);
	int (*dev_set_link_down)(struct px_eth_dev *dev);
	int (*dev_reset)(struct px_eth_dev *dev); /* called stopped; keep queues and config */
	/* RSS redirection table: @reta_size is dev_info's, every masked entry a configured RX
	 * queue (ethdev checked); the driver keeps the table and applies it at each start */
	int (*reta_update)(struct px_eth_dev *dev, const struct px_eth_rss_reta_entry64 *reta_conf,
			   uint16_t reta_size);
	int (*reta_query)(struct px_eth_dev *dev, struct px_eth_rss_reta_entry64 *reta_conf,
			  uint16_t reta_size);
	/* RSS hash types (within flow_type_rss_offloads) and key (NULL: keep; else hash_key_size
	 * bytes), kept as the table is */
	int (*rss_hash_update)(struct px_eth_dev *dev, const struct px_eth_rss_conf *rss_conf);
	/* fill rss_hf, and the key when rss_key is not NULL (room for hash_key_size bytes) */
	int (*rss_hash_conf_get)(struct px_eth_dev *dev, struct px_eth_rss_conf *rss_conf);
};

enum px_eth_dev_state {
	PX_ETH_DEV_UNUSED = 0,
	PX_ETH_DEV_ATTACHED,
};

struct px_eth_dev {
	uint16_t port_id;
	enum px_eth_dev_state state;
	char name[PX_ETH_NAME_MAX_LEN];
	const struct px_eth_dev_ops *ops;
	void *dev_private;
	int socket_id;
	/* the burst functions the driver chose; published to px_eth_fp_ops at start */
	px_eth_rx_burst_t rx_pkt_burst;
	px_eth_tx_burst_t tx_pkt_burst;
	void *rx_queues[PX_MAX_QUEUES_PER_PORT];
	void *tx_queues[PX_MAX_QUEUES_PER_PORT];
	bool rxq_ready[PX_MAX_QUEUES_PER_PORT];
	bool txq_ready[PX_MAX_QUEUES_PER_PORT];
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
	struct px_eth_conf conf;
	bool configured;
	bool started;
	bool removed; /* the device is going away (eth_dev_removed): bursts get 0, start refused */
	bool promiscuous;
	bool all_multicast;
	uint16_t mtu;
	struct px_ether_addr mac;
	struct px_eth_link link;
	uint32_t dev_flags; /* PX_ETH_DEV_F_*, set by the driver at probe */
	/* extra receive addresses (entry 0 is mac); all-zero = free */
	struct px_ether_addr mac_addrs[PX_ETH_MAX_MAC_ADDRS];
	/* VLANs px_eth_dev_vlan_filter() turned on: bit (id % 64) of vlan_ids[id / 64] */
	uint64_t vlan_ids[4096 / 64];
};

/* dev_flags: the driver can raise link-state-change interrupts (intr_conf.lsc allowed). */
#define PX_ETH_DEV_F_INTR_LSC (1u << 0)
/* dev_flags: stats_get fills q_ipackets, q_ibytes, q_errors, q_opackets, q_obytes, q_oerrors;
 * ethdev offers them as the per-queue xstats (DPDK's RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS). */
#define PX_ETH_DEV_F_QUEUE_XSTATS (1u << 1)

/*
 * What a software PMD counts per queue, in its burst functions (one writer: the queue's lcore;
 * px_counter.h says why these are not plain integers). With eth_queue_stats_add() in its
 * stats_get and PX_ETH_DEV_F_QUEUE_XSTATS, the port has per-queue xstats without more code.
 */
struct eth_queue_stats {
	px_counter64_t pkts;
	px_counter64_t bytes;
	px_counter64_t errs;   /* RX: frames dropped as bad; TX: frames the device refused */
	px_counter64_t nombuf; /* RX: no mbuf for a frame */
};

/* Add RX queue @q's counters @rx and TX queue @q's @tx (either NULL) to @st: the port totals
 * and, below PX_ETH_QUEUE_STAT_CNTRS, the per-queue entries. */
void eth_queue_stats_add(struct px_eth_stats *st, unsigned int q, const struct eth_queue_stats *rx,
			 const struct eth_queue_stats *tx);
/* Set every counter of @qs back to 0 (stats_reset). */
void eth_queue_stats_reset(struct eth_queue_stats *qs);
/* ethdev's own: the per-queue xstats of a PX_ETH_DEV_F_QUEUE_XSTATS port (none otherwise),
 * how many, their names, their values out of @st. Each returns the count. */
unsigned int eth_queue_xstats_count(const struct px_eth_dev *dev);
unsigned int eth_queue_xstats_names(const struct px_eth_dev *dev, struct px_eth_xstat_name *names);
unsigned int eth_queue_xstats_values(const struct px_eth_dev *dev, const struct px_eth_stats *st,
				     struct px_eth_xstat *vals);
/* ethdev's own: log each nonzero xstat of @port at DEBUG (px_eth_dev_close, so that
 * --log-level=ethdev:debug shows a port's final counters, per queue too). */
void eth_dev_xstats_log(uint16_t port);

/* Call the callbacks registered for @event on @dev (from the driver's interrupt handler, on
 * the EAL interrupt thread). @return the number of callbacks called. */
int eth_dev_callback_process(struct px_eth_dev *dev, enum px_eth_event_type event, void *ret_param);

/*
 * The device behind @p dev is going away (the kernel asked for it back: hot unplug, unbind).
 * From now on the port's bursts return 0 without calling the driver, px_eth_dev_start() is
 * refused, and the application's PX_ETH_EVENT_INTR_RMV callbacks run (here, in the caller's
 * thread). The device itself stays usable until the application closes the port; a PCI PMD's
 * close then gives it back to the kernel (px_pci_release), which completes the removal.
 */
void eth_dev_removed(struct px_eth_dev *dev);
/* Drop every callback of @port (its release). */
void ethdev_callbacks_release(uint16_t port);

/* Allocate a free port named @name. Returns it, or NULL with errno EEXIST (name in use),
 * ENOSPC (PX_MAX_ETHPORTS in use), EINVAL. */
struct px_eth_dev *eth_dev_allocate(const char *name);
/* Make an allocated port visible to applications (count, iteration). */
void eth_dev_probing_finish(struct px_eth_dev *dev);
/* Free a port without calling its ops (probe failure path). */
void eth_dev_release_port(struct px_eth_dev *dev);
/* @return the port called @name, or NULL. */
struct px_eth_dev *eth_dev_get_by_name(const char *name);
/* Close the port called @name: a vdev driver's remove. 0 when there is no such port (the
 * application may have closed it already), else px_eth_dev_close()'s result. */
int eth_dev_close_by_name(const char *name);
/* dev_start of a software port with no link of its own to read (net_null, net_ring, net_pcap):
 * the link reads up, 10G full duplex, as DPDK's null and ring PMDs report it. @return 0 */
int eth_dev_start_link_fixed(struct px_eth_dev *dev);
/* dev_stop of a port with nothing more to stop: the link reads down until the next start.
 * @return 0 */
int eth_dev_stop_link_down(struct px_eth_dev *dev);
/* eth_dev_removed() for the port called @name, if there is one: a PCI driver's request hook. */
void eth_dev_removed_by_name(const char *name);
/* The port's device, or NULL for an unknown port. */
struct px_eth_dev *eth_dev_get(uint16_t port);

/* In a function returning int: @dev = port @port's device, or return -ENODEV. */
#define GET_DEV_OR_RET(dev, port)          \
	do {                               \
		(dev) = eth_dev_get(port); \
		if ((dev) == NULL)         \
			return -ENODEV;    \
	} while (0)

extern int ethdev_logtype;
#define ETHDEV_LOG(lvl, ...) PX_LOG(lvl, ethdev_logtype, __VA_ARGS__)

#endif /* ETHDEV_DRIVER_H */

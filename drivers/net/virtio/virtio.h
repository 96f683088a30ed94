/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-net PMD's internals, shared by virtio_pci.c (the modern PCI transport),
 * virtio_ethdev.c (control) and virtio_rxtx.c (burst functions). Not installed.
 */
#ifndef VIRTIO_H
#define VIRTIO_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>

#include "ethdev_driver.h"
#include "px_counter.h"
#include "px_mbuf.h"
#include "px_memzone.h"
#include "px_pci.h"

#include "virtio_spec.h"

/* ---- transports ----------------------------------------------------------------------------- */

struct virtio_hw;
struct virtio_queue;

/*
 * How the control path reaches a device (VIRTIO 1.2 §4, "transport options"): the modern PCI
 * transport (virtio_pci.c) or vhost-user (virtio_user.c). None of it is on the data path: a
 * queue's notification is set up once by queue_setup (vq->notify, or vq->kick) and the
 * bursts write it themselves, once per burst at most.
 */
struct virtio_transport {
	/* §2.4 device reset: afterwards the device uses no buffer and writes no ring.
	 * @return 0 or -ETIMEDOUT */
	int (*reset)(struct virtio_hw *hw);
	uint8_t (*status)(struct virtio_hw *hw);
	void (*status_set)(struct virtio_hw *hw, uint8_t bits); /* ORs @bits in */
	uint64_t (*device_features)(struct virtio_hw *hw);
	void (*driver_features)(struct virtio_hw *hw, uint64_t features);
	/* The largest size of queue @q, 0 when the queue does not exist. */
	uint16_t (*queue_max)(struct virtio_hw *hw, uint16_t q);
	/* Tell the device where @vq's rings are (vq->nb_desc entries) and which interrupt
	 * @vector it raises (VIRTIO_MSI_NO_VECTOR: none), enable it, and set how the driver
	 * notifies it: vq->notify, or vq->notify NULL and vq->kick. @return 0 or -EIO */
	int (*queue_setup)(struct virtio_hw *hw, struct virtio_queue *vq, uint16_t vector);
	/* Read @len bytes at @off of the device configuration (§2.5), consistently. */
	void (*read_dev_config)(struct virtio_hw *hw, uint32_t off, void *buf, uint32_t len);
	/* Let the device reach memory (PCI bus mastering), or stop it. @return 0 or -errno */
	int (*dma_enable)(struct virtio_hw *hw, bool on);
	/* RX interrupts: an eventfd signalled at vector 0 (RX queue 0). NULL: not supported.
	 * @return 0 or -errno */
	int (*intr_enable)(struct virtio_hw *hw, int *fd);
	/* Vectors 0 .. @n-1 (MSI-X), an eventfd each into @fds; instead of intr_enable where
	 * present (RX interrupts of several queues, the configuration vector). @return 0 or
	 * -errno */
	int (*intr_vectors)(struct virtio_hw *hw, unsigned int n, int *fds);
	/* The vector the device raises at a configuration change (§4.1.5.1.2: link status,
	 * VIRTIO_NET_F_STATUS), or VIRTIO_MSI_NO_VECTOR. NULL: the transport reports link
	 * changes itself. @return 0, or -EIO when the device refuses the vector */
	int (*config_vector)(struct virtio_hw *hw, uint16_t vector);
	void (*intr_disable)(struct virtio_hw *hw);
	/* The port is closed: let go of the device. @return 0 or -errno */
	int (*close)(struct virtio_hw *hw, bool removed);
};

/* A device behind a transport; the transport's own structure embeds it. */
struct virtio_hw {
	const struct virtio_transport *ops;
	const char *name; /* for log lines: the PCI address or the vdev name */
};

/* The modern PCI transport (§4.1.4): where the four structures are, found in config space. */
struct virtio_pci {
	struct virtio_hw hw;
	struct px_pci_device *pci;
	volatile uint8_t *common; /* common configuration structure */
	volatile uint8_t *notify_base;
	uint32_t notify_mul; /* notify_off_multiplier */
	uint32_t notify_len;
	volatile uint8_t *isr;    /* NULL when absent (the driver does not use it) */
	volatile uint8_t *device; /* device-specific configuration (virtio_net_config) */
	uint32_t device_len;
	bool intr_on; /* MSI-X enabled (px_pci_intr_enable) */
};

/* Find the capabilities (§4.1.4) and map their structures through the device's BARs; hw.ops
 * is the PCI transport afterwards.
 * @return 0, or -ENODEV with a log line saying what is missing */
int virtio_pci_init(struct virtio_pci *vp, struct px_pci_device *pci);

/* ---- queues ------------------------------------------------------------------------------- */

/* Per-queue counters beyond ethdev's (pkts, bytes, errs, nombuf): what the driver costs the
 * device, as the Performance section counts it. */
struct virtio_queue_counters {
	px_counter64_t descs;      /* descriptors made available */
	px_counter64_t notifies;   /* doorbell writes */
	px_counter64_t suppressed; /* bursts that made buffers available but did not notify,
				      because the device said it did not need it */
	px_counter64_t bursts;     /* bursts that made buffers available */
};

/*
 * One virtqueue: an RX queue (vq 2k) or a TX queue (2k + 1), split or packed. Descriptor ids
 * (the split ring's descriptor index, the packed ring's buffer id) come from a free list kept in
 * software (id_next), so completions in any order are handled; with in_order (split) the id is
 * the ring slot instead, the free ones the nb_free slots from free_head; with in_order (packed)
 * the id is the slot of the chain's first descriptor, free_head unused.
 */
struct virtio_queue {
	union {
		struct {
			volatile struct vring_desc *desc;
			volatile struct vring_avail *avail;
			volatile struct vring_used *used;
		} split;
		struct {
			volatile struct vring_packed_desc *desc;
			volatile struct vring_packed_event *driver; /* we write: interrupts */
			volatile struct vring_packed_event *device; /* it writes: notifications */
		} packed;
	};
	struct px_mbuf **sw_ring;  /* by id: RX the buffer's mbuf, TX the packet at its head */
	uint16_t *id_next;         /* free list of ids, and the chain order of a TX packet */
	uint16_t *chain_len;       /* TX, by head id: descriptors in its chain */
	uint16_t *chain_end;       /* TX, by head id: the last id of its chain */
	volatile uint16_t *notify; /* PCI: the queue's notification address; else NULL */
	int kick_fd;               /* vhost-user: the queue's kick eventfd (notify NULL) */
	void (*kick)(struct virtio_queue *vq); /* notify NULL: how to notify (virtio_kick_fd) */
	void *kick_arg;                        /* the transport's, for kick */
	struct px_mempool *mp;                 /* RX */
	struct virtio_net_hdr *hdrs; /* TX: a header per head id, for packets that cannot */
	uint64_t hdrs_iova;          /* carry theirs in their headroom */
	uint16_t nb_desc;
	uint16_t mask; /* split: nb_desc - 1 (a power of two) */
	uint16_t vq_index;
	uint16_t port_id;
	uint16_t nb_free; /* ids on the free list */
	uint16_t free_head;
	uint16_t free_thresh; /* RX: refill at this many free; TX: clean up below it */
	uint16_t avail_idx;   /* split: the next avail->idx; packed: next position to fill */
	uint16_t used_idx;    /* split: used entries consumed; packed: next position to read */
	uint16_t hdr_size;
	bool avail_wrap; /* packed: the driver's ring wrap counter */
	bool used_wrap;  /* packed: the wrap counter of used descriptors to come */
	bool event_idx;  /* VIRTIO_F_RING_EVENT_IDX negotiated */
	bool packed_ring;
	bool mrg_rxbuf; /* RX: a packet may span several buffers (num_buffers) */
	bool tx_csum;   /* TX: VIRTIO_NET_F_CSUM negotiated */
	bool rx_csum;   /* RX: VIRTIO_NET_F_GUEST_CSUM negotiated */
	bool tx_tso;    /* TX: VIRTIO_NET_F_HOST_TSO4/6 negotiated */
	bool in_order;  /* VIRTIO_F_IN_ORDER negotiated: buffers used in the order given */
	void *extra;    /* DMA memory after the rings (TX: hdrs; control queue: ctrl_buf) */
	uint64_t extra_iova;
	void *ctrl_buf; /* control queue: the command buffer (virtio_ctrl.c) */
	uint64_t ctrl_buf_iova;
	struct eth_queue_stats st;
	struct virtio_queue_counters c;
	const struct px_memzone *mz;
};

/* Reset the ring and the free list to "all ids free, nothing made available" (before the
 * device is told about the queue). */
void virtio_queue_reset(struct virtio_queue *vq);
/* Give every free RX id an mbuf and make them available; with @notify, tell the device.
 * @return the ids still free (the pool could not give more) */
uint16_t virtio_rx_refill(struct virtio_queue *vq, bool notify);
/* The free list of ids (id_next): take the first, put one back. */
static inline uint16_t virtio_id_take(struct virtio_queue *vq)
{
	uint16_t id = vq->free_head;

	vq->free_head = vq->id_next[id];
	return id;
}

static inline void virtio_id_put(struct virtio_queue *vq, uint16_t id)
{
	vq->id_next[id] = vq->free_head;
	vq->free_head = id;
	vq->nb_free++;
}

/* A kick: an eventfd write to vq->kick_fd (vhost-user's doorbell). */
void virtio_kick_fd(struct virtio_queue *vq);

/* Tell the device about buffers made available: one register write through PCI, an eventfd
 * write for vhost-user (virtio_user.c). Called once per burst at most. */
static inline void virtio_notify(struct virtio_queue *vq)
{
	if (px_likely(vq->notify != NULL))
		*vq->notify = htole16(vq->vq_index);
	else
		vq->kick(vq);
}

/* The device address of @p, a ring inside the queue's memzone. */
static inline uint64_t virtio_ring_iova(const struct virtio_queue *vq, const volatile void *p)
{
	return vq->mz->iova + (uint64_t)((uintptr_t)p - (uintptr_t)vq->mz->addr);
}

/* RX interrupts (virtio_rxtx.c): ask the device for one at the next used buffer, and say
 * whether one is used already (the caller then wakes itself); or ask for none. */
bool virtio_rx_intr_arm(struct virtio_queue *vq);
void virtio_rx_intr_disarm(struct virtio_queue *vq);

/* Drop every mbuf the queue holds (stopped device). */
void virtio_queue_drop_mbufs(struct virtio_queue *vq);

/* virtio_rx_refill() for a packed ring (virtio_rxtx_packed.c). */
uint16_t virtio_packed_rx_refill(struct virtio_queue *vq, bool notify);
/* Packed ring: the position after the used descriptors the driver has not taken back yet (where
 * the device writes next), walked from used_idx over their chains, with in_order over the
 * batches a used descriptor stands for (§2.8.8); its wrap counter in @wrap. For vhost-user's
 * SET_VRING_BASE and its TX drain. */
uint16_t virtio_packed_used_end(const struct virtio_queue *vq, bool *wrap);

/* ---- control queue (virtio_ctrl.c) -------------------------------------------------------- */

/* the longest command: RSS_CONFIG with a full table and the longest key (virtio_ctrl.c) */
#define VIRTIO_CTRL_DATA_MAX 528
/* §5.1.6.5.1 packet receive filtering */
#define VIRTIO_NET_CTRL_RX 0
#define VIRTIO_NET_CTRL_RX_PROMISC 0
#define VIRTIO_NET_CTRL_RX_ALLMULTI 1
/* §5.1.6.5.2 setting MAC address filtering */
#define VIRTIO_NET_CTRL_MAC 1
#define VIRTIO_NET_CTRL_MAC_TABLE_SET 0 /* le32 n, n unicast MACs; le32 m, m multicast MACs */
#define VIRTIO_NET_CTRL_MAC_ADDR_SET 1  /* the MAC address (VIRTIO_NET_F_CTRL_MAC_ADDR) */

/* Bytes of the command buffer the control queue needs after its ring. */
size_t virtio_ctrl_buf_size(void);
/* Send one command (@class, @cmd, @len bytes of @data) and wait for the device's ack.
 * @return 0, -EIO (the device said VIRTIO_NET_ERR), -ETIMEDOUT, -EINVAL (@len too long) */
int virtio_ctrl_cmd(struct virtio_queue *vq, uint8_t class, uint8_t cmd, const void *data,
		    uint32_t len);

/* ---- RSS over the control queue (virtio_ctrl.c) ------------------------------------------- */

/* Entries of the indirection table at most (DPDK's virtio PMD has 128; QEMU 7.2 takes 128). */
#define VIRTIO_RSS_RETA_MAX 128

struct virtio_adapter;

/* The table size the port offers (dev_info.reta_size): 0 without RSS. */
uint16_t virtio_rss_reta_size(const struct virtio_adapter *ad);
/* ethdev's rss_hf for the device's supported_hash_types. */
uint64_t virtio_rss_hf(uint32_t types);
/* dev_configure: the key and hash types of the port's rss_conf, and the default table (entry
 * i is RX queue i % nb_rx_queues) when the RX queue count changed. @return 0, -EINVAL (a key
 * longer than the device takes) */
int virtio_rss_configure(struct px_eth_dev *dev);
/* After DRIVER_OK, with VIRTIO_NET_F_RSS: RSS_CONFIG with the port's hash types, key and table
 * (also turns on its queue pairs). @return 0 or the control queue's -errno */
int virtio_rss_apply(struct px_eth_dev *dev);
int virtio_rss_reta_update(struct px_eth_dev *dev, const struct px_eth_rss_reta_entry64 *conf,
			   uint16_t size);
int virtio_rss_reta_query(struct px_eth_dev *dev, struct px_eth_rss_reta_entry64 *conf,
			  uint16_t size);
int virtio_rss_hash_update(struct px_eth_dev *dev, const struct px_eth_rss_conf *conf);
int virtio_rss_hash_conf_get(struct px_eth_dev *dev, struct px_eth_rss_conf *conf);

/* ---- the port (virtio_ethdev.c) ---------------------------------------------------------- */

extern int virtio_logtype;
#define VIRTIO_LOG(lvl, ...) PX_LOG(lvl, virtio_logtype, __VA_ARGS__)

/* Queue pairs a port uses at most (each with its own RX interrupt vector). */
#define VIRTIO_MAX_QUEUE_PAIRS 8

/* A virtio-net port, whichever the transport. */
struct virtio_adapter {
	struct virtio_hw *hw;
	struct px_pci_device *pci; /* the PCI transport's device; NULL for virtio_user */
	struct px_eth_dev *eth;
	uint64_t dev_features;    /* what the device offers */
	uint64_t features;        /* negotiated at the last start (or probe) */
	int packed_arg;           /* devargs packed_vq: 1 requires, 0 refuses, -1 not given */
	bool packed;              /* packed rings: decided at probe (offer and devargs) */
	struct virtio_queue *cvq; /* the control queue, from the first start with CTRL_VQ */
	/* RX queue q's interrupt eventfd while started with intr_conf.rxq, else -1 */
	int rx_intr_fd[VIRTIO_MAX_QUEUE_PAIRS];
	int lsc_fd;  /* the configuration vector's eventfd with intr_conf.lsc, else -1 */
	bool lsc_up; /* the link as the last LSC event reported it */
	uint16_t max_mtu;
	uint16_t max_pairs; /* VIRTIO_NET_F_MQ: max_virtqueue_pairs (capped), else 1 */
	uint32_t rss_types; /* VIRTIO_NET_F_RSS: supported_hash_types */
	uint8_t rss_max_key;
	uint16_t rss_max_table;
	/* RSS as the port has it, sent at each start and on each change (virtio_ctrl.c) */
	uint64_t rss_hf;
	uint8_t rss_key[UINT8_MAX];
	uint8_t rss_key_len;
	uint16_t rss_reta_nq; /* the RX queue count rss_reta was last reset for */
	uint16_t rss_reta[VIRTIO_RSS_RETA_MAX];
};

/* Bring up the device behind @ad->hw (ops set, packed_arg parsed; the rest zero): reset, its
 * offer checked, a first negotiation, and the port @name with the virtio-net ops.
 * @return 0, or -errno with a log line (the device reset; @ad is the caller's to free) */
int virtio_attach(struct virtio_adapter *ad, const char *name);

/* The burst functions for a ring layout (@packed) and VIRTIO_F_IN_ORDER negotiated or not
 * (@in_order): what start() installs and the host tests call (virtio_rxtx.c). */
px_eth_rx_burst_t virtio_rx_burst(bool packed, bool in_order);
px_eth_tx_burst_t virtio_tx_burst(bool packed, bool in_order);
uint16_t virtio_recv_pkts(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts(void *txq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_recv_pkts_inorder(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts_inorder(void *txq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_recv_pkts_packed(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts_packed(void *txq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_recv_pkts_packed_inorder(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts_packed_inorder(void *txq, struct px_mbuf **pkts, uint16_t n);

#endif /* VIRTIO_H */

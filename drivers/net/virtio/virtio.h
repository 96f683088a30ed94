/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-net PMD's internals, shared by virtio_pci.c (the modern PCI transport),
 * virtio_ethdev.c (control) and virtio_rxtx.c (burst functions). Not installed.
 */
#ifndef VIRTIO_H
#define VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "ethdev_driver.h"
#include "px_counter.h"
#include "px_mbuf.h"
#include "px_memzone.h"
#include "px_pci.h"

#include "virtio_spec.h"

/* ---- transport (virtio_pci.c) ------------------------------------------------------------- */

/* The modern PCI transport (§4.1.4): where the four structures are, found in config space. */
struct virtio_pci {
	struct px_pci_device *pci;
	volatile uint8_t *common; /* common configuration structure */
	volatile uint8_t *notify_base;
	uint32_t notify_mul; /* notify_off_multiplier */
	uint32_t notify_len;
	volatile uint8_t *isr;    /* NULL when absent (the driver does not use it) */
	volatile uint8_t *device; /* device-specific configuration (virtio_net_config) */
	uint32_t device_len;
};

/* Find the capabilities (§4.1.4) and map their structures through the device's BARs.
 * @return 0, or -ENODEV with a log line saying what is missing */
int virtio_pci_init(struct virtio_pci *vp, struct px_pci_device *pci);
/* §2.4 device reset: write 0 to device_status and wait until it reads back 0.
 * @return 0 or -ETIMEDOUT */
int virtio_pci_reset(struct virtio_pci *vp);
uint8_t virtio_pci_status(struct virtio_pci *vp);
void virtio_pci_status_set(struct virtio_pci *vp, uint8_t bits); /* ORs @bits in */
uint64_t virtio_pci_device_features(struct virtio_pci *vp);
void virtio_pci_driver_features(struct virtio_pci *vp, uint64_t features);
/* The largest size of queue @q, 0 when the queue does not exist. */
uint16_t virtio_pci_queue_max(struct virtio_pci *vp, uint16_t q);
/* Program queue @q (size, ring addresses, MSI-X @vector or VIRTIO_MSI_NO_VECTOR), enable it
 * and return the address its notifications are written to; NULL when the notify offset lies
 * outside the region or the device refuses the vector. */
volatile uint16_t *virtio_pci_queue_setup(struct virtio_pci *vp, uint16_t q, uint16_t size,
					  uint64_t desc, uint64_t driver, uint64_t device,
					  uint16_t vector);
/* Read @len bytes at @off of the device configuration, consistently (§4.1.4.3.1:
 * config_generation unchanged across the read). */
void virtio_pci_read_dev_config(struct virtio_pci *vp, uint32_t off, void *buf, uint32_t len);

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
 * software (id_next), so completions in any order are handled.
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
	struct px_mbuf **sw_ring; /* by id: RX the buffer's mbuf, TX the packet at its head */
	uint16_t *id_next;        /* free list of ids, and the chain order of a TX packet */
	uint16_t *chain_len;      /* TX, by head id: descriptors in its chain */
	uint16_t *chain_end;      /* TX, by head id: the last id of its chain */
	volatile uint16_t *notify;
	struct px_mempool *mp;       /* RX */
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

/* RX interrupts (virtio_rxtx.c): ask the device for one at the next used buffer, and say
 * whether one is used already (the caller then wakes itself); or ask for none. */
bool virtio_rx_intr_arm(struct virtio_queue *vq);
void virtio_rx_intr_disarm(struct virtio_queue *vq);

/* Drop every mbuf the queue holds (stopped device). */
void virtio_queue_drop_mbufs(struct virtio_queue *vq);

/* virtio_rx_refill() for a packed ring (virtio_rxtx_packed.c). */
uint16_t virtio_packed_rx_refill(struct virtio_queue *vq, bool notify);

/* ---- control queue (virtio_ctrl.c) -------------------------------------------------------- */

#define VIRTIO_CTRL_DATA_MAX 256
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

/* The burst functions; start() picks the pair for the negotiated ring layout. */
uint16_t virtio_recv_pkts(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts(void *txq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_recv_pkts_packed(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts_packed(void *txq, struct px_mbuf **pkts, uint16_t n);

#endif /* VIRTIO_H */

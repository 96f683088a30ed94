/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Poll-mode driver for virtio-net devices (VIRTIO 1.2 §5.1) over VFIO, modern PCI transport
 * only (§4.1; virtio_pci.c): the control path. The burst functions are in virtio_rxtx.c (split
 * rings) and virtio_rxtx_packed.c (packed rings), the layouts in virtio_spec.h. Section
 * numbers (§) refer to the VIRTIO 1.2 specification; what was learnt from QEMU 7.2's model
 * (hw/net/virtio-net.c, hw/virtio/virtio-pci.c), which the lab runs, says so.
 *
 * Bring-up (§3.1.1): reset, ACKNOWLEDGE, DRIVER, feature negotiation, FEATURES_OK read back,
 * virtqueues, DRIVER_OK. The features are negotiated again at every start, from the port's
 * configuration; stop and close reset the device, which ends all its DMA. One RX and one TX
 * queue; split or packed rings (devargs packed_vq); mergeable RX buffers into mbuf chains;
 * TX chains; L4 checksum offload where the device offers it; MAC and link status from the
 * device configuration; per-queue counters of descriptors and notifies as xstats.
 * docs/virtio.md says more.
 *
 * Reading order: devargs; adapter; helpers; negotiation; queues; start/stop/close; the other
 * ops; the ops table; probe/remove; registration.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ethdev_driver.h"
#include "px_ether.h"
#include "px_intr.h"
#include "px_kvargs.h"
#include "px_log.h"
#include "px_mbuf.h"
#include "px_memzone.h"
#include "bus_pci_driver.h"

#include "virtio.h"

#define VIRTIO_DRIVER_NAME "net_virtio"
#define VIRTIO_MIN_DESC 64
#define VIRTIO_MAX_DESC 32768 /* §2.7: a split queue has at most 32768 entries */
#define VIRTIO_RING_ALIGN 4096
#define VIRTIO_MIN_MTU 68
#define VIRTIO_JUMBO_MTU 9000 /* without VIRTIO_NET_F_MTU, with mergeable RX buffers */
#define VIRTIO_FRAME_OVERHEAD (PX_ETHER_HDR_LEN + PX_VLAN_HLEN)
#define VIRTIO_DEFAULT_RX_FREE_THRESH 32
#define VIRTIO_DEFAULT_TX_FREE_THRESH 32

/* devargs: -a BDF,packed_vq=0|1 (default: packed when the device offers it) */
#define VIRTIO_ARG_PACKED_VQ "packed_vq"
static const char *const virtio_valid_args[] = {VIRTIO_ARG_PACKED_VQ, NULL};

/* What the driver can use; the rest of what the device offers is declined. */
#define VIRTIO_FEATURES_BASE                                                     \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) | \
	 VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |    \
	 VIRTIO_BIT(VIRTIO_NET_F_STATUS) | VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) |  \
	 VIRTIO_BIT(VIRTIO_NET_F_MTU) | VIRTIO_BIT(VIRTIO_NET_F_SPEED_DUPLEX) |  \
	 VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ) | VIRTIO_BIT(VIRTIO_NET_F_CTRL_RX) |   \
	 VIRTIO_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | VIRTIO_BIT(VIRTIO_F_IN_ORDER))
#define VIRTIO_CTRL_DESC 64 /* control queue entries (QEMU 7.2 offers 64) */

PX_LOG_REGISTER(virtio_logtype, "pmd.net.virtio", DEFAULT);

/* ---- helpers ------------------------------------------------------------------------------ */

static struct virtio_adapter *adapter_of(struct px_eth_dev *dev)
{
	return dev->dev_private;
}

static bool has(uint64_t features, unsigned int bit)
{
	return (features & VIRTIO_BIT(bit)) != 0;
}

static uint16_t dev_cfg16(struct virtio_adapter *ad, uint32_t off)
{
	uint16_t v;

	ad->hw->ops->read_dev_config(ad->hw, off, &v, sizeof(v));
	return le16toh(v);
}

static uint32_t dev_cfg32(struct virtio_adapter *ad, uint32_t off)
{
	uint32_t v;

	ad->hw->ops->read_dev_config(ad->hw, off, &v, sizeof(v));
	return le32toh(v);
}

/* The burst functions for the ring layout and the features negotiated last. */
static void virtio_set_bursts(struct px_eth_dev *dev)
{
	const struct virtio_adapter *ad = adapter_of(dev);
	bool in_order = has(ad->features, VIRTIO_F_IN_ORDER);

	dev->rx_pkt_burst = virtio_rx_burst(ad->packed, in_order);
	dev->tx_pkt_burst = virtio_tx_burst(ad->packed, in_order);
}

/* ---- feature negotiation (§3.1.1, §2.2) --------------------------------------------------- */

/* The features to ask for, for the port's configuration @conf (NULL at probe): checksum
 * offloads only when the application asks (a device that may hand us partially checksummed
 * packets is no help to one that did not). */
static uint64_t virtio_wanted(const struct virtio_adapter *ad, const struct px_eth_conf *conf)
{
	uint64_t want = VIRTIO_FEATURES_BASE;

	if (ad->packed)
		want |= VIRTIO_BIT(VIRTIO_F_RING_PACKED);
	if (conf &&
	    (conf->rxmode.offloads & (PX_ETH_RX_OFFLOAD_UDP_CKSUM | PX_ETH_RX_OFFLOAD_TCP_CKSUM)))
		want |= VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM);
	if (conf &&
	    (conf->txmode.offloads & (PX_ETH_TX_OFFLOAD_UDP_CKSUM | PX_ETH_TX_OFFLOAD_TCP_CKSUM)))
		want |= VIRTIO_BIT(VIRTIO_NET_F_CSUM);
	if (conf == NULL)
		return want;
	/* §5.1.3.1: HOST_TSO4/6 need CSUM */
	if (conf->txmode.offloads & PX_ETH_TX_OFFLOAD_TCP_TSO)
		want |= VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) |
			VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO6);
	/* with CTRL_VLAN negotiated QEMU's device drops every VLAN not in its table (empty after
	 * a reset), so it is asked for only by a port that filters */
	if (conf->rxmode.offloads & PX_ETH_RX_OFFLOAD_VLAN_FILTER)
		want |= VIRTIO_BIT(VIRTIO_NET_F_CTRL_VLAN);
	if (ad->eth && PX_MAX(ad->eth->nb_rx_queues, ad->eth->nb_tx_queues) > 1) {
		want |= VIRTIO_BIT(VIRTIO_NET_F_MQ);
		if (conf->rxmode.mq_mode == PX_ETH_MQ_RX_RSS)
			want |= VIRTIO_BIT(VIRTIO_NET_F_RSS);
	}
	return want;
}

/* Reset, ACKNOWLEDGE | DRIVER, the features both sides have, FEATURES_OK read back (§3.1.1
 * steps 1-6). The device is then ready for its virtqueues. */
static int virtio_negotiate(struct virtio_adapter *ad, const struct px_eth_conf *conf)
{
	struct virtio_hw *hw = ad->hw;
	int ret = hw->ops->reset(hw);

	if (ret < 0) {
		VIRTIO_LOG(ERR, "%s: device reset did not complete: %s", hw->name, strerror(-ret));
		return ret;
	}
	hw->ops->status_set(hw, VIRTIO_STATUS_ACKNOWLEDGE);
	hw->ops->status_set(hw, VIRTIO_STATUS_DRIVER);
	ad->features = ad->dev_features & virtio_wanted(ad, conf);
	hw->ops->driver_features(hw, ad->features);
	hw->ops->status_set(hw, VIRTIO_STATUS_FEATURES_OK);
	if (!(hw->ops->status(hw) & VIRTIO_STATUS_FEATURES_OK)) {
		VIRTIO_LOG(ERR, "%s: the device refused features %#" PRIx64 " (FEATURES_OK clear)",
			   hw->name, ad->features);
		hw->ops->status_set(hw, VIRTIO_STATUS_FAILED);
		return -EIO;
	}
	return 0;
}

/* What probe requires of the device's offer: a modern device (VERSION_1) and, behind an
 * IOMMU, ACCESS_PLATFORM (§6.1: without it the device uses physical addresses and bypasses
 * the IOMMU, so every IOVA this driver gives would be wrong, and DMA unchecked). */
static int virtio_check_offer(struct virtio_adapter *ad)
{
	const char *name = ad->hw->name;
	bool offered = has(ad->dev_features, VIRTIO_F_RING_PACKED);

	if (!has(ad->dev_features, VIRTIO_F_VERSION_1)) {
		VIRTIO_LOG(ERR,
			   "%s: the device does not offer VIRTIO_F_VERSION_1 (legacy only): "
			   "not supported; QEMU: -device virtio-net-pci,disable-legacy=on",
			   name);
		return -ENOTSUP;
	}
	if (ad->pci && ad->pci->iommu_group >= 0 &&
	    !has(ad->dev_features, VIRTIO_F_ACCESS_PLATFORM)) {
		VIRTIO_LOG(ERR,
			   "%s: behind an IOMMU, but the device does not offer "
			   "VIRTIO_F_ACCESS_PLATFORM: its DMA would bypass the IOMMU; QEMU: "
			   "-device virtio-net-pci,iommu_platform=on,disable-legacy=on",
			   name);
		return -ENOTSUP;
	}
	if (ad->packed_arg == 1 && !offered) {
		VIRTIO_LOG(ERR,
			   "%s: packed_vq=1, but the device does not offer VIRTIO_F_RING_PACKED "
			   "(QEMU: -device virtio-net-pci,packed=on)",
			   name);
		return -ENOTSUP;
	}
	/* devargs packed_vq: 1 requires packed rings, 0 refuses them; unset: what is offered */
	ad->packed = ad->packed_arg < 0 ? offered : ad->packed_arg == 1;
	return 0;
}

/* PCI devargs: packed_vq=0|1 into ad->packed_arg (-1 when not given). */
static int virtio_parse_devargs(struct virtio_adapter *ad)
{
	const char *args = pci_devargs(ad->pci);
	struct px_kvargs *kv;
	bool packed = false;
	int ret;

	ad->packed_arg = -1;
	if (args == NULL)
		return 0;
	kv = px_kvargs_parse(args, virtio_valid_args);
	if (kv == NULL) {
		VIRTIO_LOG(ERR, "%s: bad devargs '%s' (valid: %s=0|1)", ad->pci->name, args,
			   VIRTIO_ARG_PACKED_VQ);
		return -EINVAL;
	}
	ret = px_kvargs_get_bool(kv, VIRTIO_ARG_PACKED_VQ, &packed);
	if (ret == 0 && px_kvargs_count(kv, VIRTIO_ARG_PACKED_VQ) > 0)
		ad->packed_arg = packed;
	px_kvargs_free(kv);
	return ret;
}

/* ---- queues ------------------------------------------------------------------------------- */

/* Bytes of the rings of a queue of @n entries: split (§2.7: descriptors, avail ring with
 * used_event, used ring with avail_event, the used ring 64-byte aligned) or packed (§2.8:
 * descriptors, then the driver's and the device's event suppression structures). */
static size_t ring_size(bool packed, uint16_t n, size_t *driver_off, size_t *device_off)
{
	size_t desc = (size_t)n * 16;

	if (packed) {
		*driver_off = desc;
		*device_off = desc + sizeof(struct vring_packed_event);
		return desc + 2 * sizeof(struct vring_packed_event);
	}
	*driver_off = desc;
	*device_off = PX_ALIGN_CEIL(desc + 4 + 2 * (size_t)n + 2, 64);
	return *device_off + 4 + 8 * (size_t)n + 2;
}

static void virtio_queue_free(struct virtio_queue *vq)
{
	if (vq == NULL)
		return;
	virtio_queue_drop_mbufs(vq);
	px_memzone_free(vq->mz);
	free(vq->sw_ring);
	free(vq->id_next);
	free(vq->chain_len);
	free(vq->chain_end);
	free(vq);
}

/* A queue's software state and its rings in DMA memory, followed by @extra bytes (TX: a header
 * slot per id; control queue: the command buffer), at vq->extra / vq->extra_iova. */
static struct virtio_queue *virtio_queue_alloc(struct px_eth_dev *dev, uint16_t vq_index,
					       uint16_t nb_desc, int socket, size_t extra)
{
	struct virtio_adapter *ad = adapter_of(dev);
	size_t drv_off, dev_off, len = ring_size(ad->packed, nb_desc, &drv_off, &dev_off);
	size_t hdrs_off = PX_ALIGN_CEIL(len, 64);
	char name[PX_MEMZONE_NAMESIZE];
	struct virtio_queue *vq = calloc(1, sizeof(*vq));
	uint8_t *base;

	if (vq == NULL)
		return NULL;
	vq->sw_ring = calloc(nb_desc, sizeof(*vq->sw_ring));
	vq->id_next = calloc(nb_desc, sizeof(uint16_t));
	vq->chain_len = calloc(nb_desc, sizeof(uint16_t));
	vq->chain_end = calloc(nb_desc, sizeof(uint16_t));
	len = hdrs_off + extra;
	snprintf(name, sizeof(name), "virtio_%u_vq%u", dev->port_id, vq_index);
	if (vq->sw_ring && vq->id_next && vq->chain_len && vq->chain_end)
		vq->mz = px_memzone_reserve(name, len, socket, PX_MEMZONE_F_DMA, VIRTIO_RING_ALIGN,
					    0);
	if (vq->mz == NULL) {
		VIRTIO_LOG(ERR,
			   "%s: no DMA memory for virtqueue %u (%zu bytes): %s; give the EAL "
			   "hugepages (-m)",
			   dev->name, vq_index, len, strerror(errno));
		virtio_queue_free(vq);
		return NULL;
	}
	base = vq->mz->addr;
	vq->packed_ring = ad->packed;
	if (ad->packed) {
		vq->packed.desc = (void *)base;
		vq->packed.driver = (void *)(base + drv_off);
		vq->packed.device = (void *)(base + dev_off);
	} else {
		vq->split.desc = (void *)base;
		vq->split.avail = (void *)(base + drv_off);
		vq->split.used = (void *)(base + dev_off);
	}
	vq->extra = base + hdrs_off;
	vq->extra_iova = vq->mz->iova + hdrs_off;
	vq->nb_desc = nb_desc;
	vq->mask = (uint16_t)(nb_desc - 1);
	vq->vq_index = vq_index;
	vq->port_id = dev->port_id;
	vq->hdr_size = sizeof(struct virtio_net_hdr);
	return vq;
}

/* The queue sizes the device takes: a power of two (split rings need one; packed rings get the
 * same rule for simplicity) up to the queue's maximum. The maximum is read from pair 0's queue
 * of that direction: the queues of the other pairs exist only while MQ is negotiated (QEMU
 * 7.2 adds and removes them at each negotiation, and its control queue takes index 2 without
 * MQ), and every pair has the same sizes (rx_queue_size, tx_queue_size). */
static int virtio_check_nb_desc(struct px_eth_dev *dev, uint16_t vq_index, uint16_t nb_desc)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint16_t max = ad->hw->ops->queue_max(ad->hw, vq_index & 1);

	if (vq_index / 2 >= ad->max_pairs)
		max = 0;
	if (max == 0) {
		VIRTIO_LOG(ERR, "%s: the device has no virtqueue %u", dev->name, vq_index);
		return -EINVAL;
	}
	if (nb_desc > max || (nb_desc & (nb_desc - 1))) {
		VIRTIO_LOG(ERR,
			   "%s: virtqueue %u: %u descriptors; the device takes a power of two up "
			   "to %u (QEMU: rx_queue_size/tx_queue_size)",
			   dev->name, vq_index, nb_desc, max);
		return -EINVAL;
	}
	return 0;
}

static int virtio_rx_queue_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
				 const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	uint16_t vq_index = (uint16_t)(2 * q);
	struct virtio_queue *vq;
	int ret = virtio_check_nb_desc(dev, vq_index, nb_desc);

	if (ret < 0)
		return ret;
	if (px_pktmbuf_data_room_size(mp) < PX_PKTMBUF_HEADROOM + PX_ETHER_MAX_LEN) {
		VIRTIO_LOG(ERR,
			   "%s: mbufs of pool too small: need a data room of %u (headroom + "
			   "a full-sized frame)",
			   dev->name, PX_PKTMBUF_HEADROOM + PX_ETHER_MAX_LEN);
		return -EINVAL;
	}
	vq = virtio_queue_alloc(dev, vq_index, nb_desc, socket, 0);
	if (vq == NULL)
		return -ENOMEM;
	vq->mp = mp;
	vq->free_thresh =
		conf && conf->rx_free_thresh ? conf->rx_free_thresh : VIRTIO_DEFAULT_RX_FREE_THRESH;
	vq->free_thresh = PX_MIN(vq->free_thresh, (uint16_t)(nb_desc / 2));
	dev->rx_queues[q] = vq;
	return 0;
}

static int virtio_tx_queue_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
				 const struct px_eth_txconf *conf)
{
	uint16_t vq_index = (uint16_t)(2 * q + 1);
	struct virtio_queue *vq;
	int ret = virtio_check_nb_desc(dev, vq_index, nb_desc);

	if (ret < 0)
		return ret;
	vq = virtio_queue_alloc(dev, vq_index, nb_desc, socket,
				(size_t)nb_desc * sizeof(struct virtio_net_hdr));
	if (vq == NULL)
		return -ENOMEM;
	vq->hdrs = vq->extra;
	vq->hdrs_iova = vq->extra_iova;
	vq->free_thresh =
		conf && conf->tx_free_thresh ? conf->tx_free_thresh : VIRTIO_DEFAULT_TX_FREE_THRESH;
	vq->free_thresh = PX_MIN(vq->free_thresh, (uint16_t)(nb_desc - 1));
	dev->tx_queues[q] = vq;
	return 0;
}

static void virtio_rx_queue_release(struct px_eth_dev *dev, uint16_t q)
{
	virtio_queue_free(dev->rx_queues[q]);
	dev->rx_queues[q] = NULL;
}

static void virtio_tx_queue_release(struct px_eth_dev *dev, uint16_t q)
{
	virtio_queue_free(dev->tx_queues[q]);
	dev->tx_queues[q] = NULL;
}

/* §4.1.5.1.3: tell the device where a queue's rings are, from the negotiated features, and
 * which MSI-X vector it signals (VIRTIO_MSI_NO_VECTOR: none). */
static int virtio_queue_start(struct virtio_adapter *ad, struct virtio_queue *vq, uint16_t vector)
{
	vq->event_idx = has(ad->features, VIRTIO_F_RING_EVENT_IDX);
	vq->mrg_rxbuf = has(ad->features, VIRTIO_NET_F_MRG_RXBUF);
	vq->tx_csum = has(ad->features, VIRTIO_NET_F_CSUM);
	vq->rx_csum = has(ad->features, VIRTIO_NET_F_GUEST_CSUM);
	vq->tx_tso = has(ad->features, VIRTIO_NET_F_HOST_TSO4) ||
		     has(ad->features, VIRTIO_NET_F_HOST_TSO6);
	/* the control queue keeps its free list (virtio_ctrl.c) */
	vq->in_order = has(ad->features, VIRTIO_F_IN_ORDER) && vq != ad->cvq;
	virtio_queue_reset(vq);
	return ad->hw->ops->queue_setup(ad->hw, vq, vector);
}

/* The control queue (§5.1.2: after the data queues: 2 without VIRTIO_NET_F_MQ, else
 * 2 * max_virtqueue_pairs), allocated at the first start that negotiates VIRTIO_NET_F_CTRL_VQ
 * and kept until close (or a start that negotiates MQ otherwise, which moves it). */
static int virtio_ctrl_start(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint16_t max, index = has(ad->features, VIRTIO_NET_F_MQ) ? 2 * ad->max_pairs : 2;

	if (!has(ad->features, VIRTIO_NET_F_CTRL_VQ))
		return 0;
	if (ad->cvq && ad->cvq->vq_index != index) {
		virtio_queue_free(ad->cvq);
		ad->cvq = NULL;
	}
	if (ad->cvq == NULL) {
		max = ad->hw->ops->queue_max(ad->hw, index);
		if (max == 0) {
			VIRTIO_LOG(ERR, "%s: VIRTIO_NET_F_CTRL_VQ without a control queue",
				   dev->name);
			return -EIO;
		}
		ad->cvq = virtio_queue_alloc(dev, index, PX_MIN(max, (uint16_t)VIRTIO_CTRL_DESC),
					     dev->socket_id, virtio_ctrl_buf_size());
		if (ad->cvq == NULL)
			return -ENOMEM;
		ad->cvq->ctrl_buf = ad->cvq->extra;
		ad->cvq->ctrl_buf_iova = ad->cvq->extra_iova;
	}
	return virtio_queue_start(ad, ad->cvq, VIRTIO_MSI_NO_VECTOR);
}

/* §5.1.6.5.1: promiscuous and all-multicast as the port says (QEMU's device starts
 * promiscuous; the port starts not). */
static int virtio_rx_mode(struct px_eth_dev *dev, uint8_t cmd, bool on)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint8_t v = on;
	int ret;

	if (!has(ad->features, VIRTIO_NET_F_CTRL_RX) || ad->cvq == NULL)
		return -ENOTSUP;
	ret = virtio_ctrl_cmd(ad->cvq, VIRTIO_NET_CTRL_RX, cmd, &v, 1);
	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: control queue, RX mode %s %s: %s", dev->name,
			   cmd == VIRTIO_NET_CTRL_RX_PROMISC ? "promiscuous" : "all-multicast",
			   on ? "on" : "off", strerror(-ret));
	return ret;
}

/* §5.1.6.5.2: the port's MAC address (VIRTIO_NET_F_CTRL_MAC_ADDR). */
static int virtio_mac_addr_cmd(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	struct virtio_adapter *ad = adapter_of(dev);
	int ret;

	if (!has(ad->features, VIRTIO_NET_F_CTRL_MAC_ADDR) || ad->cvq == NULL)
		return -ENOTSUP;
	ret = virtio_ctrl_cmd(ad->cvq, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
			      mac->addr_bytes, PX_ETHER_ADDR_LEN);
	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: control queue, MAC address: %s", dev->name, strerror(-ret));
	return ret;
}

/* §5.1.6.5.2 MAC_TABLE_SET: the extra unicast addresses (ethdev's entries 1.., entry @index
 * replaced by @mac, none when NULL), no multicast ones; the device accepts frames to them on
 * top of its own address. */
static int virtio_mac_table_cmd(struct px_eth_dev *dev, uint32_t index,
				const struct px_ether_addr *mac)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint8_t buf[2 * sizeof(uint32_t) + PX_ETH_MAX_MAC_ADDRS * PX_ETHER_ADDR_LEN];
	uint32_t n = 0, le;
	size_t off = sizeof(le);
	int ret;

	if (!has(ad->features, VIRTIO_NET_F_CTRL_RX) || ad->cvq == NULL)
		return -ENOTSUP;
	for (uint32_t i = 1; i < PX_ETH_MAX_MAC_ADDRS; i++) {
		const struct px_ether_addr *a = i == index ? mac : &dev->mac_addrs[i];

		if (a == NULL || px_ether_addr_is_zero(a))
			continue;
		memcpy(buf + off, a->addr_bytes, PX_ETHER_ADDR_LEN);
		off += PX_ETHER_ADDR_LEN;
		n++;
	}
	le = htole32(n);
	memcpy(buf, &le, sizeof(le));
	le = 0;
	memcpy(buf + off, &le, sizeof(le));
	off += sizeof(le);
	ret = virtio_ctrl_cmd(ad->cvq, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET, buf,
			      (uint32_t)off);
	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: control queue, MAC table (%u entries): %s", dev->name, n,
			   strerror(-ret));
	return ret;
}

/* §5.1.6.5.3: receive (VLAN_ADD) or drop (VLAN_DEL) frames tagged @vid
 * (VIRTIO_NET_F_CTRL_VLAN). */
static int virtio_vlan_cmd(struct px_eth_dev *dev, uint16_t vid, bool on)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint16_t le = htole16(vid);
	int ret;

	if (!has(ad->features, VIRTIO_NET_F_CTRL_VLAN) || ad->cvq == NULL)
		return -ENOTSUP;
	ret = virtio_ctrl_cmd(ad->cvq, VIRTIO_NET_CTRL_VLAN,
			      on ? VIRTIO_NET_CTRL_VLAN_ADD : VIRTIO_NET_CTRL_VLAN_DEL, &le,
			      sizeof(le));
	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: control queue, VLAN %u %s: %s", dev->name, vid,
			   on ? "add" : "delete", strerror(-ret));
	return ret;
}

/* The device's VLAN table is empty after a reset: every VLAN of ethdev's set again. */
static int virtio_vlan_apply(struct px_eth_dev *dev)
{
	for (uint16_t vid = 0; vid < 4096; vid++) {
		int ret;

		if (!(dev->vlan_ids[vid / 64] & (1ull << (vid % 64))))
			continue;
		ret = virtio_vlan_cmd(dev, vid, true);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* §5.1.6.5.6: the device starts with one queue pair; VQ_PAIRS_SET (or RSS_CONFIG with RSS)
 * turns on the port's. Without RSS the device keeps a backend queue's packets on the RX queue
 * of the same number (QEMU: a multi-queue tap spreads flows by its own hash). */
static int virtio_mq_apply(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint16_t le = htole16(dev->nb_rx_queues);
	int ret;

	if (!has(ad->features, VIRTIO_NET_F_MQ) || ad->cvq == NULL)
		return 0;
	if (has(ad->features, VIRTIO_NET_F_RSS))
		return virtio_rss_apply(dev);
	ret = virtio_ctrl_cmd(ad->cvq, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &le,
			      sizeof(le));
	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: control queue, %u queue pairs: %s", dev->name,
			   dev->nb_rx_queues, strerror(-ret));
	return ret;
}

/* After DRIVER_OK: the receive filters as the port has them (the reset cleared the device's). */
static int virtio_rx_mode_apply(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = adapter_of(dev);
	int ret = virtio_mq_apply(dev);

	if (ret == 0 && has(ad->features, VIRTIO_NET_F_CTRL_MAC_ADDR))
		ret = virtio_mac_addr_cmd(dev, &dev->mac);
	if (ret == 0 && has(ad->features, VIRTIO_NET_F_CTRL_RX)) {
		ret = virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_PROMISC, dev->promiscuous);
		if (ret == 0)
			ret = virtio_rx_mode(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, dev->all_multicast);
		if (ret == 0)
			ret = virtio_mac_table_cmd(dev, 0, NULL);
	}
	if (ret == 0 && has(ad->features, VIRTIO_NET_F_CTRL_VLAN))
		ret = virtio_vlan_apply(dev);
	return ret;
}

/* ---- start, stop, close ------------------------------------------------------------------- */

/* Refuse an MTU whose frames do not fit one receive buffer unless the port takes chains
 * (SCATTER) and the device can spread frames (MRG_RXBUF). */
static int virtio_check_mtu(struct px_eth_dev *dev)
{
	struct virtio_queue *rxq = dev->rx_queues[0];
	uint32_t frame = dev->mtu + VIRTIO_FRAME_OVERHEAD;
	uint32_t room = px_pktmbuf_data_room_size(rxq->mp) - PX_PKTMBUF_HEADROOM;

	if (frame <= room)
		return 0;
	if (!(dev->conf.rxmode.offloads & PX_ETH_RX_OFFLOAD_SCATTER) ||
	    !has(adapter_of(dev)->features, VIRTIO_NET_F_MRG_RXBUF)) {
		VIRTIO_LOG(ERR,
			   "%s: MTU %u makes frames of up to %u bytes, more than one %u-byte "
			   "receive buffer: configure the port with PX_ETH_RX_OFFLOAD_SCATTER (the "
			   "device must offer VIRTIO_NET_F_MRG_RXBUF)",
			   dev->name, dev->mtu, frame, room);
		return -EINVAL;
	}
	return 0;
}

static void virtio_lsc_intr(int fd, void *arg);
static int virtio_link_update(struct px_eth_dev *dev, int wait);

static void virtio_quiesce(struct virtio_adapter *ad)
{
	struct virtio_hw *hw = ad->hw;

	/* §2.4: after the reset the device uses no buffer, writes no ring, raises nothing */
	if (hw->ops->reset(hw) < 0)
		VIRTIO_LOG(ERR, "%s: reset did not complete: DMA off regardless", hw->name);
	if (hw->ops->dma_enable)
		hw->ops->dma_enable(hw, false);
	if (ad->lsc_fd >= 0) {
		/* waits for a running handler, unless this is it (a callback stopping the port) */
		px_intr_callback_unregister(ad->lsc_fd, virtio_lsc_intr, ad->eth);
		ad->lsc_fd = -1;
	}
	if (hw->ops->intr_disable)
		hw->ops->intr_disable(hw);
	for (unsigned int q = 0; q < VIRTIO_MAX_QUEUE_PAIRS; q++)
		ad->rx_intr_fd[q] = -1;
}

/*
 * The configuration vector (intr_conf.lsc): the device changed its configuration (§4.1.5.1.2,
 * QEMU 7.2: only the link status, set_link on its monitor). Runs on the EAL interrupt thread;
 * with MSI-X the ISR status need not be read. The callbacks run when the link differs from
 * what the last event said.
 */
static void virtio_lsc_intr(int fd, void *arg)
{
	struct px_eth_dev *dev = arg;
	struct virtio_adapter *ad = adapter_of(dev);
	uint64_t count;

	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return; /* spurious: nothing pending on the eventfd */
	virtio_link_update(dev, 0);
	if (dev->link.link_status == ad->lsc_up)
		return;
	ad->lsc_up = dev->link.link_status;
	VIRTIO_LOG(INFO, "%s: link %s", dev->name, ad->lsc_up ? "up" : "down");
	eth_dev_callback_process(dev, PX_ETH_EVENT_INTR_LSC, NULL);
}

/* The configuration change vector @vector and its handler (intr_conf.lsc, a transport that
 * signals changes by an interrupt). */
static int virtio_init_lsc(struct px_eth_dev *dev, uint16_t vector, int fd)
{
	struct virtio_adapter *ad = adapter_of(dev);
	int ret = ad->hw->ops->config_vector(ad->hw, vector);

	if (ret == 0)
		ret = px_intr_callback_register(fd, virtio_lsc_intr, dev);
	if (ret < 0) {
		VIRTIO_LOG(ERR, "%s: link interrupt: %s", dev->name, strerror(-ret));
		return ret;
	}
	ad->lsc_fd = fd;
	virtio_link_update(dev, 0);
	ad->lsc_up = dev->link.link_status;
	return 0;
}

/* MSI-X: with intr_conf.rxq vector q for RX queue q; with intr_conf.lsc the next one for
 * configuration changes. A transport with a single RX vector (intr_enable) serves RX queue 0
 * only. @rx_vector[q]: the vector to program for RX queue q. */
static int virtio_init_intr(struct px_eth_dev *dev, uint16_t *rx_vector)
{
	struct virtio_adapter *ad = adapter_of(dev);
	const struct virtio_transport *ops = ad->hw->ops;
	unsigned int nrx = dev->conf.intr_conf.rxq ? dev->nb_rx_queues : 0;
	bool lsc = dev->conf.intr_conf.lsc && ops->config_vector;
	int fds[VIRTIO_MAX_QUEUE_PAIRS + 1], ret;

	for (unsigned int q = 0; q < dev->nb_rx_queues; q++)
		rx_vector[q] = VIRTIO_MSI_NO_VECTOR;
	if (nrx == 0 && !lsc)
		return 0;
	if (ops->intr_vectors)
		ret = ops->intr_vectors(ad->hw, nrx + lsc, fds);
	else if (nrx == 1 && ops->intr_enable)
		ret = ops->intr_enable(ad->hw, fds);
	else
		ret = -ENOTSUP;
	if (ret < 0) {
		VIRTIO_LOG(ERR, "%s: cannot enable %u MSI-X vector(s): %s", dev->name, nrx + lsc,
			   strerror(-ret));
		return ret;
	}
	for (unsigned int q = 0; q < nrx; q++) {
		ad->rx_intr_fd[q] = fds[q];
		rx_vector[q] = (uint16_t)q;
	}
	return lsc ? virtio_init_lsc(dev, (uint16_t)nrx, fds[nrx]) : 0;
}

static void virtio_queues_drop_mbufs(struct px_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++)
		if (dev->rx_queues[q])
			virtio_queue_drop_mbufs(dev->rx_queues[q]);
	for (uint16_t q = 0; q < dev->nb_tx_queues; q++)
		if (dev->tx_queues[q])
			virtio_queue_drop_mbufs(dev->tx_queues[q]);
}

/* As many RX as TX queues, each set up: the device runs queue pairs (§5.1.2). */
static int virtio_check_queues(struct px_eth_dev *dev)
{
	if (dev->nb_rx_queues != dev->nb_tx_queues) {
		VIRTIO_LOG(ERR,
			   "%s: %u RX and %u TX queues: virtio-net runs queue pairs, configure "
			   "as many of each",
			   dev->name, dev->nb_rx_queues, dev->nb_tx_queues);
		return -EINVAL;
	}
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++) {
		if (dev->rx_queues[q] == NULL || dev->tx_queues[q] == NULL) {
			VIRTIO_LOG(ERR, "%s: queue pair %u is not set up", dev->name, q);
			return -EINVAL;
		}
	}
	return 0;
}

/* Every RX and TX queue of the port (vectors from virtio_init_intr), then the control queue. */
static int virtio_queues_start(struct px_eth_dev *dev, const uint16_t *rx_vector)
{
	struct virtio_adapter *ad = adapter_of(dev);
	int ret = 0;

	for (uint16_t q = 0; q < dev->nb_rx_queues && ret == 0; q++) {
		ret = virtio_queue_start(ad, dev->rx_queues[q], rx_vector[q]);
		if (ret == 0)
			ret = virtio_queue_start(ad, dev->tx_queues[q], VIRTIO_MSI_NO_VECTOR);
	}
	return ret == 0 ? virtio_ctrl_start(dev) : ret;
}

static int virtio_dev_start(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint16_t rx_vector[VIRTIO_MAX_QUEUE_PAIRS];
	int ret = virtio_check_queues(dev);

	if (ret == 0)
		ret = virtio_negotiate(ad, &dev->conf);
	if (ret == 0)
		ret = virtio_check_mtu(dev);
	if (ret == 0)
		ret = virtio_init_intr(dev, rx_vector);
	if (ret == 0)
		ret = virtio_queues_start(dev, rx_vector);
	if (ret < 0)
		goto quiesce;
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++) {
		struct virtio_queue *rxq = dev->rx_queues[q];

		if (virtio_rx_refill(rxq, false) != 0) {
			VIRTIO_LOG(ERR, "%s: mempool has fewer than %u free mbufs for RX queue %u",
				   dev->name, rxq->nb_desc, q);
			ret = -ENOMEM;
			goto drop_mbufs;
		}
	}
	ret = ad->hw->ops->dma_enable ? ad->hw->ops->dma_enable(ad->hw, true) : 0;
	if (ret < 0)
		goto drop_mbufs;
	virtio_set_bursts(dev);
	/* §3.1.1 step 8: the device is live; it may use the RX buffers from here on */
	ad->hw->ops->status_set(ad->hw, VIRTIO_STATUS_DRIVER_OK);
	if (ad->hw->ops->status(ad->hw) &
	    (VIRTIO_STATUS_DEVICE_NEEDS_RESET | VIRTIO_STATUS_FAILED)) {
		VIRTIO_LOG(ERR, "%s: device status %#x after DRIVER_OK", dev->name,
			   ad->hw->ops->status(ad->hw));
		ret = -EIO;
		goto drop_mbufs;
	}
	ret = virtio_rx_mode_apply(dev);
	if (ret < 0)
		goto drop_mbufs;
	return 0;

drop_mbufs:
	virtio_quiesce(ad);
	virtio_queues_drop_mbufs(dev);
	return ret;
quiesce:
	virtio_quiesce(ad);
	return ret;
}

static int virtio_dev_stop(struct px_eth_dev *dev)
{
	virtio_quiesce(adapter_of(dev));
	virtio_queues_drop_mbufs(dev);
	return 0;
}

/* The device is reset on close: it forgets every ring and buffer address. */
static int virtio_dev_close(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = adapter_of(dev);
	struct virtio_hw *hw = ad->hw;

	virtio_quiesce(ad);
	virtio_queue_free(ad->cvq);
	free(ad);
	dev->dev_private = NULL;
	return hw->ops->close(hw, dev->removed);
}

/* px_eth_dev_reset(): the port is stopped (the device already reset); reset it again and
 * check it still negotiates, as after a DEVICE_NEEDS_RESET. Counters and configuration are
 * kept; start programs everything again. */
static int virtio_dev_reset(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = adapter_of(dev);
	int ret = virtio_negotiate(ad, &dev->conf);

	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: reset failed: %s", dev->name, strerror(-ret));
	return ret;
}

static int virtio_dev_configure(struct px_eth_dev *dev)
{
	return virtio_rss_configure(dev);
}

/* The MTU is checked at start (virtio_check_mtu). */
static int virtio_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	(void)mtu;
	if (dev->started) {
		VIRTIO_LOG(ERR, "%s: stop the port to change its MTU", dev->name);
		return -EBUSY;
	}
	return 0;
}

static int virtio_dev_infos_get(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	struct virtio_adapter *ad = adapter_of(dev);
	uint64_t f = ad->dev_features;

	info->driver_name = VIRTIO_DRIVER_NAME;
	info->max_rx_queues = ad->max_pairs;
	info->max_tx_queues = ad->max_pairs;
	info->min_rx_bufsize = PX_ETHER_MAX_LEN;
	info->max_mtu = ad->max_mtu;
	info->min_mtu = VIRTIO_MIN_MTU;
	info->max_rx_pktlen = ad->max_mtu + VIRTIO_FRAME_OVERHEAD;
	info->max_mac_addrs = has(f, VIRTIO_NET_F_CTRL_RX) ? PX_ETH_MAX_MAC_ADDRS : 1;
	info->rx_offload_capa = has(f, VIRTIO_NET_F_MRG_RXBUF) ? PX_ETH_RX_OFFLOAD_SCATTER : 0;
	if (has(f, VIRTIO_NET_F_GUEST_CSUM))
		info->rx_offload_capa |= PX_ETH_RX_OFFLOAD_UDP_CKSUM | PX_ETH_RX_OFFLOAD_TCP_CKSUM;
	if (has(f, VIRTIO_NET_F_CTRL_VLAN) && has(f, VIRTIO_NET_F_CTRL_VQ))
		info->rx_offload_capa |= PX_ETH_RX_OFFLOAD_VLAN_FILTER;
	if (has(f, VIRTIO_NET_F_RSS) && has(f, VIRTIO_NET_F_MQ))
		info->flow_type_rss_offloads = virtio_rss_hf(ad->rss_types);
	info->reta_size = virtio_rss_reta_size(ad);
	info->hash_key_size = info->reta_size ? ad->rss_max_key : 0;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (has(f, VIRTIO_NET_F_CSUM))
		info->tx_offload_capa |= PX_ETH_TX_OFFLOAD_UDP_CKSUM | PX_ETH_TX_OFFLOAD_TCP_CKSUM;
	if (has(f, VIRTIO_NET_F_CSUM) && has(f, VIRTIO_NET_F_HOST_TSO4) &&
	    has(f, VIRTIO_NET_F_HOST_TSO6))
		info->tx_offload_capa |= PX_ETH_TX_OFFLOAD_TCP_TSO;
	info->rx_desc_lim = (struct px_eth_desc_lim){.nb_max = ad->hw->ops->queue_max(ad->hw, 0),
						     .nb_min = VIRTIO_MIN_DESC,
						     .nb_align = 1};
	info->tx_desc_lim = (struct px_eth_desc_lim){.nb_max = ad->hw->ops->queue_max(ad->hw, 1),
						     .nb_min = VIRTIO_MIN_DESC,
						     .nb_align = 1};
	info->speed_capa = 0;
	return 0;
}

/* ---- link --------------------------------------------------------------------------------- */

/* §5.1.4: status.LINK_UP with VIRTIO_NET_F_STATUS, else the link is always up; the speed with
 * VIRTIO_NET_F_SPEED_DUPLEX (QEMU 7.2: only when its speed= property is set). */
static int virtio_link_update(struct px_eth_dev *dev, int wait)
{
	struct virtio_adapter *ad = adapter_of(dev);
	bool up = true;

	(void)wait; /* ethdev's px_eth_link_wait() polls */
	if (has(ad->features, VIRTIO_NET_F_STATUS))
		up = dev_cfg16(ad, VIRTIO_NET_CFG_STATUS) & VIRTIO_NET_S_LINK_UP;
	memset(&dev->link, 0, sizeof(dev->link));
	if (!up)
		return 0;
	dev->link.link_status = 1;
	dev->link.link_duplex = 1;
	dev->link.link_speed = PX_ETH_SPEED_NUM_UNKNOWN;
	if (has(ad->features, VIRTIO_NET_F_SPEED_DUPLEX)) {
		uint32_t speed = dev_cfg32(ad, VIRTIO_NET_CFG_SPEED);

		if (speed != 0 && speed != UINT32_MAX)
			dev->link.link_speed = speed;
	}
	return 0;
}

/* ---- statistics --------------------------------------------------------------------------- */

static int virtio_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	for (uint16_t q = 0; q < PX_MAX(dev->nb_rx_queues, dev->nb_tx_queues); q++) {
		struct virtio_queue *rxq = q < dev->nb_rx_queues ? dev->rx_queues[q] : NULL;
		struct virtio_queue *txq = q < dev->nb_tx_queues ? dev->tx_queues[q] : NULL;

		eth_queue_stats_add(st, q, rxq ? &rxq->st : NULL, txq ? &txq->st : NULL);
	}
	return 0;
}

/* The driver's own xstats, per queue: what it asks of the device. */
static const struct {
	const char *name;
	size_t off;
} virtio_q_xstats[] = {
	{"desc_avail", offsetof(struct virtio_queue_counters, descs)},
	{"notifies", offsetof(struct virtio_queue_counters, notifies)},
	{"notifies_suppressed", offsetof(struct virtio_queue_counters, suppressed)},
	{"avail_bursts", offsetof(struct virtio_queue_counters, bursts)},
};
#define VIRTIO_NB_Q_XSTATS ((unsigned int)PX_DIM(virtio_q_xstats))

/* The queue behind xstat slot @i (RX queues first), or NULL; *dir names its direction. */
static struct virtio_queue *xstat_queue(struct px_eth_dev *dev, unsigned int i, const char **dir,
					unsigned int *q)
{
	unsigned int slot = i / VIRTIO_NB_Q_XSTATS;

	if (slot < dev->nb_rx_queues) {
		*dir = "rx";
		*q = slot;
		return dev->rx_queues[slot];
	}
	*dir = "tx";
	*q = slot - dev->nb_rx_queues;
	return dev->tx_queues[*q];
}

static unsigned int virtio_xstats_count(struct px_eth_dev *dev)
{
	return VIRTIO_NB_Q_XSTATS * (unsigned int)(dev->nb_rx_queues + dev->nb_tx_queues);
}

static int virtio_xstats_get_names(struct px_eth_dev *dev, struct px_eth_xstat_name *names,
				   unsigned int size)
{
	unsigned int n = virtio_xstats_count(dev), q;
	const char *dir;

	if (names == NULL || size < n)
		return (int)n;
	for (unsigned int i = 0; i < n; i++) {
		xstat_queue(dev, i, &dir, &q);
		snprintf(names[i].name, sizeof(names[i].name), "%s_q%u_%s", dir, q,
			 virtio_q_xstats[i % VIRTIO_NB_Q_XSTATS].name);
	}
	return (int)n;
}

static int virtio_xstats_get(struct px_eth_dev *dev, struct px_eth_xstat *xstats, unsigned int size)
{
	unsigned int n = virtio_xstats_count(dev), q;
	const char *dir;

	if (xstats == NULL || size < n)
		return (int)n;
	for (unsigned int i = 0; i < n; i++) {
		struct virtio_queue *vq = xstat_queue(dev, i, &dir, &q);
		size_t off = virtio_q_xstats[i % VIRTIO_NB_Q_XSTATS].off;

		xstats[i].id = i;
		xstats[i].value = vq ? px_counter64_fetch(
					       (const px_counter64_t *)((const char *)&vq->c + off))
				     : 0;
	}
	return (int)n;
}

static void virtio_counters_reset(struct virtio_queue *vq)
{
	if (vq == NULL)
		return;
	eth_queue_stats_reset(&vq->st);
	px_counter64_reset(&vq->c.descs);
	px_counter64_reset(&vq->c.notifies);
	px_counter64_reset(&vq->c.suppressed);
	px_counter64_reset(&vq->c.bursts);
}

static int virtio_stats_reset(struct px_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++)
		virtio_counters_reset(dev->rx_queues[q]);
	for (uint16_t q = 0; q < dev->nb_tx_queues; q++)
		virtio_counters_reset(dev->tx_queues[q]);
	return 0;
}

/* ---- receive filters (control queue) ------------------------------------------------------ */

/* Stopped, the mode is only noted (start applies it); started, the device is told. ethdev sets
 * the flag after the op succeeds; the ops set it first, for virtio_rx_mode_apply(). */
static int virtio_rx_mode_set(struct px_eth_dev *dev, uint8_t cmd, bool on)
{
	struct virtio_adapter *ad = adapter_of(dev);

	if (!has(ad->dev_features, VIRTIO_NET_F_CTRL_RX))
		return -ENOTSUP;
	if (cmd == VIRTIO_NET_CTRL_RX_PROMISC)
		dev->promiscuous = on;
	else
		dev->all_multicast = on;
	return dev->started ? virtio_rx_mode(dev, cmd, on) : 0;
}

static int virtio_promiscuous_enable(struct px_eth_dev *dev)
{
	return virtio_rx_mode_set(dev, VIRTIO_NET_CTRL_RX_PROMISC, true);
}

static int virtio_promiscuous_disable(struct px_eth_dev *dev)
{
	return virtio_rx_mode_set(dev, VIRTIO_NET_CTRL_RX_PROMISC, false);
}

static int virtio_allmulticast_enable(struct px_eth_dev *dev)
{
	return virtio_rx_mode_set(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, true);
}

static int virtio_allmulticast_disable(struct px_eth_dev *dev)
{
	return virtio_rx_mode_set(dev, VIRTIO_NET_CTRL_RX_ALLMULTI, false);
}

/* Stopped, the address is only noted (ethdev keeps it; start applies it). */
static int virtio_mac_addr_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	if (!has(adapter_of(dev)->dev_features, VIRTIO_NET_F_CTRL_MAC_ADDR))
		return -ENOTSUP;
	return dev->started ? virtio_mac_addr_cmd(dev, mac) : 0;
}

static int virtio_mac_addr_add(struct px_eth_dev *dev, const struct px_ether_addr *mac,
			       uint32_t index)
{
	if (!has(adapter_of(dev)->dev_features, VIRTIO_NET_F_CTRL_RX))
		return -ENOTSUP;
	return dev->started ? virtio_mac_table_cmd(dev, index, mac) : 0;
}

static void virtio_mac_addr_remove(struct px_eth_dev *dev, uint32_t index)
{
	if (dev->started)
		virtio_mac_table_cmd(dev, index, NULL);
}

/* ethdev's VLAN set already has the change; stopped, start applies the set. */
static int virtio_vlan_filter_set(struct px_eth_dev *dev, uint16_t vlan_id, int on)
{
	struct virtio_adapter *ad = adapter_of(dev);

	if (!has(ad->dev_features, VIRTIO_NET_F_CTRL_VLAN) ||
	    !has(ad->dev_features, VIRTIO_NET_F_CTRL_VQ))
		return -ENOTSUP;
	return dev->started ? virtio_vlan_cmd(dev, vlan_id, on) : 0;
}

/* ---- RX interrupts ------------------------------------------------------------------------ */

/* Arm the queue's interrupt; a buffer used before the device could see the request would
 * raise none, so then the eventfd is signalled here: no wake-up is lost. */
static int virtio_rx_queue_intr_enable(struct px_eth_dev *dev, uint16_t q)
{
	struct virtio_adapter *ad = adapter_of(dev);

	if (q >= VIRTIO_MAX_QUEUE_PAIRS || ad->rx_intr_fd[q] < 0)
		return -EINVAL; /* not started */
	if (virtio_rx_intr_arm(dev->rx_queues[q]) && eventfd_write(ad->rx_intr_fd[q], 1) < 0)
		return -errno;
	return 0;
}

static int virtio_rx_queue_intr_disable(struct px_eth_dev *dev, uint16_t q)
{
	virtio_rx_intr_disarm(dev->rx_queues[q]);
	return 0;
}

static int virtio_rx_queue_intr_fd(struct px_eth_dev *dev, uint16_t q)
{
	struct virtio_adapter *ad = adapter_of(dev);

	return q >= VIRTIO_MAX_QUEUE_PAIRS || ad->rx_intr_fd[q] < 0 ? -EINVAL : ad->rx_intr_fd[q];
}

static const struct px_eth_dev_ops virtio_ops = {
	.dev_infos_get = virtio_dev_infos_get,
	.dev_configure = virtio_dev_configure,
	.dev_start = virtio_dev_start,
	.dev_stop = virtio_dev_stop,
	.dev_close = virtio_dev_close,
	.dev_reset = virtio_dev_reset,
	.mtu_set = virtio_mtu_set,
	.rx_queue_setup = virtio_rx_queue_setup,
	.tx_queue_setup = virtio_tx_queue_setup,
	.rx_queue_release = virtio_rx_queue_release,
	.tx_queue_release = virtio_tx_queue_release,
	.link_update = virtio_link_update,
	.stats_get = virtio_stats_get,
	.stats_reset = virtio_stats_reset,
	.xstats_get_names = virtio_xstats_get_names,
	.xstats_get = virtio_xstats_get,
	.xstats_reset = virtio_stats_reset,
	.promiscuous_enable = virtio_promiscuous_enable,
	.promiscuous_disable = virtio_promiscuous_disable,
	.allmulticast_enable = virtio_allmulticast_enable,
	.allmulticast_disable = virtio_allmulticast_disable,
	.mac_addr_set = virtio_mac_addr_set,
	.mac_addr_add = virtio_mac_addr_add,
	.mac_addr_remove = virtio_mac_addr_remove,
	.vlan_filter_set = virtio_vlan_filter_set,
	.rx_queue_intr_enable = virtio_rx_queue_intr_enable,
	.rx_queue_intr_disable = virtio_rx_queue_intr_disable,
	.rx_queue_intr_fd = virtio_rx_queue_intr_fd,
	.reta_update = virtio_rss_reta_update,
	.reta_query = virtio_rss_reta_query,
	.rss_hash_update = virtio_rss_hash_update,
	.rss_hash_conf_get = virtio_rss_hash_conf_get,
};

/* ---- probe / remove ----------------------------------------------------------------------- */

/* §5.1.4: the MAC address the device gives (VIRTIO_NET_F_MAC), else a random locally
 * administered one; the MTU limit (VIRTIO_NET_F_MTU), else 9000 with mergeable buffers. */
static void virtio_read_config(struct virtio_adapter *ad, struct px_eth_dev *dev)
{
	if (has(ad->dev_features, VIRTIO_NET_F_MAC)) {
		ad->hw->ops->read_dev_config(ad->hw, VIRTIO_NET_CFG_MAC, dev->mac.addr_bytes,
					     PX_ETHER_ADDR_LEN);
	} else {
		px_ether_addr_random(&dev->mac);
		VIRTIO_LOG(INFO, "%s: the device gives no MAC address: using a random one",
			   ad->hw->name);
	}
	ad->max_pairs = 1;
	if (has(ad->dev_features, VIRTIO_NET_F_MQ) && has(ad->dev_features, VIRTIO_NET_F_CTRL_VQ))
		ad->max_pairs = PX_MAX((uint16_t)1, PX_MIN(dev_cfg16(ad, VIRTIO_NET_CFG_MAX_PAIRS),
							   (uint16_t)VIRTIO_MAX_QUEUE_PAIRS));
	if (has(ad->dev_features, VIRTIO_NET_F_RSS)) {
		uint8_t key;

		ad->hw->ops->read_dev_config(ad->hw, VIRTIO_NET_CFG_RSS_MAX_KEY, &key, 1);
		ad->rss_max_key = key;
		ad->rss_max_table = dev_cfg16(ad, VIRTIO_NET_CFG_RSS_MAX_TABLE);
		ad->rss_types = dev_cfg32(ad, VIRTIO_NET_CFG_RSS_HASH_TYPES);
	}
	if (has(ad->dev_features, VIRTIO_NET_F_MTU))
		ad->max_mtu = dev_cfg16(ad, VIRTIO_NET_CFG_MTU);
	else
		ad->max_mtu = has(ad->dev_features, VIRTIO_NET_F_MRG_RXBUF) ? VIRTIO_JUMBO_MTU
									    : PX_ETHER_MTU;
}

int virtio_attach(struct virtio_adapter *ad, const char *name)
{
	struct virtio_hw *hw = ad->hw;
	struct px_eth_dev *dev;
	int ret = hw->ops->reset(hw);

	if (ret < 0)
		return ret;
	/* the device's offer and a first negotiation: a device that refuses is refused here */
	hw->ops->status_set(hw, VIRTIO_STATUS_ACKNOWLEDGE);
	ad->dev_features = hw->ops->device_features(hw);
	ad->lsc_fd = -1;
	for (unsigned int q = 0; q < VIRTIO_MAX_QUEUE_PAIRS; q++)
		ad->rx_intr_fd[q] = -1;
	ret = virtio_check_offer(ad);
	if (ret == 0)
		ret = virtio_negotiate(ad, NULL);
	if (ret < 0)
		goto reset;
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		goto reset;
	}
	virtio_read_config(ad, dev);
	dev->dev_private = ad;
	dev->ops = &virtio_ops;
	virtio_set_bursts(dev);
	dev->mtu = PX_ETHER_MTU;
	dev->dev_flags = PX_ETH_DEV_F_QUEUE_XSTATS;
	ad->eth = dev;
	eth_dev_probing_finish(dev);
	VIRTIO_LOG(INFO,
		   "%s: port %u, MAC %02x:%02x:%02x:%02x:%02x:%02x, features %#" PRIx64
		   " (offered %#" PRIx64 "), %s rings",
		   name, dev->port_id, dev->mac.addr_bytes[0], dev->mac.addr_bytes[1],
		   dev->mac.addr_bytes[2], dev->mac.addr_bytes[3], dev->mac.addr_bytes[4],
		   dev->mac.addr_bytes[5], ad->features, ad->dev_features,
		   ad->packed ? "packed" : "split");
	return 0;

reset:
	virtio_quiesce(ad);
	return ret;
}

static int virtio_probe(struct px_pci_driver *drv, struct px_pci_device *pci)
{
	struct virtio_adapter *ad = calloc(1, sizeof(*ad));
	struct virtio_pci *vp = calloc(1, sizeof(*vp));
	int ret = -ENOMEM;

	(void)drv;
	if (ad == NULL || vp == NULL)
		goto free_adapter;
	ad->pci = pci;
	ad->hw = &vp->hw;
	ret = virtio_parse_devargs(ad);
	if (ret == 0)
		ret = virtio_pci_init(vp, pci);
	if (ret == 0)
		ret = pci_bus_master(pci, false);
	if (ret == 0)
		ret = virtio_attach(ad, pci->name);
	if (ret < 0)
		goto free_adapter;
	/* the configuration vector reports link changes (VIRTIO_NET_F_STATUS) */
	if (has(ad->dev_features, VIRTIO_NET_F_STATUS))
		ad->eth->dev_flags |= PX_ETH_DEV_F_INTR_LSC;
	pci->priv = ad;
	return 0;

free_adapter:
	free(vp);
	free(ad);
	return ret;
}

/* At bus cleanup: close the port if the application did not. */
static int virtio_remove(struct px_pci_device *pci)
{
	return pci->priv ? eth_dev_close_by_name(pci->name) : 0;
}

/* The kernel asks for the device back (unplug): the port stops bursting and tells the
 * application (PX_ETH_EVENT_INTR_RMV), which closes it; the close releases the device. */
static void virtio_request(struct px_pci_device *pci)
{
	if (pci->priv)
		eth_dev_removed_by_name(pci->name);
}

/* ---- registration ------------------------------------------------------------------------- */

static const struct px_pci_id virtio_ids[] = {
	/* §4.1.2: the modern network device; the transitional one has the modern interface too
	 * unless QEMU's disable-modern=on (virtio_pci_init refuses that) */
	{VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET_MODERN, PX_PCI_ANY_ID, PX_PCI_ANY_ID},
	{VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET_LEGACY, PX_PCI_ANY_ID, PX_PCI_ANY_ID},
	{0, 0, 0, 0},
};

static struct px_pci_driver virtio_driver = {
	.name = VIRTIO_DRIVER_NAME,
	.id_table = virtio_ids,
	.probe = virtio_probe,
	.remove = virtio_remove,
	.request = virtio_request,
};

void vhost_driver_register(void); /* net_vhost (vhost_ethdev.c) */
void virtio_user_register(void);  /* net_virtio_user (virtio_user.c) */
void driver_init_virtio(void);
void driver_init_virtio(void)
{
	pci_driver_register_builtin(&virtio_driver);
	vhost_driver_register();
	virtio_user_register();
}

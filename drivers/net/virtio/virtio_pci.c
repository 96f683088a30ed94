/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio modern PCI transport (VIRTIO 1.2 §4.1): the vendor-specific capabilities walked
 * from config space, the common configuration structure (status, features, queues), the notify
 * region and the device configuration, all through the BARs lib/pci mapped. Legacy (0.9.5)
 * I/O-port devices are not handled: QEMU's virtio-net-pci with disable-legacy=on, or any
 * modern device, is what this driver drives.
 */
#include <endian.h>
#include <inttypes.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "bus_pci_driver.h"
#include "px_log.h"

#include "virtio.h"

#define VIRTIO_RESET_WAIT_MS 1000
#define VIRTIO_MAX_CAPS 48 /* 192 bytes of capability space / 4: a loop guard */

static const struct virtio_transport virtio_pci_ops;

PX_LOG_REGISTER(virtio_pci_logtype, "pmd.net.virtio.pci", DEFAULT);
#define VPCI_LOG(lvl, ...) PX_LOG(lvl, virtio_pci_logtype, __VA_ARGS__)

/* MMIO helpers: the structures are little-endian (§4.1.3), accessed with their field's width
 * (§4.1.3.1: the driver MUST access each field with the width of its type). */
static inline uint8_t rd8(volatile uint8_t *b, uint32_t off)
{
	return *(volatile uint8_t *)(b + off);
}

static inline uint16_t rd16(volatile uint8_t *b, uint32_t off)
{
	return le16toh(*(volatile uint16_t *)(b + off));
}

static inline uint32_t rd32(volatile uint8_t *b, uint32_t off)
{
	return le32toh(*(volatile uint32_t *)(b + off));
}

static inline void wr8(volatile uint8_t *b, uint32_t off, uint8_t v)
{
	*(volatile uint8_t *)(b + off) = v;
}

static inline void wr16(volatile uint8_t *b, uint32_t off, uint16_t v)
{
	*(volatile uint16_t *)(b + off) = htole16(v);
}

static inline void wr32(volatile uint8_t *b, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = htole32(v);
}

/* §4.1.3.1: 64-bit fields may be written as two 32-bit halves, low first */
static inline void wr64(volatile uint8_t *b, uint32_t off, uint64_t v)
{
	wr32(b, off, (uint32_t)v);
	wr32(b, off + 4, (uint32_t)(v >> 32));
}

/* The structure a capability points at: inside a mapped BAR, or NULL with a log line. */
static volatile uint8_t *cap_map(struct px_pci_device *pci, const struct virtio_pci_cap *cap)
{
	uint32_t off = le32toh(cap->offset), len = le32toh(cap->length);

	if (cap->bar >= PX_PCI_MAX_BARS || pci->bar[cap->bar] == NULL) {
		VPCI_LOG(ERR, "%s: virtio structure %u is in BAR%u, which is not mapped", pci->name,
			 cap->cfg_type, cap->bar);
		return NULL;
	}
	if ((uint64_t)off + len > pci->bar_len[cap->bar]) {
		VPCI_LOG(ERR, "%s: virtio structure %u (BAR%u + %#x, %u bytes) lies past the BAR",
			 pci->name, cap->cfg_type, cap->bar, off, len);
		return NULL;
	}
	return (volatile uint8_t *)pci->bar[cap->bar] + off;
}

/* One vendor-specific capability at @pos: note the structure it describes. The first of each
 * type is the one to use (§4.1.4: the device may offer several, in order of preference). */
static int cap_take(struct virtio_pci *vp, uint8_t pos)
{
	struct virtio_pci_notify_cap ncap;
	struct virtio_pci_cap *cap = &ncap.cap;
	volatile uint8_t *p;
	int ret;

	ret = px_pci_cfg_read(vp->pci, pos, cap, sizeof(*cap));
	if (ret < 0)
		return ret;
	switch (cap->cfg_type) {
	case VIRTIO_PCI_CAP_COMMON_CFG:
		if (vp->common == NULL && le32toh(cap->length) >= VIRTIO_PCI_COMMON_LEN)
			vp->common = cap_map(vp->pci, cap);
		break;
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		if (vp->notify_base != NULL)
			break;
		ret = px_pci_cfg_read(vp->pci, pos, &ncap, sizeof(ncap));
		if (ret < 0)
			return ret;
		p = cap_map(vp->pci, cap);
		if (p != NULL) {
			vp->notify_base = p;
			vp->notify_mul = le32toh(ncap.notify_off_multiplier);
			vp->notify_len = le32toh(cap->length);
		}
		break;
	case VIRTIO_PCI_CAP_ISR_CFG:
		if (vp->isr == NULL)
			vp->isr = cap_map(vp->pci, cap);
		break;
	case VIRTIO_PCI_CAP_DEVICE_CFG:
		if (vp->device == NULL && (p = cap_map(vp->pci, cap)) != NULL) {
			vp->device = p;
			vp->device_len = le32toh(cap->length);
		}
		break;
	default: /* PCI configuration access, shared memory: not used */
		break;
	}
	return 0;
}

int virtio_pci_init(struct virtio_pci *vp, struct px_pci_device *pci)
{
	uint16_t status;
	uint8_t pos, hdr[2];
	int ret;

	memset(vp, 0, sizeof(*vp));
	vp->hw.ops = &virtio_pci_ops;
	vp->hw.name = pci->name;
	vp->pci = pci;
	ret = px_pci_cfg_read(pci, PCI_STATUS, &status, sizeof(status));
	if (ret < 0)
		return ret;
	if (!(le16toh(status) & PCI_STATUS_CAP_LIST)) {
		VPCI_LOG(ERR,
			 "%s: no PCI capability list: a legacy-only virtio device (QEMU: use "
			 "disable-legacy=on or a modern machine type)",
			 pci->name);
		return -ENODEV;
	}
	ret = px_pci_cfg_read(pci, PCI_CAPABILITY_LIST, &pos, 1);
	for (int i = 0; ret == 0 && pos >= 0x40 && i < VIRTIO_MAX_CAPS; i++) {
		pos &= ~3u;
		ret = px_pci_cfg_read(pci, pos, hdr, sizeof(hdr));
		if (ret == 0 && hdr[0] == PCI_CAP_ID_VNDR)
			ret = cap_take(vp, pos);
		pos = hdr[1];
	}
	if (ret < 0)
		return ret;
	if (vp->common == NULL || vp->notify_base == NULL || vp->device == NULL) {
		VPCI_LOG(ERR,
			 "%s: virtio capabilities missing (common %s, notify %s, device %s): not a "
			 "modern (virtio 1.0+) device; QEMU: virtio-net-pci,disable-legacy=on",
			 pci->name, vp->common ? "yes" : "no", vp->notify_base ? "yes" : "no",
			 vp->device ? "yes" : "no");
		return -ENODEV;
	}
	return 0;
}

static struct virtio_pci *vp_of(struct virtio_hw *hw)
{
	return px_container_of(hw, struct virtio_pci, hw);
}

static uint8_t virtio_pci_status(struct virtio_hw *hw)
{
	return rd8(vp_of(hw)->common, VIRTIO_PCI_COMMON_STATUS);
}

static void virtio_pci_status_set(struct virtio_hw *hw, uint8_t bits)
{
	wr8(vp_of(hw)->common, VIRTIO_PCI_COMMON_STATUS, (uint8_t)(virtio_pci_status(hw) | bits));
}

/* §4.1.4.3.2: after writing 0 the driver waits until device_status reads 0 (the device may
 * still be finishing DMA until then). */
static int virtio_pci_reset(struct virtio_hw *hw)
{
	wr8(vp_of(hw)->common, VIRTIO_PCI_COMMON_STATUS, 0);
	for (unsigned int ms = 0; virtio_pci_status(hw) != 0; ms++) {
		if (ms == VIRTIO_RESET_WAIT_MS)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

/* §4.1.4.3: 32 feature bits at a time, chosen by the select register */
static uint64_t virtio_pci_device_features(struct virtio_hw *hw)
{
	struct virtio_pci *vp = vp_of(hw);
	uint64_t f;

	wr32(vp->common, VIRTIO_PCI_COMMON_DFSELECT, 0);
	f = rd32(vp->common, VIRTIO_PCI_COMMON_DF);
	wr32(vp->common, VIRTIO_PCI_COMMON_DFSELECT, 1);
	return f | (uint64_t)rd32(vp->common, VIRTIO_PCI_COMMON_DF) << 32;
}

static void virtio_pci_driver_features(struct virtio_hw *hw, uint64_t features)
{
	struct virtio_pci *vp = vp_of(hw);

	wr32(vp->common, VIRTIO_PCI_COMMON_GFSELECT, 0);
	wr32(vp->common, VIRTIO_PCI_COMMON_GF, (uint32_t)features);
	wr32(vp->common, VIRTIO_PCI_COMMON_GFSELECT, 1);
	wr32(vp->common, VIRTIO_PCI_COMMON_GF, (uint32_t)(features >> 32));
}

static uint16_t virtio_pci_queue_max(struct virtio_hw *hw, uint16_t q)
{
	struct virtio_pci *vp = vp_of(hw);

	wr16(vp->common, VIRTIO_PCI_COMMON_Q_SELECT, q);
	return rd16(vp->common, VIRTIO_PCI_COMMON_Q_SIZE);
}

/* §4.1.5.1.3 virtqueue configuration, before DRIVER_OK; MSI-X vector @vector or
 * VIRTIO_MSI_NO_VECTOR (the driver polls). §4.1.5.1.2: a vector the device cannot use reads
 * back as VIRTIO_MSI_NO_VECTOR. */
static int virtio_pci_queue_setup(struct virtio_hw *hw, struct virtio_queue *vq, uint16_t vector)
{
	struct virtio_pci *vp = vp_of(hw);
	volatile uint8_t *c = vp->common;
	uint16_t q = vq->vq_index;
	uint64_t off;

	wr16(c, VIRTIO_PCI_COMMON_Q_SELECT, q);
	wr16(c, VIRTIO_PCI_COMMON_Q_SIZE, vq->nb_desc);
	wr16(c, VIRTIO_PCI_COMMON_Q_MSIX, vector);
	if (rd16(c, VIRTIO_PCI_COMMON_Q_MSIX) != vector) {
		VPCI_LOG(ERR, "%s: queue %u: the device refused MSI-X vector %u", vp->pci->name, q,
			 vector);
		return -EIO;
	}
	/* the split ring's desc/avail/used and the packed ring's desc/driver/device overlay */
	wr64(c, VIRTIO_PCI_COMMON_Q_DESCLO, virtio_ring_iova(vq, vq->split.desc));
	wr64(c, VIRTIO_PCI_COMMON_Q_AVAILLO, virtio_ring_iova(vq, vq->split.avail));
	wr64(c, VIRTIO_PCI_COMMON_Q_USEDLO, virtio_ring_iova(vq, vq->split.used));
	/* §4.1.4.4: the queue's notification address is cap.offset + queue_notify_off *
	 * notify_off_multiplier, a 16-bit register */
	off = (uint64_t)rd16(c, VIRTIO_PCI_COMMON_Q_NOFF) * vp->notify_mul;
	if (off + sizeof(uint16_t) > vp->notify_len) {
		VPCI_LOG(ERR, "%s: queue %u: notify offset %#" PRIx64 " outside the %u-byte region",
			 vp->pci->name, q, off, vp->notify_len);
		return -EIO;
	}
	wr16(c, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	vq->notify = (volatile uint16_t *)(vp->notify_base + off);
	return 0;
}

/* §4.1.4.3.1 / §2.5.1: read until config_generation is the same before and after. A 16- or
 * 32-bit field is read with its own width (§4.1.3.1), an array of bytes byte by byte; the
 * value is copied out as the device holds it (little-endian). */
static void virtio_pci_read_dev_config(struct virtio_hw *hw, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_pci *vp = vp_of(hw);
	uint16_t v16;
	uint32_t v32;
	uint8_t gen;

	if (off + len > vp->device_len) {
		memset(buf, 0, len);
		return;
	}
	do {
		gen = rd8(vp->common, VIRTIO_PCI_COMMON_CFGGEN);
		if (len == 2) {
			v16 = htole16(rd16(vp->device, off));
			memcpy(buf, &v16, 2);
		} else if (len == 4) {
			v32 = htole32(rd32(vp->device, off));
			memcpy(buf, &v32, 4);
		} else {
			for (uint32_t i = 0; i < len; i++)
				((uint8_t *)buf)[i] = rd8(vp->device, off + i);
		}
	} while (gen != rd8(vp->common, VIRTIO_PCI_COMMON_CFGGEN));
}

static int virtio_pci_dma_enable(struct virtio_hw *hw, bool on)
{
	return pci_bus_master(vp_of(hw)->pci, on);
}

/* MSI-X vectors 0 .. @n-1, an eventfd each. */
static int virtio_pci_intr_vectors(struct virtio_hw *hw, unsigned int n, int *fds)
{
	struct virtio_pci *vp = vp_of(hw);
	int ret = px_pci_intr_enable(vp->pci, n, fds);

	if (ret == 0)
		vp->intr_on = true;
	return ret;
}

/* One MSI-X vector (0), for RX queue 0. */
static int virtio_pci_intr_enable(struct virtio_hw *hw, int *fd)
{
	return virtio_pci_intr_vectors(hw, 1, fd);
}

/* §4.1.4.3 config_msix_vector; §4.1.5.1.2: a vector the device cannot use reads back as
 * VIRTIO_MSI_NO_VECTOR. */
static int virtio_pci_config_vector(struct virtio_hw *hw, uint16_t vector)
{
	struct virtio_pci *vp = vp_of(hw);

	wr16(vp->common, VIRTIO_PCI_COMMON_MSIX, vector);
	if (rd16(vp->common, VIRTIO_PCI_COMMON_MSIX) != vector) {
		VPCI_LOG(ERR, "%s: the device refused MSI-X vector %u for configuration changes",
			 vp->pci->name, vector);
		return -EIO;
	}
	return 0;
}

static void virtio_pci_intr_disable(struct virtio_hw *hw)
{
	struct virtio_pci *vp = vp_of(hw);

	if (vp->intr_on)
		px_pci_intr_disable(vp->pci);
	vp->intr_on = false;
}

/* A device being removed goes back to the kernel now, which completes the unplug. */
static int virtio_pci_close(struct virtio_hw *hw, bool removed)
{
	struct px_pci_device *pci = vp_of(hw)->pci;

	pci->priv = NULL;
	free(vp_of(hw));
	return removed ? px_pci_release(pci) : 0;
}

static const struct virtio_transport virtio_pci_ops = {
	.reset = virtio_pci_reset,
	.status = virtio_pci_status,
	.status_set = virtio_pci_status_set,
	.device_features = virtio_pci_device_features,
	.driver_features = virtio_pci_driver_features,
	.queue_max = virtio_pci_queue_max,
	.queue_setup = virtio_pci_queue_setup,
	.read_dev_config = virtio_pci_read_dev_config,
	.dma_enable = virtio_pci_dma_enable,
	.intr_enable = virtio_pci_intr_enable,
	.intr_vectors = virtio_pci_intr_vectors,
	.config_vector = virtio_pci_config_vector,
	.intr_disable = virtio_pci_intr_disable,
	.close = virtio_pci_close,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net PMD: the control virtqueue (VIRTIO_NET_F_CTRL_VQ, VIRTIO 1.2 §5.1.6.5). A command
 * is one chain: the driver-readable class, command and data, then the device-writable ack
 * byte. Commands are rare (a filter change), so they are synchronous: the chain is made
 * available, the device notified, and its used entry polled for with a time limit. The queue
 * has the layout of the others (split or packed) and always uses id 0, one chain at a time.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "virtio.h"

#define VIRTIO_CTRL_WAIT_US 1000000
#define VIRTIO_NET_OK 0

/* The command buffer, after the ring in the queue's memzone (virtio_ctrl_buf_off()). */
struct virtio_ctrl_buf {
	uint8_t class;
	uint8_t cmd;
	uint8_t data[VIRTIO_CTRL_DATA_MAX];
	uint8_t ack; /* device-writable */
};

static void ctrl_post_split(struct virtio_queue *vq, uint64_t cmd, uint32_t len, uint64_t ack)
{
	volatile struct vring_desc *d = vq->split.desc;

	d[0].addr = htole64(cmd);
	d[0].len = htole32(len);
	d[0].flags = htole16(VRING_DESC_F_NEXT);
	d[0].next = htole16(1);
	d[1].addr = htole64(ack);
	d[1].len = htole32(1);
	d[1].flags = htole16(VRING_DESC_F_WRITE);
	vq->split.avail->ring[vq->avail_idx & vq->mask] = 0;
	vq->avail_idx++;
	px_io_wmb();
	vq->split.avail->idx = htole16(vq->avail_idx);
}

static bool ctrl_done_split(struct virtio_queue *vq)
{
	if (le16toh(vq->split.used->idx) == vq->used_idx)
		return false;
	vq->used_idx++;
	return true;
}

/* Packed (§2.8): two descriptors under id 0 at the next positions, the first's flags last. */
static void ctrl_post_packed(struct virtio_queue *vq, uint64_t cmd, uint32_t len, uint64_t ack)
{
	uint16_t pos[2], flags[2];

	for (int i = 0; i < 2; i++) {
		pos[i] = vq->avail_idx;
		flags[i] = vq->avail_wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED;
		if (++vq->avail_idx == vq->nb_desc) {
			vq->avail_idx = 0;
			vq->avail_wrap = !vq->avail_wrap;
		}
	}
	vq->packed.desc[pos[1]].addr = htole64(ack);
	vq->packed.desc[pos[1]].len = htole32(1);
	vq->packed.desc[pos[1]].id = 0;
	vq->packed.desc[pos[1]].flags = htole16(flags[1] | VRING_DESC_F_WRITE);
	vq->packed.desc[pos[0]].addr = htole64(cmd);
	vq->packed.desc[pos[0]].len = htole32(len);
	vq->packed.desc[pos[0]].id = 0;
	px_io_wmb();
	vq->packed.desc[pos[0]].flags = htole16(flags[0] | VRING_DESC_F_NEXT);
}

/* The chain's used descriptor (AVAIL == USED == the used wrap counter) is at used_idx. */
static bool ctrl_done_packed(struct virtio_queue *vq)
{
	uint16_t f = le16toh(vq->packed.desc[vq->used_idx].flags);
	bool avail = f & VRING_PACKED_DESC_F_AVAIL, used = f & VRING_PACKED_DESC_F_USED;

	if (avail != used || used != vq->used_wrap)
		return false;
	vq->used_idx = (uint16_t)(vq->used_idx + 2);
	if (vq->used_idx >= vq->nb_desc) {
		vq->used_idx = (uint16_t)(vq->used_idx - vq->nb_desc);
		vq->used_wrap = !vq->used_wrap;
	}
	return true;
}

size_t virtio_ctrl_buf_size(void)
{
	return sizeof(struct virtio_ctrl_buf);
}

int virtio_ctrl_cmd(struct virtio_queue *vq, uint8_t class, uint8_t cmd, const void *data,
		    uint32_t len)
{
	struct virtio_ctrl_buf *b = vq->ctrl_buf;
	uint64_t iova = vq->ctrl_buf_iova;

	if (len > VIRTIO_CTRL_DATA_MAX)
		return -EINVAL;
	b->class = class;
	b->cmd = cmd;
	memcpy(b->data, data, len);
	b->ack = 0xff;
	if (vq->packed_ring)
		ctrl_post_packed(vq, iova, 2 + len, iova + offsetof(struct virtio_ctrl_buf, ack));
	else
		ctrl_post_split(vq, iova, 2 + len, iova + offsetof(struct virtio_ctrl_buf, ack));
	px_smp_mb();
	virtio_notify(vq);
	for (unsigned int us = 0; !(vq->packed_ring ? ctrl_done_packed(vq) : ctrl_done_split(vq));
	     us += 10) {
		if (us >= VIRTIO_CTRL_WAIT_US)
			return -ETIMEDOUT;
		usleep(10);
	}
	px_io_rmb();
	return *(volatile uint8_t *)&b->ack == VIRTIO_NET_OK ? 0 : -EIO;
}

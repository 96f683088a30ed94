/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net PMD: the control virtqueue (VIRTIO_NET_F_CTRL_VQ, VIRTIO 1.2 §5.1.6.5). A command
 * is one chain: the driver-readable class, command and data, then the device-writable ack
 * byte. Commands are rare (a filter change), so they are synchronous: the chain is made
 * available, the device notified, and its used entry polled for with a time limit. The queue
 * has the layout of the others (split or packed) and always uses id 0, one chain at a time.
 *
 * RSS (VIRTIO_NET_F_RSS, §5.1.6.5.7.1) is one such command, RSS_CONFIG: the hash types, key and
 * indirection table the port keeps here are sent whole at each start and on each change
 * through ethdev's RSS API (px_eth_dev_rss_reta_update, px_eth_dev_rss_hash_update).
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

static_assert(sizeof(struct virtio_net_rss_config_head) + 2 * VIRTIO_RSS_RETA_MAX + 3 + UINT8_MAX <=
		      VIRTIO_CTRL_DATA_MAX,
	      "RSS_CONFIG with the largest table and key fits a command");

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

/* ---- RSS (VIRTIO_NET_F_RSS, §5.1.6.5.7.1) ------------------------------------------------- */

/* Hash types of the device for ethdev's rss_hf, and back. */
static const struct {
	uint64_t hf;
	uint32_t type;
} virtio_rss_map[] = {
	{PX_ETH_RSS_IPV4, VIRTIO_NET_RSS_HASH_TYPE_IPV4},
	{PX_ETH_RSS_NONFRAG_IPV4_TCP, VIRTIO_NET_RSS_HASH_TYPE_TCPV4},
	{PX_ETH_RSS_NONFRAG_IPV4_UDP, VIRTIO_NET_RSS_HASH_TYPE_UDPV4},
	{PX_ETH_RSS_IPV6, VIRTIO_NET_RSS_HASH_TYPE_IPV6},
	{PX_ETH_RSS_NONFRAG_IPV6_TCP, VIRTIO_NET_RSS_HASH_TYPE_TCPV6},
	{PX_ETH_RSS_NONFRAG_IPV6_UDP, VIRTIO_NET_RSS_HASH_TYPE_UDPV6},
};

uint64_t virtio_rss_hf(uint32_t types)
{
	uint64_t hf = 0;

	for (size_t i = 0; i < PX_DIM(virtio_rss_map); i++)
		if (types & virtio_rss_map[i].type)
			hf |= virtio_rss_map[i].hf;
	return hf;
}

static uint32_t virtio_rss_types(uint64_t hf)
{
	uint32_t types = 0;

	for (size_t i = 0; i < PX_DIM(virtio_rss_map); i++)
		if (hf & virtio_rss_map[i].hf)
			types |= virtio_rss_map[i].type;
	return types;
}

/* The default RSS key (Microsoft's, as most NICs and DPDK use) when the port gives none. */
static const uint8_t virtio_rss_default_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};

/* The table's length is indirection_table_mask + 1, so a power of two, at most what the
 * device takes (rss_max_indirection_table_length). */
uint16_t virtio_rss_reta_size(const struct virtio_adapter *ad)
{
	uint64_t need = VIRTIO_BIT(VIRTIO_NET_F_RSS) | VIRTIO_BIT(VIRTIO_NET_F_MQ);
	uint16_t n = VIRTIO_RSS_RETA_MAX;

	if ((ad->dev_features & need) != need)
		return 0;
	while (n > ad->rss_max_table)
		n /= 2;
	return n;
}

int virtio_rss_configure(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = dev->dev_private;
	const struct px_eth_rss_conf *rc = &dev->conf.rx_adv_conf.rss_conf;
	bool rss = dev->conf.rxmode.mq_mode == PX_ETH_MQ_RX_RSS;
	bool own = rss && rc->rss_key != NULL && rc->rss_key_len > 0;

	if (virtio_rss_reta_size(ad) == 0)
		return 0;
	if (own && rc->rss_key_len > ad->rss_max_key) {
		VIRTIO_LOG(ERR,
			   "%s: RSS key of %u bytes; the device takes up to %u (hash_key_size)",
			   dev->name, rc->rss_key_len, ad->rss_max_key);
		return -EINVAL;
	}
	ad->rss_key_len = own ? rc->rss_key_len
			      : (uint8_t)PX_MIN(sizeof(virtio_rss_default_key), ad->rss_max_key);
	memcpy(ad->rss_key, own ? rc->rss_key : virtio_rss_default_key, ad->rss_key_len);
	ad->rss_hf = rss ? rc->rss_hf : 0;
	if (ad->rss_reta_nq != dev->nb_rx_queues) {
		for (uint16_t i = 0; i < VIRTIO_RSS_RETA_MAX; i++)
			ad->rss_reta[i] = (uint16_t)(i % PX_MAX(dev->nb_rx_queues, (uint16_t)1));
		ad->rss_reta_nq = dev->nb_rx_queues;
	}
	return 0;
}

/* RSS_CONFIG with @reta, @hf and @key (@key_len bytes): unclassified packets to queue 0, as
 * many TX queues as the port has. */
static int virtio_rss_send(struct px_eth_dev *dev, const uint16_t *reta, uint64_t hf,
			   const uint8_t *key, uint8_t key_len)
{
	struct virtio_adapter *ad = dev->dev_private;
	uint8_t buf[VIRTIO_CTRL_DATA_MAX];
	struct virtio_net_rss_config_head head = {.unclassified_queue = 0};
	uint16_t size = virtio_rss_reta_size(ad), le;
	size_t off = sizeof(head);
	int ret;

	head.hash_types = htole32(virtio_rss_types(hf) & ad->rss_types);
	head.indirection_table_mask = htole16((uint16_t)(size - 1));
	memcpy(buf, &head, sizeof(head));
	for (uint16_t i = 0; i < size; i++, off += 2) {
		le = htole16(reta[i]);
		memcpy(buf + off, &le, 2);
	}
	le = htole16(dev->nb_tx_queues);
	memcpy(buf + off, &le, 2);
	buf[off + 2] = key_len;
	memcpy(buf + off + 3, key, key_len);
	off += 3 + key_len;
	ret = virtio_ctrl_cmd(ad->cvq, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG, buf,
			      (uint32_t)off);
	if (ret < 0)
		VIRTIO_LOG(ERR, "%s: control queue, RSS configuration: %s", dev->name,
			   strerror(-ret));
	return ret;
}

int virtio_rss_apply(struct px_eth_dev *dev)
{
	struct virtio_adapter *ad = dev->dev_private;

	return virtio_rss_send(dev, ad->rss_reta, ad->rss_hf, ad->rss_key, ad->rss_key_len);
}

/* A change reaches the device at once while it runs RSS; otherwise at the next start. */
static bool virtio_rss_live(const struct px_eth_dev *dev)
{
	const struct virtio_adapter *ad = dev->dev_private;

	return dev->started && (ad->features & VIRTIO_BIT(VIRTIO_NET_F_RSS)) && ad->cvq != NULL;
}

int virtio_rss_reta_update(struct px_eth_dev *dev, const struct px_eth_rss_reta_entry64 *conf,
			   uint16_t size)
{
	struct virtio_adapter *ad = dev->dev_private;
	uint16_t reta[VIRTIO_RSS_RETA_MAX];
	int ret = 0;

	memcpy(reta, ad->rss_reta, sizeof(reta));
	for (uint16_t e = 0; e < size; e++) {
		const struct px_eth_rss_reta_entry64 *g = &conf[e / PX_ETH_RETA_GROUP_SIZE];

		if (g->mask >> (e % PX_ETH_RETA_GROUP_SIZE) & 1)
			reta[e] = g->reta[e % PX_ETH_RETA_GROUP_SIZE];
	}
	if (virtio_rss_live(dev))
		ret = virtio_rss_send(dev, reta, ad->rss_hf, ad->rss_key, ad->rss_key_len);
	if (ret == 0)
		memcpy(ad->rss_reta, reta, sizeof(reta));
	return ret;
}

int virtio_rss_reta_query(struct px_eth_dev *dev, struct px_eth_rss_reta_entry64 *conf,
			  uint16_t size)
{
	const struct virtio_adapter *ad = dev->dev_private;

	for (uint16_t e = 0; e < size; e++) {
		struct px_eth_rss_reta_entry64 *g = &conf[e / PX_ETH_RETA_GROUP_SIZE];

		if (g->mask >> (e % PX_ETH_RETA_GROUP_SIZE) & 1)
			g->reta[e % PX_ETH_RETA_GROUP_SIZE] = ad->rss_reta[e];
	}
	return 0;
}

int virtio_rss_hash_update(struct px_eth_dev *dev, const struct px_eth_rss_conf *conf)
{
	struct virtio_adapter *ad = dev->dev_private;
	const uint8_t *key = conf->rss_key ? conf->rss_key : ad->rss_key;
	uint8_t key_len = conf->rss_key ? conf->rss_key_len : ad->rss_key_len;
	int ret = 0;

	if (virtio_rss_reta_size(ad) == 0)
		return -ENOTSUP;
	if (virtio_rss_live(dev))
		ret = virtio_rss_send(dev, ad->rss_reta, conf->rss_hf, key, key_len);
	if (ret < 0)
		return ret;
	memmove(ad->rss_key, key, key_len);
	ad->rss_key_len = key_len;
	ad->rss_hf = conf->rss_hf;
	return 0;
}

int virtio_rss_hash_conf_get(struct px_eth_dev *dev, struct px_eth_rss_conf *conf)
{
	const struct virtio_adapter *ad = dev->dev_private;

	if (virtio_rss_reta_size(ad) == 0)
		return -ENOTSUP;
	conf->rss_hf = ad->rss_hf;
	if (conf->rss_key != NULL) {
		memcpy(conf->rss_key, ad->rss_key, ad->rss_key_len);
		conf->rss_key_len = ad->rss_key_len;
	}
	return 0;
}

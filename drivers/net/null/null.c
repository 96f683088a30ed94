/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null: a port that receives packets out of thin air and drops what it transmits.
 * The instrument for measuring the forwarding path without a NIC (px-fwd, bench/).
 *
 *   --vdev net_null0[,size=64][,copy=0|1][,no-rx=0|1]
 *
 * RX allocates a burst of mbufs of `size` bytes from the queue's pool (copy=1 also writes their
 * data); TX frees what it is given (copy=1 reads the data first). no-rx=1 receives nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <px_counter.h>
#include <px_kvargs.h>
#include <px_mbuf.h>

#include "bus_vdev_driver.h"
#include "ethdev_driver.h"

#define NULL_MAX_QUEUES 16
#define NULL_DEFAULT_SIZE 64

static const char null_params[] = "size=<int> copy=<0|1> no-rx=<0|1>";

struct null_queue {
	struct px_mempool *mp; /* RX: where packets come from */
	uint32_t size;
	uint16_t port;
	struct eth_queue_stats stats; /* written by the queue's lcore, read by stats_get */
	uint8_t dummy[PX_MBUF_DEFAULT_DATAROOM] __px_cache_aligned; /* copy=1 target/source */
} __px_cache_aligned;

struct null_priv {
	uint32_t size;
	bool copy;
	bool no_rx;
	struct null_queue rxq[NULL_MAX_QUEUES];
	struct null_queue txq[NULL_MAX_QUEUES];
	uint64_t rx_nombuf;
};

PX_LOG_REGISTER(null_pmd_logtype, "pmd.net.null", DEFAULT)
#define NULL_LOG(lvl, ...) PX_LOG(lvl, null_pmd_logtype, __VA_ARGS__)

/* ---- burst functions, one per variant, chosen at probe ---- */

static __px_always_inline uint16_t null_rx_common(void *q, struct px_mbuf **pkts, uint16_t n,
						  bool copy)
{
	struct null_queue *nq = q;
	/* locals: the mbuf stores below could alias *nq, so its fields would be reloaded */
	const uint32_t size = nq->size;
	const uint16_t port = nq->port;

	if (px_unlikely(px_pktmbuf_alloc_bulk(nq->mp, pkts, n) != 0))
		return 0;
	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];

		m->data_len = (uint16_t)size;
		m->pkt_len = size;
		m->port = port;
		if (copy)
			memcpy(px_pktmbuf_mtod(m, void *), nq->dummy, size);
	}
	px_counter64_add(&nq->stats.pkts, n);
	px_counter64_add(&nq->stats.bytes, (uint64_t)n * size);
	return n;
}

static uint16_t null_rx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	return null_rx_common(q, pkts, n, false);
}

static uint16_t null_rx_copy(void *q, struct px_mbuf **pkts, uint16_t n)
{
	return null_rx_common(q, pkts, n, true);
}

static uint16_t null_rx_none(void *q, struct px_mbuf **pkts, uint16_t n)
{
	(void)q, (void)pkts, (void)n;
	return 0;
}

static uint16_t null_tx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct null_queue *nq = q;
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	/* count before the free: then only n lives across the call (fewer registers saved) */
	px_counter64_add(&nq->stats.pkts, n);
	px_counter64_add(&nq->stats.bytes, bytes);
	px_pktmbuf_free_bulk(pkts, n);
	return n;
}

static uint16_t null_tx_copy(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct null_queue *nq = q;

	for (uint16_t i = 0; i < n; i++)
		memcpy(nq->dummy, px_pktmbuf_mtod(pkts[i], void *),
		       PX_MIN(pkts[i]->data_len, sizeof(nq->dummy)));
	return null_tx(q, pkts, n);
}

/* ---- control ---- */

static int null_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	(void)dev;
	info->driver_name = "net_null";
	info->max_rx_queues = NULL_MAX_QUEUES;
	info->max_tx_queues = NULL_MAX_QUEUES;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS | PX_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->max_rx_pktlen = UINT16_MAX;
	return 0;
}

static int null_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct null_priv *priv = dev->dev_private;
	struct null_queue *nq = &priv->rxq[q];

	(void)nb_desc, (void)socket, (void)conf;
	if (priv->size + PX_PKTMBUF_HEADROOM > px_pktmbuf_data_room_size(mp)) {
		NULL_LOG(ERR, "%s: size=%u does not fit the pool's %u-byte buffers", dev->name,
			 priv->size, px_pktmbuf_data_room_size(mp) - PX_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	nq->mp = mp;
	nq->size = priv->size;
	nq->port = dev->port_id;
	dev->rx_queues[q] = nq;
	return 0;
}

static int null_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_txconf *conf)
{
	struct null_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	priv->txq[q].port = dev->port_id;
	dev->tx_queues[q] = &priv->txq[q];
	return 0;
}

static int null_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct null_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < NULL_MAX_QUEUES; q++)
		eth_queue_stats_add(st, q, &priv->rxq[q].stats, &priv->txq[q].stats);
	return 0;
}

static int null_stats_reset(struct px_eth_dev *dev)
{
	struct null_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < NULL_MAX_QUEUES; q++) {
		eth_queue_stats_reset(&priv->rxq[q].stats);
		eth_queue_stats_reset(&priv->txq[q].stats);
	}
	return 0;
}

static int null_ok(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

static int null_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	(void)dev, (void)mac;
	return 0;
}

static int null_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	(void)dev, (void)mtu;
	return 0;
}

static int null_close(struct px_eth_dev *dev)
{
	free(dev->dev_private);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops null_ops = {
	.dev_infos_get = null_infos,
	.dev_start = eth_dev_start_link_fixed,
	.dev_stop = eth_dev_stop_link_down,
	.dev_close = null_close,
	.rx_queue_setup = null_rxq_setup,
	.tx_queue_setup = null_txq_setup,
	.stats_get = null_stats_get,
	.stats_reset = null_stats_reset,
	.promiscuous_enable = null_ok,
	.promiscuous_disable = null_ok,
	.allmulticast_enable = null_ok,
	.allmulticast_disable = null_ok,
	.mac_addr_set = null_mac_set,
	.mtu_set = null_mtu_set,
};

/* ---- probe / remove ---- */

static int parse_flag(const char *key, const char *value, void *opaque)
{
	if (strcmp(value, "0") && strcmp(value, "1")) {
		NULL_LOG(ERR, "net_null: %s=%s: expected 0 or 1", key, value);
		return -EINVAL;
	}
	*(bool *)opaque = value[0] == '1';
	return 0;
}

static int parse_size(const char *key, const char *value, void *opaque)
{
	char *end;
	unsigned long v = strtoul(value, &end, 10);

	if (*value == '\0' || *end != '\0' || v < 14 || v > PX_MBUF_DEFAULT_DATAROOM) {
		NULL_LOG(ERR, "net_null: %s=%s: expected a packet size from 14 to %d", key, value,
			 PX_MBUF_DEFAULT_DATAROOM);
		return -EINVAL;
	}
	*(uint32_t *)opaque = (uint32_t)v;
	return 0;
}

static int null_parse(const struct px_kvargs *args, struct null_priv *priv)
{
	int ret = 0;

	priv->size = NULL_DEFAULT_SIZE;
	if (args == NULL)
		return 0;
	ret = px_kvargs_process(args, "size", parse_size, &priv->size);
	if (ret == 0)
		ret = px_kvargs_process(args, "copy", parse_flag, &priv->copy);
	if (ret == 0)
		ret = px_kvargs_process(args, "no-rx", parse_flag, &priv->no_rx);
	return ret < 0 ? -EINVAL : 0;
}

static int null_probe(const char *name, const struct px_kvargs *args)
{
	struct null_priv *priv = calloc(1, sizeof(*priv));
	struct px_eth_dev *dev;
	int ret;

	if (priv == NULL)
		return -ENOMEM;
	ret = null_parse(args, priv);
	if (ret < 0)
		goto free_priv;
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		goto free_priv;
	}
	dev->ops = &null_ops;
	dev->dev_private = priv;
	dev->rx_pkt_burst = priv->no_rx ? null_rx_none : priv->copy ? null_rx_copy : null_rx;
	dev->tx_pkt_burst = priv->copy ? null_tx_copy : null_tx;
	/* a locally administered address derived from the port id */
	dev->mac = (struct px_ether_addr){{0x02, 0x00, 0x6e, 0x75, 0x00, (uint8_t)dev->port_id}};
	eth_dev_probing_finish(dev);
	NULL_LOG(INFO, "%s: port %u, size %u%s%s", name, dev->port_id, priv->size,
		 priv->copy ? ", copy" : "", priv->no_rx ? ", no-rx" : "");
	return 0;
free_priv:
	free(priv);
	return ret;
}

static struct px_vdev_driver null_driver = {
	.name = "net_null",
	.params = null_params,
	.probe = null_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(driver_init_null, null_driver)

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring: ports over rings. RX queue i dequeues from one ring, TX queue i enqueues to another;
 * a loopback port uses the same ring for both, a pair crosses them. Packets are counted, not
 * bytes (summing lengths would cost a read of every mbuf).
 *
 *   --vdev net_ring0[,queues=N][,size=N][,peer=net_ringX]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <px_counter.h>
#include <px_kvargs.h>
#include <px_mbuf.h>

#include "bus_vdev_driver.h"
#include "ethdev_driver.h"
#include "px_eth_ring.h"

#define RING_MAX_QUEUES 16

static const char ring_params[] = "queues=<int> size=<int> peer=<device>";

struct ring_queue {
	struct px_ring *ring;
	/* written by the queue's lcore, read by stats_get: pkts, and errs for TX (the ring was
	 * full); no bytes */
	struct eth_queue_stats stats;
} __px_cache_aligned;

struct ring_priv {
	unsigned int nb_rx, nb_tx;
	struct ring_queue rxq[RING_MAX_QUEUES];
	struct ring_queue txq[RING_MAX_QUEUES];
	struct px_ring *owned[RING_MAX_QUEUES]; /* rings this port created (vdev) */
	char peer[PX_ETH_NAME_MAX_LEN];
};

PX_LOG_REGISTER(ring_pmd_logtype, "pmd.net.ring", DEFAULT)
#define RING_LOG(lvl, ...) PX_LOG(lvl, ring_pmd_logtype, __VA_ARGS__)

static uint16_t ring_rx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rq = q;
	unsigned int got = px_ring_sc_dequeue_burst(rq->ring, (void **)pkts, n, NULL);

	px_counter64_add(&rq->stats.pkts, got);
	return (uint16_t)got;
}

static uint16_t ring_tx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct ring_queue *tq = q;
	unsigned int sent = px_ring_sp_enqueue_burst(tq->ring, (void *const *)pkts, n, NULL);

	px_counter64_add(&tq->stats.pkts, sent);
	if (px_unlikely(sent < n))
		px_counter64_add(&tq->stats.errs, n - sent);
	return (uint16_t)sent;
}

static int ring_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	struct ring_priv *priv = dev->dev_private;

	info->driver_name = "net_ring";
	info->max_rx_queues = (uint16_t)priv->nb_rx;
	info->max_tx_queues = (uint16_t)priv->nb_tx;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->max_rx_pktlen = UINT16_MAX;
	return 0;
}

static int ring_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct ring_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf, (void)mp;
	dev->rx_queues[q] = &priv->rxq[q];
	return 0;
}

static int ring_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_txconf *conf)
{
	struct ring_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	dev->tx_queues[q] = &priv->txq[q];
	return 0;
}

static int ring_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct ring_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < RING_MAX_QUEUES; q++)
		eth_queue_stats_add(st, q, &priv->rxq[q].stats, &priv->txq[q].stats);
	return 0;
}

static int ring_stats_reset(struct px_eth_dev *dev)
{
	struct ring_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < RING_MAX_QUEUES; q++) {
		eth_queue_stats_reset(&priv->rxq[q].stats);
		eth_queue_stats_reset(&priv->txq[q].stats);
	}
	return 0;
}

static int ring_ok(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

static int ring_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	(void)dev, (void)mac;
	return 0;
}

/* Mbufs still in the rings this port owns go back to their pools. */
static void drain(struct px_ring *r)
{
	void *m[32];
	unsigned int n;

	while ((n = px_ring_sc_dequeue_burst(r, m, PX_DIM(m), NULL)) > 0)
		px_pktmbuf_free_bulk((struct px_mbuf **)m, n);
}

static int ring_close(struct px_eth_dev *dev)
{
	struct ring_priv *priv = dev->dev_private;
	struct px_eth_dev *peer = priv->peer[0] ? eth_dev_get_by_name(priv->peer) : NULL;

	/* a peer sending into our rings must not keep a dangling pointer: loop it to itself */
	if (peer && peer->ops == dev->ops) {
		struct ring_priv *pp = peer->dev_private;

		for (unsigned int q = 0; q < pp->nb_tx; q++)
			pp->txq[q].ring = pp->rxq[q].ring;
		pp->peer[0] = '\0';
	}
	for (unsigned int q = 0; q < RING_MAX_QUEUES; q++) {
		if (priv->owned[q]) {
			drain(priv->owned[q]);
			px_ring_free(priv->owned[q]);
		}
	}
	free(priv);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops ring_ops = {
	.dev_infos_get = ring_infos,
	.dev_start = eth_dev_start_link_fixed,
	.dev_stop = eth_dev_stop_link_down,
	.dev_close = ring_close,
	.rx_queue_setup = ring_rxq_setup,
	.tx_queue_setup = ring_txq_setup,
	.stats_get = ring_stats_get,
	.stats_reset = ring_stats_reset,
	.promiscuous_enable = ring_ok,
	.promiscuous_disable = ring_ok,
	.allmulticast_enable = ring_ok,
	.allmulticast_disable = ring_ok,
	.mac_addr_set = ring_mac_set,
};

static struct px_eth_dev *ring_port(const char *name, struct ring_priv *priv)
{
	struct px_eth_dev *dev = eth_dev_allocate(name);

	if (dev == NULL)
		return NULL;
	dev->ops = &ring_ops;
	dev->dev_private = priv;
	dev->rx_pkt_burst = ring_rx;
	dev->tx_pkt_burst = ring_tx;
	dev->mac = (struct px_ether_addr){{0x02, 0x00, 0x72, 0x6e, 0x00, (uint8_t)dev->port_id}};
	return dev;
}

int px_eth_from_rings(const char *name, struct px_ring *const rx[], unsigned int nb_rx,
		      struct px_ring *const tx[], unsigned int nb_tx, int socket)
{
	struct ring_priv *priv;
	struct px_eth_dev *dev;

	(void)socket;
	if (name == NULL || rx == NULL || tx == NULL || nb_rx == 0 || nb_tx == 0 ||
	    nb_rx > RING_MAX_QUEUES || nb_tx > RING_MAX_QUEUES)
		return -EINVAL;
	priv = calloc(1, sizeof(*priv));
	if (priv == NULL)
		return -ENOMEM;
	priv->nb_rx = nb_rx;
	priv->nb_tx = nb_tx;
	for (unsigned int q = 0; q < nb_rx; q++)
		priv->rxq[q].ring = rx[q];
	for (unsigned int q = 0; q < nb_tx; q++)
		priv->txq[q].ring = tx[q];
	dev = ring_port(name, priv);
	if (dev == NULL) {
		int ret = -errno;

		free(priv);
		return ret;
	}
	eth_dev_probing_finish(dev);
	return dev->port_id;
}

/* ---- vdev ---- */

struct ring_args {
	unsigned long queues, size;
	char peer[PX_ETH_NAME_MAX_LEN];
};

static int parse_ulong(const char *key, const char *value, void *opaque)
{
	char *end;
	unsigned long v = strtoul(value, &end, 10);
	unsigned long max = strcmp(key, "queues") == 0 ? RING_MAX_QUEUES : 1u << 20;

	if (*value == '\0' || *end != '\0' || v == 0 || v > max) {
		RING_LOG(ERR, "net_ring: %s=%s: expected a number from 1 to %lu", key, value, max);
		return -EINVAL;
	}
	*(unsigned long *)opaque = v;
	return 0;
}

static int parse_peer(const char *key, const char *value, void *opaque)
{
	(void)key;
	snprintf(opaque, PX_ETH_NAME_MAX_LEN, "%s", value);
	return 0;
}

/* Cross our TX with the peer's RX and the peer's TX with ours. */
static int join_peer(struct px_eth_dev *dev, const char *peer_name)
{
	struct px_eth_dev *peer = eth_dev_get_by_name(peer_name);
	struct ring_priv *me = dev->dev_private, *pp;

	if (peer == NULL || peer->ops != &ring_ops) {
		RING_LOG(
			ERR,
			"%s: peer=%s: no such net_ring port; create it first (its --vdev before this one)",
			dev->name, peer_name);
		return -EINVAL;
	}
	pp = peer->dev_private;
	if (pp->nb_rx != me->nb_rx || peer->started) {
		RING_LOG(ERR, "%s: peer=%s: the peer must be stopped and have as many queues (%u)",
			 dev->name, peer_name, me->nb_rx);
		return -EINVAL;
	}
	/* A second peer would share the peer's RX rings (single producer) with the first, and
	 * the first would keep sending into them once the peer's close has freed them. */
	if (pp->peer[0] != '\0') {
		RING_LOG(ERR, "%s: peer=%s: %s is already joined to %s (a port has one peer)",
			 dev->name, peer_name, peer_name, pp->peer);
		return -EBUSY;
	}
	for (unsigned int q = 0; q < me->nb_rx; q++) {
		me->txq[q].ring = pp->rxq[q].ring;
		pp->txq[q].ring = me->rxq[q].ring;
	}
	snprintf(me->peer, sizeof(me->peer), "%s", peer_name);
	snprintf(pp->peer, sizeof(pp->peer), "%s", dev->name);
	return 0;
}

static int ring_create_rings(const char *name, struct ring_priv *priv, unsigned long size)
{
	for (unsigned int q = 0; q < priv->nb_rx; q++) {
		char rname[64];

		snprintf(rname, sizeof(rname), "%s_q%u", name, q);
		priv->owned[q] =
			px_ring_create(rname, (unsigned int)size, PX_SOCKET_ID_ANY,
				       PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ | PX_RING_F_EXACT_SZ);
		if (priv->owned[q] == NULL)
			return -errno;
		priv->rxq[q].ring = priv->txq[q].ring = priv->owned[q]; /* loopback until joined */
	}
	return 0;
}

static int ring_probe(const char *name, const struct px_kvargs *args)
{
	struct ring_args a = {.queues = 1, .size = 1024};
	struct ring_priv *priv;
	struct px_eth_dev *dev;
	int ret = 0;

	if (args)
		ret = px_kvargs_process(args, "queues", parse_ulong, &a.queues) ?:
		      px_kvargs_process(args, "size", parse_ulong, &a.size) ?:
		      px_kvargs_process(args, "peer", parse_peer, a.peer);
	if (ret < 0)
		return -EINVAL;
	priv = calloc(1, sizeof(*priv));
	if (priv == NULL)
		return -ENOMEM;
	priv->nb_rx = priv->nb_tx = (unsigned int)a.queues;
	dev = ring_port(name, priv);
	if (dev == NULL) {
		free(priv);
		return -errno;
	}
	ret = ring_create_rings(name, priv, a.size);
	if (ret == 0 && a.peer[0])
		ret = join_peer(dev, a.peer);
	if (ret < 0) {
		px_eth_dev_close(dev->port_id);
		return ret;
	}
	eth_dev_probing_finish(dev);
	RING_LOG(INFO, "%s: port %u, %lu queue(s) of %lu%s%s", name, dev->port_id, a.queues, a.size,
		 a.peer[0] ? ", peer " : ", loopback", a.peer);
	return 0;
}

static struct px_vdev_driver ring_driver = {
	.name = "net_ring",
	.params = ring_params,
	.probe = ring_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(driver_init_ring, ring_driver)

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vhost: a port that is the virtio-net device of a vhost-user frontend (a QEMU guest, DPDK's
 * or Pollux's net_virtio_user) over a UNIX socket, like DPDK's net_vhost (docs/vhost.md).
 *
 *   --vdev net_vhost0,iface=/path/sock[,queues=N][,client=0|1][,iommu-support=0]
 *                    [,dequeue-zero-copy=0]
 *
 * The socket is served (or, with client=1, connected to and reconnected every second) by a
 * control thread of the port's own, from probe to close; one frontend at a time. The
 * frontend's requests go to vhost_dev.c; RX queue q dequeues vring 2q + 1 (the frontend's TX),
 * TX queue q enqueues into vring 2q (its RX), in vhost_rxtx.c. The link is up while vrings 0
 * and 1 are ready (with intr_conf.lsc, PX_ETH_EVENT_INTR_LSC says when that changes).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <px_kvargs.h>
#include <px_lcore.h>

#include "bus_vdev_driver.h"
#include "vhost.h"

#define VHOST_DRIVER_NAME "net_vhost"
#define VHOST_RECONNECT_MS 1000

static const char vhost_params[] = "iface=<string> queues=<int> client=<0|1> "
				   "iommu-support=<0|1> dequeue-zero-copy=<0|1>";

struct vhost_queue {
	struct vhost_vring *vr;
	struct px_mempool *mp; /* RX */
	uint16_t port;
	struct eth_queue_stats st;
} __px_cache_aligned;

struct vhost_priv {
	struct vhost_dev vd;
	struct vhost_queue rxq[VHOST_MAX_QUEUE_PAIRS];
	struct vhost_queue txq[VHOST_MAX_QUEUE_PAIRS];
	struct px_eth_dev *dev;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool client;
	uint16_t queues;
	int listen_fd; /* server mode */
	int wake_fd;   /* an eventfd: tells the thread to end */
	pthread_t thread;
	bool thread_running;
	bool link;           /* vrings 0 and 1 ready, as last reported (the thread's own) */
	atomic_bool link_up; /* the same, for link_update on the application's threads */
	px_counter64_t connects, disconnects, refused;
};

/* ---- burst functions ---------------------------------------------------------------------- */

static uint16_t vhost_rx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct vhost_queue *vq = q;

	return vhost_dequeue(vq->vr, vq->mp, vq->port, pkts, n, &vq->st);
}

static uint16_t vhost_tx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct vhost_queue *vq = q;

	return vhost_enqueue(vq->vr, pkts, n, &vq->st);
}

/* ---- the connection's thread -------------------------------------------------------------- */

/* After every request: the link follows vrings 0 and 1. */
static void vhost_state_changed(struct vhost_dev *d, void *arg)
{
	struct vhost_priv *priv = arg;
	struct px_eth_dev *dev = priv->dev;
	bool up = d->conn >= 0 && vhost_vring_is_ready(&d->vring[0]) &&
		  vhost_vring_is_ready(&d->vring[1]);

	if (up == priv->link)
		return;
	priv->link = up;
	atomic_store_explicit(&priv->link_up, up, memory_order_release);
	VHOST_LOG(INFO, "%s: link %s", dev->name,
		  up ? "up (the frontend's rings are ready)" : "down");
	/* (the application registers LSC callbacks with intr_conf.lsc; ethdev locks the list) */
	eth_dev_callback_process(dev, PX_ETH_EVENT_INTR_LSC, NULL);
}

static void vhost_disconnect(struct vhost_priv *priv)
{
	vhost_dev_reset(&priv->vd); /* stops the data path before unmapping */
	close(priv->vd.conn);
	priv->vd.conn = -1;
	px_counter64_add(&priv->disconnects, 1);
	VHOST_LOG(INFO, "%s: the frontend on %s is gone", priv->dev->name, priv->path);
	vhost_state_changed(&priv->vd, priv);
}

static void vhost_connected(struct vhost_priv *priv, int fd)
{
	priv->vd.conn = fd;
	px_counter64_add(&priv->connects, 1);
	VHOST_LOG(INFO, "%s: a frontend connected on %s", priv->dev->name, priv->path);
}

static int unix_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

static void vhost_try_connect(struct vhost_priv *priv)
{
	struct sockaddr_un sa;
	int fd;

	if (unix_addr(priv->path, &sa) < 0)
		return;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return;
	}
	vhost_connected(priv, fd);
}

static void vhost_accept(struct vhost_priv *priv)
{
	int fd = accept4(priv->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (priv->vd.conn >= 0) {
		VHOST_LOG(ERR, "%s: a second frontend on %s refused: one at a time",
			  priv->dev->name, priv->path);
		px_counter64_add(&priv->refused, 1);
		close(fd);
		return;
	}
	vhost_connected(priv, fd);
}

static void *vhost_thread(void *arg)
{
	struct vhost_priv *priv = arg;

	for (;;) {
		struct pollfd p[3] = {
			{.fd = priv->wake_fd, .events = POLLIN},
			{.fd = priv->vd.conn, .events = POLLIN},
			{.fd = priv->client ? -1 : priv->listen_fd, .events = POLLIN}};
		int timeout = -1;

		if (priv->client && priv->vd.conn < 0) {
			vhost_try_connect(priv);
			p[1].fd = priv->vd.conn;
			if (priv->vd.conn < 0)
				timeout = VHOST_RECONNECT_MS;
		}
		if (poll(p, 3, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[1].fd >= 0 && p[1].revents && vhost_dev_process(&priv->vd) < 0)
			vhost_disconnect(priv);
		if (p[2].fd >= 0 && (p[2].revents & POLLIN))
			vhost_accept(priv);
	}
	return NULL;
}

/* Server mode: listen on the path; a stale socket file nobody serves is replaced. */
static int vhost_listen(struct vhost_priv *priv)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, ret = unix_addr(priv->path, &sa);

	if (ret < 0)
		goto fail;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		goto fail;
	}
	if (stat(priv->path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == ECONNREFUSED)
		unlink(priv->path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		ret = -errno;
		close(fd);
		goto fail;
	}
	priv->listen_fd = fd;
	return 0;
fail:
	VHOST_LOG(ERR, "%s: cannot listen on %s: %s%s", priv->dev->name, priv->path, strerror(-ret),
		  ret == -EADDRINUSE ? " (another process serves it: pick another iface= path)"
				     : "");
	return ret;
}

/* ---- control ------------------------------------------------------------------------------ */

static int vhost_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	struct vhost_priv *priv = dev->dev_private;

	info->driver_name = VHOST_DRIVER_NAME;
	info->max_rx_queues = priv->queues;
	info->max_tx_queues = priv->queues;
	info->max_rx_pktlen = 65535;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->rx_offload_capa = PX_ETH_RX_OFFLOAD_SCATTER;
	return 0;
}

static int vhost_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			   const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct vhost_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	priv->rxq[q].vr = &priv->vd.vring[2 * q + 1];
	priv->rxq[q].mp = mp;
	priv->rxq[q].port = dev->port_id;
	dev->rx_queues[q] = &priv->rxq[q];
	return 0;
}

static int vhost_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			   const struct px_eth_txconf *conf)
{
	struct vhost_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	priv->txq[q].vr = &priv->vd.vring[2 * q];
	priv->txq[q].port = dev->port_id;
	dev->tx_queues[q] = &priv->txq[q];
	return 0;
}

static int vhost_start(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

static int vhost_stop(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

/* The link follows the connection (vhost_state_changed, on the socket's thread). */
static int vhost_link_update(struct px_eth_dev *dev, int wait)
{
	struct vhost_priv *priv = dev->dev_private;

	(void)wait;
	dev->link = (struct px_eth_link){
		.link_speed = PX_ETH_SPEED_NUM_10G,
		.link_duplex = 1,
		.link_status = atomic_load_explicit(&priv->link_up, memory_order_acquire)};
	return 0;
}

static int vhost_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct vhost_priv *priv = dev->dev_private;

	for (uint16_t q = 0; q < priv->queues; q++)
		eth_queue_stats_add(st, q, &priv->rxq[q].st, &priv->txq[q].st);
	for (uint16_t q = 0; q < priv->queues; q++)
		st->rx_nombuf += px_counter64_fetch(&priv->rxq[q].st.nombuf);
	return 0;
}

static int vhost_stats_reset(struct px_eth_dev *dev)
{
	struct vhost_priv *priv = dev->dev_private;

	for (uint16_t q = 0; q < priv->queues; q++) {
		eth_queue_stats_reset(&priv->rxq[q].st);
		eth_queue_stats_reset(&priv->txq[q].st);
	}
	return 0;
}

/* xstats beyond the per-queue ones: the connection and the frontend's mistakes */
static const char *const vhost_xstat_names[] = {"connects",   "disconnects", "refused_frontends",
						"bad_chains", "bad_rings",   "calls"};
#define VHOST_NB_XSTATS (sizeof(vhost_xstat_names) / sizeof(vhost_xstat_names[0]))

static int vhost_xstats_get_names(struct px_eth_dev *dev, struct px_eth_xstat_name *names,
				  unsigned int size)
{
	(void)dev;
	for (unsigned int i = 0; names != NULL && i < VHOST_NB_XSTATS && i < size; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", vhost_xstat_names[i]);
	return VHOST_NB_XSTATS;
}

static int vhost_xstats_get(struct px_eth_dev *dev, struct px_eth_xstat *xs, unsigned int n)
{
	struct vhost_priv *priv = dev->dev_private;
	uint64_t v[VHOST_NB_XSTATS] = {px_counter64_fetch(&priv->connects),
				       px_counter64_fetch(&priv->disconnects),
				       px_counter64_fetch(&priv->refused)};

	for (unsigned int i = 0; i < VHOST_MAX_VRINGS; i++) {
		const struct vhost_vring_counters *c = &priv->vd.vring[i].cnt;

		v[3] += px_counter64_fetch(&c->bad_chain);
		v[4] += px_counter64_fetch(&c->bad_ring);
		v[5] += px_counter64_fetch(&c->calls);
	}
	for (unsigned int i = 0; xs != NULL && i < VHOST_NB_XSTATS && i < n; i++)
		xs[i] = (struct px_eth_xstat){.id = i, .value = v[i]};
	return VHOST_NB_XSTATS;
}

static int vhost_ok(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

static int vhost_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	(void)dev, (void)mac;
	return 0;
}

static int vhost_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	(void)dev, (void)mtu;
	return 0;
}

/* End the thread, drop the frontend (the data path let go first), close the socket. */
static void vhost_release(struct vhost_priv *priv)
{
	if (priv->thread_running) {
		eventfd_write(priv->wake_fd, 1);
		pthread_join(priv->thread, NULL);
		priv->thread_running = false;
	}
	if (priv->vd.conn >= 0)
		vhost_disconnect(priv);
	vhost_dev_reset(&priv->vd);
	if (priv->listen_fd >= 0) {
		close(priv->listen_fd);
		unlink(priv->path);
	}
	if (priv->wake_fd >= 0)
		close(priv->wake_fd);
	free(priv);
}

static int vhost_close(struct px_eth_dev *dev)
{
	vhost_release(dev->dev_private);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops vhost_ops = {
	.dev_infos_get = vhost_infos,
	.dev_start = vhost_start,
	.dev_stop = vhost_stop,
	.dev_close = vhost_close,
	.rx_queue_setup = vhost_rxq_setup,
	.tx_queue_setup = vhost_txq_setup,
	.link_update = vhost_link_update,
	.stats_get = vhost_stats_get,
	.stats_reset = vhost_stats_reset,
	.xstats_get_names = vhost_xstats_get_names,
	.xstats_get = vhost_xstats_get,
	.promiscuous_enable = vhost_ok,
	.promiscuous_disable = vhost_ok,
	.allmulticast_enable = vhost_ok,
	.allmulticast_disable = vhost_ok,
	.mac_addr_set = vhost_mac_set,
	.mtu_set = vhost_mtu_set,
};

/* ---- probe / remove ----------------------------------------------------------------------- */

static int vhost_parse(const char *name, const struct px_kvargs *args, struct vhost_priv *priv)
{
	const char *iface = args ? px_kvargs_get(args, "iface") : NULL;
	uint64_t queues = 1;
	bool iommu = false, zero_copy = false;

	if (iface == NULL || px_kvargs_count(args, "iface") != 1) {
		VHOST_LOG(ERR, "%s: iface=<socket path> is required, once", name);
		return -EINVAL;
	}
	if (strlen(iface) >= sizeof(priv->path)) {
		VHOST_LOG(ERR, "%s: iface=%s: a UNIX socket path has at most %zu characters", name,
			  iface, sizeof(priv->path) - 1);
		return -EINVAL;
	}
	strcpy(priv->path, iface);
	if (px_kvargs_get_u64(args, "queues", 1, VHOST_MAX_QUEUE_PAIRS, &queues) < 0 ||
	    px_kvargs_get_bool(args, "client", &priv->client) < 0 ||
	    px_kvargs_get_bool(args, "iommu-support", &iommu) < 0 ||
	    px_kvargs_get_bool(args, "dequeue-zero-copy", &zero_copy) < 0)
		return -EINVAL;
	if (iommu) {
		VHOST_LOG(ERR,
			  "%s: iommu-support=1: net_vhost has no IOTLB (VIRTIO_F_ACCESS_PLATFORM "
			  "is not offered); use iommu-support=0 and no vIOMMU for this NIC",
			  name);
		return -ENOTSUP;
	}
	if (zero_copy) {
		VHOST_LOG(ERR,
			  "%s: dequeue-zero-copy=1 is not supported (DPDK removed it too); "
			  "net_vhost copies",
			  name);
		return -ENOTSUP;
	}
	priv->queues = (uint16_t)queues;
	return 0;
}

static int vhost_probe(const char *name, const struct px_kvargs *args)
{
	struct vhost_priv *priv = calloc(1, sizeof(*priv));
	struct px_eth_dev *dev;
	int ret;

	if (priv == NULL)
		return -ENOMEM;
	priv->listen_fd = priv->wake_fd = -1;
	ret = vhost_parse(name, args, priv);
	if (ret < 0) {
		free(priv);
		return ret;
	}
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		free(priv);
		return ret;
	}
	priv->dev = dev;
	vhost_dev_init(&priv->vd, dev->name, priv->queues);
	priv->vd.state_changed = vhost_state_changed;
	priv->vd.cb_arg = priv;
	priv->wake_fd = eventfd(0, EFD_CLOEXEC);
	ret = priv->wake_fd < 0 ? -errno : 0;
	if (ret == 0 && !priv->client)
		ret = vhost_listen(priv);
	if (ret < 0)
		goto fail;
	dev->ops = &vhost_ops;
	dev->dev_private = priv;
	dev->rx_pkt_burst = vhost_rx;
	dev->tx_pkt_burst = vhost_tx;
	dev->dev_flags = PX_ETH_DEV_F_INTR_LSC | PX_ETH_DEV_F_QUEUE_XSTATS;
	dev->mac = (struct px_ether_addr){{0x02, 0x00, 0x76, 0x68, 0x00, (uint8_t)dev->port_id}};
	dev->link = (struct px_eth_link){.link_speed = PX_ETH_SPEED_NUM_10G, .link_duplex = 1};
	/* the socket's thread last: it reads what is set above */
	ret = px_ctrl_thread_create(&priv->thread, "px-vhost", vhost_thread, priv);
	if (ret < 0) {
		dev->dev_private = NULL;
		goto fail;
	}
	priv->thread_running = true;
	eth_dev_probing_finish(dev);
	VHOST_LOG(INFO, "%s: port %u, %s %s, %u queue pair%s", name, dev->port_id,
		  priv->client ? "connecting to" : "serving", priv->path, priv->queues,
		  priv->queues > 1 ? "s" : "");
	return 0;
fail:
	VHOST_LOG(ERR, "%s: %s", name, strerror(-ret));
	eth_dev_release_port(dev);
	vhost_release(priv);
	return ret;
}

static struct px_vdev_driver vhost_driver = {
	.name = VHOST_DRIVER_NAME,
	.params = vhost_params,
	.probe = vhost_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(vhost_driver_register, vhost_driver)

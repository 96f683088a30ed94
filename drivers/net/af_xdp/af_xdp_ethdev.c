/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp: a port over a Linux interface through AF_XDP sockets (the kernel's
 * Documentation/networking/af_xdp.rst, "af_xdp.rst" below), with libxdp's xsk API and its
 * default XDP program, or a program of the user's (xdp_prog=).
 *
 *   --vdev net_af_xdp0,iface=eth0[,start_queue=N][,queue_count=N][,busy_budget=N]
 *                                [,xdp_prog=FILE.o][,force_copy=0|1]
 *
 * Queue pair i is one XDP socket bound to the interface's queue start_queue + i, with a UMEM of
 * its own over the memory of the mempool its RX queue was set up with (af_xdp.h). The sockets
 * are made at the first start, once every queue is set up, and live until close. Zero-copy
 * (XDP_ZEROCOPY) is asked for first and copy mode (XDP_COPY) taken when the driver has none;
 * the default program is attached in native mode, in generic (SKB) mode where the driver has
 * no XDP. The log says which. docs/af_xdp.md has the devargs, the modes and the limits.
 */
#include <dirent.h>
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include <px_kvargs.h>

#include "af_xdp.h"
#include "bus_vdev_driver.h"
#include "ethdev_netdev.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69 /* Linux 5.11 */
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70 /* Linux 5.11 */
#endif
#define AXDP_BUSY_POLL_US 20 /* SO_BUSY_POLL: how long a recvfrom busy-polls the queue */
/* af_xdp.rst: the kernel puts XDP_PACKET_HEADROOM before every received frame */
#define AXDP_XDP_HEADROOM 256
#define AXDP_MIN_CHUNK 2048 /* XDP_UMEM_MIN_CHUNK_SIZE */
#define AXDP_BUSY_TRIES 50  /* a queue answering EBUSY: tried again for 50 x 20 ms */
#define AXDP_BUSY_WAIT_US 20000

static const char axdp_params[] = "iface=<string> start_queue=<int> queue_count=<int> "
				  "busy_budget=<int> xdp_prog=<path> force_copy=<0|1> "
				  "shared_umem=<0|1> use_cni=<0|1>";

struct axdp_priv {
	struct eth_netdev nd; /* first (the shared ops find it there); nd.fd an AF_INET socket */
	int ifindex;
	uint32_t start_queue, queue_count, busy_budget;
	bool force_copy;
	char *prog_path;          /* xdp_prog=, or NULL: libxdp's default program */
	struct xdp_program *prog; /* the user's program, attached by this driver at start */
	enum xdp_attach_mode prog_mode;
	int xsks_map_fd;
	bool skb_mode; /* generic XDP: the driver has no native XDP */
	uint16_t nb_rxd[AXDP_MAX_QUEUES], nb_txd[AXDP_MAX_QUEUES];
	struct xdp_statistics base[AXDP_MAX_QUEUES]; /* XDP_STATISTICS at the last reset */
	struct axdp_queue q[AXDP_MAX_QUEUES];
};
static_assert(offsetof(struct axdp_priv, nd) == 0, "ethdev_netdev.h: private data starts with it");

PX_LOG_REGISTER(axdp_logtype, "pmd.net.af_xdp", DEFAULT)
#define AXDP_LOG(lvl, ...) PX_LOG(lvl, axdp_logtype, __VA_ARGS__)

/* libxdp's and libbpf's own messages: debug lines of this driver (its errors say the rest);
 * each library names itself at the start of its lines. */
static int axdp_vlog(const char *fmt, va_list ap)
{
	char line[256];

	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	AXDP_LOG(DEBUG, "%s", line);
	return 0;
}

static int axdp_libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return axdp_vlog(fmt, ap);
}

static int axdp_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return axdp_vlog(fmt, ap);
}

/* ---- UMEM over a mempool ---- */

/* The UMEM of queue @q over @mp's objects: every object slot a chunk (unaligned chunks: the
 * slots need not be a power of 2 apart, nor evenly spaced). */
static int axdp_umem_create(struct axdp_queue *q, struct px_mempool *mp, const char *name)
{
	struct axdp_umem *um = &q->um;
	struct px_pktmbuf_pool_private *pp = px_mempool_get_priv(mp);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)mp->objs_mz->addr, end = start + mp->objs_mz->len;
	uint32_t to_buf = (uint32_t)sizeof(struct px_mbuf) + pp->mbuf_priv_size;
	struct xsk_umem_config cfg = {
		.fill_size = q->rx_size,
		.comp_size = q->tx_size,
		.frame_size = mp->total_elt_size,
		.frame_headroom = mp->header_size + to_buf,
		.flags = XDP_UMEM_UNALIGNED_CHUNK_FLAG,
	};
	int ret;

	um->mp = mp;
	um->mhdr = mp->header_size;
	um->base = (uint8_t *)(start & ~(uintptr_t)(page - 1));
	um->len = PX_ALIGN_CEIL(end, page) - (uintptr_t)um->base;
	/* the kernel writes up to chunk - headroom - XDP_PACKET_HEADROOM; the data room ends
	 * first (the slot's padding is the difference) */
	um->room = (uint32_t)pp->mbuf_data_room_size - AXDP_XDP_HEADROOM;
	if (mp->total_elt_size < AXDP_MIN_CHUNK || mp->total_elt_size > page ||
	    pp->mbuf_data_room_size < AXDP_XDP_HEADROOM + ETH_ZLEN) {
		AXDP_LOG(ERR,
			 "%s: mempool %s: objects of %u bytes, data room %u: AF_XDP needs chunks "
			 "of %u to %zu bytes and %u bytes of headroom: create the pool with a data "
			 "room of %u to about %zu bytes",
			 name, mp->name, mp->total_elt_size, pp->mbuf_data_room_size,
			 AXDP_MIN_CHUNK, page, AXDP_XDP_HEADROOM, AXDP_MIN_CHUNK,
			 page - mp->header_size - to_buf - PX_CACHE_LINE_SIZE);
		return -EINVAL;
	}
	um->owned = calloc(mp->size, 1);
	if (um->owned == NULL)
		return -ENOMEM;
	ret = xsk_umem__create(&um->umem, um->base, um->len, &um->fq, &um->cq, &cfg);
	if (ret < 0) {
		AXDP_LOG(ERR,
			 "%s: XDP_UMEM_REG of mempool %s (%" PRIu64 " bytes, chunks of %u): %s",
			 name, mp->name, um->len, cfg.frame_size, strerror(-ret));
		free(um->owned);
		um->owned = NULL;
		return ret;
	}
	return 0;
}

/* Give back every mbuf the kernel held (fill ring, RX ring, TX ring, completion ring) once the
 * socket and the UMEM are gone, so nothing of the kernel's can touch them any more. */
static void axdp_umem_free_cb(struct px_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct axdp_umem *um = arg;

	(void)mp;
	if (um->owned[idx]) {
		um->owned[idx] = 0;
		px_pktmbuf_free(obj);
	}
}

static void axdp_queue_close(struct axdp_queue *q)
{
	struct axdp_umem *um = &q->um;

	/* the user's program's map holds the socket, and with it the queue, until the entry
	 * goes (libxdp's own program: xsk_socket__delete takes it out) */
	if (q->xsks_map_fd >= 0) {
		uint32_t key = q->qid;

		(void)bpf_map_delete_elem(q->xsks_map_fd, &key);
	}
	q->xsks_map_fd = -1;
	if (q->xsk != NULL)
		xsk_socket__delete(q->xsk);
	q->xsk = NULL;
	q->fd = -1;
	if (um->umem != NULL)
		xsk_umem__delete(um->umem);
	um->umem = NULL;
	if (um->owned != NULL) {
		px_mempool_obj_iter(um->mp, axdp_umem_free_cb, um);
		free(um->owned);
	}
	um->owned = NULL;
	q->held = 0;
}

/* ---- the XDP program ---- */

/* The user's program (xdp_prog=): attached once, before the first socket, in native mode or,
 * where the driver has no XDP, in generic mode. */
static int axdp_prog_attach(struct axdp_priv *priv, const char *name)
{
	int ret = xdp_program__attach(priv->prog, priv->ifindex, XDP_MODE_NATIVE, 0);

	priv->prog_mode = XDP_MODE_NATIVE;
	if (ret == -EOPNOTSUPP) {
		ret = xdp_program__attach(priv->prog, priv->ifindex, XDP_MODE_SKB, 0);
		priv->prog_mode = XDP_MODE_SKB;
	}
	if (ret < 0) {
		AXDP_LOG(ERR,
			 "%s: xdp_prog=%s: the kernel refused the program on %s: %s (see "
			 "--log-level=pmd.net.af_xdp:debug for the verifier's log)",
			 name, priv->prog_path, priv->nd.iface, strerror(-ret));
		return ret;
	}
	priv->skb_mode = priv->prog_mode == XDP_MODE_SKB;
	priv->xsks_map_fd =
		bpf_object__find_map_fd_by_name(xdp_program__bpf_obj(priv->prog), "xsks_map");
	return 0;
}

static void axdp_prog_detach(struct axdp_priv *priv)
{
	if (priv->prog != NULL && priv->xsks_map_fd >= 0)
		xdp_program__detach(priv->prog, priv->ifindex, priv->prog_mode, 0);
	priv->xsks_map_fd = -1;
}

/* ---- sockets ---- */

/* Busy polling (busy_budget > 0): recvfrom() polls the queue for AXDP_BUSY_POLL_US, up to
 * busy_budget frames, and the kernel leaves the queue to it (SO_PREFER_BUSY_POLL). */
static void axdp_busy_poll(struct axdp_queue *q, const char *name)
{
	int on = 1, us = AXDP_BUSY_POLL_US, budget = (int)q->busy_budget;

	if (budget == 0)
		return;
	if (setsockopt(q->fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &on, sizeof(on)) < 0 ||
	    setsockopt(q->fd, SOL_SOCKET, SO_BUSY_POLL, &us, sizeof(us)) < 0 ||
	    setsockopt(q->fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget)) < 0) {
		AXDP_LOG(WARNING, "%s: queue %u: busy polling refused (%s): busy_budget=0 assumed",
			 name, q->qid, strerror(errno));
		q->busy_budget = 0;
	}
}

/* One try at queue @i's socket with @bind_flags, the default program in @xdp_flags' mode. */
static int axdp_xsk_try(struct axdp_priv *priv, unsigned int i, struct px_mempool *mp,
			uint16_t bind_flags, uint32_t xdp_flags, const char *name)
{
	struct axdp_queue *q = &priv->q[i];
	struct xsk_socket_config cfg = {
		.rx_size = q->rx_size,
		.tx_size = q->tx_size,
		.libxdp_flags = priv->prog != NULL ? XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD : 0,
		.xdp_flags = xdp_flags,
		.bind_flags = (uint16_t)(bind_flags | XDP_USE_NEED_WAKEUP),
	};
	int ret = axdp_umem_create(q, mp, name);

	if (ret < 0)
		return ret;
	ret = xsk_socket__create(&q->xsk, priv->nd.iface, q->qid, q->um.umem, &q->rx, &q->tx, &cfg);
	if (ret < 0) {
		q->xsk = NULL;
		axdp_queue_close(q);
		return ret;
	}
	q->fd = xsk_socket__fd(q->xsk);
	return 0;
}

static bool axdp_zerocopy(const struct axdp_queue *q)
{
	struct xdp_options opts = {0};
	socklen_t len = sizeof(opts);

	return getsockopt(q->fd, SOL_XDP, XDP_OPTIONS, &opts, &len) == 0 &&
	       (opts.flags & XDP_OPTIONS_ZEROCOPY);
}

/* The error of a socket that would not come up, with what to do about it. */
static void axdp_xsk_error(const struct axdp_priv *priv, const struct axdp_queue *q, int ret,
			   const char *name)
{
	const char *fix = "";

	if (ret == -EPERM)
		fix = " (needs CAP_NET_ADMIN, CAP_NET_RAW and CAP_BPF: run as root)";
	else if (ret == -EBUSY)
		fix = " (another XDP socket or program has this queue: close it, or pick other "
		      "queues with start_queue=)";
	else if (ret == -EINVAL)
		fix = " (the interface has fewer queues than start_queue+queue_count: see "
		      "ethtool -l)";
	else if (ret == -ENOMEM)
		fix = " (locked memory: raise ulimit -l)";
	AXDP_LOG(ERR, "%s: XDP socket on %s queue %u: %s%s", name, priv->nd.iface, q->qid,
		 strerror(-ret), fix);
}

/* Queue @i's socket: zero-copy if the driver has it, else copy mode; the default program in
 * native mode, else generic. */
static int axdp_xsk_open(struct axdp_priv *priv, unsigned int i, struct px_mempool *mp,
			 const char *name)
{
	struct axdp_queue *q = &priv->q[i];
	uint32_t xdp_flags = priv->skb_mode ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	int ret, zc_ret = 0; /* the zero-copy try's answer, for the log */

	/* the kernel frees a closed socket's hold on its queue after an RCU grace period, in a
	 * work item (xp_release_deferred): a queue this process closed a moment ago may answer
	 * EBUSY for a while */
	for (unsigned int tries = 0;; tries++) {
		ret = -EOPNOTSUPP;
		if (!priv->force_copy)
			ret = zc_ret = axdp_xsk_try(priv, i, mp, XDP_ZEROCOPY, xdp_flags, name);
		if (ret < 0)
			ret = axdp_xsk_try(priv, i, mp, XDP_COPY, xdp_flags, name);
		if (ret == -EOPNOTSUPP && priv->prog == NULL && !priv->skb_mode) {
			priv->skb_mode = true;
			xdp_flags = XDP_FLAGS_SKB_MODE;
			ret = axdp_xsk_try(priv, i, mp, XDP_COPY, xdp_flags, name);
		}
		if (ret != -EBUSY || tries == AXDP_BUSY_TRIES)
			break;
		usleep(AXDP_BUSY_WAIT_US);
	}
	if (ret < 0) {
		axdp_xsk_error(priv, q, ret, name);
		return ret;
	}
	if (priv->prog != NULL) {
		q->xsks_map_fd = priv->xsks_map_fd;
		ret = xsk_socket__update_xskmap(q->xsk, priv->xsks_map_fd);
		if (ret < 0) {
			AXDP_LOG(
				ERR,
				"%s: xdp_prog=%s: cannot put queue %u's socket in its xsks_map: %s",
				name, priv->prog_path, q->qid, strerror(-ret));
			axdp_queue_close(q);
			return ret;
		}
	}
	axdp_busy_poll(q, name);
	/* the refusal says why there is no zero-copy: EOPNOTSUPP, the driver offers none (a
	 * veth); another errno, it offers it but would not set it up for this queue */
	AXDP_LOG(INFO,
		 "%s: %s queue %u: %s mode, %s XDP%s, %u+%u descriptors, UMEM over mempool %s%s%s",
		 name, priv->nd.iface, q->qid, axdp_zerocopy(q) ? "zero-copy" : "copy",
		 priv->skb_mode ? "generic (SKB)" : "native",
		 priv->prog != NULL ? " (xdp_prog)" : "", q->rx_size, q->tx_size, mp->name,
		 zc_ret < 0 ? "; zero-copy refused by the kernel: " : "",
		 zc_ret < 0 ? strerror(-zc_ret) : "");
	return 0;
}

static uint32_t axdp_pow2(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* ---- the interface ---- */

/* The largest frame a queue takes: the data room after XDP_PACKET_HEADROOM, as the sockets
 * are over the application's pool; before the first start, a px-fwd-sized pool's. */
static uint32_t axdp_max_frame(const struct axdp_priv *priv)
{
	if (priv->q[0].um.mp != NULL)
		return priv->q[0].um.room;
	return PX_PKTMBUF_HEADROOM + 2048 - AXDP_XDP_HEADROOM;
}

static int axdp_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	struct axdp_priv *priv = dev->dev_private;

	if ((uint32_t)mtu + ETH_HLEN + 4 > axdp_max_frame(priv)) {
		AXDP_LOG(ERR,
			 "%s: MTU %u: frames of %u bytes do not fit the mbufs (%u): use a "
			 "pool with a larger data room",
			 dev->name, mtu, mtu + ETH_HLEN + 4, axdp_max_frame(priv));
		return -EINVAL;
	}
	return eth_netdev_mtu_set(dev, mtu);
}

/* ---- control ---- */

static int axdp_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	struct axdp_priv *priv = dev->dev_private;
	uint32_t max = axdp_max_frame(priv);

	info->driver_name = "net_af_xdp";
	info->if_index = (unsigned int)priv->ifindex;
	info->max_rx_queues = (uint16_t)priv->queue_count;
	info->max_tx_queues = (uint16_t)priv->queue_count;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->max_rx_pktlen = max;
	info->min_mtu = 68;
	info->max_mtu = (uint16_t)(max - ETH_HLEN - 4);
	/* af_xdp.rst: ring sizes are powers of 2; the kernel takes up to 2^15 here */
	info->rx_desc_lim =
		(struct px_eth_desc_lim){.nb_max = 1u << 15, .nb_min = 64, .nb_align = 1};
	info->tx_desc_lim = info->rx_desc_lim;
	return 0;
}

static int axdp_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct axdp_priv *priv = dev->dev_private;

	(void)socket, (void)conf;
	/* a socket over another pool, or with other ring sizes, is made again at start */
	if (priv->q[q].um.mp != mp || priv->nb_rxd[q] != nb_desc)
		axdp_queue_close(&priv->q[q]);
	priv->q[q].um.mp = mp;
	priv->nb_rxd[q] = nb_desc;
	dev->rx_queues[q] = &priv->q[q];
	return 0;
}

static int axdp_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_txconf *conf)
{
	struct axdp_priv *priv = dev->dev_private;

	(void)socket, (void)conf;
	if (priv->nb_txd[q] != nb_desc)
		axdp_queue_close(&priv->q[q]);
	priv->nb_txd[q] = nb_desc;
	dev->tx_queues[q] = &priv->q[q];
	return 0;
}

static int axdp_start(struct px_eth_dev *dev)
{
	struct axdp_priv *priv = dev->dev_private;
	int ret = 0;

	if (dev->nb_rx_queues != dev->nb_tx_queues) {
		AXDP_LOG(ERR,
			 "%s: %u RX and %u TX queues: an XDP socket is a queue pair, "
			 "configure as many of each",
			 dev->name, dev->nb_rx_queues, dev->nb_tx_queues);
		return -EINVAL;
	}
	if (priv->prog != NULL && priv->xsks_map_fd < 0)
		ret = axdp_prog_attach(priv, dev->name);
	for (unsigned int i = 0; ret == 0 && i < dev->nb_rx_queues; i++) {
		struct axdp_queue *q = &priv->q[i];

		if (q->xsk != NULL)
			continue;
		q->rx_size = axdp_pow2(priv->nb_rxd[i]);
		q->tx_size = axdp_pow2(priv->nb_txd[i]);
		q->fill_target = priv->nb_rxd[i];
		q->busy_budget = priv->busy_budget;
		ret = axdp_xsk_open(priv, i, q->um.mp, dev->name);
		if (ret == 0 && axdp_fill(q, q->fill_target) < q->fill_target) {
			AXDP_LOG(ERR,
				 "%s: queue %u: the pool has fewer than %u free mbufs for the "
				 "fill ring: make the pool larger",
				 dev->name, i, q->fill_target);
			ret = -ENOMEM;
		}
	}
	if (ret < 0)
		goto undo;
	return eth_netdev_link_update(dev, 0);
undo:
	/* back to the state before the first start: no socket, no UMEM, no program left on the
	 * interface should the application exit without closing the port */
	for (unsigned int i = 0; i < AXDP_MAX_QUEUES; i++)
		axdp_queue_close(&priv->q[i]);
	axdp_prog_detach(priv);
	return ret;
}

/* ---- statistics ---- */

/* XDP_STATISTICS of queue @i since the last reset; zeros before its socket exists. */
static void axdp_xdp_stats(struct axdp_priv *priv, unsigned int i, struct xdp_statistics *st)
{
	const struct xdp_statistics *b = &priv->base[i];
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	if (priv->q[i].xsk == NULL ||
	    getsockopt(priv->q[i].fd, SOL_XDP, XDP_STATISTICS, st, &len) < 0)
		return;
	st->rx_dropped -= b->rx_dropped;
	st->rx_invalid_descs -= b->rx_invalid_descs;
	st->tx_invalid_descs -= b->tx_invalid_descs;
	st->rx_ring_full -= b->rx_ring_full;
	st->rx_fill_ring_empty_descs -= b->rx_fill_ring_empty_descs;
	st->tx_ring_empty_descs -= b->tx_ring_empty_descs;
}

static int axdp_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct axdp_priv *priv = dev->dev_private;

	for (unsigned int i = 0; i < priv->queue_count; i++) {
		struct xdp_statistics xs;

		eth_queue_stats_add(st, i, &priv->q[i].rx_stats, &priv->q[i].tx_stats);
		axdp_xdp_stats(priv, i, &xs);
		/* dropped by the kernel: no room in the RX ring, or for other reasons (a frame
		 * larger than a chunk, no buffer in the fill ring) */
		st->imissed += xs.rx_dropped + xs.rx_ring_full;
		st->oerrors += xs.tx_invalid_descs;
	}
	return 0;
}

static int axdp_stats_reset(struct px_eth_dev *dev)
{
	struct axdp_priv *priv = dev->dev_private;

	for (unsigned int i = 0; i < priv->queue_count; i++) {
		struct axdp_queue *q = &priv->q[i];
		socklen_t len = sizeof(priv->base[i]);

		eth_queue_stats_reset(&q->rx_stats);
		eth_queue_stats_reset(&q->tx_stats);
		px_counter64_reset(&q->tx_copies);
		memset(&priv->base[i], 0, sizeof(priv->base[i]));
		if (q->xsk != NULL)
			(void)getsockopt(q->fd, SOL_XDP, XDP_STATISTICS, &priv->base[i], &len);
	}
	return 0;
}

/* Per queue: the kernel's XDP_STATISTICS, then the TX copies. */
static const struct {
	const char *name;
	size_t off;
} axdp_xstats[] = {
	{"xdp_rx_dropped", offsetof(struct xdp_statistics, rx_dropped)},
	{"xdp_rx_invalid_descs", offsetof(struct xdp_statistics, rx_invalid_descs)},
	{"xdp_tx_invalid_descs", offsetof(struct xdp_statistics, tx_invalid_descs)},
	{"xdp_rx_ring_full", offsetof(struct xdp_statistics, rx_ring_full)},
	{"xdp_rx_fill_ring_empty_descs", offsetof(struct xdp_statistics, rx_fill_ring_empty_descs)},
	{"xdp_tx_ring_empty_descs", offsetof(struct xdp_statistics, tx_ring_empty_descs)},
};
#define AXDP_NB_XSTATS ((unsigned int)PX_DIM(axdp_xstats) + 1)

static int axdp_xstats_get_names(struct px_eth_dev *dev, struct px_eth_xstat_name *names,
				 unsigned int size)
{
	struct axdp_priv *priv = dev->dev_private;
	unsigned int n = priv->queue_count * AXDP_NB_XSTATS, k = 0;

	if (names == NULL || size < n)
		return (int)n;
	for (unsigned int i = 0; i < priv->queue_count; i++) {
		for (size_t j = 0; j < PX_DIM(axdp_xstats); j++)
			snprintf(names[k++].name, sizeof(names[0].name), "q%u_%s", i,
				 axdp_xstats[j].name);
		snprintf(names[k++].name, sizeof(names[0].name), "tx_q%u_copies", i);
	}
	return (int)n;
}

static int axdp_xstats_get(struct px_eth_dev *dev, struct px_eth_xstat *xstats, unsigned int n)
{
	struct axdp_priv *priv = dev->dev_private;
	unsigned int total = priv->queue_count * AXDP_NB_XSTATS, k = 0;

	if (xstats == NULL || n < total)
		return (int)total;
	for (unsigned int i = 0; i < priv->queue_count; i++) {
		struct xdp_statistics xs;

		axdp_xdp_stats(priv, i, &xs);
		for (size_t j = 0; j < PX_DIM(axdp_xstats); j++, k++)
			xstats[k].value =
				*(const uint64_t *)((const char *)&xs + axdp_xstats[j].off);
		xstats[k++].value = px_counter64_fetch(&priv->q[i].tx_copies);
	}
	return (int)total;
}

static void axdp_priv_free(struct axdp_priv *priv)
{
	for (unsigned int i = 0; i < AXDP_MAX_QUEUES; i++)
		axdp_queue_close(&priv->q[i]);
	axdp_prog_detach(priv);
	xdp_program__close(priv->prog);
	if (priv->nd.fd >= 0)
		close(priv->nd.fd);
	free(priv->prog_path);
	free(priv);
}

static int axdp_close(struct px_eth_dev *dev)
{
	struct axdp_priv *priv = dev->dev_private;

	/* the final counts, per queue, before the sockets go */
	for (unsigned int i = 0; i < priv->queue_count && priv->q[i].xsk != NULL; i++) {
		struct axdp_queue *q = &priv->q[i];
		struct xdp_statistics xs;

		axdp_xdp_stats(priv, i, &xs);
		AXDP_LOG(INFO, "%s: %s queue %u: rx %" PRIu64 " tx %" PRIu64 " missed %" PRIu64,
			 dev->name, priv->nd.iface, q->qid, px_counter64_fetch(&q->rx_stats.pkts),
			 px_counter64_fetch(&q->tx_stats.pkts),
			 (uint64_t)(xs.rx_dropped + xs.rx_ring_full));
	}
	axdp_priv_free(priv);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops axdp_ops = {
	.dev_infos_get = axdp_infos,
	.dev_start = axdp_start,
	.dev_stop = eth_dev_stop_link_down,
	.dev_close = axdp_close,
	.rx_queue_setup = axdp_rxq_setup,
	.tx_queue_setup = axdp_txq_setup,
	.link_update = eth_netdev_link_update,
	.stats_get = axdp_stats_get,
	.stats_reset = axdp_stats_reset,
	.xstats_get_names = axdp_xstats_get_names,
	.xstats_get = axdp_xstats_get,
	.promiscuous_enable = eth_netdev_promisc_enable,
	.promiscuous_disable = eth_netdev_promisc_disable,
	.allmulticast_enable = eth_netdev_allmulti_enable,
	.allmulticast_disable = eth_netdev_allmulti_disable,
	.mac_addr_set = eth_netdev_mac_set,
	.mtu_set = axdp_mtu_set,
	.dev_set_link_up = eth_netdev_set_link_up,
	.dev_set_link_down = eth_netdev_set_link_down,
};

/* ---- devargs and what the host must offer ---- */

static int parse_iface(const char *key, const char *value, void *opaque)
{
	struct axdp_priv *priv = opaque;

	if (strlen(value) >= sizeof(priv->nd.iface)) {
		AXDP_LOG(ERR, "net_af_xdp: %s=%s: an interface name has at most %d characters", key,
			 value, IF_NAMESIZE - 1);
		return -EINVAL;
	}
	strcpy(priv->nd.iface, value);
	priv->ifindex = (int)if_nametoindex(value);
	if (priv->ifindex == 0) {
		AXDP_LOG(ERR, "net_af_xdp: %s=%s: no such interface (ip link show lists them)", key,
			 value);
		return -EINVAL;
	}
	return 0;
}

/* DPDK's keys that this driver knows and does not do: refused unless off. */
static int parse_refused(const char *key, const char *value, void *opaque)
{
	(void)opaque;
	if (strcmp(value, "0") == 0)
		return 0;
	if (strcmp(key, "shared_umem") == 0)
		AXDP_LOG(ERR,
			 "net_af_xdp: shared_umem=%s: not supported: each queue has a UMEM of "
			 "its own over the mempool's memory already (drop the key)",
			 value);
	else
		AXDP_LOG(ERR,
			 "net_af_xdp: use_cni=%s: not supported: the AF_XDP device plugin's "
			 "socket is not used; run with the capabilities to load XDP (drop "
			 "the key)",
			 value);
	return -ENOTSUP;
}

static int axdp_parse_prog(const struct px_kvargs *args, struct axdp_priv *priv)
{
	const char *path = px_kvargs_get(args, "xdp_prog");
	char why[128];
	long err;

	if (path == NULL)
		return 0;
	priv->prog_path = strdup(path);
	if (priv->prog_path == NULL)
		return -ENOMEM;
	priv->prog = xdp_program__open_file(path, NULL, NULL);
	err = libxdp_get_error(priv->prog);
	if (err) {
		priv->prog = NULL;
		/* libbpf has codes of its own from 4000 (LIBBPF_ERRNO__START) */
		libbpf_strerror((int)err, why, sizeof(why));
		AXDP_LOG(ERR,
			 "net_af_xdp: xdp_prog=%s: cannot open it as a BPF object with an XDP "
			 "program: %s (build it with clang -O2 -g -target bpf -c)",
			 path, why);
		return -EINVAL;
	}
	if (bpf_object__find_map_by_name(xdp_program__bpf_obj(priv->prog), "xsks_map") == NULL) {
		AXDP_LOG(ERR,
			 "net_af_xdp: xdp_prog=%s: the program has no map called xsks_map "
			 "(a BPF_MAP_TYPE_XSKMAP it redirects to with bpf_redirect_map)",
			 path);
		return -EINVAL;
	}
	return 0;
}

static int axdp_parse(const struct px_kvargs *args, struct axdp_priv *priv)
{
	uint64_t start = 0, count = 1, budget = 0;
	int ret;

	if (args == NULL || px_kvargs_count(args, "iface") != 1) {
		AXDP_LOG(ERR, "net_af_xdp: iface=<interface> is required, once");
		return -EINVAL;
	}
	ret = px_kvargs_process(args, "iface", parse_iface, priv);
	if (ret == 0)
		ret = px_kvargs_get_u64(args, "start_queue", 0, 1023, &start);
	if (ret == 0)
		ret = px_kvargs_get_u64(args, "queue_count", 1, AXDP_MAX_QUEUES, &count);
	if (ret == 0)
		ret = px_kvargs_get_u64(args, "busy_budget", 0, 1024, &budget);
	if (ret == 0)
		ret = px_kvargs_get_bool(args, "force_copy", &priv->force_copy);
	if (ret == 0)
		ret = px_kvargs_process(args, "shared_umem", parse_refused, NULL);
	if (ret == 0)
		ret = px_kvargs_process(args, "use_cni", parse_refused, NULL);
	if (ret == 0)
		ret = axdp_parse_prog(args, priv);
	priv->start_queue = (uint32_t)start;
	priv->queue_count = (uint32_t)count;
	priv->busy_budget = (uint32_t)budget;
	return ret < 0 ? -EINVAL : 0;
}

/* How many queue pairs the interface has: ethtool's channels (combined plus RX-only or
 * TX-only), else the queues sysfs lists. 0 when neither says. */
static uint32_t axdp_iface_queues(const struct axdp_priv *priv)
{
	struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
	struct ifreq ifr = {.ifr_data = (void *)&ch};
	uint32_t rx = 0, tx = 0;
	char path[64];
	struct dirent *e;
	DIR *d;

	if (eth_netdev_ioctl(priv->nd.fd, priv->nd.iface, SIOCETHTOOL, &ifr) == 0 &&
	    ch.combined_count + ch.rx_count > 0)
		return PX_MIN(ch.combined_count + ch.rx_count, ch.combined_count + ch.tx_count);
	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", priv->nd.iface);
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		rx += strncmp(e->d_name, "rx-", 3) == 0;
		tx += strncmp(e->d_name, "tx-", 3) == 0;
	}
	closedir(d);
	return PX_MIN(rx, tx);
}

/* What the kernel must offer, checked at probe so that a bad command line fails there: AF_XDP
 * sockets, the permission to make them, and the queues asked for. */
static int axdp_check_host(struct axdp_priv *priv, const char *name)
{
	uint32_t nq;
	int fd = socket(AF_XDP, SOCK_RAW, 0);

	if (fd < 0) {
		int ret = -errno;

		AXDP_LOG(ERR, "%s: cannot open an AF_XDP socket: %s%s", name, strerror(-ret),
			 ret == -EPERM ? " (needs CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF: run as root)"
			 : ret == -EAFNOSUPPORT
				 ? " (the kernel has no AF_XDP: build it with CONFIG_XDP_SOCKETS=y)"
				 : "");
		return ret;
	}
	close(fd);
	nq = axdp_iface_queues(priv);
	if (nq > 0 && priv->start_queue + priv->queue_count > nq) {
		AXDP_LOG(
			ERR,
			"%s: start_queue=%u queue_count=%u: %s has %u queue%s (0..%u): lower them, "
			"or give the interface more (ethtool -L %s combined N; a veth: ip link "
			"add ... numrxqueues N numtxqueues N, then ethtool -L %s rx N tx N)",
			name, priv->start_queue, priv->queue_count, priv->nd.iface, nq,
			nq > 1 ? "s" : "", nq - 1, priv->nd.iface, priv->nd.iface);
		return -EINVAL;
	}
	return 0;
}

/* ---- probe / remove ---- */

static struct axdp_priv *axdp_priv_new(void)
{
	struct axdp_priv *priv = calloc(1, sizeof(*priv));

	if (priv == NULL)
		return NULL;
	priv->xsks_map_fd = -1;
	priv->nd.fd = -1;
	for (unsigned int i = 0; i < AXDP_MAX_QUEUES; i++) {
		priv->q[i].fd = -1;
		priv->q[i].xsks_map_fd = -1;
	}
	return priv;
}

static int axdp_probe(const char *name, const struct px_kvargs *args)
{
	struct axdp_priv *priv = axdp_priv_new();
	struct px_eth_dev *dev;
	int ret;

	if (priv == NULL)
		return -ENOMEM;
	libxdp_set_print(axdp_libxdp_print);
	libbpf_set_print(axdp_libbpf_print);
	ret = axdp_parse(args, priv);
	if (ret < 0)
		goto free_priv;
	priv->nd.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (priv->nd.fd < 0) {
		ret = -errno;
		goto free_priv;
	}
	ret = axdp_check_host(priv, name);
	if (ret < 0)
		goto free_priv;
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		goto free_priv;
	}
	dev->ops = &axdp_ops;
	dev->dev_private = priv;
	dev->rx_pkt_burst = axdp_rx;
	dev->tx_pkt_burst = axdp_tx;
#ifdef PX_ETH_DEV_F_QUEUE_XSTATS
	dev->dev_flags |= PX_ETH_DEV_F_QUEUE_XSTATS;
#endif
	for (unsigned int i = 0; i < priv->queue_count; i++) {
		priv->q[i].port = dev->port_id;
		priv->q[i].qid = (uint16_t)(priv->start_queue + i);
	}
	ret = eth_netdev_read(dev);
	if (ret < 0)
		goto release_port;
	eth_dev_probing_finish(dev);
	AXDP_LOG(INFO, "%s: port %u on %s, queues %u..%u%s%s", name, dev->port_id, priv->nd.iface,
		 priv->start_queue, priv->start_queue + priv->queue_count - 1,
		 priv->force_copy ? ", copy mode forced" : "",
		 priv->prog_path != NULL ? ", xdp_prog" : "");
	return 0;
release_port:
	eth_dev_release_port(dev);
free_priv:
	axdp_priv_free(priv);
	return ret;
}

static struct px_vdev_driver axdp_driver = {
	.name = "net_af_xdp",
	.params = axdp_params,
	.probe = axdp_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(driver_init_af_xdp, axdp_driver)

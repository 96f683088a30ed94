/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet: a port over a Linux interface through PF_PACKET sockets (packet(7), and the
 * kernel's Documentation/networking/packet_mmap.rst, "packet_mmap" below).
 *
 *   --vdev net_af_packet0,iface=eth0[,qpairs=N][,blocksz=N][,framesz=N][,framecnt=N]
 *                                  [,qdisc_bypass=0|1][,tpacket_version=2|3]
 *
 * Each queue pair is one socket with two mmap'd rings: a TPACKET_V3 receive ring (the kernel
 * fills whole blocks; RX walks a block's frames, copies each into an mbuf, and hands the block
 * back) and a transmit ring of framecnt frames (TX copies each mbuf into a frame, marks it
 * SEND_REQUEST, and kicks the kernel once per burst with sendto()). With qpairs > 1 the sockets
 * form one PACKET_FANOUT_HASH group, so the kernel spreads flows over the queues.
 *
 * A V3 block reaches user space when it is full or when its timeout (1 ms) retires it: at a low
 * rate each frame waits up to that long. tpacket_version=2 trades that for a ring of frames
 * each handed over as soon as it is written (packet_mmap, "TPACKET versions"), as DPDK's
 * af_packet PMD does; the same ring geometry, one burst function per version.
 */
#include <assert.h>
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <px_counter.h>
#include <px_kvargs.h>
#include <px_mbuf.h>

#include "bus_vdev_driver.h"
#include "ethdev_driver.h"
#include "ethdev_netdev.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23 /* Linux 4.20 */
#endif
#ifndef PACKET_FANOUT_FLAG_UNIQUEID
#define PACKET_FANOUT_FLAG_UNIQUEID 0x2000 /* Linux 4.5 */
#endif

#define AFP_MAX_QUEUES 16
#define AFP_DEFAULT_BLOCKSZ 4096
#define AFP_DEFAULT_FRAMESZ 2048
#define AFP_DEFAULT_FRAMECNT 512
/* packet_mmap: a V3 block is retired to user space after this long even when not full (ms) */
#define AFP_BLOCK_TIMEOUT_MS 1
/* where a transmit frame's data starts: the kernel reads it at tp_hdrlen - sizeof(sockaddr_ll) */
#define AFP_TX_DATA_OFF_V3 TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
#define AFP_TX_DATA_OFF_V2 TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
/* PACKET_VNET_HDR: a struct virtio_net_hdr before every frame of both rings. TX sets its
 * hdr_len, the bytes tpacket_snd() copies into the skb's linear part (the rest it references in
 * the ring as page fragments, which a veth, a bridge or any local receiver then copies into
 * freshly allocated pages: skb_copy_ubufs()); frames up to AFP_TX_LINEAR_MAX are copied whole. */
#define AFP_VNET_HLEN ((uint32_t)sizeof(struct virtio_net_hdr))
#define AFP_TX_LINEAR_MAX 256
/* where the kernel puts a received Ethernet frame in a V2 slot (tpacket_rcv(): the header and
 * sockaddr_ll, then room for a 16-byte link header, aligned, and the virtio-net header; the
 * frame ends at the network header): a longer frame does not fit the slot */
#define AFP_RX_MAC_OFF_V2 (TPACKET_ALIGN(TPACKET2_HDRLEN + 16) + AFP_VNET_HLEN - ETH_HLEN)
#define AFP_VLAN_HLEN 4

static const char afp_params[] = "iface=<string> qpairs=<int> blocksz=<int> framesz=<int> "
				 "framecnt=<int> qdisc_bypass=<0|1> tpacket_version=<2|3>";
struct afp_queue {
	int fd;
	uint16_t port;
	/* RX: the V3 ring, walked block by block */
	struct px_mempool *mp;
	uint8_t *rx_ring;
	uint32_t blk_size, blk_nr, blk_cur;
	uint32_t blk_left;            /* frames not yet read in the current block */
	struct tpacket3_hdr *rx_next; /* the next of them */
	uint32_t rx_cur;              /* TPACKET_V2: the next frame */
	/* TX: framecnt frames of framesz bytes, laid out block by block */
	uint8_t *tx_ring;
	uint32_t frame_size, frame_nr, frames_per_blk, frame_cur;
	struct eth_queue_stats
		stats; /* errs: RX frame larger than an mbuf, TX larger than a frame */
	/* PACKET_STATISTICS, summed since the last reset (control path only): frames the kernel
	 * dropped with the ring full, and how often it froze the ring for want of a free block */
	uint64_t drops, freezes;
	size_t map_len;
	uint8_t *map;
} __px_cache_aligned;

struct afp_priv {
	struct eth_netdev nd; /* first (the shared ops find it there); nd.fd is rxq[0].fd */
	int ifindex;
	unsigned int qpairs;
	uint32_t blocksz, framesz, framecnt;
	uint32_t version; /* TPACKET_V2 or TPACKET_V3 */
	bool qdisc_bypass;
	/* queue pair i: rxq[i] and txq[i] share a socket and its mapping (owned by rxq[i]) */
	struct afp_queue rxq[AFP_MAX_QUEUES];
	struct afp_queue txq[AFP_MAX_QUEUES];
};
static_assert(offsetof(struct afp_priv, nd) == 0, "ethdev_netdev.h: private data starts with it");

PX_LOG_REGISTER(afp_pmd_logtype, "pmd.net.af_packet", DEFAULT)
#define AFP_LOG(lvl, ...) PX_LOG(lvl, afp_pmd_logtype, __VA_ARGS__)

/* ---- burst functions ---- */

static inline struct tpacket_block_desc *afp_block(struct afp_queue *q, uint32_t i)
{
	return (struct tpacket_block_desc *)(q->rx_ring + (size_t)i * q->blk_size);
}

/* What a received frame's header (V2 or V3) says of it. */
struct afp_rx_frame {
	const uint8_t *data;
	uint32_t snaplen, len, status;
	uint16_t tci, tpid;
};

/* Copy one received frame into @m, putting back the VLAN tag the kernel took out
 * (TP_STATUS_VLAN_VALID: the device stripped it), so the frame is the one on the wire.
 * @return false when it does not fit the mbuf, or did not fit the ring (cut short). */
static inline bool afp_rx_copy(struct afp_queue *q, const struct afp_rx_frame *f, struct px_mbuf *m)
{
	bool vlan = (f->status & TP_STATUS_VLAN_VALID) && f->snaplen >= 2 * ETH_ALEN;
	uint32_t len = f->snaplen + (vlan ? AFP_VLAN_HLEN : 0);
	uint8_t *dst = px_pktmbuf_mtod(m, uint8_t *);

	if (px_unlikely(len > px_pktmbuf_tailroom(m) || f->snaplen != f->len))
		return false;
	if (vlan) {
		uint16_t tpid = (f->status & TP_STATUS_VLAN_TPID_VALID) ? f->tpid : ETH_P_8021Q;

		memcpy(dst, f->data, 2 * ETH_ALEN);
		dst[12] = (uint8_t)(tpid >> 8), dst[13] = (uint8_t)tpid;
		dst[14] = (uint8_t)(f->tci >> 8), dst[15] = (uint8_t)f->tci;
		memcpy(dst + 16, f->data + 2 * ETH_ALEN, f->snaplen - 2 * ETH_ALEN);
	} else {
		memcpy(dst, f->data, f->snaplen);
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->port = q->port;
	return true;
}

/* Start the next block if the kernel has handed it over. @return false when it has not. */
static inline bool afp_rx_block_open(struct afp_queue *q)
{
	struct tpacket_block_desc *b = afp_block(q, q->blk_cur);

	/* packet_mmap: the kernel sets TP_STATUS_USER after it has written the block */
	if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
		return false;
	q->blk_left = b->hdr.bh1.num_pkts;
	q->rx_next = (struct tpacket3_hdr *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);
	return true;
}

/* The current block is read: give it back to the kernel. */
static inline void afp_rx_block_close(struct afp_queue *q)
{
	__atomic_store_n(&afp_block(q, q->blk_cur)->hdr.bh1.block_status, TP_STATUS_KERNEL,
			 __ATOMIC_RELEASE);
	q->blk_cur = q->blk_cur + 1 == q->blk_nr ? 0 : q->blk_cur + 1;
}

static uint16_t afp_rx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct afp_queue *q = qp;
	uint64_t bytes = 0;
	uint16_t got = 0;

	while (got < n) {
		struct px_mbuf *m;

		if (q->blk_left == 0 && !afp_rx_block_open(q))
			break;
		if (q->blk_left > 0) {
			m = px_pktmbuf_alloc(q->mp);
			if (px_unlikely(m == NULL)) {
				/* the frame stays in the ring for the next burst */
				px_counter64_add(&q->stats.nombuf, 1);
				break;
			}
			const struct tpacket3_hdr *h = q->rx_next;
			const struct afp_rx_frame f = {
				.data = (const uint8_t *)h + h->tp_mac,
				.snaplen = h->tp_snaplen,
				.len = h->tp_len,
				.status = h->tp_status,
				.tci = (uint16_t)h->hv1.tp_vlan_tci,
				.tpid = h->hv1.tp_vlan_tpid,
			};

			if (px_likely(afp_rx_copy(q, &f, m))) {
				bytes += m->pkt_len;
				pkts[got++] = m;
			} else {
				px_pktmbuf_free(m);
				px_counter64_add(&q->stats.errs, 1);
			}
			q->rx_next = (struct tpacket3_hdr *)((uint8_t *)q->rx_next +
							     q->rx_next->tp_next_offset);
			q->blk_left--;
		}
		if (q->blk_left == 0)
			afp_rx_block_close(q);
	}
	px_counter64_add(&q->stats.pkts, got);
	px_counter64_add(&q->stats.bytes, bytes);
	return got;
}

/* Frame @i of a ring of frames laid out block by block (TX; RX of TPACKET_V2). */
static inline void *afp_frame(const struct afp_queue *q, uint8_t *ring, uint32_t i)
{
	uint32_t blk = i / q->frames_per_blk, off = i % q->frames_per_blk;

	return ring + (size_t)blk * q->blk_size + (size_t)off * q->frame_size;
}

/* TPACKET_V2: walk the ring frame by frame; each is the user's once the kernel set
 * TP_STATUS_USER in it, and is given back with TP_STATUS_KERNEL (packet_mmap). */
static uint16_t afp_rx_v2(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct afp_queue *q = qp;
	uint64_t bytes = 0;
	uint16_t got = 0;

	while (got < n) {
		struct tpacket2_hdr *h = afp_frame(q, q->rx_ring, q->rx_cur);
		struct px_mbuf *m;

		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		m = px_pktmbuf_alloc(q->mp);
		if (px_unlikely(m == NULL)) {
			px_counter64_add(&q->stats.nombuf, 1); /* the frame stays in the ring */
			break;
		}
		const struct afp_rx_frame f = {.data = (const uint8_t *)h + h->tp_mac,
					       .snaplen = h->tp_snaplen,
					       .len = h->tp_len,
					       .status = h->tp_status,
					       .tci = h->tp_vlan_tci,
					       .tpid = h->tp_vlan_tpid};

		if (px_likely(afp_rx_copy(q, &f, m))) {
			bytes += m->pkt_len;
			pkts[got++] = m;
		} else {
			px_pktmbuf_free(m);
			px_counter64_add(&q->stats.errs, 1);
		}
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		q->rx_cur = q->rx_cur + 1 == q->frame_nr ? 0 : q->rx_cur + 1;
	}
	px_counter64_add(&q->stats.pkts, got);
	px_counter64_add(&q->stats.bytes, bytes);
	return got;
}

static __px_always_inline uint32_t afp_tx_data_off(uint32_t version)
{
	return version == TPACKET_V2 ? AFP_TX_DATA_OFF_V2 : AFP_TX_DATA_OFF_V3;
}

/* Copy every segment of @m into frame @h's data, after its virtio-net header (no offload; a
 * small frame all linear). @return the frame's status word. */
static __px_always_inline uint32_t *afp_tx_copy(void *h, const struct px_mbuf *m, uint32_t version)
{
	uint8_t *dst = (uint8_t *)h + afp_tx_data_off(version);
	const uint32_t len = m->pkt_len + AFP_VNET_HLEN;

	*(struct virtio_net_hdr *)dst = (struct virtio_net_hdr){
		.hdr_len = (uint16_t)(m->pkt_len <= AFP_TX_LINEAR_MAX ? m->pkt_len : 0)};
	dst += AFP_VNET_HLEN;

	for (const struct px_mbuf *s = m; s != NULL; s = s->next) {
		memcpy(dst, px_pktmbuf_mtod(s, const void *), s->data_len);
		dst += s->data_len;
	}
	if (version == TPACKET_V2) {
		struct tpacket2_hdr *h2 = h;

		h2->tp_len = h2->tp_snaplen = len;
		return &h2->tp_status;
	}
	struct tpacket3_hdr *h3 = h;

	h3->tp_len = h3->tp_snaplen = len;
	h3->tp_next_offset = 0; /* the kernel refuses variable-sized slots */
	return &h3->tp_status;
}

static __px_always_inline uint32_t afp_tx_status(void *h, uint32_t version)
{
	uint32_t *st = version == TPACKET_V2 ? &((struct tpacket2_hdr *)h)->tp_status
					     : &((struct tpacket3_hdr *)h)->tp_status;

	return __atomic_load_n(st, __ATOMIC_ACQUIRE);
}

/* The transmit burst; @version a constant in each caller (the frame header's layout). */
static __px_always_inline uint16_t afp_tx_common(void *qp, struct px_mbuf **pkts, uint16_t n,
						 uint32_t version)
{
	struct afp_queue *q = qp;
	const uint32_t room = q->frame_size - afp_tx_data_off(version) - AFP_VNET_HLEN;
	uint64_t bytes = 0;
	uint16_t done = 0, queued = 0;

	for (; done < n; done++) {
		void *h = afp_frame(q, q->tx_ring, q->frame_cur);
		uint32_t st = afp_tx_status(h, version);

		/* the kernel sets a frame back to AVAILABLE once sent (WRONG_FORMAT: dropped) */
		if (st != TP_STATUS_AVAILABLE && st != TP_STATUS_WRONG_FORMAT)
			break; /* ring full */
		if (px_unlikely(pkts[done]->pkt_len > room)) {
			px_counter64_add(&q->stats.errs, 1);
			continue; /* consumed and dropped, like a NIC drops an oversized frame */
		}
		bytes += pkts[done]->pkt_len;
		__atomic_store_n(afp_tx_copy(h, pkts[done], version), TP_STATUS_SEND_REQUEST,
				 __ATOMIC_RELEASE);
		q->frame_cur = q->frame_cur + 1 == q->frame_nr ? 0 : q->frame_cur + 1;
		queued++;
	}
	/* One kick for the burst; frames the kernel cannot take now go with the next kick. A full
	 * ring kicks too: the kernel stops sending while the socket's send buffer is full (frames
	 * still in another CPU's backlog) and leaves the rest of the ring waiting, and with nothing
	 * new queued no later burst would kick it again: the port would never send another frame.
	 */
	if (queued > 0 || done < n)
		(void)sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	px_counter64_add(&q->stats.pkts, queued);
	px_counter64_add(&q->stats.bytes, bytes);
	px_pktmbuf_free_bulk(pkts, done);
	return done;
}

static uint16_t afp_tx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	return afp_tx_common(qp, pkts, n, TPACKET_V3);
}

static uint16_t afp_tx_v2(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	return afp_tx_common(qp, pkts, n, TPACKET_V2);
}

/* ---- the interface: ethdev_netdev's ops on queue pair 0's socket, but for these ---- */

/* Membership in promiscuous/all-multicast is counted by the kernel per socket: one is enough,
 * and it ends with the socket. */
static int afp_membership(struct px_eth_dev *dev, unsigned short type, bool on)
{
	struct afp_priv *priv = dev->dev_private;
	struct packet_mreq mr = {.mr_ifindex = priv->ifindex, .mr_type = type};

	if (setsockopt(priv->rxq[0].fd, SOL_PACKET,
		       on ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		int ret = -errno;

		AFP_LOG(ERR, "%s: %s: %s", dev->name, priv->nd.iface, strerror(-ret));
		return ret;
	}
	return 0;
}

static int afp_promisc_on(struct px_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_PROMISC, true);
}

static int afp_promisc_off(struct px_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_PROMISC, false);
}

static int afp_allmulti_on(struct px_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_ALLMULTI, true);
}

static int afp_allmulti_off(struct px_eth_dev *dev)
{
	return afp_membership(dev, PACKET_MR_ALLMULTI, false);
}

/* Bytes of a frame slot before the frame: V3, the TX header (a V3 block holds larger
 * frames); V2, where RX puts the frame (after more than the TX header). */
static uint32_t afp_frame_hdr(const struct afp_priv *priv)
{
	return priv->version == TPACKET_V2 ? AFP_RX_MAC_OFF_V2 : AFP_TX_DATA_OFF_V3 + AFP_VNET_HLEN;
}

static uint32_t afp_max_frame(const struct afp_priv *priv)
{
	return priv->framesz - afp_frame_hdr(priv);
}

static int afp_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	struct afp_priv *priv = dev->dev_private;

	if ((uint32_t)mtu + ETH_HLEN + AFP_VLAN_HLEN > afp_max_frame(priv)) {
		AFP_LOG(ERR, "%s: MTU %u does not fit framesz=%u: raise framesz", dev->name, mtu,
			priv->framesz);
		return -EINVAL;
	}
	return eth_netdev_mtu_set(dev, mtu);
}

/* ---- control ---- */

static int afp_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	struct afp_priv *priv = dev->dev_private;

	info->driver_name = "net_af_packet";
	info->max_rx_queues = (uint16_t)priv->qpairs;
	info->max_tx_queues = (uint16_t)priv->qpairs;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->max_rx_pktlen = afp_max_frame(priv);
	info->min_mtu = 68;
	info->max_mtu = (uint16_t)(afp_max_frame(priv) - ETH_HLEN - AFP_VLAN_HLEN);
	return 0;
}

static int afp_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			 const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct afp_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	priv->rxq[q].mp = mp;
	dev->rx_queues[q] = &priv->rxq[q];
	return 0;
}

static int afp_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			 const struct px_eth_txconf *conf)
{
	struct afp_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	dev->tx_queues[q] = &priv->txq[q];
	return 0;
}

static int afp_start(struct px_eth_dev *dev)
{
	return eth_netdev_link_update(dev, 0);
}

/* PACKET_STATISTICS (packet(7)): what the kernel dropped because the ring was full, and how
 * often it froze the ring. Reading clears them: they are summed here. */
static void afp_sum_drops(struct afp_priv *priv)
{
	for (unsigned int q = 0; q < priv->qpairs; q++) {
		struct tpacket_stats_v3 st = {0}; /* V2: struct tpacket_stats, no freezes */
		socklen_t len = sizeof(st);

		if (getsockopt(priv->rxq[q].fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
			priv->rxq[q].drops += st.tp_drops;
			priv->rxq[q].freezes += st.tp_freeze_q_cnt;
		}
	}
}

static int afp_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct afp_priv *priv = dev->dev_private;

	afp_sum_drops(priv);
	for (unsigned int q = 0; q < priv->qpairs; q++) {
		eth_queue_stats_add(st, q, &priv->rxq[q].stats, &priv->txq[q].stats);
		st->imissed += priv->rxq[q].drops;
	}
	return 0;
}

static int afp_stats_reset(struct px_eth_dev *dev)
{
	struct afp_priv *priv = dev->dev_private;

	afp_sum_drops(priv);
	for (unsigned int q = 0; q < priv->qpairs; q++) {
		priv->rxq[q].drops = priv->rxq[q].freezes = 0;
		eth_queue_stats_reset(&priv->rxq[q].stats);
		eth_queue_stats_reset(&priv->txq[q].stats);
	}
	return 0;
}

/* xstats of the driver's own, after ethdev's per-queue ones: PACKET_STATISTICS per queue */
#define AFP_NB_QUEUE_XSTATS 2

static int afp_xstats_get_names(struct px_eth_dev *dev, struct px_eth_xstat_name *names,
				unsigned int size)
{
	struct afp_priv *priv = dev->dev_private;
	unsigned int n = priv->qpairs * AFP_NB_QUEUE_XSTATS;

	for (unsigned int q = 0; names != NULL && size >= n && q < priv->qpairs; q++) {
		snprintf(names[2 * q].name, sizeof(names[0].name), "rx_q%u_tp_drops", q);
		snprintf(names[2 * q + 1].name, sizeof(names[0].name), "rx_q%u_tp_freeze_q_cnt", q);
	}
	return (int)n;
}

static int afp_xstats_get(struct px_eth_dev *dev, struct px_eth_xstat *xstats, unsigned int n)
{
	struct afp_priv *priv = dev->dev_private;

	if (xstats == NULL || n < priv->qpairs * AFP_NB_QUEUE_XSTATS)
		return (int)(priv->qpairs * AFP_NB_QUEUE_XSTATS);
	afp_sum_drops(priv);
	for (unsigned int q = 0; q < priv->qpairs; q++) {
		xstats[2 * q].value = priv->rxq[q].drops;
		xstats[2 * q + 1].value = priv->rxq[q].freezes;
	}
	return (int)(priv->qpairs * AFP_NB_QUEUE_XSTATS);
}

static void afp_queues_close(struct afp_priv *priv)
{
	for (unsigned int q = 0; q < AFP_MAX_QUEUES; q++) {
		struct afp_queue *rq = &priv->rxq[q];

		if (rq->map != NULL)
			munmap(rq->map, rq->map_len);
		if (rq->fd >= 0)
			close(rq->fd);
		rq->map = NULL;
		rq->fd = -1;
	}
}

static int afp_close(struct px_eth_dev *dev)
{
	struct afp_priv *priv = dev->dev_private;

	afp_queues_close(priv);
	free(priv);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops afp_ops = {
	.dev_infos_get = afp_infos,
	.dev_start = afp_start,
	.dev_stop = eth_dev_stop_link_down,
	.dev_close = afp_close,
	.rx_queue_setup = afp_rxq_setup,
	.tx_queue_setup = afp_txq_setup,
	.link_update = eth_netdev_link_update,
	.stats_get = afp_stats_get,
	.stats_reset = afp_stats_reset,
	.xstats_get_names = afp_xstats_get_names,
	.xstats_get = afp_xstats_get,
	.promiscuous_enable = afp_promisc_on,
	.promiscuous_disable = afp_promisc_off,
	.allmulticast_enable = afp_allmulti_on,
	.allmulticast_disable = afp_allmulti_off,
	.mac_addr_set = eth_netdev_mac_set,
	.mtu_set = afp_mtu_set,
	.dev_set_link_up = eth_netdev_set_link_up,
	.dev_set_link_down = eth_netdev_set_link_down,
};

/* ---- sockets and rings (packet_mmap) ---- */

static int afp_sockopt(struct afp_queue *q, const char *what, int opt, const void *val,
		       socklen_t len, const char *name)
{
	if (setsockopt(q->fd, SOL_PACKET, opt, val, len) == 0)
		return 0;
	AFP_LOG(ERR, "%s: %s: %s", name, what, strerror(errno));
	return -errno;
}

/* Both rings of one socket, mapped as one area: RX blocks, then TX blocks. V2 takes struct
 * tpacket_req: struct tpacket_req3 without the V3 receive fields. */
static int afp_rings_map(struct afp_queue *q, const struct afp_priv *priv, const char *name)
{
	struct tpacket_req3 req = {
		.tp_block_size = priv->blocksz,
		.tp_frame_size = priv->framesz,
		.tp_frame_nr = priv->framecnt,
		/* whole frames per block: framesz need not divide blocksz (packet_mmap) */
		.tp_block_nr = priv->framecnt / (priv->blocksz / priv->framesz),
	};
	const socklen_t len =
		priv->version == TPACKET_V2 ? sizeof(struct tpacket_req) : sizeof(req);
	int ret;

	q->blk_size = req.tp_block_size;
	q->blk_nr = req.tp_block_nr;
	/* the transmit ring refuses the V3 receive-only fields: set it up first */
	ret = afp_sockopt(q, "PACKET_TX_RING", PACKET_TX_RING, &req, len, name);
	if (ret < 0)
		return ret;
	req.tp_retire_blk_tov = AFP_BLOCK_TIMEOUT_MS;
	ret = afp_sockopt(q, "PACKET_RX_RING", PACKET_RX_RING, &req, len, name);
	if (ret < 0)
		return ret;
	q->map_len = 2 * (size_t)req.tp_block_size * req.tp_block_nr;
	q->map =
		mmap(NULL, q->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->fd, 0);
	if (q->map == MAP_FAILED) {
		ret = -errno;
		q->map = NULL;
		AFP_LOG(ERR, "%s: mmap of the rings (%zu bytes): %s", name, q->map_len,
			strerror(-ret));
		return ret;
	}
	q->rx_ring = q->map;
	q->tx_ring = q->map + q->map_len / 2;
	q->frame_size = priv->framesz;
	q->frame_nr = priv->framecnt;
	q->frames_per_blk = priv->blocksz / priv->framesz;
	return 0;
}

/* Join queue @q to the port's fanout group: the first queue creates it, and the kernel picks
 * an id no other group uses; the others read the id and type back from it. */
static int afp_fanout(struct afp_priv *priv, unsigned int q, const char *name)
{
	uint32_t arg = (uint32_t)(PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG |
				  PACKET_FANOUT_FLAG_UNIQUEID)
		       << 16;
	socklen_t len = sizeof(arg);

	if (q > 0) {
		if (getsockopt(priv->rxq[0].fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) < 0)
			return -errno;
		arg &= ~((uint32_t)PACKET_FANOUT_FLAG_UNIQUEID << 16);
	}
	return afp_sockopt(&priv->rxq[q], "PACKET_FANOUT", PACKET_FANOUT, &arg, sizeof(arg), name);
}

/* Queue pair @q's socket: options, rings, bound to the interface, in the fanout group. */
static int afp_queue_open(struct afp_priv *priv, unsigned int q, const char *name)
{
	struct afp_queue *rq = &priv->rxq[q];
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = priv->ifindex};
	int version = (int)priv->version, one = 1, bypass = priv->qdisc_bypass;
	int ret;

	/* protocol 0: nothing is received before the bind to the interface */
	rq->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (rq->fd < 0) {
		ret = -errno;
		AFP_LOG(ERR, "%s: cannot open a packet socket: %s%s", name, strerror(-ret),
			ret == -EPERM ? " (needs CAP_NET_RAW: run as root)" : "");
		return ret;
	}
	ret = afp_sockopt(rq, "PACKET_VERSION", PACKET_VERSION, &version, sizeof(version), name);
	/* a frame the kernel cannot send is dropped, not left blocking the ring */
	if (ret == 0)
		ret = afp_sockopt(rq, "PACKET_LOSS", PACKET_LOSS, &one, sizeof(one), name);
	/* TX copies small frames whole into the skb (AFP_TX_LINEAR_MAX); before the rings */
	if (ret == 0)
		ret = afp_sockopt(rq, "PACKET_VNET_HDR", PACKET_VNET_HDR, &one, sizeof(one), name);
	if (ret == 0 && bypass)
		ret = afp_sockopt(rq, "PACKET_QDISC_BYPASS", PACKET_QDISC_BYPASS, &bypass,
				  sizeof(bypass), name);
	if (ret == 0)
		ret = afp_rings_map(rq, priv, name);
	if (ret < 0)
		return ret;
	/* like a NIC, do not receive what the host itself sends on the interface (Linux 4.20) */
	(void)setsockopt(rq->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (bind(rq->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		ret = -errno;
		AFP_LOG(ERR, "%s: bind to %s: %s", name, priv->nd.iface, strerror(-ret));
		return ret;
	}
	if (priv->qpairs > 1) {
		ret = afp_fanout(priv, q, name);
		if (ret < 0)
			return ret;
	}
	priv->txq[q] = *rq; /* the same socket and mapping; TX counters of its own */
	return 0;
}

/* ---- devargs ---- */

static int parse_iface(const char *key, const char *value, void *opaque)
{
	struct afp_priv *priv = opaque;

	if (strlen(value) >= sizeof(priv->nd.iface)) {
		AFP_LOG(ERR, "net_af_packet: %s=%s: an interface name has at most %d characters",
			key, value, IF_NAMESIZE - 1);
		return -EINVAL;
	}
	strcpy(priv->nd.iface, value);
	priv->ifindex = (int)if_nametoindex(value);
	if (priv->ifindex == 0) {
		AFP_LOG(ERR, "net_af_packet: %s=%s: no such interface (ip link show lists them)",
			key, value);
		return -EINVAL;
	}
	return 0;
}

static int parse_u32(const char *key, const char *value, uint32_t *out, uint32_t min, uint32_t max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 0);
	if (*value == '\0' || *value == '-' || *end != '\0' || errno || v < min || v > max) {
		AFP_LOG(ERR, "net_af_packet: %s=%s: expected a number from %u to %u", key, value,
			min, max);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_qpairs(const char *key, const char *value, void *opaque)
{
	uint32_t v = 0;
	int ret = parse_u32(key, value, &v, 1, AFP_MAX_QUEUES);

	if (ret == 0)
		*(unsigned int *)opaque = v;
	return ret;
}

static int parse_num(const char *key, const char *value, void *opaque)
{
	return parse_u32(key, value, opaque, 1, 1u << 30);
}

static int parse_version(const char *key, const char *value, void *opaque)
{
	if (strcmp(value, "2") && strcmp(value, "3")) {
		AFP_LOG(ERR, "net_af_packet: %s=%s: expected 2 or 3 (TPACKET_V2 or TPACKET_V3)",
			key, value);
		return -EINVAL;
	}
	*(uint32_t *)opaque = value[0] == '2' ? TPACKET_V2 : TPACKET_V3;
	return 0;
}

static int parse_flag(const char *key, const char *value, void *opaque)
{
	if (strcmp(value, "0") && strcmp(value, "1")) {
		AFP_LOG(ERR, "net_af_packet: %s=%s: expected 0 or 1", key, value);
		return -EINVAL;
	}
	*(bool *)opaque = value[0] == '1';
	return 0;
}

/* packet_mmap's rules for the ring geometry. */
static int afp_check_geometry(const struct afp_priv *priv)
{
	long page = sysconf(_SC_PAGESIZE);

	if (priv->blocksz % (uint32_t)page || (priv->blocksz & (priv->blocksz - 1))) {
		AFP_LOG(ERR,
			"net_af_packet: blocksz=%u: must be a power of 2 and a multiple of "
			"the page size (%ld)",
			priv->blocksz, page);
		return -EINVAL;
	}
	if (priv->framesz % TPACKET_ALIGNMENT || priv->framesz > priv->blocksz ||
	    priv->framesz < afp_frame_hdr(priv) + ETH_ZLEN) {
		AFP_LOG(ERR,
			"net_af_packet: framesz=%u: must be a multiple of %d, at least %u and "
			"at most blocksz=%u",
			priv->framesz, TPACKET_ALIGNMENT, afp_frame_hdr(priv) + ETH_ZLEN,
			priv->blocksz);
		return -EINVAL;
	}
	if (priv->framecnt % (priv->blocksz / priv->framesz)) {
		AFP_LOG(ERR,
			"net_af_packet: framecnt=%u: must fill whole blocks, a multiple of "
			"blocksz/framesz = %u",
			priv->framecnt, priv->blocksz / priv->framesz);
		return -EINVAL;
	}
	return 0;
}

static int afp_parse(const struct px_kvargs *args, struct afp_priv *priv)
{
	int ret;

	priv->qpairs = 1;
	priv->blocksz = AFP_DEFAULT_BLOCKSZ;
	priv->framesz = AFP_DEFAULT_FRAMESZ;
	priv->framecnt = AFP_DEFAULT_FRAMECNT;
	priv->version = TPACKET_V3;
	if (args == NULL || px_kvargs_count(args, "iface") != 1) {
		AFP_LOG(ERR, "net_af_packet: iface=<interface> is required, once");
		return -EINVAL;
	}
	ret = px_kvargs_process(args, "iface", parse_iface, priv);
	if (ret == 0)
		ret = px_kvargs_process(args, "qpairs", parse_qpairs, &priv->qpairs);
	if (ret == 0)
		ret = px_kvargs_process(args, "blocksz", parse_num, &priv->blocksz);
	if (ret == 0)
		ret = px_kvargs_process(args, "framesz", parse_num, &priv->framesz);
	if (ret == 0)
		ret = px_kvargs_process(args, "framecnt", parse_num, &priv->framecnt);
	if (ret == 0)
		ret = px_kvargs_process(args, "qdisc_bypass", parse_flag, &priv->qdisc_bypass);
	if (ret == 0)
		ret = px_kvargs_process(args, "tpacket_version", parse_version, &priv->version);
	if (ret == 0)
		ret = afp_check_geometry(priv);
	return ret < 0 ? -EINVAL : 0;
}

/* ---- probe / remove ---- */

static int afp_probe(const char *name, const struct px_kvargs *args)
{
	struct afp_priv *priv = calloc(1, sizeof(*priv));
	struct px_eth_dev *dev;
	int ret;

	if (priv == NULL)
		return -ENOMEM;
	for (unsigned int q = 0; q < AFP_MAX_QUEUES; q++)
		priv->rxq[q].fd = -1;
	ret = afp_parse(args, priv);
	for (unsigned int q = 0; ret == 0 && q < priv->qpairs; q++)
		ret = afp_queue_open(priv, q, name);
	if (ret < 0)
		goto close_queues;
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		goto close_queues;
	}
	dev->ops = &afp_ops;
	dev->dev_private = priv;
	dev->dev_flags |= PX_ETH_DEV_F_QUEUE_XSTATS;
	dev->rx_pkt_burst = priv->version == TPACKET_V2 ? afp_rx_v2 : afp_rx;
	dev->tx_pkt_burst = priv->version == TPACKET_V2 ? afp_tx_v2 : afp_tx;
	for (unsigned int q = 0; q < priv->qpairs; q++)
		priv->rxq[q].port = priv->txq[q].port = dev->port_id;
	priv->nd.fd = priv->rxq[0].fd;
	ret = eth_netdev_read(dev);
	if (ret < 0)
		goto release_port;
	eth_dev_probing_finish(dev);
	AFP_LOG(INFO,
		"%s: port %u on %s, %u queue pair%s, TPACKET_V%u, %u frames of %u bytes in "
		"%u-byte blocks%s",
		name, dev->port_id, priv->nd.iface, priv->qpairs, priv->qpairs > 1 ? "s" : "",
		priv->version + 1, priv->framecnt, priv->framesz, priv->blocksz,
		priv->qdisc_bypass ? ", qdisc bypass" : "");
	return 0;
release_port:
	eth_dev_release_port(dev);
close_queues:
	afp_queues_close(priv);
	free(priv);
	return ret;
}

static struct px_vdev_driver afp_driver = {
	.name = "net_af_packet",
	.params = afp_params,
	.probe = afp_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(driver_init_af_packet, afp_driver)

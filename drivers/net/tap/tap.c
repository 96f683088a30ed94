/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_tap: a port that is a Linux tap interface (the kernel's Documentation/networking/tuntap.rst,
 * "tuntap" below; the virtio-net header is struct virtio_net_hdr of linux/virtio_net.h).
 *
 *   --vdev net_tap0[,iface=NAME][,mac=xx:xx:xx:xx:xx:xx|fixed][,remote=IFACE][,persist=1]
 *
 * The kernel sees a normal Ethernet interface: what Pollux sends arrives there as received,
 * what the kernel sends there is Pollux's to receive. Each RX queue is one file descriptor of
 * /dev/net/tun attached to the interface (IFF_MULTI_QUEUE: the kernel spreads flows over them);
 * a read() is one frame, a writev() sends one. Every frame carries a virtio-net header
 * (IFF_VNET_HDR), through which TX asks the kernel to finish UDP/TCP checksums or to segment
 * a large TCP packet (TSO), and RX learns which checksums the kernel has already checked and,
 * with LRO asked for, which frames are TCP segments the kernel kept together (GSO).
 * persist=1 keeps the interface after the port closes (TUNSETPERSIST, DPDK's persist);
 * remote=IFACE puts the port on another interface's wire, as DPDK's remote (tap_tc.c).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <px_counter.h>
#include <px_ip.h>
#include <px_kvargs.h>
#include <px_mbuf.h>
#include <px_tcp.h>
#include <px_udp.h>

#include "bus_vdev_driver.h"
#include "ethdev_driver.h"
#include "ethdev_netdev.h"
#include "tap_tc.h"

#ifndef IFF_NAPI
#define IFF_NAPI 0x0010 /* Linux 4.15 */
#endif

#define TAP_MAX_QUEUES 16
#define TAP_DEFAULT_IFACE "dtap%d" /* DPDK's: the kernel picks the number */
#define TAP_TX_MAX_SEGS 64         /* a 64 KiB TSO packet in 2 KiB mbufs takes 33 */
#define TAP_LINK_WAIT_MS 2000      /* link_update(wait) and start: for IFF_RUNNING */
/* DPDK's mac=fixed: 00:64:74:61:70:<n> ("\0dtap" and the n-th such port, as a digit) */
#define TAP_MAC_FIXED "fixed"
/* LRO: the largest frame the kernel hands over (an IPv6 packet with a payload_len of 65535,
 * its Ethernet and VLAN headers); what does not fit the first mbuf is read into the queue's
 * spill buffer */
#define TAP_LRO_MAX_FRAME (65535 + 40 + ETH_HLEN + 4)
#define TAP_TX_OFFLOAD_FLAGS (PX_MBUF_F_TX_IP_CKSUM | PX_MBUF_F_TX_L4_MASK | PX_MBUF_F_TX_TCP_SEG)

/* remote=: the tc priorities of its filters (on the remote: to the port's MAC, broadcast,
 * IPv6 multicast, and while promiscuous or all-multicast every frame or every multicast one;
 * on the tap: everything the port sends) */
#define TAP_TC_PRIO 0xc000
#define TAP_TC_PROMISC (TAP_TC_PRIO + 3)
#define TAP_TC_ALLMULTI (TAP_TC_PRIO + 4)
#define TAP_TC_NB_REMOTE 5

static const char tap_params[] =
	"iface=<string> mac=<xx:xx:xx:xx:xx:xx|fixed> remote=<string> persist=<0|1>";

struct tap_queue {
	int fd; /* RX: its own; TX: an RX queue's (writes of whole frames need no lock) */
	uint16_t port;
	struct px_mempool *mp;
	uint8_t *spill; /* RX with LRO: TAP_LRO_MAX_FRAME bytes, the frame past its first mbuf */
	struct eth_queue_stats stats; /* errs: RX frame larger than an mbuf, TX refused */
} __px_cache_aligned;

struct tap_priv {
	/* first (the shared ops find it there): nd.iface as asked (may hold %d), then the
	 * kernel's name; nd.fd a datagram socket for the interface ioctls */
	struct eth_netdev nd;
	short tun_flags; /* what queue 0 attached with; every queue attaches alike */
	bool has_mac;
	struct px_ether_addr mac;
	bool persist; /* persist=1: the interface stays after close */
	/* remote=: the interface whose traffic the port takes; its flags at probe, given back
	 * at close; whether the filters are set and the ingress qdiscs were made here */
	char remote[IF_NAMESIZE];
	int remote_ifindex, tap_ifindex;
	short remote_flags;
	bool tc_set, remote_qdisc_made, tap_qdisc_made;
	unsigned int nb_fds;
	int fds[TAP_MAX_QUEUES]; /* fds[0] from probe to close: the interface lives with it */
	struct tap_queue rxq[TAP_MAX_QUEUES];
	struct tap_queue txq[TAP_MAX_QUEUES];
};
static_assert(offsetof(struct tap_priv, nd) == 0, "ethdev_netdev.h: private data starts with it");

PX_LOG_REGISTER(tap_pmd_logtype, "pmd.net.tap", DEFAULT)
#define TAP_LOG(lvl, ...) PX_LOG(lvl, tap_pmd_logtype, __VA_ARGS__)

/* ---- burst functions ---- */

/* What the kernel says of a received frame's checksums: DATA_VALID, it checked them;
 * NEEDS_CSUM, the L4 checksum is not filled in but the data is intact (DPDK's L4_CKSUM_NONE).
 * With LRO (@lro a constant), a GSO frame is TCP segments of gso_size kept together, as DPDK's
 * virtio PMD reports them. */
static inline void tap_rx_offload(struct px_mbuf *m, const struct virtio_net_hdr *vh, bool lro)
{
	if (vh->flags & VIRTIO_NET_HDR_F_DATA_VALID)
		m->ol_flags |= PX_MBUF_F_RX_L4_CKSUM_GOOD;
	else if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		m->ol_flags |= PX_MBUF_F_RX_L4_CKSUM_NONE;
	if (lro && vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		m->ol_flags |= PX_MBUF_F_RX_LRO;
		m->tso_segsz = vh->gso_size;
	}
}

/* LRO: the @len bytes of a frame past its first mbuf @m, read into @rest, copied into a chain
 * of mbufs. @return false when the pool ran out (the caller frees @m and what is chained). */
static bool tap_rx_chain(struct tap_queue *q, struct px_mbuf *m, const uint8_t *rest, uint32_t len)
{
	struct px_mbuf *last = m;

	while (len > 0) {
		struct px_mbuf *seg = px_pktmbuf_alloc(q->mp);
		uint32_t k;

		if (seg == NULL)
			return false;
		k = PX_MIN(len, (uint32_t)px_pktmbuf_tailroom(seg));
		memcpy(px_pktmbuf_mtod(seg, void *), rest, k);
		seg->data_len = (uint16_t)k;
		last->next = seg;
		last = seg;
		m->nb_segs++;
		rest += k;
		len -= k;
	}
	return true;
}

/* The receive loop; @lro (a constant in each caller): frames up to 64 KiB, chained. */
static __px_always_inline uint16_t tap_rx_common(void *qp, struct px_mbuf **pkts, uint16_t n,
						 bool lro)
{
	struct tap_queue *q = qp;
	uint64_t bytes = 0;
	uint16_t got = 0;

	while (got < n) {
		struct virtio_net_hdr vh;
		struct px_mbuf *m = px_pktmbuf_alloc(q->mp);
		struct iovec iov[3];
		size_t room;
		ssize_t len;

		if (px_unlikely(m == NULL)) {
			/* frames wait in the kernel's queue for the next burst */
			px_counter64_add(&q->stats.nombuf, 1);
			break;
		}
		iov[0] = (struct iovec){.iov_base = &vh, .iov_len = sizeof(vh)};
		iov[1] = (struct iovec){.iov_base = px_pktmbuf_mtod(m, void *),
					.iov_len = px_pktmbuf_tailroom(m)};
		room = iov[1].iov_len;
		if (lro) {
			iov[2] = (struct iovec){.iov_base = q->spill, .iov_len = TAP_LRO_MAX_FRAME};
			room += TAP_LRO_MAX_FRAME;
		}
		/* tuntap: one read is one frame; EAGAIN when none waits */
		len = readv(q->fd, iov, lro ? 3 : 2);
		if (len < (ssize_t)sizeof(vh)) {
			px_pktmbuf_free(m);
			break;
		}
		len -= (ssize_t)sizeof(vh);
		/* the kernel returns the frame's full length even when it did not fit */
		if (px_unlikely((size_t)len > room)) {
			px_pktmbuf_free(m);
			px_counter64_add(&q->stats.errs, 1);
			continue;
		}
		m->data_len = (uint16_t)PX_MIN((size_t)len, iov[1].iov_len);
		m->pkt_len = (uint32_t)len;
		m->port = q->port;
		if (lro && px_unlikely(m->data_len < len) &&
		    !tap_rx_chain(q, m, q->spill, (uint32_t)len - m->data_len)) {
			px_pktmbuf_free(m); /* the frame is lost: it was read */
			px_counter64_add(&q->stats.nombuf, 1);
			break;
		}
		tap_rx_offload(m, &vh, lro);
		bytes += (uint64_t)len;
		pkts[got++] = m;
	}
	px_counter64_add(&q->stats.pkts, got);
	px_counter64_add(&q->stats.bytes, bytes);
	return got;
}

static uint16_t tap_rx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	return tap_rx_common(qp, pkts, n, false);
}

static uint16_t tap_rx_lro(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	return tap_rx_common(qp, pkts, n, true);
}

/* TCP segmentation by the kernel: the virtio-net header's GSO fields, as a virtio NIC's TSO
 * (virtio spec 1.2 §5.1.6.2; the kernel's virtio_net_hdr_to_skb() takes them from a tap
 * without any TUNSETOFFLOAD, and segments in software where the way out has no TSO). The
 * kernel first receives the whole packet, so its IP length and IPv4 header checksum must be
 * right: they are set here, as a NIC rewrites them per segment. Its segmentation
 * (tcp_gso_segment()) turns the checksum field from the pseudo-header sum over the whole
 * packet into each segment's: the field must include the L4 length, which the ethdev contract
 * leaves out (DPDK's virtio PMD adds it the same way, virtio_tso_fix_cksum()).
 * @return false when the lengths do not describe the packet. */
static bool tap_tx_tso(struct px_mbuf *m, struct virtio_net_hdr *vh)
{
	const uint32_t l3 = m->l2_len, l4 = l3 + m->l3_len, hdr = l4 + m->l4_len;
	uint8_t *ip = px_pktmbuf_mtod_offset(m, uint8_t *, l3);
	struct px_tcp_hdr *th = px_pktmbuf_mtod_offset(m, struct px_tcp_hdr *, l4);
	const bool v6 = (ip[0] >> 4) == 6;
	uint16_t l4_bytes = (uint16_t)(m->pkt_len - l4);

	/* the IP length field: IPv4 counts its header, IPv6 does not */
	if (px_unlikely(m->tso_segsz == 0 || m->l4_len < sizeof(*th) || hdr > m->data_len ||
			m->pkt_len - l3 - (v6 ? sizeof(struct px_ipv6_hdr) : 0) > UINT16_MAX))
		return false;
	if (v6) {
		struct px_ipv6_hdr *ip6 = (struct px_ipv6_hdr *)ip;

		ip6->payload_len = px_cpu_to_be_16((uint16_t)(m->pkt_len - l3 - sizeof(*ip6)));
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	} else {
		struct px_ipv4_hdr *ip4 = (struct px_ipv4_hdr *)ip;

		ip4->total_length = px_cpu_to_be_16((uint16_t)(m->pkt_len - l3));
		ip4->hdr_checksum = 0;
		ip4->hdr_checksum = px_ipv4_cksum(ip4);
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	}
	if (th->tcp_flags & PX_TCP_CWR_FLAG)
		vh->gso_type |= VIRTIO_NET_HDR_GSO_ECN; /* CWR on the first segment only */
	th->cksum = px_cksum_fold((uint64_t)th->cksum + px_cpu_to_be_16(l4_bytes));
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = (uint16_t)l4;
	vh->csum_offset = offsetof(struct px_tcp_hdr, cksum);
	vh->hdr_len = (uint16_t)hdr;
	vh->gso_size = (uint16_t)m->tso_segsz;
	return true;
}

/* A TSO packet the kernel did not take (EAGAIN) stays the application's, to be sent again:
 * its checksum field back to the pseudo-header sum without the length (ones' complement: add
 * the length's complement). */
static void tap_tx_tso_undo(struct px_mbuf *m, const struct virtio_net_hdr *vh)
{
	struct px_tcp_hdr *th = px_pktmbuf_mtod_offset(m, struct px_tcp_hdr *, vh->csum_start);
	uint16_t l4_bytes = (uint16_t)(m->pkt_len - vh->csum_start);

	th->cksum = px_cksum_fold((uint64_t)th->cksum + (uint16_t)~px_cpu_to_be_16(l4_bytes));
}

/* Fill the virtio-net header for @m's checksum and segmentation requests. The IPv4 header
 * checksum has no virtio flag: it is computed here. For UDP/TCP the kernel sums from
 * csum_start to the end and adds the result to the field, which must hold the pseudo-header
 * sum (as on any DPDK-style NIC). @return false when l2_len/l3_len do not fit the first
 * segment. */
static bool tap_tx_offload(struct px_mbuf *m, struct virtio_net_hdr *vh)
{
	uint32_t l4 = (uint32_t)m->l2_len + m->l3_len;

	if (px_unlikely(m->l3_len < sizeof(struct px_ipv4_hdr) || l4 > m->data_len))
		return false;
	if (m->ol_flags & PX_MBUF_F_TX_TCP_SEG)
		return tap_tx_tso(m, vh);
	if (m->ol_flags & PX_MBUF_F_TX_IP_CKSUM) {
		struct px_ipv4_hdr *ip = px_pktmbuf_mtod_offset(m, struct px_ipv4_hdr *, m->l2_len);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = px_ipv4_cksum(ip);
	}
	switch (m->ol_flags & PX_MBUF_F_TX_L4_MASK) {
	case PX_MBUF_F_TX_UDP_CKSUM:
		vh->csum_offset = offsetof(struct px_udp_hdr, dgram_cksum);
		break;
	case PX_MBUF_F_TX_TCP_CKSUM:
		vh->csum_offset = offsetof(struct px_tcp_hdr, cksum);
		break;
	default:
		return true;
	}
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = (uint16_t)l4;
	return true;
}

/* Send @m with one writev(): the header, then every segment in place (no copy).
 * @return 0, -EAGAIN (try again later) or another -errno (the frame is refused). */
static int tap_tx_one(struct tap_queue *q, struct px_mbuf *m)
{
	struct virtio_net_hdr vh = {.gso_type = VIRTIO_NET_HDR_GSO_NONE};
	struct iovec iov[1 + TAP_TX_MAX_SEGS];
	const struct px_mbuf *s = m;
	int nseg = 1;

	if ((m->ol_flags & TAP_TX_OFFLOAD_FLAGS) && !tap_tx_offload(m, &vh))
		return -EINVAL;
	iov[0] = (struct iovec){.iov_base = &vh, .iov_len = sizeof(vh)};
	for (; s != NULL && nseg <= TAP_TX_MAX_SEGS; s = s->next, nseg++)
		iov[nseg] = (struct iovec){.iov_base = px_pktmbuf_mtod(s, void *),
					   .iov_len = s->data_len};
	if (px_unlikely(s != NULL))
		return -EMSGSIZE;
	if (px_likely(writev(q->fd, iov, nseg) >= 0))
		return 0;
	if (errno == EAGAIN && vh.gso_type != VIRTIO_NET_HDR_GSO_NONE)
		tap_tx_tso_undo(m, &vh);
	return -errno;
}

static uint16_t tap_tx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct tap_queue *q = qp;
	uint64_t bytes = 0;
	uint16_t done = 0, sent = 0;

	for (; done < n; done++) {
		int ret = tap_tx_one(q, pkts[done]);

		if (ret == -EAGAIN)
			break; /* the application keeps this one and the rest */
		if (px_unlikely(ret < 0)) {
			/* consumed and dropped, like a NIC drops a frame it cannot send */
			px_counter64_add(&q->stats.errs, 1);
			continue;
		}
		bytes += pkts[done]->pkt_len;
		sent++;
	}
	px_counter64_add(&q->stats.pkts, sent);
	px_counter64_add(&q->stats.bytes, bytes);
	px_pktmbuf_free_bulk(pkts, done);
	return done;
}

/* ---- the interface, through ioctl(2) on a datagram socket (netdevice(7)) ---- */

static int tap_ifreq(struct tap_priv *priv, unsigned long req, struct ifreq *ifr)
{
	return eth_netdev_ioctl(priv->nd.fd, priv->nd.iface, req, ifr);
}

/* Poll the interface's flags until @flag is set or @ms have passed. IFF_RUNNING follows
 * IFF_UP only when the kernel's linkwatch has processed the change (up to a second later);
 * until then a bridge above the tap has not enabled its port either. */
static int tap_flags_wait(struct tap_priv *priv, short flag, unsigned int ms, struct ifreq *ifr)
{
	int ret;

	for (;;) {
		ret = tap_ifreq(priv, SIOCGIFFLAGS, ifr);
		if (ret < 0 || (ifr->ifr_flags & flag) || ms-- == 0)
			return ret;
		usleep(1000);
	}
}

static int tap_link_update(struct px_eth_dev *dev, int wait)
{
	struct tap_priv *priv = dev->dev_private;
	struct ifreq ifr = {0};
	int ret = tap_flags_wait(priv, IFF_RUNNING, wait ? TAP_LINK_WAIT_MS : 0, &ifr);

	if (ret < 0)
		return ret;
	dev->link = (struct px_eth_link){.link_duplex = 1};
	if ((ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING)) {
		dev->link.link_status = 1;
		dev->link.link_speed = PX_ETH_SPEED_NUM_10G; /* what DPDK's tap reports */
	}
	return 0;
}

/* ---- queues: one /dev/net/tun descriptor each (tuntap, "Multiqueue tuntap interface") ---- */

/* Attach a new descriptor to the interface with @flags. @return it, or -errno. */
static int tap_fd_open(struct tap_priv *priv, short flags, const char *name)
{
	struct ifreq ifr = {.ifr_flags = flags};
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		ret = -errno;
		TAP_LOG(ERR, "%s: cannot open /dev/net/tun: %s%s", name, strerror(-ret),
			ret == -ENOENT   ? " (load the tun module: modprobe tun)"
			: ret == -EACCES ? " (needs CAP_NET_ADMIN: run as root)"
					 : "");
		return ret;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", priv->nd.iface);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	/* the kernel's name: dtap%d becomes dtap0 */
	snprintf(priv->nd.iface, sizeof(priv->nd.iface), "%s", ifr.ifr_name);
	return fd;
}

static void tap_fds_close(struct tap_priv *priv, unsigned int from)
{
	for (unsigned int q = from; q < TAP_MAX_QUEUES; q++) {
		if (priv->fds[q] >= 0)
			close(priv->fds[q]);
		priv->fds[q] = -1;
	}
	priv->nb_fds = from < priv->nb_fds ? from : priv->nb_fds;
}

/* What the kernel may hand over (tuntap: TUNSETOFFLOAD, per interface). Without LRO nothing:
 * the kernel segments and checksums what it sends first, so no received frame exceeds the
 * MTU (an interface Pollux attaches to may have had offloads set by its last user). With LRO
 * (PX_ETH_RX_OFFLOAD_TCP_LRO) TCP segments may come together as one GSO frame of up to 64
 * KiB, their checksum not filled in (TUN_F_CSUM, which TSO needs): RX takes the burst that
 * chains them. */
static int tap_offload_set(struct px_eth_dev *dev)
{
	struct tap_priv *priv = dev->dev_private;
	bool lro = dev->conf.rxmode.offloads & PX_ETH_RX_OFFLOAD_TCP_LRO;
	unsigned long off = lro ? TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN : 0;

	if (ioctl(priv->fds[0], TUNSETOFFLOAD, off) < 0) {
		int ret = -errno;

		TAP_LOG(ERR, "%s: cannot set the offloads of %s to %#lx: %s", dev->name,
			priv->nd.iface, off, strerror(-ret));
		return ret;
	}
	dev->rx_pkt_burst = lro ? tap_rx_lro : tap_rx;
	return 0;
}

/* One descriptor per RX queue (at least one): the kernel spreads what it sends over every
 * attached descriptor, so one nobody reads would lose frames. TX queue q writes on q mod that. */
static int tap_configure(struct px_eth_dev *dev)
{
	struct tap_priv *priv = dev->dev_private;
	unsigned int want = dev->nb_rx_queues > 0 ? dev->nb_rx_queues : 1;
	int ret;

	tap_fds_close(priv, want);
	for (unsigned int q = priv->nb_fds; q < want; q++) {
		int fd = tap_fd_open(priv, priv->tun_flags, dev->name);

		if (fd < 0) {
			TAP_LOG(ERR, "%s: cannot attach queue %u to %s: %s", dev->name, q,
				priv->nd.iface, strerror(-fd));
			tap_fds_close(priv, 1);
			return fd;
		}
		priv->fds[q] = fd;
		priv->nb_fds = q + 1;
	}
	ret = tap_offload_set(dev);
	if (ret < 0) {
		tap_fds_close(priv, 1);
		return ret;
	}
	TAP_LOG(INFO, "%s: %s with %u queue%s", dev->name, priv->nd.iface, want,
		want > 1 ? "s" : "");
	return 0;
}

/* ---- control ---- */

static int tap_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	(void)dev;
	info->driver_name = "net_tap";
	info->max_rx_queues = TAP_MAX_QUEUES;
	info->max_tx_queues = TAP_MAX_QUEUES;
	info->rx_offload_capa = PX_ETH_RX_OFFLOAD_UDP_CKSUM | PX_ETH_RX_OFFLOAD_TCP_CKSUM |
				PX_ETH_RX_OFFLOAD_TCP_LRO;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS | PX_ETH_TX_OFFLOAD_IPV4_CKSUM |
				PX_ETH_TX_OFFLOAD_UDP_CKSUM | PX_ETH_TX_OFFLOAD_TCP_CKSUM |
				PX_ETH_TX_OFFLOAD_TCP_TSO;
	info->max_rx_pktlen = UINT16_MAX;
	info->min_mtu = 68;
	info->max_mtu = UINT16_MAX - ETH_HLEN; /* the tun driver's limit */
	return 0;
}

static int tap_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			 const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct tap_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	if ((dev->conf.rxmode.offloads & PX_ETH_RX_OFFLOAD_TCP_LRO) && priv->rxq[q].spill == NULL) {
		priv->rxq[q].spill = malloc(TAP_LRO_MAX_FRAME);
		if (priv->rxq[q].spill == NULL)
			return -ENOMEM;
	}
	priv->rxq[q].mp = mp;
	priv->rxq[q].fd = priv->fds[q];
	dev->rx_queues[q] = &priv->rxq[q];
	return 0;
}

static int tap_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			 const struct px_eth_txconf *conf)
{
	struct tap_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	priv->txq[q].fd = priv->fds[q % priv->nb_fds];
	dev->tx_queues[q] = &priv->txq[q];
	return 0;
}

/* Like DPDK's tap: the interface is up while the port is started. Unlike it, start returns
 * once the kernel has the interface running, so that the first frames sent are not dropped
 * by a bridge or route that does not see it up yet. */
static int tap_set_link_up(struct px_eth_dev *dev);
static int tap_promisc_enable(struct px_eth_dev *dev);
static int tap_promisc_disable(struct px_eth_dev *dev);
static int tap_allmulti_enable(struct px_eth_dev *dev);
static int tap_allmulti_disable(struct px_eth_dev *dev);
static int tap_mtu_set(struct px_eth_dev *dev, uint16_t mtu);
static int tap_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac);
static void tap_remote_fini(struct tap_priv *priv);

static int tap_start(struct px_eth_dev *dev)
{
	int ret = tap_set_link_up(dev);

	if (ret == 0)
		ret = tap_link_update(dev, 1);
	if (ret == 0 && !dev->link.link_status)
		TAP_LOG(NOTICE, "%s: %s is not running after %d ms", dev->name,
			eth_netdev(dev)->iface, TAP_LINK_WAIT_MS);
	return ret;
}

/* As DPDK's tap: down when stopped, unless persist=1 (it stays as it is). */
static int tap_stop(struct px_eth_dev *dev)
{
	struct tap_priv *priv = dev->dev_private;

	dev->link.link_status = 0;
	return priv->persist ? 0 : eth_netdev_set_link_down(dev);
}

static int tap_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct tap_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < TAP_MAX_QUEUES; q++)
		eth_queue_stats_add(st, q, &priv->rxq[q].stats, &priv->txq[q].stats);
	return 0;
}

static int tap_stats_reset(struct px_eth_dev *dev)
{
	struct tap_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < TAP_MAX_QUEUES; q++) {
		eth_queue_stats_reset(&priv->rxq[q].stats);
		eth_queue_stats_reset(&priv->txq[q].stats);
	}
	return 0;
}

static void tap_priv_free(struct tap_priv *priv)
{
	tap_remote_fini(priv);
	for (unsigned int q = 0; q < TAP_MAX_QUEUES; q++)
		free(priv->rxq[q].spill);
	tap_fds_close(priv, 0);
	if (priv->nd.fd >= 0)
		close(priv->nd.fd);
	free(priv);
}

static int tap_close(struct px_eth_dev *dev)
{
	/* the last descriptor closed removes the interface, unless it was made persistent
	 * (persist=1, or beforehand) */
	tap_priv_free(dev->dev_private);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops tap_ops = {
	.dev_infos_get = tap_infos,
	.dev_configure = tap_configure,
	.dev_start = tap_start,
	.dev_stop = tap_stop,
	.dev_close = tap_close,
	.rx_queue_setup = tap_rxq_setup,
	.tx_queue_setup = tap_txq_setup,
	.link_update = tap_link_update,
	.stats_get = tap_stats_get,
	.stats_reset = tap_stats_reset,
	.promiscuous_enable = tap_promisc_enable,
	.promiscuous_disable = tap_promisc_disable,
	.allmulticast_enable = tap_allmulti_enable,
	.allmulticast_disable = tap_allmulti_disable,
	.mac_addr_set = tap_mac_set,
	.mtu_set = tap_mtu_set,
	.dev_set_link_up = tap_set_link_up,
	.dev_set_link_down = eth_netdev_set_link_down,
};

/* Create (or attach to) the interface with queue 0's descriptor: IFF_NAPI where the kernel
 * takes it (Linux 4.15; it runs what Pollux writes through NAPI), else without. */
static int tap_create(struct tap_priv *priv, const char *name)
{
	const short base = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR;
	struct ifreq ifr = {0};
	int fd = tap_fd_open(priv, base | IFF_NAPI, name);

	/* -ENOENT, -EACCES: /dev/net/tun itself, already said */
	if (fd < 0 && fd != -ENOENT && fd != -EACCES)
		fd = tap_fd_open(priv, base, name);
	if (fd == -EPERM)
		TAP_LOG(ERR,
			"%s: iface=%s: cannot create or attach: %s (needs CAP_NET_ADMIN: run as root)",
			name, priv->nd.iface, strerror(-fd));
	else if (fd < 0 && fd != -ENOENT && fd != -EACCES)
		TAP_LOG(ERR,
			"%s: iface=%s: cannot create or attach: %s (is there an interface of that "
			"name that is not a multi-queue tap? ip link show lists them)",
			name, priv->nd.iface, strerror(-fd));
	if (fd < 0)
		return fd;
	priv->fds[0] = fd;
	priv->nb_fds = 1;
	/* DPDK's persist: the interface outlives its descriptors (it is never cleared: one made
	 * persistent beforehand stays so, as with DPDK) */
	if (priv->persist && ioctl(fd, TUNSETPERSIST, 1) < 0) {
		int ret = -errno;

		TAP_LOG(ERR, "%s: persist=1: cannot make %s persistent: %s", name, priv->nd.iface,
			strerror(-ret));
		return ret;
	}
	/* what the kernel took: it ignores flags it does not know */
	priv->tun_flags =
		(short)(base | (ioctl(fd, TUNGETIFF, &ifr) == 0 ? ifr.ifr_flags & IFF_NAPI : 0));
	return 0;
}

/* ---- remote= (DPDK's: the port on another interface's wire, with tc) ---- */

/* The filters and the qdiscs made for them, removed; the remote's flags as they were. */
static void tap_remote_fini(struct tap_priv *priv)
{
	struct ifreq ifr = {.ifr_flags = priv->remote_flags};

	if (priv->remote_ifindex == 0)
		return;
	if (priv->tc_set) {
		for (uint16_t i = 0; i < TAP_TC_NB_REMOTE; i++)
			(void)tap_tc_filter_del(priv->remote_ifindex, TAP_TC_PRIO + i);
		(void)tap_tc_filter_del(priv->tap_ifindex, TAP_TC_PRIO);
	}
	if (priv->remote_qdisc_made)
		(void)tap_tc_ingress_del(priv->remote_ifindex);
	if (priv->tap_qdisc_made)
		(void)tap_tc_ingress_del(priv->tap_ifindex);
	(void)eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCSIFFLAGS, &ifr);
	priv->remote_ifindex = 0;
}

/* An ingress qdisc on @ifindex (one already there is used); @made: this one made it. */
static int tap_tc_ingress(int ifindex, bool *made)
{
	int ret = tap_tc_ingress_add(ifindex);

	*made = ret == 0;
	return ret == -EEXIST ? 0 : ret;
}

/* What DPDK's tap does with remote= (its implicit flows, tap_flow.c), in u32 rather than
 * flower: frames to the port's MAC taken from the remote's ingress to the port (redirect),
 * broadcast and IPv6 multicast copied to it (mirror: the remote's stack gets them too), and
 * what the port sends copied out of the remote (mirror). The filters of an earlier run at the
 * same priorities are replaced. */
static int tap_remote_tc(struct tap_priv *priv)
{
	static const uint8_t all[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t v6[6] = {0x33, 0x33}, v6_mask[6] = {0xff, 0xff};
	int r = priv->remote_ifindex, t = priv->tap_ifindex;
	int ret = tap_tc_ingress(r, &priv->remote_qdisc_made);

	if (ret == 0)
		ret = tap_tc_ingress(t, &priv->tap_qdisc_made);
	priv->tc_set = true;
	for (uint16_t i = 0; i < TAP_TC_NB_REMOTE; i++)
		(void)tap_tc_filter_del(r, TAP_TC_PRIO + i);
	(void)tap_tc_filter_del(t, TAP_TC_PRIO);
	if (ret == 0)
		ret = tap_tc_mirred_add(r, TAP_TC_PRIO, priv->mac.addr_bytes, all, true, t);
	if (ret == 0)
		ret = tap_tc_mirred_add(r, TAP_TC_PRIO + 1, all, all, false, t);
	if (ret == 0)
		ret = tap_tc_mirred_add(r, TAP_TC_PRIO + 2, v6, v6_mask, false, t);
	if (ret == 0)
		ret = tap_tc_mirred_add(t, TAP_TC_PRIO, NULL, NULL, false, r);
	return ret;
}

/* The remote's MAC and MTU on the tap, then its tc filters. */
static int tap_remote_init(struct px_eth_dev *dev, struct tap_priv *priv)
{
	struct ifreq ifr = {0};
	int ret;

	priv->tap_ifindex = (int)if_nametoindex(priv->nd.iface);
	ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCGIFFLAGS, &ifr);
	if (ret < 0)
		goto fail;
	priv->remote_flags = ifr.ifr_flags;
	priv->remote_ifindex = (int)if_nametoindex(priv->remote); /* from here, fini restores */
	ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCGIFHWADDR, &ifr);
	if (ret < 0)
		goto fail;
	memcpy(priv->mac.addr_bytes, ifr.ifr_hwaddr.sa_data, PX_ETHER_ADDR_LEN);
	ret = eth_netdev_mac_set(dev, &priv->mac);
	if (ret == 0)
		ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCGIFMTU, &ifr);
	if (ret == 0)
		ret = eth_netdev_mtu_set(dev, (uint16_t)ifr.ifr_mtu);
	if (ret < 0)
		goto fail;
	ret = tap_remote_tc(priv);
	if (ret < 0) {
		TAP_LOG(ERR,
			"%s: remote=%s: the kernel refused its tc filters: %s (it needs the ingress "
			"qdisc, the u32 classifier and the mirred action: CONFIG_NET_SCH_INGRESS, "
			"CONFIG_NET_CLS_U32, CONFIG_NET_ACT_MIRRED)",
			dev->name, priv->remote, strerror(-ret));
		return ret;
	}
	return 0;
fail:
	TAP_LOG(ERR, "%s: remote=%s: %s", dev->name, priv->remote, strerror(-ret));
	return ret;
}

static int tap_set_link_up(struct px_eth_dev *dev)
{
	struct tap_priv *priv = dev->dev_private;
	struct ifreq ifr = {0};
	int ret = 0;

	/* DPDK's tap brings the remote up with the port */
	if (priv->remote_ifindex != 0)
		ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCGIFFLAGS, &ifr);
	if (priv->remote_ifindex != 0 && ret == 0) {
		ifr.ifr_flags |= IFF_UP;
		ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCSIFFLAGS, &ifr);
	}
	if (ret < 0)
		TAP_LOG(ERR, "%s: cannot set remote=%s up: %s", dev->name, priv->remote,
			strerror(-ret));
	return ret < 0 ? ret : eth_netdev_set_link_up(dev);
}

/* With remote=, promiscuous and all-multicast are both interfaces' (as DPDK's tap), and a
 * filter at @prio copies to the port every frame the remote receives (@dst NULL) or every
 * multicast one: DPDK's TAP_REMOTE_PROMISC and TAP_REMOTE_ALLMULTI. */
static int tap_remote_mode(struct px_eth_dev *dev, short flag, bool on, uint16_t prio,
			   const uint8_t *dst)
{
	struct tap_priv *priv = dev->dev_private;
	struct ifreq ifr = {0};
	int ret;

	if (priv->remote_ifindex == 0)
		return eth_netdev_set_flag(dev, flag, on);
	(void)tap_tc_filter_del(priv->remote_ifindex, prio);
	ret = on ? tap_tc_mirred_add(priv->remote_ifindex, prio, dst, dst, false, priv->tap_ifindex)
		 : 0;
	if (ret == 0)
		ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCGIFFLAGS, &ifr);
	if (ret == 0) {
		ifr.ifr_flags = (short)(on ? ifr.ifr_flags | flag : ifr.ifr_flags & ~flag);
		ret = eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCSIFFLAGS, &ifr);
	}
	if (ret < 0) {
		(void)tap_tc_filter_del(priv->remote_ifindex, prio);
		TAP_LOG(ERR, "%s: remote=%s: cannot turn %s %s: %s", dev->name, priv->remote,
			flag == IFF_PROMISC ? "promiscuous mode" : "all-multicast",
			on ? "on" : "off", strerror(-ret));
		return ret;
	}
	return eth_netdev_set_flag(dev, flag, on);
}

static const uint8_t tap_mcast_bit[6] = {0x01};

static int tap_promisc_enable(struct px_eth_dev *dev)
{
	return tap_remote_mode(dev, IFF_PROMISC, true, TAP_TC_PROMISC, NULL);
}

static int tap_promisc_disable(struct px_eth_dev *dev)
{
	return tap_remote_mode(dev, IFF_PROMISC, false, TAP_TC_PROMISC, NULL);
}

static int tap_allmulti_enable(struct px_eth_dev *dev)
{
	return tap_remote_mode(dev, IFF_ALLMULTI, true, TAP_TC_ALLMULTI, tap_mcast_bit);
}

static int tap_allmulti_disable(struct px_eth_dev *dev)
{
	return tap_remote_mode(dev, IFF_ALLMULTI, false, TAP_TC_ALLMULTI, tap_mcast_bit);
}

/* With remote= the MTU is both interfaces' (as DPDK's tap), the MAC the remote's. */
static int tap_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	struct tap_priv *priv = dev->dev_private;
	struct ifreq ifr = {.ifr_mtu = mtu};
	int ret = priv->remote_ifindex != 0
			  ? eth_netdev_ioctl(priv->nd.fd, priv->remote, SIOCSIFMTU, &ifr)
			  : 0;

	if (ret < 0)
		TAP_LOG(ERR, "%s: cannot set remote=%s's MTU to %u: %s", dev->name, priv->remote,
			mtu, strerror(-ret));
	return ret < 0 ? ret : eth_netdev_mtu_set(dev, mtu);
}

static int tap_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	struct tap_priv *priv = dev->dev_private;

	if (priv->remote_ifindex != 0) {
		TAP_LOG(ERR, "%s: with remote=%s the port's MAC is the remote's (set it there)",
			dev->name, priv->remote);
		return -ENOTSUP;
	}
	return eth_netdev_mac_set(dev, mac);
}

/* ---- devargs ---- */

static int parse_iface(const char *key, const char *value, void *opaque)
{
	struct tap_priv *priv = opaque;

	if (*value == '\0' || strlen(value) >= sizeof(priv->nd.iface)) {
		TAP_LOG(ERR, "net_tap: %s=%s: an interface name has 1 to %d characters", key, value,
			IF_NAMESIZE - 1);
		return -EINVAL;
	}
	strcpy(priv->nd.iface, value);
	return 0;
}

static int parse_mac(const char *key, const char *value, void *opaque)
{
	static unsigned int fixed_idx; /* probes run one at a time, on the main lcore */
	struct tap_priv *priv = opaque;
	uint8_t *b = priv->mac.addr_bytes;
	int end = 0;

	if (strcasecmp(value, TAP_MAC_FIXED) == 0) {
		memcpy(b, "\0dtap", 5);
		b[5] = (uint8_t)('0' + fixed_idx++);
	} else if (sscanf(value, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%n", &b[0], &b[1], &b[2],
			  &b[3], &b[4], &b[5], &end) != 6 ||
		   value[end] != '\0' || (b[0] & 1)) {
		TAP_LOG(ERR, "net_tap: %s=%s: expected a unicast xx:xx:xx:xx:xx:xx or 'fixed'", key,
			value);
		return -EINVAL;
	}
	priv->has_mac = true;
	return 0;
}

/* remote=: an interface of the port's network namespace, not the tap itself */
static int parse_remote(const char *key, const char *value, void *opaque)
{
	struct tap_priv *priv = opaque;

	if (strlen(value) >= sizeof(priv->remote) || if_nametoindex(value) == 0) {
		TAP_LOG(ERR, "net_tap: %s=%s: no such interface (ip link show lists them)", key,
			value);
		return -EINVAL;
	}
	strcpy(priv->remote, value);
	return 0;
}

static int tap_parse(const struct px_kvargs *args, struct tap_priv *priv)
{
	int ret = 0;

	strcpy(priv->nd.iface, TAP_DEFAULT_IFACE);
	if (args == NULL)
		return 0;
	if (px_kvargs_count(args, "iface") > 1 || px_kvargs_count(args, "mac") > 1 ||
	    px_kvargs_count(args, "remote") > 1) {
		TAP_LOG(ERR, "net_tap: iface=, mac= and remote= are given at most once");
		return -EINVAL;
	}
	ret = px_kvargs_process(args, "iface", parse_iface, priv);
	if (ret == 0)
		ret = px_kvargs_process(args, "mac", parse_mac, priv);
	if (ret == 0)
		ret = px_kvargs_process(args, "remote", parse_remote, priv);
	if (ret == 0)
		ret = px_kvargs_get_bool(args, "persist", &priv->persist);
	return ret < 0 ? -EINVAL : 0;
}

/* ---- probe / remove ---- */

static int tap_port_init(struct px_eth_dev *dev, struct tap_priv *priv)
{
	int ret = priv->has_mac ? eth_netdev_mac_set(dev, &priv->mac) : 0;

	/* remote=: its MAC (over mac=, as DPDK) and MTU, and the tc filters */
	if (ret == 0 && priv->remote[0] != '\0')
		ret = tap_remote_init(dev, priv);
	if (ret == 0)
		ret = eth_netdev_read(dev);
	return ret;
}

static int tap_probe(const char *name, const struct px_kvargs *args)
{
	struct tap_priv *priv = calloc(1, sizeof(*priv));
	struct px_eth_dev *dev;
	int ret;

	if (priv == NULL)
		return -ENOMEM;
	for (unsigned int q = 0; q < TAP_MAX_QUEUES; q++)
		priv->fds[q] = priv->rxq[q].fd = priv->txq[q].fd = -1;
	priv->nd.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ret = priv->nd.fd < 0 ? -errno : tap_parse(args, priv);
	if (ret == 0)
		ret = tap_create(priv, name);
	if (ret < 0)
		goto free_priv;
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		goto free_priv;
	}
	dev->ops = &tap_ops;
	dev->dev_private = priv;
	dev->dev_flags |= PX_ETH_DEV_F_QUEUE_XSTATS;
	dev->rx_pkt_burst = tap_rx;
	dev->tx_pkt_burst = tap_tx;
	for (unsigned int q = 0; q < TAP_MAX_QUEUES; q++)
		priv->rxq[q].port = priv->txq[q].port = dev->port_id;
	ret = tap_port_init(dev, priv);
	if (ret < 0)
		goto release_port;
	eth_dev_probing_finish(dev);
	TAP_LOG(INFO, "%s: port %u on tap interface %s, NAPI %s%s%s%s", name, dev->port_id,
		priv->nd.iface,
		(priv->tun_flags & IFF_NAPI) ? "on" : "off (the kernel does not offer it)",
		priv->persist ? ", persistent" : "", priv->remote_ifindex ? ", remote " : "",
		priv->remote);
	return 0;
release_port:
	eth_dev_release_port(dev);
free_priv:
	tap_priv_free(priv);
	return ret;
}

static struct px_vdev_driver tap_driver = {
	.name = "net_tap",
	.params = tap_params,
	.probe = tap_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(driver_init_tap, tap_driver)

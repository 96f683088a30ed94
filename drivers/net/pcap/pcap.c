/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap: a port over pcap files and live interfaces through libpcap (pcap(3PCAP); the file
 * format is pcap-savefile(5), "savefile" below).
 *
 *   --vdev net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap[,infinite_rx=1]
 *   --vdev net_pcap0,iface=eth0
 *   --vdev net_pcap0,rx_iface=eth0|rx_iface_in=eth0,tx_iface=eth1
 *
 * DPDK's devargs, so command lines carry over: as in DPDK each rx_pcap, rx_iface or rx_iface_in
 * key makes one RX queue and each tx_pcap or tx_iface key one TX queue, in the order given
 * (iface= is one queue pair); a port with no RX source has as many RX queues as TX queues and
 * they receive nothing, one with no TX target as many TX queues as RX queues. RX reads one record
 * per frame (pcap_next_ex) and copies it into an mbuf, chaining more mbufs when the frame does
 * not fit one; with infinite_rx=1 the file is opened again at its end. TX writes each frame
 * whole (every segment) to the file with a nanosecond timestamp and flushes once per burst, or
 * sends it on the interface with pcap_inject(). A port with no RX source receives nothing; one
 * with no TX target drops what it is given and counts it as sent (DPDK's tx_drop). With
 * PX_ETH_RX_OFFLOAD_TIMESTAMP each received mbuf carries its record's time in nanoseconds in
 * the timestamp dynamic field (px_mbuf_dyn.h), as DPDK's pcap PMD.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <px_counter.h>
#include <px_kvargs.h>
#include <px_mbuf.h>
#include <px_mbuf_dyn.h>

#include "bus_vdev_driver.h"
#include "ethdev_driver.h"

/* the largest frame read or written (libpcap's default snapshot length is 262144, but no
 * Ethernet frame is larger than this) */
#define ETH_PCAP_SNAPLEN 65535
/* pcap_set_timeout(): how long the kernel holds a partly filled block of frames (ms) */
#define ETH_PCAP_LIVE_TIMEOUT_MS 1
#define ETH_PCAP_MAX_QUEUES 16 /* DPDK's RTE_PMD_PCAP_MAX_QUEUES */

static const char eth_pcap_params[] =
	"rx_pcap=<path> tx_pcap=<path> rx_iface=<ifc> "
	"rx_iface_in=<ifc> tx_iface=<ifc> iface=<ifc> infinite_rx=<0|1>";

struct eth_pcap_queue {
	pcap_t *pcap;          /* RX: the file or interface; TX: the interface */
	pcap_dumper_t *dumper; /* TX: the file */
	struct px_mempool *mp;
	uint16_t port;
	char *src;                    /* the file or interface as given (NULL: none) */
	const char *key;              /* the devarg that gave it, for messages */
	bool in_only;                 /* RX interface: not what is sent on it (not rx_iface=) */
	bool infinite;                /* RX: open the file again at its end */
	bool ended;                   /* RX: the file is read to its end, and not replayed */
	const char *path;             /* RX: the file (src), for infinite_rx; NULL: an interface */
	uint8_t *linear;              /* TX: a multi-segment frame, made contiguous */
	struct eth_queue_stats stats; /* errs: RX read errors, TX too large or refused */
	uint64_t drops_base; /* RX interface: pcap_stats() ps_drop at the last stats_reset */
	/* RX timestamps (PX_ETH_RX_OFFLOAD_TIMESTAMP): the dynamic field, its flag, and the
	 * nanoseconds in a unit of ts.tv_usec: 1 (a file, or an interface giving nanoseconds)
	 * or 1000 (an interface whose kernel gives microseconds). TX to a file: the same field
	 * and flag, when some port registered them (ts_flag 0 otherwise) */
	int ts_offset;
	uint64_t ts_flag;
	uint32_t ts_unit_ns;
} __px_cache_aligned;

/* Queues as the devargs give them: RX all files or all interfaces, TX likewise. */
struct eth_pcap_priv {
	bool infinite_rx;
	bool rx_file, tx_file;       /* the queues are files (else interfaces, when any) */
	unsigned int nb_rx, nb_tx;   /* queues with a source / a target */
	unsigned int nb_rxq, nb_txq; /* queues offered (those and the empty or dropping ones) */
	struct eth_pcap_queue rxq[ETH_PCAP_MAX_QUEUES];
	struct eth_pcap_queue txq[ETH_PCAP_MAX_QUEUES];
};

PX_LOG_REGISTER(eth_pcap_pmd_logtype, "pmd.net.pcap", DEFAULT)
#define ETH_PCAP_LOG(lvl, ...) PX_LOG(lvl, eth_pcap_pmd_logtype, __VA_ARGS__)

static pcap_t *eth_pcap_file_open(const char *path, const char *what, const char *name);

/* ---- burst functions ---- */

/* Copy @len bytes into @m, chaining mbufs from the queue's pool while they do not fit.
 * @return false when the pool ran out (the caller frees the chain). */
static bool eth_pcap_rx_copy(struct eth_pcap_queue *q, struct px_mbuf *m, const uint8_t *data,
			     uint32_t len)
{
	struct px_mbuf *seg = m;

	m->pkt_len = len;
	m->port = q->port;
	for (;;) {
		uint32_t k = PX_MIN(len, (uint32_t)px_pktmbuf_tailroom(seg));

		memcpy(px_pktmbuf_mtod(seg, uint8_t *), data, k);
		seg->data_len = (uint16_t)k;
		data += k;
		len -= k;
		if (px_likely(len == 0))
			return true;
		seg->next = px_pktmbuf_alloc(q->mp);
		if (seg->next == NULL)
			return false;
		seg = seg->next;
		m->nb_segs++;
	}
}

/* infinite_rx: the file is at its end; open it again from its first record.
 * @return false when it cannot be opened (logged once: the replay ends there) */
static bool eth_pcap_rx_rewind(struct eth_pcap_queue *q)
{
	pcap_t *p = eth_pcap_file_open(q->path, "infinite_rx", "net_pcap");

	if (p == NULL) {
		q->infinite = false;
		return false;
	}
	pcap_close(q->pcap);
	q->pcap = p;
	return true;
}

/* pcap_next_ex() returned @r < 0: the file ended (PCAP_ERROR_BREAK) or cannot be read further
 * (PCAP_ERROR: a truncated last record), or the interface failed. A file is replayed
 * (infinite_rx, when @may_rewind) or read no more. @return true when it was opened again */
static bool eth_pcap_rx_end(struct eth_pcap_queue *q, int r, bool may_rewind)
{
	if (r == PCAP_ERROR) {
		px_counter64_add(&q->stats.errs, 1);
		if (q->path != NULL) /* once per pass over the file */
			ETH_PCAP_LOG(WARNING, "net_pcap: rx_pcap=%s: %s", q->path,
				     pcap_geterr(q->pcap));
	}
	if (q->path == NULL)
		return false; /* an interface: the next burst tries again */
	if (q->infinite && may_rewind && eth_pcap_rx_rewind(q))
		return true;
	q->ended = !q->infinite;
	return false;
}

/* The receive loop; @ts (a constant in each caller): fill the timestamp field. */
static __px_always_inline uint16_t eth_pcap_rx_common(void *qp, struct px_mbuf **pkts, uint16_t n,
						      bool ts)
{
	struct eth_pcap_queue *q = qp;
	uint64_t bytes = 0;
	uint16_t got = 0, rewinds = 0;

	while (got < n && !q->ended) {
		struct pcap_pkthdr *h;
		const u_char *data;
		/* first the mbuf: a record read cannot be put back */
		struct px_mbuf *m = px_pktmbuf_alloc(q->mp);
		int r;

		if (px_unlikely(m == NULL)) {
			px_counter64_add(&q->stats.nombuf, 1);
			break;
		}
		r = pcap_next_ex(q->pcap, &h, &data);
		if (px_unlikely(r != 1)) { /* 0: nothing on the interface now */
			px_pktmbuf_free(m);
			/* one rewind per frame at most: a file of no frames does not spin here */
			if (r < 0 && eth_pcap_rx_end(q, r, rewinds++ <= got))
				continue;
			break;
		}
		if (px_unlikely(!eth_pcap_rx_copy(q, m, data, h->caplen))) {
			px_pktmbuf_free(m);
			px_counter64_add(&q->stats.nombuf, 1);
			break;
		}
		if (ts) {
			/* a savefile's seconds are unsigned 32-bit, which libpcap 1.10 reads
			 * into tv_sec as signed: past 2038 they are negative (a pcapng time
			 * past 2106 would be cut; nothing is that late) */
			*PX_MBUF_DYNFIELD(m, q->ts_offset, uint64_t *) =
				(uint64_t)(uint32_t)h->ts.tv_sec * 1000000000u +
				(uint64_t)h->ts.tv_usec * q->ts_unit_ns;
			m->ol_flags |= q->ts_flag;
		}
		bytes += h->caplen;
		pkts[got++] = m;
	}
	px_counter64_add(&q->stats.pkts, got);
	px_counter64_add(&q->stats.bytes, bytes);
	return got;
}

static uint16_t eth_pcap_rx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	return eth_pcap_rx_common(qp, pkts, n, false);
}

static uint16_t eth_pcap_rx_ts(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	return eth_pcap_rx_common(qp, pkts, n, true);
}

/* No RX source: nothing arrives. */
static uint16_t eth_pcap_rx_none(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	(void)qp, (void)pkts, (void)n;
	return 0;
}

/* The frame's bytes in one piece: its only segment, or its segments copied into q->linear. */
static const uint8_t *eth_pcap_tx_linear(struct eth_pcap_queue *q, const struct px_mbuf *m)
{
	uint8_t *dst = q->linear;

	if (m->nb_segs == 1)
		return px_pktmbuf_mtod(m, const uint8_t *);
	for (const struct px_mbuf *s = m; s != NULL; s = s->next) {
		memcpy(dst, px_pktmbuf_mtod(s, const void *), s->data_len);
		dst += s->data_len;
	}
	return q->linear;
}

static uint16_t eth_pcap_tx_file(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct eth_pcap_queue *q = qp;
	struct pcap_pkthdr h;
	struct timespec now;
	uint64_t bytes = 0;
	uint16_t sent = 0;

	/* one time for the burst; the dumper was opened for nanoseconds, so ts.tv_usec holds
	 * nanoseconds (savefile: the magic a1b23c4d says so) */
	clock_gettime(CLOCK_REALTIME, &now);
	for (uint16_t i = 0; i < n; i++) {
		const struct px_mbuf *m = pkts[i];

		if (px_unlikely(m->pkt_len > ETH_PCAP_SNAPLEN)) {
			px_counter64_add(&q->stats.errs, 1);
			continue;
		}
		/* a frame received with a timestamp keeps it: a file copied through Pollux
		 * keeps its times */
		if (m->ol_flags & q->ts_flag) {
			uint64_t ns = *PX_MBUF_DYNFIELD(m, q->ts_offset, const uint64_t *);

			h.ts.tv_sec = (time_t)(ns / 1000000000u);
			h.ts.tv_usec = (suseconds_t)(ns % 1000000000u);
		} else {
			h.ts.tv_sec = now.tv_sec;
			h.ts.tv_usec = now.tv_nsec;
		}
		h.caplen = h.len = m->pkt_len;
		pcap_dump((u_char *)q->dumper, &h, eth_pcap_tx_linear(q, m));
		bytes += m->pkt_len;
		sent++;
	}
	/* whole records in the file at the end of every burst, so a reader never waits for
	 * the port to close */
	if (sent > 0 && pcap_dump_flush(q->dumper) < 0)
		px_counter64_add(&q->stats.errs, 1);
	px_counter64_add(&q->stats.pkts, sent);
	px_counter64_add(&q->stats.bytes, bytes);
	px_pktmbuf_free_bulk(pkts, n);
	return n;
}

static uint16_t eth_pcap_tx_iface(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct eth_pcap_queue *q = qp;
	uint64_t bytes = 0;
	uint16_t done = 0, sent = 0;

	for (; done < n; done++) {
		const struct px_mbuf *m = pkts[done];

		if (px_unlikely(m->pkt_len > ETH_PCAP_SNAPLEN)) {
			px_counter64_add(&q->stats.errs, 1);
			continue;
		}
		if (pcap_inject(q->pcap, eth_pcap_tx_linear(q, m), m->pkt_len) < 0) {
			/* the socket's buffer is full: the rest goes with a later burst */
			if (errno == ENOBUFS || errno == EAGAIN)
				break;
			px_counter64_add(&q->stats.errs, 1);
			continue;
		}
		bytes += m->pkt_len;
		sent++;
	}
	px_counter64_add(&q->stats.pkts, sent);
	px_counter64_add(&q->stats.bytes, bytes);
	px_pktmbuf_free_bulk(pkts, done);
	return done;
}

/* No TX target: dropped, counted as sent (DPDK's tx_drop). */
static uint16_t eth_pcap_tx_drop(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct eth_pcap_queue *q = qp;
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	px_counter64_add(&q->stats.pkts, n);
	px_counter64_add(&q->stats.bytes, bytes);
	px_pktmbuf_free_bulk(pkts, n);
	return n;
}

/* ---- control ---- */

static int eth_pcap_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	const struct eth_pcap_priv *priv = dev->dev_private;

	info->driver_name = "net_pcap";
	/* as DPDK's: the queues the devargs made */
	info->max_rx_queues = (uint16_t)priv->nb_rxq;
	info->max_tx_queues = (uint16_t)priv->nb_txq;
	info->rx_offload_capa = PX_ETH_RX_OFFLOAD_TIMESTAMP;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->max_rx_pktlen = ETH_PCAP_SNAPLEN;
	return 0;
}

/* PX_ETH_RX_OFFLOAD_TIMESTAMP: claim the timestamp field and flag (DPDK's names, so an
 * application finds them with px_mbuf_dynfield_lookup()) and receive with the burst that
 * fills them. */
static int eth_pcap_configure(struct px_eth_dev *dev)
{
	const struct px_mbuf_dynfield field = {.name = PX_MBUF_DYNFIELD_TIMESTAMP_NAME,
					       .size = sizeof(uint64_t),
					       .align = sizeof(uint64_t)};
	const struct px_mbuf_dynflag flag = {.name = PX_MBUF_DYNFLAG_RX_TIMESTAMP_NAME};
	struct eth_pcap_priv *priv = dev->dev_private;
	bool ts = dev->conf.rxmode.offloads & PX_ETH_RX_OFFLOAD_TIMESTAMP;
	int off, bit;

	if (priv->nb_rx > 0)
		dev->rx_pkt_burst = ts ? eth_pcap_rx_ts : eth_pcap_rx;
	if (!ts)
		return 0;
	off = px_mbuf_dynfield_register(&field);
	bit = off < 0 ? off : px_mbuf_dynflag_register(&flag);
	if (bit < 0) {
		ETH_PCAP_LOG(ERR, "%s: RX timestamps: cannot register the mbuf field or flag: %s",
			     dev->name, strerror(-bit));
		return bit;
	}
	for (unsigned int q = 0; q < priv->nb_rxq; q++) {
		priv->rxq[q].ts_offset = off;
		priv->rxq[q].ts_flag = 1ull << bit;
	}
	return 0;
}

static int eth_pcap_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			      const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct eth_pcap_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	priv->rxq[q].mp = mp;
	dev->rx_queues[q] = &priv->rxq[q];
	return 0;
}

static int eth_pcap_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
			      const struct px_eth_txconf *conf)
{
	struct eth_pcap_priv *priv = dev->dev_private;

	(void)nb_desc, (void)socket, (void)conf;
	dev->tx_queues[q] = &priv->txq[q];
	return 0;
}

/* A file or an interface opened by libpcap has no link to lose: up while started. */
static int eth_pcap_link_update(struct px_eth_dev *dev, int wait)
{
	(void)wait;
	dev->link = (struct px_eth_link){
		.link_speed = PX_ETH_SPEED_NUM_10G, .link_duplex = 1, .link_status = dev->started};
	return 0;
}

/* TX to a file: the RX timestamp field and flag, if a port (any) registered them. Looked up
 * at start, when every port has been configured. */
static void eth_pcap_tx_ts_lookup(struct eth_pcap_queue *q)
{
	int off = px_mbuf_dynfield_lookup(PX_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
	int bit = px_mbuf_dynflag_lookup(PX_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);

	q->ts_offset = off;
	q->ts_flag = off >= 0 && bit >= 0 ? 1ull << bit : 0;
}

static int eth_pcap_start(struct px_eth_dev *dev)
{
	struct eth_pcap_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < priv->nb_txq; q++)
		eth_pcap_tx_ts_lookup(&priv->txq[q]);
	return eth_dev_start_link_fixed(dev);
}

/* RX interface: what the kernel dropped with the ring full (pcap_stats(3PCAP): ps_drop, since
 * the handle was opened). 0 for a file or no RX. */
static uint64_t eth_pcap_kernel_drops(struct eth_pcap_queue *q)
{
	struct pcap_stat ps;

	if (q->pcap == NULL || q->path != NULL || pcap_stats(q->pcap, &ps) < 0)
		return 0;
	return ps.ps_drop;
}

static int eth_pcap_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct eth_pcap_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < ETH_PCAP_MAX_QUEUES; q++) {
		eth_queue_stats_add(st, q, &priv->rxq[q].stats, &priv->txq[q].stats);
		st->imissed += eth_pcap_kernel_drops(&priv->rxq[q]) - priv->rxq[q].drops_base;
	}
	return 0;
}

static int eth_pcap_stats_reset(struct px_eth_dev *dev)
{
	struct eth_pcap_priv *priv = dev->dev_private;

	for (unsigned int q = 0; q < ETH_PCAP_MAX_QUEUES; q++) {
		priv->rxq[q].drops_base = eth_pcap_kernel_drops(&priv->rxq[q]);
		eth_queue_stats_reset(&priv->rxq[q].stats);
		eth_queue_stats_reset(&priv->txq[q].stats);
	}
	return 0;
}

static int eth_pcap_ok(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

static void eth_pcap_handles_close(struct eth_pcap_priv *priv)
{
	for (unsigned int i = 0; i < ETH_PCAP_MAX_QUEUES; i++) {
		struct eth_pcap_queue *rx = &priv->rxq[i], *tx = &priv->txq[i];

		/* iface=: one handle for both queues of the pair */
		if (tx->pcap != NULL && tx->pcap != rx->pcap)
			pcap_close(tx->pcap);
		if (rx->pcap != NULL)
			pcap_close(rx->pcap);
		if (tx->dumper != NULL)
			pcap_dump_close(tx->dumper); /* flushes */
		free(tx->linear);
		free(rx->src);
		free(tx->src);
		rx->pcap = tx->pcap = NULL;
		tx->dumper = NULL;
		tx->linear = NULL;
		rx->src = tx->src = NULL;
	}
}

static int eth_pcap_close(struct px_eth_dev *dev)
{
	struct eth_pcap_priv *priv = dev->dev_private;

	eth_pcap_handles_close(priv);
	free(priv);
	dev->dev_private = NULL;
	return 0;
}

static const struct px_eth_dev_ops eth_pcap_ops = {
	.dev_infos_get = eth_pcap_infos,
	.dev_configure = eth_pcap_configure,
	.dev_start = eth_pcap_start,
	.dev_stop = eth_dev_stop_link_down,
	.dev_close = eth_pcap_close,
	.rx_queue_setup = eth_pcap_rxq_setup,
	.tx_queue_setup = eth_pcap_txq_setup,
	.link_update = eth_pcap_link_update,
	.stats_get = eth_pcap_stats_get,
	.stats_reset = eth_pcap_stats_reset,
	.promiscuous_enable = eth_pcap_ok, /* an interface is opened promiscuous */
	.promiscuous_disable = eth_pcap_ok,
	.allmulticast_enable = eth_pcap_ok,
	.allmulticast_disable = eth_pcap_ok,
};

/* ---- files and interfaces (libpcap) ---- */

/* A savefile (or pcapng) for reading, timestamps in nanoseconds whatever the file's own
 * precision. @return the handle, or NULL (logged, with @what: the devarg) */
static pcap_t *eth_pcap_file_open(const char *path, const char *what, const char *name)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);

	if (p == NULL)
		ETH_PCAP_LOG(ERR, "%s: %s=%s: %s", name, what, path, err);
	return p;
}

/* A file to write: a savefile with nanosecond timestamps (magic a1b23c4d) and Ethernet
 * frames. @return 0 or -errno (logged) */
static int eth_pcap_dump_open_file(struct eth_pcap_queue *q, const char *path, const char *name)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, ETH_PCAP_SNAPLEN,
							    PCAP_TSTAMP_PRECISION_NANO);

	if (dead == NULL)
		return -ENOMEM;
	q->dumper = pcap_dump_open(dead, path);
	if (q->dumper == NULL)
		ETH_PCAP_LOG(ERR, "%s: tx_pcap=%s: %s", name, path, pcap_geterr(dead));
	pcap_close(dead); /* the dumper keeps what it needs */
	return q->dumper == NULL ? -EINVAL : 0;
}

/* What to do about a refused interface, for the log line. */
static const char *eth_pcap_iface_hint(int status)
{
	switch (status) {
	case PCAP_ERROR_PERM_DENIED:
		return " (needs CAP_NET_RAW: run as root)";
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return " (ip link show lists the interfaces)";
	case PCAP_ERROR_IFACE_NOT_UP:
		return " (ip link set <ifc> up)";
	default:
		return "";
	}
}

/* A live interface: promiscuous, frames in blocks of the kernel's ring, non-blocking,
 * nanosecond timestamps where the kernel gives them. @in_only: not what is sent on it.
 * @return the handle, or NULL (logged, with @what: the devarg) */
static pcap_t *eth_pcap_iface_open(const char *ifc, bool in_only, const char *what,
				   const char *name)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create(ifc, err);
	int st;

	if (p == NULL) {
		ETH_PCAP_LOG(ERR, "%s: %s=%s: %s", name, what, ifc, err);
		return NULL;
	}
	pcap_set_snaplen(p, ETH_PCAP_SNAPLEN);
	pcap_set_promisc(p, 1);
	/* not immediate mode: that gives every frame a ring slot of the snapshot length (a 2 MB
	 * ring of 64 KiB slots drops a burst of 32 frames seen twice on lo); without it the
	 * kernel packs frames into blocks and hands a block over after this timeout */
	pcap_set_timeout(p, ETH_PCAP_LIVE_TIMEOUT_MS);
	(void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	st = pcap_activate(p);
	if (st < 0) {
		const char *e = pcap_geterr(p);

		ETH_PCAP_LOG(ERR, "%s: %s=%s: %s%s", name, what, ifc,
			     *e != '\0' ? e : pcap_statustostr(st), eth_pcap_iface_hint(st));
		goto close;
	}
	if (pcap_setnonblock(p, 1, err) < 0) {
		ETH_PCAP_LOG(ERR, "%s: %s=%s: %s", name, what, ifc, err);
		goto close;
	}
	if (in_only && pcap_setdirection(p, PCAP_D_IN) < 0) {
		ETH_PCAP_LOG(ERR, "%s: %s=%s: %s", name, what, ifc, pcap_geterr(p));
		goto close;
	}
	return p;
close:
	pcap_close(p);
	return NULL;
}

/* infinite_rx replays the file: it must hold a record, or RX would only ever rewind. */
static int eth_pcap_check_replayable(struct eth_pcap_queue *q, const char *name)
{
	struct pcap_pkthdr *h;
	const u_char *data;

	if (pcap_next_ex(q->pcap, &h, &data) != 1) {
		ETH_PCAP_LOG(ERR, "%s: infinite_rx=1: rx_pcap=%s has no frame to replay", name,
			     q->src);
		return -EINVAL;
	}
	return eth_pcap_rx_rewind(q) ? 0 : -EINVAL;
}

static int eth_pcap_open_rxq(struct eth_pcap_priv *priv, struct eth_pcap_queue *q, const char *name)
{
	if (priv->rx_file) {
		q->pcap = eth_pcap_file_open(q->src, "rx_pcap", name);
		if (q->pcap == NULL)
			return -EINVAL;
		if (pcap_datalink(q->pcap) != DLT_EN10MB) {
			ETH_PCAP_LOG(ERR, "%s: rx_pcap=%s: link type %s, not Ethernet (EN10MB)",
				     name, q->src,
				     pcap_datalink_val_to_name(pcap_datalink(q->pcap)));
			return -EINVAL;
		}
		q->infinite = priv->infinite_rx;
		q->path = q->src;
		q->ts_unit_ns = 1; /* opened for nanoseconds, whatever the file holds */
		return q->infinite ? eth_pcap_check_replayable(q, name) : 0;
	}
	q->pcap = eth_pcap_iface_open(q->src, q->in_only, q->key, name);
	if (q->pcap == NULL)
		return -EINVAL;
	q->ts_unit_ns = pcap_get_tstamp_precision(q->pcap) == PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
	return 0;
}

/* TX queue @i; iface= (or rx_iface_in=X with tx_iface=X as queue i of both): RX queue i's
 * handle sends too. */
static int eth_pcap_open_txq(struct eth_pcap_priv *priv, unsigned int i, const char *name)
{
	struct eth_pcap_queue *q = &priv->txq[i];
	const struct eth_pcap_queue *rx = &priv->rxq[i];

	q->linear = malloc(ETH_PCAP_SNAPLEN);
	if (q->linear == NULL)
		return -ENOMEM;
	if (q->src == NULL)
		return 0; /* dropped */
	if (priv->tx_file)
		return eth_pcap_dump_open_file(q, q->src, name);
	if (rx->pcap != NULL && rx->path == NULL && rx->in_only && strcmp(q->src, rx->src) == 0) {
		q->pcap = rx->pcap;
		return 0;
	}
	q->pcap = eth_pcap_iface_open(q->src, false, q->key, name);
	return q->pcap == NULL ? -EINVAL : 0;
}

static int eth_pcap_open(struct eth_pcap_priv *priv, const char *name)
{
	int ret = 0;

	for (unsigned int q = 0; q < priv->nb_rx && ret == 0; q++)
		ret = eth_pcap_open_rxq(priv, &priv->rxq[q], name);
	for (unsigned int q = 0; q < priv->nb_txq && ret == 0; q++)
		ret = eth_pcap_open_txq(priv, q, name);
	return ret;
}

/* ---- devargs ---- */

/* The keys that make queues, as static strings for the queues' messages. */
static const char *const eth_pcap_rx_keys[] = {"rx_pcap", "rx_iface", "rx_iface_in", "iface"};
static const char *const eth_pcap_tx_keys[] = {"tx_pcap", "tx_iface", "iface"};

static const char *eth_pcap_key_find(const char *const *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return keys[i];
	return NULL;
}

/* One more queue in @qs (@nb of them) from @key=@value. @return 0 or -EINVAL (logged) */
static int eth_pcap_queue_add(struct eth_pcap_queue *qs, unsigned int *nb, const char *key,
			      const char *value, const char *dir)
{
	struct eth_pcap_queue *q = &qs[*nb];
	size_t size = strstr(key, "pcap") != NULL ? PATH_MAX : IF_NAMESIZE;

	if (*value == '\0' || strlen(value) >= size) {
		ETH_PCAP_LOG(ERR, "net_pcap: %s=%s: expected 1 to %zu characters", key, value,
			     size - 1);
		return -EINVAL;
	}
	if (*nb == ETH_PCAP_MAX_QUEUES) {
		ETH_PCAP_LOG(ERR, "net_pcap: %s=%s: at most %d %s queues per port (one per key)",
			     key, value, ETH_PCAP_MAX_QUEUES, dir);
		return -EINVAL;
	}
	q->src = strdup(value);
	if (q->src == NULL)
		return -ENOMEM;
	q->key = key; /* one of the static strings above */
	q->in_only = strcmp(key, "rx_iface") != 0;
	(*nb)++;
	return 0;
}

/* Every pair in order: each rx_* key one RX queue, each tx_* key one TX queue, iface= both. */
static int eth_pcap_parse_queue(const char *key, const char *value, void *opaque)
{
	struct eth_pcap_priv *priv = opaque;
	const char *rx = eth_pcap_key_find(eth_pcap_rx_keys, PX_DIM(eth_pcap_rx_keys), key);
	const char *tx = eth_pcap_key_find(eth_pcap_tx_keys, PX_DIM(eth_pcap_tx_keys), key);
	int ret = 0;

	if (rx != NULL)
		ret = eth_pcap_queue_add(priv->rxq, &priv->nb_rx, rx, value, "RX");
	if (ret == 0 && tx != NULL)
		ret = eth_pcap_queue_add(priv->txq, &priv->nb_tx, tx, value, "TX");
	return ret;
}

/* Queues of one kind per direction (DPDK's PMD takes the files and ignores the interfaces);
 * iface= is one queue pair, alone. */
static int eth_pcap_check_combination(const struct px_kvargs *args)
{
	unsigned int rx_file = px_kvargs_count(args, "rx_pcap");
	unsigned int rx_ifc =
		px_kvargs_count(args, "rx_iface") + px_kvargs_count(args, "rx_iface_in");
	unsigned int tx_file = px_kvargs_count(args, "tx_pcap");
	unsigned int tx_ifc = px_kvargs_count(args, "tx_iface");
	unsigned int ifc = px_kvargs_count(args, "iface");

	if (rx_file + rx_ifc + tx_file + tx_ifc + ifc == 0) {
		ETH_PCAP_LOG(ERR, "net_pcap: give rx_pcap=, tx_pcap=, rx_iface=, rx_iface_in=, "
				  "tx_iface= or iface=");
		return -EINVAL;
	}
	if (ifc > 0 && rx_file + rx_ifc + tx_file + tx_ifc > 0) {
		ETH_PCAP_LOG(ERR,
			     "net_pcap: iface= is RX and TX: it goes with no rx_* or tx_* key");
		return -EINVAL;
	}
	if (ifc > 1) {
		ETH_PCAP_LOG(ERR, "net_pcap: iface=: once (one queue pair); for more queues give "
				  "rx_iface_in= and tx_iface= once per queue");
		return -EINVAL;
	}
	if (rx_file > 0 && rx_ifc > 0) {
		ETH_PCAP_LOG(ERR, "net_pcap: rx_pcap= with rx_iface=/rx_iface_in=: the RX queues "
				  "of a port are all files or all interfaces");
		return -EINVAL;
	}
	if (tx_file > 0 && tx_ifc > 0) {
		ETH_PCAP_LOG(ERR, "net_pcap: tx_pcap= with tx_iface=: the TX queues of a port "
				  "are all files or all interfaces");
		return -EINVAL;
	}
	return 0;
}

static int eth_pcap_parse(const struct px_kvargs *args, struct eth_pcap_priv *priv)
{
	int ret = eth_pcap_check_combination(args); /* px_kvargs_count(NULL) is 0 */

	if (ret == 0)
		ret = px_kvargs_process(args, NULL, eth_pcap_parse_queue, priv);
	if (ret == 0)
		ret = px_kvargs_get_bool(args, "infinite_rx", &priv->infinite_rx);
	priv->rx_file = px_kvargs_count(args, "rx_pcap") > 0;
	priv->tx_file = px_kvargs_count(args, "tx_pcap") > 0;
	if (ret == 0 && priv->infinite_rx && !priv->rx_file) {
		ETH_PCAP_LOG(ERR, "net_pcap: infinite_rx=1 replays a file: it needs rx_pcap=");
		ret = -EINVAL;
	}
	/* as DPDK: a direction without a source or target has as many queues as the other */
	priv->nb_rxq = priv->nb_rx > 0 ? priv->nb_rx : priv->nb_tx;
	priv->nb_txq = priv->nb_tx > 0 ? priv->nb_tx : priv->nb_rx;
	return ret == -ENOMEM ? ret : ret < 0 ? -EINVAL : 0;
}

/* ---- probe / remove ---- */

static void eth_pcap_log_probe(const struct px_eth_dev *dev, const struct eth_pcap_priv *priv)
{
	const char *rx = priv->nb_rx > 0 ? priv->rxq[0].src : "-";
	const char *tx = priv->nb_tx > 0 ? priv->txq[0].src : "- (dropped)";

	ETH_PCAP_LOG(INFO, "%s: port %u, %u RX queue%s from %s%s%s, %u TX queue%s to %s%s",
		     dev->name, dev->port_id, priv->nb_rxq, priv->nb_rxq > 1 ? "s" : "", rx,
		     priv->nb_rx > 1 ? ", ..." : "", priv->infinite_rx ? " (replayed forever)" : "",
		     priv->nb_txq, priv->nb_txq > 1 ? "s" : "", tx, priv->nb_tx > 1 ? ", ..." : "");
}

static int eth_pcap_probe(const char *name, const struct px_kvargs *args)
{
	struct eth_pcap_priv *priv = calloc(1, sizeof(*priv));
	struct px_eth_dev *dev;
	int ret;

	if (priv == NULL)
		return -ENOMEM;
	ret = eth_pcap_parse(args, priv);
	if (ret == 0)
		ret = eth_pcap_open(priv, name);
	if (ret < 0)
		goto close_handles;
	dev = eth_dev_allocate(name);
	if (dev == NULL) {
		ret = -errno;
		goto close_handles;
	}
	dev->ops = &eth_pcap_ops;
	dev->dev_private = priv;
	dev->dev_flags |= PX_ETH_DEV_F_QUEUE_XSTATS;
	dev->rx_pkt_burst = priv->nb_rx > 0 ? eth_pcap_rx : eth_pcap_rx_none;
	dev->tx_pkt_burst = priv->nb_tx == 0 ? eth_pcap_tx_drop
			    : priv->tx_file  ? eth_pcap_tx_file
					     : eth_pcap_tx_iface;
	for (unsigned int q = 0; q < ETH_PCAP_MAX_QUEUES; q++)
		priv->rxq[q].port = priv->txq[q].port = dev->port_id;
	/* DPDK's address for a pcap port: 02:70:63:61:70 ("pcap", locally administered) */
	dev->mac = (struct px_ether_addr){{0x02, 0x70, 0x63, 0x61, 0x70, (uint8_t)dev->port_id}};
	dev->mtu = 1500;
	eth_dev_probing_finish(dev);
	eth_pcap_log_probe(dev, priv);
	return 0;
close_handles:
	eth_pcap_handles_close(priv);
	free(priv);
	return ret;
}

static struct px_vdev_driver eth_pcap_driver = {
	.name = "net_pcap",
	.params = eth_pcap_params,
	.probe = eth_pcap_probe,
	.remove = eth_dev_close_by_name,
};

VDEV_DRIVER_INIT(driver_init_pcap, eth_pcap_driver)

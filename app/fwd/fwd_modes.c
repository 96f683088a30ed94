/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The forwarding loops, one per mode, chosen once at start-up: no per-packet switch on the mode.
 * Each loop polls its lcore's streams until fwd_stop. Counters are written only by the stream's
 * lcore, with relaxed atomic stores so the statistics thread may read them at any time.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "fwd.h"

#define STAT_ADD(ctr, n) __atomic_store_n(&(ctr), (ctr) + (n), __ATOMIC_RELAXED)

/* Frame layout of what px-fwd sends and answers (offsets in bytes). */
#define ETH_HLEN 14
#define OFF_ETHTYPE 12
#define IP_HLEN 20
#define UDP_HLEN 8
#define OFF_IP ETH_HLEN
#define OFF_UDP (ETH_HLEN + IP_HLEN)
#define OFF_PAYLOAD (OFF_UDP + UDP_HLEN) /* 8-byte sequence number, then bytes i & 0xff */

static inline void send_or_drop(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	uint16_t sent = px_eth_tx_burst(s->tx_port, s->txq, pkts, n);

	STAT_ADD(s->tx_pkts, sent);
	if (px_unlikely(sent < n)) {
		STAT_ADD(s->drops, n - sent);
		px_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
}

typedef uint16_t (*fwd_fix_t)(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n);

/* The common receive-fix-send loop; @fix is a constant at each call site, so the compiler makes
 * one specialised loop per mode. */
static __px_always_inline int rx_fix_tx_loop(struct fwd_lcore *lc, fwd_fix_t fix)
{
	struct px_mbuf *pkts[FWD_MAX_BURST];
	const uint16_t burst = fwd_cfg.burst;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			struct fwd_stream *s = lc->streams[i];
			uint16_t n = px_eth_rx_burst(s->rx_port, s->rxq, pkts, burst);

			if (n == 0)
				continue;
			STAT_ADD(s->rx_pkts, n);
			if (fix)
				n = fix(s, pkts, n);
			if (n)
				send_or_drop(s, pkts, n);
		}
	}
	return 0;
}

/* io: forward as received */
static int loop_io(void *arg)
{
	return rx_fix_tx_loop(arg, NULL);
}

/* mac: source = the TX port's address, destination = its peer (--eth-peer) */
static uint16_t fix_mac(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	const struct px_ether_addr *src = &fwd_cfg.port_mac[s->tx_port];
	const struct px_ether_addr *dst = &fwd_cfg.peer[s->tx_port];

	for (uint16_t i = 0; i < n; i++) {
		uint8_t *eth = px_pktmbuf_mtod(pkts[i], uint8_t *);

		memcpy(eth, dst->addr_bytes, 6);
		memcpy(eth + 6, src->addr_bytes, 6);
	}
	return n;
}

static int loop_mac(void *arg)
{
	return rx_fix_tx_loop(arg, fix_mac);
}

/* macswap: exchange source and destination */
static uint16_t fix_macswap(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	(void)s;
	for (uint16_t i = 0; i < n; i++) {
		uint8_t *eth = px_pktmbuf_mtod(pkts[i], uint8_t *), tmp[6];

		memcpy(tmp, eth, 6);
		memcpy(eth, eth + 6, 6);
		memcpy(eth + 6, tmp, 6);
	}
	return n;
}

static int loop_macswap(void *arg)
{
	return rx_fix_tx_loop(arg, fix_macswap);
}

/* ---- rxonly ---- */

static bool frame_ok(const struct px_mbuf *m, uint64_t *seq)
{
	const uint8_t *p = px_pktmbuf_mtod(m, const uint8_t *);
	uint16_t len = m->data_len;

	if (m->pkt_len != fwd_cfg.txpkts || len != m->pkt_len || len < OFF_PAYLOAD + 8)
		return false;
	if (p[OFF_ETHTYPE] != 0x08 || p[OFF_ETHTYPE + 1] != 0x00 || p[OFF_IP + 9] != 17)
		return false;
	memcpy(seq, p + OFF_PAYLOAD, 8);
	for (uint16_t i = OFF_PAYLOAD + 8; i < len; i++)
		if (p[i] != (uint8_t)i)
			return false;
	return true;
}

/* Describe a frame rxonly --check refused (or one that overtook earlier frames). */
static void seq_anomaly_log(const struct fwd_stream *s, const struct px_mbuf *m, bool ok,
			    uint64_t seq, const char *what)
{
	const uint8_t *p = px_pktmbuf_mtod(m, const uint8_t *);
	int at = -1;

	if (ok) {
		fprintf(stderr, "px-fwd: port %u: frame %llu %s (lowest missing: %llu)\n",
			s->rx_port, (unsigned long long)seq, what, (unsigned long long)s->rx_seq);
		return;
	}
	for (uint16_t i = OFF_PAYLOAD + 8; i < m->data_len && at < 0; i++)
		if (p[i] != (uint8_t)i)
			at = i;
	fprintf(stderr,
		"px-fwd: port %u: bad frame (lowest missing %llu): pkt_len %u data_len %u segs %u, "
		"ethertype %02x%02x, first wrong payload byte %d\n",
		s->rx_port, (unsigned long long)s->rx_seq, m->pkt_len, m->data_len, m->nb_segs,
		m->data_len > OFF_ETHTYPE + 1 ? p[OFF_ETHTYPE] : 0,
		m->data_len > OFF_ETHTYPE + 1 ? p[OFF_ETHTYPE + 1] : 0, at);
}

/*
 * Account for sequence number @seq (a frame whose content is right). Every number must arrive
 * exactly once; arriving early (before a lower one) is counted as reordered, not bad: a wire
 * keeps order, but an emulated hub need not (QEMU 7.2's net queue lets a new frame overtake
 * frames queued for a full receive ring). A number seen twice, below rx_seq or more than
 * FWD_SEQ_WINDOW ahead, is bad. @return true when good.
 */
bool fwd_seq_account(struct fwd_stream *s, uint64_t seq, bool *reordered)
{
	uint64_t d = seq - s->rx_seq;
	uint64_t *w;

	*reordered = false;
	if (seq < s->rx_seq || d >= FWD_SEQ_WINDOW)
		return false;
	w = &s->seen[(seq % FWD_SEQ_WINDOW) / 64];
	if (*w & (1ull << (seq % 64)))
		return false; /* twice */
	*w |= 1ull << (seq % 64);
	s->rx_pending++;
	*reordered = d != 0;
	for (;;) { /* slide past everything received */
		uint64_t *b = &s->seen[(s->rx_seq % FWD_SEQ_WINDOW) / 64];
		uint64_t bit = 1ull << (s->rx_seq % 64);

		if (!(*b & bit))
			break;
		*b &= ~bit;
		s->rx_pending--;
		s->rx_seq++;
	}
	return true;
}

static int loop_rxonly(void *arg)
{
	struct fwd_lcore *lc = arg;
	struct px_mbuf *pkts[FWD_MAX_BURST];
	const uint16_t burst = fwd_cfg.burst;
	const bool check = fwd_cfg.check;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			struct fwd_stream *s = lc->streams[i];
			uint16_t n = px_eth_rx_burst(s->rx_port, s->rxq, pkts, burst);
			uint64_t bad = 0, seq;

			if (n == 0)
				continue;
			STAT_ADD(s->rx_pkts, n);
			for (uint16_t k = 0; check && k < n; k++) {
				bool ok, early = false;

				seq = 0;
				ok = frame_ok(pkts[k], &seq);
				if (px_likely(ok && seq == s->rx_seq && s->rx_pending == 0)) {
					s->rx_seq++; /* in order, nothing pending: the common case
						      */
					continue;
				}
				if (ok && fwd_seq_account(s, seq, &early)) {
					if (early) {
						STAT_ADD(s->rx_reordered, 1);
						if (s->bad_logged++ < 5)
							seq_anomaly_log(s, pkts[k], true, seq,
									"arrived early");
					}
					continue;
				}
				bad++;
				if (s->bad_logged++ < 5)
					seq_anomaly_log(s, pkts[k], ok, seq,
							"duplicate or out of range");
			}
			if (bad)
				STAT_ADD(s->rx_bad, bad);
			px_pktmbuf_free_bulk(pkts, n);
		}
	}
	return 0;
}

/* ---- txonly ---- */

static uint8_t tx_template[PX_MAX_ETHPORTS][FWD_MAX_FRAME];

static uint16_t ip_cksum(const uint8_t *h, unsigned int len)
{
	uint32_t sum = 0;

	for (unsigned int i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet + IPv4 + UDP 198.18.0.1:1024 -> 198.18.0.2:1024 (RFC 2544 test range), payload
 * bytes i & 0xff; per packet only the sequence number and the flow's source port change. */
void fwd_txonly_prepare(void)
{
	uint16_t len = fwd_cfg.txpkts, ip_len = len - ETH_HLEN, udp_len = ip_len - IP_HLEN;

	for (uint16_t port = 0; port < PX_MAX_ETHPORTS; port++) {
		uint8_t *f = tx_template[port];

		memcpy(f, fwd_cfg.peer[port].addr_bytes, 6);
		memcpy(f + 6, fwd_cfg.port_mac[port].addr_bytes, 6);
		f[12] = 0x08, f[13] = 0x00;
		f[OFF_IP] = 0x45, f[OFF_IP + 1] = 0;
		f[OFF_IP + 2] = ip_len >> 8, f[OFF_IP + 3] = ip_len & 0xff;
		f[OFF_IP + 8] = 64, f[OFF_IP + 9] = 17;
		f[OFF_IP + 12] = 198, f[OFF_IP + 13] = 18, f[OFF_IP + 14] = 0, f[OFF_IP + 15] = 1;
		f[OFF_IP + 16] = 198, f[OFF_IP + 17] = 18, f[OFF_IP + 18] = 0, f[OFF_IP + 19] = 2;
		uint16_t ck = ip_cksum(f + OFF_IP, IP_HLEN);
		f[OFF_IP + 10] = ck >> 8, f[OFF_IP + 11] = ck & 0xff;
		f[OFF_UDP] = 4, f[OFF_UDP + 2] = 4; /* ports 1024 */
		f[OFF_UDP + 4] = udp_len >> 8, f[OFF_UDP + 5] = udp_len & 0xff;
		for (uint16_t i = OFF_PAYLOAD; i < len; i++)
			f[i] = (uint8_t)i;
	}
}

static inline void txonly_fill(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	const uint8_t *tpl = tx_template[s->tx_port];
	const uint16_t len = fwd_cfg.txpkts;
	const unsigned int flows = fwd_cfg.flows;

	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];
		uint8_t *p = px_pktmbuf_mtod(m, uint8_t *);
		uint64_t seq = s->tx_seq++;
		uint16_t sport = (uint16_t)(1024 + seq % flows);

		memcpy(p, tpl, len);
		memcpy(p + OFF_PAYLOAD, &seq, 8);
		p[OFF_UDP] = sport >> 8, p[OFF_UDP + 1] = sport & 0xff;
		m->data_len = len;
		m->pkt_len = len;
	}
}

/* --tx-first: one burst of txonly frames on every stream before forwarding starts. */
int fwd_tx_first(void)
{
	struct px_mbuf *pkts[FWD_MAX_BURST];

	for (unsigned int i = 0; i < fwd_nb_streams; i++) {
		struct fwd_stream *s = &fwd_streams[i];
		uint16_t n = fwd_cfg.burst;

		if (px_pktmbuf_alloc_bulk(fwd_pools[0], pkts, n) != 0)
			return -ENOMEM;
		txonly_fill(s, pkts, n);
		send_or_drop(s, pkts, n);
	}
	return 0;
}

static int loop_txonly(void *arg)
{
	struct fwd_lcore *lc = arg;
	struct px_mbuf *pkts[FWD_MAX_BURST];
	const uint16_t burst = fwd_cfg.burst;
	const uint64_t gap =
		fwd_cfg.tx_pps > 0 ? (uint64_t)(px_get_tsc_hz() * burst / fwd_cfg.tx_pps) : 0;
	const uint64_t max = fwd_cfg.max_pkts;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			struct fwd_stream *s = lc->streams[i];
			struct px_mempool *mp = fwd_pools[0];
			uint16_t n = burst;

			if (gap) {
				uint64_t now = px_get_tsc_cycles();

				if (now < s->next_tsc)
					continue;
				s->next_tsc = (s->next_tsc ? s->next_tsc : now) + gap;
			}
			if (max && s->tx_seq + n > max)
				n = (uint16_t)(max - s->tx_seq);
			if (n == 0 || px_pktmbuf_alloc_bulk(mp, pkts, n) != 0)
				continue;
			txonly_fill(s, pkts, n);
			send_or_drop(s, pkts, n);
		}
	}
	return 0;
}

/* ---- icmpecho: answer ARP requests and ICMP echo requests for the port's address ---- */

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool arp_reply(struct px_mbuf *m, uint16_t port)
{
	uint8_t *p = px_pktmbuf_mtod(m, uint8_t *), *a = p + ETH_HLEN;
	const uint8_t *mac = fwd_cfg.port_mac[port].addr_bytes;
	uint32_t ip = fwd_cfg.ip[port];

	/* Ethernet/IPv4 ARP request (RFC 826) whose target protocol address is ours */
	if (m->data_len < ETH_HLEN + 28 || rd16(a) != 1 || rd16(a + 2) != 0x0800 || a[4] != 6 ||
	    a[5] != 4 || rd16(a + 6) != 1 || memcmp(a + 24, &ip, 4) != 0)
		return false;
	memcpy(p, a + 8, 6); /* to the sender */
	memcpy(p + 6, mac, 6);
	a[7] = 2;                  /* reply */
	memcpy(a + 18, a + 8, 10); /* target = the old sender (MAC and IP) */
	memcpy(a + 8, mac, 6);     /* sender = us */
	memcpy(a + 14, &ip, 4);
	return true;
}

static bool icmp_reply(struct px_mbuf *m, uint16_t port)
{
	uint8_t *p = px_pktmbuf_mtod(m, uint8_t *), *ip = p + ETH_HLEN, *icmp, tmp[6];
	unsigned int ihl;
	uint32_t sum, addr = fwd_cfg.ip[port];

	if (m->data_len < ETH_HLEN + IP_HLEN + 8 || (ip[0] >> 4) != 4 || ip[9] != 1 ||
	    memcmp(ip + 16, &addr, 4) != 0)
		return false;
	ihl = (ip[0] & 0xf) * 4u;
	icmp = ip + ihl;
	if (ihl < IP_HLEN || m->data_len < ETH_HLEN + ihl + 8 || icmp[0] != 8 || icmp[1] != 0)
		return false;
	memcpy(tmp, p, 6), memcpy(p, p + 6, 6), memcpy(p + 6, tmp, 6);
	memcpy(ip + 16, ip + 12, 4), memcpy(ip + 12, &addr, 4);
	icmp[0] = 0; /* echo reply; the checksum changes by the type only (RFC 1624) */
	sum = (uint32_t)rd16(icmp + 2) + 0x0800;
	sum = (sum & 0xffff) + (sum >> 16);
	icmp[2] = (uint8_t)(sum >> 8), icmp[3] = (uint8_t)sum;
	return true;
}

static uint16_t fix_icmpecho(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	uint16_t keep = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];
		uint16_t type = rd16(px_pktmbuf_mtod(m, uint8_t *) + OFF_ETHTYPE);
		bool answer = (type == 0x0806 && arp_reply(m, s->rx_port)) ||
			      (type == 0x0800 && icmp_reply(m, s->rx_port));

		if (answer)
			pkts[keep++] = m;
		else
			px_pktmbuf_free(m);
	}
	return keep;
}

static int loop_icmpecho(void *arg)
{
	return rx_fix_tx_loop(arg, fix_icmpecho);
}

static const struct fwd_mode fwd_modes[] = {
	{"io", loop_io},         {"mac", loop_mac},       {"macswap", loop_macswap},
	{"rxonly", loop_rxonly}, {"txonly", loop_txonly}, {"icmpecho", loop_icmpecho},
};

const struct fwd_mode *fwd_mode_find(const char *name)
{
	for (size_t i = 0; i < PX_DIM(fwd_modes); i++)
		if (strcmp(fwd_modes[i].name, name) == 0)
			return &fwd_modes[i];
	return NULL;
}

void fwd_modes_list(FILE *f)
{
	for (size_t i = 0; i < PX_DIM(fwd_modes); i++)
		fprintf(f, "%s%s", i ? ", " : "", fwd_modes[i].name);
}

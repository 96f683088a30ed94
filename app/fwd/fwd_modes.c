/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The forwarding loops, one per mode, chosen once at start-up: no per-packet switch on the mode.
 * Each loop polls its lcore's streams until fwd_stop. Counters are written only by the stream's
 * lcore, with relaxed atomic stores so the statistics thread may read them at any time.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include <px_arp.h>
#include <px_ether.h>
#include <px_icmp.h>
#include <px_ip.h>
#include <px_udp.h>

#include "fwd.h"

/* What txonly sends and rxonly --check expects: Ethernet, IPv4 without options, UDP, then the
 * payload: an 8-byte sequence number (CPU order), then bytes i & 0xff (i: offset in the frame). */
struct udp_frame {
	struct px_ether_hdr eth;
	struct px_ipv4_hdr ip;
	struct px_udp_hdr udp;
};

#define OFF_PAYLOAD sizeof(struct udp_frame)
static_assert(OFF_PAYLOAD == 42, "Ethernet + IPv4 + UDP headers are 42 bytes");

/* io: forward as received */
static int loop_io(void *arg)
{
	return fwd_rx_fix_tx_loop(arg, NULL);
}

/* mac: source = the TX port's address, destination = its peer (--eth-peer) */
static uint16_t fix_mac(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	const struct px_ether_addr *src = &fwd_cfg.port_mac[s->tx_port];
	const struct px_ether_addr *dst = &fwd_cfg.peer[s->tx_port];

	for (uint16_t i = 0; i < n; i++) {
		struct px_ether_hdr *eth = px_pktmbuf_mtod(pkts[i], struct px_ether_hdr *);

		eth->dst_addr = *dst;
		eth->src_addr = *src;
	}
	return n;
}

static int loop_mac(void *arg)
{
	return fwd_rx_fix_tx_loop(arg, fix_mac);
}

/* macswap: exchange source and destination */
static uint16_t fix_macswap(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	(void)s;
	for (uint16_t i = 0; i < n; i++) {
		struct px_ether_hdr *eth = px_pktmbuf_mtod(pkts[i], struct px_ether_hdr *);
		struct px_ether_addr tmp = eth->dst_addr;

		eth->dst_addr = eth->src_addr;
		eth->src_addr = tmp;
	}
	return n;
}

static int loop_macswap(void *arg)
{
	return fwd_rx_fix_tx_loop(arg, fix_macswap);
}

/* ---- rxonly ---- */

static bool frame_ok(const struct px_mbuf *m, uint64_t *seq)
{
	const uint8_t *p = px_pktmbuf_mtod(m, const uint8_t *);
	const struct udp_frame *f = (const struct udp_frame *)p;
	uint32_t base = 0; /* offset in the frame of the segment's first byte */

	if (m->pkt_len != fwd_cfg.txpkts || m->data_len < OFF_PAYLOAD + 8)
		return false;
	if (f->eth.ether_type != PX_BE16(PX_ETHER_TYPE_IPV4) ||
	    f->ip.next_proto_id != PX_IPPROTO_UDP)
		return false;
	memcpy(seq, p + OFF_PAYLOAD, 8);
	/* one segment, or a chain (--enable-scatter): byte i of the frame is i & 0xff */
	for (const struct px_mbuf *seg = m; seg != NULL; seg = seg->next) {
		uint32_t i = base ? base : OFF_PAYLOAD + 8;

		p = px_pktmbuf_mtod(seg, const uint8_t *);
		for (; i < base + seg->data_len; i++)
			if (p[i - base] != (uint8_t)i)
				return false;
		base += seg->data_len;
	}
	return base == m->pkt_len;
}

/* Describe a frame rxonly --check refused (or one that overtook earlier frames). */
static void seq_anomaly_log(const struct fwd_stream *s, const struct px_mbuf *m, bool ok,
			    uint64_t seq, const char *what)
{
	const uint8_t *p = px_pktmbuf_mtod(m, const uint8_t *);
	const struct px_ether_hdr *eth = (const struct px_ether_hdr *)p;
	bool has_type = m->data_len >= sizeof(*eth);
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
		"ethertype %04x, first wrong payload byte %d\n",
		s->rx_port, (unsigned long long)s->rx_seq, m->pkt_len, m->data_len, m->nb_segs,
		has_type ? px_be_to_cpu_16(eth->ether_type) : 0, at);
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
	const bool check = fwd_cfg.check, cycles = fwd_cfg.record_cycles;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			struct fwd_stream *s = lc->streams[i];
			uint64_t t0 = cycles ? px_get_tsc_cycles() : 0;
			uint16_t n = px_eth_rx_burst(s->rx_port, s->rxq, pkts, burst);
			uint64_t bad = 0, seq;

			if (px_unlikely(s->rx_bursts != NULL))
				s->rx_bursts[n]++;
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
			if (cycles)
				s->core_cycles += px_get_tsc_cycles() - t0;
		}
	}
	return 0;
}

/* ---- txonly ---- */

/* One frame per TX port, built once; aligned for the headers (struct udp_frame) at its start. */
static uint8_t tx_template[PX_MAX_ETHPORTS][FWD_MAX_FRAME] __px_cache_aligned;

/* Ethernet + IPv4 + UDP 198.18.0.1:1024 -> 198.18.0.2:1024 (RFC 2544 test range), payload
 * bytes i & 0xff; per packet only the sequence number and the flow's source port change, so the
 * UDP checksum is left 0 (not computed, RFC 768). */
void fwd_txonly_prepare(void)
{
	uint16_t len = fwd_cfg.txpkts, ip_len = len - sizeof(struct px_ether_hdr);
	uint16_t udp_len = ip_len - sizeof(struct px_ipv4_hdr);

	for (uint16_t port = 0; port < PX_MAX_ETHPORTS; port++) {
		struct udp_frame *f = (struct udp_frame *)tx_template[port];

		f->eth = (struct px_ether_hdr){
			.dst_addr = fwd_cfg.peer[port],
			.src_addr = fwd_cfg.port_mac[port],
			.ether_type = PX_BE16(PX_ETHER_TYPE_IPV4),
		};
		f->ip = (struct px_ipv4_hdr){
			.version_ihl = PX_IPV4_VHL_DEF,
			.total_length = px_cpu_to_be_16(ip_len),
			.time_to_live = 64,
			.next_proto_id = PX_IPPROTO_UDP,
			.src_addr = PX_BE32(PX_IPV4(198, 18, 0, 1)),
			.dst_addr = PX_BE32(PX_IPV4(198, 18, 0, 2)),
		};
		f->ip.hdr_checksum = px_ipv4_cksum(&f->ip);
		f->udp = (struct px_udp_hdr){
			.src_port = PX_BE16(1024),
			.dst_port = PX_BE16(1024),
			.dgram_len = px_cpu_to_be_16(udp_len),
		};
		for (uint16_t i = OFF_PAYLOAD; i < len; i++)
			tx_template[port][i] = (uint8_t)i;
	}
}

static inline void txonly_fill(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	const uint8_t *tpl = tx_template[s->tx_port];
	const uint16_t len = fwd_cfg.txpkts;
	const unsigned int flows = fwd_cfg.flows;

	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];
		struct udp_frame *f = px_pktmbuf_mtod(m, struct udp_frame *);
		uint64_t seq = s->tx_seq++;

		memcpy(f, tpl, len);
		memcpy((uint8_t *)f + OFF_PAYLOAD, &seq, sizeof(seq));
		f->udp.src_port = px_cpu_to_be_16((uint16_t)(1024 + seq % flows));
		m->data_len = len;
		m->pkt_len = len;
	}
}

/* Append the bytes of the template from @off on to @m as segments of the pool's size.
 * @return 0, or -ENOMEM (the caller frees @m). */
static int txonly_chain_rest(struct px_mbuf *m, const uint8_t *tpl, uint16_t off, uint16_t len)
{
	struct px_mbuf *last = m;

	while (off < len) {
		struct px_mbuf *seg = px_pktmbuf_alloc(fwd_pools[0]);
		uint16_t k;

		if (seg == NULL)
			return -ENOMEM;
		k = PX_MIN((uint16_t)(len - off), px_pktmbuf_tailroom(seg));
		memcpy(px_pktmbuf_mtod(seg, uint8_t *), tpl + off, k);
		seg->data_len = k;
		last->next = seg;
		last = seg;
		m->nb_segs++;
		off += k;
	}
	m->pkt_len = len;
	return 0;
}

/* txonly frames longer than one mbuf (--enable-scatter): the headers, the sequence number and
 * what fits in the first segment, the rest in more. @return how many of @p n were built (the
 * others are freed: the pool ran out). */
static uint16_t txonly_fill_chained(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	const uint8_t *tpl = tx_template[s->tx_port];
	const uint16_t len = fwd_cfg.txpkts;

	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];
		struct udp_frame *f = px_pktmbuf_mtod(m, struct udp_frame *);
		uint16_t first = PX_MIN(len, px_pktmbuf_tailroom(m));
		uint64_t seq = s->tx_seq;

		memcpy(f, tpl, first);
		memcpy((uint8_t *)f + OFF_PAYLOAD, &seq, sizeof(seq));
		f->udp.src_port = px_cpu_to_be_16((uint16_t)(1024 + seq % fwd_cfg.flows));
		m->data_len = first;
		if (txonly_chain_rest(m, tpl, first, len) < 0) {
			px_pktmbuf_free_bulk(pkts + i, n - i);
			return i;
		}
		s->tx_seq++;
	}
	return n;
}

/* Fill @p n fresh mbufs with txonly frames. @return how many are ready to send. */
static inline uint16_t txonly_build(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	if (px_unlikely(fwd_cfg.txpkts > px_pktmbuf_tailroom(pkts[0])))
		return txonly_fill_chained(s, pkts, n);
	txonly_fill(s, pkts, n);
	return n;
}

/* Send txonly frames; the sequence numbers of those the port did not take (the last ones) are
 * used again by the next burst, so each number goes out exactly once and rxonly --check finds
 * a gap only where a frame was lost, not where the sender dropped it. */
static inline void txonly_send(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	s->tx_seq -= n - fwd_send_or_drop(s, pkts, n);
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
		n = txonly_build(s, pkts, n);
		if (n == 0)
			return -ENOMEM;
		txonly_send(s, pkts, n);
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
	const bool cycles = fwd_cfg.record_cycles;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			struct fwd_stream *s = lc->streams[i];
			struct px_mempool *mp = fwd_pools[0];
			uint64_t t0 = cycles ? px_get_tsc_cycles() : 0;
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
			n = txonly_build(s, pkts, n);
			if (n)
				txonly_send(s, pkts, n);
			if (cycles)
				s->core_cycles += px_get_tsc_cycles() - t0;
		}
	}
	return 0;
}

/* ---- icmpecho: answer ARP requests and ICMP echo requests for the port's address ---- */

static bool arp_reply(struct px_mbuf *m, uint16_t port)
{
	struct px_ether_hdr *eth = px_pktmbuf_mtod(m, struct px_ether_hdr *);
	struct px_arp_hdr *arp = (struct px_arp_hdr *)(eth + 1);
	struct px_arp_ipv4 *a = &arp->arp_data;
	const struct px_ether_addr *mac = &fwd_cfg.port_mac[port];
	px_be32_t ip = fwd_cfg.ip[port];

	/* Ethernet/IPv4 ARP request (RFC 826) whose target protocol address is ours */
	if (m->data_len < sizeof(*eth) + sizeof(*arp) ||
	    arp->arp_hardware != PX_BE16(PX_ARP_HRD_ETHER) ||
	    arp->arp_protocol != PX_BE16(PX_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != PX_ETHER_ADDR_LEN || arp->arp_plen != sizeof(px_be32_t) ||
	    arp->arp_opcode != PX_BE16(PX_ARP_OP_REQUEST) || a->arp_tip != ip)
		return false;
	eth->dst_addr = a->arp_sha; /* to the sender */
	eth->src_addr = *mac;
	arp->arp_opcode = PX_BE16(PX_ARP_OP_REPLY);
	a->arp_tha = a->arp_sha; /* target = the old sender */
	a->arp_tip = a->arp_sip;
	a->arp_sha = *mac; /* sender = us */
	a->arp_sip = ip;
	return true;
}

static bool icmp_reply(struct px_mbuf *m, uint16_t port)
{
	struct px_ether_hdr *eth = px_pktmbuf_mtod(m, struct px_ether_hdr *);
	struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)(eth + 1);
	struct px_icmp_hdr *icmp;
	struct px_ether_addr tmp;
	px_be32_t addr = fwd_cfg.ip[port];
	uint8_t ihl;

	if (m->data_len < sizeof(*eth) + sizeof(*ip) + sizeof(*icmp) ||
	    px_ipv4_hdr_version(ip) != 4 || ip->next_proto_id != PX_IPPROTO_ICMP ||
	    ip->dst_addr != addr)
		return false;
	ihl = px_ipv4_hdr_len(ip);
	icmp = (struct px_icmp_hdr *)((uint8_t *)ip + ihl);
	if (ihl < PX_IPV4_MIN_HDR_LEN || m->data_len < sizeof(*eth) + ihl + sizeof(*icmp) ||
	    icmp->icmp_type != PX_ICMP_TYPE_ECHO_REQUEST || icmp->icmp_code != 0)
		return false;
	tmp = eth->dst_addr;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = tmp;
	ip->dst_addr = ip->src_addr;
	ip->src_addr = addr;
	/* Only the type changes: with m and m' the old and new first 16-bit word (type, code),
	 * HC' = HC + m - m' in one's-complement arithmetic (RFC 1624 §3), here HC + 0x0800. */
	icmp->icmp_type = PX_ICMP_TYPE_ECHO_REPLY;
	icmp->icmp_cksum =
		px_cksum_fold((uint64_t)icmp->icmp_cksum +
			      PX_BE16((PX_ICMP_TYPE_ECHO_REQUEST - PX_ICMP_TYPE_ECHO_REPLY) << 8));
	return true;
}

static uint16_t fix_icmpecho(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	uint16_t keep = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];
		px_be16_t type = px_pktmbuf_mtod(m, struct px_ether_hdr *)->ether_type;
		bool answer = (type == PX_BE16(PX_ETHER_TYPE_ARP) && arp_reply(m, s->rx_port)) ||
			      (type == PX_BE16(PX_ETHER_TYPE_IPV4) && icmp_reply(m, s->rx_port));

		if (answer)
			pkts[keep++] = m;
		else
			px_pktmbuf_free(m);
	}
	return keep;
}

static int loop_icmpecho(void *arg)
{
	return fwd_rx_fix_tx_loop(arg, fix_icmpecho);
}

static const struct fwd_mode fwd_modes[] = {
	{"io", loop_io, NULL},           {"mac", loop_mac, NULL},
	{"macswap", loop_macswap, NULL}, {"rxonly", loop_rxonly, NULL},
	{"txonly", loop_txonly, NULL},   {"icmpecho", loop_icmpecho, NULL},
};

/* fwd_modes, then the tables fwd_modes_register() added */
static struct {
	const struct fwd_mode *modes;
	unsigned int n;
} mode_tables[4] = {{fwd_modes, PX_DIM(fwd_modes)}};
static unsigned int nb_mode_tables = 1;

void fwd_modes_register(const struct fwd_mode *modes, unsigned int n)
{
	if (nb_mode_tables < PX_DIM(mode_tables))
		mode_tables[nb_mode_tables++] = (typeof(mode_tables[0])){modes, n};
}

const struct fwd_mode *fwd_mode_find(const char *name)
{
	for (unsigned int t = 0; t < nb_mode_tables; t++)
		for (unsigned int i = 0; i < mode_tables[t].n; i++) {
			const struct fwd_mode *m = &mode_tables[t].modes[i];

			if (strcmp(m->name, name) == 0 || (m->alias && strcmp(m->alias, name) == 0))
				return m;
		}
	return NULL;
}

void fwd_modes_list(FILE *f)
{
	const char *sep = "";

	for (unsigned int t = 0; t < nb_mode_tables; t++)
		for (unsigned int i = 0; i < mode_tables[t].n; i++, sep = ", ")
			fprintf(f, "%s%s", sep, mode_tables[t].modes[i].name);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd's csum, 5tswap and flowgen engines. Headers are found and checksums computed with
 * lib/net (px_net_hdr_parse(), px_ipv4_cksum(), px_ipv4_udptcp_cksum() and their IPv6 and
 * pseudo-header forms); nothing here reads a byte offset.
 *
 *   csum     parse L2/L3/L4, count wrong IPv4 and UDP/TCP checksums (the port's verdict with
 *            --enable-rx-cksum, else computed), then set them right on the way out: by the TX
 *            port's offload where --tx-offloads asked for it, else in software. MACs as in mac
 *            mode (the TX port's address, its --eth-peer).
 *   5tswap   swap the MAC addresses, the IPv4/IPv6 addresses and the UDP/TCP ports: a frame
 *            goes back to where it came from; checksums stay right (a swap keeps the sum).
 *   flowgen  send UDP/IPv4 frames of --txpkts bytes to --flowgen-flows destination addresses
 *            in turn (10.254.0.0 -> 10.253.0.0 + flow, port 9, as testpmd), and drop what
 *            arrives.
 */
#include <stdio.h>
#include <string.h>

#include <px_net.h>

#include "fwd.h"

/* ---- csum ---- */

/* Is the IPv4 header checksum right? The port's verdict when it gave one. */
static bool ip_cksum_ok(const struct px_mbuf *m, const struct px_ipv4_hdr *ip)
{
	uint64_t f = m->ol_flags & PX_MBUF_F_RX_IP_CKSUM_MASK;

	if (f == PX_MBUF_F_RX_IP_CKSUM_GOOD)
		return true;
	if (f == PX_MBUF_F_RX_IP_CKSUM_BAD)
		return false;
	return px_raw_cksum(ip, px_ipv4_hdr_len(ip)) == 0xffff;
}

/* Bytes after the IP header, as the header says. */
static uint32_t l3_payload_len(const void *l3, bool v4)
{
	return v4 ? px_ipv4_l4_len(l3)
		  : px_be_to_cpu_16(((const struct px_ipv6_hdr *)l3)->payload_len);
}

/* Is the UDP/TCP checksum right? @l3 the IP header, @v4 which. Only a frame whose L4 data is
 * all in the first segment is summed in software; others count as right. */
static bool l4_cksum_ok(const struct px_mbuf *m, const void *l3, bool v4, uint32_t l4_off)
{
	uint64_t f = m->ol_flags & PX_MBUF_F_RX_L4_CKSUM_MASK;
	const void *l4 = (const uint8_t *)l3 + (l4_off - m->l2_len);
	uint32_t l4_len;

	if (f == PX_MBUF_F_RX_L4_CKSUM_GOOD)
		return true;
	if (f == PX_MBUF_F_RX_L4_CKSUM_BAD)
		return false;
	l4_len = l3_payload_len(l3, v4);
	if (l4_off + l4_len > m->data_len)
		return true; /* beyond the first segment: not checked */
	return v4 ? px_ipv4_udptcp_cksum_verify(l3, l4) == 0
		  : px_ipv6_udptcp_cksum_verify(l3, l4) == 0;
}

/* Store @v in the checksum field of a UDP or TCP header. */
static void l4_cksum_set(void *l4, uint8_t proto, px_be16_t v)
{
	if (proto == PX_IPPROTO_UDP)
		((struct px_udp_hdr *)l4)->dgram_cksum = v;
	else
		((struct px_tcp_hdr *)l4)->cksum = v;
}

/* Set the checksums of @m right: by offload flags where the TX port was asked to (the field
 * then holds the pseudo-header sum the NIC completes), in software otherwise. */
static void csum_fix(struct px_mbuf *m, void *l3, bool v4, uint8_t proto, uint64_t txoff)
{
	void *l4 = (uint8_t *)l3 + m->l3_len;
	bool l4_here = proto == PX_IPPROTO_UDP || proto == PX_IPPROTO_TCP;
	uint64_t l4_off = PX_ETH_TX_OFFLOAD_UDP_CKSUM;

	if (v4) {
		struct px_ipv4_hdr *ip = l3;

		m->ol_flags |= PX_MBUF_F_TX_IPV4;
		ip->hdr_checksum = 0;
		if (txoff & PX_ETH_TX_OFFLOAD_IPV4_CKSUM)
			m->ol_flags |= PX_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = px_ipv4_cksum(ip);
	} else {
		m->ol_flags |= PX_MBUF_F_TX_IPV6;
	}
	if (!l4_here || (uint32_t)m->l2_len + m->l3_len + l3_payload_len(l3, v4) > m->data_len)
		return; /* not UDP/TCP, or not all in the first segment */
	if (proto == PX_IPPROTO_TCP)
		l4_off = PX_ETH_TX_OFFLOAD_TCP_CKSUM;
	if (txoff & l4_off) {
		m->ol_flags |=
			proto == PX_IPPROTO_UDP ? PX_MBUF_F_TX_UDP_CKSUM : PX_MBUF_F_TX_TCP_CKSUM;
		l4_cksum_set(l4, proto, v4 ? px_ipv4_phdr_cksum(l3) : px_ipv6_phdr_cksum(l3));
		return;
	}
	l4_cksum_set(l4, proto, 0);
	l4_cksum_set(l4, proto, v4 ? px_ipv4_udptcp_cksum(l3, l4) : px_ipv6_udptcp_cksum(l3, l4));
}

static uint16_t fix_csum(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	const struct px_ether_addr *src = &fwd_cfg.port_mac[s->tx_port];
	const struct px_ether_addr *dst = &fwd_cfg.peer[s->tx_port];
	uint64_t bad_ip = 0, bad_l4 = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];
		struct px_ether_hdr *eth = px_pktmbuf_mtod(m, struct px_ether_hdr *);
		struct px_net_hdr_lens h;
		uint8_t *l3;
		bool v4;

		eth->dst_addr = *dst;
		eth->src_addr = *src;
		px_net_hdr_parse(eth, m->data_len, &h);
		m->ol_flags &= ~(PX_MBUF_F_TX_IP_CKSUM | PX_MBUF_F_TX_L4_MASK | PX_MBUF_F_TX_IPV4 |
				 PX_MBUF_F_TX_IPV6);
		if (h.l3_len == 0)
			continue; /* not IP, or cut short: forwarded as it is */
		m->l2_len = h.l2_len;
		m->l3_len = h.l3_len;
		l3 = (uint8_t *)eth + h.l2_len;
		v4 = h.l3_type == PX_BE16(PX_ETHER_TYPE_IPV4);
		if (v4 && !ip_cksum_ok(m, (const struct px_ipv4_hdr *)l3))
			bad_ip++;
		if (h.l4_len && !l4_cksum_ok(m, l3, v4, h.l2_len + h.l3_len))
			bad_l4++;
		csum_fix(m, l3, v4, h.l4_len ? h.l4_proto : 0, fwd_cfg.tx_offloads);
	}
	if (bad_ip)
		STAT_ADD(s->bad_ip_cksum, bad_ip);
	if (bad_l4)
		STAT_ADD(s->bad_l4_cksum, bad_l4);
	return n;
}

static int loop_csum(void *arg)
{
	return fwd_rx_fix_tx_loop(arg, fix_csum);
}

/* ---- 5tswap ---- */

static void swap_bytes(void *a, void *b, size_t len)
{
	uint8_t tmp[16];

	memcpy(tmp, a, len);
	memcpy(a, b, len);
	memcpy(b, tmp, len);
}

static uint16_t fix_5tswap(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t n)
{
	(void)s;
	for (uint16_t i = 0; i < n; i++) {
		struct px_ether_hdr *eth = px_pktmbuf_mtod(pkts[i], struct px_ether_hdr *);
		uint8_t *l3 = (uint8_t *)eth;
		struct px_net_hdr_lens h;

		px_net_hdr_parse(eth, pkts[i]->data_len, &h);
		if (h.l2_len == 0)
			continue; /* shorter than an Ethernet header */
		swap_bytes(&eth->dst_addr, &eth->src_addr, sizeof(eth->dst_addr));
		l3 += h.l2_len;
		if (h.l3_type == PX_BE16(PX_ETHER_TYPE_IPV4) && h.l3_len) {
			struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)l3;

			swap_bytes(&ip->src_addr, &ip->dst_addr, sizeof(ip->src_addr));
		} else if (h.l3_type == PX_BE16(PX_ETHER_TYPE_IPV6) && h.l3_len) {
			struct px_ipv6_hdr *ip6 = (struct px_ipv6_hdr *)l3;

			swap_bytes(ip6->src_addr, ip6->dst_addr, sizeof(ip6->src_addr));
		}
		if (h.l4_len) /* UDP and TCP both start with the two ports */
			swap_bytes(l3 + h.l3_len, l3 + h.l3_len + 2, 2);
	}
	return n;
}

static int loop_5tswap(void *arg)
{
	return fwd_rx_fix_tx_loop(arg, fix_5tswap);
}

/* ---- flowgen ---- */

struct flowgen_frame {
	struct px_ether_hdr eth;
	struct px_ipv4_hdr ip;
	struct px_udp_hdr udp;
};

#define FLOWGEN_SRC PX_IPV4(10, 254, 0, 0)
#define FLOWGEN_DST PX_IPV4(10, 253, 0, 0)

/* Frame @seq of the stream: headers for flow seq % flows, the payload zero; one segment (a
 * --txpkts longer than an mbuf is cut to the mbuf). */
static void flowgen_fill(struct fwd_stream *s, struct px_mbuf *m, uint64_t seq)
{
	struct flowgen_frame *f = px_pktmbuf_mtod(m, struct flowgen_frame *);
	uint16_t len = PX_MIN(fwd_cfg.txpkts, px_pktmbuf_tailroom(m));
	uint16_t ip_len = len - sizeof(struct px_ether_hdr);

	memset(f, 0, len);
	f->eth.dst_addr = fwd_cfg.peer[s->tx_port];
	f->eth.src_addr = fwd_cfg.port_mac[s->tx_port];
	f->eth.ether_type = PX_BE16(PX_ETHER_TYPE_IPV4);
	f->ip = (struct px_ipv4_hdr){
		.version_ihl = PX_IPV4_VHL_DEF,
		.total_length = px_cpu_to_be_16(ip_len),
		.packet_id = px_cpu_to_be_16((uint16_t)seq),
		.time_to_live = 64,
		.next_proto_id = PX_IPPROTO_UDP,
		.src_addr = PX_BE32(FLOWGEN_SRC),
		.dst_addr = px_cpu_to_be_32(FLOWGEN_DST + (uint32_t)(seq % fwd_cfg.flowgen_flows)),
	};
	f->ip.hdr_checksum = px_ipv4_cksum(&f->ip);
	f->udp = (struct px_udp_hdr){
		.src_port = PX_BE16(9), /* discard (RFC 863), as testpmd */
		.dst_port = PX_BE16(9),
		.dgram_len = px_cpu_to_be_16(ip_len - sizeof(struct px_ipv4_hdr)),
	};
	f->udp.dgram_cksum = px_ipv4_udptcp_cksum(&f->ip, &f->udp);
	m->data_len = len;
	m->pkt_len = len;
}

static void flowgen_stream(struct fwd_stream *s, struct px_mbuf **pkts, uint16_t burst)
{
	uint16_t n = px_eth_rx_burst(s->rx_port, s->rxq, pkts, burst);

	if (px_unlikely(s->rx_bursts != NULL))
		s->rx_bursts[n]++;
	if (n) {
		STAT_ADD(s->rx_pkts, n);
		px_pktmbuf_free_bulk(pkts, n);
	}
	n = burst;
	if (fwd_cfg.max_pkts && s->tx_seq + n > fwd_cfg.max_pkts)
		n = (uint16_t)(fwd_cfg.max_pkts - s->tx_seq);
	if (n == 0 || px_pktmbuf_alloc_bulk(fwd_pools[0], pkts, n) != 0)
		return;
	for (uint16_t i = 0; i < n; i++)
		flowgen_fill(s, pkts[i], s->tx_seq++);
	fwd_send_or_drop(s, pkts, n);
}

static int loop_flowgen(void *arg)
{
	struct fwd_lcore *lc = arg;
	struct px_mbuf *pkts[FWD_MAX_BURST];
	const uint16_t burst = fwd_cfg.burst;
	const bool cycles = fwd_cfg.record_cycles;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		for (unsigned int i = 0; i < lc->nb_streams; i++) {
			uint64_t t0 = cycles ? px_get_tsc_cycles() : 0;

			flowgen_stream(lc->streams[i], pkts, burst);
			if (cycles)
				lc->streams[i]->core_cycles += px_get_tsc_cycles() - t0;
		}
	}
	return 0;
}

static const struct fwd_mode engines[] = {
	{"csum", loop_csum, NULL},
	{"5tswap", loop_5tswap, "5tuple_swap"},
	{"flowgen", loop_flowgen, NULL},
};

static void __attribute__((constructor)) engines_register(void)
{
	fwd_modes_register(engines, PX_DIM(engines));
}

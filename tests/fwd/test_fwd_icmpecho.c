/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd's icmpecho loop against crafted frames: an ARP request and an ICMP echo request for the
 * port's address are answered with correct fields and checksums; frames for another address and
 * non-ICMP frames are dropped and their mbufs freed. Built from px-fwd's own sources.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <px_cksum.h>
#include <px_eth_ring.h>
#include <px_icmp.h>
#include <px_ip.h>

#include "fwd.h"
#include "fwd_test.h"

FWD_TEST_GLOBALS(.burst = 32);

static const uint8_t peer_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
static uint8_t our_ip[4] = {10, 0, 0, 1}, peer_ip[4] = {10, 0, 0, 2}, other_ip[4] = {10, 0, 0, 9};

static struct px_mbuf *frame(const uint8_t *data, uint16_t len)
{
	struct px_mbuf *m = px_pktmbuf_alloc(fwd_pools[0]);

	if (m)
		memcpy(px_pktmbuf_append(m, len), data, len);
	return m;
}

static uint16_t arp_request(uint8_t *f, const uint8_t *target_ip)
{
	static const uint8_t hdr[8] = {0, 1, 8, 0, 6, 4, 0, 1}; /* Ethernet, IPv4, request */

	memset(f, 0xff, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	memcpy(f + 14, hdr, 8);
	memcpy(f + 22, peer_mac, 6);
	memcpy(f + 28, peer_ip, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, target_ip, 4);
	return 60; /* padded to the minimum frame */
}

static uint16_t echo_request(uint8_t *f, const uint8_t *dst_ip, const struct px_ether_addr *dst_mac)
{
	struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)(f + 14);
	uint8_t *icmp = f + 34;
	uint16_t ck;

	memcpy(f, dst_mac->addr_bytes, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08, f[13] = 0x00;
	memset(ip, 0, 20);
	ip->version_ihl = 0x45;
	ip->total_length = htons(20 + 8 + 56);
	ip->time_to_live = 64;
	ip->next_proto_id = 1;
	memcpy(&ip->src_addr, peer_ip, 4);
	memcpy(&ip->dst_addr, dst_ip, 4);
	ip->hdr_checksum = px_ipv4_cksum(ip);
	icmp[0] = 8, icmp[1] = 0, icmp[2] = icmp[3] = 0;
	icmp[4] = 0x12, icmp[5] = 0x34, icmp[6] = 0, icmp[7] = 7; /* id, sequence */
	for (int i = 0; i < 56; i++)
		icmp[8 + i] = (uint8_t)(i * 7 + 1);
	ck = px_icmp_cksum(icmp, 64);
	memcpy(icmp + 2, &ck, 2);
	return 14 + 20 + 64;
}

static int check_arp_reply(const uint8_t *f, const struct px_ether_addr *mac)
{
	if (memcmp(f, peer_mac, 6) || memcmp(f + 6, mac->addr_bytes, 6))
		FAIL("ARP reply: Ethernet addresses");
	if (f[12] != 0x08 || f[13] != 0x06 || f[20] != 0 || f[21] != 2)
		FAIL("ARP reply: not an ARP reply (op %u)", f[21]);
	if (memcmp(f + 22, mac->addr_bytes, 6) || memcmp(f + 28, our_ip, 4))
		FAIL("ARP reply: sender is not us");
	if (memcmp(f + 32, peer_mac, 6) || memcmp(f + 38, peer_ip, 4))
		FAIL("ARP reply: target is not the requester");
	return 0;
}

static int check_echo_reply(const uint8_t *f, uint16_t len, const uint8_t *req)
{
	const struct px_ipv4_hdr *ip = (const struct px_ipv4_hdr *)(f + 14);
	const uint8_t *icmp = f + 34;

	if (len != 98 || memcmp(f, peer_mac, 6) || memcmp(f + 6, req, 6))
		FAIL("echo reply: length %u or Ethernet addresses", len);
	if (memcmp(&ip->src_addr, our_ip, 4) || memcmp(&ip->dst_addr, peer_ip, 4))
		FAIL("echo reply: IP addresses not swapped");
	if (px_raw_cksum(ip, 20) != 0xffff)
		FAIL("echo reply: bad IPv4 header checksum");
	if (icmp[0] != 0 || icmp[1] != 0)
		FAIL("echo reply: type %u code %u", icmp[0], icmp[1]);
	if (px_raw_cksum(icmp, 64) != 0xffff)
		FAIL("echo reply: bad ICMP checksum");
	if (memcmp(icmp + 4, req + 38, 60))
		FAIL("echo reply: id, sequence or data changed");
	return 0;
}

static int setup(uint16_t *port, struct px_ring **in, struct px_ring **out)
{
	struct px_eth_conf conf = {0};

	fwd_pools[0] = px_pktmbuf_pool_create("icmp_pool", 511, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	*in = px_ring_create("icmp_in", 64, 0, PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	*out = px_ring_create("icmp_out", 64, 0, PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	if (!fwd_pools[0] || !*in || !*out)
		FAIL("pool or rings");
	int p = px_eth_from_rings("icmp0", in, 1, out, 1, 0);
	if (p < 0 || px_eth_dev_configure(p, 1, 1, &conf) ||
	    px_eth_tx_queue_setup(p, 0, 64, 0, NULL) ||
	    px_eth_rx_queue_setup(p, 0, 64, 0, NULL, fwd_pools[0]) || px_eth_dev_start(p))
		FAIL("port over rings");
	*port = (uint16_t)p;
	fwd_cfg.mode = fwd_mode_find("icmpecho");
	memcpy(&fwd_cfg.ip[p], our_ip, 4);
	px_eth_macaddr_get(p, &fwd_cfg.port_mac[p]);
	fwd_streams[0] = (struct fwd_stream){.rx_port = *port, .tx_port = *port};
	fwd_nb_streams = 1;
	return 0;
}

static int run_loop(struct px_ring *out, unsigned int want)
{
	static struct fwd_lcore lc = {.streams = {&fwd_streams[0]}, .nb_streams = 1};
	unsigned int worker = px_get_next_lcore(-1, 1, 0);
	uint64_t end = px_get_tsc_cycles() + 2 * px_get_tsc_hz();

	if (worker >= PX_MAX_LCORE || px_remote_launch(fwd_cfg.mode->loop, &lc, worker))
		FAIL("launch on a worker lcore");
	while (px_ring_count(out) < want && px_get_tsc_cycles() < end)
		px_pause();
	px_delay_us(20000); /* anything more would arrive now */
	fwd_stop = 1;
	px_wait_lcore(worker);
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t buf[4][128];
	uint16_t port, len[4];
	struct px_ring *in, *out;
	struct px_mbuf *req[4], *rep[8];
	unsigned int n, avail;

	if (px_eal_init(argc, argv) < 0 || setup(&port, &in, &out))
		return 1;
	len[0] = arp_request(buf[0], our_ip);
	len[1] = echo_request(buf[1], our_ip, &fwd_cfg.port_mac[port]);
	len[2] = echo_request(buf[2], other_ip, &fwd_cfg.port_mac[port]); /* not ours */
	len[3] = arp_request(buf[3], other_ip);                           /* not ours */
	avail = px_mempool_avail_count(fwd_pools[0]);
	for (int i = 0; i < 4; i++)
		if ((req[i] = frame(buf[i], len[i])) == NULL)
			FAIL("alloc");
	if (px_ring_sp_enqueue_bulk(in, (void **)req, 4, NULL) != 4)
		FAIL("inject");
	if (run_loop(out, 2))
		return 1;
	n = px_ring_sc_dequeue_burst(out, (void **)rep, 8, NULL);
	if (n != 2)
		FAIL("%u replies, want 2 (ARP and echo; the two for 10.0.0.9 dropped)", n);
	if (check_arp_reply(px_pktmbuf_mtod(rep[0], uint8_t *), &fwd_cfg.port_mac[port]) ||
	    check_echo_reply(px_pktmbuf_mtod(rep[1], uint8_t *), rep[1]->data_len, buf[1]))
		return 1;
	px_pktmbuf_free_bulk(rep, n);
	if (px_mempool_avail_count(fwd_pools[0]) != avail)
		FAIL("mbufs leaked: %u free, %u before", px_mempool_avail_count(fwd_pools[0]),
		     avail);
	px_eth_dev_close(port);
	px_ring_free(in);
	px_ring_free(out);
	px_mempool_free(fwd_pools[0]);
	px_eal_cleanup();
	printf("icmpecho: ARP and ICMP echo answered with valid checksums; 2 foreign frames dropped\n");
	return 0;
}

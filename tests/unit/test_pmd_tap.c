/* SPDX-License-Identifier: BSD-3-Clause */
/* net_tap in a network namespace of the test's own (needs root, else skipped).
 *
 * Per-queue xstats: with two queues the kernel spreads frames of 16 flows over both, and each
 * queue's xstats count what it received and sent.
 *
 * TX checksum offload through the kernel: two taps in a kernel bridge, in a network
 * namespace of the test's own (needs root). A UDP datagram sent with PX_MBUF_F_TX_IP_CKSUM and
 * PX_MBUF_F_TX_UDP_CKSUM, its IP checksum 0 and only the pseudo-header sum in its UDP checksum,
 * arrives on the other port with both checksums right: the driver computed the first, the
 * kernel (told by the virtio-net header) the second.
 *
 * TSO through the kernel: the same bridge; one TCP packet of 65495 bytes of payload (the most IPv4
 * allows) in a chain of mbufs, sent with PX_MBUF_F_TX_TCP_SEG and an MSS of 1400, is segmented by
 * the kernel (the other tap offers no TSO to the kernel, so the bridge's transmit segments in
 * software) and arrives on the other port as 47 segments, each with right IPv4 (or IPv6) and TCP
 * checksums, at most MSS bytes, whose payloads put together by sequence number are the bytes sent.
 * The same out of a veth with its offloads off, the segments caught by a raw socket on its peer.
 * LRO: a port asking for it gets that TSO packet whole. */
#include <errno.h>
#include <inttypes.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_ether.h>
#include <px_ip.h>
#include <px_mbuf.h>
#include <px_tcp.h>
#include <px_udp.h>
#include <px_vdev.h>
#include "pmd_kernel_peer.h"
#include "px_test.h"

#define CK_PAYLOAD 100
#define CK_SPORT 4242
#define TSO_PAYLOAD 65495 /* the most an IPv4 packet holds: 33 mbufs of 2 KiB */
/* LRO: the kernel segments a GSO packet of 64 KiB or more before any device (gso_max_size) */
#define LRO_PAYLOAD 60000
#define TSO_MSS 1400
#define TSO_SPORT 4343
#define TSO_ISN 0xfffff000u /* the sequence numbers wrap during the packet */

/* A kernel bridge pxbr0 with @a and @b in it, up (the bridge ioctls of linux/sockios.h).
 * @return 0, 1 when the kernel makes no bridge (no bridge module), -1 on another failure. */
static int bridge_up(const char *a, const char *b)
{
	const char *ports[] = {a, b};
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = fd < 0 || ioctl(fd, SIOCBRADDBR, "pxbr0") < 0 ? 1 : 0;

	for (int i = 0; ret == 0 && i < 2; i++) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "pxbr0");
		ifr.ifr_ifindex = (int)if_nametoindex(ports[i]);
		ret = ioctl(fd, SIOCBRADDIF, &ifr) < 0 ? -1 : 0;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "pxbr0");
	if (ret == 0)
		ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (ret == 0)
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Ethernet, IPv4 (checksum 0), UDP (checksum: the pseudo-header sum), CK_PAYLOAD bytes. */
static struct px_mbuf *udp_frame(struct px_mempool *mp)
{
	const uint16_t udp_len = sizeof(struct px_udp_hdr) + CK_PAYLOAD;
	struct px_mbuf *m = px_pktmbuf_alloc(mp);
	struct px_ether_hdr *eth;
	struct px_ipv4_hdr *ip;
	struct px_udp_hdr *udp;

	if (m == NULL)
		return NULL;
	eth = px_pktmbuf_mtod(m, struct px_ether_hdr *);
	ip = (struct px_ipv4_hdr *)(eth + 1);
	udp = (struct px_udp_hdr *)(ip + 1);
	/* addresses no port has: the bridge floods the frame to the other tap */
	*eth = (struct px_ether_hdr){.dst_addr = {{2, 0, 0, 0, 0, 2}},
				     .src_addr = {{2, 0, 0, 0, 0, 1}},
				     .ether_type = px_cpu_to_be_16(PX_ETHER_TYPE_IPV4)};
	*ip = (struct px_ipv4_hdr){.version_ihl = PX_IPV4_VHL_DEF,
				   .total_length = px_cpu_to_be_16(sizeof(*ip) + udp_len),
				   .time_to_live = 64,
				   .next_proto_id = PX_IPPROTO_UDP,
				   .src_addr = px_cpu_to_be_32(PX_IPV4(10, 0, 0, 1)),
				   .dst_addr = px_cpu_to_be_32(PX_IPV4(10, 0, 0, 2))};
	*udp = (struct px_udp_hdr){.src_port = px_cpu_to_be_16(CK_SPORT),
				   .dst_port = px_cpu_to_be_16(9),
				   .dgram_len = px_cpu_to_be_16(udp_len)};
	memset(udp + 1, 0xa5, CK_PAYLOAD);
	udp->dgram_cksum = px_cksum_fold(px_ipv4_phdr_sum(ip, udp_len));
	m->data_len = (uint16_t)(sizeof(*eth) + sizeof(*ip) + udp_len);
	m->pkt_len = m->data_len;
	m->ol_flags = PX_MBUF_F_TX_IPV4 | PX_MBUF_F_TX_IP_CKSUM | PX_MBUF_F_TX_UDP_CKSUM;
	m->l2_len = sizeof(*eth);
	m->l3_len = sizeof(*ip);
	return m;
}

/* Receive on @port until our datagram comes (2 s at most); other frames are freed. */
static struct px_mbuf *rx_ours(uint16_t port)
{
	for (int i = 0; i < 2000; i++) {
		struct px_mbuf *m;

		if (px_eth_rx_burst(port, 0, &m, 1) == 0) {
			usleep(1000);
			continue;
		}
		struct px_udp_hdr *udp = px_pktmbuf_mtod_offset(m, struct px_udp_hdr *,
								sizeof(struct px_ether_hdr) +
									sizeof(struct px_ipv4_hdr));
		if (m->pkt_len >= 42 && udp->src_port == px_cpu_to_be_16(CK_SPORT))
			return m;
		px_pktmbuf_free(m);
	}
	return NULL;
}

/* A network namespace of our own, EAL up, and net_tap0 with @args as *@port.
 * @return 0, 77 or 1. */
static int tap_setup(const char *args, uint16_t *port)
{
	int ret;

	if (access("/dev/net/tun", R_OK | W_OK) != 0)
		PX_TEST_SKIP("no /dev/net/tun (modprobe tun)");
	ret = pmd_netns();
	if (ret < 0)
		PX_TEST_SKIP("cannot make a network namespace (needs root): %s", strerror(-ret));
	return pmd_probe("net_tap0", args, port);
}

/* Two taps @a and @b in a bridge, started with @conf (@conf1 for the second, when not NULL)
 * and RX from @mp, as *@p0 and *@p1. @return 0, 77 or 1. */
static int tap_bridge_setup(const char *a, const char *b, const struct px_eth_conf *conf,
			    const struct px_eth_conf *conf1, struct px_mempool **mp, uint16_t *p0,
			    uint16_t *p1)
{
	char args[32];
	int ret;

	snprintf(args, sizeof(args), "iface=%s", a);
	ret = tap_setup(args, p0);
	if (ret != 0)
		return ret;
	snprintf(args, sizeof(args), "iface=%s", b);
	PX_TEST_ASSERT_EQ(px_vdev_init("net_tap1", args), 0, "net_tap1");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_tap1", p1), 0, "its port");
	ret = bridge_up(a, b);
	if (ret == 1) {
		px_eal_cleanup();
		PX_TEST_SKIP("the kernel makes no bridge: %s", strerror(errno));
	}
	PX_TEST_ASSERT_EQ(ret, 0, "bridge: %s", strerror(errno));
	*mp = px_pktmbuf_pool_create("tap_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(*mp != NULL, "pool");
	PX_TEST_ASSERT_EQ(pmd_port_start(*p0, 1, conf, *mp), 0, "start port 0");
	PX_TEST_ASSERT_EQ(pmd_port_start(*p1, 1, conf1 != NULL ? conf1 : conf, *mp), 0,
			  "start port 1");
	return 0;
}

/* tap_bridge_setup() undone: both ports closed, every mbuf back in @mp, the EAL down.
 * @return PX_TEST_OK or PX_TEST_FAILED. */
static int tap_bridge_teardown(uint16_t p0, uint16_t p1, struct px_mempool *mp)
{
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p0), 0, "close 0");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p1), 0, "close 1");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 255, "every mbuf back in the pool");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}

static int test_pmd_tap_cksum(void)
{
	const struct px_eth_conf conf = {.txmode.offloads = PX_ETH_TX_OFFLOAD_IPV4_CKSUM |
							    PX_ETH_TX_OFFLOAD_UDP_CKSUM};
	struct px_mempool *mp;
	struct px_mbuf *m;
	struct px_ipv4_hdr *ip;
	uint16_t p0, p1;
	int ret;

	ret = tap_bridge_setup("ck0", "ck1", &conf, NULL, &mp, &p0, &p1);
	if (ret != 0)
		return ret;
	m = udp_frame(mp);
	PX_TEST_ASSERT(m != NULL, "frame");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p0, 0, &m, 1), 1, "sent");
	m = rx_ours(p1);
	PX_TEST_ASSERT(m != NULL, "the datagram arrived through the bridge");
	ip = px_pktmbuf_mtod_offset(m, struct px_ipv4_hdr *, sizeof(struct px_ether_hdr));
	PX_TEST_ASSERT(ip->hdr_checksum != 0 && px_ipv4_cksum(ip) == 0,
		       "IPv4 header checksum 0x%04x is right", ip->hdr_checksum);
	PX_TEST_ASSERT_EQ(px_ipv4_udptcp_cksum_verify(ip, ip + 1), 0, "UDP checksum is right");
	PX_TEST_ASSERT(((struct px_udp_hdr *)(ip + 1))->dgram_cksum != 0, "UDP checksum computed");
	px_pktmbuf_free(m);
	return tap_bridge_teardown(p0, p1, mp);
}
PX_TEST(pmd_tap_cksum_autotest, PX_TEST_F_FAST, test_pmd_tap_cksum)

static uint8_t tso_byte(uint32_t i)
{
	return (uint8_t)(i * 131 + (i >> 9));
}

/* Ethernet, IPv4 or IPv6, TCP (checksum: the pseudo-header sum without the length, the ethdev
 * TSO contract), then @payload bytes, in a chain of mbufs from @mp, with PX_MBUF_F_TX_TCP_SEG
 * and an MSS of TSO_MSS. */
static struct px_mbuf *tso_packet(struct px_mempool *mp, bool v6, uint32_t payload)
{
	const uint16_t l3_len = v6 ? sizeof(struct px_ipv6_hdr) : sizeof(struct px_ipv4_hdr);
	const uint16_t hdr = sizeof(struct px_ether_hdr) + l3_len + sizeof(struct px_tcp_hdr);
	const uint16_t l3_bytes = (uint16_t)(l3_len + sizeof(struct px_tcp_hdr) + payload);
	struct px_mbuf *m = px_pktmbuf_alloc(mp), *last = m;
	struct px_ether_hdr *eth;
	struct px_tcp_hdr *th;
	uint64_t phdr;

	if (m == NULL)
		return NULL;
	eth = (struct px_ether_hdr *)px_pktmbuf_append(m, hdr);
	*eth = (struct px_ether_hdr){
		.dst_addr = {{2, 0, 0, 0, 0, 2}},
		.src_addr = {{2, 0, 0, 0, 0, 1}},
		.ether_type = px_cpu_to_be_16(v6 ? PX_ETHER_TYPE_IPV6 : PX_ETHER_TYPE_IPV4)};
	if (v6) {
		struct px_ipv6_hdr *ip = (struct px_ipv6_hdr *)(eth + 1);

		*ip = (struct px_ipv6_hdr){.vtc_flow = px_cpu_to_be_32(6u << 28),
					   .proto = PX_IPPROTO_TCP,
					   .hop_limits = 64,
					   .src_addr = {0xfd, [15] = 1},
					   .dst_addr = {0xfd, [15] = 2}};
		phdr = px_ipv6_phdr_sum(ip); /* payload_len still 0 */
		ip->payload_len = px_cpu_to_be_16((uint16_t)(l3_bytes - l3_len));
	} else {
		struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)(eth + 1);

		*ip = (struct px_ipv4_hdr){.version_ihl = PX_IPV4_VHL_DEF,
					   .total_length = px_cpu_to_be_16(l3_bytes),
					   .time_to_live = 64,
					   .next_proto_id = PX_IPPROTO_TCP,
					   .src_addr = px_cpu_to_be_32(PX_IPV4(10, 0, 0, 1)),
					   .dst_addr = px_cpu_to_be_32(PX_IPV4(10, 0, 0, 2))};
		phdr = px_ipv4_phdr_sum(ip, 0);
	}
	th = px_pktmbuf_mtod_offset(m, struct px_tcp_hdr *, hdr - sizeof(*th));
	*th = (struct px_tcp_hdr){.src_port = px_cpu_to_be_16(TSO_SPORT),
				  .dst_port = px_cpu_to_be_16(9),
				  .sent_seq = px_cpu_to_be_32(TSO_ISN),
				  .data_off = 5 << 4,
				  .tcp_flags = PX_TCP_ACK_FLAG | PX_TCP_PSH_FLAG,
				  .rx_win = px_cpu_to_be_16(65535),
				  .cksum = px_cksum_fold(phdr)};
	for (uint32_t i = 0; i < payload; i++) {
		uint8_t *b;

		if (px_pktmbuf_tailroom(last) == 0) {
			struct px_mbuf *seg = px_pktmbuf_alloc(mp);

			if (seg == NULL || px_pktmbuf_chain(m, seg) != 0) {
				px_pktmbuf_free(seg);
				px_pktmbuf_free(m);
				return NULL;
			}
			last = seg;
		}
		b = (uint8_t *)px_pktmbuf_append(m, 1);
		*b = tso_byte(i);
	}
	m->ol_flags = PX_MBUF_F_TX_TCP_SEG | PX_MBUF_F_TX_TCP_CKSUM |
		      (v6 ? PX_MBUF_F_TX_IPV6 : PX_MBUF_F_TX_IPV4 | PX_MBUF_F_TX_IP_CKSUM);
	m->l2_len = sizeof(*eth);
	m->l3_len = l3_len;
	m->l4_len = sizeof(*th);
	m->tso_segsz = TSO_MSS;
	return m;
}

/* One segment of the TSO packet received, frame @f of @flen bytes: checksums and lengths
 * right, at most MSS bytes, its payload where its sequence number puts it; its payload bytes in
 * *@len_out. @return 0, or 1 with a message. */
static int tso_segment_check(const uint8_t *f, size_t flen, bool v6, unsigned int *len_out)
{
	const uint16_t l3_len = v6 ? sizeof(struct px_ipv6_hdr) : sizeof(struct px_ipv4_hdr);
	const void *ip = f + sizeof(struct px_ether_hdr);
	const struct px_tcp_hdr *th = (const struct px_tcp_hdr *)((const uint8_t *)ip + l3_len);
	const uint8_t *data = (const uint8_t *)(th + 1);
	uint32_t off = px_be_to_cpu_32(th->sent_seq) - TSO_ISN;
	int len = (int)flen - (int)(sizeof(struct px_ether_hdr) + l3_len + sizeof(*th));

	if (v6) {
		PX_TEST_ASSERT_EQ(px_be_to_cpu_16(((const struct px_ipv6_hdr *)ip)->payload_len),
				  sizeof(*th) + len, "IPv6 payload length");
		PX_TEST_ASSERT_EQ(px_ipv6_udptcp_cksum_verify(ip, th), 0, "TCP checksum (IPv6)");
	} else {
		PX_TEST_ASSERT_EQ(px_be_to_cpu_16(((const struct px_ipv4_hdr *)ip)->total_length),
				  l3_len + sizeof(*th) + len, "IPv4 total length");
		PX_TEST_ASSERT_EQ(px_ipv4_cksum(ip), 0, "IPv4 header checksum");
		PX_TEST_ASSERT_EQ(px_ipv4_udptcp_cksum_verify(ip, th), 0, "TCP checksum (IPv4)");
	}
	PX_TEST_ASSERT(len > 0 && len <= TSO_MSS, "segment of %d bytes, MSS %d", len, TSO_MSS);
	PX_TEST_ASSERT(off <= TSO_PAYLOAD - (uint32_t)len, "sequence offset %u", off);
	for (int i = 0; i < len; i++)
		PX_TEST_ASSERT_EQ(data[i], tso_byte(off + (uint32_t)i), "payload byte %u",
				  off + (uint32_t)i);
	*len_out = (unsigned int)len;
	return 0;
}

/* What has arrived of the TSO packet. */
struct tso_rx {
	unsigned int segs, bytes;
};

/* Frame @f (@flen bytes): checked and counted when it is a segment of the TSO packet, else
 * ignored. @return 0, or 1 with a message. */
static int tso_rx_frame(struct tso_rx *c, const uint8_t *f, size_t flen, bool v6)
{
	const size_t l4_at = sizeof(struct px_ether_hdr) +
			     (v6 ? sizeof(struct px_ipv6_hdr) : sizeof(struct px_ipv4_hdr));
	const struct px_ether_hdr *eth = (const struct px_ether_hdr *)f;
	const struct px_tcp_hdr *th = (const struct px_tcp_hdr *)(f + l4_at);
	unsigned int len = 0;
	int ret;

	if (flen <= l4_at + sizeof(*th) ||
	    eth->ether_type != px_cpu_to_be_16(v6 ? PX_ETHER_TYPE_IPV6 : PX_ETHER_TYPE_IPV4) ||
	    th->src_port != px_cpu_to_be_16(TSO_SPORT))
		return 0;
	ret = tso_segment_check(f, flen, v6, &len);
	c->segs++;
	c->bytes += len;
	return ret;
}

/* Every byte of the TSO packet came, in as many segments as the MSS makes. */
static int tso_rx_done(const struct tso_rx *c)
{
	PX_TEST_ASSERT_EQ(c->bytes, TSO_PAYLOAD, "payload bytes received (%u segments)", c->segs);
	PX_TEST_ASSERT_EQ(c->segs, (TSO_PAYLOAD + TSO_MSS - 1) / TSO_MSS, "segments");
	return 0;
}

/* Send one TSO packet (IPv6 if @v6) from @p0. */
static int tso_send(uint16_t p0, struct px_mempool *mp, bool v6)
{
	struct px_mbuf *m = tso_packet(mp, v6, TSO_PAYLOAD);

	PX_TEST_ASSERT(m != NULL, "the TSO packet");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p0, 0, &m, 1), 1, "sent");
	return 0;
}

/* Send one TSO packet from @p0; receive its segments on port @p1 (2 s at most). */
static int tso_roundtrip(uint16_t p0, uint16_t p1, struct px_mempool *mp, bool v6)
{
	struct tso_rx c = {0};

	PX_TEST_ASSERT_EQ(tso_send(p0, mp, v6), 0, "sent");
	for (int i = 0; i < 2000 && c.bytes < TSO_PAYLOAD; i++) {
		struct px_mbuf *pkts[32];
		uint16_t n = px_eth_rx_burst(p1, 0, pkts, 32);
		int ret = 0;

		if (n == 0)
			usleep(1000);
		for (uint16_t k = 0; k < n; k++) {
			if (ret == 0 && !px_pktmbuf_is_contiguous(pkts[k]))
				ret = 1; /* a segment is at most an MTU: one mbuf */
			if (ret == 0)
				ret = tso_rx_frame(&c, px_pktmbuf_mtod(pkts[k], const uint8_t *),
						   pkts[k]->pkt_len, v6);
			px_pktmbuf_free(pkts[k]);
		}
		PX_TEST_ASSERT_EQ(ret, 0, "a segment received");
	}
	return tso_rx_done(&c);
}

static int test_pmd_tap_tso(void)
{
	const struct px_eth_conf conf = {
		.txmode.offloads = PX_ETH_TX_OFFLOAD_IPV4_CKSUM | PX_ETH_TX_OFFLOAD_TCP_CKSUM |
				   PX_ETH_TX_OFFLOAD_TCP_TSO | PX_ETH_TX_OFFLOAD_MULTI_SEGS};
	struct px_eth_dev_info info;
	struct px_mempool *mp;
	uint16_t p0, p1;
	int ret;

	ret = tap_bridge_setup("ts0", "ts1", &conf, NULL, &mp, &p0, &p1);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(p0, &info), 0, "info");
	PX_TEST_ASSERT(info.tx_offload_capa & PX_ETH_TX_OFFLOAD_TCP_TSO, "TSO advertised");
	PX_TEST_ASSERT_EQ(tso_roundtrip(p0, p1, mp, false), 0, "IPv4");
	PX_TEST_ASSERT_EQ(tso_roundtrip(p0, p1, mp, true), 0, "IPv6");
	return tap_bridge_teardown(p0, p1, mp);
}
PX_TEST(pmd_tap_tso_autotest, PX_TEST_F_FAST, test_pmd_tap_tso)

/* Checksum offload, TSO and GSO off on @ifc (ethtool -K IFC tx off tso off gso off, through
 * the ioctl: linux/ethtool.h): what leaves it is segmented and checksummed in software, as on
 * a wire. @return 0 or -errno. */
static int tso_off(const char *ifc)
{
	static const uint32_t cmds[] = {ETHTOOL_STXCSUM, ETHTOOL_STSO, ETHTOOL_SGSO};
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = fd < 0 ? -errno : 0;

	for (size_t i = 0; ret == 0 && i < PX_DIM(cmds); i++) {
		struct ethtool_value ev = {.cmd = cmds[i], .data = 0};

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifc);
		ifr.ifr_data = (void *)&ev;
		if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
			ret = -errno;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* A raw packet socket receiving everything that arrives on @ifc. @return it, or -errno. */
static int raw_socket(const char *ifc)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = px_cpu_to_be_16(ETH_P_ALL),
				  .sll_ifindex = (int)if_nametoindex(ifc)};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, px_cpu_to_be_16(ETH_P_ALL));

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -errno;
	}
	return fd < 0 ? -errno : fd;
}

/* Receive the TSO packet's segments on the raw socket @fd (2 s at most). A frame larger than
 * the buffer (the packet not segmented) is cut, and its lengths do not add up. */
static int tso_rx_socket(int fd, bool v6)
{
	uint8_t f[2048] __attribute__((aligned(8)));
	struct tso_rx c = {0};

	for (int i = 0; i < 2000 && c.bytes < TSO_PAYLOAD;) {
		ssize_t n = recv(fd, f, sizeof(f), MSG_DONTWAIT);

		if (n < 0) {
			usleep(1000);
			i++;
			continue;
		}
		PX_TEST_ASSERT_EQ(tso_rx_frame(&c, f, (size_t)n, v6), 0, "a segment received");
	}
	return tso_rx_done(&c);
}

/* TSO out of a veth, the kernel as the peer: tv0 (the port) and va in a bridge, va <-> vb a
 * veth pair with checksum offload, TSO and GSO off on va; one TSO packet sent on the port leaves va
 * as segments of at most the MSS, and a raw socket on vb checks each (checksums, lengths, payload).
 */
static int test_pmd_tap_tso_veth(void)
{
	const struct px_eth_conf conf = {
		.txmode.offloads = PX_ETH_TX_OFFLOAD_IPV4_CKSUM | PX_ETH_TX_OFFLOAD_TCP_CKSUM |
				   PX_ETH_TX_OFFLOAD_TCP_TSO | PX_ETH_TX_OFFLOAD_MULTI_SEGS};
	struct px_mempool *mp;
	uint16_t p;
	int fd, ret;

	ret = tap_setup("iface=tv0", &p);
	if (ret != 0)
		return ret;
	if (system("ip link add va type veth peer name vb && ip link set va up && "
		   "ip link set vb up") != 0) {
		px_eal_cleanup();
		PX_TEST_SKIP("cannot make a veth pair (needs iproute2's ip and the veth module)");
	}
	ret = bridge_up("tv0", "va");
	if (ret == 1) {
		px_eal_cleanup();
		PX_TEST_SKIP("the kernel makes no bridge: %s", strerror(errno));
	}
	PX_TEST_ASSERT_EQ(ret, 0, "bridge: %s", strerror(errno));
	PX_TEST_ASSERT_EQ(tso_off("va"), 0, "offloads off on va");
	fd = raw_socket("vb");
	PX_TEST_ASSERT(fd >= 0, "raw socket on vb: %s", strerror(-fd));
	mp = px_pktmbuf_pool_create("tap_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	PX_TEST_ASSERT_EQ(pmd_port_start(p, 1, &conf, mp), 0, "start");
	for (int v6 = 0; v6 < 2; v6++) {
		PX_TEST_ASSERT_EQ(tso_send(p, mp, v6), 0, "sent");
		PX_TEST_ASSERT_EQ(tso_rx_socket(fd, v6), 0, "IPv%d segments on vb", v6 ? 6 : 4);
	}
	close(fd);
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 255, "every mbuf back in the pool");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_tap_tso_veth_autotest, PX_TEST_F_FAST, test_pmd_tap_tso_veth)

/* The TSO packet received whole on an LRO port: @m is its chain of mbufs. @return 0 or 1. */
static int lro_packet_check(const struct px_mbuf *m, bool v6)
{
	const uint32_t hdr = sizeof(struct px_ether_hdr) +
			     (v6 ? sizeof(struct px_ipv6_hdr) : sizeof(struct px_ipv4_hdr)) +
			     sizeof(struct px_tcp_hdr);
	uint32_t i = 0;

	PX_TEST_ASSERT_EQ(m->pkt_len, hdr + LRO_PAYLOAD, "one frame of the whole packet");
	PX_TEST_ASSERT(m->nb_segs > 1, "chained (%u segments)", m->nb_segs);
	PX_TEST_ASSERT(m->ol_flags & PX_MBUF_F_RX_LRO, "PX_MBUF_F_RX_LRO");
	PX_TEST_ASSERT_EQ(m->tso_segsz, TSO_MSS, "tso_segsz: the segment size");
	PX_TEST_ASSERT_EQ(m->ol_flags & PX_MBUF_F_RX_L4_CKSUM_MASK, PX_MBUF_F_RX_L4_CKSUM_NONE,
			  "checksum not filled in, data intact");
	for (const struct px_mbuf *s = m; s != NULL; s = s->next)
		for (uint16_t j = 0; j < s->data_len; j++, i++)
			if (i >= hdr)
				PX_TEST_ASSERT_EQ(px_pktmbuf_mtod(s, const uint8_t *)[j],
						  tso_byte(i - hdr), "payload byte %u", i - hdr);
	PX_TEST_ASSERT_EQ(i, m->pkt_len, "segments add up to pkt_len");
	return 0;
}

/* Receive on @p (2 s at most) until a frame of @sport comes; others are freed. */
static struct px_mbuf *rx_sport(uint16_t p, uint16_t l4_at, uint16_t sport)
{
	for (int i = 0; i < 2000; i++) {
		struct px_mbuf *m;

		if (px_eth_rx_burst(p, 0, &m, 1) == 0) {
			usleep(1000);
			continue;
		}
		if (m->data_len >= l4_at + 4 &&
		    *px_pktmbuf_mtod_offset(m, uint16_t *, l4_at) == px_cpu_to_be_16(sport))
			return m;
		px_pktmbuf_free(m);
	}
	return NULL;
}

/* LRO: the second port asks for it, so the kernel (TUNSETOFFLOAD) hands it the TSO packet of
 * the first whole, as one chained frame marked PX_MBUF_F_RX_LRO with tso_segsz; a small
 * datagram still arrives as one plain frame. */
static int test_pmd_tap_lro(void)
{
	const struct px_eth_conf conf = {
		.txmode.offloads = PX_ETH_TX_OFFLOAD_IPV4_CKSUM | PX_ETH_TX_OFFLOAD_UDP_CKSUM |
				   PX_ETH_TX_OFFLOAD_TCP_CKSUM | PX_ETH_TX_OFFLOAD_TCP_TSO |
				   PX_ETH_TX_OFFLOAD_MULTI_SEGS};
	const struct px_eth_conf lro = {.rxmode.offloads = PX_ETH_RX_OFFLOAD_TCP_LRO};
	struct px_eth_dev_info info;
	struct px_mempool *mp;
	struct px_mbuf *m;
	uint16_t p0, p1;
	int ret;

	ret = tap_bridge_setup("lr0", "lr1", &conf, &lro, &mp, &p0, &p1);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(p1, &info), 0, "info");
	PX_TEST_ASSERT(info.rx_offload_capa & PX_ETH_RX_OFFLOAD_TCP_LRO, "LRO advertised");
	for (int v6 = 0; v6 < 2; v6++) {
		const uint16_t l4_at =
			sizeof(struct px_ether_hdr) +
			(v6 ? sizeof(struct px_ipv6_hdr) : sizeof(struct px_ipv4_hdr));

		m = tso_packet(mp, v6, LRO_PAYLOAD);
		PX_TEST_ASSERT(m != NULL, "the TSO packet");
		PX_TEST_ASSERT_EQ(px_eth_tx_burst(p0, 0, &m, 1), 1, "sent");
		m = rx_sport(p1, l4_at, TSO_SPORT);
		PX_TEST_ASSERT(m != NULL, "the packet arrived (IPv%d)", v6 ? 6 : 4);
		ret = lro_packet_check(m, v6);
		px_pktmbuf_free(m);
		PX_TEST_ASSERT_EQ(ret, 0, "the packet, whole (IPv%d)", v6 ? 6 : 4);
	}
	m = udp_frame(mp);
	PX_TEST_ASSERT(m != NULL, "frame");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p0, 0, &m, 1), 1, "sent");
	m = rx_ours(p1);
	PX_TEST_ASSERT(m != NULL, "the datagram arrived");
	PX_TEST_ASSERT(m->nb_segs == 1 && !(m->ol_flags & PX_MBUF_F_RX_LRO),
		       "a plain frame: %u segments, flags %#llx", m->nb_segs,
		       (unsigned long long)m->ol_flags);
	px_pktmbuf_free(m);
	return tap_bridge_teardown(p0, p1, mp);
}
PX_TEST(pmd_tap_lro_autotest, PX_TEST_F_FAST, test_pmd_tap_lro)

/* Two queues: frames of 16 flows sent by the kernel out of the tap arrive on both queues (the
 * tap's flow hash), each queue's xstats count them and their bytes, TX counts per queue, and a
 * reset clears every xstat. */
static int test_pmd_tap_xstats(void)
{
	const unsigned int n = 512;
	struct px_mempool *mp;
	uint16_t p;
	int ret;

	ret = tap_setup("iface=xq0", &p);
	if (ret != 0)
		return ret;
	mp = px_pktmbuf_pool_create("tap_pool", 1023, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	PX_TEST_ASSERT_EQ(pmd_port_start(p, 2, NULL, mp), 0, "start with 2 queues");
	/* 8 basic, 2 x 3 per RX queue, 2 x 3 per TX queue */
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_names(p, NULL, 0), 8 + 6 + 6, "xstats");
	PX_TEST_ASSERT_EQ(pmd_kernel_send("xq0", n, 100), n, "the kernel sent");
	ret = pmd_check_queue_xstats(p, n, mp);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_xstats_reset(p), 0, "reset");
	PX_TEST_ASSERT_EQ(pmd_xstats_all_zero(p), 0, "every xstat 0 after the reset");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 1023, "every mbuf back in the pool");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_tap_xstats_autotest, PX_TEST_F_FAST, test_pmd_tap_xstats)

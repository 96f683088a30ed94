/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-net PMD's features beyond plain traffic (docs/virtio.md), in the lab: link-change
 * interrupts driven by QEMU's monitor (set_link), the VLAN filter of the control queue, and on
 * the tap network (run.sh --net tap) TSO and checksum offload with the guest kernel's
 * virtio_net as the peer that checks them, and multi-queue with RSS. Lab tests
 * (PX_TEST_F_LAB): they skip (77) where the devices they need are absent.
 */
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "px_test.h"
#include "px_cycles.h"
#include "px_eal.h"
#include "px_ethdev.h"
#include "px_ip.h"
#include "px_mbuf.h"
#include "px_mempool.h"
#include "px_pci.h"
#include "px_tcp.h"
#include "px_udp.h"

#include "lab_pair.h"
#include "pmd_kernel_peer.h"
#include "virtio_lab.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* The PCI address of the lab's NIC @i (run.sh --nics order: its QEMU netdev is p<i>) into
 * @buf. @return 0, or -ENOENT outside the lab or without that NIC. */
static int lab_nic_addr(unsigned int i, char *buf, size_t len)
{
	const char *ports = getenv("PX_LAB_PORTS");
	char copy[512], *save = NULL, *tok;

	if (ports == NULL || snprintf(copy, sizeof(copy), "%s", ports) >= (int)sizeof(copy))
		return -ENOENT;
	for (tok = strtok_r(copy, " ", &save); tok && i > 0; tok = strtok_r(NULL, " ", &save))
		i--;
	if (tok == NULL)
		return -ENOENT;
	snprintf(buf, len, "%s", tok);
	return 0;
}

/* Make p->port[1] the port of the lab's NIC @nic (swapping the two if needed). */
static int vpair_put_nic_second(struct vpair *p, unsigned int nic)
{
	char addr[64], name[PX_ETH_NAME_MAX_LEN];

	PX_TEST_ASSERT_EQ(lab_nic_addr(nic, addr, sizeof(addr)), 0, "PX_LAB_PORTS names NIC %u",
			  nic);
	PX_TEST_ASSERT_EQ(px_eth_dev_get_name_by_port(p->port[1], name), 0, "name");
	if (strcmp(name, addr) != 0) {
		uint16_t t = p->port[0];
		struct px_ether_addr a = p->mac[0];

		p->port[0] = p->port[1], p->mac[0] = p->mac[1];
		p->port[1] = t, p->mac[1] = a;
		PX_TEST_ASSERT_EQ(px_eth_dev_get_name_by_port(p->port[1], name), 0, "name");
	}
	PX_TEST_ASSERT(strcmp(name, addr) == 0, "a port for NIC %u (%s)", nic, addr);
	return PX_TEST_OK;
}

static int monitor(const char *fmt, const char *arg)
{
	char cmd[400], line[450];

	snprintf(cmd, sizeof(cmd), fmt, arg);
	snprintf(line, sizeof(line), "px-lab-monitor %s", cmd);
	PX_TEST_ASSERT_EQ(system(line), 0, "%s", line);
	return PX_TEST_OK;
}

/* @return the frames port 1 receives within 200 ms, each checked against @seq and freed. */
static int vrecv_count(struct vpair *p, uint32_t seq, uint32_t len)
{
	struct px_mbuf *rx[BURST];
	int got = 0, bad = 0;

	for (int i = 0; i < 20; i++) {
		uint16_t n;

		usleep(10 * 1000);
		n = px_eth_rx_burst(p->port[1], 0, rx, BURST);
		for (uint16_t k = 0; k < n; k++)
			bad |= vframe_check(p, 0, rx[k], seq, len) != PX_TEST_OK;
		px_pktmbuf_free_bulk(rx, n);
		got += n;
	}
	return bad ? -1 : got;
}

/* ---- link-change interrupts (VIRTIO_NET_F_STATUS, the configuration-change vector) -------- */

struct vlsc_seen {
	int calls;
	int up; /* the link as the last callback saw it */
	uint16_t port;
};

static int vlsc_cb(uint16_t port, enum px_eth_event_type event, void *arg, void *ret_param)
{
	struct vlsc_seen *seen = arg;
	struct px_eth_link link;

	(void)ret_param;
	if (event != PX_ETH_EVENT_INTR_LSC || port != seen->port)
		return 0;
	if (px_eth_link_get_nowait(port, &link) == 0)
		__atomic_store_n(&seen->up, link.link_status, __ATOMIC_RELAXED);
	__atomic_add_fetch(&seen->calls, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Wait for the callback after @before calls; it must have seen the link @up. */
static int vlsc_wait(struct vlsc_seen *seen, int before, int up)
{
	uint64_t end = px_get_tsc_cycles() + px_get_tsc_hz() / 1000 * WAIT_MS * 2;

	while (__atomic_load_n(&seen->calls, __ATOMIC_ACQUIRE) == before) {
		PX_TEST_ASSERT(px_get_tsc_cycles() < end, "no LSC callback within %d ms",
			       WAIT_MS * 2);
		usleep(1000);
	}
	PX_TEST_ASSERT_EQ(__atomic_load_n(&seen->up, __ATOMIC_RELAXED), up,
			  "link %s in the callback", up ? "up" : "down");
	return PX_TEST_OK;
}

/*
 * Port 1 (the lab's NIC 1, netdev p1) with intr_conf.lsc: QEMU's monitor takes its link down
 * (set_link p1 off): the device clears VIRTIO_NET_S_LINK_UP and raises the configuration
 * vector; the EAL interrupt thread runs the driver's handler, which calls our callback with
 * the link down. Frames sent meanwhile are lost. set_link p1 on: the callback again, link up,
 * and frames arrive again. Two rounds; then the same across a stop and start.
 */
static int test_virtio_lsc(void)
{
	struct vlsc_seen seen = {0};
	struct px_eth_conf conf[2];
	struct px_eth_link link;
	struct vpair p;
	char addr[64];
	int ret;

	if (lab_nic_addr(1, addr, sizeof(addr)) < 0)
		PX_TEST_SKIP("needs the lab's PX_LAB_PORTS (NIC 1 is netdev p1 of QEMU's monitor)");
	memset(conf, 0, sizeof(conf));
	ret = vpair_open(&p, &conf[0]);
	if (ret != PX_TEST_OK)
		return ret;
	if (vpair_put_nic_second(&p, 1) != PX_TEST_OK)
		return PX_TEST_FAILED;
	conf[1].intr_conf.lsc = 1;
	PX_TEST_ASSERT_EQ(vport_setup(&p, 1, &conf[1]), 0, "port 1 with intr_conf.lsc");
	seen.port = p.port[1];
	PX_TEST_ASSERT_EQ(
		px_eth_dev_callback_register(p.port[1], PX_ETH_EVENT_INTR_LSC, vlsc_cb, &seen), 0,
		"register");
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (int round = 0; round < 3; round++) {
		int before = __atomic_load_n(&seen.calls, __ATOMIC_ACQUIRE);
		struct px_mbuf *m;

		if (round == 2) { /* the vector is set up again by start */
			PX_TEST_ASSERT_EQ(px_eth_dev_stop(p.port[1]), 0, "stop");
			PX_TEST_ASSERT_EQ(px_eth_dev_start(p.port[1]), 0, "start");
			PX_TEST_ASSERT_EQ(px_eth_link_wait(p.port[1], WAIT_MS, &link), 0, "link");
			before = __atomic_load_n(&seen.calls, __ATOMIC_ACQUIRE);
		}
		if (monitor("set_link %s off", "p1") || vlsc_wait(&seen, before, 0))
			return PX_TEST_FAILED;
		PX_TEST_ASSERT_EQ(px_eth_link_get_nowait(p.port[1], &link), 0, "link");
		PX_TEST_ASSERT_EQ(link.link_status, 0, "link down after set_link off");
		m = vframe_make(&p, 0, 1, 60, 2048);
		PX_TEST_ASSERT(m != NULL && px_eth_tx_burst(p.port[0], 0, &m, 1) == 1, "tx");
		PX_TEST_ASSERT_EQ(vrecv_count(&p, 1, 60), 0, "no frame while the link is down");
		before = __atomic_load_n(&seen.calls, __ATOMIC_ACQUIRE);
		if (monitor("set_link %s on", "p1") || vlsc_wait(&seen, before, 1))
			return PX_TEST_FAILED;
		PX_TEST_ASSERT_EQ(px_eth_link_get_nowait(p.port[1], &link), 0, "link");
		PX_TEST_ASSERT_EQ(link.link_status, 1, "link up after set_link on");
		m = vframe_make(&p, 0, 2, 60, 2048);
		PX_TEST_ASSERT(m != NULL && px_eth_tx_burst(p.port[0], 0, &m, 1) == 1, "tx");
		PX_TEST_ASSERT_EQ(vrecv_count(&p, 2, 60), 1, "frames again once the link is up");
		printf("round %d: %d LSC callbacks so far, link down and up again\n", round,
		       seen.calls);
	}
	PX_TEST_ASSERT_EQ(
		px_eth_dev_callback_unregister(p.port[1], PX_ETH_EVENT_INTR_LSC, vlsc_cb, &seen), 0,
		"unregister");
	return vpair_close(&p);
}
PX_TEST(virtio_lsc_autotest, PX_TEST_F_LAB, test_virtio_lsc)

/* ---- VLAN filter (VIRTIO_NET_F_CTRL_VLAN) --------------------------------------------------- */

/* Frame @seq (60 bytes of vframe_make's content) from port 0 to port 1, tagged with @vid
 * (802.1Q, priority 0) unless @vid is -1. @return the frames port 1 got within 200 ms. */
static int vlan_frame_to(struct vpair *p, int vid, uint32_t seq)
{
	struct px_mbuf *m = vframe_make(p, 0, seq, 60, 2048), *rx[BURST];
	int got = 0;

	if (m == NULL)
		return -1;
	if (vid >= 0) {
		uint8_t *d = (uint8_t *)px_pktmbuf_prepend(m, 4);

		if (d == NULL) {
			px_pktmbuf_free(m);
			return -1;
		}
		memmove(d, d + 4, 12); /* the addresses in front, then the tag */
		d[12] = 0x81;
		d[13] = 0x00;
		d[14] = (uint8_t)(vid >> 8);
		d[15] = (uint8_t)vid;
	}
	if (px_eth_tx_burst(p->port[0], 0, &m, 1) != 1) {
		px_pktmbuf_free(m);
		return -1;
	}
	for (int i = 0; i < 20; i++) {
		uint16_t n;

		usleep(10 * 1000);
		n = px_eth_rx_burst(p->port[1], 0, rx, BURST);
		for (uint16_t k = 0; k < n; k++) {
			const uint8_t *d = px_pktmbuf_mtod(rx[k], const uint8_t *);
			int tagged = d[12] == 0x81 && d[13] == 0x00;

			if (tagged != (vid >= 0) ||
			    (tagged && ((d[14] << 8 | d[15]) & 0xfff) != vid))
				got = -100; /* a frame other than the one sent */
		}
		px_pktmbuf_free_bulk(rx, n);
		got += n;
	}
	return got;
}

/*
 * Port 1 configured with PX_ETH_RX_OFFLOAD_VLAN_FILTER: the driver negotiates CTRL_VLAN, and
 * QEMU's device then drops a tagged frame whose VLAN is not in its table (hw/net/virtio-net.c
 * receive_filter; untagged frames pass). VLAN 100 turned on while stopped (start applies it),
 * 200 while started; 100 off again; the set survives a stop and start. Port 0, configured
 * without the offload, refuses the call.
 */
static int test_virtio_vlan_filter(void)
{
	struct px_eth_conf conf;
	struct vpair p;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = vpair_open(&p, &conf);
	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p.port[0], 100, 1), -ENOSYS,
			  "without PX_ETH_RX_OFFLOAD_VLAN_FILTER");
	conf.rxmode.offloads = PX_ETH_RX_OFFLOAD_VLAN_FILTER;
	PX_TEST_ASSERT_EQ(vport_setup(&p, 1, &conf), 0, "port 1 with the VLAN filter");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p.port[1], 100, 1), 0, "VLAN 100 on, stopped");
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, -1, 1), 1, "untagged frame");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 100, 2), 1, "VLAN 100 (in the table)");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 200, 3), 0, "VLAN 200 (not in the table)");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p.port[1], 200, 1), 0, "VLAN 200 on, started");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 200, 4), 1, "VLAN 200 now");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p.port[1], 100, 0), 0, "VLAN 100 off");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 100, 5), 0, "VLAN 100 removed");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 4094, 6), 0, "VLAN 4094 never added");
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(p.port[1]), 0, "stop");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p.port[1]), 0, "start");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 200, 7), 1, "VLAN 200 after a restart");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, 100, 8), 0, "VLAN 100 still off after a restart");
	PX_TEST_ASSERT_EQ(vlan_frame_to(&p, -1, 9), 1, "untagged after a restart");
	return vpair_close(&p);
}
PX_TEST(virtio_vlan_filter_autotest, PX_TEST_F_LAB, test_virtio_vlan_filter)

/* ---- on the tap network: the guest kernel's virtio_net as the peer ------------------------ */

/*
 * run.sh --net tap: the lab's NIC 0 is a Pollux port, NIC 1 the guest kernel's virtio_net
 * (px-lab-kbind), named by PX_VIRTIO_PEER, with address PEER_IP and without GUEST_TSO and
 * GUEST_CSUM (--nic-props 1 guest_csum=off,...): the host kernel's bridge segments a TSO frame
 * for it and completes each checksum in software, and the guest kernel checks every checksum
 * it receives (a bad one is dropped and counted in /proc/net/snmp's InCsumErrors).
 */
#define PEER_IP PX_IPV4(10, 9, 0, 1)
#define OWN_IP PX_IPV4(10, 9, 0, 2)
#define PEER_UDP_PORT 5000
#define PEER_TCP_PORT 9 /* closed: the kernel checks the checksum, then answers a reset */
#define TSO_MSS 1448
#define TSO_PAYLOAD 64000 /* IPv4 total length below 65535 */
#define TSO_PACKETS 4

struct vpeer {
	uint16_t port;
	struct px_mempool *mp;
	struct px_ether_addr mac, peer_mac;
	char ifname[IF_NAMESIZE];
	unsigned int avail_idle;
};

/* The Pollux port (the first virtio port), configured with @conf, @nq queue pairs, started;
 * the peer interface's name and MAC from PX_VIRTIO_PEER and sysfs. */
static int vpeer_open(struct vpeer *v, const struct px_eth_conf *conf, uint16_t nq)
{
	const char *peer = getenv("PX_VIRTIO_PEER");
	struct px_eth_dev_info info;
	struct px_eth_link link;
	char args[512], path[128], mac[32] = "";
	bool found = false;
	FILE *f;
	int ret;

	if (peer == NULL || virtio_eal_args(args, sizeof(args)) < 1)
		PX_TEST_SKIP(
			"needs PX_VIRTIO_PEER (the kernel's virtio_net interface) and a virtio "
			"device on vfio-pci: the lab's tap network (tests/lab/virtio.cmake)");
	snprintf(v->ifname, sizeof(v->ifname), "%s", peer);
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", peer);
	f = fopen(path, "r");
	PX_TEST_ASSERT(f != NULL && fgets(mac, sizeof(mac), f) != NULL, "%s", path);
	fclose(f);
	PX_TEST_ASSERT_EQ(sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &v->peer_mac.addr_bytes[0],
				 &v->peer_mac.addr_bytes[1], &v->peer_mac.addr_bytes[2],
				 &v->peer_mac.addr_bytes[3], &v->peer_mac.addr_bytes[4],
				 &v->peer_mac.addr_bytes[5]),
			  6, "MAC of %s", peer);
	ret = px_test_eal_init(args);
	PX_TEST_ASSERT(ret >= 0, "EAL init (%s): %s", args, strerror(-ret));
	PX_ETH_FOREACH_DEV (v->port) {
		if (px_eth_dev_info_get(v->port, &info) == 0 &&
		    strcmp(info.driver_name, "net_virtio") == 0) {
			found = true;
			break;
		}
	}
	PX_TEST_ASSERT(found, "a virtio port (EAL args: %s)", args);
	v->mp = px_pktmbuf_pool_create("virtio_peer", NB_MBUF, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE,
				       PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(v->mp != NULL, "pool: %s", strerror(errno));
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(v->port, nq, nq, conf), 0, "configure");
	for (uint16_t q = 0; q < nq; q++) {
		PX_TEST_ASSERT_EQ(
			px_eth_rx_queue_setup(v->port, q, NB_DESC, PX_SOCKET_ID_ANY, NULL, v->mp),
			0, "RX queue %u", q);
		PX_TEST_ASSERT_EQ(
			px_eth_tx_queue_setup(v->port, q, NB_DESC, PX_SOCKET_ID_ANY, NULL), 0,
			"TX queue %u", q);
	}
	PX_TEST_ASSERT_EQ(px_eth_macaddr_get(v->port, &v->mac), 0, "MAC");
	v->avail_idle = px_mempool_avail_count(v->mp);
	PX_TEST_ASSERT_EQ(px_eth_dev_start(v->port), 0, "start");
	PX_TEST_ASSERT_EQ(px_eth_link_wait(v->port, WAIT_MS, &link), 0, "link up");
	return PX_TEST_OK;
}

static int vpeer_close(struct vpeer *v)
{
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(v->port), 0, "stop");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(v->mp), v->avail_idle, "mbufs leaked");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(v->port), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(v->mp), NB_MBUF, "mbufs left in the port");
	px_mempool_free(v->mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "EAL cleanup");
	return PX_TEST_OK;
}

/* A counter of /proc/net/snmp: @proto ("Tcp:", "Udp:") and the column @name. */
static long snmp(const char *proto, const char *name)
{
	char names[1024], vals[1024];
	FILE *f = fopen("/proc/net/snmp", "r");
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(names, sizeof(names), f) && fgets(vals, sizeof(vals), f)) {
		char *sn = NULL, *sv = NULL, *n, *val;

		if (strncmp(names, proto, strlen(proto)) != 0)
			continue;
		for (n = strtok_r(names, " \n", &sn), val = strtok_r(vals, " \n", &sv); n && val;
		     n = strtok_r(NULL, " \n", &sn), val = strtok_r(NULL, " \n", &sv))
			if (strcmp(n, name) == 0)
				v = atol(val);
	}
	fclose(f);
	return v;
}

static uint8_t stream_byte(uint32_t off)
{
	return (uint8_t)(off * 7u + (off >> 9) + 3u);
}

/* Ethernet, IPv4 and @proto headers from the port to the peer into @d, for @l4_len bytes of
 * L4 header and payload; the IPv4 checksum computed. @return the IPv4 header. */
static struct px_ipv4_hdr *vpeer_headers(const struct vpeer *v, uint8_t *d, uint8_t proto,
					 uint32_t l4_len, uint16_t id)
{
	struct px_ether_hdr *eth = (struct px_ether_hdr *)d;
	struct px_ipv4_hdr *ip = (struct px_ipv4_hdr *)(eth + 1);

	eth->dst_addr = v->peer_mac;
	eth->src_addr = v->mac;
	eth->ether_type = px_cpu_to_be_16(PX_ETHER_TYPE_IPV4);
	*ip = (struct px_ipv4_hdr){
		.version_ihl = PX_IPV4_VHL_DEF,
		.total_length = px_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_len)),
		.packet_id = px_cpu_to_be_16(id),
		.fragment_offset = px_cpu_to_be_16(PX_IPV4_HDR_DF_FLAG),
		.time_to_live = 64,
		.next_proto_id = proto,
		.src_addr = px_cpu_to_be_32(OWN_IP),
		.dst_addr = px_cpu_to_be_32(PEER_IP),
	};
	ip->hdr_checksum = px_ipv4_cksum(ip);
	return ip;
}

/* An mbuf chain: @hdr_len bytes of headers (filled by the caller) then @payload bytes of
 * stream_byte(@off ...), in segments of at most 2000 bytes. */
static struct px_mbuf *vpeer_chain(struct px_mempool *mp, uint32_t hdr_len, uint32_t payload,
				   uint32_t off)
{
	struct px_mbuf *head = px_pktmbuf_alloc(mp), *m = head;
	uint32_t done = 0;

	if (head == NULL)
		return NULL;
	head->data_len = (uint16_t)hdr_len;
	while (done < payload) {
		uint32_t room = 2000u - m->data_len, n = PX_MIN(room, payload - done);
		uint8_t *d = px_pktmbuf_mtod(m, uint8_t *) + m->data_len;

		for (uint32_t i = 0; i < n; i++)
			d[i] = stream_byte(off + done + i);
		m->data_len = (uint16_t)(m->data_len + n);
		done += n;
		if (done < payload) {
			struct px_mbuf *s = px_pktmbuf_alloc(mp);

			if (s == NULL || px_pktmbuf_chain(head, s) != 0) {
				px_pktmbuf_free(s);
				px_pktmbuf_free(head);
				return NULL;
			}
			m = s;
		}
	}
	head->pkt_len = hdr_len + payload;
	return head;
}

/* TSO packet @k: TSO_PAYLOAD bytes of the stream at offset k * TSO_PAYLOAD, TCP without ACK
 * (so the peer's reset acknowledges each segment), PX_MBUF_F_TX_TCP_SEG with the pseudo-header
 * checksum without the length, as px_ethdev.h asks. */
static struct px_mbuf *tso_packet(const struct vpeer *v, unsigned int k)
{
	uint32_t hdr = PX_ETHER_HDR_LEN + 20 + 20, off = k * TSO_PAYLOAD;
	struct px_mbuf *m = vpeer_chain(v->mp, hdr, TSO_PAYLOAD, off);
	struct px_ipv4_hdr *ip;
	struct px_tcp_hdr *th;

	if (m == NULL)
		return NULL;
	ip = vpeer_headers(v, px_pktmbuf_mtod(m, uint8_t *), PX_IPPROTO_TCP, 20 + TSO_PAYLOAD,
			   (uint16_t)k);
	th = (struct px_tcp_hdr *)(ip + 1);
	*th = (struct px_tcp_hdr){.src_port = px_cpu_to_be_16(40000),
				  .dst_port = px_cpu_to_be_16(PEER_TCP_PORT),
				  .sent_seq = px_cpu_to_be_32(1000000 + off),
				  .data_off = 5 << 4,
				  .tcp_flags = PX_TCP_PSH_FLAG,
				  .rx_win = px_cpu_to_be_16(65535)};
	th->cksum = px_cksum_fold(px_ipv4_phdr_sum(ip, 0));
	m->ol_flags = PX_MBUF_F_TX_IPV4 | PX_MBUF_F_TX_TCP_SEG | PX_MBUF_F_TX_TCP_CKSUM;
	m->l2_len = PX_ETHER_HDR_LEN;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = TSO_MSS;
	return m;
}

/* The peer's GRO off (ETHTOOL_SGRO), so that its packet socket sees each segment as it came
 * off the wire rather than the segments merged again. */
static int peer_gro_off(const char *ifname)
{
	struct ethtool_value ev = {.cmd = ETHTOOL_SGRO, .data = 0};
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	ret = ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* A packet socket on the peer interface: every IPv4 frame it receives. */
static int peer_capture(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = (int)if_nametoindex(ifname)};
	struct timeval tv = {.tv_sec = 0, .tv_usec = 200 * 1000};
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP)), buf = 16 << 20;

	if (fd < 0)
		return -errno;
	/* room for every segment of the test at once (root: past rmem_max) */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

struct tso_seen {
	unsigned int segs, bad_ip, bad_tcp, bad_byte, big;
	uint64_t bytes;
};

/* One captured frame: a TCP segment from the port is checked (IPv4 and TCP checksums as the
 * wire has them, at most TSO_MSS bytes, every byte where the stream puts it). */
static void tso_check_frame(struct tso_seen *s, const uint8_t *f, ssize_t len)
{
	const struct px_ipv4_hdr *ip = (const struct px_ipv4_hdr *)(f + PX_ETHER_HDR_LEN);
	const struct px_tcp_hdr *th = (const struct px_tcp_hdr *)(ip + 1);
	uint32_t l4, payload, off;

	if (len < PX_ETHER_HDR_LEN + 40 || ip->next_proto_id != PX_IPPROTO_TCP ||
	    ip->src_addr != px_cpu_to_be_32(OWN_IP) || px_ipv4_hdr_len(ip) != 20)
		return;
	l4 = px_ipv4_l4_len(ip);
	s->segs++;
	if (PX_ETHER_HDR_LEN + 20 + l4 > (size_t)len || l4 < px_tcp_hdr_len(th)) {
		s->big++; /* longer than the capture buffer: not segmented */
		return;
	}
	payload = l4 - px_tcp_hdr_len(th);
	s->bad_ip += px_ipv4_cksum(ip) != 0;
	s->bad_tcp += px_ipv4_udptcp_cksum_verify(ip, th) != 0;
	s->big += payload > TSO_MSS;
	off = px_be_to_cpu_32(th->sent_seq) - 1000000;
	for (uint32_t i = 0; i < payload && (ssize_t)(PX_ETHER_HDR_LEN + 40 + i) < len; i++)
		if (f[PX_ETHER_HDR_LEN + 40 + i] != stream_byte(off + i)) {
			s->bad_byte++;
			break;
		}
	s->bytes += payload;
}

/*
 * TSO (VIRTIO_NET_F_HOST_TSO4): the port sends TSO_PACKETS TCP packets of 64000 bytes of
 * payload with PX_MBUF_F_TX_TCP_SEG and tso_segsz 1448, as mbuf chains; the virtio-net header
 * carries GSO_TCPV4, gso_size, hdr_len and the checksum request. The host kernel segments them
 * for the peer NIC (no GUEST_TSO): the peer's packet socket must see 45 segments per packet,
 * none longer than the MSS, every IPv4 and TCP checksum right and every byte of the stream in
 * place; the peer's TCP counts each segment in InSegs and none in InCsumErrors (it checks the
 * checksum of a segment to a closed port before answering it with a reset).
 */
static int test_virtio_tso(void)
{
	const uint32_t segs_each = (TSO_PAYLOAD + TSO_MSS - 1) / TSO_MSS;
	struct px_eth_conf conf = {.txmode.offloads = PX_ETH_TX_OFFLOAD_TCP_TSO |
						      PX_ETH_TX_OFFLOAD_TCP_CKSUM |
						      PX_ETH_TX_OFFLOAD_MULTI_SEGS};
	struct px_eth_dev_info info;
	struct tso_seen s = {0};
	static uint8_t f[70000];
	long in_segs, csum_err;
	struct vpeer v;
	int fd, ret;

	ret = vpeer_open(&v, &conf, 1);
	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(v.port, &info), 0, "info");
	PX_TEST_ASSERT(info.tx_offload_capa & PX_ETH_TX_OFFLOAD_TCP_TSO,
		       "TSO offered on a tap backend");
	ret = peer_gro_off(v.ifname);
	PX_TEST_ASSERT_EQ(ret, 0, "GRO off on %s: %s", v.ifname, strerror(-ret));
	fd = peer_capture(v.ifname);
	PX_TEST_ASSERT(fd >= 0, "packet socket on %s: %s", v.ifname, strerror(-fd));
	in_segs = snmp("Tcp:", "InSegs");
	csum_err = snmp("Tcp:", "InCsumErrors");
	for (unsigned int k = 0; k < TSO_PACKETS; k++) {
		struct px_mbuf *m = tso_packet(&v, k);

		uint64_t end = px_get_tsc_cycles() + px_get_tsc_hz() / 1000 * WAIT_MS;

		PX_TEST_ASSERT(m != NULL, "TSO packet %u", k);
		/* 33 descriptors each: the ring takes 3 until the device is done with one */
		while (px_eth_tx_burst(v.port, 0, &m, 1) == 0) {
			PX_TEST_ASSERT(px_get_tsc_cycles() < end, "TSO packet %u sent", k);
			usleep(1000);
		}
	}
	for (int idle = 0; s.bytes < (uint64_t)TSO_PACKETS * TSO_PAYLOAD && idle < 10;) {
		ssize_t n = recv(fd, f, sizeof(f), 0);

		if (n < 0) {
			idle++;
			continue;
		}
		tso_check_frame(&s, f, n);
	}
	close(fd);
	usleep(200 * 1000);
	printf("peer saw %u segments, %" PRIu64 " bytes; InSegs +%ld, InCsumErrors +%ld\n", s.segs,
	       s.bytes, snmp("Tcp:", "InSegs") - in_segs, snmp("Tcp:", "InCsumErrors") - csum_err);
	PX_TEST_ASSERT_EQ(s.bytes, (uint64_t)TSO_PACKETS * TSO_PAYLOAD,
			  "payload bytes at the peer");
	PX_TEST_ASSERT_EQ(s.segs, TSO_PACKETS * segs_each, "segments at the peer");
	PX_TEST_ASSERT_EQ(s.big, 0, "segments above the MSS");
	PX_TEST_ASSERT_EQ(s.bad_ip + s.bad_tcp, 0, "bad IPv4 (%u) or TCP (%u) checksums", s.bad_ip,
			  s.bad_tcp);
	PX_TEST_ASSERT_EQ(s.bad_byte, 0, "segments with a wrong byte");
	PX_TEST_ASSERT_EQ(snmp("Tcp:", "InSegs") - in_segs, (long)(TSO_PACKETS * segs_each),
			  "the peer's TCP took every segment");
	PX_TEST_ASSERT_EQ(snmp("Tcp:", "InCsumErrors") - csum_err, 0, "no checksum errors");
	return vpeer_close(&v);
}
PX_TEST(virtio_tso_autotest, PX_TEST_F_LAB, test_virtio_tso)

/* UDP datagram @seq of @payload bytes to the peer's socket with the checksum offloaded
 * (PX_MBUF_F_TX_UDP_CKSUM: the pseudo-header checksum in the field); @bad adds one to it, so
 * the device's checksum comes out wrong. */
static struct px_mbuf *udp_packet(const struct vpeer *v, uint32_t seq, uint32_t payload, bool bad)
{
	uint32_t hdr = PX_ETHER_HDR_LEN + 20 + 8;
	struct px_mbuf *m = vpeer_chain(v->mp, hdr, payload, seq * 977u);
	struct px_ipv4_hdr *ip;
	struct px_udp_hdr *uh;
	uint16_t l4 = (uint16_t)(8 + payload);

	if (m == NULL)
		return NULL;
	ip = vpeer_headers(v, px_pktmbuf_mtod(m, uint8_t *), PX_IPPROTO_UDP, l4, (uint16_t)seq);
	uh = (struct px_udp_hdr *)(ip + 1);
	*uh = (struct px_udp_hdr){.src_port = px_cpu_to_be_16(40000),
				  .dst_port = px_cpu_to_be_16(PEER_UDP_PORT),
				  .dgram_len = px_cpu_to_be_16(l4)};
	uh->dgram_cksum = px_cksum_fold(px_ipv4_phdr_sum(ip, l4) + (bad ? 1 : 0));
	m->ol_flags = PX_MBUF_F_TX_IPV4 | PX_MBUF_F_TX_UDP_CKSUM;
	m->l2_len = PX_ETHER_HDR_LEN;
	m->l3_len = 20;
	return m;
}

static uint32_t udp_len(uint32_t seq)
{
	return 18 + (seq * 331u) % (8972 - 18 + 1); /* 60..9014-byte frames */
}

/*
 * Checksum offload (VIRTIO_NET_F_CSUM) checked by the guest kernel: the port sends UDP
 * datagrams of 18..8972 bytes (frames up to 9014, chains of 2000-byte segments) to a socket of
 * the peer with the checksum left to the device (NEEDS_CSUM, csum_start, csum_offset); the
 * kernel drops a datagram whose checksum is wrong, so every one must arrive, byte for byte,
 * and UDP's InCsumErrors stay put. Then datagrams whose pseudo-header sum is off by one: the
 * kernel must drop each and count it, which shows that it checked.
 */
static int test_virtio_csum_kernel(void)
{
	struct px_eth_conf conf = {.txmode.offloads = PX_ETH_TX_OFFLOAD_UDP_CKSUM |
						      PX_ETH_TX_OFFLOAD_TCP_CKSUM |
						      PX_ETH_TX_OFFLOAD_MULTI_SEGS};
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons(PEER_UDP_PORT),
				 .sin_addr.s_addr = htonl(PEER_IP)};
	struct timeval tv = {.tv_sec = 2};
	static uint8_t buf[9100];
	const uint32_t n = 200, n_bad = 5;
	long csum_err;
	struct vpeer v;
	int fd, ret;

	ret = vpeer_open(&v, &conf, 1);
	if (ret != PX_TEST_OK)
		return ret;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	PX_TEST_ASSERT(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
			       setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0,
		       "UDP socket at the peer's %s:%d: %s", "10.9.0.1", PEER_UDP_PORT,
		       strerror(errno));
	csum_err = snmp("Udp:", "InCsumErrors");
	for (uint32_t seq = 0; seq < n; seq++) {
		struct px_mbuf *m = udp_packet(&v, seq, udp_len(seq), false);
		ssize_t got;

		PX_TEST_ASSERT(m != NULL, "datagram %u", seq);
		PX_TEST_ASSERT_EQ(px_eth_tx_burst(v.port, 0, &m, 1), 1, "datagram %u sent", seq);
		got = recv(fd, buf, sizeof(buf), 0);
		PX_TEST_ASSERT_EQ(got, (ssize_t)udp_len(seq),
				  "datagram %u (%u bytes) at the peer's socket", seq, udp_len(seq));
		for (uint32_t i = 0; i < udp_len(seq); i++)
			PX_TEST_ASSERT_EQ(buf[i], stream_byte(seq * 977u + i), "byte %u of %u", i,
					  seq);
	}
	PX_TEST_ASSERT_EQ(snmp("Udp:", "InCsumErrors") - csum_err, 0, "no checksum errors");
	for (uint32_t seq = 0; seq < n_bad; seq++) {
		struct px_mbuf *m = udp_packet(&v, seq, 100 + seq, true);

		PX_TEST_ASSERT(m != NULL && px_eth_tx_burst(v.port, 0, &m, 1) == 1, "sent");
	}
	tv.tv_sec = 0;
	tv.tv_usec = 500 * 1000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	PX_TEST_ASSERT(recv(fd, buf, sizeof(buf), 0) < 0, "a datagram with a wrong checksum");
	PX_TEST_ASSERT_EQ(snmp("Udp:", "InCsumErrors") - csum_err, (long)n_bad,
			  "the kernel counted each wrong checksum");
	close(fd);
	printf("%u datagrams of 18..8972 bytes checked by the kernel, %u wrong ones dropped\n", n,
	       n_bad);
	return vpeer_close(&v);
}
PX_TEST(virtio_csum_kernel_autotest, PX_TEST_F_LAB, test_virtio_csum_kernel)

/* ---- multi-queue and RSS (VIRTIO_NET_F_MQ, VIRTIO_NET_F_RSS) ------------------------------ */

/* The Toeplitz hash of @len bytes of @in under @key (at least @len + 4 bytes), as RSS (and
 * QEMU's software RSS, net/net_rx_pkt.c) computes it. */
static uint32_t toeplitz(const uint8_t *key, const uint8_t *in, size_t len)
{
	uint32_t hash = 0, v = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 |
			       (uint32_t)key[2] << 8 | key[3];

	for (size_t i = 0; i < len; i++) {
		for (int b = 7; b >= 0; b--) {
			if (in[i] & (1u << b))
				hash ^= v;
			v <<= 1;
			v |= (key[i + 4] >> b) & 1u;
		}
	}
	return hash;
}

/* What RSS does with a frame: the hash under @key, through the redirection table @reta of
 * @size entries (QEMU: entry hash & indirection_table_mask). */
struct rss_model {
	const uint8_t *key;
	const uint16_t *reta;
	uint16_t size;
};

/* The queue RSS (@r) puts a flow frame (IPv4/UDP to port 2000) on: the hash over addresses and
 * ports; 0 without a model; -1 for another frame. */
static int rss_queue(const struct rss_model *r, const struct px_mbuf *m)
{
	const uint8_t *f = px_pktmbuf_mtod(m, const uint8_t *);
	const struct px_ipv4_hdr *ip = (const struct px_ipv4_hdr *)(f + PX_ETHER_HDR_LEN);
	const struct px_udp_hdr *uh = (const struct px_udp_hdr *)(ip + 1);
	uint8_t in[12];

	if (m->data_len < PX_ETHER_HDR_LEN + 28 || f[12] != 0x08 || f[13] != 0x00 ||
	    ip->next_proto_id != PX_IPPROTO_UDP || uh->dst_port != px_cpu_to_be_16(2000))
		return -1;
	if (r == NULL)
		return 0;
	memcpy(in, &ip->src_addr, 8);
	memcpy(in + 8, &uh->src_port, 4);
	return r->reta[toeplitz(r->key, in, sizeof(in)) % r->size];
}

/* Receive the kernel's @n flow frames (pmd_flow_frame: IPv4/UDP to port 2000) on queues 0 and
 * 1 of the port, counting each queue's in @got; with @r, count in *@wrong the frames not on
 * the queue RSS picks. Other frames (the kernel's own) are left out. @return the flow frames
 * received. */
static unsigned int vpeer_flows_receive(const struct vpeer *v, unsigned int n,
					const struct rss_model *r, unsigned int got[2],
					unsigned int *wrong)
{
	unsigned int total = 0;

	/* until 2000 polls of 1 ms in a row bring nothing (pmd_receive) */
	for (int idle = 0; total < n && idle < 2000; idle++) {
		unsigned int before = total;

		for (uint16_t q = 0; q < 2; q++) {
			struct px_mbuf *m[BURST];
			uint16_t nb = px_eth_rx_burst(v->port, q, m, BURST);

			for (uint16_t i = 0; i < nb; i++) {
				int want = rss_queue(r, m[i]);

				if (want < 0)
					continue; /* the kernel's own frames (IPv6, ARP) */
				got[q]++;
				total++;
				*wrong += r && want != q;
			}
			px_pktmbuf_free_bulk(m, nb);
		}
		if (total != before)
			idle = -1;
		usleep(1000);
	}
	return total;
}

/* The kernel sends 64 frames of 16 flows; each must arrive on the queue @r picks. */
static int rss_round(const struct vpeer *v, const struct rss_model *r, const char *what,
		     unsigned int got[2])
{
	const unsigned int n = 64;
	unsigned int wrong = 0, total;

	got[0] = got[1] = 0;
	PX_TEST_ASSERT_EQ(pmd_kernel_send(v->ifname, n, 200), n, "the kernel sent %u frames", n);
	total = vpeer_flows_receive(v, n, r, got, &wrong);
	printf("RSS, %s: queue 0 got %u, queue 1 got %u frames, %u on the wrong queue\n", what,
	       got[0], got[1], wrong);
	PX_TEST_ASSERT_EQ(total, n, "every frame received (%s)", what);
	PX_TEST_ASSERT_EQ(wrong, 0, "every frame on the queue of its hash (%s)", what);
	return PX_TEST_OK;
}

#define RSS_RETA_MAX 128

/* The whole redirection table of @port (@size entries) to @reta, then read back. */
static int rss_table_set(uint16_t port, const uint16_t *reta, uint16_t size)
{
	struct px_eth_rss_reta_entry64 c[RSS_RETA_MAX / PX_ETH_RETA_GROUP_SIZE];

	memset(c, 0, sizeof(c));
	for (uint16_t e = 0; e < size; e++) {
		c[e / 64].mask |= 1ull << (e % 64);
		c[e / 64].reta[e % 64] = reta[e];
	}
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(port, c, size), 0, "table update");
	memset(c, 0xff, sizeof(c));
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_query(port, c, size), 0, "table query");
	for (uint16_t e = 0; e < size; e++)
		PX_TEST_ASSERT_EQ(c[e / 64].reta[e % 64], reta[e], "entry %u read back", e);
	return PX_TEST_OK;
}

/* RSS's table and key after configure: argument checks on the real port, then the whole
 * table to queue 1 (sent at once, the port started), the opposite of the default table set
 * while stopped (sent at the next start), another key (at once). */
static int rss_custom(struct vpeer *v, uint8_t *key, uint16_t size)
{
	struct px_eth_rss_reta_entry64 bad[RSS_RETA_MAX / PX_ETH_RETA_GROUP_SIZE];
	struct px_eth_rss_conf rc = {
		.rss_key = key, .rss_key_len = 40, .rss_hf = PX_ETH_RSS_NONFRAG_IPV4_UDP};
	uint16_t ones[RSS_RETA_MAX], opposite[RSS_RETA_MAX];
	struct rss_model r = {.key = key, .reta = ones, .size = size};
	unsigned int got[2];
	uint8_t back[40];
	struct px_eth_link link;

	for (uint16_t e = 0; e < size; e++) {
		ones[e] = 1;
		opposite[e] = (uint16_t)((e + 1) % 2);
	}
	memset(bad, 0, sizeof(bad));
	bad[0].mask = 1;
	bad[0].reta[0] = 2;
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(v->port, bad, size), -EINVAL, "queue 2 of 2");
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(v->port, bad, 64 + size), -EINVAL,
			  "not the port's size");
	px_test_log_capture_stop();

	if (rss_table_set(v->port, ones, size) != PX_TEST_OK ||
	    rss_round(v, &r, "every entry to queue 1", got) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(got[1], 64, "all on queue 1");

	PX_TEST_ASSERT_EQ(px_eth_dev_stop(v->port), 0, "stop");
	if (rss_table_set(v->port, opposite, size) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(px_eth_dev_start(v->port), 0, "start");
	PX_TEST_ASSERT_EQ(px_eth_link_wait(v->port, WAIT_MS, &link), 0, "link up");
	r.reta = opposite;
	if (rss_round(v, &r, "entry i to queue (i + 1) % 2, set while stopped", got) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT(got[0] > 0 && got[1] > 0, "both queues used");

	key[0] ^= 0xff;
	key[17] ^= 0x3c;
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(v->port, &rc), 0, "another key");
	rc = (struct px_eth_rss_conf){.rss_key = back, .rss_key_len = sizeof(back)};
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_conf_get(v->port, &rc), 0, "hash conf");
	PX_TEST_ASSERT(rc.rss_key_len == 40 && memcmp(back, key, 40) == 0 &&
			       rc.rss_hf == PX_ETH_RSS_NONFRAG_IPV4_UDP,
		       "the key and hash types read back");
	return rss_round(v, &r, "another key", got);
}

/*
 * Two queue pairs with RSS on IPv4/UDP and a key of the test's own: the guest kernel sends 64
 * frames of 16 flows (source address and port) through its virtio_net; on the way the host's
 * multi-queue tap spreads them by its own flow hash, and QEMU's RSS (in software: its eBPF
 * program does not load here) moves each to the queue the key and indirection table say. Every
 * frame must arrive on the queue computed here from the same key and table: the default table
 * (entry i is queue i % 2), then the tables and key rss_custom() sets. Then queue 1 transmits.
 */
static int test_virtio_rss(void)
{
	static uint8_t key[40] = {0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
				  0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
				  0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
				  0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};
	struct px_eth_conf conf = {.rxmode.mq_mode = PX_ETH_MQ_RX_RSS,
				   .rx_adv_conf.rss_conf = {.rss_key = key,
							    .rss_key_len = sizeof(key),
							    .rss_hf = PX_ETH_RSS_NONFRAG_IPV4_UDP}};
	struct px_eth_rss_reta_entry64 c[RSS_RETA_MAX / PX_ETH_RETA_GROUP_SIZE];
	uint16_t reta[RSS_RETA_MAX];
	struct rss_model r = {.key = key, .reta = reta};
	struct px_eth_dev_info info;
	unsigned int got[2];
	struct vpeer v;
	int ret;

	key[5] ^= 0x5a; /* not the well-known default: the device must use ours */
	ret = vpeer_open(&v, &conf, 2);
	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(v.port, &info), 0, "info");
	PX_TEST_ASSERT(info.reta_size >= 64 && info.reta_size <= RSS_RETA_MAX &&
			       info.reta_size % 64 == 0 && info.hash_key_size == sizeof(key),
		       "reta_size %u, hash_key_size %u", info.reta_size, info.hash_key_size);
	r.size = info.reta_size;
	memset(c, 0xff, sizeof(c));
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_query(v.port, c, r.size), 0, "query");
	for (uint16_t e = 0; e < r.size; e++) {
		reta[e] = c[e / 64].reta[e % 64];
		PX_TEST_ASSERT_EQ(reta[e], e % 2, "default entry %u", e);
	}
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(v.port), 0,
			  "promiscuous (frames to "
			  "02:00:00:00:00:01)");
	if (rss_round(&v, &r, "default table", got) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT(got[0] > 0 && got[1] > 0, "both queues used");
	if (rss_custom(&v, key, r.size) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(pmd_send(v.port, 1, v.mp, 10, 200), 10, "queue 1 sends");
	usleep(100 * 1000);
	PX_TEST_ASSERT_EQ(pmd_xstat(v.port, "tx_q1_packets"), 10, "counted on TX queue 1");
	return vpeer_close(&v);
}
PX_TEST(virtio_rss_autotest, PX_TEST_F_LAB, test_virtio_rss)

/*
 * Two queue pairs without RSS (VIRTIO_NET_F_MQ, VQ_PAIRS_SET): QEMU hands a tap queue's frames
 * to the RX queue of the same number, and the host's multi-queue tap spreads the kernel's 16
 * flows by its own hash, so both queues receive and every frame arrives (without VQ_PAIRS_SET
 * the device would run one pair and queue 1's frames would wait). Queue 1 transmits, counted
 * there only.
 */
static int test_virtio_mq(void)
{
	struct px_eth_conf conf = {.rxmode.mq_mode = PX_ETH_MQ_RX_NONE};
	const unsigned int n = 64;
	unsigned int got[2] = {0, 0}, wrong = 0, total;
	struct vpeer v;
	int ret = vpeer_open(&v, &conf, 2);

	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(v.port), 0, "promiscuous");
	PX_TEST_ASSERT_EQ(pmd_kernel_send(v.ifname, n, 200), n, "the kernel sent %u frames", n);
	total = vpeer_flows_receive(&v, n, NULL, got, &wrong);
	printf("MQ: queue 0 got %u, queue 1 got %u frames\n", got[0], got[1]);
	PX_TEST_ASSERT_EQ(total, n, "every frame received");
	PX_TEST_ASSERT(got[0] > 0 && got[1] > 0, "both queues used");
	PX_TEST_ASSERT_EQ(pmd_send(v.port, 1, v.mp, 10, 200), 10, "queue 1 sends");
	PX_TEST_ASSERT_EQ(pmd_xstat(v.port, "tx_q1_packets"), 10, "counted on TX queue 1");
	PX_TEST_ASSERT_EQ(pmd_xstat(v.port, "tx_q0_packets"), 0, "and not on TX queue 0");
	return vpeer_close(&v);
}
PX_TEST(virtio_mq_autotest, PX_TEST_F_LAB, test_virtio_mq)

/* Receive on queue @q until @want flow frames came or 2 s passed (@want 0: for 50 ms); the
 * kernel's own frames are counted in *@other. @return the flow frames. */
static unsigned int mq_intr_collect(uint16_t port, uint16_t q, unsigned int want,
				    unsigned int *other)
{
	unsigned int flows = 0;

	for (int idle = 0; (want == 0 || flows < want) && idle < (want ? 2000 : 50); idle++) {
		struct px_mbuf *m[BURST];
		uint16_t nb = px_eth_rx_burst(port, q, m, BURST);

		for (uint16_t i = 0; i < nb; i++) {
			if (rss_queue(NULL, m[i]) == 0)
				flows++;
			else
				(*other)++;
		}
		px_pktmbuf_free_bulk(m, nb);
		if (nb == 0)
			usleep(1000);
	}
	return flows;
}

/* One round: every RSS table entry to queue @to; both queues' interrupts armed, each with
 * its own waiter (epoll set @epfd[q]); the kernel sends 16 flow frames. @to's waiter wakes;
 * the other's sleeps unless the kernel's own frames (ARP, IPv6: unclassified, queue 0) woke
 * it; every flow frame is on @to. */
static int mq_intr_round(const struct vpeer *v, const int epfd[2], uint16_t to, uint16_t size)
{
	uint16_t table[RSS_RETA_MAX], other = !to;
	unsigned int extra[2] = {0, 0}, flows[2];
	uint64_t data = UINT64_MAX;
	int woke;

	for (uint16_t e = 0; e < size; e++)
		table[e] = to;
	if (rss_table_set(v->port, table, size) != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (uint16_t q = 0; q < 2; q++) {
		mq_intr_collect(v->port, q, 0, &extra[q]);
		while (px_eth_dev_rx_intr_wait(epfd[q], &data, 1, 0) > 0)
			; /* an interrupt of the last round */
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_enable(v->port, q), 0, "enable queue %u", q);
	}
	extra[0] = extra[1] = 0;
	PX_TEST_ASSERT_EQ(pmd_kernel_send(v->ifname, 16, 200), 16, "the kernel sent 16 frames");
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_wait(epfd[to], &data, 1, WAIT_MS), 1,
			  "queue %u's waiter woke", to);
	PX_TEST_ASSERT_EQ(data, to, "with queue %u's epoll data", to);
	woke = px_eth_dev_rx_intr_wait(epfd[other], &data, 1, 300);
	for (uint16_t q = 0; q < 2; q++)
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_disable(v->port, q), 0, "disable queue %u", q);
	flows[to] = mq_intr_collect(v->port, to, 16, &extra[to]);
	flows[other] = mq_intr_collect(v->port, other, 0, &extra[other]);
	printf("RX interrupts, table to queue %u: queue %u woke with %u flow frames; queue %u %s "
	       "(%u flow frames, %u of the kernel's own)\n",
	       to, to, flows[to], other, woke ? "woke" : "slept", flows[other], extra[other]);
	PX_TEST_ASSERT_EQ(flows[to], 16, "every flow frame on queue %u", to);
	PX_TEST_ASSERT_EQ(flows[other], 0, "none on queue %u", other);
	PX_TEST_ASSERT(woke == 0 || extra[other] > 0,
		       "queue %u's waiter woke with nothing on its queue: the queues share an "
		       "interrupt",
		       other);
	return PX_TEST_OK;
}

/*
 * Per-queue RX interrupts with two queue pairs (an MSI-X vector each): RSS's table steers the
 * kernel's flows to one queue, then to the other, and each time that queue's interrupt wakes
 * its own waiter while the other queue's sleeps.
 */
static int test_virtio_mq_rx_intr(void)
{
	struct px_eth_conf conf = {.rxmode.mq_mode = PX_ETH_MQ_RX_RSS,
				   .rx_adv_conf.rss_conf.rss_hf = PX_ETH_RSS_NONFRAG_IPV4_UDP,
				   .intr_conf.rxq = 1};
	struct px_eth_dev_info info;
	int epfd[2] = {-1, -1};
	struct vpeer v;
	int ret = vpeer_open(&v, &conf, 2);

	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(v.port, &info), 0, "info");
	PX_TEST_ASSERT(info.reta_size > 0 && info.reta_size <= RSS_RETA_MAX, "reta_size %u",
		       info.reta_size);
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(v.port), 0, "promiscuous");
	for (uint16_t q = 0; q < 2; q++) {
		epfd[q] = epoll_create1(EPOLL_CLOEXEC);
		PX_TEST_ASSERT(epfd[q] >= 0, "epoll");
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_epoll_add(epfd[q], v.port, q, q), 0,
				  "queue %u's waiter", q);
	}
	for (int round = 0; round < 4; round++)
		if (mq_intr_round(&v, epfd, (uint16_t)(round % 2 == 0), info.reta_size) !=
		    PX_TEST_OK)
			return PX_TEST_FAILED;
	close(epfd[0]);
	close(epfd[1]);
	return vpeer_close(&v);
}
PX_TEST(virtio_mq_rx_intr_autotest, PX_TEST_F_LAB, test_virtio_mq_rx_intr)

/* ---- hot unplug and plug (device removal, issue 15) ---------------------------------------- */

/* Frames both ways, whatever the ports take; the rest freed. */
static void vhp_round(struct vpair *p)
{
	struct px_mbuf *m[8];

	for (int src = 0; src < 2; src++) {
		uint16_t nb = 0, sent;

		while (nb < 8 && (m[nb] = vframe_make(p, src, nb, 200, 2048)) != NULL)
			nb++;
		sent = px_eth_tx_burst(p->port[src], 0, m, nb);
		px_pktmbuf_free_bulk(m + sent, nb - sent);
		px_pktmbuf_free_bulk(m, px_eth_rx_burst(p->port[!src], 0, m, 8));
	}
}

/*
 * The lab's NIC 1 sits in a PCIe root port; PX_LAB_HOTPLUG holds its QEMU id and the
 * device_add arguments that plug it back (tests/lab/virtio.cmake). While frames flow both ways
 * QEMU unplugs it (device_del): the VFIO request reaches lib/pci, the port raises
 * PX_ETH_EVENT_INTR_RMV and its bursts return 0 without touching the device; closing it gives
 * the device back and the unplug completes, while port 0 keeps sending. device_add plugs it
 * in again: bound to vfio-pci, px_pci_rescan() probes it, and the pair carries traffic as
 * before, every mbuf back in the pool at the end.
 */
static int test_virtio_hotplug(void)
{
	const char *env = getenv("PX_LAB_HOTPLUG");
	char id[64], add[256], name[PX_ETH_NAME_MAX_LEN];
	struct px_eth_conf conf;
	struct px_eth_stats st0, st1;
	struct px_mbuf *m;
	struct vpair p;
	int removed = 0, ret;
	uint64_t end;

	if (env == NULL || sscanf(env, "%63s %255s", id, add) != 2)
		PX_TEST_SKIP("needs PX_LAB_HOTPLUG='QEMU-ID DEVICE_ADD-ARGS' and that NIC in a "
			     "hot-pluggable slot (tests/lab/virtio.cmake)");
	memset(&conf, 0, sizeof(conf));
	ret = vpair_open(&p, &conf);
	if (ret != PX_TEST_OK)
		return ret;
	if (vpair_put_nic_second(&p, 1) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(px_eth_dev_get_name_by_port(p.port[1], name), 0, "name");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p.port[1], PX_ETH_EVENT_INTR_RMV, lab_on_rmv,
						       &removed),
			  0, "RMV callback");
	if (vpair_start(&p) != PX_TEST_OK || vtraffic(&p, 0, 100, len_small, 2048) != PX_TEST_OK)
		return PX_TEST_FAILED;

	if (monitor("device_del %s", id) != PX_TEST_OK)
		return PX_TEST_FAILED;
	end = px_get_tsc_cycles() + px_get_tsc_hz() * 30;
	while (!__atomic_load_n(&removed, __ATOMIC_ACQUIRE) && px_get_tsc_cycles() < end)
		vhp_round(&p);
	PX_TEST_ASSERT_EQ(__atomic_load_n(&removed, __ATOMIC_ACQUIRE), 1,
			  "PX_ETH_EVENT_INTR_RMV within 30 s of device_del");
	PX_TEST_ASSERT_EQ(px_eth_dev_is_removed(p.port[1]), 1, "port 1 removed");
	PX_TEST_ASSERT_EQ(px_eth_dev_is_removed(p.port[0]), 0, "port 0 not");
	for (int i = 0; i < 100; i++)
		vhp_round(&p); /* port 1's bursts: 0 */
	m = vframe_make(&p, 1, 0, 60, 2048);
	PX_TEST_ASSERT(m != NULL, "mbuf");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p.port[1], 0, &m, 1), 0, "tx on a removed port");
	px_pktmbuf_free(m);
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p.port[1], 0, &m, 1), 0, "rx on a removed port");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p.port[1]), 0, "close the removed port");
	PX_TEST_ASSERT_EQ(lab_sysfs_wait("/sys/bus/pci/devices/%s", name, 0, 20000), 0,
			  "the kernel completed the unplug of %s once the port was closed", name);
	PX_TEST_ASSERT_EQ(px_pci_rescan(), 0, "a rescan without the device: nothing to probe");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p.port[0], &st0), 0, "stats");
	for (int i = 0; i < 10; i++)
		vhp_round(&p);
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p.port[0], &st1), 0, "stats");
	if (st1.opackets < st0.opackets + 80) {
		printf("free mbufs: %u\n", px_mempool_avail_count(p.mp));
		px_eth_dev_dump(stdout, p.port[0]);
	}
	PX_TEST_ASSERT(st1.opackets >= st0.opackets + 80,
		       "port 0 sent %" PRIu64 " after the unplug", st1.opackets - st0.opackets);

	if (lab_pci_replug(name, add) != PX_TEST_OK)
		return PX_TEST_FAILED;
	ret = px_pci_rescan();
	if (ret != 1)
		for (const struct px_pci_device *d = px_pci_devices(); d; d = d->next)
			printf("pci %s %04x:%04x group %d kdrv '%s' driver %s\n", d->name,
			       d->id.vendor_id, d->id.device_id, d->iommu_group, d->kdrv,
			       d->driver ? d->driver->name : "-");
	PX_TEST_ASSERT_EQ(ret, 1, "the rescan probes the device again");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name(name, &p.port[1]), 0, "a port for %s", name);
	PX_TEST_ASSERT_EQ(vport_setup(&p, 1, &conf), 0, "setup of the new port");
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(p.port[0]), 0, "stop port 0");
	p.avail_idle = px_mempool_avail_count(p.mp);
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (int src = 0; src < 2; src++)
		if (vtraffic(&p, src, 300, len_small, 2048) != PX_TEST_OK)
			return PX_TEST_FAILED;
	return vpair_close(&p);
}
PX_TEST(virtio_hotplug_autotest, PX_TEST_F_LAB, test_virtio_hotplug)

/* ---- UDP from the kernel, byte for byte -------------------------------------------------- */

/* The peer's MTU (SIOCSIFMTU). */
static int peer_mtu(const char *ifname, int mtu)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_mtu = mtu;
	ret = ioctl(fd, SIOCSIFMTU, &ifr) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* A permanent ARP entry at the peer for the port's address (busybox's ip has no neigh add). */
static int peer_arp(const struct vpeer *v)
{
	struct arpreq r;
	struct sockaddr_in *pa = (struct sockaddr_in *)&r.arp_pa;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	memset(&r, 0, sizeof(r));
	pa->sin_family = AF_INET;
	pa->sin_addr.s_addr = htonl(OWN_IP);
	r.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(r.arp_ha.sa_data, v->mac.addr_bytes, PX_ETHER_ADDR_LEN);
	r.arp_flags = ATF_PERM | ATF_COM;
	snprintf(r.arp_dev, sizeof(r.arp_dev), "%s", v->ifname);
	ret = ioctl(fd, SIOCSARP, &r) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* The next IPv4/UDP frame to port 6000 the port receives within 2 s, copied whole into @f.
 * @return its length, 0 when none came. */
static uint32_t vpeer_recv_udp(const struct vpeer *v, uint8_t *f, uint32_t room)
{
	uint64_t end = px_get_tsc_cycles() + px_get_tsc_hz() * 2;

	while (px_get_tsc_cycles() < end) {
		struct px_mbuf *m;
		uint32_t len = 0;

		if (px_eth_rx_burst(v->port, 0, &m, 1) == 0) {
			usleep(100);
			continue;
		}
		for (const struct px_mbuf *s = m; s && len + s->data_len <= room; s = s->next) {
			memcpy(f + len, px_pktmbuf_mtod(s, const uint8_t *), s->data_len);
			len += s->data_len;
		}
		if (len != m->pkt_len)
			len = 0;
		px_pktmbuf_free(m);
		if (len >= PX_ETHER_HDR_LEN + 28 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 17 &&
		    f[PX_ETHER_HDR_LEN + 22] == 6000 >> 8 &&
		    f[PX_ETHER_HDR_LEN + 23] == (6000 & 0xff))
			return len;
	}
	return 0;
}

/*
 * The other way: the guest kernel (MTU 9000, a static ARP entry for the port) sends UDP
 * datagrams of 18..8972 bytes from a socket to the port (MTU 9000, SCATTER: frames up to 9014
 * bytes as mbuf chains through mergeable buffers). Each arrives, in order, byte for byte, with
 * its IPv4 and UDP checksums right (the port took no RX checksum offload, so the host
 * completed the kernel's partial checksum before the tap handed the frame to QEMU).
 */
static int test_virtio_udp_from_kernel(void)
{
	struct px_eth_conf conf = {.rxmode = {.mtu = 9000, .offloads = PX_ETH_RX_OFFLOAD_SCATTER},
				   .txmode.offloads = PX_ETH_TX_OFFLOAD_MULTI_SEGS};
	struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(PEER_IP)};
	struct sockaddr_in dst = {
		.sin_family = AF_INET, .sin_port = htons(6000), .sin_addr.s_addr = htonl(OWN_IP)};
	static uint8_t buf[9100], f[9100];
	const uint32_t n = 100;
	struct vpeer v;
	int fd, ret;

	ret = vpeer_open(&v, &conf, 1);
	if (ret != PX_TEST_OK)
		return ret;
	ret = peer_mtu(v.ifname, 9000);
	PX_TEST_ASSERT_EQ(ret, 0, "MTU 9000 on %s: %s", v.ifname, strerror(-ret));
	ret = peer_arp(&v);
	PX_TEST_ASSERT_EQ(ret, 0, "ARP entry on %s: %s", v.ifname, strerror(-ret));
	usleep(500 * 1000); /* an MTU change may take the link down for a moment */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	PX_TEST_ASSERT(fd >= 0 && bind(fd, (struct sockaddr *)&src, sizeof(src)) == 0,
		       "UDP socket at the peer: %s", strerror(errno));
	for (uint32_t seq = 0; seq < n; seq++) {
		const struct px_ipv4_hdr *ip = (const struct px_ipv4_hdr *)(f + PX_ETHER_HDR_LEN);
		uint32_t len = udp_len(seq), got;

		for (uint32_t i = 0; i < len; i++)
			buf[i] = stream_byte(seq * 977u + i);
		PX_TEST_ASSERT_EQ(sendto(fd, buf, len, 0, (struct sockaddr *)&dst, sizeof(dst)),
				  (ssize_t)len, "the kernel sends datagram %u", seq);
		got = vpeer_recv_udp(&v, f, sizeof(f));
		PX_TEST_ASSERT_EQ(got, PX_ETHER_HDR_LEN + 28 + len, "datagram %u (%u bytes)", seq,
				  len);
		PX_TEST_ASSERT_EQ(px_ipv4_cksum(ip), 0, "IPv4 checksum of datagram %u", seq);
		PX_TEST_ASSERT_EQ(px_ipv4_udptcp_cksum_verify(ip, ip + 1), 0,
				  "UDP checksum of datagram %u", seq);
		PX_TEST_ASSERT(memcmp(f + PX_ETHER_HDR_LEN + 28, buf, len) == 0,
			       "datagram %u byte for byte", seq);
	}
	close(fd);
	peer_mtu(v.ifname, 1500);
	printf("%u datagrams of 18..8972 bytes from the kernel, byte for byte\n", n);
	return vpeer_close(&v);
}
PX_TEST(virtio_udp_from_kernel_autotest, PX_TEST_F_LAB, test_virtio_udp_from_kernel)

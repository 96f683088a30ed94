/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp through the ethdev API, on a veth pair va <-> vb that af_xdp.sh makes (case ctl;
 * run as root inside its network namespace): what px-fwd's JSON does not show.
 *   - info, MTU, MAC, link and promiscuous mode are the interface's;
 *   - 100 frames from a raw socket on vb arrive byte for byte, 50 sent go out byte for byte,
 *     one of them from another pool (copied: tx_q0_copies);
 *   - stats, per-queue stats and xstats count them, and read 0 after a reset;
 *   - three open/start/close rounds, a probe that fails and a start that fails leave no file
 *     descriptor, no mapping and no mbuf behind.
 * Exit 0 when every check passed, 1 naming the first that did not.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_mbuf.h>
#include <px_vdev.h>

#include "fwd_test.h"

#define NB_MBUFS 2048
#define NB_RX 100
#define NB_TX 50

static struct px_mempool *pool, *other_pool;
static char port_args[256] = "iface=va"; /* and what argv[1] after "--" adds */

/* Open file descriptors: those of BPF objects (@bpf true) or all the others. libxdp 1.3.1 (Debian
 * 12) does not close a BPF map and a BPF program descriptor of its own when a socket with its
 * default program is deleted (fixed upstream, xdp-tools 9484d6a "libxdp: Close refcnt_map_fd"),
 * so they are counted apart: the driver's own (its sockets) must all be closed. */
static unsigned int fd_count(bool bpf)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[300], target[256] = "";

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		if (readlink(path, target, sizeof(target) - 1) < 0)
			continue;
		n += (strncmp(target, "anon_inode:bpf-", 15) == 0) == bpf;
	}
	if (d != NULL)
		closedir(d);
	return n;
}

/* The open file descriptors, for a failure message. */
static void fd_list(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[300], target[256] = "";

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		if (readlink(path, target, sizeof(target) - 1) > 0)
			printf("  fd %s -> %s\n", e->d_name, target);
	}
	if (d != NULL)
		closedir(d);
}

/* Mappings of sockets: an XSK's rings (fill, completion, RX, TX) show as "socket:[inode]".
 * Only those: under AddressSanitizer the allocator maps and unmaps memory of its own. */
static unsigned int map_count(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned int n = 0;
	char line[512];

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, " socket:[") != NULL;
	if (f != NULL)
		fclose(f);
	return n;
}

static int raw_socket(const char *iface)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = (int)if_nametoindex(iface)};
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == 0,
	      "raw socket on %s: %s", iface, strerror(errno));
	return fd;
}

/* Frame @i: 60..1514 bytes, Ethernet type 0x88b5, filled with a pattern of @i. */
static size_t frame(unsigned int i, unsigned int n, uint8_t *f)
{
	size_t len = 60 + (size_t)i * (1514 - 60) / (n - 1);

	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x88\xb5", 14);
	for (size_t k = 14; k < len; k++)
		f[k] = (uint8_t)(i * 7 + k);
	return len;
}

static short iface_flags(const char *iface)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	CHECK(fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS %s", iface);
	close(fd);
	return ifr.ifr_flags;
}

static uint16_t port_open(const char *args)
{
	struct px_eth_conf conf = {0};
	uint16_t port;

	CHECK(px_vdev_init("net_af_xdp0", args) == 0, "probe net_af_xdp0,%s", args);
	CHECK(px_eth_dev_get_port_by_name("net_af_xdp0", &port) == 0, "port of net_af_xdp0");
	CHECK(px_eth_dev_configure(port, 1, 1, &conf) == 0, "configure");
	CHECK(px_eth_rx_queue_setup(port, 0, 512, PX_SOCKET_ID_ANY, NULL, pool) == 0, "rxq");
	CHECK(px_eth_tx_queue_setup(port, 0, 512, PX_SOCKET_ID_ANY, NULL) == 0, "txq");
	return port;
}

/* What the port says of itself is what the interface va is. */
static void check_control(uint16_t port)
{
	struct px_eth_dev_info info;
	struct px_ether_addr mac;
	struct px_eth_link link;
	struct ifreq ifr = {0};
	uint16_t mtu;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK(px_eth_dev_info_get(port, &info) == 0 &&
		      strcmp(info.driver_name, "net_af_xdp") == 0 &&
		      info.if_index == if_nametoindex("va") && info.max_rx_queues == 1,
	      "dev_info");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "va");
	CHECK(ioctl(fd, SIOCGIFHWADDR, &ifr) == 0, "SIOCGIFHWADDR");
	CHECK(px_eth_macaddr_get(port, &mac) == 0 &&
		      memcmp(mac.addr_bytes, ifr.ifr_hwaddr.sa_data, 6) == 0,
	      "the port's MAC is va's");
	CHECK(ioctl(fd, SIOCGIFMTU, &ifr) == 0 && px_eth_dev_get_mtu(port, &mtu) == 0 &&
		      mtu == ifr.ifr_mtu,
	      "the port's MTU (%u) is va's (%d)", mtu, ifr.ifr_mtu);
	close(fd);
	CHECK(px_eth_link_get_nowait(port, &link) == 0 && link.link_status == 1, "link up");
	CHECK(px_eth_promiscuous_enable(port) == 0 && (iface_flags("va") & IFF_PROMISC),
	      "promiscuous on sets IFF_PROMISC on va");
	CHECK(px_eth_promiscuous_disable(port) == 0 && !(iface_flags("va") & IFF_PROMISC),
	      "promiscuous off clears it");
	CHECK(px_eth_allmulticast_enable(port) == 0 && (iface_flags("va") & IFF_ALLMULTI),
	      "all-multicast on sets IFF_ALLMULTI");
	CHECK(px_eth_allmulticast_disable(port) == 0, "all-multicast off");
}

/* NB_RX frames from a raw socket on vb, received by the port byte for byte. @return bytes. */
static uint64_t check_rx(uint16_t port, int vb)
{
	uint8_t f[1514];
	uint64_t bytes = 0;
	unsigned int got = 0;

	for (unsigned int i = 0; i < NB_RX; i++) {
		size_t len = frame(i, NB_RX, f);

		CHECK(send(vb, f, len, 0) == (ssize_t)len, "send on vb: %s", strerror(errno));
		bytes += len;
	}
	for (int spin = 0; got < NB_RX && spin < 2000; spin++) {
		struct px_mbuf *m[32];
		uint16_t n = px_eth_rx_burst(port, 0, m, 32);

		for (uint16_t k = 0; k < n; k++, got++) {
			size_t len = frame(got, NB_RX, f);

			CHECK(m[k]->pkt_len == len && m[k]->port == port &&
				      memcmp(px_pktmbuf_mtod(m[k], void *), f, len) == 0,
			      "frame %u received as sent (%u bytes, want %zu)", got, m[k]->pkt_len,
			      len);
			px_pktmbuf_free(m[k]);
		}
		if (n == 0)
			usleep(1000);
	}
	CHECK(got == NB_RX, "%u of %u frames received", got, NB_RX);
	return bytes;
}

/* NB_TX frames sent by the port, the last from another pool, read on vb byte for byte. */
static uint64_t check_tx(uint16_t port, int vb)
{
	uint8_t f[1514], r[2048];
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < NB_TX; i++) {
		struct px_mbuf *m = px_pktmbuf_alloc(i == NB_TX - 1 ? other_pool : pool);
		size_t len = frame(i, NB_TX, f);

		CHECK(m != NULL, "mbuf");
		memcpy(px_pktmbuf_append(m, (uint16_t)len), f, len);
		for (int spin = 0; px_eth_tx_burst(port, 0, &m, 1) == 0; spin++)
			CHECK(spin < 1000, "TX ring stays full");
		bytes += len;
	}
	for (unsigned int i = 0; i < NB_TX;) {
		struct pollfd p = {.fd = vb, .events = POLLIN};
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n;

		CHECK(poll(&p, 1, 2000) == 1, "frame %u of %u did not reach vb", i, NB_TX);
		n = recvfrom(vb, r, sizeof(r), 0, (struct sockaddr *)&from, &fl);
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		CHECK(n == (ssize_t)frame(i, NB_TX, f) && memcmp(r, f, (size_t)n) == 0,
		      "frame %u arrived on vb as sent", i);
		i++;
	}
	return bytes;
}

static uint64_t xstat(uint16_t port, const char *name)
{
	uint64_t v = UINT64_MAX;

	CHECK(px_eth_xstats_get_by_name(port, name, &v) == 0, "xstat %s", name);
	return v;
}

static void check_stats(uint16_t port, uint64_t ibytes, uint64_t obytes)
{
	static const char *const xdp[] = {"q0_xdp_rx_dropped", "q0_xdp_rx_invalid_descs",
					  "q0_xdp_tx_invalid_descs", "q0_xdp_rx_ring_full",
					  "q0_xdp_rx_fill_ring_empty_descs"};
	struct px_eth_stats st;

	CHECK(px_eth_stats_get(port, &st) == 0, "stats");
	CHECK(st.ipackets == NB_RX && st.ibytes == ibytes && st.q_ipackets[0] == NB_RX &&
		      st.q_ibytes[0] == ibytes,
	      "RX stats %lu packets %lu bytes, want %u and %lu", (unsigned long)st.ipackets,
	      (unsigned long)st.ibytes, NB_RX, (unsigned long)ibytes);
	CHECK(st.opackets == NB_TX && st.obytes == obytes && st.q_opackets[0] == NB_TX,
	      "TX stats %lu packets, want %u", (unsigned long)st.opackets, NB_TX);
	CHECK(st.imissed == 0 && st.ierrors == 0 && st.oerrors == 0 && st.rx_nombuf == 0,
	      "no errors");
	for (size_t i = 0; i < sizeof(xdp) / sizeof(xdp[0]); i++)
		CHECK(xstat(port, xdp[i]) == 0, "%s is 0", xdp[i]);
	CHECK(xstat(port, "tx_q0_copies") == 1, "one TX copy (the mbuf of another pool)");
	CHECK(px_eth_xstats_reset(port) == 0 && px_eth_stats_get(port, &st) == 0 &&
		      st.ipackets == 0 && st.opackets == 0 && st.q_ipackets[0] == 0 &&
		      xstat(port, "tx_q0_copies") == 0,
	      "0 after a reset");
}

/* One round: open, start, (first round) the checks, close; nothing left behind. */
static void round_trip(int round, int vb)
{
	unsigned int fds = fd_count(false), bpf_fds = fd_count(true), maps = map_count();
	uint16_t port = port_open(port_args);

	CHECK(px_eth_dev_start(port) == 0, "start, round %d", round);
	if (round == 0) {
		uint64_t ibytes, obytes;

		check_control(port);
		ibytes = check_rx(port, vb);
		obytes = check_tx(port, vb);
		usleep(100000); /* completions */
		check_stats(port, ibytes, obytes);
	}
	CHECK(px_eth_dev_stop(port) == 0 && px_vdev_uninit("net_af_xdp0") == 0, "close");
	CHECK(px_mempool_avail_count(pool) == NB_MBUFS, "round %d: %u of %u mbufs back", round,
	      px_mempool_avail_count(pool), NB_MBUFS);
	if (fd_count(false) != fds)
		fd_list();
	CHECK(fd_count(false) == fds, "round %d: %u file descriptors open, %u before", round,
	      fd_count(false), fds);
	CHECK(fd_count(true) <= bpf_fds + 2, "round %d: %u BPF descriptors, %u before", round,
	      fd_count(true), bpf_fds);
	if (fd_count(true) > bpf_fds)
		printf("note: round %d: libxdp left %u BPF descriptors open\n", round,
		       fd_count(true) - bpf_fds);
	CHECK(map_count() == maps, "round %d: %u mappings, %u before", round, map_count(), maps);
	printf("ok: round %d: open, start, close: no fd, mapping or mbuf left\n", round);
}

/* A probe that fails and a start that fails (a pool smaller than the fill ring) leave
 * nothing behind either. */
static void failures(void)
{
	unsigned int fds = fd_count(false), bpf_fds = fd_count(true), maps = map_count();
	struct px_mempool *tiny;
	struct px_eth_conf conf = {0};
	uint16_t port;

	CHECK(px_vdev_init("net_af_xdp0", "iface=va,queue_count=3") < 0,
	      "3 queues on a 1-queue veth");
	CHECK(fd_count(false) == fds && fd_count(true) == bpf_fds && map_count() == maps,
	      "a failed probe leaves nothing");
	tiny = px_pktmbuf_pool_create("axdp_tiny", 256, 0, 0, PX_PKTMBUF_HEADROOM + 2048,
				      PX_SOCKET_ID_ANY);
	CHECK(tiny != NULL, "tiny pool");
	CHECK(px_vdev_init("net_af_xdp0", "iface=va") == 0 &&
		      px_eth_dev_get_port_by_name("net_af_xdp0", &port) == 0 &&
		      px_eth_dev_configure(port, 1, 1, &conf) == 0 &&
		      px_eth_rx_queue_setup(port, 0, 512, PX_SOCKET_ID_ANY, NULL, tiny) == 0 &&
		      px_eth_tx_queue_setup(port, 0, 512, PX_SOCKET_ID_ANY, NULL) == 0,
	      "port over a tiny pool");
	CHECK(px_eth_dev_start(port) == -ENOMEM, "start with 256 mbufs for a fill ring of 512");
	CHECK(px_mempool_avail_count(tiny) == 256, "the failed start gave its mbufs back");
	CHECK(px_vdev_uninit("net_af_xdp0") == 0, "close");
	px_mempool_free(tiny);
	CHECK(fd_count(false) == fds, "a failed start leaves no fd (%u, %u before)",
	      fd_count(false), fds);
	CHECK(map_count() == maps, "a failed start leaves no mapping (%u, %u before)", map_count(),
	      maps);
	/* libxdp 1.3.1's own, as in round_trip() */
	CHECK(fd_count(true) <= bpf_fds + 2, "BPF descriptors after a failed start: %u, %u before",
	      fd_count(true), bpf_fds);
	printf("ok: a failed probe and a failed start leave no fd, mapping or mbuf\n");
}

int main(int argc, char **argv)
{
	int vb;

	int n = px_eal_init(argc, argv);

	CHECK(n >= 0, "EAL");
	if (n + 1 < argc)
		snprintf(port_args, sizeof(port_args), "iface=va,%s", argv[n + 1]);
	pool = px_pktmbuf_pool_create("axdp_ctl", NB_MBUFS, 0, 0, PX_PKTMBUF_HEADROOM + 2048,
				      PX_SOCKET_ID_ANY);
	other_pool = px_pktmbuf_pool_create("axdp_other", 64, 0, 0, PX_PKTMBUF_HEADROOM + 2048,
					    PX_SOCKET_ID_ANY);
	CHECK(pool != NULL && other_pool != NULL, "pools");
	vb = raw_socket("vb");
	for (int round = 0; round < 3; round++)
		round_trip(round, vb);
	failures();
	close(vb);
	px_eal_cleanup();
	printf("ok: net_af_xdp control, stats, xstats and cleanup\n");
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-net PMD (docs/virtio.md) on two virtio-net-pci ports that share one QEMU hub
 * (docs/lab.md): a frame sent by one port reaches the other. Lab tests (PX_TEST_F_LAB): they
 * skip (77) only where no virtio device is bound to vfio-pci; with devices present every
 * missing piece is a failure.
 *
 * PX_VIRTIO_DEVARGS (e.g. "packed_vq=1") is appended to each port's -a: the lab runs the same
 * cases on split and on packed rings, and packed_vq=1 fails the probe of a device without
 * VIRTIO_F_RING_PACKED, so a run that asks for packed rings cannot silently get split ones.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "px_test.h"
#include "px_eal.h"
#include "px_cycles.h"
#include "px_ethdev.h"
#include "px_mbuf.h"
#include "px_mempool.h"

#include "lab_pair.h"
#include "virtio_lab.h"

/* Frames on the wire at most: their RX buffers (a jumbo frame takes up to 5) stay below NB_DESC
 * less the RX refill threshold, so QEMU's hub never queues a frame, which would reorder it
 * (docs/fwd.md). */
#define IN_FLIGHT 64
#define IN_FLIGHT_JUMBO 16
#define JUMBO_MTU 9000
#define VIRTIO_PCI_VENDOR "0x1af4"

/* "-l 0 -m 64 -a ADDR[,devargs] ..." for every virtio device bound to vfio-pci; 0 when none. */
int virtio_eal_args(char *buf, size_t len)
{
	const char *devargs = getenv("PX_VIRTIO_DEVARGS");
	DIR *d = opendir("/sys/bus/pci/drivers/vfio-pci");
	struct dirent *de;
	size_t off;
	int n = 0;

	off = (size_t)snprintf(buf, len, "-l 0 -m 64 --log-level=pmd.net.virtio:info");
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && off < len) {
		char path[300], vendor[16] = "";
		FILE *f;

		if (strchr(de->d_name, ':') == NULL)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(vendor, sizeof(vendor), f) &&
		    strncmp(vendor, VIRTIO_PCI_VENDOR, 6) == 0) {
			off += (size_t)snprintf(buf + off, len - off, " -a %s%s%s", de->d_name,
						devargs ? "," : "", devargs ? devargs : "");
			n++;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

int vport_setup(struct vpair *p, int i, const struct px_eth_conf *conf)
{
	return lab_port_setup(p->port[i], conf, NB_DESC, p->mp, &p->mac[i]);
}

/* EAL on the virtio devices, the first two virtio ports, a pool; both configured, stopped. */
int vpair_open(struct vpair *p, const struct px_eth_conf *conf)
{
	char args[512];
	int ret;

	if (virtio_eal_args(args, sizeof(args)) < 2)
		PX_TEST_SKIP("fewer than two virtio devices bound to vfio-pci (run in the lab: "
			     "ctest -R 'lab_.*virtio')");
	ret = px_test_eal_init(args);
	PX_TEST_ASSERT(ret >= 0, "EAL init (%s): %s", args, strerror(-ret));
	if (lab_pair_find("net_virtio", args, p->port) != PX_TEST_OK)
		return PX_TEST_FAILED;
	p->mp = px_pktmbuf_pool_create("virtio_test", NB_MBUF, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE,
				       PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(p->mp != NULL, "pool: %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		PX_TEST_ASSERT_EQ(vport_setup(p, i, conf), 0, "setup of port %u", p->port[i]);
	PX_TEST_ASSERT(memcmp(&p->mac[0], &p->mac[1], sizeof(p->mac[0])) != 0, "distinct MACs");
	p->avail_idle = px_mempool_avail_count(p->mp);
	return PX_TEST_OK;
}

int vpair_start(struct vpair *p)
{
	struct px_eth_link link;

	for (int i = 0; i < 2; i++) {
		PX_TEST_ASSERT_EQ(px_eth_dev_start(p->port[i]), 0, "start port %u", p->port[i]);
		PX_TEST_ASSERT_EQ(px_eth_link_wait(p->port[i], WAIT_MS, &link), 0, "link up");
	}
	return PX_TEST_OK;
}

/* Both ports with the default configuration, started. */
int vpair_up(struct vpair *p)
{
	static const struct px_eth_conf conf;
	int ret = vpair_open(p, &conf);

	if (ret != PX_TEST_OK)
		return ret;
	return vpair_start(p) == PX_TEST_OK ? PX_TEST_OK : PX_TEST_FAILED;
}

int vpair_close(struct vpair *p)
{
	return lab_pair_close(p->port, p->mp, p->avail_idle, NB_MBUF);
}

/* Frame @seq of @len bytes from port @src to the other, in segments of at most @seg bytes. */
struct px_mbuf *vframe_make(struct vpair *p, int src, uint32_t seq, uint32_t len, uint32_t seg)
{
	struct px_mbuf *head = NULL;

	for (uint32_t off = 0; off < len;) {
		uint32_t n = PX_MIN(seg, len - off);
		struct px_mbuf *m = px_pktmbuf_alloc(p->mp);
		uint8_t *d;

		if (m == NULL || (head && px_pktmbuf_chain(head, m) != 0)) {
			px_pktmbuf_free(m);
			px_pktmbuf_free(head);
			return NULL;
		}
		d = px_pktmbuf_mtod(m, uint8_t *);
		for (uint32_t i = 0; i < n; i++)
			d[i] = lab_frame_byte(seq, off + i);
		if (off == 0) {
			memcpy(d, &p->mac[!src], 6);
			memcpy(d + 6, &p->mac[src], 6);
			d[12] = ETHER_TYPE_TEST >> 8;
			d[13] = ETHER_TYPE_TEST & 0xff;
			memcpy(d + HDR_LEN, &seq, sizeof(seq));
		}
		m->data_len = (uint16_t)n;
		if (head == NULL)
			head = m;
		head->pkt_len = off + n;
		off += n;
	}
	return head;
}

/* Check a received frame (one segment or a chain) against vframe_make(@seq, @len). */
int vframe_check(struct vpair *p, int src, struct px_mbuf *m, uint32_t seq, uint32_t len)
{
	uint32_t got, off = 0;

	PX_TEST_ASSERT_EQ(m->pkt_len, len, "length of frame %u", seq);
	PX_TEST_ASSERT_EQ(m->port, p->port[!src], "mbuf port");
	memcpy(&got, px_pktmbuf_mtod(m, uint8_t *) + HDR_LEN, sizeof(got));
	PX_TEST_ASSERT_EQ(got, seq, "frames in order, none lost");
	for (const struct px_mbuf *s = m; s != NULL; s = s->next) {
		const uint8_t *d = px_pktmbuf_mtod(s, const uint8_t *);

		for (uint32_t i = 0; i < s->data_len; i++, off++) {
			if (off < HDR_LEN + sizeof(seq))
				continue;
			PX_TEST_ASSERT_EQ(d[i], lab_frame_byte(seq, off), "byte %u of frame %u",
					  off, seq);
		}
	}
	PX_TEST_ASSERT_EQ(off, len, "segments' data_len adds up to pkt_len");
	return PX_TEST_OK;
}

uint32_t len_small(uint32_t seq)
{
	return 60 + (seq * 37u) % (1514 - 60 + 1);
}

static uint32_t len_jumbo(uint32_t seq)
{
	static const uint32_t lens[] = {9014, 60, 2048, 4000, 1515, 9000, 6001};

	return lens[seq % PX_DIM(lens)];
}

/* Send @n frames from port @src (lengths from @len, segments of at most @seg bytes) and receive
 * all of them, content checked, on the other port. */
int vtraffic(struct vpair *p, int src, uint32_t n, len_fn len, uint32_t seg)
{
	uint64_t start = px_get_tsc_cycles(), end = start + px_get_tsc_hz() / 1000 * WAIT_MS;
	uint32_t next_tx = 0, next_rx = 0,
		 in_flight = len == len_jumbo ? IN_FLIGHT_JUMBO : IN_FLIGHT;
	struct px_mbuf *tx[BURST], *rx[BURST];

	while (next_rx < n) {
		uint16_t nb = 0, sent, got;
		int ret = PX_TEST_OK;

		PX_TEST_ASSERT(px_get_tsc_cycles() < end, "sent %u, received %u of %u in %u ms",
			       next_tx, next_rx, n, WAIT_MS);
		while (nb < BURST / 4 && next_tx + nb < n && next_tx + nb - next_rx < in_flight &&
		       (tx[nb] = vframe_make(p, src, next_tx + nb, len(next_tx + nb), seg)))
			nb++;
		sent = px_eth_tx_burst(p->port[src], 0, tx, nb);
		px_pktmbuf_free_bulk(tx + sent, nb - sent);
		next_tx += sent;
		got = px_eth_rx_burst(p->port[!src], 0, rx, BURST);
		for (uint16_t i = 0; i < got; i++) {
			if (ret == PX_TEST_OK)
				ret = vframe_check(p, src, rx[i], next_rx, len(next_rx));
			next_rx++;
		}
		px_pktmbuf_free_bulk(rx, got);
		if (ret != PX_TEST_OK) {
			px_eth_dev_dump(stdout, p->port[src]);
			px_eth_dev_dump(stdout, p->port[!src]);
			return ret;
		}
	}
	printf("port %u -> %u: %u frames in %.1f ms\n", p->port[src], p->port[!src], n,
	       (double)(px_get_tsc_cycles() - start) * 1e3 / (double)px_get_tsc_hz());
	return PX_TEST_OK;
}

static uint64_t xstat(uint16_t port, const char *name)
{
	uint64_t v = UINT64_MAX;

	px_eth_xstats_get_by_name(port, name, &v);
	return v;
}

/* Counters after @n frames from @src: packets and bytes on both sides, and the driver's own
 * figures: descriptors and notifies per packet, each burst either notified or suppressed. */
static int vstats_check(struct vpair *p, int src, uint32_t n, len_fn len)
{
	static const char *const dirs[] = {"rx", "tx"};
	struct px_eth_stats tx, rx;
	uint64_t bytes = 0;

	for (uint32_t seq = 0; seq < n; seq++)
		bytes += len(seq);
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p->port[src], &tx), 0, "stats");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p->port[!src], &rx), 0, "stats");
	PX_TEST_ASSERT_EQ(tx.opackets, n, "sent packets");
	PX_TEST_ASSERT_EQ(rx.ipackets, n, "received packets");
	PX_TEST_ASSERT_EQ(tx.obytes, bytes, "sent bytes");
	PX_TEST_ASSERT_EQ(rx.ibytes, bytes, "received bytes");
	PX_TEST_ASSERT_EQ(rx.ierrors + rx.rx_nombuf + tx.oerrors, 0, "no errors");
	PX_TEST_ASSERT_EQ(xstat(p->port[src], "tx_q0_packets"), n, "per-queue xstat");
	for (int d = 0; d < 2; d++) {
		uint16_t port = p->port[d == 0 ? !src : src];
		char name[4][64];
		uint64_t v[4];
		static const char *const what[] = {"desc_avail", "notifies", "notifies_suppressed",
						   "avail_bursts"};

		for (int k = 0; k < 4; k++) {
			snprintf(name[k], sizeof(name[k]), "%s_q0_%s", dirs[d], what[k]);
			v[k] = xstat(port, name[k]);
			PX_TEST_ASSERT(v[k] != UINT64_MAX, "xstat %s", name[k]);
		}
		PX_TEST_ASSERT_EQ(v[1] + v[2], v[3], "%s: every burst notified or suppressed",
				  dirs[d]);
		PX_TEST_ASSERT(v[1] <= v[3], "%s: at most one notify per burst", dirs[d]);
		if (d == 1)
			PX_TEST_ASSERT(v[0] >= n, "tx: a descriptor per packet at least");
		printf("port %u %s: %u packets, %.3f descriptors/packet, %.3f notifies/packet, "
		       "%" PRIu64 " of %" PRIu64 " bursts notified\n",
		       port, dirs[d], n, (double)v[0] / n, (double)v[1] / n, v[1], v[3]);
	}
	return PX_TEST_OK;
}

static int test_virtio_txrx(void)
{
	struct vpair p;
	int ret = vpair_up(&p);

	if (ret != PX_TEST_OK)
		return ret;
	for (int src = 0; src < 2; src++) {
		PX_TEST_ASSERT_EQ(px_eth_stats_reset(p.port[0]), 0, "stats reset");
		PX_TEST_ASSERT_EQ(px_eth_stats_reset(p.port[1]), 0, "stats reset");
		/* single segments one way, chains of up to 3 segments the other */
		if (vtraffic(&p, src, 1000, len_small, src ? 600 : 2048) != PX_TEST_OK ||
		    vstats_check(&p, src, 1000, len_small) != PX_TEST_OK)
			return PX_TEST_FAILED;
	}
	return vpair_close(&p);
}
PX_TEST(virtio_txrx_autotest, PX_TEST_F_LAB, test_virtio_txrx)

/* Start and stop (each a device reset) many times: no mbuf leaks, traffic after; then
 * px_eth_dev_reset() with frames in flight, and traffic again. */
static int test_virtio_stopstart(void)
{
	struct px_eth_conf conf;
	struct vpair p;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = vpair_open(&p, &conf);
	if (ret != PX_TEST_OK)
		return ret;
	for (int i = 0; i < 50; i++) {
		for (int k = 0; k < 2; k++)
			PX_TEST_ASSERT(px_eth_dev_start(p.port[k]) == 0 &&
					       px_eth_dev_stop(p.port[k]) == 0,
				       "start/stop %d of port %u", i, p.port[k]);
		PX_TEST_ASSERT_EQ(px_mempool_avail_count(p.mp), p.avail_idle, "leak at cycle %d",
				  i);
	}
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (int src = 0; src < 2; src++)
		if (vtraffic(&p, src, 300, len_small, 2048) != PX_TEST_OK)
			return PX_TEST_FAILED;
	/* px_eth_dev_reset() with frames in flight: stops, resets, keeps the configuration;
	 * started again the port carries traffic and no mbuf is lost */
	for (int i = 0; i < 8; i++) {
		struct px_mbuf *m = vframe_make(&p, 0, (uint32_t)i, 1000, 2048);

		PX_TEST_ASSERT(m != NULL && px_eth_tx_burst(p.port[0], 0, &m, 1) == 1, "tx");
	}
	for (int k = 0; k < 2; k++)
		PX_TEST_ASSERT_EQ(px_eth_dev_reset(p.port[k]), 0, "reset of port %u", p.port[k]);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(p.mp), p.avail_idle, "mbufs back after reset");
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (int src = 0; src < 2; src++)
		if (vtraffic(&p, src, 300, len_small, 2048) != PX_TEST_OK)
			return PX_TEST_FAILED;
	return vpair_close(&p);
}
PX_TEST(virtio_stopstart_autotest, PX_TEST_F_LAB, test_virtio_stopstart)

/* Jumbo frames up to 9014 bytes (MTU 9000): sent as chains of 1800-byte segments, received
 * through mergeable buffers (VIRTIO_NET_F_MRG_RXBUF) as chains of 2 KiB mbufs; without
 * PX_ETH_RX_OFFLOAD_SCATTER the start is refused. */
static int test_virtio_jumbo(void)
{
	struct px_eth_conf conf;
	struct vpair p;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = JUMBO_MTU;
	ret = vpair_open(&p, &conf);
	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p.port[0]), -EINVAL, "MTU 9000 without SCATTER");
	px_eth_dev_stop(p.port[0]);
	conf.rxmode.offloads = PX_ETH_RX_OFFLOAD_SCATTER;
	conf.txmode.offloads = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	for (int i = 0; i < 2; i++)
		PX_TEST_ASSERT_EQ(vport_setup(&p, i, &conf), 0, "setup with SCATTER");
	p.avail_idle = px_mempool_avail_count(p.mp);
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (int src = 0; src < 2; src++) {
		PX_TEST_ASSERT_EQ(px_eth_stats_reset(p.port[0]), 0, "stats reset");
		PX_TEST_ASSERT_EQ(px_eth_stats_reset(p.port[1]), 0, "stats reset");
		if (vtraffic(&p, src, 140, len_jumbo, 1800) != PX_TEST_OK ||
		    vstats_check(&p, src, 140, len_jumbo) != PX_TEST_OK)
			return PX_TEST_FAILED;
	}
	return vpair_close(&p);
}
PX_TEST(virtio_jumbo_autotest, PX_TEST_F_LAB, test_virtio_jumbo)

/* Send one 60-byte frame from port 0 to @dst; @return the frames port 1 got within 200 ms. */
int vframe_to(struct vpair *p, const uint8_t dst[6])
{
	struct px_mbuf *m = vframe_make(p, 0, 7, 60, 2048), *rx[BURST];
	int got = 0;

	if (m == NULL)
		return -1;
	memcpy(px_pktmbuf_mtod(m, uint8_t *), dst, 6);
	if (px_eth_tx_burst(p->port[0], 0, &m, 1) != 1) {
		px_pktmbuf_free(m);
		return -1;
	}
	for (int i = 0; i < 20; i++) {
		uint16_t n;

		usleep(10 * 1000);
		n = px_eth_rx_burst(p->port[1], 0, rx, BURST);
		px_pktmbuf_free_bulk(rx, n);
		got += n;
	}
	return got;
}

/* The control queue: QEMU's device starts promiscuous, the port does not, so start turns it
 * off; then a frame to a foreign unicast address arrives only in promiscuous mode, one to a
 * multicast group only in all-multicast (or promiscuous) mode, one to the port always. */
static int test_virtio_promisc(void)
{
	static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	uint8_t foreign[6];
	struct vpair p;
	int ret = vpair_up(&p);

	if (ret != PX_TEST_OK)
		return ret;
	memcpy(foreign, &p.mac[1], 6);
	foreign[5] ^= 0x55;
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_get(p.port[1]), 0, "not promiscuous after start");
	PX_TEST_ASSERT_EQ(vframe_to(&p, p.mac[1].addr_bytes), 1, "frame to the port");
	PX_TEST_ASSERT_EQ(vframe_to(&p, foreign), 0, "foreign frame, promiscuous off");
	PX_TEST_ASSERT_EQ(vframe_to(&p, mcast), 0, "multicast frame, all-multicast off");
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(p.port[1]), 0, "promiscuous on");
	PX_TEST_ASSERT_EQ(vframe_to(&p, foreign), 1, "foreign frame, promiscuous on");
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_disable(p.port[1]), 0, "promiscuous off");
	PX_TEST_ASSERT_EQ(vframe_to(&p, foreign), 0, "foreign frame, promiscuous off again");
	PX_TEST_ASSERT_EQ(px_eth_allmulticast_enable(p.port[1]), 0, "all-multicast on");
	PX_TEST_ASSERT_EQ(vframe_to(&p, mcast), 1, "multicast frame, all-multicast on");
	PX_TEST_ASSERT_EQ(vframe_to(&p, foreign), 0, "foreign frame, all-multicast on");
	PX_TEST_ASSERT_EQ(px_eth_allmulticast_disable(p.port[1]), 0, "all-multicast off");
	PX_TEST_ASSERT_EQ(vframe_to(&p, mcast), 0, "multicast frame, all-multicast off again");
	/* the mode survives a stop and start (start applies it) */
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(p.port[1]), 0, "promiscuous on");
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(p.port[1]), 0, "stop");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p.port[1]), 0, "start");
	PX_TEST_ASSERT_EQ(vframe_to(&p, foreign), 1, "foreign frame after restart, promiscuous");
	return vpair_close(&p);
}
PX_TEST(virtio_promisc_autotest, PX_TEST_F_LAB, test_virtio_promisc)

/* A device that does not offer VIRTIO_F_ACCESS_PLATFORM (QEMU without iommu_platform=on) would
 * DMA around the IOMMU: behind one, the probe must refuse it, naming the feature and the fix.
 * PX_VIRTIO_REFUSE names such a device (the lab's virtio-noplatform NIC). */
static int test_virtio_access_platform(void)
{
	const char *addr = getenv("PX_VIRTIO_REFUSE");
	const char *log;
	char args[128];
	int ret;

	if (addr == NULL)
		PX_TEST_SKIP("PX_VIRTIO_REFUSE (a virtio device without iommu_platform=on on "
			     "vfio-pci) is not set: the lab's virtio-noplatform NIC");
	snprintf(args, sizeof(args), "-l 0 -m 64 -a %s", addr);
	px_test_log_capture_start();
	ret = px_test_eal_init(args);
	log = px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(ret, -ENOTSUP, "EAL init with the device: the probe refuses it");
	PX_TEST_ASSERT(strstr(log, "VIRTIO_F_ACCESS_PLATFORM") != NULL &&
			       strstr(log, "iommu_platform=on") != NULL,
		       "the message names the feature and the fix: %s", log);
	return PX_TEST_OK;
}
PX_TEST(virtio_access_platform_autotest, PX_TEST_F_LAB, test_virtio_access_platform)

/* The control queue's MAC filters: an extra unicast address (MAC_TABLE_SET) is received while
 * it is in the table; a new port address (MAC_ADDR_SET) replaces the old one; both survive a
 * stop and start. */
static int test_virtio_mac_filter(void)
{
	struct px_ether_addr extra, own, other = {{0x02, 0x00, 0x00, 0x00, 0x11, 0x22}};
	struct vpair p;
	int ret = vpair_up(&p);

	if (ret != PX_TEST_OK)
		return ret;
	own = p.mac[1];
	extra = own;
	extra.addr_bytes[5] ^= 0x55;
	PX_TEST_ASSERT_EQ(vframe_to(&p, extra.addr_bytes), 0, "extra address, not in the table");
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_add(p.port[1], &extra), 0, "add");
	PX_TEST_ASSERT_EQ(vframe_to(&p, extra.addr_bytes), 1, "extra address in the table");
	PX_TEST_ASSERT_EQ(vframe_to(&p, own.addr_bytes), 1, "own address still");
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(p.port[1]), 0, "stop");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p.port[1]), 0, "start");
	PX_TEST_ASSERT_EQ(vframe_to(&p, extra.addr_bytes), 1, "extra address after restart");
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_remove(p.port[1], &extra), 0, "remove");
	PX_TEST_ASSERT_EQ(vframe_to(&p, extra.addr_bytes), 0, "extra address removed");
	PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p.port[1], &other), 0, "new address");
	PX_TEST_ASSERT_EQ(vframe_to(&p, other.addr_bytes), 1, "frame to the new address");
	PX_TEST_ASSERT_EQ(vframe_to(&p, own.addr_bytes), 0, "frame to the old address");
	PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p.port[1], &own), 0, "old address");
	PX_TEST_ASSERT_EQ(vframe_to(&p, own.addr_bytes), 1, "frame to the old address again");
	return vpair_close(&p);
}
PX_TEST(virtio_mac_filter_autotest, PX_TEST_F_LAB, test_virtio_mac_filter)

/* Port 1's RX interrupt must fire within @ms (@expect 1) or stay quiet (0). */
static int vintr_expect(int epfd, int expect, int ms)
{
	uint64_t data = 0;
	int n = px_eth_dev_rx_intr_wait(epfd, &data, 1, ms);

	PX_TEST_ASSERT_EQ(n, expect, "RX interrupts within %d ms", ms);
	if (n == 1)
		PX_TEST_ASSERT_EQ(data, 42, "epoll data");
	return PX_TEST_OK;
}

/* Send frame 7 (60 bytes) from port 0. */
static int vsend_one(struct vpair *p)
{
	struct px_mbuf *m = vframe_make(p, 0, 7, 60, 2048);

	PX_TEST_ASSERT(m != NULL, "mbuf");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p->port[0], 0, &m, 1), 1, "tx");
	return PX_TEST_OK;
}

static int vrecv_one(struct vpair *p)
{
	struct px_mbuf *rx[BURST];
	uint16_t n = px_eth_rx_burst(p->port[1], 0, rx, BURST);
	int ret;

	PX_TEST_ASSERT_EQ(n, 1, "the frame that raised the interrupt");
	ret = vframe_check(p, 0, rx[0], 7, 60);
	px_pktmbuf_free(rx[0]);
	return ret;
}

/* Sleep on port 1's RX interrupt (MSI-X vector 0 through VFIO): it fires for a frame, stays
 * quiet without one, and a frame that arrived while it was off wakes the next enable at once. */
static int test_virtio_rx_intr(void)
{
	struct px_eth_conf conf;
	struct vpair p;
	int ret, epfd;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	ret = vpair_open(&p, &conf);
	if (ret != PX_TEST_OK)
		return ret;
	if (vpair_start(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	PX_TEST_ASSERT(epfd >= 0, "epoll");
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_epoll_add(epfd, p.port[1], 0, 42), 0, "epoll add");
	for (int i = 0; i < 3; i++) {
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_enable(p.port[1], 0), 0, "enable");
		if (vintr_expect(epfd, 0, 300) || vsend_one(&p) || vintr_expect(epfd, 1, WAIT_MS))
			return PX_TEST_FAILED;
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_disable(p.port[1], 0), 0, "disable");
		if (vrecv_one(&p) != PX_TEST_OK)
			return PX_TEST_FAILED;
	}
	/* a frame lands while the interrupt is off: enabling must wake at once */
	if (vsend_one(&p) || vintr_expect(epfd, 0, 300))
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_enable(p.port[1], 0), 0, "enable");
	if (vintr_expect(epfd, 1, WAIT_MS) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_disable(p.port[1], 0), 0, "disable");
	if (vrecv_one(&p) != PX_TEST_OK)
		return PX_TEST_FAILED;
	close(epfd);
	return vpair_close(&p);
}
PX_TEST(virtio_rx_intr_autotest, PX_TEST_F_LAB, test_virtio_rx_intr)

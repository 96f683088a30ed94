/* SPDX-License-Identifier: BSD-3-Clause */
/* net_af_packet through ethdev on a veth pair (va <-> vb) in a network namespace of the test's
 * own (needs root and iproute2's `ip`, else skipped): the per-queue xstats and the fanout's
 * spreading of flows over two queues; the kernel's PACKET_STATISTICS drops as imissed when the
 * ring overruns; the control ops (promiscuous, all-multicast, MTU, MAC, link up/down) as the
 * kernel shows them in /sys/class/net/va. px-fwd's tests are tests/fwd/af_packet.sh. */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_ether.h>
#include <px_mbuf.h>
#include <px_vdev.h>
#include "pmd_kernel_peer.h"
#include "px_test.h"

#define AFP_POOL 1023

/* A network namespace of our own with the veth pair va <-> vb, both up; EAL up; a pool; and
 * net_af_packet0 on va with @devargs after iface=va. @return 0, 77 or 1. */
static int afp_setup(const char *devargs, uint16_t *port, struct px_mempool **mp)
{
	char args[128];
	int ret = pmd_netns();

	if (ret < 0)
		PX_TEST_SKIP("cannot make a network namespace (needs root): %s", strerror(-ret));
	if (system("ip link add va type veth peer name vb && ip link set va up && "
		   "ip link set vb up") != 0)
		PX_TEST_SKIP("cannot make a veth pair (needs iproute2's ip and the veth module)");
	snprintf(args, sizeof(args), "iface=va%s", devargs);
	ret = pmd_probe("net_af_packet0", args, port);
	if (ret != 0)
		return ret;
	*mp = px_pktmbuf_pool_create("afp_pool", AFP_POOL, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(*mp != NULL, "pool");
	return 0;
}

/* Close the port, every mbuf back in the pool, EAL down. */
static int afp_teardown(uint16_t p, struct px_mempool *mp)
{
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), AFP_POOL, "every mbuf back in the pool");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}

/* A frame larger than a TX frame of the ring (framesz 2048): two mbufs of 1500 bytes. */
static int afp_send_oversized(uint16_t p, struct px_mempool *mp)
{
	struct px_mbuf *a = px_pktmbuf_alloc(mp), *b = px_pktmbuf_alloc(mp);

	PX_TEST_ASSERT(a != NULL && b != NULL, "mbufs");
	PX_TEST_ASSERT(px_pktmbuf_append(a, 1500) && px_pktmbuf_append(b, 1500), "append");
	PX_TEST_ASSERT_EQ(px_pktmbuf_chain(a, b), 0, "chain");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, &a, 1), 1, "consumed (and dropped)");
	return 0;
}

static int afp_check_names(uint16_t p)
{
	static const char *const want[] = {
		"rx_q0_packets", "rx_q1_bytes",    "rx_q1_errors",          "tx_q0_packets",
		"tx_q1_errors",  "rx_q0_tp_drops", "rx_q1_tp_freeze_q_cnt",
	};

	/* 8 basic, 2 x 3 per RX queue, 2 x 3 per TX queue, 2 x 2 of PACKET_STATISTICS */
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_names(p, NULL, 0), 8 + 6 + 6 + 4, "xstats");
	for (size_t i = 0; i < PX_DIM(want); i++)
		PX_TEST_ASSERT(pmd_xstat(p, want[i]) != UINT64_MAX, "an xstat named %s", want[i]);
	return 0;
}

/* qpairs=2: frames of 16 flows from the kernel arrive on both queues (PACKET_FANOUT_HASH), and
 * each queue's xstats say how many and how large; TX counts per queue, an oversized frame as
 * an error; a reset clears them all. */
static int test_pmd_af_packet_xstats(void)
{
	const unsigned int n = 512;
	struct px_mempool *mp;
	uint16_t p;
	int ret = afp_setup(",qpairs=2", &p, &mp);

	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(pmd_port_start(p, 2, NULL, mp), 0, "start with 2 queue pairs");
	ret = afp_check_names(p);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(pmd_kernel_send("vb", n, 100), n, "the kernel sent");
	ret = pmd_check_queue_xstats(p, n, mp);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_tp_drops") + pmd_xstat(p, "rx_q1_tp_drops"), 0,
			  "nothing dropped");
	ret = afp_send_oversized(p, mp);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_errors"), 1, "tx_q0_errors: the oversized frame");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_errors"), 1, "tx_errors");

	PX_TEST_ASSERT_EQ(px_eth_xstats_reset(p), 0, "reset");
	PX_TEST_ASSERT_EQ(pmd_xstats_all_zero(p), 0, "every xstat 0 after the reset");
	return afp_teardown(p, mp);
}
PX_TEST(pmd_af_packet_xstats_autotest, PX_TEST_F_FAST, test_pmd_af_packet_xstats)

/* A ring of 2 blocks (framecnt=4 of 2048 bytes) that nobody reads: the kernel drops what does
 * not fit and counts it in PACKET_STATISTICS, which the port reports as imissed and as
 * rx_q0_tp_drops; what it kept is then received. Every frame sent is one or the other. */
static int test_pmd_af_packet_drops(void)
{
	const unsigned int n = 300;
	uint64_t got[1] = {0}, bytes[1] = {0};
	struct px_eth_stats st;
	struct px_mempool *mp;
	uint64_t freezes;
	uint16_t p;
	int ret = afp_setup(",framecnt=4", &p, &mp);

	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(pmd_port_start(p, 1, NULL, mp), 0, "start");
	PX_TEST_ASSERT_EQ(pmd_kernel_send("vb", n, 1000), n, "the kernel sent");
	usleep(100 * 1000); /* the kernel's receive path runs after send() returns */
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p, &st), 0, "stats");
	freezes = pmd_xstat(p, "rx_q0_tp_freeze_q_cnt");
	printf("ring overrun: imissed %" PRIu64 ", freeze count %" PRIu64 "\n", st.imissed,
	       freezes);
	PX_TEST_ASSERT(st.imissed > 0 && st.imissed < n, "imissed %" PRIu64 " of %u", st.imissed,
		       n);
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_tp_drops"), st.imissed, "rx_q0_tp_drops = imissed");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_missed_errors"), st.imissed, "rx_missed_errors");
	PX_TEST_ASSERT(freezes > 0 && freezes != UINT64_MAX, "the ring froze");
	PX_TEST_ASSERT_EQ(pmd_receive(p, 1, n - (unsigned int)st.imissed, got, bytes),
			  n - st.imissed, "what the ring kept is received");
	PX_TEST_ASSERT_EQ(pmd_receive(p, 1, 1, got, bytes), 0, "and nothing more");
	PX_TEST_ASSERT_EQ(px_eth_stats_reset(p), 0, "reset");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p, &st), 0, "stats");
	PX_TEST_ASSERT_EQ(st.imissed, 0, "imissed after the reset");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_tp_freeze_q_cnt"), 0, "freeze count after the reset");
	return afp_teardown(p, mp);
}
PX_TEST(pmd_af_packet_drops_autotest, PX_TEST_F_FAST, test_pmd_af_packet_drops)

/* /sys/class/net/va/@attr as a number (base 0: flags are hex) or, with @text, its text. */
static long afp_sys(const char *attr, char *text, size_t size)
{
	char path[64], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/va/%s", attr);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (text != NULL)
		snprintf(text, size, "%s", buf);
	return strtol(buf, NULL, 0);
}

static int afp_check_flags(uint16_t p)
{
	PX_TEST_ASSERT(afp_sys("flags", NULL, 0) >= 0, "/sys/class/net/va/flags");
	PX_TEST_ASSERT(!(afp_sys("flags", NULL, 0) & (IFF_PROMISC | IFF_ALLMULTI)),
		       "va is neither promiscuous nor all-multicast before");
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(p), 0, "promiscuous on");
	PX_TEST_ASSERT(afp_sys("flags", NULL, 0) & IFF_PROMISC, "va is promiscuous");
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_disable(p), 0, "promiscuous off");
	PX_TEST_ASSERT(!(afp_sys("flags", NULL, 0) & IFF_PROMISC), "va is not promiscuous");
	PX_TEST_ASSERT_EQ(px_eth_allmulticast_enable(p), 0, "all-multicast on");
	PX_TEST_ASSERT(afp_sys("flags", NULL, 0) & IFF_ALLMULTI, "va takes all multicast");
	PX_TEST_ASSERT_EQ(px_eth_allmulticast_disable(p), 0, "all-multicast off");
	PX_TEST_ASSERT(!(afp_sys("flags", NULL, 0) & IFF_ALLMULTI), "va takes no more");
	return 0;
}

/* @return true once port @p sees its link down, within 2 s (the kernel's operstate follows
 * a carrier change asynchronously, through its linkwatch work) */
static bool afp_link_down_wait(uint16_t p)
{
	struct px_eth_link link;

	for (int i = 0; i < 200; i++) {
		if (px_eth_link_get_nowait(p, &link) == 0 && link.link_status == 0)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

static int afp_check_link(uint16_t p)
{
	struct px_eth_link link;

	PX_TEST_ASSERT_EQ(px_eth_link_wait(p, 2000, &link), 0, "link up (va and vb are up)");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_link_down(p), 0, "link down");
	PX_TEST_ASSERT(!(afp_sys("flags", NULL, 0) & IFF_UP), "va is down");
	PX_TEST_ASSERT_EQ(px_eth_link_get_nowait(p, &link), 0, "link");
	PX_TEST_ASSERT_EQ(link.link_status, 0, "the port sees its link down");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_link_up(p), 0, "link up");
	PX_TEST_ASSERT(afp_sys("flags", NULL, 0) & IFF_UP, "va is up");
	PX_TEST_ASSERT_EQ(px_eth_link_wait(p, 2000, &link), 0, "the port sees its link up");
	/* the kernel's side: the peer down takes the carrier away */
	PX_TEST_ASSERT_EQ(system("ip link set vb down"), 0, "vb down");
	PX_TEST_ASSERT(afp_link_down_wait(p), "no carrier with vb down");
	PX_TEST_ASSERT_EQ(system("ip link set vb up"), 0, "vb up");
	PX_TEST_ASSERT_EQ(px_eth_link_wait(p, 2000, &link), 0, "up again with vb");
	return 0;
}

static int afp_check_mtu_mac(uint16_t p)
{
	const struct px_ether_addr mac = {{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
	struct px_ether_addr got;
	char text[32];
	uint16_t mtu;

	PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 1400), 0, "MTU 1400");
	PX_TEST_ASSERT_EQ(afp_sys("mtu", NULL, 0), 1400, "va's MTU");
	PX_TEST_ASSERT(px_eth_dev_get_mtu(p, &mtu) == 0 && mtu == 1400, "the port's MTU");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 3000), -EINVAL, "MTU 3000 does not fit framesz");
	PX_TEST_ASSERT_EQ(afp_sys("mtu", NULL, 0), 1400, "va's MTU unchanged");
	PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p, &mac), 0, "MAC address");
	afp_sys("address", text, sizeof(text));
	PX_TEST_ASSERT(strcmp(text, "02:11:22:33:44:55") == 0, "va's address is %s", text);
	PX_TEST_ASSERT(px_eth_macaddr_get(p, &got) == 0 && memcmp(&got, &mac, sizeof(mac)) == 0,
		       "the port's address");
	return 0;
}

/* The control ops reach the kernel's interface: what /sys/class/net/va shows follows them. */
static int test_pmd_af_packet_ctrl(void)
{
	struct px_mempool *mp;
	uint16_t p;
	int ret = afp_setup("", &p, &mp);

	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(pmd_port_start(p, 1, NULL, mp), 0, "start");
	ret = afp_check_flags(p);
	if (ret == 0)
		ret = afp_check_link(p);
	if (ret == 0)
		ret = afp_check_mtu_mac(p);
	if (ret != 0)
		return ret;
	return afp_teardown(p, mp);
}
PX_TEST(pmd_af_packet_ctrl_autotest, PX_TEST_F_FAST, test_pmd_af_packet_ctrl)

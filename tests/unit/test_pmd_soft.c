/* SPDX-License-Identifier: BSD-3-Clause */
/* The software PMDs through ethdev: net_null (size, copy, no-rx) and net_ring (loopback, pairs,
 * caller rings), and their bad arguments. */
#include <px_eal.h>
#include <px_eth_ring.h>
#include <px_ethdev.h>
#include <px_mbuf.h>
#include "px_test.h"

static int start_port(uint16_t p, struct px_mempool *mp)
{
	if (px_eth_dev_configure(p, 1, 1, NULL) || px_eth_rx_queue_setup(p, 0, 256, 0, NULL, mp) ||
	    px_eth_tx_queue_setup(p, 0, 256, 0, NULL))
		return -1;
	return px_eth_dev_start(p);
}

static int test_pmd_null(void)
{
	struct px_mbuf *m[32];
	struct px_eth_stats st;
	struct px_eth_dev_info info;
	struct px_mempool *mp;
	uint16_t p0, p1, p2;

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64 --vdev net_null0,size=128 "
					"--vdev net_null1,copy=1 --vdev net_null2,no-rx=1") >= 0,
		       "init");
	PX_TEST_ASSERT_EQ(px_eth_dev_count_avail(), 3, "three ports");
	PX_TEST_ASSERT(px_eth_dev_get_port_by_name("net_null0", &p0) == 0 &&
			       px_eth_dev_get_port_by_name("net_null1", &p1) == 0 &&
			       px_eth_dev_get_port_by_name("net_null2", &p2) == 0,
		       "names");
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(p0, &info), 0, "info");
	PX_TEST_ASSERT(strcmp(info.driver_name, "net_null") == 0, "driver name");
	mp = px_pktmbuf_pool_create("null_pool", 1023, 32, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	for (uint16_t p = 0; p < 3; p++)
		PX_TEST_ASSERT_EQ(start_port(p, mp), 0, "start %u", p);
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p0, 0, m, 32), 32, "null rx");
	PX_TEST_ASSERT(m[0]->pkt_len == 128 && m[0]->data_len == 128 && m[0]->port == p0,
		       "size=128 and port set");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p1, 0, m, 32), 32, "null tx takes all");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p1, 0, m, 16), 16, "copy=1 rx");
	PX_TEST_ASSERT_EQ(m[0]->pkt_len, 64, "default size");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p0, 0, m, 16), 16, "tx");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p2, 0, m, 32), 0, "no-rx=1");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p0, &st), 0, "stats");
	PX_TEST_ASSERT(st.ipackets == 32 && st.ibytes == 32 * 128 && st.opackets == 16 &&
			       st.obytes == 16 * 64,
		       "counters");
	PX_TEST_ASSERT(st.q_ipackets[0] == 32 && st.q_ibytes[0] == 32 * 128 &&
			       st.q_opackets[0] == 16 && st.q_obytes[0] == 16 * 64,
		       "queue 0 counters");
	PX_TEST_ASSERT_EQ(px_eth_stats_reset(p0), 0, "reset");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p0, &st), 0, "stats");
	PX_TEST_ASSERT(st.ipackets == 0 && st.ibytes == 0 && st.opackets == 0 && st.obytes == 0,
		       "0 after a reset");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p0, 0, m, 8), 8, "rx after the reset");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p0, 0, m, 8), 8, "tx after the reset");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p0, &st), 0, "stats");
	PX_TEST_ASSERT(st.ipackets == 8 && st.ibytes == 8 * 128 && st.opackets == 8 &&
			       st.obytes == 8 * 128,
		       "counting again after a reset");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 1023, "every mbuf back in the pool");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p0, 1, m, 32), 0, "queue 1 does not exist");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p0, 17, 1, NULL), -EBUSY, "started");
	px_eth_dev_stop(p0);
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p0, 17, 1, NULL), -EINVAL, "16 queues at most");
	for (uint16_t p = 0; p < 3; p++)
		px_eth_dev_close(p);
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_null_autotest, PX_TEST_F_FAST, test_pmd_null)

static int test_pmd_ring(void)
{
	struct px_mbuf *m[8], *r[8];
	struct px_eth_stats st;
	struct px_mempool *mp;
	struct px_ring *rings[2];
	uint16_t a, b, c;
	int p;

	PX_TEST_ASSERT(
		px_test_eal_init("-l 0 --no-huge --no-pci -m 64 --vdev net_ring0 --vdev net_ring1 "
				 "--vdev net_ring2,peer=net_ring1") >= 0,
		"init");
	mp = px_pktmbuf_pool_create("ring_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	PX_TEST_ASSERT(px_eth_dev_get_port_by_name("net_ring0", &a) == 0 &&
			       px_eth_dev_get_port_by_name("net_ring1", &b) == 0 &&
			       px_eth_dev_get_port_by_name("net_ring2", &c) == 0,
		       "names");
	for (uint16_t i = 0; i < 3; i++)
		PX_TEST_ASSERT_EQ(start_port(i, mp), 0, "start %u", i);
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, m, 8), 0, "alloc");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(a, 0, m, 8), 8, "loopback tx");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(a, 0, r, 8), 8, "loopback rx");
	PX_TEST_ASSERT(memcmp(m, r, sizeof(m)) == 0, "the same mbufs, in order");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(a, &st), 0, "stats");
	PX_TEST_ASSERT(st.ipackets == 8 && st.opackets == 8 && st.q_ipackets[0] == 8 &&
			       st.oerrors == 0,
		       "loopback counters");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(b, 0, r, 8), 8, "pair tx");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(b, 0, m, 8), 0, "not back on the sender");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(c, 0, m, 8), 8, "on the peer");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(c, 0, m, 8), 8, "and back");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(b, 0, r, 8), 8, "received");
	px_pktmbuf_free_bulk(r, 8);

	rings[0] = px_ring_create("t_rx", 16, 0, PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	rings[1] = px_ring_create("t_tx", 16, 0, PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	PX_TEST_ASSERT(rings[0] && rings[1], "rings");
	p = px_eth_from_rings("mine", &rings[0], 1, &rings[1], 1, 0);
	PX_TEST_ASSERT(p >= 0, "from rings: %d", p);
	PX_TEST_ASSERT_EQ(px_eth_from_rings("mine", &rings[0], 1, &rings[1], 1, 0), -EEXIST, "dup");
	PX_TEST_ASSERT_EQ(px_eth_from_rings("x", NULL, 1, &rings[1], 1, 0), -EINVAL, "NULL rings");
	PX_TEST_ASSERT_EQ(px_eth_from_rings("x", &rings[0], 0, &rings[1], 1, 0), -EINVAL,
			  "0 queues");
	PX_TEST_ASSERT_EQ(start_port((uint16_t)p, mp), 0, "start");
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, m, 8), 0, "alloc");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst((uint16_t)p, 0, m, 8), 8, "tx into the caller's ring");
	PX_TEST_ASSERT_EQ(px_ring_count(rings[1]), 8, "in the TX ring");
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, r, 8), 0, "alloc");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst((uint16_t)p, 0, r, 8), 7, "the ring holds 15");
	px_pktmbuf_free(r[7]);
	PX_TEST_ASSERT_EQ(px_eth_stats_get((uint16_t)p, &st), 0, "stats");
	PX_TEST_ASSERT(st.opackets == 15 && st.q_opackets[0] == 15 && st.oerrors == 1 &&
			       st.q_oerrors[0] == 1 && st.ipackets == 0,
		       "15 sent, 1 refused");
	PX_TEST_ASSERT_EQ(px_eth_stats_reset((uint16_t)p), 0, "reset");
	PX_TEST_ASSERT_EQ(px_eth_stats_get((uint16_t)p, &st), 0, "stats");
	PX_TEST_ASSERT(st.opackets == 0 && st.oerrors == 0, "0 after a reset");
	px_eth_dev_close((uint16_t)p);
	PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_burst(rings[1], (void **)m, 8, NULL), 8, "still ours");
	px_pktmbuf_free_bulk(m, 8);
	PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_burst(rings[1], (void **)r, 8, NULL), 7, "all 15");
	px_pktmbuf_free_bulk(r, 7);
	px_ring_free(rings[0]);
	px_ring_free(rings[1]);
	for (uint16_t i = 0; i < 3; i++)
		px_eth_dev_close(i);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 255, "every mbuf back");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_ring_autotest, PX_TEST_F_FAST, test_pmd_ring)

static int test_pmd_soft_bad_args(void)
{
	static const char *const bad[][2] = {
		{"--vdev net_null0,size=abc", "size=abc"},
		{"--vdev net_null0,size=9", "size=9"},
		{"--vdev net_null0,copy=2", "copy=2"},
		{"--vdev net_null0,speed=10", "size=<int> copy=<0|1> no-rx=<0|1>"},
		{"--vdev net_ring0,peer=net_ring9", "peer=net_ring9"},
		{"--vdev net_ring0,queues=0", "queues=0"},
		{"--vdev net_ring0 --vdev net_ring0", "net_ring0"},
		{"--vdev net_bogus0", "net_bogus0"},
	};

	for (size_t i = 0; i < PX_DIM(bad); i++) {
		char line[160];
		const char *log;
		int ret;

		snprintf(line, sizeof(line), "-l 0 --no-huge --no-pci -m 64 %s", bad[i][0]);
		px_test_log_capture_start();
		ret = px_test_eal_init(line);
		log = px_test_log_capture_stop();
		PX_TEST_ASSERT(ret < 0, "'%s' accepted", bad[i][0]);
		PX_TEST_ASSERT(!px_eal_initialized(), "'%s': nothing left initialised", bad[i][0]);
		PX_TEST_ASSERT(strstr(log, bad[i][1]) != NULL, "'%s': message lacks '%s': %s",
			       bad[i][0], bad[i][1], log);
		PX_TEST_ASSERT_EQ(px_eth_dev_count_avail(), 0, "'%s': no port left", bad[i][0]);
	}
	return PX_TEST_OK;
}
PX_TEST(pmd_soft_bad_args_autotest, PX_TEST_F_FAST, test_pmd_soft_bad_args)

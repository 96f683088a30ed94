/* SPDX-License-Identifier: BSD-3-Clause */
/* net_pcap through ethdev: multi-segment frames written whole to a file and read back into
 * chains of small mbufs, the counters and per-queue xstats, the end of the file, and infinite_rx.
 * Skipped when net_pcap is not built (no libpcap). px-fwd's end-to-end tests are tests/fwd/pcap.sh.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_mbuf.h>
#include <px_vdev.h>
#include "pmd_kernel_peer.h"
#include "px_test.h"

#define PCAP_SEG 100 /* bytes per segment of a frame sent */
#define PCAP_NSEG 3
#define PCAP_FRAMES 5
#define PCAP_LEN (PCAP_SEG * PCAP_NSEG)
#define PCAP_RX_ROOM 128 /* data room of the receive pool's mbufs: 300 bytes take 3 */

static uint8_t pcap_byte(unsigned int frame, unsigned int i)
{
	return (uint8_t)(i * 7 + frame);
}

static int pcap_start_port(uint16_t p, struct px_mempool *mp)
{
	if (px_eth_dev_configure(p, 1, 1, NULL) || px_eth_rx_queue_setup(p, 0, 256, 0, NULL, mp) ||
	    px_eth_tx_queue_setup(p, 0, 256, 0, NULL))
		return -1;
	return px_eth_dev_start(p);
}

/* Frame @k: PCAP_NSEG segments of PCAP_SEG bytes. */
static struct px_mbuf *pcap_chain(struct px_mempool *mp, unsigned int k)
{
	struct px_mbuf *head = NULL;

	for (unsigned int s = 0; s < PCAP_NSEG; s++) {
		struct px_mbuf *m = px_pktmbuf_alloc(mp);
		uint8_t *d = m ? (uint8_t *)px_pktmbuf_append(m, PCAP_SEG) : NULL;

		if (d == NULL) {
			px_pktmbuf_free(m);
			px_pktmbuf_free(head);
			return NULL;
		}
		for (unsigned int i = 0; i < PCAP_SEG; i++)
			d[i] = pcap_byte(k, s * PCAP_SEG + i);
		if (head == NULL)
			head = m;
		else
			px_pktmbuf_chain(head, m);
	}
	return head;
}

/* @return true when @m holds frame @k, whatever its segments */
static bool pcap_frame_is(const struct px_mbuf *m, unsigned int k)
{
	unsigned int i = 0;

	if (m->pkt_len != PCAP_LEN)
		return false;
	for (const struct px_mbuf *s = m; s != NULL; s = s->next)
		for (unsigned int j = 0; j < s->data_len; j++, i++)
			if (px_pktmbuf_mtod(s, const uint8_t *)[j] != pcap_byte(k, i))
				return false;
	return i == PCAP_LEN;
}

static int pcap_write(const char *path, struct px_mempool *mp)
{
	struct px_mbuf *m[PCAP_FRAMES];
	struct px_eth_stats st;
	char args[128];
	uint16_t p;

	snprintf(args, sizeof(args), "tx_pcap=%s", path);
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pcap0", args), 0, "tx_pcap port");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_pcap0", &p), 0, "its port");
	PX_TEST_ASSERT_EQ(pcap_start_port(p, mp), 0, "start");
	for (unsigned int k = 0; k < PCAP_FRAMES; k++) {
		m[k] = pcap_chain(mp, k);
		PX_TEST_ASSERT(m[k] != NULL && m[k]->nb_segs == PCAP_NSEG, "chain %u", k);
	}
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, m, PCAP_FRAMES), PCAP_FRAMES, "all written");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p, &st), 0, "stats");
	PX_TEST_ASSERT(st.opackets == PCAP_FRAMES && st.obytes == PCAP_FRAMES * PCAP_LEN &&
			       st.q_opackets[0] == PCAP_FRAMES && st.oerrors == 0,
		       "TX counters: %llu frames, %llu bytes", (unsigned long long)st.opackets,
		       (unsigned long long)st.obytes);
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_packets"), PCAP_FRAMES, "xstat tx_q0_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_bytes"), PCAP_FRAMES * PCAP_LEN, "tx_q0_bytes");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_errors"), 0, "tx_q0_errors");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_packets"), 0, "rx_q0_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q1_packets"), UINT64_MAX, "one queue: no rx_q1");
	PX_TEST_ASSERT_EQ(px_eth_xstats_reset(p), 0, "xstats reset");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_packets"), 0, "tx_q0_packets after the reset");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "tx_q0_bytes"), 0, "tx_q0_bytes after the reset");
	px_eth_dev_stop(p);
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	return PX_TEST_OK;
}

/* Read @path back: every frame whole, in order, in chains of small mbufs; then nothing more. */
static int pcap_read(const char *path, struct px_mempool *small)
{
	struct px_mbuf *m[32];
	struct px_eth_stats st;
	char args[128];
	uint16_t p, n;

	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pcap1", args), 0, "rx_pcap port");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_pcap1", &p), 0, "its port");
	PX_TEST_ASSERT_EQ(pcap_start_port(p, small), 0, "start");
	n = px_eth_rx_burst(p, 0, m, 32);
	PX_TEST_ASSERT_EQ(n, PCAP_FRAMES, "every frame read");
	for (unsigned int k = 0; k < n; k++) {
		PX_TEST_ASSERT(m[k]->nb_segs == 3 && m[k]->port == p, "frame %u: %u segments", k,
			       m[k]->nb_segs);
		PX_TEST_ASSERT(pcap_frame_is(m[k], k), "frame %u: content", k);
	}
	px_pktmbuf_free_bulk(m, n);
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, 0, m, 32), 0, "the end of the file");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p, &st), 0, "stats");
	PX_TEST_ASSERT(st.ipackets == PCAP_FRAMES && st.ibytes == PCAP_FRAMES * PCAP_LEN &&
			       st.q_ipackets[0] == PCAP_FRAMES && st.ierrors == 0,
		       "RX counters");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_packets"), PCAP_FRAMES, "xstat rx_q0_packets");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_bytes"), PCAP_FRAMES * PCAP_LEN, "rx_q0_bytes");
	PX_TEST_ASSERT_EQ(pmd_xstat(p, "rx_q0_errors"), 0, "rx_q0_errors");
	px_eth_dev_stop(p);
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	return PX_TEST_OK;
}

/* infinite_rx: the frames come round again, full bursts every time. */
static int pcap_replay(const char *path, struct px_mempool *small)
{
	struct px_mbuf *m[32];
	char args[160];
	unsigned int seen = 0;
	uint16_t p;

	snprintf(args, sizeof(args), "rx_pcap=%s,infinite_rx=1", path);
	PX_TEST_ASSERT_EQ(px_vdev_init("net_pcap2", args), 0, "infinite_rx port");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_pcap2", &p), 0, "its port");
	PX_TEST_ASSERT_EQ(pcap_start_port(p, small), 0, "start");
	for (int b = 0; b < 4; b++) {
		uint16_t n = px_eth_rx_burst(p, 0, m, 32);

		PX_TEST_ASSERT_EQ(n, 32, "burst %d full", b);
		for (uint16_t i = 0; i < n; i++, seen++)
			PX_TEST_ASSERT(pcap_frame_is(m[i], seen % PCAP_FRAMES), "frame %u", seen);
		px_pktmbuf_free_bulk(m, n);
	}
	px_eth_dev_stop(p);
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	return PX_TEST_OK;
}

static int test_pmd_pcap(void)
{
	char path[] = "/tmp/px-test-pcap-XXXXXX";
	struct px_mempool *mp, *small;
	int fd, ret;

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64") >= 0, "init");
	fd = mkstemp(path);
	PX_TEST_ASSERT(fd >= 0, "mkstemp");
	close(fd);
	mp = px_pktmbuf_pool_create("pcap_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	small = px_pktmbuf_pool_create("pcap_small", 1023, 0, 0, PX_PKTMBUF_HEADROOM + PCAP_RX_ROOM,
				       0);
	PX_TEST_ASSERT(mp != NULL && small != NULL, "pools");
	ret = px_vdev_init("net_pcap9", "tx_pcap=/dev/null");
	if (ret == -ENODEV) {
		unlink(path);
		px_eal_cleanup();
		PX_TEST_SKIP("net_pcap is not built (libpcap-dev was missing at configure)");
	}
	PX_TEST_ASSERT_EQ(ret, 0, "a port writing to /dev/null");
	ret = pcap_write(path, mp);
	if (ret == PX_TEST_OK)
		ret = pcap_read(path, small);
	if (ret == PX_TEST_OK)
		ret = pcap_replay(path, small);
	unlink(path);
	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 255, "every mbuf back in the pool");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(small), 1023, "every small mbuf back");
	px_mempool_free(mp);
	px_mempool_free(small);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_pcap_autotest, PX_TEST_F_FAST, test_pmd_pcap)

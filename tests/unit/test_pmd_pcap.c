/* SPDX-License-Identifier: BSD-3-Clause */
/* net_pcap through ethdev: multi-segment frames written whole to a file and read back into
 * chains of small mbufs, the counters and per-queue xstats, the end of the file, and infinite_rx.
 * Skipped when net_pcap is not built (no libpcap). px-fwd's end-to-end tests are tests/fwd/pcap.sh.
 *
 * RX timestamps (PX_ETH_RX_OFFLOAD_TIMESTAMP): savefiles written here byte by byte
 * (pcap-savefile(5)), one in microseconds and one in nanoseconds, with known record times (0,
 * the largest fractions, the largest 32-bit second), are read with the offload: every mbuf has
 * the RX timestamp flag and the record's time in nanoseconds in the timestamp field; without
 * the offload no mbuf has the flag; a file Pollux wrote reads back with times between the
 * clock before and after the write, and a file copied through Pollux (read with the offload,
 * written by another port) keeps every record's time. Live: rx_iface=lo in a network namespace of
 * the test's own (root, else skipped): frames the kernel sends there carry the kernel's receive
 * time.
 */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_mbuf.h>
#include <px_mbuf_dyn.h>
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

/* ---- RX timestamps ---- */

#define TS_FRAME 60
#define TS_RECORDS 5

struct ts_record {
	uint32_t sec, frac; /* frac: microseconds or nanoseconds, as the file says */
};

static const struct ts_record ts_us[TS_RECORDS] = {
	{0, 0}, {1, 1}, {1700000000, 999999}, {1700000001, 500000}, {UINT32_MAX, 123456}};
static const struct ts_record ts_ns[TS_RECORDS] = {
	{0, 0}, {1, 1}, {1700000000, 999999999}, {1700000001, 500000000}, {UINT32_MAX, 123456789}};

/* A savefile (pcap-savefile(5): header, then records of 16 bytes and the frame) with records
 * at times @t, in nanoseconds (magic a1b23c4d) or microseconds (a1b2c3d4). @return 0 or -1. */
static int ts_file_write(const char *path, const struct ts_record *t, bool nano)
{
	const uint32_t hdr[6] = {nano ? 0xa1b23c4d : 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 1};
	uint8_t frame[TS_FRAME];
	FILE *f = fopen(path, "wb");
	int ret;

	if (f == NULL)
		return -1;
	ret = fwrite(hdr, sizeof(hdr), 1, f) == 1 ? 0 : -1;
	for (unsigned int k = 0; k < TS_RECORDS && ret == 0; k++) {
		const uint32_t rec[4] = {t[k].sec, t[k].frac, TS_FRAME, TS_FRAME};

		memset(frame, (int)k, sizeof(frame));
		if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(frame, sizeof(frame), 1, f) != 1)
			ret = -1;
	}
	return fclose(f) == 0 ? ret : -1;
}

/* Port @name over @args (an rx_ source), configured with @offloads and started, as *@p. */
static int ts_port(const char *name, const char *args, uint64_t offloads, struct px_mempool *mp,
		   uint16_t *p)
{
	const struct px_eth_conf conf = {.rxmode.offloads = offloads};

	PX_TEST_ASSERT_EQ(px_vdev_init(name, args), 0, "%s,%s", name, args);
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name(name, p), 0, "its port");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(*p, 1, 1, &conf), 0, "configure");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(*p, 0, 256, 0, NULL, mp), 0, "RX queue");
	PX_TEST_ASSERT_EQ(px_eth_tx_queue_setup(*p, 0, 256, 0, NULL), 0, "TX queue");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(*p), 0, "start");
	return PX_TEST_OK;
}

/* The timestamp field's offset and the RX flag, registered by a port with the offload. */
static int ts_dyn(int *off, uint64_t *flag)
{
	int bit = px_mbuf_dynflag_lookup(PX_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);

	*off = px_mbuf_dynfield_lookup(PX_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
	PX_TEST_ASSERT(*off >= 0 && bit >= 0, "the port registered the field (%d) and flag (%d)",
		       *off, bit);
	*flag = 1ull << bit;
	return PX_TEST_OK;
}

/* Read @path (records at @t, in nanoseconds if @nano) with and then without the offload. */
static int ts_read_file(const char *path, const struct ts_record *t, bool nano,
			struct px_mempool *mp)
{
	struct px_mbuf *m[32];
	char args[128];
	uint64_t flag;
	uint16_t p, n;
	int off;

	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	PX_TEST_ASSERT_EQ(ts_port("net_pcap3", args, PX_ETH_RX_OFFLOAD_TIMESTAMP, mp, &p), 0,
			  "port with timestamps");
	PX_TEST_ASSERT_EQ(ts_dyn(&off, &flag), 0, "dynamic field");
	n = px_eth_rx_burst(p, 0, m, 32);
	PX_TEST_ASSERT_EQ(n, TS_RECORDS, "every record read");
	for (unsigned int k = 0; k < n; k++) {
		uint64_t want = (uint64_t)t[k].sec * 1000000000u + t[k].frac * (nano ? 1u : 1000u);

		PX_TEST_ASSERT(m[k]->ol_flags & flag, "record %u: RX timestamp flag", k);
		PX_TEST_ASSERT_EQ(*PX_MBUF_DYNFIELD(m[k], off, uint64_t *), want,
				  "record %u: timestamp (%s file)", k, nano ? "ns" : "us");
	}
	px_pktmbuf_free_bulk(m, n);
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pcap3"), 0, "close");
	PX_TEST_ASSERT_EQ(ts_port("net_pcap3", args, 0, mp, &p), 0, "port without timestamps");
	n = px_eth_rx_burst(p, 0, m, 32);
	PX_TEST_ASSERT_EQ(n, TS_RECORDS, "every record read");
	for (unsigned int k = 0; k < n; k++)
		PX_TEST_ASSERT(!(m[k]->ol_flags & flag), "record %u: no timestamp flag", k);
	px_pktmbuf_free_bulk(m, n);
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pcap3"), 0, "close");
	return PX_TEST_OK;
}

static uint64_t ts_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Read @n frames from @p (2 s at most): each has the flag and a time within [@t0, @t1]. */
static int ts_check_between(uint16_t p, unsigned int n, uint64_t t0, uint64_t t1)
{
	unsigned int got = 0;
	uint64_t flag;
	int off;

	PX_TEST_ASSERT_EQ(ts_dyn(&off, &flag), 0, "dynamic field");
	for (int i = 0; i < 2000 && got < n; i++) {
		struct px_mbuf *m[32];
		uint16_t k = px_eth_rx_burst(p, 0, m, 32);

		if (k == 0)
			usleep(1000);
		for (uint16_t j = 0; j < k; j++, got++) {
			uint64_t ts = *PX_MBUF_DYNFIELD(m[j], off, uint64_t *);
			bool ok = (m[j]->ol_flags & flag) && ts >= t0 && ts <= t1;

			px_pktmbuf_free(m[j]);
			PX_TEST_ASSERT(ok, "frame %u: time %llu ns, between %llu and %llu", got,
				       (unsigned long long)ts, (unsigned long long)t0,
				       (unsigned long long)t1);
		}
	}
	PX_TEST_ASSERT(got >= n, "%u frames received, %u expected", got, n);
	return PX_TEST_OK;
}

/* A file net_pcap writes (nanoseconds, the clock at each burst) reads back with those times. */
static int ts_roundtrip(const char *path, struct px_mempool *mp)
{
	struct px_mbuf *m[TS_RECORDS];
	char args[128];
	uint64_t t0, t1;
	uint16_t p;

	snprintf(args, sizeof(args), "tx_pcap=%s", path);
	PX_TEST_ASSERT_EQ(ts_port("net_pcap4", args, 0, mp, &p), 0, "writing port");
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, m, TS_RECORDS), 0, "mbufs");
	for (unsigned int k = 0; k < TS_RECORDS; k++)
		memset(px_pktmbuf_append(m[k], TS_FRAME), (int)k, TS_FRAME);
	t0 = ts_now();
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, m, TS_RECORDS), TS_RECORDS, "written");
	t1 = ts_now();
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pcap4"), 0, "close");
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	PX_TEST_ASSERT_EQ(ts_port("net_pcap4", args, PX_ETH_RX_OFFLOAD_TIMESTAMP, mp, &p), 0,
			  "reading port");
	PX_TEST_ASSERT_EQ(ts_check_between(p, TS_RECORDS, t0, t1), 0, "times written");
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pcap4"), 0, "close");
	return PX_TEST_OK;
}

/* Copy @from (records at ts_ns) through Pollux into @to: read with the offload, written by a
 * tx_pcap port; @to's records have the same times. */
static int ts_copy(const char *from, const char *to, struct px_mempool *mp)
{
	struct px_mbuf *m[32];
	char args[128];
	uint16_t p, q, n;

	PX_TEST_ASSERT_EQ(ts_file_write(from, ts_ns, true), 0, "the nanosecond file");
	snprintf(args, sizeof(args), "rx_pcap=%s", from);
	PX_TEST_ASSERT_EQ(ts_port("net_pcap5", args, PX_ETH_RX_OFFLOAD_TIMESTAMP, mp, &p), 0,
			  "reading port");
	snprintf(args, sizeof(args), "tx_pcap=%s", to);
	PX_TEST_ASSERT_EQ(ts_port("net_pcap6", args, 0, mp, &q), 0, "writing port");
	n = px_eth_rx_burst(p, 0, m, 32);
	PX_TEST_ASSERT_EQ(n, TS_RECORDS, "every record read");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(q, 0, m, n), n, "every record written");
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pcap5"), 0, "close");
	PX_TEST_ASSERT_EQ(px_vdev_uninit("net_pcap6"), 0, "close");
	return ts_read_file(to, ts_ns, true, mp);
}

static int test_pmd_pcap_timestamp(void)
{
	char path[] = "/tmp/px-test-pcap-ts-XXXXXX", copy[] = "/tmp/px-test-pcap-copy-XXXXXX";
	struct px_eth_dev_info info;
	struct px_mempool *mp;
	uint16_t p;
	int fd, ret;

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64") >= 0, "init");
	mp = px_pktmbuf_pool_create("pcap_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	ret = px_vdev_init("net_pcap9", "tx_pcap=/dev/null");
	if (ret == -ENODEV) {
		px_eal_cleanup();
		PX_TEST_SKIP("net_pcap is not built (libpcap-dev was missing at configure)");
	}
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_pcap9", &p), 0, "a port");
	PX_TEST_ASSERT_EQ(px_eth_dev_info_get(p, &info), 0, "info");
	PX_TEST_ASSERT(info.rx_offload_capa & PX_ETH_RX_OFFLOAD_TIMESTAMP, "offered");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	fd = mkstemp(path);
	PX_TEST_ASSERT(fd >= 0, "mkstemp");
	close(fd);
	fd = mkstemp(copy);
	PX_TEST_ASSERT(fd >= 0, "mkstemp");
	close(fd);
	ret = ts_file_write(path, ts_us, false) == 0 ? PX_TEST_OK : PX_TEST_FAILED;
	if (ret == PX_TEST_OK)
		ret = ts_read_file(path, ts_us, false, mp);
	if (ret == PX_TEST_OK)
		ret = ts_file_write(path, ts_ns, true) == 0 ? PX_TEST_OK : PX_TEST_FAILED;
	if (ret == PX_TEST_OK)
		ret = ts_read_file(path, ts_ns, true, mp);
	if (ret == PX_TEST_OK)
		ret = ts_roundtrip(path, mp);
	if (ret == PX_TEST_OK)
		ret = ts_copy(path, copy, mp);
	unlink(path);
	unlink(copy);
	if (ret != PX_TEST_OK)
		return ret;
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 255, "every mbuf back in the pool");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_pcap_timestamp_autotest, PX_TEST_F_FAST, test_pmd_pcap_timestamp)

/* @return 0, or -errno: the interface @ifc up (SIOCSIFFLAGS, netdevice(7)) */
static int ts_iface_up(const char *ifc)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = fd < 0 ? -errno : 0;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifc);
	if (ret == 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ret == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Live: the kernel's receive time of frames on lo, in a namespace of our own. */
static int test_pmd_pcap_iface_timestamp(void)
{
	struct px_mempool *mp;
	uint64_t t0, t1;
	uint16_t p;
	int ret = pmd_netns();

	if (ret < 0)
		PX_TEST_SKIP("cannot make a network namespace (needs root): %s", strerror(-ret));
	PX_TEST_ASSERT_EQ(ts_iface_up("lo"), 0, "lo up");
	ret = pmd_probe("net_pcap0", "tx_pcap=/dev/null", &p);
	if (ret != 0)
		return ret;
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	mp = px_pktmbuf_pool_create("pcap_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	/* rx_iface_in: what arrives on lo, once (rx_iface= would see each frame go out too) */
	PX_TEST_ASSERT_EQ(
		ts_port("net_pcap1", "rx_iface_in=lo", PX_ETH_RX_OFFLOAD_TIMESTAMP, mp, &p), 0,
		"live port");
	t0 = ts_now();
	PX_TEST_ASSERT_EQ(pmd_kernel_send("lo", 10, 100), 10, "the kernel sent");
	t1 = ts_now();
	PX_TEST_ASSERT_EQ(ts_check_between(p, 10, t0, t1), 0, "the kernel's times");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 255, "every mbuf back in the pool");
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_pcap_iface_timestamp_autotest, PX_TEST_F_FAST, test_pmd_pcap_iface_timestamp)

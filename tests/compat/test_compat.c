/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-compat-test: the DPDK layer's mapping, call by call, written as a DPDK program (only rte_*
 * names) and built through the CMake target Pollux::dpdk. Two net_ring ports in a pair carry
 * frames through rte_eth_tx_buffer and rte_eth_rx_burst; the calls Pollux cannot honour must
 * fail with DPDK's error, not pretend. Exits 0 when every check holds, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_random.h>
#include <rte_ring.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>
#include <rte_timer.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

/* One mbuf type: a DPDK field written is the Pollux field read. */
static void check_types(void)
{
	RTE_BUILD_BUG_ON(sizeof(struct rte_ether_hdr) != 14);
	RTE_BUILD_BUG_ON(sizeof(struct rte_ipv4_hdr) != 20);
	CHECK(RTE_MBUF_F_TX_IP_CKSUM == (1ULL << 54)); /* DPDK 22.11's value */
	CHECK(RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE == (1ULL << 16));
	CHECK(RTE_ETH_RSS_NONFRAG_IPV4_UDP == (1ULL << 5));
	CHECK(RTE_LOGTYPE_USER1 == 24 && RTE_LOG_DEBUG == 8);
	CHECK(rte_align32pow2(1000) == 1024 && rte_log2_u32(1000) == 10 && rte_log2_u32(1) == 0);
}

static void check_helpers(void)
{
	char s[] = "1,2,,3", *tok[8], buf[8];
	struct rte_ether_addr a;
	struct rte_eth_link l = {.link_speed = RTE_ETH_SPEED_NUM_10G,
				 .link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
				 .link_autoneg = RTE_ETH_LINK_AUTONEG,
				 .link_status = RTE_ETH_LINK_UP};
	char str[RTE_ETH_LINK_MAX_STR_LEN];
	uint64_t r;

	CHECK(rte_strsplit(s, sizeof(s), tok, 8, ',') == 4 && strcmp(tok[3], "3") == 0 &&
	      tok[2][0] == '\0');
	CHECK(rte_strscpy(buf, "0123456789", sizeof(buf)) == -E2BIG && strlen(buf) == 7);
	CHECK(rte_strscpy(buf, "abc", sizeof(buf)) == 3);
	CHECK(rte_ether_unformat_addr("02:00:00:00:00:2a", &a) == 0 && a.addr_bytes[5] == 0x2a);
	CHECK(rte_ether_unformat_addr("02:00", &a) == -1 && rte_errno == EINVAL);
	rte_eth_link_to_str(str, sizeof(str), &l);
	CHECK(strcmp(str, "Link up at 10 Gbps FDX Autoneg") == 0);
	l.link_status = RTE_ETH_LINK_DOWN;
	rte_eth_link_to_str(str, sizeof(str), &l);
	CHECK(strcmp(str, "Link down") == 0);
	for (int i = 0; i < 1000; i++) {
		r = rte_rand_max(10);
		CHECK(r < 10);
	}
	CHECK(rte_rand_max(0) == 0);
}

static void check_locks(void)
{
	rte_spinlock_t sl = RTE_SPINLOCK_INITIALIZER;
	rte_spinlock_recursive_t slr = RTE_SPINLOCK_RECURSIVE_INITIALIZER;

	CHECK(rte_spinlock_trylock(&sl) == 1 && rte_spinlock_trylock(&sl) == 0);
	CHECK(rte_spinlock_is_locked(&sl));
	rte_spinlock_unlock(&sl);
	rte_spinlock_lock(&sl);
	rte_spinlock_unlock(&sl);
	CHECK(!rte_spinlock_is_locked(&sl));
	rte_spinlock_recursive_lock(&slr);
	CHECK(rte_spinlock_recursive_trylock(&slr) == 1); /* the holder again */
	rte_spinlock_recursive_unlock(&slr);
	CHECK(rte_spinlock_is_locked(&slr.sl));
	rte_spinlock_recursive_unlock(&slr);
	CHECK(!rte_spinlock_is_locked(&slr.sl));
}

/* Dynamic fields: registered by name, found again by name, kept apart, refused when full. */
static void check_dynfields(struct rte_mempool *mp)
{
	const struct rte_mbuf_dynfield a = {.name = "compat_a", .size = 8, .align = 8};
	const struct rte_mbuf_dynfield b = {.name = "compat_b", .size = 4, .align = 4};
	struct rte_mbuf_dynfield big = {.name = "compat_big", .size = 16, .align = 8};
	struct rte_mbuf_dynfield a2 = a;
	int oa = rte_mbuf_dynfield_register(&a), ob = rte_mbuf_dynfield_register(&b), ots;
	uint64_t flag = 0;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	CHECK(oa >= (int)sizeof(struct rte_mbuf) / 2 && ob >= 0 && (oa + 8 <= ob || ob + 4 <= oa));
	CHECK(oa % 8 == 0 && rte_mbuf_dynfield_register(&a) == oa);
	CHECK(rte_mbuf_dynfield_lookup("compat_b", NULL) == ob);
	a2.size = 4;
	CHECK(rte_mbuf_dynfield_register(&a2) == -1 && rte_errno == EEXIST);
	CHECK(rte_mbuf_dynfield_register(&big) == -1 && rte_errno == ENOSPC);
	CHECK(rte_mbuf_dynfield_lookup("compat_none", NULL) == -1 && rte_errno == ENOENT);
	CHECK(m != NULL);
	if (m != NULL) {
		*RTE_MBUF_DYNFIELD(m, oa, uint64_t *) = 0x1122334455667788ull;
		*RTE_MBUF_DYNFIELD(m, ob, uint32_t *) = 0xaabbccdd;
		CHECK(*RTE_MBUF_DYNFIELD(m, oa, uint64_t *) == 0x1122334455667788ull &&
		      m->pkt_len == 0 && m->next == NULL && m->pool == mp);
		rte_pktmbuf_free(m);
	}
	/* 8 + 4 of 16 bytes used: the 8-byte timestamp no longer fits. */
	CHECK(rte_mbuf_dyn_rx_timestamp_register(&ots, &flag) == -1 && rte_errno == ENOSPC);
	CHECK(rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL) >= 23);
}

static void check_ring(void)
{
	struct rte_ring *r =
		rte_ring_create("compat_r", 64, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	void *objs[8] = {(void *)1, (void *)2, (void *)3}, *out[8];

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK(rte_ring_enqueue_burst(r, objs, 3, NULL) == 3);
	CHECK(rte_ring_count(r) == 3);
	CHECK(rte_ring_dequeue_bulk(r, out, 4, NULL) == 0); /* bulk: all or nothing */
	CHECK(rte_ring_dequeue_burst(r, out, 8, NULL) == 3 && out[2] == (void *)3);
	CHECK(rte_ring_dequeue(r, out) == -ENOENT);
	rte_ring_free(r);
	CHECK(rte_ring_create("compat_rts", 64, SOCKET_ID_ANY, RING_F_MP_RTS_ENQ) == NULL &&
	      rte_errno == ENOTSUP);
}

static int setup_port(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	uint16_t nb_rxd = 100, nb_txd = 100; /* not multiples of 32: adjusted */
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, nb_rxd, rte_eth_dev_socket_id(port), NULL,
					     mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, nb_txd, rte_eth_dev_socket_id(port), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	return ret;
}

/* What Pollux does not do fails with DPDK's error, naming it in the log. */
static void check_unsupported(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_rss_reta_entry64 reta[2] = {{.mask = 1}};
	struct rte_eth_rss_conf rss = {.rss_hf = RTE_ETH_RSS_IPV4};
	struct rte_eth_conf conf;
	struct rte_eth_rxconf rxconf;

	memset(&conf, 0, sizeof(conf));
	conf.lpbk_mode = 1;
	CHECK(rte_eth_dev_configure(port, 1, 1, &conf) == -ENOTSUP);
	conf.lpbk_mode = 0;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_VMDQ_ONLY;
	CHECK(rte_eth_dev_configure(port, 1, 1, &conf) == -ENOTSUP);
	memset(&rxconf, 0, sizeof(rxconf));
	rxconf.rx_deferred_start = 1;
	CHECK(rte_eth_rx_queue_setup(port, 0, 128, 0, &rxconf, mp) == -ENOTSUP);
	CHECK(rte_eth_add_rx_callback(port, 0, NULL, NULL) == NULL && rte_errno == ENOTSUP);
	CHECK(rte_eth_dev_set_ptypes(port, RTE_PTYPE_UNKNOWN, NULL, 0) == 0);
	CHECK(rte_eth_dev_set_ptypes(port, RTE_PTYPE_L3_IPV4, NULL, 0) == -ENOTSUP);
	CHECK(rte_eth_dev_callback_register(port, RTE_ETH_EVENT_QUEUE_STATE,
					    (rte_eth_dev_cb_fn)(void (*)(void))abort,
					    NULL) == -ENOTSUP);
	/* net_ring has no RSS table: the calls reach Pollux's and say so */
	CHECK(rte_eth_dev_rss_reta_update(port, reta, 128) == -ENOTSUP);
	CHECK(rte_eth_dev_rss_reta_query(port, NULL, 128) == -EINVAL);
	CHECK(rte_eth_dev_rss_hash_update(port, &rss) == -EINVAL); /* no hash type offered */
	CHECK(rte_eth_dev_rss_reta_update(RTE_MAX_ETHPORTS - 1, reta, 128) == -ENODEV);
	CHECK(rte_eth_dev_configure(RTE_MAX_ETHPORTS - 1, 1, 1, &conf) == -ENODEV);
	CHECK(rte_eth_dev_socket_id(RTE_MAX_ETHPORTS - 1) == -1 && rte_errno == EINVAL);
}

static unsigned int fired[2];

static void timer_cb(struct rte_timer *tim, void *arg)
{
	unsigned int *n = arg;

	(*n)++;
	if (n == &fired[1] && *n == 3)
		CHECK(rte_timer_stop(tim) == 0); /* a periodic timer stopping itself */
}

/* Timers (lib/timer through rte_timer.h): run by rte_timer_manage() on their lcore once due. */
static void check_timers(void)
{
	struct rte_timer single = RTE_TIMER_INITIALIZER, periodic;
	uint64_t hz = rte_get_timer_hz(), t0 = rte_get_timer_cycles();

	rte_timer_init(&periodic);
	CHECK(rte_timer_reset(&single, hz / 100, SINGLE, 0, timer_cb, &fired[0]) ==
	      -1); /* no init */
	CHECK(rte_timer_subsystem_init() == 0 && rte_timer_subsystem_init() == -EALREADY);
	CHECK(rte_timer_reset(&single, hz / 100, SINGLE, 5, timer_cb, &fired[0]) ==
	      -1); /* lcore 5 */
	CHECK(rte_timer_reset(&single, hz / 100, SINGLE, rte_lcore_id(), timer_cb, &fired[0]) == 0);
	CHECK(rte_timer_reset(&periodic, hz / 200, PERIODICAL, rte_lcore_id(), timer_cb,
			      &fired[1]) == 0);
	CHECK(rte_timer_pending(&single) && rte_timer_next_ticks() > 0);
	CHECK(rte_timer_manage() == 0 && fired[0] == 0); /* not due yet */
	while (rte_get_timer_cycles() - t0 < hz / 10)
		rte_timer_manage();
	CHECK(fired[0] == 1 && !rte_timer_pending(&single));   /* once */
	CHECK(fired[1] == 3 && !rte_timer_pending(&periodic)); /* until it stopped itself */
	CHECK(rte_timer_next_ticks() == -ENOENT);
	CHECK(rte_timer_reset(&single, hz, SINGLE, rte_lcore_id(), timer_cb, &fired[0]) == 0);
	CHECK(rte_timer_stop(&single) == 0 && !rte_timer_pending(&single));
}

/* Two lcores at once: lcore 1 arms, re-arms and stops timers that lcore 0 runs, and a periodic
 * timer of lcore 0 is stopped from lcore 1 while it may be running. Every callback must run on
 * lcore 0, and every timer end stopped. */
#define MT_TIMERS 64
#define MT_ROUNDS 20000

static struct rte_timer mt_timers[MT_TIMERS], mt_periodic;
static unsigned int mt_fired, mt_last, mt_wrong_lcore, mt_periodic_fired;
static volatile int mt_done;

static void mt_cb(struct rte_timer *tim, void *arg)
{
	(void)tim;
	if (rte_lcore_id() != 0)
		mt_wrong_lcore++;
	__atomic_add_fetch((unsigned int *)arg, 1, __ATOMIC_RELAXED); /* read by lcore 1 */
}

static int mt_worker(void *arg)
{
	unsigned int i, busy = 0;

	(void)arg;
	for (i = 0; i < MT_ROUNDS; i++) {
		struct rte_timer *t = &mt_timers[i % MT_TIMERS];
		int ret = (i & 3) ? rte_timer_reset(t, i & 7, SINGLE, 0, mt_cb, &mt_fired)
				  : rte_timer_stop(t);

		if (ret == -1)
			busy++; /* running on lcore 0 at that moment: allowed */
		else if (ret != 0)
			return 1;
		if ((i & 1023) == 0)
			rte_delay_us(1);
	}
	/* Last, each timer armed once more and let run: lcore 0 must run them all (within 2 s; the
	 * ticks are few, but the two lcores' cycle counters need not agree to the microsecond). */
	for (i = 0; i < MT_TIMERS; i++)
		rte_timer_reset_sync(&mt_timers[i], 10, SINGLE, 0, mt_cb, &mt_last);
	for (uint64_t t0 = rte_get_timer_cycles();
	     __atomic_load_n(&mt_last, __ATOMIC_RELAXED) < MT_TIMERS &&
	     rte_get_timer_cycles() - t0 < 2 * rte_get_timer_hz();)
		rte_delay_us(10);
	rte_timer_stop_sync(&mt_periodic);
	printf("timer mt: %u of %u calls found the timer busy\n", busy, MT_ROUNDS);
	__atomic_store_n(&mt_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void check_timers_mt(void)
{
	unsigned int i;

	if (rte_lcore_count() < 2) {
		printf("timer mt: skipped, one lcore\n");
		return;
	}
	for (i = 0; i < MT_TIMERS; i++)
		rte_timer_init(&mt_timers[i]);
	rte_timer_init(&mt_periodic);
	CHECK(rte_timer_reset(&mt_periodic, 1000, PERIODICAL, 0, mt_cb, &mt_periodic_fired) == 0);
	CHECK(rte_eal_remote_launch(mt_worker, NULL, 1) == 0);
	while (!__atomic_load_n(&mt_done, __ATOMIC_ACQUIRE))
		rte_timer_manage();
	CHECK(rte_eal_wait_lcore(1) == 0);
	rte_timer_manage();
	CHECK(mt_wrong_lcore == 0);
	CHECK(mt_last == MT_TIMERS && mt_periodic_fired > 0);
	CHECK(!rte_timer_pending(&mt_periodic));
	for (i = 0; i < MT_TIMERS; i++)
		CHECK(!rte_timer_pending(&mt_timers[i]));
	CHECK(rte_timer_next_ticks() == -ENOENT);
	printf("timer mt: %u + %u one-shot and %u periodic callbacks, all on lcore 0\n", mt_fired,
	       mt_last, mt_periodic_fired);
}

static uint64_t unsent;

/* Port 0 and port 1 are a net_ring pair: what 0 sends, 1 receives. */
static void check_forward(struct rte_mempool *mp)
{
	struct rte_eth_dev_tx_buffer *buf = rte_zmalloc("txbuf", RTE_ETH_TX_BUFFER_SIZE(4), 0);
	struct rte_mbuf *m, *rx[8];
	struct rte_eth_stats st;
	unsigned int i, got = 0;

	CHECK(buf != NULL && rte_eth_tx_buffer_init(buf, 4) == 0);
	if (buf == NULL)
		return;
	CHECK(rte_eth_tx_buffer_set_err_callback(buf, rte_eth_tx_buffer_count_callback, &unsent) ==
	      0);
	for (i = 0; i < 6; i++) {
		m = rte_pktmbuf_alloc(mp);
		CHECK(m != NULL);
		if (m == NULL)
			return;
		memset(rte_pktmbuf_append(m, 60), (int)i, 60);
		/* The fourth packet fills the buffer: a burst of 4 goes out. */
		CHECK(rte_eth_tx_buffer(0, 0, buf, m) == (i == 3 ? 4 : 0));
	}
	CHECK(rte_eth_tx_buffer_flush(0, 0, buf) == 2 && unsent == 0);
	got = rte_eth_rx_burst(1, 0, rx, 8);
	CHECK(got == 6);
	for (i = 0; i < got; i++) {
		CHECK(rte_pktmbuf_pkt_len(rx[i]) == 60 &&
		      *rte_pktmbuf_mtod_offset(rx[i], uint8_t *, 59) == i);
		rte_pktmbuf_free(rx[i]);
	}
	CHECK(rte_eth_stats_get(1, &st) == 0 && st.ipackets == 6);
	CHECK(rte_eth_stats_get(0, &st) == 0 && st.opackets == 6);
	rte_free(buf);
}

int main(int argc, char **argv)
{
	char *lcores = "0-1";
	char *eal[] = {argv[0], "-l",     "0",         "--no-huge", "-m",
		       "128",   "--vdev", "net_ring0", "--vdev",    "net_ring1,peer=net_ring0",
		       NULL};
	struct rte_mempool *mp;
	struct rte_eth_dev_info info;
	int ret;

	(void)argc;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		lcores = "0"; /* the two-lcore timer test is then skipped */
	eal[2] = lcores;
	check_types();
	check_helpers();
	check_locks();
	ret = rte_eal_init((int)RTE_DIM(eal) - 1, eal);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "rte_eal_init: %s\n", rte_strerror(rte_errno));
	CHECK(ret == (int)RTE_DIM(eal) - 2); /* argv[0] is handed back */
	CHECK(rte_lcore_id() == 0 && rte_lcore_index(-1) == 0);
	check_ring();
	check_timers();
	check_timers_mt();
	mp = rte_pktmbuf_pool_create("compat_mp", 511, 32, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)rte_socket_id());
	CHECK(mp != NULL);
	CHECK(rte_pktmbuf_pool_create("compat_mp", 511, 32, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0) ==
		      NULL &&
	      rte_errno == EEXIST);
	CHECK(rte_eth_dev_count_avail() == 2);
	CHECK(rte_eth_dev_info_get(0, &info) == 0 && info.max_rx_queues >= 1 &&
	      info.driver_name != NULL);
	if (mp == NULL || rte_eth_dev_count_avail() != 2)
		rte_exit(EXIT_FAILURE, "no pool or ports\n");
	check_unsupported(0, mp);
	check_dynfields(mp);
	CHECK(setup_port(0, mp) == 0);
	CHECK(setup_port(1, mp) == 0);
	check_forward(mp);
	RTE_LOG(INFO, USER1, "log through user1\n");
	CHECK(rte_log_set_level(RTE_LOGTYPE_USER1, RTE_LOG_ERR) == 0 &&
	      rte_log_get_level(RTE_LOGTYPE_USER1) == RTE_LOG_ERR &&
	      !rte_log_can_log(RTE_LOGTYPE_USER1, RTE_LOG_INFO));
	CHECK(rte_eth_dev_stop(0) == 0 && rte_eth_dev_close(0) == 0);
	CHECK(rte_eth_dev_stop(1) == 0 && rte_eth_dev_close(1) == 0);
	CHECK(rte_mempool_avail_count(mp) == 511); /* every mbuf back */
	rte_mempool_free(mp);
	CHECK(rte_eal_cleanup() == 0);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}

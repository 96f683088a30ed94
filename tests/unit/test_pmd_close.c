/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Closing net_ring ports with frames in flight. A peer pair (net_ring1,peer=net_ring0: each
 * port's TX queue feeds the other's RX ring, which its owner frees at close) goes through every
 * order of stop and close, by px_eth_dev_close() and by vdev removal, with traffic between the
 * steps. After every step the pool is counted object by object (px_mempool_census): the mbufs
 * out of it must be exactly those a model says sit in the rings of the open ports. None leaked,
 * none freed twice, none freed early.
 */
#include <px_eal.h>
#include <px_ethdev.h>
#include <px_mbuf.h>
#include <px_vdev.h>
#include "px_test.h"

#define QUEUES 2
#define POOL_SIZE 2047
#define FILL 100 /* frames each queue sends before the first step */

/* What a ring pair should hold: in_ring[i][q] mbufs wait in port i's RX ring q. */
struct pair {
	struct px_mempool *mp;
	const char *name[2];
	uint16_t port[2];
	bool open[2], started[2];
	unsigned int in_ring[2][QUEUES];
};

/* Port i sends to its peer while the peer is open; after the peer's close, to itself. */
static int dest(const struct pair *pr, int i)
{
	return pr->open[1 - i] ? 1 - i : i;
}

/* The pool holds every mbuf but those in open ports' rings, each once. */
static int check_pool(const struct pair *pr, const char *when)
{
	struct px_mempool_census c;
	unsigned int out = 0;

	for (int i = 0; i < 2; i++)
		for (int q = 0; q < QUEUES; q++)
			out += pr->open[i] ? pr->in_ring[i][q] : 0;
	PX_TEST_ASSERT_EQ(px_mempool_census(pr->mp, &c, NULL, NULL), 0, "census");
	PX_TEST_ASSERT(c.twice == 0 && c.foreign == 0 && c.bad_put == 0,
		       "%s: freed twice: %u extra entries, %u foreign, %llu refused", when, c.twice,
		       c.foreign, (unsigned long long)c.bad_put);
	PX_TEST_ASSERT_EQ(c.in_use, out, "%s: mbufs out of the pool (%u leaked or early)", when,
			  c.in_use);
	return PX_TEST_OK;
}

/* Each open port sends @n frames on every queue and receives up to @rx; a stopped port takes
 * and gives nothing. The model follows. */
static int traffic(struct pair *pr, unsigned int n, unsigned int rx)
{
	struct px_mbuf *m[FILL];

	for (int i = 0; i < 2; i++) {
		for (uint16_t q = 0; q < QUEUES && pr->open[i]; q++) {
			unsigned int got;

			PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(pr->mp, m, n), 0, "alloc");
			got = px_eth_tx_burst(pr->port[i], q, m, (uint16_t)n);
			PX_TEST_ASSERT_EQ(got, pr->started[i] ? n : 0, "%s q%u tx", pr->name[i], q);
			pr->in_ring[dest(pr, i)][q] += got;
			px_pktmbuf_free_bulk(m + got, n - got);
			got = px_eth_rx_burst(pr->port[i], q, m, (uint16_t)rx);
			PX_TEST_ASSERT_EQ(got, pr->started[i] ? PX_MIN(rx, pr->in_ring[i][q]) : 0,
					  "%s q%u rx", pr->name[i], q);
			pr->in_ring[i][q] -= got;
			px_pktmbuf_free_bulk(m, got);
		}
	}
	return PX_TEST_OK;
}

static int pair_start(struct pair *pr)
{
	PX_TEST_ASSERT_EQ(px_vdev_init(pr->name[0], "queues=2"), 0, "create %s", pr->name[0]);
	PX_TEST_ASSERT_EQ(px_vdev_init(pr->name[1], "queues=2,peer=net_ring0"), 0, "create %s",
			  pr->name[1]);
	for (int i = 0; i < 2; i++) {
		uint16_t p;

		PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name(pr->name[i], &p), 0, "port");
		PX_TEST_ASSERT(px_eth_dev_configure(p, QUEUES, QUEUES, NULL) == 0 &&
				       px_eth_rx_queue_setup(p, 0, 64, 0, NULL, pr->mp) == 0 &&
				       px_eth_rx_queue_setup(p, 1, 64, 0, NULL, pr->mp) == 0 &&
				       px_eth_tx_queue_setup(p, 0, 64, 0, NULL) == 0 &&
				       px_eth_tx_queue_setup(p, 1, 64, 0, NULL) == 0 &&
				       px_eth_dev_start(p) == 0,
			       "start %s", pr->name[i]);
		pr->port[i] = p;
		pr->open[i] = pr->started[i] = true;
		pr->in_ring[i][0] = pr->in_ring[i][1] = 0;
	}
	return PX_TEST_OK;
}

/* One step: a/b stop port 0/1; A/B close it (px_eth_dev_close, or vdev removal when
 * @by_vdev). Closing a port frees what its RX rings hold. */
static int step(struct pair *pr, char op, bool by_vdev)
{
	int i = op == 'a' || op == 'A' ? 0 : 1;

	if (op == 'a' || op == 'b') {
		PX_TEST_ASSERT_EQ(px_eth_dev_stop(pr->port[i]), 0, "stop %s", pr->name[i]);
		pr->started[i] = false;
		return PX_TEST_OK;
	}
	if (by_vdev)
		PX_TEST_ASSERT_EQ(px_vdev_uninit(pr->name[i]), 0, "remove %s", pr->name[i]);
	else
		PX_TEST_ASSERT_EQ(px_eth_dev_close(pr->port[i]), 0, "close %s", pr->name[i]);
	pr->open[i] = pr->started[i] = false;
	return PX_TEST_OK;
}

static int run_order(struct pair *pr, const char *order, bool by_vdev)
{
	char when[64];

	if (pair_start(pr) != PX_TEST_OK || traffic(pr, FILL, 7) != PX_TEST_OK ||
	    check_pool(pr, "before the first step") != PX_TEST_OK)
		return PX_TEST_FAILED;
	for (const char *op = order; *op; op++) {
		snprintf(when, sizeof(when), "order %s%s, after %c", order,
			 by_vdev ? " (vdev removal)" : "", *op);
		if (step(pr, *op, by_vdev) != PX_TEST_OK || check_pool(pr, when) != PX_TEST_OK ||
		    traffic(pr, 9, 4) != PX_TEST_OK || check_pool(pr, when) != PX_TEST_OK) {
			fprintf(stderr, "failed at %s\n", when);
			return PX_TEST_FAILED;
		}
	}
	/* the vdevs of closed ports go too (their remove finds no port: nothing freed again) */
	px_vdev_uninit(pr->name[0]);
	px_vdev_uninit(pr->name[1]);
	return check_pool(pr, "after vdev removal");
}

static int test_pmd_ring_close_orders(void)
{
	/* every order of: stop 0 (a), stop 1 (b), close 0 (A), close 1 (B); a stop is optional
	 * and comes before its port's close */
	static const char *const orders[] = {
		"abAB", "abBA", "aAbB", "baAB", "baBA", "bBaA", "aAB",
		"aBA",  "BaA",  "bAB",  "bBA",  "AbB",  "AB",   "BA",
	};
	struct pair pr = {.name = {"net_ring0", "net_ring1"}};
	int ret = PX_TEST_OK;

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64") >= 0, "init");
	pr.mp = px_pktmbuf_pool_create("close_pool", POOL_SIZE, 32, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(pr.mp != NULL, "pool");
	for (size_t i = 0; i < PX_DIM(orders) * 2 && ret == PX_TEST_OK; i++)
		ret = run_order(&pr, orders[i / 2], i % 2);
	PX_TEST_ASSERT_EQ(ret, PX_TEST_OK, "an order failed");
	PX_TEST_ASSERT_EQ(px_mempool_audit(pr.mp), 0, "audit");
	px_mempool_free(pr.mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_ring_close_orders_autotest, PX_TEST_F_FAST, test_pmd_ring_close_orders)

/* A loopback port closed with frames in its ring; a third port may not join a joined pair. */
static int test_pmd_ring_close_loopback(void)
{
	struct px_mempool_census c;
	struct px_mbuf *m[64];
	struct px_mempool *mp;
	uint16_t p;

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge --no-pci -m 64 --vdev net_ring0 "
					"--vdev net_ring1,peer=net_ring0 --vdev net_ring2") >= 0,
		       "init");
	mp = px_pktmbuf_pool_create("loop_pool", 255, 0, 0, PX_MBUF_DEFAULT_BUF_SIZE, 0);
	PX_TEST_ASSERT(mp != NULL, "pool");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_vdev_init("net_ring3", "peer=net_ring0"), -EBUSY,
			  "a second peer for net_ring0");
	PX_TEST_ASSERT(strstr(px_test_log_capture_stop(), "already joined to net_ring1") != NULL,
		       "the refusal names the first peer");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_ring2", &p), 0, "port");
	PX_TEST_ASSERT(px_eth_dev_configure(p, 1, 1, NULL) == 0 &&
			       px_eth_rx_queue_setup(p, 0, 64, 0, NULL, mp) == 0 &&
			       px_eth_tx_queue_setup(p, 0, 64, 0, NULL) == 0 &&
			       px_eth_dev_start(p) == 0,
		       "start");
	PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, m, 64), 0, "alloc");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, m, 64), 64, "into its own ring");
	PX_TEST_ASSERT_EQ(px_mempool_in_use_count(mp), 64, "in flight");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_census(mp, &c, NULL, NULL), 0, "census");
	PX_TEST_ASSERT(c.free == 255 && c.twice == 0 && c.bad_put == 0,
		       "freed once each: %u free, %u twice", c.free, c.twice);
	px_mempool_free(mp);
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(pmd_ring_close_loopback_autotest, PX_TEST_F_FAST, test_pmd_ring_close_loopback)

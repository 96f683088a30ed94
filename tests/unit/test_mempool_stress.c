/* SPDX-License-Identifier: BSD-3-Clause */
/* Two-lcore mempool stress: both lcores get and put through their caches; the worker also hands
 * objects to the main lcore through a ring, which frees them (cross-lcore free, so caches flush
 * and refill). Each object carries an owner word claimed by CAS on get and released on put: two
 * owners at once means an object was handed out twice. At the end every object is free once.
 * The main lcore also reads px_mempool_avail_count() as telemetry's /mempool/info does while
 * the worker's cache moves (ThreadSanitizer checks that read). A pool without a cache runs too:
 * its per-lcore counters of calls must add up exactly to what both lcores got and put. */
#include <stdlib.h>

#include <px_eal.h>
#include <px_mempool.h>
#include "px_test.h"

#define POOL_SIZE 4096
#define ROUNDS 20000
#define MAX_BULK 48

struct mstress {
	struct px_mempool *mp;
	struct px_ring *handoff; /* worker -> main */
	int worker_done;
	unsigned long dup;
	uint64_t got[3], put[3]; /* objects each lcore (me = 1, 2) got and put */
};

static void claim(struct mstress *s, void **objs, unsigned int n, uint32_t me)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t free_ = 0;

		if (!__atomic_compare_exchange_n((uint32_t *)objs[i], &free_, me, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			__atomic_fetch_add(&s->dup, 1, __ATOMIC_RELAXED);
	}
}

static void release(void **objs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		__atomic_store_n((uint32_t *)objs[i], 0, __ATOMIC_RELEASE);
}

/* One round: take a bulk, claim it, give part back, hand or keep the rest. */
static void round_(struct mstress *s, unsigned int k, uint32_t me)
{
	void *objs[MAX_BULK];
	unsigned int n = k % MAX_BULK + 1, handed = 0;

	if (px_mempool_get_bulk(s->mp, objs, n) < 0)
		return;
	s->got[me] += n;
	claim(s, objs, n, me);
	if (me == 2) {
		/* The main lcore releases what it receives, so the owner is cleared there. */
		handed = px_ring_sp_enqueue_burst(s->handoff, objs, n / 2, NULL);
		release(&objs[handed], n - handed);
		px_mempool_put_bulk(s->mp, &objs[handed], n - handed);
		s->put[me] += n - handed;
		return;
	}
	release(objs, n);
	px_mempool_put_bulk(s->mp, objs, n);
	s->put[me] += n;
}

static void drain_handoff(struct mstress *s)
{
	void *objs[64];
	unsigned int n;

	while ((n = px_ring_sc_dequeue_burst(s->handoff, objs, 64, NULL)) != 0) {
		release(objs, n);
		px_mempool_put_bulk(s->mp, objs, n);
		s->put[1] += n;
	}
}

static int mp_worker(void *arg)
{
	struct mstress *s = arg;

	for (unsigned int k = 0; k < ROUNDS; k++)
		round_(s, k, 2);
	px_mempool_cache_flush(px_mempool_default_cache(s->mp, px_lcore_id()), s->mp);
	__atomic_store_n(&s->worker_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void zero_obj(struct px_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	(void)mp;
	(void)arg;
	(void)idx;
	*(uint32_t *)obj = 0;
}

/* One run on a pool with a cache of @cache objects per lcore (0: none). */
static int stress_pool(unsigned int worker, unsigned int cache)
{
	struct mstress s = {0};
	struct px_mempool_stats st;
	unsigned int k = 0, avail;

	s.mp = px_mempool_create("mp_stress", POOL_SIZE, 64, cache, 0, NULL, NULL, zero_obj, NULL,
				 PX_SOCKET_ID_ANY, 0);
	s.handoff = px_ring_create("mp_handoff", 1024, PX_SOCKET_ID_ANY,
				   PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	PX_TEST_ASSERT(s.mp && s.handoff, "setup");
	PX_TEST_ASSERT_EQ(px_remote_launch(mp_worker, &s, worker), 0, "launch");
	while (!__atomic_load_n(&s.worker_done, __ATOMIC_ACQUIRE) || k < ROUNDS) {
		if (k < ROUNDS)
			round_(&s, k++, 1);
		drain_handoff(&s);
		avail = px_mempool_avail_count(s.mp);
		PX_TEST_ASSERT(avail <= POOL_SIZE, "avail_count %u over the pool size", avail);
	}
	PX_TEST_ASSERT_EQ(px_wait_lcore(worker), 0, "worker");
	drain_handoff(&s);
	PX_TEST_ASSERT_EQ(s.dup, 0, "objects handed out to two owners at once");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(s.mp), POOL_SIZE, "every object came back");
	PX_TEST_ASSERT_EQ(px_mempool_audit(s.mp), 0, "none free twice");
	px_mempool_get_stats(s.mp, &st);
	if (cache == 0) {
		PX_TEST_ASSERT_EQ(st.get_objs, s.got[1] + s.got[2], "every object got is counted");
		PX_TEST_ASSERT_EQ(st.put_objs, s.put[1] + s.put[2], "every object put is counted");
	}
	PX_TEST_ASSERT_EQ(s.put[1] + s.put[2], s.got[1] + s.got[2], "as many put as got");
	px_mempool_free(s.mp);
	px_ring_free(s.handoff);
	return PX_TEST_OK;
}

static int test_mempool_stress(void)
{
	unsigned int worker;

	PX_TEST_ASSERT(px_test_eal_init("-l 0-1 --no-huge") >= 0, "init");
	worker = px_get_next_lcore(-1, 1, 0);
	if (worker >= PX_MAX_LCORE) {
		px_eal_cleanup();
		PX_TEST_SKIP("needs two lcores (-l 0-1)");
	}
	PX_TEST_ASSERT_EQ(stress_pool(worker, 128), PX_TEST_OK, "pool with a cache");
	PX_TEST_ASSERT_EQ(stress_pool(worker, 0), PX_TEST_OK, "pool without a cache");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_stress_autotest, PX_TEST_F_FAST, test_mempool_stress)

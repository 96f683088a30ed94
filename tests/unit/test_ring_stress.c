/* SPDX-License-Identifier: BSD-3-Clause */
/* Two-lcore ring stress: MP/MC (and the slot-sequence mode, PX_RING_F_MT_SEQ) with both lcores
 * producing and consuming, and SP/SC across the two lcores. Every object is accounted for: each
 * is dequeued exactly once, and each consumer sees each producer's objects in the order they
 * were enqueued. */
#include <stdlib.h>
#include <time.h>

#include <px_eal.h>
#include <px_ring.h>
#include "px_test.h"

#define PER_LCORE 200000u
#define MAX_BURST 37

struct stress {
	struct px_ring *r;
	unsigned long done; /* objects dequeued, all lcores (atomic) */
	unsigned long total;
	uint8_t *seen[2]; /* per-consumer count of each object */
	int err[2];
	int generic; /* the generic calls (a PX_RING_F_MT_SEQ ring takes only those), not mp/mc */
};

/* A lost object would leave the loops spinning: give up after 60 s and fail instead. */
static int too_long(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec > 60;
}

/* Object values: producer p's k-th object is (p << 28) | (k + 1). */
static int mpmc_side(struct stress *s, unsigned int me)
{
	void *objs[MAX_BURST];
	uint32_t next = 0, last[2] = {0, 0};
	unsigned int i, n, burst = 1, iter = 0;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (__atomic_load_n(&s->done, __ATOMIC_RELAXED) < s->total) {
		if ((++iter & 0xfff) == 0 && too_long(&start)) {
			s->err[me] = 2; /* objects lost: the total is never reached */
			return -1;
		}
		burst = burst % MAX_BURST + 1;
		n = PX_MIN(burst, PER_LCORE - next);
		for (i = 0; i < n; i++)
			objs[i] = (void *)(uintptr_t)((me << 28) | (next + i + 1));
		if (s->generic) {
			next += (burst & 1) ? px_ring_enqueue_bulk(s->r, objs, n, NULL)
					    : px_ring_enqueue_burst(s->r, objs, n, NULL);
			n = (burst & 2) ? px_ring_dequeue_burst(s->r, objs, burst, NULL)
					: px_ring_dequeue_bulk(s->r, objs, burst, NULL);
		} else {
			next += (burst & 1) ? px_ring_mp_enqueue_bulk(s->r, objs, n, NULL)
					    : px_ring_mp_enqueue_burst(s->r, objs, n, NULL);
			n = (burst & 2) ? px_ring_mc_dequeue_burst(s->r, objs, burst, NULL)
					: px_ring_mc_dequeue_bulk(s->r, objs, burst, NULL);
		}
		for (i = 0; i < n; i++) {
			uint32_t v = (uint32_t)(uintptr_t)objs[i], p = v >> 28, k = v & 0xfffffff;

			if (p > 1 || k == 0 || k > PER_LCORE || k <= last[p]) {
				s->err[me] = 1; /* unknown object, or out of producer order */
				return -1;
			}
			last[p] = k;
			s->seen[me][p * PER_LCORE + k - 1]++;
		}
		__atomic_fetch_add(&s->done, n, __ATOMIC_RELAXED);
	}
	return 0;
}

static int mpmc_worker(void *arg)
{
	return mpmc_side(arg, 1);
}

static int check_seen(struct stress *s, unsigned int nobj, unsigned int nsides)
{
	for (unsigned int i = 0; i < nobj; i++) {
		unsigned int c = s->seen[0][i] + (nsides > 1 ? s->seen[1][i] : 0);

		PX_TEST_ASSERT_EQ(c, 1, "object %u dequeued %u times", i, c);
	}
	return PX_TEST_OK;
}

static int start(unsigned int *worker)
{
	PX_TEST_ASSERT(px_test_eal_init("-l 0-1 --no-huge") >= 0, "init");
	*worker = px_get_next_lcore(-1, 1, 0);
	if (*worker >= PX_MAX_LCORE) {
		px_eal_cleanup();
		PX_TEST_SKIP("needs two lcores (-l 0-1)");
	}
	return PX_TEST_OK;
}

static int mpmc_stress(unsigned int count, unsigned int flags)
{
	struct stress s = {.total = 2ul * PER_LCORE, .generic = !!(flags & PX_RING_F_MT_SEQ)};
	unsigned int worker;
	int ret = start(&worker);

	if (ret != PX_TEST_OK)
		return ret;
	s.r = px_ring_create("stress", count, PX_SOCKET_ID_ANY, flags);
	s.seen[0] = calloc(2 * PER_LCORE, 1);
	s.seen[1] = calloc(2 * PER_LCORE, 1);
	PX_TEST_ASSERT(s.r && s.seen[0] && s.seen[1], "setup");
	PX_TEST_ASSERT_EQ(px_remote_launch(mpmc_worker, &s, worker), 0, "launch");
	ret = mpmc_side(&s, 0);
	PX_TEST_ASSERT_EQ(px_wait_lcore(worker), 0, "worker saw a bad object");
	PX_TEST_ASSERT_EQ(ret, 0, "main saw a bad object");
	PX_TEST_ASSERT(px_ring_empty(s.r), "ring drained");
	PX_TEST_ASSERT_EQ(check_seen(&s, 2 * PER_LCORE, 2), PX_TEST_OK, "accounting");
	free(s.seen[0]);
	free(s.seen[1]);
	px_ring_free(s.r);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}

static int test_ring_stress(void)
{
	return mpmc_stress(512, 0);
}
PX_TEST(ring_stress_autotest, PX_TEST_F_FAST, test_ring_stress)

/* Slot sequences, on a ring small enough (50, exact size) that producers find slots a consumer
 * is still reading, and consumers slots a producer is still writing. */
static int test_ring_seq_stress(void)
{
	return mpmc_stress(50, PX_RING_F_MT_SEQ | PX_RING_F_EXACT_SZ);
}
PX_TEST(ring_seq_stress_autotest, PX_TEST_F_FAST, test_ring_seq_stress)

/* SP/SC: the worker produces 1..N in bursts, the main lcore consumes and checks the sequence.
 * A small exact-size ring keeps both sides on the full/empty edges (the cached-index paths). */
static int spsc_producer(void *arg)
{
	struct stress *s = arg;
	void *objs[MAX_BURST];
	uint32_t next = 0;
	unsigned int burst = 0;

	while (next < PER_LCORE) {
		unsigned int n;

		burst = burst % MAX_BURST + 1;
		n = PX_MIN(burst, PER_LCORE - next);
		for (unsigned int i = 0; i < n; i++)
			objs[i] = (void *)(uintptr_t)(next + i + 1);
		next += (burst & 1) ? px_ring_sp_enqueue_bulk(s->r, objs, n, NULL)
				    : px_ring_sp_enqueue_burst(s->r, objs, n, NULL);
	}
	return 0;
}

static int test_ring_spsc_stress(void)
{
	struct stress s = {0};
	void *objs[MAX_BURST];
	uint32_t expect = 1;
	unsigned int worker, burst = 0;
	int ret = start(&worker);

	if (ret != PX_TEST_OK)
		return ret;
	s.r = px_ring_create("spsc_stress", 50, PX_SOCKET_ID_ANY,
			     PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ | PX_RING_F_EXACT_SZ);
	PX_TEST_ASSERT(s.r != NULL, "create");
	PX_TEST_ASSERT_EQ(px_remote_launch(spsc_producer, &s, worker), 0, "launch");
	while (expect <= PER_LCORE) {
		unsigned int n;

		burst = burst % MAX_BURST + 1;
		n = (burst & 2) ? px_ring_dequeue_burst(s.r, objs, burst, NULL)
				: px_ring_sc_dequeue_bulk(s.r, objs, burst, NULL);
		for (unsigned int i = 0; i < n; i++, expect++)
			if ((uintptr_t)objs[i] != expect)
				break;
		PX_TEST_ASSERT(n == 0 || (uintptr_t)objs[n - 1] == expect - 1,
			       "sequence broken before %u", expect);
	}
	PX_TEST_ASSERT_EQ(px_wait_lcore(worker), 0, "producer");
	PX_TEST_ASSERT(px_ring_empty(s.r), "ring drained");
	px_ring_free(s.r);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(ring_spsc_stress_autotest, PX_TEST_F_FAST, test_ring_spsc_stress)

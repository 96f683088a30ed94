/* SPDX-License-Identifier: BSD-3-Clause */
/* Two-lcore ring stress: MP/MC (and the slot-sequence mode, PX_RING_F_MT_SEQ) with both lcores
 * producing and consuming, and SP/SC across the two lcores; slot sequences also with more
 * threads than CPUs, and the order in which a run's sequences are stored. Every object is
 * accounted for: each is dequeued exactly once, and each consumer sees each producer's objects
 * in the order they were enqueued. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <px_eal.h>
#include <px_ring.h>
#include "px_test.h"

#define PER_LCORE 200000u
#define MAX_BURST 37
#define MAX_SIDES 4 /* threads that produce and consume */

struct stress {
	struct px_ring *r;
	unsigned long done; /* objects dequeued, all threads (atomic) */
	unsigned long total;
	unsigned int nsides;      /* threads, each producing PER_LCORE objects */
	uint8_t *seen[MAX_SIDES]; /* per-consumer count of each object */
	int err[MAX_SIDES];
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
	uint32_t next = 0, last[MAX_SIDES] = {0};
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

			if (p >= s->nsides || k == 0 || k > PER_LCORE || k <= last[p]) {
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
		unsigned int c = 0;

		for (unsigned int t = 0; t < nsides; t++)
			c += s->seen[t][i];
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
	struct stress s = {
		.total = 2ul * PER_LCORE, .nsides = 2, .generic = !!(flags & PX_RING_F_MT_SEQ)};
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

/* Slot sequences with four plain threads on however few CPUs there are: threads are preempted
 * in the middle of a call, so the others find slots still being copied (a ring of 50) and must
 * take only the ready ones, without waiting on them. */
#define SEQ_ROUNDS 10

struct seq_thread {
	struct stress *s;
	unsigned int me;
	int ret;
};

static void *seq_thread_main(void *arg)
{
	struct seq_thread *t = arg;

	t->ret = mpmc_side(t->s, t->me);
	return NULL;
}

/* One round: a fresh ring, every thread producing and consuming until all objects are through. */
static int seq_threads_round(struct stress *s, unsigned int flags)
{
	struct seq_thread th[MAX_SIDES];
	pthread_t tid[MAX_SIDES];
	unsigned int t, started = 0;
	int ret = PX_TEST_OK;

	PX_TEST_ASSERT_EQ(px_ring_init(s->r, NULL, 50, flags), 0, "init");
	s->done = 0;
	memset(s->err, 0, sizeof(s->err));
	for (t = 0; t < MAX_SIDES; t++) {
		memset(s->seen[t], 0, (size_t)MAX_SIDES * PER_LCORE);
		th[t] = (struct seq_thread){s, t, -1};
		if (pthread_create(&tid[t], NULL, seq_thread_main, &th[t]) != 0)
			break;
		started++;
	}
	for (t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	PX_TEST_ASSERT_EQ(started, MAX_SIDES, "pthread_create");
	for (t = 0; t < MAX_SIDES; t++)
		if (th[t].ret != 0) {
			fprintf(stderr, "thread %u: %s\n", t,
				s->err[t] == 2 ? "objects lost (60 s)"
					       : "bad or out-of-order object");
			ret = PX_TEST_FAILED;
		}
	if (ret == PX_TEST_OK && !px_ring_empty(s->r)) {
		fprintf(stderr, "ring not empty at the end\n");
		ret = PX_TEST_FAILED;
	}
	return ret == PX_TEST_OK ? check_seen(s, MAX_SIDES * PER_LCORE, MAX_SIDES) : ret;
}

static int test_ring_seq_threads(void)
{
	const unsigned int flags = PX_RING_F_MT_SEQ | PX_RING_F_EXACT_SZ;
	struct stress s = {
		.total = (unsigned long)MAX_SIDES * PER_LCORE, .nsides = MAX_SIDES, .generic = 1};
	ssize_t sz = px_ring_get_memsize(50, flags);
	void *mem = NULL;
	int ret = PX_TEST_FAILED;

	if (sz <= 0 || posix_memalign(&mem, PX_RING_SIDE_ALIGN, (size_t)sz) != 0)
		goto out;
	s.r = mem;
	for (unsigned int t = 0; t < MAX_SIDES; t++)
		if ((s.seen[t] = malloc((size_t)MAX_SIDES * PER_LCORE)) == NULL)
			goto out;
	for (unsigned int round = 0; round < SEQ_ROUNDS; round++)
		if (seq_threads_round(&s, flags) != PX_TEST_OK) {
			fprintf(stderr, "round %u of %u failed\n", round + 1, SEQ_ROUNDS);
			goto out;
		}
	ret = PX_TEST_OK;
out:
	for (unsigned int t = 0; t < MAX_SIDES; t++)
		free(s.seen[t]);
	free(mem);
	return ret;
}
PX_TEST(ring_seq_threads_stress_autotest, PX_TEST_F_FAST, test_ring_seq_threads)

/* A thread stores the sequences of its run from the last slot to the first (px_ring.h): one
 * that finds the first slot's new value must find it in the last one too, or it would skip
 * slots whose sequences are still to be stored and its own stores there could be overwritten
 * by the late ones. One lcore marks a run of 4095 slots over and over with growing values, the
 * other reads the first slot (acquire), then the last, until it has caught the writer in the
 * middle of a run 1000 times. */
#define MARK_CATCHES 1000

struct mark_order {
	struct px_ring *r;
	uint32_t stop;
};

static int mark_order_writer(void *arg)
{
	struct mark_order *m = arg;
	uint32_t *seqs = px_ring_seqs(m->r, m->r->esize);

	/* from above the size + 0 that px_ring_seq_start() left in every slot */
	for (uint32_t k = m->r->size + 1; !__atomic_load_n(&m->stop, __ATOMIC_RELAXED); k++)
		px_ring_seq_mark(m->r, seqs, 0, m->r->capacity, k);
	return 0;
}

static int test_ring_seq_mark_order(void)
{
	struct mark_order m = {0};
	const uint32_t *seqs;
	struct timespec t0;
	unsigned int worker, bad = 0, caught = 0, reads = 0;
	uint32_t first, last;
	int ret = start(&worker);

	if (ret != PX_TEST_OK)
		return ret;
	m.r = px_ring_create("mark_order", 4096, PX_SOCKET_ID_ANY, PX_RING_F_MT_SEQ);
	PX_TEST_ASSERT(m.r != NULL, "create");
	seqs = px_ring_seqs(m.r, m.r->esize);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	PX_TEST_ASSERT_EQ(px_remote_launch(mark_order_writer, &m, worker), 0, "launch");
	while (caught + bad < MARK_CATCHES && ((++reads & 0xfff) != 0 || !too_long(&t0))) {
		first = __atomic_load_n(&seqs[0], __ATOMIC_ACQUIRE);
		last = __atomic_load_n(&seqs[m.r->capacity - 1], __ATOMIC_ACQUIRE);
		bad += (int32_t)(last - first) < 0;
		caught += (int32_t)(last - first) > 0;
	}
	__atomic_store_n(&m.stop, 1, __ATOMIC_RELAXED);
	PX_TEST_ASSERT_EQ(px_wait_lcore(worker), 0, "writer");
	px_ring_free(m.r);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	printf("%u reads caught a run half stored, %u of them with the first slot ahead\n",
	       caught + bad, bad);
	PX_TEST_ASSERT_EQ(bad, 0, "the first slot's new value came before the last's");
	if (caught == 0)
		PX_TEST_SKIP(
			"never caught the writer in the middle of a run in 60 s: no second CPU?");
	return PX_TEST_OK;
}
PX_TEST(ring_seq_mark_order_stress_autotest, PX_TEST_F_FAST, test_ring_seq_mark_order)

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

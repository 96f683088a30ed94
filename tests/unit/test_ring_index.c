/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ring: free-running 32-bit indices. Every enqueue/dequeue entry point is checked against a
 * model with the indices starting at 0, just below 2^31 and just below 2^32, with the SP/SC
 * caches fresh and as stale as they can legitimately be; then whole runs of more than 2^32
 * objects, single-threaded and as two-lcore pipelines, every object checked in order. The
 * slot-sequence mode (PX_RING_F_MT_SEQ) goes through all of it with the generic calls, its
 * slot sequence numbers wrapping with the indices.
 */
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>

#include <px_eal.h>
#include <px_lcore.h>
#include <px_ring.h>
#include "px_test.h"

/* Put every index of @r at @start, as if @start objects had passed through it, with both SP/SC
 * caches @stale objects behind (a cache is a past value of the other side's tail), and the slot
 * sequences of a PX_RING_F_MT_SEQ ring free for the producers from @start on. */
static void ring_start_at(struct px_ring *r, uint32_t start, uint32_t stale)
{
	r->prod.head = r->prod.tail = r->cons.head = r->cons.tail = start;
	r->prod_priv.cached = r->cons_priv.cached = start - stale;
	if (r->flags & PX_RING_F_MT_SEQ)
		px_ring_seq_start(r, start);
}

/* Memory for a ring of @sz bytes on its own line pairs (free()), or NULL. */
static struct px_ring *ring_mem(ssize_t sz)
{
	void *p;

	if (sz <= 0 || posix_memalign(&p, PX_RING_SIDE_ALIGN, (size_t)sz) != 0)
		return NULL;
	return p;
}

/* A small deterministic generator (xorshift32), so a failure names a reproducible step. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define MAX_ESIZE 16
#define MAX_N 66 /* capacity + 1 of the largest ring below */

/* Element @seq of the sequence, in @esize bytes: every byte depends on seq. */
static void elem_fill(uint8_t *e, uint32_t seq, unsigned int esize)
{
	for (unsigned int w = 0; w < esize / 4; w++) {
		uint32_t v = seq * 2654435761u + w * 0x9e3779b9u + 1;

		memcpy(e + 4 * w, &v, 4);
	}
}

enum { MODE_SINGLE, MODE_MULTI, MODE_DEFAULT, MODE_ONE }; /* sp/sc, mp/mc, generic, one object */

static unsigned int do_enqueue(struct px_ring *r, unsigned int esize, int mode, int burst,
			       const void *objs, unsigned int n, unsigned int *free_space)
{
	if (esize != sizeof(void *) || mode == MODE_ONE) {
		if (mode == MODE_ONE) { /* px_ring_enqueue() and friends: pointers only */
			void *o;

			memcpy(&o, objs, sizeof(o));
			return px_ring_enqueue(r, o) == 0;
		}
		if (mode == MODE_SINGLE)
			return burst ? px_ring_sp_enqueue_burst_elem(r, objs, esize, n, free_space)
				     : px_ring_sp_enqueue_bulk_elem(r, objs, esize, n, free_space);
		if (mode == MODE_MULTI)
			return burst ? px_ring_mp_enqueue_burst_elem(r, objs, esize, n, free_space)
				     : px_ring_mp_enqueue_bulk_elem(r, objs, esize, n, free_space);
		return burst ? px_ring_enqueue_burst_elem(r, objs, esize, n, free_space)
			     : px_ring_enqueue_bulk_elem(r, objs, esize, n, free_space);
	}
	if (mode == MODE_SINGLE)
		return burst ? px_ring_sp_enqueue_burst(r, objs, n, free_space)
			     : px_ring_sp_enqueue_bulk(r, objs, n, free_space);
	if (mode == MODE_MULTI)
		return burst ? px_ring_mp_enqueue_burst(r, objs, n, free_space)
			     : px_ring_mp_enqueue_bulk(r, objs, n, free_space);
	return burst ? px_ring_enqueue_burst(r, objs, n, free_space)
		     : px_ring_enqueue_bulk(r, objs, n, free_space);
}

static unsigned int do_dequeue(struct px_ring *r, unsigned int esize, int mode, int burst,
			       void *objs, unsigned int n, unsigned int *available)
{
	if (esize != sizeof(void *) || mode == MODE_ONE) {
		if (mode == MODE_ONE)
			return px_ring_dequeue(r, objs) == 0;
		if (mode == MODE_SINGLE)
			return burst ? px_ring_sc_dequeue_burst_elem(r, objs, esize, n, available)
				     : px_ring_sc_dequeue_bulk_elem(r, objs, esize, n, available);
		if (mode == MODE_MULTI)
			return burst ? px_ring_mc_dequeue_burst_elem(r, objs, esize, n, available)
				     : px_ring_mc_dequeue_bulk_elem(r, objs, esize, n, available);
		return burst ? px_ring_dequeue_burst_elem(r, objs, esize, n, available)
			     : px_ring_dequeue_bulk_elem(r, objs, esize, n, available);
	}
	if (mode == MODE_SINGLE)
		return burst ? px_ring_sc_dequeue_burst(r, objs, n, available)
			     : px_ring_sc_dequeue_bulk(r, objs, n, available);
	if (mode == MODE_MULTI)
		return burst ? px_ring_mc_dequeue_burst(r, objs, n, available)
			     : px_ring_mc_dequeue_bulk(r, objs, n, available);
	return burst ? px_ring_dequeue_burst(r, objs, n, available)
		     : px_ring_dequeue_bulk(r, objs, n, available);
}

struct index_case {
	unsigned int count, flags, esize;
	uint32_t start, stale;
	int modes; /* 1: only SP/SC and generic calls, 2: only MP/MC and generic, 3: all,
		    * 4: only generic (a PX_RING_F_MT_SEQ ring) */
};

/* 3000 random calls against a model (the count and the next sequence number in and out):
 * every return value, every object, every free_space/available and every snapshot accessor. */
static int run_index_case(const struct index_case *c)
{
	static uint8_t in[MAX_N * MAX_ESIZE], out[MAX_N * MAX_ESIZE], want[MAX_ESIZE];
	ssize_t sz = px_ring_get_memsize_elem(c->esize, c->count, c->flags);
	struct px_ring *r = ring_mem(sz);
	uint32_t seed = c->start ^ c->count ^ (c->esize << 8) ^ (c->stale << 3) ^ 0x1234567u;
	uint32_t seq_in = 0, seq_out = 0;
	unsigned int cap, step;
	int ret = PX_TEST_FAILED;

	PX_TEST_ASSERT(r != NULL, "alloc %zd", sz);
	if (px_ring_init_elem(r, "idx", c->esize, c->count, c->flags) != 0)
		goto out;
	cap = px_ring_get_capacity(r);
	ring_start_at(r, c->start, c->stale);
	for (step = 0; step < 3000; step++) {
		uint32_t x = rnd(&seed), count = seq_in - seq_out, got, expect, left = 12345;
		int deq = x & 1, burst = (x >> 1) & 1, mode = (x >> 2) % 4, ask = (x >> 4) & 1;
		unsigned int n = (x >> 8) % (cap + 2), i;

		if (mode != MODE_DEFAULT &&
		    ((c->modes == 1 && mode == MODE_MULTI) ||
		     (c->modes == 2 && mode == MODE_SINGLE) || (c->modes == 4 && mode != MODE_ONE)))
			mode = MODE_DEFAULT;
		if (mode == MODE_ONE && c->esize != sizeof(void *))
			mode = MODE_DEFAULT;
		if (mode == MODE_ONE) {
			n = 1;
			burst = 0;
			ask = 0;
		}
		if (n > MAX_N)
			n = MAX_N;
		if (!deq) {
			uint32_t room = cap - count;

			for (i = 0; i < n; i++)
				elem_fill(&in[i * c->esize], seq_in + i, c->esize);
			expect = n <= room ? n : burst ? room : 0;
			got = do_enqueue(r, c->esize, mode, burst, in, n, ask ? &left : NULL);
			if (got != expect || (ask && left != room - expect)) {
				fprintf(stderr,
					"step %u: enqueue n=%u mode=%d burst=%d: moved %u (want %u), free %u (want %u)\n",
					step, n, mode, burst, got, expect, ask ? left : 0,
					ask ? room - expect : 0);
				goto out;
			}
			seq_in += got;
		} else {
			expect = n <= count ? n : burst ? count : 0;
			got = do_dequeue(r, c->esize, mode, burst, out, n, ask ? &left : NULL);
			if (got != expect || (ask && left != count - expect)) {
				fprintf(stderr,
					"step %u: dequeue n=%u mode=%d burst=%d: moved %u (want %u), available %u (want %u)\n",
					step, n, mode, burst, got, expect, ask ? left : 0,
					ask ? count - expect : 0);
				goto out;
			}
			for (i = 0; i < got; i++) {
				elem_fill(want, seq_out + i, c->esize);
				if (memcmp(&out[i * c->esize], want, c->esize) != 0) {
					fprintf(stderr, "step %u: object %" PRIu32 " wrong\n", step,
						seq_out + i);
					goto out;
				}
			}
			seq_out += got;
		}
		count = seq_in - seq_out;
		if (px_ring_count(r) != count || px_ring_free_count(r) != cap - count ||
		    px_ring_empty(r) != (count == 0) || px_ring_full(r) != (count == cap)) {
			fprintf(stderr,
				"step %u: count %u free %u empty %d full %d, model %u of %u\n",
				step, px_ring_count(r), px_ring_free_count(r), px_ring_empty(r),
				px_ring_full(r), count, cap);
			goto out;
		}
	}
	if (c->start != 0 && seq_in <= 40) {
		fprintf(stderr, "only %u objects: the indices did not cross the boundary\n",
			seq_in);
		goto out;
	}
	ret = PX_TEST_OK;
out:
	if (ret != PX_TEST_OK)
		fprintf(stderr,
			"ring count %u flags %#x esize %u start %#" PRIx32 " stale %" PRIu32
			" modes %d (seed %#x)\n",
			c->count, c->flags, c->esize, c->start, c->stale, c->modes, seed);
	free(r);
	return ret;
}

static int test_ring_index(void)
{
	static const uint32_t starts[] = {0, 0x80000000u - 40, 0u - 40};
	static const struct {
		unsigned int count, flags;
	} rings[] = {
		{2, 0}, {4, 0}, {64, 0}, {20, PX_RING_F_EXACT_SZ}, {65, PX_RING_F_EXACT_SZ},
	};
	static const unsigned int esizes[] = {sizeof(void *), 4, 16};
	static const struct {
		unsigned int flags;
		int first, last; /* index_case.modes from..to */
	} modes[] = {
		{PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ, 1, 3}, /* SP/SC default; every call kind */
		{0, 1, 3},                                   /* MP/MC default; every call kind */
		{PX_RING_F_MT_SEQ, 4, 4},                    /* slot sequences; generic calls */
	};
	unsigned int cases = 0;

	for (unsigned int s = 0; s < PX_DIM(starts); s++)
		for (unsigned int g = 0; g < PX_DIM(rings); g++)
			for (unsigned int e = 0; e < PX_DIM(esizes); e++)
				for (unsigned int m = 0; m < PX_DIM(modes); m++)
					for (int only = modes[m].first; only <= modes[m].last;
					     only++) {
						/* Caches fresh, and 2^30 behind: staler than MP/MC
						 * calls let them get (px_ring_cache_age()). */
						for (uint32_t stale = 0; stale <= (1u << 30);
						     stale += 1u << 30) {
							struct index_case c = {
								rings[g].count,
								rings[g].flags | modes[m].flags,
								esizes[e],
								starts[s],
								stale,
								only,
							};

							if (run_index_case(&c) != PX_TEST_OK)
								return PX_TEST_FAILED;
							cases++;
						}
					}
	printf("%u cases, 3000 calls each\n", cases);
	return PX_TEST_OK;
}
PX_TEST(ring_index_autotest, PX_TEST_F_FAST, test_ring_index)

/* ---- more than 2^32 objects --------------------------------------------------------------- */

#define LONG_OBJS ((1ull << 32) + (1ull << 22))
#define BURST 32

static struct px_ring *long_ring(unsigned int flags)
{
	ssize_t sz = px_ring_get_memsize(1024, flags);
	struct px_ring *r = ring_mem(sz);

	if (r != NULL && px_ring_init(r, NULL, 1024, flags) != 0) {
		free(r);
		r = NULL;
	}
	return r;
}

/* Which calls a long run makes: sp/sc, mp/mc, or the generic ones on a PX_RING_F_MT_SEQ ring. */
enum long_kind { LONG_MPMC, LONG_SPSC, LONG_SEQ };

static const unsigned int long_flags[] = {
	[LONG_MPMC] = 0,
	[LONG_SPSC] = PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ,
	[LONG_SEQ] = PX_RING_F_MT_SEQ,
};

static unsigned int long_enqueue(struct px_ring *r, enum long_kind k, int bulk, void **objs,
				 unsigned int n)
{
	if (k == LONG_SPSC)
		return bulk ? px_ring_sp_enqueue_bulk(r, objs, n, NULL)
			    : px_ring_sp_enqueue_burst(r, objs, n, NULL);
	if (k == LONG_MPMC)
		return bulk ? px_ring_mp_enqueue_bulk(r, objs, n, NULL)
			    : px_ring_mp_enqueue_burst(r, objs, n, NULL);
	return bulk ? px_ring_enqueue_bulk(r, objs, n, NULL)
		    : px_ring_enqueue_burst(r, objs, n, NULL);
}

static unsigned int long_dequeue(struct px_ring *r, enum long_kind k, int bulk, void **objs,
				 unsigned int n, unsigned int *left)
{
	if (k == LONG_SPSC)
		return bulk ? px_ring_sc_dequeue_bulk(r, objs, n, left)
			    : px_ring_sc_dequeue_burst(r, objs, n, left);
	if (k == LONG_MPMC)
		return bulk ? px_ring_mc_dequeue_bulk(r, objs, n, left)
			    : px_ring_mc_dequeue_burst(r, objs, n, left);
	return bulk ? px_ring_dequeue_bulk(r, objs, n, left)
		    : px_ring_dequeue_burst(r, objs, n, left);
}

/* The loop that found the bug: enqueue 32, dequeue 32, then a dequeue that must find the ring
 * empty, for more than 2^32 objects, with the calls of kind @k. */
static int long_single_thread(enum long_kind k)
{
	struct px_ring *r = long_ring(long_flags[k]);
	static void *big[1023];
	void *in[BURST], *out[BURST];
	uint64_t seq = 0;

	PX_TEST_ASSERT(r != NULL, "ring");
	while (seq < LONG_OBJS) {
		unsigned int i, n, left = 1;

		for (i = 0; i < BURST; i++)
			in[i] = (void *)(uintptr_t)(seq + i + 1);
		n = long_enqueue(r, k, 0, in, BURST);
		PX_TEST_ASSERT_EQ(n, BURST, "enqueue after %" PRIu64 " objects", seq);
		n = long_dequeue(r, k, 0, out, BURST, NULL);
		PX_TEST_ASSERT_EQ(n, BURST, "dequeue after %" PRIu64 " objects", seq);
		for (i = 0; i < BURST; i++)
			if (out[i] != in[i])
				PX_TEST_ASSERT(0, "object %" PRIu64 " wrong", seq + i);
		seq += BURST;
		n = long_dequeue(r, k, 0, out, BURST, NULL);
		PX_TEST_ASSERT_EQ(n, 0, "the empty ring gave objects after %" PRIu64, seq);
		if ((seq & 0xffffff) == 0 && k != LONG_SEQ) {
			/* now and then, the exact outputs of the SP/SC calls too */
			n = px_ring_sc_dequeue_burst(r, out, BURST, &left);
			PX_TEST_ASSERT(n == 0 && left == 0, "available %u after %" PRIu64, left,
				       seq);
			n = px_ring_sp_enqueue_bulk(r, in, 0, &left);
			PX_TEST_ASSERT_EQ(left, 1023, "free after %" PRIu64, seq);
		} else if ((seq & 0xffffff) == 0) {
			n = long_dequeue(r, k, 0, out, BURST, &left);
			PX_TEST_ASSERT(n == 0 && left == 0, "available %u after %" PRIu64, left,
				       seq);
			/* a full ring, wrapped: every slot's sequence is checked by the calls */
			for (i = 0; i < 1023; i++)
				PX_TEST_ASSERT_EQ(px_ring_enqueue(r, in[i % BURST]), 0, "fill %u",
						  i);
			PX_TEST_ASSERT_EQ(px_ring_enqueue(r, in[0]), -ENOBUFS, "full");
			PX_TEST_ASSERT_EQ(long_dequeue(r, k, 1, big, 1023, &left), 1023, "drain");
			PX_TEST_ASSERT_EQ(left, 0, "drained");
			for (i = 0; i < 1023; i++)
				PX_TEST_ASSERT(big[i] == in[i % BURST], "full ring object %u", i);
		}
	}
	free(r);
	return PX_TEST_OK;
}

static int test_ring_long_spsc(void)
{
	return long_single_thread(LONG_SPSC);
}
PX_TEST(ring_long_spsc_autotest, PX_TEST_F_SLOW, test_ring_long_spsc)

static int test_ring_long_mpmc(void)
{
	return long_single_thread(LONG_MPMC);
}
PX_TEST(ring_long_mpmc_autotest, PX_TEST_F_SLOW, test_ring_long_mpmc)

static int test_ring_long_seq(void)
{
	return long_single_thread(LONG_SEQ);
}
PX_TEST(ring_long_seq_autotest, PX_TEST_F_SLOW, test_ring_long_seq)

/* SP/SC calls, then 2^32 - 40 objects through MP/MC calls on the same ring, then SP/SC calls
 * again: the SP/SC caches from before must not be trusted (40 objects off a whole turn of the
 * 32-bit indices, they would show 108 entries where there are 68, and 8 slots too many). */
static int test_ring_long_mixed(void)
{
	struct px_ring *r = long_ring(PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	void *objs[1024];
	uint64_t moved = 0, total = (1ull << 32) - 40;
	unsigned int i, n;

	PX_TEST_ASSERT(r != NULL, "ring");
	for (i = 0; i < 100; i++)
		objs[i] = (void *)(uintptr_t)(i + 1);
	PX_TEST_ASSERT_EQ(px_ring_sp_enqueue_bulk(r, objs, 100, NULL), 100, "sp 100");
	PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_burst(r, objs, 32, NULL), 32, "sc 32");
	/* 68 entries (33..100) stay in the ring while MP/MC calls cycle others through it. */
	while (moved < total) {
		n = (unsigned int)PX_MIN((uint64_t)BURST, total - moved);
		PX_TEST_ASSERT_EQ(px_ring_mp_enqueue_bulk(r, objs, n, NULL), n, "mp");
		PX_TEST_ASSERT_EQ(px_ring_mc_dequeue_bulk(r, objs, n, NULL), n, "mc");
		moved += n;
	}
	PX_TEST_ASSERT_EQ(px_ring_sp_enqueue_bulk(r, objs, 960, NULL), 0,
			  "960 objects into 955 free slots");
	PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_bulk(r, objs, 100, NULL), 0, "100 of 68 entries");
	PX_TEST_ASSERT_EQ(px_ring_count(r), 68, "count");
	free(r);
	return PX_TEST_OK;
}
PX_TEST(ring_long_mixed_autotest, PX_TEST_F_SLOW, test_ring_long_mixed)

/* Two lcores: the worker produces 1..LONG_OBJS in bursts of 1..PIPE_BURST, the main lcore
 * consumes in bursts of other sizes and checks every object in order. Bursts average 64 so that
 * 2^32 objects take seconds, not minutes; a side that finds nothing to do for a while yields
 * its CPU, so the test also finishes on a machine with more runnable threads than CPUs. */
#define PIPE_BURST 128
#define PIPE_SPINS 4096

struct pipeline {
	struct px_ring *r;
	enum long_kind kind;
};

static void pipeline_idle(unsigned int *idle)
{
	if (++*idle == PIPE_SPINS) {
		*idle = 0;
		sched_yield();
	}
}

static int pipeline_producer(void *arg)
{
	struct pipeline *p = arg;
	void *objs[PIPE_BURST];
	uint64_t seq = 0;
	unsigned int burst = 0, idle = 0;

	while (seq < LONG_OBJS) {
		unsigned int i, n, done;

		burst = burst % PIPE_BURST + 1;
		n = (unsigned int)PX_MIN((uint64_t)burst, LONG_OBJS - seq);
		for (i = 0; i < n; i++)
			objs[i] = (void *)(uintptr_t)(seq + i + 1);
		done = long_enqueue(p->r, p->kind, burst & 1, objs, n);
		if (done == 0)
			pipeline_idle(&idle);
		seq += done;
	}
	return 0;
}

static int long_pipeline(enum long_kind k)
{
	unsigned int flags = long_flags[k];
	ssize_t sz = px_ring_get_memsize(4096, flags);
	struct pipeline p = {ring_mem(sz), k};
	void *objs[PIPE_BURST];
	uint64_t seq = 0;
	unsigned int worker, burst = 0, idle = 0;

	PX_TEST_ASSERT(p.r != NULL && px_ring_init(p.r, NULL, 4096, flags) == 0, "ring");
	PX_TEST_ASSERT(px_test_eal_init("-l 0-1 --no-huge") >= 0, "init");
	worker = px_get_next_lcore(-1, 1, 0);
	if (worker >= PX_MAX_LCORE) {
		px_eal_cleanup();
		free(p.r);
		PX_TEST_SKIP("needs two lcores (-l 0-1)");
	}
	PX_TEST_ASSERT_EQ(px_remote_launch(pipeline_producer, &p, worker), 0, "launch");
	while (seq < LONG_OBJS) {
		unsigned int i, n;

		burst = (burst + 37) % PIPE_BURST + 1;
		n = long_dequeue(p.r, k, !(burst & 2), objs, burst, NULL);
		if (n == 0)
			pipeline_idle(&idle);
		for (i = 0; i < n; i++)
			if ((uintptr_t)objs[i] != (uintptr_t)(seq + i + 1))
				break;
		if (i != n) {
			fprintf(stderr, "object %" PRIu64 " is %#" PRIxPTR "\n", seq + i + 1,
				(uintptr_t)objs[i]);
			px_wait_lcore(worker);
			PX_TEST_ASSERT(0, "sequence broken");
		}
		seq += n;
	}
	PX_TEST_ASSERT_EQ(px_wait_lcore(worker), 0, "producer");
	PX_TEST_ASSERT(px_ring_empty(p.r), "drained");
	PX_TEST_ASSERT_EQ(p.r->prod.tail, (uint32_t)LONG_OBJS, "the index went round 2^32");
	free(p.r);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}

static int test_ring_long_pipeline_spsc(void)
{
	return long_pipeline(LONG_SPSC);
}
PX_TEST(ring_long_pipeline_spsc_autotest, PX_TEST_F_SLOW, test_ring_long_pipeline_spsc)

static int test_ring_long_pipeline_mpmc(void)
{
	return long_pipeline(LONG_MPMC);
}
PX_TEST(ring_long_pipeline_mpmc_autotest, PX_TEST_F_SLOW, test_ring_long_pipeline_mpmc)

static int test_ring_long_pipeline_seq(void)
{
	return long_pipeline(LONG_SEQ);
}
PX_TEST(ring_long_pipeline_seq_autotest, PX_TEST_F_SLOW, test_ring_long_pipeline_seq)

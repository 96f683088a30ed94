/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The multi-lcore benchmark loops (issue 19), written once against the B_* adapter macros that
 * pollux_scale.c and dpdk_scale.c define. Every lcore of the EAL's -l list runs at once (the main
 * lcore too); the lcore count is the EAL's.
 *
 * scale_mempool_cache:   every lcore gets 32 objects and puts them back, one pool of 64-byte
 *                        objects with a per-lcore cache of 256.
 * scale_mempool_nocache: the same pool with no cache: every get and put goes to the pool's ring.
 * scale_spsc_pairs:      pairs of lcores (an odd one out idles), each pair an SP/SC ring of 4096:
 *                        one enqueues bursts of 32, the other dequeues them (2 lcores or more).
 * scale_mpmc_shared:     every lcore enqueue-bulk 32 then dequeue-bulk 32 on ONE MP/MC ring of
 *                        16384.
 * scale_mpmc_pipeline:   N = lcores/2 producers enqueue bursts of 32 on one MP/MC ring of 16384,
 *                        the other M lcores dequeue bursts of 32 (2 lcores or more).
 * scale_mpmc_shared_mt, scale_mpmc_pipeline_mt: the same two on each library's ring mode for
 *                        contention, through the generic calls (B_RING_CREATE kind 2): Pollux's
 *                        slot sequences (PX_RING_F_MT_SEQ), DPDK's relaxed tail sync (RTS).
 *
 * Each lcore does ITERS bursts (a producer's bursts for the pairs and the pipeline); all start
 * together after a barrier. RESULT is the TSC cycles from the first lcore's start to the last
 * one's end divided by the objects one lcore (one producer) moved: cycles per object per lcore,
 * lower is better; the machine's aggregate rate is (lcores or producers) * TSC Hz / RESULT.
 * The best of bench_reps() runs after a warm-up run.
 */
#include "../common/bench_common.h"

#define BURST 32
#define SHARED_RING 16384
#define PAIR_RING 4096
#define POOL_OBJS 32767
#define POOL_CACHE 256
#define MAX_LC 256

enum workload {
	W_MP_CACHE,
	W_MP_NOCACHE,
	W_PAIRS,
	W_SHARED,
	W_PIPELINE,
	W_SHARED_MT,
	W_PIPELINE_MT
};

static const char *const scale_metrics[] = {"scale_mempool_cache",    "scale_mempool_nocache",
					    "scale_spsc_pairs",       "scale_mpmc_shared",
					    "scale_mpmc_pipeline",    "scale_mpmc_shared_mt",
					    "scale_mpmc_pipeline_mt", NULL};

/* B_RING_CREATE kinds */
#define RING_MPMC 0
#define RING_SPSC 1
#define RING_MT 2 /* the library's mode for many threads (generic calls) */

struct lc {
	unsigned int idx;
	uint64_t t0, t1;
} __attribute__((aligned(64)));

static struct {
	enum workload w;
	uint64_t iters;
	unsigned int n, nprod;
	B_MEMPOOL *mp;
	B_RING *ring[MAX_LC / 2];
	unsigned int ready __attribute__((aligned(64)));
	unsigned int prod_left __attribute__((aligned(64)));
} S;

static struct lc lcs[MAX_LC];

static BENCH_NOINLINE void bench_loop_mempool(B_MEMPOOL *mp, uint64_t iters)
{
	void *objs[BURST];

	for (uint64_t i = 0; i < iters; i++) {
		while (B_MEMPOOL_GET_BULK(mp, objs, BURST) != 0)
			;
		B_MEMPOOL_PUT_BULK(mp, objs, BURST);
	}
}

static BENCH_NOINLINE void bench_loop_produce_sp(B_RING *r, uint64_t iters)
{
	void *objs[BURST];

	bench_fill_objs(objs, BURST);
	for (uint64_t i = 0; i < iters;)
		i += B_SP_ENQ_BULK(r, objs, BURST) ? 1 : 0;
}

static BENCH_NOINLINE void bench_loop_consume_sc(B_RING *r, uint64_t objs)
{
	void *out[BURST];
	uint64_t got = 0;

	while (got < objs)
		got += B_SC_DEQ_BULK(r, out, BURST);
	bench_sink((uintptr_t)out[0]);
}

/* The shared-ring and pipeline loops, written once for the mp/mc calls (the MP/MC ring) and
 * once for the generic ones (the contention mode, RING_MT). */
#define SCALE_RING_LOOPS(sfx, ENQ, DEQ)                                               \
	static BENCH_NOINLINE void bench_loop_shared##sfx(B_RING *r, uint64_t iters)  \
	{                                                                             \
		void *objs[BURST], *out[BURST];                                       \
                                                                                      \
		bench_fill_objs(objs, BURST);                                         \
		for (uint64_t i = 0; i < iters; i++) {                                \
			while (ENQ(r, objs, BURST) == 0)                              \
				;                                                     \
			while (DEQ(r, out, BURST) == 0)                               \
				;                                                     \
		}                                                                     \
		bench_sink((uintptr_t)out[0]);                                        \
	}                                                                             \
                                                                                      \
	static BENCH_NOINLINE void bench_loop_produce##sfx(B_RING *r, uint64_t iters) \
	{                                                                             \
		void *objs[BURST];                                                    \
                                                                                      \
		bench_fill_objs(objs, BURST);                                         \
		for (uint64_t i = 0; i < iters;)                                      \
			i += ENQ(r, objs, BURST) ? 1 : 0;                             \
		__atomic_fetch_sub(&S.prod_left, 1, __ATOMIC_RELEASE);                \
	}                                                                             \
                                                                                      \
	/* Dequeue until every producer is done and the ring is empty. */             \
	static BENCH_NOINLINE void bench_loop_consume##sfx(B_RING *r)                 \
	{                                                                             \
		void *out[BURST];                                                     \
                                                                                      \
		for (;;) {                                                            \
			if (DEQ(r, out, BURST) != 0)                                  \
				continue;                                             \
			if (__atomic_load_n(&S.prod_left, __ATOMIC_ACQUIRE) == 0 &&   \
			    DEQ(r, out, BURST) == 0)                                  \
				break;                                                \
		}                                                                     \
		bench_sink((uintptr_t)out[0]);                                        \
	}

SCALE_RING_LOOPS(_mpmc, B_MP_ENQ_BULK, B_MC_DEQ_BULK)
SCALE_RING_LOOPS(_mt, B_ENQ_BULK, B_DEQ_BULK)

static int scale_lcore(void *arg)
{
	struct lc *me = arg;
	unsigned int i = me->idx;

	__atomic_fetch_add(&S.ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&S.ready, __ATOMIC_ACQUIRE) < S.n)
		;
	me->t0 = bench_tsc();
	switch (S.w) {
	case W_MP_CACHE:
	case W_MP_NOCACHE:
		bench_loop_mempool(S.mp, S.iters);
		break;
	case W_PAIRS:
		if (i / 2 >= S.n / 2)
			break; /* the odd one out */
		if (i % 2 == 0)
			bench_loop_produce_sp(S.ring[i / 2], S.iters);
		else
			bench_loop_consume_sc(S.ring[i / 2], S.iters * BURST);
		break;
	case W_SHARED:
		bench_loop_shared_mpmc(S.ring[0], S.iters);
		break;
	case W_PIPELINE:
		if (i < S.nprod)
			bench_loop_produce_mpmc(S.ring[0], S.iters);
		else
			bench_loop_consume_mpmc(S.ring[0]);
		break;
	case W_SHARED_MT:
		bench_loop_shared_mt(S.ring[0], S.iters);
		break;
	case W_PIPELINE_MT:
		if (i < S.nprod)
			bench_loop_produce_mt(S.ring[0], S.iters);
		else
			bench_loop_consume_mt(S.ring[0]);
		break;
	}
	me->t1 = bench_tsc();
	return 0;
}

/* One run on every lcore: cycles from the first start to the last end. */
static uint64_t run_once(uint64_t iters)
{
	unsigned int w = 0, idx = 1;
	uint64_t t0 = UINT64_MAX, t1 = 0;

	S.iters = iters;
	S.ready = 0;
	S.prod_left = S.nprod;
	for (w = B_NEXT_WORKER(-1); w != B_NO_WORKER; w = B_NEXT_WORKER(w))
		B_LAUNCH(scale_lcore, &lcs[idx++], w);
	scale_lcore(&lcs[0]);
	for (w = B_NEXT_WORKER(-1); w != B_NO_WORKER; w = B_NEXT_WORKER(w))
		B_WAIT(w);
	for (unsigned int i = 0; i < S.n; i++) {
		t0 = lcs[i].t0 < t0 ? lcs[i].t0 : t0;
		t1 = lcs[i].t1 > t1 ? lcs[i].t1 : t1;
	}
	return t1 - t0;
}

static int setup(const char *m)
{
	char name[32];

	if (S.w == W_MP_CACHE || S.w == W_MP_NOCACHE) {
		S.mp = B_MEMPOOL_CREATE("scale_mp", POOL_OBJS, 64,
					S.w == W_MP_CACHE ? POOL_CACHE : 0);
		return S.mp != NULL ? 0 : -1;
	}
	if ((S.w == W_PAIRS || S.w == W_PIPELINE || S.w == W_PIPELINE_MT) && S.n < 2) {
		fprintf(stderr, "%s needs two lcores or more\n", m);
		return 77;
	}
	for (unsigned int p = 0; p < (S.w == W_PAIRS ? S.n / 2 : 1); p++) {
		snprintf(name, sizeof(name), "scale%u", p);
		S.ring[p] = S.w == W_PAIRS       ? B_RING_CREATE(name, PAIR_RING, RING_SPSC)
			    : S.w >= W_SHARED_MT ? B_RING_CREATE(name, SHARED_RING, RING_MT)
						 : B_RING_CREATE(name, SHARED_RING, RING_MPMC);
		if (S.ring[p] == NULL)
			return -1;
	}
	S.nprod = S.w == W_PIPELINE || S.w == W_PIPELINE_MT ? S.n / 2 : 0;
	return 0;
}

static int run_metric(const char *m, uint64_t iters)
{
	uint64_t cyc, best = UINT64_MAX;
	int ret, which = 0;

	while (strcmp(scale_metrics[which], m) != 0)
		which++;
	S.w = (enum workload)which;
	S.n = B_LCORE_COUNT();
	if (S.n > MAX_LC) {
		fprintf(stderr, "at most %d lcores\n", MAX_LC);
		return 1;
	}
	for (unsigned int i = 0; i < S.n; i++)
		lcs[i].idx = i;
	ret = setup(scale_metrics[which]);
	if (ret != 0) {
		if (ret < 0)
			fprintf(stderr, "pool or ring create failed\n");
		return ret < 0 ? 1 : ret;
	}
	run_once(warm(iters));
	/* The best of a few runs: other load on the machine only ever adds cycles. */
	for (int rep = 0; rep < bench_reps(); rep++) {
		cyc = run_once(iters);
		best = cyc < best ? cyc : best;
	}
	bench_result(scale_metrics[which], best, iters * BURST);
	return 0;
}

int main(int argc, char **argv)
{
	return bench_main(argc, argv, scale_metrics, run_metric);
}

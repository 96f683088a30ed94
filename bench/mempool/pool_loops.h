/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mempool and mbuf benchmark loops, written once against the B_* adapter macros that
 * pollux_mempool.c and dpdk_mempool.c define.
 *
 * mempool_cache_bulk32: get 32 objects and put them back through the lcore cache (cycles per
 * object for the get+put pair). mbuf_alloc_free_bulk32: allocate 32 packet mbufs and free them
 * in bulk (cycles per mbuf).
 */
#include "../common/bench_common.h"

#define NB_OBJS 8191
#define CACHE 256
#define BURST 32

static BENCH_NOINLINE uint64_t bench_loop_mempool(B_MEMPOOL *mp, uint64_t iters)
{
	void *objs[BURST];
	uint64_t t0 = bench_tsc();

	for (uint64_t i = 0; i < iters; i++) {
		if (B_MEMPOOL_GET_BULK(mp, objs, BURST) != 0)
			abort();
		B_MEMPOOL_PUT_BULK(mp, objs, BURST);
	}
	return bench_tsc() - t0;
}

static BENCH_NOINLINE uint64_t bench_loop_mbuf(B_MEMPOOL *mp, uint64_t iters)
{
	B_MBUF *m[BURST];
	uint64_t t0 = bench_tsc();

	for (uint64_t i = 0; i < iters; i++) {
		if (B_MBUF_ALLOC_BULK(mp, m, BURST) != 0)
			abort();
		B_MBUF_FREE_BULK(m, BURST);
	}
	return bench_tsc() - t0;
}

static const char *const pool_metrics[] = {"mempool_cache_bulk32", "mbuf_alloc_free_bulk32", NULL};

static int run_metric(const char *m, uint64_t iters)
{
	uint64_t (*loop)(B_MEMPOOL *, uint64_t) = bench_loop_mempool;
	B_MEMPOOL *mp;

	if (strcmp(m, "mempool_cache_bulk32") == 0) {
		mp = B_MEMPOOL_CREATE("bench_mp", NB_OBJS, 64, CACHE);
	} else {
		mp = B_MBUF_POOL_CREATE("bench_mbuf", NB_OBJS, CACHE);
		loop = bench_loop_mbuf;
	}
	if (mp == NULL) {
		fprintf(stderr, "pool create failed\n");
		return 1;
	}
	uint64_t best = UINT64_MAX, cyc;

	loop(mp, warm(iters));
	/* The best of a few runs: other load on the machine only ever adds cycles. */
	for (int rep = 0; rep < bench_reps(); rep++) {
		cyc = loop(mp, iters);
		best = cyc < best ? cyc : best;
	}
	bench_result(m, best, iters * BURST);
	return 0;
}

int main(int argc, char **argv)
{
	return bench_main(argc, argv, pool_metrics, run_metric);
}

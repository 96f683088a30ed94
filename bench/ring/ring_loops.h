/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ring benchmark loops, written once against the B_* adapter macros that pollux_ring.c and
 * dpdk_ring.c define, so both libraries run exactly the same code around their calls.
 *
 * ring_{spsc,mpmc}_bulk32: one core enqueues a burst of 32 and dequeues it again.
 * ring_{spsc,mpmc}_single: the same with single objects.
 * ring_spsc_bulk32_2core: the main lcore enqueues bursts of 32, a worker lcore dequeues them.
 * Unit: TSC cycles per object.
 */
#include "../common/bench_common.h"

#define RING_SIZE 4096
#define BURST 32

static BENCH_NOINLINE uint64_t bench_loop_bulk32(B_RING *r, int single, uint64_t iters)
{
	void *objs[BURST], *out[BURST];
	uint64_t t0, i;

	bench_fill_objs(objs, BURST);
	t0 = bench_tsc();
	if (single) {
		for (i = 0; i < iters; i++) {
			B_SP_ENQ_BULK(r, objs, BURST);
			B_SC_DEQ_BULK(r, out, BURST);
		}
	} else {
		for (i = 0; i < iters; i++) {
			B_MP_ENQ_BULK(r, objs, BURST);
			B_MC_DEQ_BULK(r, out, BURST);
		}
	}
	bench_sink((uintptr_t)out[BURST - 1]);
	return bench_tsc() - t0;
}

static BENCH_NOINLINE uint64_t bench_loop_single(B_RING *r, int single, uint64_t iters)
{
	void *obj = (void *)1, *out = NULL;
	uint64_t t0, i;

	t0 = bench_tsc();
	if (single) {
		for (i = 0; i < iters; i++) {
			B_SP_ENQ(r, obj);
			B_SC_DEQ(r, &out);
		}
	} else {
		for (i = 0; i < iters; i++) {
			B_MP_ENQ(r, obj);
			B_MC_DEQ(r, &out);
		}
	}
	bench_sink((uintptr_t)out);
	return bench_tsc() - t0;
}

struct two_core {
	B_RING *r;
	uint64_t objs;
	volatile int go;
};

static int bench_2core_consumer(void *arg)
{
	struct two_core *tc = arg;
	void *out[BURST];
	uint64_t got = 0;

	while (!tc->go)
		;
	while (got < tc->objs)
		got += B_SC_DEQ_BULK(tc->r, out, BURST);
	bench_sink((uintptr_t)out[0]);
	return 0;
}

static BENCH_NOINLINE uint64_t bench_loop_2core(B_RING *r, uint64_t iters, unsigned int worker)
{
	struct two_core tc = {.r = r, .objs = iters * BURST};
	void *objs[BURST];
	uint64_t t0, i;

	bench_fill_objs(objs, BURST);
	B_LAUNCH(bench_2core_consumer, &tc, worker);
	t0 = bench_tsc();
	__atomic_store_n(&tc.go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < iters;)
		i += B_SP_ENQ_BULK(r, objs, BURST) ? 1 : 0;
	B_WAIT(worker);
	return bench_tsc() - t0;
}

static const char *const ring_metrics[] = {"ring_spsc_bulk32",       "ring_mpmc_bulk32",
					   "ring_spsc_single",       "ring_mpmc_single",
					   "ring_spsc_bulk32_2core", NULL};

/* One timed run of metric @m: TSC cycles for @iters iterations; @objs gets the object count. */
static uint64_t run_once(const char *m, B_RING *r, uint64_t iters, uint64_t *objs)
{
	int spsc = strstr(m, "spsc") != NULL;

	if (strcmp(m, "ring_spsc_bulk32_2core") == 0) {
		*objs = iters * BURST;
		return bench_loop_2core(r, iters, B_NEXT_WORKER());
	}
	if (strstr(m, "bulk32") != NULL) {
		*objs = iters * BURST;
		return bench_loop_bulk32(r, spsc, iters);
	}
	*objs = iters;
	return bench_loop_single(r, spsc, iters);
}

static int run_metric(const char *m, uint64_t iters)
{
	B_RING *r = B_RING_CREATE(m + 5, RING_SIZE, strstr(m, "spsc") != NULL);
	uint64_t cyc, best = UINT64_MAX, objs;

	if (r == NULL) {
		fprintf(stderr, "ring create failed\n");
		return 1;
	}
	if (strstr(m, "2core") != NULL && B_NEXT_WORKER() == B_NO_WORKER) {
		fprintf(stderr, "needs two lcores\n");
		return 1;
	}
	run_once(m, r, warm(iters), &objs);
	/* The best of a few runs: other load on the machine only ever adds cycles. */
	for (int rep = 0; rep < bench_reps(); rep++) {
		cyc = run_once(m, r, iters, &objs);
		best = cyc < best ? cyc : best;
	}
	bench_result(m, best, objs);
	B_RING_FREE(r);
	return 0;
}

int main(int argc, char **argv)
{
	return bench_main(argc, argv, ring_metrics, run_metric);
}

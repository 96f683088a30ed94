/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the Pollux and DPDK benchmark programs: TSC reads, the command line, the result line.
 * A program is run as `prog EAL-ARGS -- METRIC ITERS` and prints `RESULT <metric> <value>`, the
 * TSC cycles per object of the timed loop. The timed loop of each metric is a noinline function
 * named bench_loop_<metric> so callgrind can count only its instructions
 * (--toggle-collect=bench_loop_*).
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

static inline uint64_t bench_tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
	return __builtin_readcyclecounter();
#endif
}

#define BENCH_NOINLINE __attribute__((noinline, used))

/* Keep a value alive so the loop is not optimised away. */
static inline void bench_sink(uintptr_t v)
{
	__asm__ volatile("" : : "r"(v) : "memory");
}

static inline void bench_result(const char *metric, uint64_t cycles, uint64_t objs)
{
	printf("RESULT %s %.3f\n", metric, objs ? (double)cycles / (double)objs : 0.0);
	fflush(stdout);
}

/* Warm-up iterations before the timed loop: an eighth, or none when BENCH_NO_WARMUP is set (the
 * callgrind runs, which count instructions of N and 2N iterations and take the difference). */
static inline uint64_t warm(uint64_t iters)
{
	return getenv("BENCH_NO_WARMUP") ? 0 : iters / 8;
}

/* Timed repetitions per run (the best is reported); 1 under callgrind (BENCH_NO_WARMUP). */
static inline int bench_reps(void)
{
	return getenv("BENCH_NO_WARMUP") ? 1 : 5;
}

static inline int bench_usage(const char *prog, const char *const *metrics)
{
	fprintf(stderr, "usage: %s EAL-ARGS -- METRIC ITERS\nmetrics:", prog);
	for (; *metrics; metrics++)
		fprintf(stderr, " %s", *metrics);
	fputc('\n', stderr);
	return 2;
}

/* The objects a producer enqueues: 1..n (never NULL). */
static inline void bench_fill_objs(void **objs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		objs[i] = (void *)(uintptr_t)(i + 1);
}

#ifdef B_EAL_INIT
/*
 * main() of a twin: `prog EAL-ARGS -- METRIC ITERS` runs @run(METRIC, ITERS) for a METRIC in
 * @metrics (NULL-terminated) between the side's EAL init and cleanup (B_EAL_INIT, B_EAL_CLEANUP).
 */
static inline int bench_main(int argc, char **argv, const char *const *metrics,
			     int (*run)(const char *m, uint64_t iters))
{
	int ret = B_EAL_INIT(argc, argv);

	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %d\n", ret);
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc != 3)
		return bench_usage(argv[0], metrics);
	for (int i = 0; metrics[i]; i++)
		if (strcmp(argv[1], metrics[i]) == 0) {
			ret = run(argv[1], strtoull(argv[2], NULL, 0));
			B_EAL_CLEANUP();
			return ret;
		}
	return bench_usage(argv[0], metrics);
}
#endif

#endif /* BENCH_COMMON_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_cycles.h
 * A cheap, monotonic cycle counter: the TSC on x86_64, the generic timer (CNTVCT_EL0) on aarch64,
 * the timebase on ppc64le. Its frequency is px_get_tsc_hz(): read from the architecture where it
 * states it (CNTFRQ_EL0, /proc/cpuinfo "timebase"), calibrated against CLOCK_MONOTONIC_RAW on x86.
 */
#ifndef PX_CYCLES_H
#define PX_CYCLES_H

#include <stdint.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Read the cycle counter. Not serialising: cheap enough for per-burst use. */
static inline uint64_t px_get_tsc_cycles(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
	uint64_t v;
	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#elif defined(__powerpc64__)
	uint64_t v;
	__asm__ volatile("mfspr %0, 268" : "=r"(v)); /* TBR: the timebase, user readable */
	return v;
#else
#error "px_get_tsc_cycles: unsupported architecture"
#endif
}

/**
 * Frequency of px_get_tsc_cycles() in Hz. Calibrated once (about 20 ms on x86, on the first call
 * or in px_eal_init()), then cached. Never returns 0.
 */
uint64_t px_get_tsc_hz(void);

/** Busy-wait @p us microseconds on the cycle counter. */
void px_delay_us(unsigned int us);

/** Sleep (yield the CPU) at least @p us microseconds. */
void px_delay_us_sleep(unsigned int us);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_CYCLES_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_cycles.h DPDK compatibility: the cycle counter and delays (px_cycles.h). */
#ifndef POLLUX_RTE_CYCLES_H
#define POLLUX_RTE_CYCLES_H

#include <stdint.h>

#include <rte_common.h>
#include <px_cycles.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MS_PER_S 1000
#define US_PER_S 1000000
#define NS_PER_S 1000000000

static inline uint64_t rte_rdtsc(void)
{
	return px_get_tsc_cycles();
}

static inline uint64_t rte_rdtsc_precise(void)
{
	px_smp_mb();
	return px_get_tsc_cycles();
}

static inline uint64_t rte_get_tsc_cycles(void)
{
	return px_get_tsc_cycles();
}

static inline uint64_t rte_get_tsc_hz(void)
{
	return px_get_tsc_hz();
}

/* The timer is the TSC, as in DPDK's default build (no HPET). */
static inline uint64_t rte_get_timer_cycles(void)
{
	return px_get_tsc_cycles();
}

static inline uint64_t rte_get_timer_hz(void)
{
	return px_get_tsc_hz();
}

static inline void rte_delay_us_block(unsigned int us)
{
	px_delay_us(us);
}

static inline void rte_delay_us(unsigned int us)
{
	px_delay_us(us);
}

static inline void rte_delay_ms(unsigned int ms)
{
	px_delay_us(ms * 1000u);
}

static inline void rte_delay_us_sleep(unsigned int us)
{
	px_delay_us_sleep(us);
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_CYCLES_H */

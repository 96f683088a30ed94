/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_random.h
 * DPDK compatibility: pseudo-random numbers (not cryptographic), one generator state per lcore
 * and one shared by other threads, as DPDK's.
 */
#ifndef POLLUX_RTE_RANDOM_H
#define POLLUX_RTE_RANDOM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** Seed every lcore's generator from @p seedval. */
void rte_srand(uint64_t seedval);
/** @return 64 pseudo-random bits. */
uint64_t rte_rand(void);
/** @return a pseudo-random number in [0, @p upper_bound) (0 for a bound of 0). */
uint64_t rte_rand_max(uint64_t upper_bound);
/** @return a pseudo-random double in [0, 1). */
double rte_drand(void);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_RANDOM_H */

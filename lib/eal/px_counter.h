/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_counter.h
 * 64-bit software counters with a single writer and any number of readers: what a PMD counts
 * per queue (packets, bytes, errors) in its burst functions, while the statistics thread reads
 * it with px_eth_stats_get(). DPDK 24.11 added the same thing as rte_counter64.
 *
 * Why not a plain uint64_t: the burst function on one lcore writes while another thread reads,
 * which is a data race, undefined behaviour in C11 (ThreadSanitizer reports it). It is not
 * academic either: on a 32-bit CPU a plain 64-bit store may be two 32-bit stores and the reader
 * sees half of an update (a torn read), and a compiler may keep the counter in a register for
 * the whole of a loop and store it once at the end, or never.
 *
 * Why not an atomic add: only the lcore that owns the queue ever writes its counter, so a
 * read-modify-write (a `lock add` on x86, an LL/SC loop elsewhere) would pay for exclusion
 * that is not needed, in every burst. A relaxed atomic load and a relaxed atomic store are
 * enough: each access is whole (not torn) and really happens, and on 64-bit CPUs they are
 * plain loads and stores (an add to memory becomes load, add, store: two instructions more per
 * counter and burst). Readers see the value of some recent burst; nothing orders it with other
 * memory, which statistics do not need.
 *
 * Reset without a race with the writer: px_counter64_reset() does not write the counter (the
 * writer's next store would undo that); it records the current value as an offset that
 * px_counter64_fetch() subtracts. Reset and fetch are control-path calls, made by one thread at
 * a time (as px_eth_stats_get() and px_eth_stats_reset() are).
 *
 * Add once per burst: accumulate in a local variable and call px_counter64_add() once with the
 * sum, never per packet.
 */
#ifndef PX_COUNTER_H
#define PX_COUNTER_H

#include <stdint.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** A single-writer 64-bit counter. Zero-initialised memory is a counter at 0. */
typedef struct px_counter64 {
	/* 8-byte aligned also where uint64_t alone is not (i386): an atomic access must be */
	uint64_t current __px_aligned(8); /**< written by the owner only */
	uint64_t offset __px_aligned(8);  /**< current at the last reset; written by reset only */
} px_counter64_t;

/**
 * Add @p n to the counter. Only one thread may add to a given counter (the lcore that polls
 * the queue it belongs to); any thread may fetch it meanwhile.
 * @param c the counter
 * @param n the amount; call once per burst with the burst's total
 */
static inline void px_counter64_add(px_counter64_t *c, uint64_t n)
{
	uint64_t v = __atomic_load_n(&c->current, __ATOMIC_RELAXED);

	__atomic_store_n(&c->current, v + n, __ATOMIC_RELAXED);
}

/**
 * Read the counter: what was added since the last px_counter64_reset(). Safe while the owner
 * adds; the value is that of some recent add.
 * @param c the counter
 * @return the count since the last reset
 */
static inline uint64_t px_counter64_fetch(const px_counter64_t *c)
{
	return __atomic_load_n(&c->current, __ATOMIC_RELAXED) -
	       __atomic_load_n(&c->offset, __ATOMIC_RELAXED);
}

/**
 * Set the counter back to 0, also while its owner adds to it: an add that runs at the same
 * time counts before or after the reset, and none undoes it. Not at the same time as a fetch
 * of the same counter on another thread (the control path calls one at a time).
 * @param c the counter
 */
static inline void px_counter64_reset(px_counter64_t *c)
{
	__atomic_store_n(&c->offset, __atomic_load_n(&c->current, __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_COUNTER_H */

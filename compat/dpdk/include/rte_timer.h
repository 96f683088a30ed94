/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_timer.h
 * DPDK compatibility: timers are Pollux's px_timer (lib/timer, px_timer.h): struct rte_timer is
 * struct px_timer, with DPDK's states, types and return values (-1 where a timer is busy).
 * DPDK's alternate timer-data instances (rte_timer_data_alloc, rte_timer_alt_*) are not in
 * Pollux: -ENOTSUP.
 */
#ifndef POLLUX_RTE_TIMER_H
#define POLLUX_RTE_TIMER_H

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <px_timer.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_TIMER_STOP PX_TIMER_STOP
#define RTE_TIMER_PENDING PX_TIMER_PENDING
#define RTE_TIMER_RUNNING PX_TIMER_RUNNING
#define RTE_TIMER_CONFIG PX_TIMER_CONFIG
#define RTE_TIMER_NO_OWNER PX_TIMER_NO_OWNER
#define RTE_TIMER_INITIALIZER PX_TIMER_INITIALIZER

#define rte_timer px_timer
#define rte_timer_status px_timer_status
typedef px_timer_cb_t rte_timer_cb_t;

enum rte_timer_type { SINGLE = PX_TIMER_SINGLE, PERIODICAL = PX_TIMER_PERIODICAL };

/** @return 0, or -EALREADY (already initialised: not an error). */
static inline int rte_timer_subsystem_init(void)
{
	return px_timer_subsystem_init();
}

static inline void rte_timer_subsystem_finalize(void)
{
}

static inline void rte_timer_init(struct rte_timer *tim)
{
	px_timer_init(tim);
}

/** @return 0, or -1 when the timer is RUNNING elsewhere or being configured (or bad arguments). */
static inline int rte_timer_reset(struct rte_timer *tim, uint64_t ticks, enum rte_timer_type type,
				  unsigned int tim_lcore, rte_timer_cb_t fct, void *arg)
{
	return px_timer_reset(tim, ticks, (enum px_timer_type)type, tim_lcore, fct, arg) == 0 ? 0
											      : -1;
}

static inline void rte_timer_reset_sync(struct rte_timer *tim, uint64_t ticks,
					enum rte_timer_type type, unsigned int tim_lcore,
					rte_timer_cb_t fct, void *arg)
{
	while (px_timer_reset(tim, ticks, (enum px_timer_type)type, tim_lcore, fct, arg) == -EBUSY)
		px_pause();
}

/** @return 0, or -1 when the timer is RUNNING elsewhere or being configured. */
static inline int rte_timer_stop(struct rte_timer *tim)
{
	return px_timer_stop(tim) == 0 ? 0 : -1;
}

static inline void rte_timer_stop_sync(struct rte_timer *tim)
{
	while (px_timer_stop(tim) == -EBUSY)
		px_pause();
}

static inline int rte_timer_pending(struct rte_timer *tim)
{
	return px_timer_pending(tim);
}

static inline int rte_timer_manage(void)
{
	return px_timer_manage();
}

static inline int64_t rte_timer_next_ticks(void)
{
	return px_timer_next_ticks();
}

static inline int rte_timer_dump_stats(FILE *f)
{
	return px_timer_dump(f);
}

static inline int rte_timer_data_alloc(uint32_t *id_ptr)
{
	(void)id_ptr;
	return -ENOTSUP;
}

static inline int rte_timer_data_dealloc(uint32_t id)
{
	(void)id;
	return -ENOTSUP;
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_TIMER_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_timer.h
 * Timers run by the lcores that own them: a timer is armed for an lcore (px_timer_reset()) and
 * its callback runs in that lcore's next px_timer_manage() after it expires, one-shot or
 * periodically, as DPDK's rte_timer (whose states and return values these follow).
 *
 * Each lcore keeps its pending timers in one list sorted by expiry behind a spinlock that only
 * arming, stopping and that lcore's px_timer_manage() take; a px_timer_manage() with nothing
 * expired reads the cycle counter and the list head and takes no lock. The list is sorted by
 * insertion: arming costs O(pending timers of that lcore), meant for tens, not millions.
 *
 * A timer's state changes with one atomic compare-and-swap on (state, owner), so any thread may
 * arm or stop any timer: a call that finds the timer being configured elsewhere (CONFIG) or
 * running its callback on another lcore (RUNNING) fails with -EBUSY instead of waiting. A
 * callback may reset or stop its own timer.
 */
#ifndef PX_TIMER_H
#define PX_TIMER_H

#include <stdint.h>
#include <stdio.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define PX_TIMER_STOP 0    /**< not armed */
#define PX_TIMER_PENDING 1 /**< armed, in its lcore's list */
#define PX_TIMER_RUNNING 2 /**< its callback is running */
#define PX_TIMER_CONFIG 3  /**< being armed or stopped by some thread */
#define PX_TIMER_NO_OWNER -2

enum px_timer_type {
	PX_TIMER_SINGLE,    /**< stops after its callback */
	PX_TIMER_PERIODICAL /**< re-armed one period after its expiry, after its callback */
};

/** The state and the owning lcore, changed together with one compare-and-swap. */
union px_timer_status {
	struct {
		uint16_t state; /**< PX_TIMER_STOP ... PX_TIMER_CONFIG */
		int16_t owner;  /**< lcore whose list holds it; PX_TIMER_NO_OWNER */
	};
	uint32_t u32;
};

struct px_timer;
typedef void (*px_timer_cb_t)(struct px_timer *tim, void *arg);

/** A timer; px_timer_init() it (or PX_TIMER_INITIALIZER) before anything else. */
struct px_timer {
	uint64_t expire; /**< cycle counter value it expires at */
	struct px_timer *next;
	union px_timer_status status;
	uint64_t period; /**< cycles; 0 for a single timer */
	px_timer_cb_t f;
	void *arg;
};

#define PX_TIMER_INITIALIZER                                                       \
	{                                                                          \
		.status = { {.state = PX_TIMER_STOP, .owner = PX_TIMER_NO_OWNER} } \
	}

/** Set up the per-lcore lists. @return 0, -EALREADY (already done: not an error). */
int px_timer_subsystem_init(void);

/** Put @p tim in the stopped state. */
void px_timer_init(struct px_timer *tim);

/**
 * Arm @p tim to call @p fct(@p tim, @p arg) on lcore @p tim_lcore @p ticks cycles from now
 * (px_get_tsc_hz() cycles a second), once or every @p ticks. A pending timer is moved.
 * @param tim_lcore an enabled lcore, or PX_LCORE_ID_ANY: the enabled lcores in turn
 * @return 0; -EBUSY when the timer is being configured by another thread or its callback runs
 *         on another lcore; -EINVAL for a NULL timer or callback, a disabled lcore, a periodic
 *         timer of 0 ticks, or before px_timer_subsystem_init()
 */
int px_timer_reset(struct px_timer *tim, uint64_t ticks, enum px_timer_type type,
		   unsigned int tim_lcore, px_timer_cb_t fct, void *arg);

/**
 * Disarm @p tim (a stopped timer stays stopped).
 * @return 0; -EBUSY when it is being configured elsewhere or its callback runs on another lcore
 */
int px_timer_stop(struct px_timer *tim);

/** @return 1 when @p tim is pending, else 0. */
int px_timer_pending(const struct px_timer *tim);

/**
 * Run the callbacks of the calling lcore's expired timers, earliest first; periodic ones are
 * armed again.
 * @return 0; -EINVAL before px_timer_subsystem_init() or from a thread that is not an lcore
 */
int px_timer_manage(void);

/**
 * @return the cycles until the calling lcore's next timer expires (0: expired already),
 *         -ENOENT when it has none pending, -EINVAL (no subsystem, not an lcore)
 */
int64_t px_timer_next_ticks(void);

/** Print each lcore's pending timers. @return 0, -EINVAL before px_timer_subsystem_init(). */
int px_timer_dump(FILE *f);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_TIMER_H */

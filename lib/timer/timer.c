/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers (px_timer.h): one sorted list per lcore, each behind a spinlock; a timer's (state,
 * owner) word moves by compare-and-swap: STOP/PENDING -> CONFIG (armed or stopped by one thread
 * at a time) -> PENDING/STOP, and PENDING -> RUNNING -> PENDING/STOP around its callback.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <px_cycles.h>
#include <px_lcore.h>
#include <px_log.h>

#include "px_timer.h"

PX_LOG_REGISTER(timer_logtype, "timer", INFO)
#define TIMER_LOG(lvl, ...) PX_LOG(lvl, timer_logtype, __VA_ARGS__)

struct timer_list {
	int lock;              /* 0 free, 1 held */
	struct px_timer *head; /* sorted by expire, earliest first */
	unsigned int rr_next;  /* PX_LCORE_ID_ANY: the next lcore to arm for */
} __px_cache_aligned;

static struct timer_list lists[PX_MAX_LCORE];
static int initialised;

static void list_lock(struct timer_list *l)
{
	while (__atomic_exchange_n(&l->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->lock, __ATOMIC_RELAXED))
			px_pause();
}

static void list_unlock(struct timer_list *l)
{
	__atomic_store_n(&l->lock, 0, __ATOMIC_RELEASE);
}

static union px_timer_status status_make(uint16_t state, int owner)
{
	union px_timer_status s = {.state = state, .owner = (int16_t)owner};

	return s;
}

/* Publish a new (state, owner): release, so what was written to the timer is seen first. */
static void status_set(struct px_timer *tim, uint16_t state, int owner)
{
	__atomic_store_n(&tim->status.u32, status_make(state, owner).u32, __ATOMIC_RELEASE);
}

int px_timer_subsystem_init(void)
{
	int expected = 0;

	if (!__atomic_compare_exchange_n(&initialised, &expected, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return -EALREADY;
	return 0;
}

void px_timer_init(struct px_timer *tim)
{
	tim->expire = 0;
	tim->next = NULL;
	tim->period = 0;
	tim->f = NULL;
	tim->arg = NULL;
	status_set(tim, PX_TIMER_STOP, PX_TIMER_NO_OWNER);
}

static void list_remove(struct timer_list *l, struct px_timer *tim)
{
	struct px_timer **pp;

	list_lock(l);
	for (pp = &l->head; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == tim) {
			__atomic_store_n(pp, tim->next, __ATOMIC_RELEASE);
			break;
		}
	}
	list_unlock(l);
	tim->next = NULL;
}

/*
 * Take @tim into CONFIG for the calling thread. A timer RUNNING on the caller's own lcore (its
 * callback resetting or stopping it) may be taken; RUNNING elsewhere or CONFIG may not. A
 * PENDING timer is unlinked from its lcore's list. @return 0 or -EBUSY.
 */
static int timer_claim(struct px_timer *tim)
{
	union px_timer_status old, cfg = status_make(PX_TIMER_CONFIG, (int)px_lcore_id());

	old.u32 = __atomic_load_n(&tim->status.u32, __ATOMIC_ACQUIRE);
	do {
		if (old.state == PX_TIMER_CONFIG)
			return -EBUSY;
		if (old.state == PX_TIMER_RUNNING && old.owner != (int16_t)px_lcore_id())
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(&tim->status.u32, &old.u32, cfg.u32, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));
	if (old.state == PX_TIMER_PENDING)
		list_remove(&lists[old.owner], tim);
	return 0;
}

/* Insert @tim (in CONFIG) into lcore @lcore's list and make it PENDING there. */
static void list_insert(unsigned int lcore, struct px_timer *tim)
{
	struct timer_list *l = &lists[lcore];
	struct px_timer **pp;

	list_lock(l);
	for (pp = &l->head; *pp != NULL && (*pp)->expire <= tim->expire; pp = &(*pp)->next)
		;
	tim->next = *pp;
	/* Release: px_timer_manage() reads the head without the lock. */
	__atomic_store_n(pp, tim, __ATOMIC_RELEASE);
	/* PENDING under the lock: px_timer_manage() of that lcore sees it with its fields. */
	status_set(tim, PX_TIMER_PENDING, (int)lcore);
	list_unlock(l);
}

static unsigned int lcore_any(void)
{
	unsigned int self = px_lcore_id();
	struct timer_list *l = &lists[self < PX_MAX_LCORE ? self : px_get_main_lcore()];
	unsigned int next = px_get_next_lcore(__atomic_load_n(&l->rr_next, __ATOMIC_RELAXED), 0, 1);

	__atomic_store_n(&l->rr_next, next, __ATOMIC_RELAXED);
	return next;
}

int px_timer_reset(struct px_timer *tim, uint64_t ticks, enum px_timer_type type,
		   unsigned int tim_lcore, px_timer_cb_t fct, void *arg)
{
	int ret;

	if (!__atomic_load_n(&initialised, __ATOMIC_ACQUIRE) || tim == NULL || fct == NULL ||
	    (type == PX_TIMER_PERIODICAL && ticks == 0)) {
		TIMER_LOG(ERR, "px_timer_reset: %s",
			  !initialised ? "call px_timer_subsystem_init() first"
				       : "NULL timer or callback, or a periodic timer of 0 ticks");
		return -EINVAL;
	}
	if (tim_lcore == PX_LCORE_ID_ANY)
		tim_lcore = lcore_any();
	if (tim_lcore >= PX_MAX_LCORE || !px_lcore_is_enabled(tim_lcore)) {
		TIMER_LOG(ERR, "px_timer_reset: lcore %u is not enabled (-l/--lcores)", tim_lcore);
		return -EINVAL;
	}
	ret = timer_claim(tim);
	if (ret < 0)
		return ret;
	/* Atomic: px_timer_manage() may read a stale head's expiry without the lock. */
	__atomic_store_n(&tim->expire, px_get_tsc_cycles() + ticks, __ATOMIC_RELAXED);
	tim->period = type == PX_TIMER_PERIODICAL ? ticks : 0;
	tim->f = fct;
	tim->arg = arg;
	list_insert(tim_lcore, tim);
	return 0;
}

int px_timer_stop(struct px_timer *tim)
{
	int ret;

	if (tim == NULL)
		return -EINVAL;
	ret = timer_claim(tim);
	if (ret < 0)
		return ret;
	status_set(tim, PX_TIMER_STOP, PX_TIMER_NO_OWNER);
	return 0;
}

int px_timer_pending(const struct px_timer *tim)
{
	union px_timer_status s;

	s.u32 = __atomic_load_n(&tim->status.u32, __ATOMIC_ACQUIRE);
	return s.state == PX_TIMER_PENDING;
}

/* Unlink the expired timers at the head of @l that can be moved to RUNNING (one being
 * configured by another thread is left: that thread unlinks it) into a list, in order. */
static struct px_timer *take_expired(struct timer_list *l, unsigned int lcore, uint64_t now)
{
	union px_timer_status pend = status_make(PX_TIMER_PENDING, (int)lcore);
	union px_timer_status run = status_make(PX_TIMER_RUNNING, (int)lcore);
	struct px_timer *run_head = NULL, **run_tail = &run_head, **pp, *tim;

	list_lock(l);
	for (pp = &l->head; (tim = *pp) != NULL && tim->expire <= now;) {
		uint32_t expected = pend.u32;

		if (!__atomic_compare_exchange_n(&tim->status.u32, &expected, run.u32, false,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			pp = &tim->next;
			continue;
		}
		__atomic_store_n(pp, tim->next, __ATOMIC_RELEASE);
		tim->next = NULL;
		*run_tail = tim;
		run_tail = &tim->next;
	}
	list_unlock(l);
	return run_head;
}

int px_timer_manage(void)
{
	unsigned int lcore = px_lcore_id();
	struct timer_list *l;
	struct px_timer *tim, *next;
	uint64_t now;

	if (!__atomic_load_n(&initialised, __ATOMIC_ACQUIRE) || lcore >= PX_MAX_LCORE)
		return -EINVAL;
	l = &lists[lcore];
	now = px_get_tsc_cycles();
	/* The common case, nothing expired: no lock. A head read racing an insert is at worst
	 * one call late. */
	tim = __atomic_load_n(&l->head, __ATOMIC_ACQUIRE);
	if (tim == NULL || __atomic_load_n(&tim->expire, __ATOMIC_RELAXED) > now)
		return 0;
	for (tim = take_expired(l, lcore, now); tim != NULL; tim = next) {
		union px_timer_status run = status_make(PX_TIMER_RUNNING, (int)lcore);
		uint32_t expected = run.u32;

		next = tim->next;
		tim->next = NULL;
		tim->f(tim, tim->arg);
		/* Unless the callback reset or stopped it: STOP, or PENDING one period on. */
		if (tim->period == 0) {
			__atomic_compare_exchange_n(
				&tim->status.u32, &expected,
				status_make(PX_TIMER_STOP, PX_TIMER_NO_OWNER).u32, false,
				__ATOMIC_RELEASE, __ATOMIC_RELAXED);
		} else if (__atomic_compare_exchange_n(&tim->status.u32, &expected,
						       status_make(PX_TIMER_CONFIG, (int)lcore).u32,
						       false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			__atomic_store_n(&tim->expire, tim->expire + tim->period, __ATOMIC_RELAXED);
			list_insert(lcore, tim);
		}
	}
	return 0;
}

int64_t px_timer_next_ticks(void)
{
	unsigned int lcore = px_lcore_id();
	struct timer_list *l;
	int64_t ret = -ENOENT;
	uint64_t now = px_get_tsc_cycles();

	if (!__atomic_load_n(&initialised, __ATOMIC_ACQUIRE) || lcore >= PX_MAX_LCORE)
		return -EINVAL;
	l = &lists[lcore];
	list_lock(l);
	if (l->head != NULL)
		ret = l->head->expire <= now ? 0 : (int64_t)(l->head->expire - now);
	list_unlock(l);
	return ret;
}

int px_timer_dump(FILE *f)
{
	unsigned int lcore, n;
	struct px_timer *tim;

	if (!__atomic_load_n(&initialised, __ATOMIC_ACQUIRE))
		return -EINVAL;
	for (lcore = 0; lcore < PX_MAX_LCORE; lcore++) {
		struct timer_list *l = &lists[lcore];

		list_lock(l);
		for (n = 0, tim = l->head; tim != NULL; tim = tim->next)
			n++;
		if (n > 0)
			fprintf(f, "lcore %u: %u pending, next at %" PRIu64 "\n", lcore, n,
				l->head->expire);
		list_unlock(l);
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_spinlock.h
 * DPDK compatibility: spinlocks, plain and recursive (test-and-test-and-set, acquire on lock,
 * release on unlock). Pollux itself has none in its public API: its fast paths take no locks.
 */
#ifndef POLLUX_RTE_SPINLOCK_H
#define POLLUX_RTE_SPINLOCK_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_pause.h>

typedef struct {
	volatile int locked; /**< 0 free, 1 held */
} rte_spinlock_t;

#define RTE_SPINLOCK_INITIALIZER \
	{                        \
		0                \
	}

static inline void rte_spinlock_init(rte_spinlock_t *sl)
{
	sl->locked = 0;
}

static inline void rte_spinlock_lock(rte_spinlock_t *sl)
{
	while (__atomic_exchange_n(&sl->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&sl->locked, __ATOMIC_RELAXED))
			rte_pause();
}

static inline void rte_spinlock_unlock(rte_spinlock_t *sl)
{
	__atomic_store_n(&sl->locked, 0, __ATOMIC_RELEASE);
}

/** @return 1 when the lock was taken, 0 when it is held. */
static inline int rte_spinlock_trylock(rte_spinlock_t *sl)
{
	return !__atomic_exchange_n(&sl->locked, 1, __ATOMIC_ACQUIRE);
}

static inline int rte_spinlock_is_locked(rte_spinlock_t *sl)
{
	return __atomic_load_n(&sl->locked, __ATOMIC_ACQUIRE);
}

/** A spinlock its holder may take again (as many unlocks as locks). */
typedef struct {
	rte_spinlock_t sl;
	volatile intptr_t user; /**< holder (rte_spinlock_recursive_self()), -1 when free */
	volatile int count;
} rte_spinlock_recursive_t;

#define RTE_SPINLOCK_RECURSIVE_INITIALIZER      \
	{                                       \
		RTE_SPINLOCK_INITIALIZER, -1, 0 \
	}

static inline void rte_spinlock_recursive_init(rte_spinlock_recursive_t *slr)
{
	rte_spinlock_init(&slr->sl);
	slr->user = -1;
	slr->count = 0;
}

/* The owner is identified by the address of a thread-local, which every thread has (an lcore
 * id would not tell two non-lcore threads apart). */
static inline intptr_t rte_spinlock_recursive_self(void)
{
	static __thread char self;

	return (intptr_t)&self;
}

static inline void rte_spinlock_recursive_lock(rte_spinlock_recursive_t *slr)
{
	intptr_t id = rte_spinlock_recursive_self();

	if (__atomic_load_n(&slr->user, __ATOMIC_RELAXED) != id) {
		rte_spinlock_lock(&slr->sl);
		__atomic_store_n(&slr->user, id, __ATOMIC_RELAXED);
	}
	slr->count++;
}

static inline void rte_spinlock_recursive_unlock(rte_spinlock_recursive_t *slr)
{
	if (--slr->count == 0) {
		__atomic_store_n(&slr->user, -1, __ATOMIC_RELAXED);
		rte_spinlock_unlock(&slr->sl);
	}
}

static inline int rte_spinlock_recursive_trylock(rte_spinlock_recursive_t *slr)
{
	intptr_t id = rte_spinlock_recursive_self();

	if (__atomic_load_n(&slr->user, __ATOMIC_RELAXED) != id) {
		if (!rte_spinlock_trylock(&slr->sl))
			return 0;
		__atomic_store_n(&slr->user, id, __ATOMIC_RELAXED);
	}
	slr->count++;
	return 1;
}

#endif /* POLLUX_RTE_SPINLOCK_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_lcore.h
 * Logical cores: one thread pinned to each core listed with -l/--lcores. The thread that called
 * px_eal_init() is the main lcore; the others are workers that wait for px_remote_launch().
 */
#ifndef PX_LCORE_H
#define PX_LCORE_H

#include <pthread.h>
#include <stdint.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** lcore id of a thread that is not an lcore. */
#define PX_LCORE_ID_ANY UINT32_MAX

/** The function an lcore runs; its return value is what px_wait_lcore() returns. */
typedef int (*px_lcore_function_t)(void *arg);

enum px_lcore_state {
	PX_LCORE_WAIT,    /**< idle, ready for px_remote_launch() */
	PX_LCORE_RUNNING, /**< running a function */
	PX_LCORE_FINISHED /**< function returned; px_wait_lcore() collects it */
};

/** Per-thread lcore id; use px_lcore_id(). */
extern __thread unsigned int px_per_lcore_id;

/** @return this thread's lcore id, or PX_LCORE_ID_ANY for a thread that is not an lcore. */
static inline unsigned int px_lcore_id(void)
{
	return px_per_lcore_id;
}

/** @return the main lcore's id. */
unsigned int px_get_main_lcore(void);

/** @return the number of enabled lcores. */
unsigned int px_lcore_count(void);

/** @return non-zero when @p lcore_id is enabled. */
int px_lcore_is_enabled(unsigned int lcore_id);

/** @return the CPU an lcore is pinned to, or -EINVAL. */
int px_lcore_to_cpu_id(unsigned int lcore_id);

/** @return the NUMA socket of an lcore (0 without NUMA), or -EINVAL. */
int px_lcore_to_socket_id(unsigned int lcore_id);

/** @return the socket of the calling lcore (0 for non-lcore threads). */
int px_socket_id(void);

/**
 * The next enabled lcore after @p i (pass -1 to start).
 * @param skip_main  skip the main lcore
 * @param wrap       wrap around to the start
 * @return the lcore id, or PX_MAX_LCORE when there is none
 */
unsigned int px_get_next_lcore(unsigned int i, int skip_main, int wrap);

#define PX_LCORE_FOREACH(i)                                         \
	for ((i) = px_get_next_lcore(-1, 0, 0); (i) < PX_MAX_LCORE; \
	     (i) = px_get_next_lcore(i, 0, 0))

#define PX_LCORE_FOREACH_WORKER(i)                                  \
	for ((i) = px_get_next_lcore(-1, 1, 0); (i) < PX_MAX_LCORE; \
	     (i) = px_get_next_lcore(i, 1, 0))

/**
 * Run @p f(@p arg) on worker lcore @p worker_id.
 * @return 0; -EBUSY when the lcore is not idle (collect it with px_wait_lcore() first);
 *         -EINVAL for the main lcore, a disabled lcore, or NULL @p f; -ESRCH before px_eal_init()
 */
int px_remote_launch(px_lcore_function_t f, void *arg, unsigned int worker_id);

/**
 * Wait until worker @p worker_id finishes and make it idle again.
 * @return the function's return value; 0 if the lcore was idle; -EINVAL for a bad lcore
 */
int px_wait_lcore(unsigned int worker_id);

/** @return the state of lcore @p lcore_id (PX_LCORE_WAIT for a bad id). */
enum px_lcore_state px_lcore_state(unsigned int lcore_id);

/** Launch @p f on every worker and, when @p call_main, run it on the caller too.
 * @return 0, or the first error of px_remote_launch() (then nothing was launched on the rest) */
int px_mp_remote_launch(px_lcore_function_t f, void *arg, int call_main);

/** Wait for every worker; @return 0 when all returned 0, else the first non-zero return value. */
int px_mp_wait_lcore(void);

/**
 * Start a control thread (DPDK's rte_ctrl_thread_create): @p start(@p arg) on a new thread named
 * @p name, with every asynchronous signal (SIGINT, SIGTERM, SIGALRM, ...) blocked in it, so
 * that the application's signal handlers run on its own threads and a blocking call there (a
 * prompt's read) is the one interrupted. The EAL's own threads (lcores, interrupts, telemetry)
 * are started this way. @return 0 or -errno
 */
int px_ctrl_thread_create(pthread_t *thread, const char *name, void *(*start)(void *), void *arg);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_LCORE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_launch.h DPDK compatibility: running functions on worker lcores (px_lcore.h). */
#ifndef POLLUX_RTE_LAUNCH_H
#define POLLUX_RTE_LAUNCH_H

#include <px_lcore.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int(lcore_function_t)(void *);

enum rte_lcore_state_t {
	WAIT,    /**< waiting for a function */
	RUNNING, /**< running one (or finished, not yet collected by rte_eal_wait_lcore) */
};

enum rte_rmt_call_main_t {
	SKIP_MAIN = 0, /**< the main lcore does not run the function */
	CALL_MAIN,     /**< the main lcore runs it too */
};

/** Run @p f(@p arg) on lcore @p worker_id. @return 0, -EBUSY when it is running, -EINVAL. */
static inline int rte_eal_remote_launch(lcore_function_t *f, void *arg, unsigned int worker_id)
{
	return px_remote_launch(f, arg, worker_id);
}

/** Run @p f on every worker, and on the caller with CALL_MAIN (then it returns after it).
 * @return 0, or -EBUSY when a worker is busy */
static inline int rte_eal_mp_remote_launch(lcore_function_t *f, void *arg,
					   enum rte_rmt_call_main_t call_main)
{
	return px_mp_remote_launch(f, arg, call_main == CALL_MAIN);
}

/** Wait for lcore @p worker_id. @return what its function returned, or 0 if it was idle. */
static inline int rte_eal_wait_lcore(unsigned int worker_id)
{
	return px_wait_lcore(worker_id);
}

/** Wait for every worker; their return values are not kept for a later rte_eal_wait_lcore(). */
static inline void rte_eal_mp_wait_lcore(void)
{
	(void)px_mp_wait_lcore();
}

static inline enum rte_lcore_state_t rte_eal_get_lcore_state(unsigned int worker_id)
{
	return px_lcore_state(worker_id) == PX_LCORE_WAIT ? WAIT : RUNNING;
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_LAUNCH_H */

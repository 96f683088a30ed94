/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_lcore.h
 * DPDK compatibility: lcore ids, counts and iteration, over px_lcore.h. Pollux's lcore ids are
 * DPDK's: -l/-c/--lcores choose them and the main lcore is the first.
 */
#ifndef POLLUX_RTE_LCORE_H
#define POLLUX_RTE_LCORE_H

#include <rte_config.h>
#include <rte_per_lcore.h>
#include <rte_launch.h>
#include <px_lcore.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

#define LCORE_ID_ANY UINT32_MAX
#define SOCKET_ID_ANY PX_SOCKET_ID_ANY

static inline unsigned int rte_lcore_id(void)
{
	return px_lcore_id();
}

static inline unsigned int rte_get_main_lcore(void)
{
	return px_get_main_lcore();
}

static inline unsigned int rte_lcore_count(void)
{
	return px_lcore_count();
}

static inline int rte_lcore_is_enabled(unsigned int lcore_id)
{
	return px_lcore_is_enabled(lcore_id);
}

static inline unsigned int rte_get_next_lcore(unsigned int i, int skip_main, int wrap)
{
	return px_get_next_lcore(i, skip_main, wrap);
}

/** @return the socket of the calling lcore (DPDK: SOCKET_ID_ANY for a non-lcore thread is
 * reported as 0 here, Pollux's "no NUMA" socket). */
static inline unsigned int rte_socket_id(void)
{
	return (unsigned int)px_socket_id();
}

static inline unsigned int rte_lcore_to_socket_id(unsigned int lcore_id)
{
	int s = px_lcore_to_socket_id(lcore_id);

	return s < 0 ? 0 : (unsigned int)s;
}

static inline int rte_lcore_to_cpu_id(int lcore_id)
{
	return px_lcore_to_cpu_id((unsigned int)lcore_id);
}

/** @return the position of @p lcore_id among the enabled lcores (-1 for the caller: its own),
 * or -1 when it is not enabled. */
int rte_lcore_index(int lcore_id);

/** @return the number of NUMA sockets with enabled lcores (at least 1). */
unsigned int rte_socket_count(void);

#define RTE_LCORE_FOREACH(i) PX_LCORE_FOREACH (i)
#define RTE_LCORE_FOREACH_WORKER(i) PX_LCORE_FOREACH_WORKER (i)

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_LCORE_H */

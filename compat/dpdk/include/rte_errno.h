/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_errno.h
 * DPDK compatibility: rte_errno, the per-lcore error number DPDK's functions set where they
 * return -1 or NULL. The layer copies Pollux's errno (or negative return) into it.
 */
#ifndef POLLUX_RTE_ERRNO_H
#define POLLUX_RTE_ERRNO_H

#include <errno.h>

#include <rte_per_lcore.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

RTE_DECLARE_PER_LCORE(int, _rte_errno);
#define rte_errno RTE_PER_LCORE(_rte_errno)

/** First error number of DPDK's own (E_RTE_SECONDARY, E_RTE_NO_CONFIG). */
#define __ELASTERROR 1000
enum { RTE_MIN_ERRNO = __ELASTERROR, E_RTE_SECONDARY, E_RTE_NO_CONFIG, RTE_MAX_ERRNO };

/** @return a message for @p errnum (a positive errno or E_RTE_*); thread-safe. */
const char *rte_strerror(int errnum);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_ERRNO_H */

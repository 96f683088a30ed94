/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_debug.h
 * DPDK compatibility: rte_exit() and rte_panic(), which end the program as DPDK's do (an
 * application's call; Pollux's libraries never exit).
 */
#ifndef POLLUX_RTE_DEBUG_H
#define POLLUX_RTE_DEBUG_H

#include <stdio.h>

#include <rte_common.h>
#include <rte_log.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/** Print the message, release the EAL (rte_eal_cleanup()) and exit with @p exit_code. */
__rte_noreturn void rte_exit(int exit_code, const char *format, ...) __rte_format_printf(2, 3);

/** Print the message and a backtrace, then abort(). */
__rte_noreturn void __rte_panic(const char *funcname, const char *format, ...)
	__rte_format_printf(2, 3);
#define rte_panic(...) __rte_panic(__func__, __VA_ARGS__)

/** Print a backtrace of the caller to @p f. */
void rte_dump_stack(void);

#define RTE_VERIFY(exp)                                                               \
	do {                                                                          \
		if (unlikely(!(exp)))                                                 \
			rte_panic("line %d\tassert \"%s\" failed\n", __LINE__, #exp); \
	} while (0)

#ifdef RTE_ENABLE_ASSERT
#define RTE_ASSERT(exp) RTE_VERIFY(exp)
#else
#define RTE_ASSERT(exp) \
	do {            \
	} while (0)
#endif

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_DEBUG_H */

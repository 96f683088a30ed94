/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_log.h
 * DPDK compatibility: log types and levels over Pollux's log components (px_log.h), so
 * --log-level=user1:debug and Pollux's own patterns act on DPDK applications' messages too.
 *
 * DPDK's fixed types (RTE_LOGTYPE_EAL 0 ... RTE_LOGTYPE_USER8 31) are Pollux components named
 * "eal", "malloc", ..., "user1" ... "user8"; a type registered with rte_log_register() is its
 * Pollux component id plus RTE_LOGTYPE_FIRST_EXT_ID.
 */
#ifndef POLLUX_RTE_LOG_H
#define POLLUX_RTE_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <px_log.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

#define RTE_LOGTYPE_EAL 0
#define RTE_LOGTYPE_MALLOC 1
#define RTE_LOGTYPE_RING 2
#define RTE_LOGTYPE_MEMPOOL 3
#define RTE_LOGTYPE_TIMER 4
#define RTE_LOGTYPE_PMD 5
#define RTE_LOGTYPE_HASH 6
#define RTE_LOGTYPE_LPM 7
#define RTE_LOGTYPE_KNI 8
#define RTE_LOGTYPE_ACL 9
#define RTE_LOGTYPE_POWER 10
#define RTE_LOGTYPE_METER 11
#define RTE_LOGTYPE_SCHED 12
#define RTE_LOGTYPE_PORT 13
#define RTE_LOGTYPE_TABLE 14
#define RTE_LOGTYPE_PIPELINE 15
#define RTE_LOGTYPE_MBUF 16
#define RTE_LOGTYPE_CRYPTODEV 17
#define RTE_LOGTYPE_EFD 18
#define RTE_LOGTYPE_EVENTDEV 19
#define RTE_LOGTYPE_GSO 20
#define RTE_LOGTYPE_USER1 24
#define RTE_LOGTYPE_USER2 25
#define RTE_LOGTYPE_USER3 26
#define RTE_LOGTYPE_USER4 27
#define RTE_LOGTYPE_USER5 28
#define RTE_LOGTYPE_USER6 29
#define RTE_LOGTYPE_USER7 30
#define RTE_LOGTYPE_USER8 31
#define RTE_LOGTYPE_FIRST_EXT_ID 32

/* The levels are Pollux's (and syslog's plus one), so they convert as they are. */
#define RTE_LOG_EMERG 1U
#define RTE_LOG_ALERT 2U
#define RTE_LOG_CRIT 3U
#define RTE_LOG_ERR 4U
#define RTE_LOG_WARNING 5U
#define RTE_LOG_NOTICE 6U
#define RTE_LOG_INFO 7U
#define RTE_LOG_DEBUG 8U
#define RTE_LOG_MAX RTE_LOG_DEBUG
#ifndef RTE_LOG_DP_LEVEL
#define RTE_LOG_DP_LEVEL RTE_LOG_INFO
#endif

/** @return the Pollux component of DPDK log type @p logtype, or -1 for an unknown one. */
int rte_log_px_component(uint32_t logtype);

/** Write a message of @p level for @p logtype when its level allows. @return 0, -1 (bad type). */
int rte_log(uint32_t level, uint32_t logtype, const char *format, ...) __rte_format_printf(3, 4);
int rte_vlog(uint32_t level, uint32_t logtype, const char *format, va_list ap)
	__rte_format_printf(3, 0);

/** @return non-zero when a message of @p level for @p logtype would be written. */
int rte_log_can_log(uint32_t logtype, uint32_t level);

/** Register (or find) log type @p name. @return its type, or -1 (table full, bad name). */
int rte_log_register(const char *name);
/** As rte_log_register(), with @p level_def when no --log-level pattern names it. */
int rte_log_register_type_and_pick_level(const char *name, uint32_t level_def);

/** @return 0, -1 (unknown type or bad level). */
int rte_log_set_level(uint32_t logtype, uint32_t level);
/** @return the level of @p logtype, or -1. */
int rte_log_get_level(uint32_t logtype);
/** Set every type whose name matches the shell pattern @p pattern. @return 0, -1. */
int rte_log_set_level_pattern(const char *pattern, uint32_t level);
void rte_log_set_global_level(uint32_t level);
uint32_t rte_log_get_global_level(void);
/** Send the messages to @p f (NULL: stderr). @return 0. */
int rte_openlog_stream(FILE *f);
void rte_log_dump(FILE *f);

#define RTE_LOG(l, t, ...) rte_log(RTE_LOG_##l, RTE_LOGTYPE_##t, #t ": " __VA_ARGS__)

#define RTE_LOG_DP(l, t, ...)                                                       \
	(void)((RTE_LOG_##l <= RTE_LOG_DP_LEVEL)                                    \
		       ? rte_log(RTE_LOG_##l, RTE_LOGTYPE_##t, #t ": " __VA_ARGS__) \
		       : 0)

#define RTE_LOG_REGISTER_IMPL(type, name, level)                                    \
	int type;                                                                   \
	RTE_INIT(__##type)                                                          \
	{                                                                           \
		type = rte_log_register_type_and_pick_level(name, RTE_LOG_##level); \
		if (type < 0)                                                       \
			type = RTE_LOGTYPE_EAL;                                     \
	}
#define RTE_LOG_REGISTER(type, name, level) RTE_LOG_REGISTER_IMPL(type, RTE_STR(name), level)
#define RTE_LOG_REGISTER_DEFAULT(type, level) RTE_LOG_REGISTER_IMPL(type, "user", level)
#define RTE_LOG_REGISTER_SUFFIX(type, suffix, level) \
	RTE_LOG_REGISTER_IMPL(type, "user." RTE_STR(suffix), level)

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_LOG_H */

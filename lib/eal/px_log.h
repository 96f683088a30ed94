/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_log.h
 * Logging with components and levels.
 *
 * Every library and driver registers one component ("eal", "eal.mem", "vfio", "pmd.net.e1000e")
 * and logs through it. Levels are set globally or per component from the command line with
 * `--log-level=LEVEL`, `--log-level=PATTERN:LEVEL` (PATTERN may contain `*` globs) or
 * `--log-level=REGEX,LEVEL`, or at run time with px_log_set_level_pattern() and
 * px_log_set_level_regexp(). Messages go to stderr unless px_log_set_stream() says
 * otherwise. A message below its component's level costs one load and one compare.
 */
#ifndef PX_LOG_H
#define PX_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Log levels, most severe first (the numbers of syslog, plus one, as in DPDK). */
enum px_log_level {
	PX_LOG_EMERG = 1,
	PX_LOG_ALERT = 2,
	PX_LOG_CRIT = 3,
	PX_LOG_ERR = 4,
	PX_LOG_WARNING = 5,
	PX_LOG_NOTICE = 6,
	PX_LOG_INFO = 7,
	PX_LOG_DEBUG = 8,
};

#define PX_LOG_MAX_COMPONENTS 128
#define PX_LOG_NAME_MAX 48
/** The build-time default level (config: PX_LOG_DEFAULT_LEVEL); PX_LOG_REGISTER(v, n, DEFAULT). */
#define PX_LOG_DEFAULT PX_LOG_DEFAULT_LEVEL

/** Current level of each component; indexed by the id px_log_register() returned. */
extern uint8_t px_log_levels[PX_LOG_MAX_COMPONENTS];

/**
 * Register a log component, or find it if already registered.
 *
 * Level patterns given earlier (by --log-level) are applied to the new component.
 * @param name  component name, e.g. "pmd.net.e1000e"; at most PX_LOG_NAME_MAX-1 characters
 * @param level initial level when no pattern matches
 * @return the component id (>= 0), or -ENOSPC when the table is full, -EINVAL for a bad name
 */
int px_log_register(const char *name, enum px_log_level level);

/**
 * Set the level of every component whose name matches @p pattern (`*` and `?` globs), now and
 * for components registered later.
 * @return number of components changed now (>= 0), or -EINVAL for a bad level or pattern
 */
int px_log_set_level_pattern(const char *pattern, enum px_log_level level);

/**
 * Set the level of every component whose name matches the POSIX regular expression @p regex
 * (unanchored, as DPDK's rte_log_set_level_regexp()), now and for components registered later.
 * @return number of components changed now (>= 0), -EINVAL for a bad level or expression,
 *         -ENOMEM
 */
int px_log_set_level_regexp(const char *regex, enum px_log_level level);

/** Set the level of every component, now and later. */
void px_log_set_global_level(enum px_log_level level);

/** @return the level of component @p id, or -EINVAL for an unknown id. */
int px_log_get_level(int id);

/** @return the component id of @p name, or -ENOENT. */
int px_log_lookup(const char *name);

/**
 * Parse a level name ("debug", "warning", "err", ...), a prefix of DPDK's names ("emergency",
 * "alert", "critical", "error", "warning", "notice", "info", "debug"), or a number (1-8).
 * @return the level, or -EINVAL
 */
int px_log_parse_level(const char *s);

/** @return the lower-case name of @p level, or "?" */
const char *px_log_level_name(int level);

/** Send messages to @p f (NULL: back to stderr). */
void px_log_set_stream(FILE *f);

/** Print every component and its level. */
void px_log_dump(FILE *f);

/** Write one message unconditionally (the PX_LOG macro checks the level first). */
void px_log_write(int id, int level, const char *fmt, ...) __px_format_printf(3, 4);
void px_log_vwrite(int id, int level, const char *fmt, va_list ap);

/** True when component @p id logs at @p level. */
static inline int px_log_enabled(int id, int level)
{
	return (unsigned)id < PX_LOG_MAX_COMPONENTS && level <= px_log_levels[id];
}

/**
 * Log through component variable @p comp (an int holding a px_log_register() id):
 * `PX_LOG(ERR, eal_logtype, "bad core %u", c);` — a newline is added.
 */
#define PX_LOG(lvl, comp, ...)                                           \
	do {                                                             \
		if (px_log_enabled((comp), PX_LOG_##lvl))                \
			px_log_write((comp), PX_LOG_##lvl, __VA_ARGS__); \
	} while (0)

/**
 * Define `int var` and register it as component @p name at start-up with level @p lvl.
 */
#define PX_LOG_REGISTER(var, name, lvl)                                      \
	int var = -1;                                                        \
	__attribute__((constructor)) static void px_log_register_##var(void) \
	{                                                                    \
		var = px_log_register(name, PX_LOG_##lvl);                   \
	}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_LOG_H */

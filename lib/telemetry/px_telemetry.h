/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_telemetry.h
 * Telemetry: commands that tools outside the process send over a UNIX socket, answered in JSON
 * with DPDK's v2 protocol, so DPDK's clients (dpdk-telemetry.py) read Pollux as they read DPDK.
 *
 * A component registers a command ("/ethdev/stats") with a handler. The handler runs on the
 * telemetry thread, never on an lcore, and writes one JSON value with the px_tel_* builder
 * below; the server wraps it as {"/ethdev/stats": value}. The builder keeps the answer within
 * the protocol's max_output_len (PX_TELEMETRY_MAX_OUTPUT): an answer that does not fit becomes
 * null, as does one from a handler that returns an error.
 *
 * This component sits below the EAL and uses nothing of Pollux; the EAL starts its server.
 */
#ifndef PX_TELEMETRY_H
#define PX_TELEMETRY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Longest command name, including the NUL (as DPDK's MAX_CMD_LEN). */
#define PX_TELEMETRY_CMD_LEN 56
/** Longest request a client may send, command and parameters (as DPDK's). */
#define PX_TELEMETRY_MAX_REQUEST 1024
/** Longest answer, announced to clients as max_output_len (as DPDK's). */
#define PX_TELEMETRY_MAX_OUTPUT 16384
/** Deepest nesting of dicts and arrays in an answer. */
#define PX_TELEMETRY_MAX_DEPTH 8

/** An answer being built; handlers get one and fill it with the px_tel_* calls. */
struct px_tel_data;

/**
 * A command handler.
 * @param cmd    the command, e.g. "/ethdev/stats"
 * @param params what followed the comma in the request ("0" in "/ethdev/stats,0"), or ""
 * @param d      where to write the answer: one value (a dict, an array, a number or a string)
 * @return 0, or a negative errno: the answer is then null (bad parameter: -EINVAL, -ENODEV ...)
 */
typedef int (*px_telemetry_cb)(const char *cmd, const char *params, struct px_tel_data *d);

/**
 * Register command @p cmd. Safe at any time, from any thread, also before the server starts.
 * @param cmd  "/" followed by letters, digits, '_' and '/', shorter than PX_TELEMETRY_CMD_LEN
 * @param fn   its handler
 * @param help one line for /help
 * @return 0; -EINVAL (bad name or NULL); -EEXIST (already registered); -ENOSPC (table full)
 */
int px_telemetry_register_cmd(const char *cmd, px_telemetry_cb fn, const char *help);

/**
 * DPDK's runtime directory for a file prefix, where the telemetry socket is:
 * $RUNTIME_DIRECTORY, else /var/run for root and $XDG_RUNTIME_DIR (or /tmp) for others, then
 * "/dpdk/<prefix>" (as DPDK's EAL and dpdk-telemetry.py).
 * @return 0, or -ENAMETOOLONG when it does not fit in @p len bytes
 */
int px_telemetry_runtime_dir(const char *prefix, char *buf, size_t len);

/** The telemetry socket's name in that directory (a second process with the same prefix
 * listens on "<name>:1", and so on, as DPDK). */
#define PX_TELEMETRY_SOCKET "dpdk_telemetry.v2"

/* ---- the answer builder ----------------------------------------------------------------
 * Values go into the innermost open container: with a @p key (not NULL) in a dict, with key
 * NULL in an array or as the one top-level value. A misuse (a key in an array, a second
 * top-level value, nesting deeper than PX_TELEMETRY_MAX_DEPTH) or an answer longer than
 * PX_TELEMETRY_MAX_OUTPUT marks the answer bad: it is sent as null and the server logs why. */

/** Open a dict. */
void px_tel_start_dict(struct px_tel_data *d, const char *key);
/** Open an array. */
void px_tel_start_array(struct px_tel_data *d, const char *key);
/** Close the innermost dict or array (containers left open are closed when the handler returns). */
void px_tel_end(struct px_tel_data *d);
void px_tel_add_int(struct px_tel_data *d, const char *key, int64_t v);
void px_tel_add_uint(struct px_tel_data *d, const char *key, uint64_t v);
/** A string, escaped as JSON needs; NULL is written as null. */
void px_tel_add_string(struct px_tel_data *d, const char *key, const char *s);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_TELEMETRY_H */

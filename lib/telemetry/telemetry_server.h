/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The telemetry server, for the components above: the EAL starts and stops it, and the tools
 * that need a socket of their own (packet capture) put it in the same runtime directory.
 * Not installed.
 */
#ifndef TELEMETRY_SERVER_H
#define TELEMETRY_SERVER_H

#include <pthread.h>
#include <stddef.h>

/* Where messages go: the EAL passes a function that logs one line. */
typedef void (*telemetry_log_fn)(int is_error, const char *line);

/* How the server's thread starts: the EAL passes px_ctrl_thread_create() (telemetry sits below
 * the EAL and cannot call it). Returns 0 or -errno. */
typedef int (*telemetry_thread_fn)(pthread_t *thread, const char *name, void *(*start)(void *),
				   void *arg);

/*
 * Create the runtime directory and listen on <dir>/dpdk_telemetry.v2 (":1", ":2" ... when a
 * live process holds it, as dpdk-telemetry.py -i N expects), then serve on a thread of its own,
 * started by @start_thread (NULL: a plain pthread_create()).
 * Returns 0 or a negative errno after logging one line; the process runs on without telemetry.
 */
int telemetry_start(const char *dir, telemetry_log_fn log, telemetry_thread_fn start_thread);

/* Stop serving, close every client and remove the socket. Nothing when not started. */
void telemetry_stop(void);

/* The directory the server listens in, or NULL when it is not running. */
const char *telemetry_dir(void);

#endif /* TELEMETRY_SERVER_H */

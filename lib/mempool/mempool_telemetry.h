/* SPDX-License-Identifier: BSD-3-Clause */
/* The /mempool/list and /mempool/info telemetry commands. Not installed. */
#ifndef MEMPOOL_TELEMETRY_H
#define MEMPOOL_TELEMETRY_H

/* Register /mempool/list and /mempool/info (once; px_mempool_create() calls it, so every
 * program with a pool answers them). */
void mempool_telemetry_register(void);

#endif /* MEMPOOL_TELEMETRY_H */

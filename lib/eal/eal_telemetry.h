/* SPDX-License-Identifier: BSD-3-Clause */
/* The EAL's side of telemetry: it starts the server and answers /eal/params and /eal/lcore/list.
 * Not installed. */
#ifndef EAL_TELEMETRY_H
#define EAL_TELEMETRY_H

struct eal_cfg;

/* Remember the EAL arguments (argv[0..argc-1]) for /eal/params, then, unless
 * --no-telemetry (cfg->no_telemetry), serve telemetry in DPDK's runtime directory for
 * cfg->file_prefix ("rte" when none is given, as DPDK). A failure is logged and is not an error of
 * px_eal_init(). */
void eal_telemetry_start(const struct eal_cfg *cfg, int argc, char **argv);
/* Stop the server and forget the arguments. */
void eal_telemetry_stop(void);

#endif /* EAL_TELEMETRY_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_eal.h
 * The environment abstraction layer: start-up, options, shut-down.
 */
#ifndef PX_EAL_H
#define PX_EAL_H

#include <stdio.h>

#include <px_common.h>
#include <px_log.h>
#include <px_lcore.h>
#include <px_cycles.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/**
 * Initialise Pollux from DPDK-compatible command-line options.
 *
 * Options (see px_eal_usage()): every option of DPDK 22.11's EAL. Most mean what they mean in
 * DPDK (-l, --lcores with lcore groups and CPU sets, -c, --main-lcore, -a, -b, --vdev, -m,
 * --socket-mem, --socket-limit, --huge-dir, --no-huge, --iova-mode, --log-level, --syslog,
 * --file-prefix, --base-virtaddr, --no-pci, --telemetry, -v, -h); those that cannot apply to
 * Pollux are accepted and explained by one notice line each (--huge-unlink, --in-memory, -n...);
 * --proc-type=secondary and --vfio-vf-token are refused. docs/from-dpdk.md lists them all.
 * Parsing stops at the first argument that is not an option, or after
 * `--`. As in DPDK, the program name is moved to argv[ret] so the application continues with
 * `argc -= ret; argv += ret;` and parses its own options.
 *
 * On error one line names the bad token and the expected form, nothing is left initialised, and
 * the call may be repeated.
 *
 * @return the number of arguments consumed (>= 0);
 *         -EINVAL bad option or value; -EALREADY already initialised; -ECANCELED `--help` or
 *         `--log-level=help` was given (it was printed; the application should exit successfully);
 *         another negative errno when a resource could not be set up (the log says which).
 */
int px_eal_init(int argc, char **argv);

/**
 * Stop and join the worker threads and release everything px_eal_init() set up. Workers must be
 * idle or finished (px_mp_wait_lcore()).
 * @return 0, -EBUSY when a worker is still running (nothing released), -ENOENT before init
 */
int px_eal_cleanup(void);

/** Print the EAL options to @p f. */
void px_eal_usage(FILE *f);

/** @return non-zero between a successful px_eal_init() and px_eal_cleanup(). */
int px_eal_initialized(void);

/** IOVA addressing modes. */
enum px_iova_mode {
	PX_IOVA_DC = 0, /**< not decided (let the buses choose) */
	PX_IOVA_PA = 1, /**< IOVA = physical address */
	PX_IOVA_VA = 2, /**< IOVA = virtual address (or assigned by lib/vfio) */
};

/** @return the IOVA mode in force. */
enum px_iova_mode px_eal_iova_mode(void);

/** @return the --file-prefix (default "pollux"). */
const char *px_eal_file_prefix(void);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_EAL_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_eal.h
 * DPDK compatibility: EAL initialisation over px_eal.h. Pollux's EAL takes DPDK's common
 * options (-l, -c, --lcores, -n, -m, --no-huge, --vdev, -a/-b, --log-level, --file-prefix ...;
 * docs/eal.md); one it does not know is refused with a line naming it.
 */
#ifndef POLLUX_RTE_EAL_H
#define POLLUX_RTE_EAL_H

#include <stdint.h>

#include <rte_config.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_per_lcore.h>
#include <px_eal.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

#define RTE_MAGIC 19820526

enum rte_proc_type_t {
	RTE_PROC_AUTO = -1,
	RTE_PROC_PRIMARY = 0,
	RTE_PROC_SECONDARY,
	RTE_PROC_INVALID
};

enum rte_iova_mode {
	RTE_IOVA_DC = 0,
	RTE_IOVA_PA = (1 << 0),
	RTE_IOVA_VA = (1 << 1),
};

/**
 * Initialise the EAL from the command line (px_eal_init()).
 * @return the number of arguments consumed; -1 with rte_errno set on error. As in DPDK, --help
 *         prints the usage and exits the program with status 0.
 */
int rte_eal_init(int argc, char **argv);

/** Release what rte_eal_init() set up. @return 0, or -EBUSY / -ENOENT (px_eal_cleanup()). */
int rte_eal_cleanup(void);

/** Pollux runs one process per set of ports: always RTE_PROC_PRIMARY. */
static inline enum rte_proc_type_t rte_eal_process_type(void)
{
	return RTE_PROC_PRIMARY;
}

static inline int rte_eal_primary_proc_alive(const char *config_file_path)
{
	(void)config_file_path;
	return 0;
}

static inline enum rte_iova_mode rte_eal_iova_mode(void)
{
	switch (px_eal_iova_mode()) {
	case PX_IOVA_PA:
		return RTE_IOVA_PA;
	case PX_IOVA_VA:
		return RTE_IOVA_VA;
	default:
		return RTE_IOVA_DC;
	}
}

static inline int rte_eal_has_hugepages(void)
{
	return 1;
}

static inline int rte_eal_has_pci(void)
{
	return 1;
}

/** @return the --file-prefix; Pollux keeps no runtime directory for secondaries. */
static inline const char *rte_eal_get_runtime_dir(void)
{
	return px_eal_file_prefix();
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_EAL_H */

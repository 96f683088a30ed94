/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_pause.h DPDK compatibility: the spin-wait hint (px_pause()). */
#ifndef POLLUX_RTE_PAUSE_H
#define POLLUX_RTE_PAUSE_H

#include <px_common.h>

static inline void rte_pause(void)
{
	px_pause();
}

#endif /* POLLUX_RTE_PAUSE_H */

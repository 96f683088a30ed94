/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_interrupts.h
 * DPDK compatibility: only the handle type. Pollux's interrupt thread (px_intr.h) is reached
 * through the port API (rte_eth_dev_callback_register(), RX interrupts), not by handles.
 */
#ifndef POLLUX_RTE_INTERRUPTS_H
#define POLLUX_RTE_INTERRUPTS_H

struct rte_intr_handle;

typedef void (*rte_intr_callback_fn)(void *cb_arg);

#endif /* POLLUX_RTE_INTERRUPTS_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_eth_desc.h
 * Descriptor counts that a port accepts, worked out from its limits (px_eth_dev_info.rx_desc_lim
 * and tx_desc_lim), so an application can ask for "about 1024" on any driver.
 */
#ifndef PX_ETH_DESC_H
#define PX_ETH_DESC_H

#include <stdint.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/**
 * Bring @p *nb_rxd and @p *nb_txd within the port's limits: raised to nb_min, lowered to
 * nb_max, then rounded up to a multiple of nb_align (down where that would pass nb_max). Either
 * pointer may be NULL.
 * @return 0, or -ENODEV for an unknown port
 */
int px_eth_dev_adjust_nb_rx_tx_desc(uint16_t port, uint16_t *nb_rxd, uint16_t *nb_txd);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ETH_DESC_H */

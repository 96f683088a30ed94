/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiled by burst_cost.sh: one forwarding step through DPDK's names and one through Pollux's;
 * their machine code must be the same instructions (the layer's bursts cost nothing). */
#include <rte_ethdev.h>

uint16_t fwd_rte(uint16_t port, struct rte_mbuf **m);
uint16_t fwd_px(uint16_t port, struct px_mbuf **m);

uint16_t fwd_rte(uint16_t port, struct rte_mbuf **m)
{
	uint16_t n = rte_eth_rx_burst(port, 0, m, 32);

	return rte_eth_tx_burst(port ^ 1, 0, m, n);
}

uint16_t fwd_px(uint16_t port, struct px_mbuf **m)
{
	uint16_t n = px_eth_rx_burst(port, 0, m, 32);

	return px_eth_tx_burst(port ^ 1, 0, m, n);
}

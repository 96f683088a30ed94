/* SPDX-License-Identifier: BSD-3-Clause */
/* Descriptor counts within a port's limits (px_eth_desc.h). */
#include <errno.h>
#include <stdint.h>

#include <px_ethdev.h>

#include "px_eth_desc.h"

static void desc_adjust(uint16_t *nb, const struct px_eth_desc_lim *lim)
{
	uint32_t n = *nb;
	uint32_t align = lim->nb_align ? lim->nb_align : 1;

	if (lim->nb_max && n > lim->nb_max)
		n = lim->nb_max;
	if (n < lim->nb_min)
		n = lim->nb_min;
	n = (n + align - 1) / align * align;
	if (lim->nb_max && n > lim->nb_max)
		n -= align;
	*nb = (uint16_t)n;
}

int px_eth_dev_adjust_nb_rx_tx_desc(uint16_t port, uint16_t *nb_rxd, uint16_t *nb_txd)
{
	struct px_eth_dev_info info;
	int ret = px_eth_dev_info_get(port, &info);

	if (ret < 0)
		return ret;
	if (nb_rxd != NULL)
		desc_adjust(nb_rxd, &info.rx_desc_lim);
	if (nb_txd != NULL)
		desc_adjust(nb_txd, &info.tx_desc_lim);
	return 0;
}

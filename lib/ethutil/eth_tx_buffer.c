/* SPDX-License-Identifier: BSD-3-Clause */
/* TX buffers: initialisation and the two stock error callbacks (px_eth_tx_buffer.h). */
#include <errno.h>
#include <stdint.h>

#include <px_mbuf.h>

#include "px_eth_tx_buffer.h"

void px_eth_tx_buffer_drop_callback(struct px_mbuf **pkts, uint16_t unsent, void *userdata)
{
	(void)userdata;
	px_pktmbuf_free_bulk(pkts, unsent);
}

void px_eth_tx_buffer_count_callback(struct px_mbuf **pkts, uint16_t unsent, void *userdata)
{
	px_pktmbuf_free_bulk(pkts, unsent);
	*(uint64_t *)userdata += unsent;
}

int px_eth_tx_buffer_set_err_callback(struct px_eth_tx_buffer *buffer, px_eth_tx_buffer_err_fn cbfn,
				      void *userdata)
{
	if (buffer == NULL || cbfn == NULL)
		return -EINVAL;
	buffer->error_callback = cbfn;
	buffer->error_userdata = userdata;
	return 0;
}

int px_eth_tx_buffer_init(struct px_eth_tx_buffer *buffer, uint16_t size)
{
	if (buffer == NULL || size == 0)
		return -EINVAL;
	buffer->size = size;
	buffer->length = 0;
	return px_eth_tx_buffer_set_err_callback(buffer, px_eth_tx_buffer_drop_callback, NULL);
}

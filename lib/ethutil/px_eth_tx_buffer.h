/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_eth_tx_buffer.h
 * TX buffering: collect packets one at a time and send them as one burst when the buffer is
 * full or when the application flushes it (on a timer: a packet waits at most one drain period).
 * The packets a port refuses go to an error callback, which by default frees them. As DPDK's
 * rte_eth_tx_buffer, whose field and function names these follow.
 *
 * A buffer belongs to one (port, queue) and one thread: no locks.
 */
#ifndef PX_ETH_TX_BUFFER_H
#define PX_ETH_TX_BUFFER_H

#include <stdint.h>

#include <px_common.h>
#include <px_ethdev.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

struct px_mbuf;

/**
 * What happens to the packets a flush could not send: @p unsent of them in @p pkts, which the
 * callback now owns. @p userdata is the pointer given to px_eth_tx_buffer_set_err_callback().
 */
typedef void (*px_eth_tx_buffer_err_fn)(struct px_mbuf **pkts, uint16_t unsent, void *userdata);

/** A TX buffer; allocate PX_ETH_TX_BUFFER_SIZE(size) bytes and call px_eth_tx_buffer_init(). */
struct px_eth_tx_buffer {
	px_eth_tx_buffer_err_fn error_callback;
	void *error_userdata;
	uint16_t size;   /**< packets the buffer holds */
	uint16_t length; /**< packets in it now */
	struct px_mbuf *pkts[];
};

/** Bytes of a TX buffer of @p sz packets. */
#define PX_ETH_TX_BUFFER_SIZE(sz) \
	(sizeof(struct px_eth_tx_buffer) + (sz) * sizeof(struct px_mbuf *))

/**
 * Initialise an empty buffer of @p size packets whose unsent packets are freed.
 * @return 0, or -EINVAL for a NULL buffer or a size of 0
 */
int px_eth_tx_buffer_init(struct px_eth_tx_buffer *buffer, uint16_t size);

/**
 * Set what is done with unsent packets (px_eth_tx_buffer_drop_callback,
 * px_eth_tx_buffer_count_callback, or the application's).
 * @return 0, or -EINVAL for a NULL buffer or callback
 */
int px_eth_tx_buffer_set_err_callback(struct px_eth_tx_buffer *buffer, px_eth_tx_buffer_err_fn cbfn,
				      void *userdata);

/** Error callback: free the unsent packets (the default). */
void px_eth_tx_buffer_drop_callback(struct px_mbuf **pkts, uint16_t unsent, void *userdata);

/** Error callback: free the unsent packets and add their number to the uint64_t @p userdata. */
void px_eth_tx_buffer_count_callback(struct px_mbuf **pkts, uint16_t unsent, void *userdata);

/**
 * Send what the buffer holds on (@p port, @p queue); what the port refuses goes to the error
 * callback. The buffer is empty afterwards.
 * @return the number of packets sent
 */
static inline uint16_t px_eth_tx_buffer_flush(uint16_t port, uint16_t queue,
					      struct px_eth_tx_buffer *buffer)
{
	uint16_t n = buffer->length, sent;

	if (n == 0)
		return 0;
	sent = px_eth_tx_burst(port, queue, buffer->pkts, n);
	buffer->length = 0;
	if (px_unlikely(sent < n))
		buffer->error_callback(&buffer->pkts[sent], (uint16_t)(n - sent),
				       buffer->error_userdata);
	return sent;
}

/**
 * Add @p pkt to the buffer; when that fills it, flush it.
 * @return the number of packets sent by the flush, 0 when the packet was only buffered
 */
static inline uint16_t px_eth_tx_buffer(uint16_t port, uint16_t queue,
					struct px_eth_tx_buffer *buffer, struct px_mbuf *pkt)
{
	buffer->pkts[buffer->length++] = pkt;
	if (buffer->length < buffer->size)
		return 0;
	return px_eth_tx_buffer_flush(port, queue, buffer);
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ETH_TX_BUFFER_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_eth_ring.h
 * net_ring: ethernet ports whose queues are Pollux rings of mbufs.
 *
 * From the command line: `--vdev net_ring0` is a loopback port (what it sends, it receives);
 * `--vdev net_ring0 --vdev net_ring1,peer=net_ring0` is a pair joined like a cable.
 * Keys: `queues=<n>` (default 1), `size=<ring size>` (default 1024), `peer=<device>`.
 *
 * A port has one peer: a third port naming either end of a pair is refused (-EBUSY). Each port
 * owns its RX rings; its close frees the mbufs waiting in them, and its peer, if still open,
 * sends to itself from then on (and frees what waits in its own rings at its close), so each
 * mbuf is freed once whatever the order of stops and closes. Neither end may be in a burst on
 * another lcore while one of them closes.
 */
#ifndef PX_ETH_RING_H
#define PX_ETH_RING_H

#include <stdint.h>

#include <px_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/**
 * Make a port over rings the caller owns: RX queue i dequeues from @p rx[i], TX queue i enqueues
 * to @p tx[i]. Each queue must be used by one thread at a time (single producer/consumer).
 * @return the port id (>= 0), or -EINVAL (NULL arrays, 0 or too many queues), -EEXIST (name in
 *         use), -ENOSPC (no free port)
 */
int px_eth_from_rings(const char *name, struct px_ring *const rx[], unsigned int nb_rx,
		      struct px_ring *const tx[], unsigned int nb_tx, int socket);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_ETH_RING_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* Pollux side of the mempool/mbuf benchmark: the adapters, then the shared loops. */
#include <px_eal.h>
#include <px_mbuf.h>
#include <px_mempool.h>

#define B_MEMPOOL struct px_mempool
#define B_MBUF struct px_mbuf
#define B_MEMPOOL_CREATE(name, n, elt, cache) \
	px_mempool_create(name, n, elt, cache, 0, NULL, NULL, NULL, NULL, PX_SOCKET_ID_ANY, 0)
#define B_MBUF_POOL_CREATE(name, n, cache) \
	px_pktmbuf_pool_create(name, n, cache, 0, PX_MBUF_DEFAULT_BUF_SIZE, PX_SOCKET_ID_ANY)
#define B_MEMPOOL_GET_BULK(mp, o, n) px_mempool_get_bulk(mp, o, n)
#define B_MEMPOOL_PUT_BULK(mp, o, n) px_mempool_put_bulk(mp, o, n)
#define B_MBUF_ALLOC_BULK(mp, m, n) px_pktmbuf_alloc_bulk(mp, m, n)
#define B_MBUF_FREE_BULK(m, n) px_pktmbuf_free_bulk(m, n)
#define B_EAL_INIT(c, v) px_eal_init(c, v)
#define B_EAL_CLEANUP() px_eal_cleanup()

#include "pool_loops.h"

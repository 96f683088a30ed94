/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK side of the mempool/mbuf benchmark: the adapters, then the shared loops. */
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define B_MEMPOOL struct rte_mempool
#define B_MBUF struct rte_mbuf
#define B_MEMPOOL_CREATE(name, n, elt, cache) \
	rte_mempool_create(name, n, elt, cache, 0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0)
#define B_MBUF_POOL_CREATE(name, n, cache) \
	rte_pktmbuf_pool_create(name, n, cache, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY)
#define B_MEMPOOL_GET_BULK(mp, o, n) rte_mempool_get_bulk(mp, o, n)
#define B_MEMPOOL_PUT_BULK(mp, o, n) rte_mempool_put_bulk(mp, o, n)
#define B_MBUF_ALLOC_BULK(mp, m, n) rte_pktmbuf_alloc_bulk(mp, m, n)
#define B_MBUF_FREE_BULK(m, n) rte_pktmbuf_free_bulk(m, n)
#define B_EAL_INIT(c, v) rte_eal_init(c, v)
#define B_EAL_CLEANUP() rte_eal_cleanup()

#include "pool_loops.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK side of the multi-lcore benchmark: the adapters, then the shared loops. */
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#define B_MEMPOOL struct rte_mempool
#define B_MEMPOOL_CREATE(name, n, elt, cache) \
	rte_mempool_create(name, n, elt, cache, 0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0)
#define B_MEMPOOL_GET_BULK(mp, o, n) rte_mempool_get_bulk(mp, o, n)
#define B_MEMPOOL_PUT_BULK(mp, o, n) rte_mempool_put_bulk(mp, o, n)
#define B_RING struct rte_ring
/* kind: 0 MP/MC, 1 SP/SC, 2 the mode for many threads (relaxed tail sync, RTS) */
#define B_RING_CREATE(name, n, kind)                                          \
	rte_ring_create(name, n, SOCKET_ID_ANY,                               \
			(kind) == 1   ? RING_F_SP_ENQ | RING_F_SC_DEQ         \
			: (kind) == 2 ? RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ \
				      : 0)
#define B_SP_ENQ_BULK(r, o, n) rte_ring_sp_enqueue_bulk(r, o, n, NULL)
#define B_MP_ENQ_BULK(r, o, n) rte_ring_mp_enqueue_bulk(r, o, n, NULL)
#define B_SC_DEQ_BULK(r, o, n) rte_ring_sc_dequeue_bulk(r, o, n, NULL)
#define B_MC_DEQ_BULK(r, o, n) rte_ring_mc_dequeue_bulk(r, o, n, NULL)
#define B_ENQ_BULK(r, o, n) rte_ring_enqueue_bulk(r, o, n, NULL)
#define B_DEQ_BULK(r, o, n) rte_ring_dequeue_bulk(r, o, n, NULL)
#define B_LAUNCH(f, a, w) rte_eal_remote_launch(f, a, w)
#define B_WAIT(w) rte_eal_wait_lcore(w)
#define B_NEXT_WORKER(i) rte_get_next_lcore(i, 1, 0)
#define B_NO_WORKER RTE_MAX_LCORE
#define B_LCORE_COUNT() rte_lcore_count()
#define B_EAL_INIT(c, v) rte_eal_init(c, v)
#define B_EAL_CLEANUP() rte_eal_cleanup()

#include "scale_loops.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK side of the ring benchmark: the adapters, then the shared loops. */
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#define B_RING struct rte_ring
#define B_RING_CREATE(name, n, spsc) \
	rte_ring_create(name, n, SOCKET_ID_ANY, (spsc) ? RING_F_SP_ENQ | RING_F_SC_DEQ : 0)
#define B_RING_FREE(r) rte_ring_free(r)
#define B_SP_ENQ_BULK(r, o, n) rte_ring_sp_enqueue_bulk(r, o, n, NULL)
#define B_MP_ENQ_BULK(r, o, n) rte_ring_mp_enqueue_bulk(r, o, n, NULL)
#define B_SC_DEQ_BULK(r, o, n) rte_ring_sc_dequeue_bulk(r, o, n, NULL)
#define B_MC_DEQ_BULK(r, o, n) rte_ring_mc_dequeue_bulk(r, o, n, NULL)
#define B_SP_ENQ(r, o) rte_ring_sp_enqueue(r, o)
#define B_MP_ENQ(r, o) rte_ring_mp_enqueue(r, o)
#define B_SC_DEQ(r, o) rte_ring_sc_dequeue(r, o)
#define B_MC_DEQ(r, o) rte_ring_mc_dequeue(r, o)
#define B_LAUNCH(f, a, w) rte_eal_remote_launch(f, a, w)
#define B_WAIT(w) rte_eal_wait_lcore(w)
#define B_NEXT_WORKER() rte_get_next_lcore(-1, 1, 0)
#define B_NO_WORKER RTE_MAX_LCORE
#define B_EAL_INIT(c, v) rte_eal_init(c, v)
#define B_EAL_CLEANUP() rte_eal_cleanup()

#include "ring_loops.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/* Pollux side of the ring benchmark: the adapters, then the shared loops. */
#include <px_eal.h>
#include <px_lcore.h>
#include <px_ring.h>

#define B_RING struct px_ring
#define B_RING_CREATE(name, n, spsc)                  \
	px_ring_create(name, n, PX_SOCKET_ID_ANY, \
		       (spsc) ? PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ : 0)
#define B_RING_FREE(r) px_ring_free(r)
#define B_SP_ENQ_BULK(r, o, n) px_ring_sp_enqueue_bulk(r, o, n, NULL)
#define B_MP_ENQ_BULK(r, o, n) px_ring_mp_enqueue_bulk(r, o, n, NULL)
#define B_SC_DEQ_BULK(r, o, n) px_ring_sc_dequeue_bulk(r, o, n, NULL)
#define B_MC_DEQ_BULK(r, o, n) px_ring_mc_dequeue_bulk(r, o, n, NULL)
#define B_SP_ENQ(r, o) px_ring_sp_enqueue(r, o)
#define B_MP_ENQ(r, o) px_ring_mp_enqueue(r, o)
#define B_SC_DEQ(r, o) px_ring_sc_dequeue(r, o)
#define B_MC_DEQ(r, o) px_ring_mc_dequeue(r, o)
#define B_LAUNCH(f, a, w) px_remote_launch(f, a, w)
#define B_WAIT(w) px_wait_lcore(w)
#define B_NEXT_WORKER() px_get_next_lcore(-1, 1, 0)
#define B_NO_WORKER PX_MAX_LCORE
#define B_EAL_INIT(c, v) px_eal_init(c, v)
#define B_EAL_CLEANUP() px_eal_cleanup()

#include "ring_loops.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/* Pollux side of the multi-lcore benchmark: the adapters, then the shared loops. */
#include <px_eal.h>
#include <px_lcore.h>
#include <px_mempool.h>
#include <px_ring.h>

#define B_MEMPOOL struct px_mempool
#define B_MEMPOOL_CREATE(name, n, elt, cache) \
	px_mempool_create(name, n, elt, cache, 0, NULL, NULL, NULL, NULL, PX_SOCKET_ID_ANY, 0)
#define B_MEMPOOL_GET_BULK(mp, o, n) px_mempool_get_bulk(mp, o, n)
#define B_MEMPOOL_PUT_BULK(mp, o, n) px_mempool_put_bulk(mp, o, n)
#define B_RING struct px_ring
/* kind: 0 MP/MC, 1 SP/SC, 2 the mode for many threads (slot sequences) */
#define B_RING_CREATE(name, n, kind)                                       \
	px_ring_create(name, n, PX_SOCKET_ID_ANY,                          \
		       (kind) == 1   ? PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ \
		       : (kind) == 2 ? PX_RING_F_MT_SEQ                    \
				     : 0)
#define B_SP_ENQ_BULK(r, o, n) px_ring_sp_enqueue_bulk(r, o, n, NULL)
#define B_MP_ENQ_BULK(r, o, n) px_ring_mp_enqueue_bulk(r, o, n, NULL)
#define B_SC_DEQ_BULK(r, o, n) px_ring_sc_dequeue_bulk(r, o, n, NULL)
#define B_MC_DEQ_BULK(r, o, n) px_ring_mc_dequeue_bulk(r, o, n, NULL)
#define B_ENQ_BULK(r, o, n) px_ring_enqueue_bulk(r, o, n, NULL)
#define B_DEQ_BULK(r, o, n) px_ring_dequeue_bulk(r, o, n, NULL)
#define B_LAUNCH(f, a, w) px_remote_launch(f, a, w)
#define B_WAIT(w) px_wait_lcore(w)
#define B_NEXT_WORKER(i) px_get_next_lcore(i, 1, 0)
#define B_NO_WORKER PX_MAX_LCORE
#define B_LCORE_COUNT() px_lcore_count()
#define B_EAL_INIT(c, v) px_eal_init(c, v)
#define B_EAL_CLEANUP() px_eal_cleanup()

#include "scale_loops.h"

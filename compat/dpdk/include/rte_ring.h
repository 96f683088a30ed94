/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_ring.h
 * DPDK compatibility: lockless rings. struct rte_ring is Pollux's px_ring (px_ring.h), whose
 * enqueue/dequeue family has DPDK's names, arguments and return values; they are inline here
 * as there. DPDK's RTS and HTS sync modes are not in Pollux: RING_F_MP_RTS_ENQ and friends make
 * rte_ring_create() fail with rte_errno ENOTSUP.
 */
#ifndef POLLUX_RTE_RING_H
#define POLLUX_RTE_RING_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <px_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

#define rte_ring px_ring

#define RTE_RING_NAMESIZE PX_RING_NAMESIZE
#define RTE_RING_MZ_PREFIX PX_RING_MZ_PREFIX
#define RING_F_SP_ENQ PX_RING_F_SP_ENQ
#define RING_F_SC_DEQ PX_RING_F_SC_DEQ
#define RING_F_EXACT_SZ PX_RING_F_EXACT_SZ
#define RING_F_MP_RTS_ENQ 0x0008
#define RING_F_MC_RTS_DEQ 0x0010
#define RING_F_MP_HTS_ENQ 0x0020
#define RING_F_MC_HTS_DEQ 0x0040
#define RTE_RING_SZ_MASK PX_RING_SZ_MASK

/** @return the ring, or NULL with rte_errno set (EINVAL, ENOSPC, EEXIST, ENOMEM, ENOTSUP). */
static inline struct rte_ring *rte_ring_create_elem(const char *name, unsigned int esize,
						    unsigned int count, int socket_id,
						    unsigned int flags)
{
	struct rte_ring *r;

	if (flags &
	    (RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ | RING_F_MP_HTS_ENQ | RING_F_MC_HTS_DEQ)) {
		rte_errno = ENOTSUP;
		return NULL;
	}
	r = px_ring_create_elem(name, esize, count, socket_id, flags);
	if (r == NULL)
		rte_errno = errno;
	return r;
}

static inline struct rte_ring *rte_ring_create(const char *name, unsigned int count, int socket_id,
					       unsigned int flags)
{
	return rte_ring_create_elem(name, sizeof(void *), count, socket_id, flags);
}

static inline ssize_t rte_ring_get_memsize(unsigned int count)
{
	return px_ring_get_memsize(count, 0);
}

static inline ssize_t rte_ring_get_memsize_elem(unsigned int esize, unsigned int count)
{
	return px_ring_get_memsize_elem(esize, count, 0);
}

static inline int rte_ring_init(struct rte_ring *r, const char *name, unsigned int count,
				unsigned int flags)
{
	return px_ring_init(r, name, count, flags);
}

static inline struct rte_ring *rte_ring_lookup(const char *name)
{
	struct rte_ring *r = px_ring_lookup(name);

	if (r == NULL)
		rte_errno = errno;
	return r;
}

static inline void rte_ring_free(struct rte_ring *r)
{
	px_ring_free(r);
}

static inline void rte_ring_reset(struct rte_ring *r)
{
	px_ring_reset(r);
}

static inline void rte_ring_dump(FILE *f, const struct rte_ring *r)
{
	px_ring_dump(f, r);
}

/* Bulk and burst, pointer and element forms: DPDK's names for Pollux's inline functions. */
#define rte_ring_sp_enqueue_bulk px_ring_sp_enqueue_bulk
#define rte_ring_mp_enqueue_bulk px_ring_mp_enqueue_bulk
#define rte_ring_enqueue_bulk px_ring_enqueue_bulk
#define rte_ring_sp_enqueue_burst px_ring_sp_enqueue_burst
#define rte_ring_mp_enqueue_burst px_ring_mp_enqueue_burst
#define rte_ring_enqueue_burst px_ring_enqueue_burst
#define rte_ring_sc_dequeue_bulk px_ring_sc_dequeue_bulk
#define rte_ring_mc_dequeue_bulk px_ring_mc_dequeue_bulk
#define rte_ring_dequeue_bulk px_ring_dequeue_bulk
#define rte_ring_sc_dequeue_burst px_ring_sc_dequeue_burst
#define rte_ring_mc_dequeue_burst px_ring_mc_dequeue_burst
#define rte_ring_dequeue_burst px_ring_dequeue_burst
#define rte_ring_sp_enqueue_bulk_elem px_ring_sp_enqueue_bulk_elem
#define rte_ring_mp_enqueue_bulk_elem px_ring_mp_enqueue_bulk_elem
#define rte_ring_enqueue_bulk_elem px_ring_enqueue_bulk_elem
#define rte_ring_sp_enqueue_burst_elem px_ring_sp_enqueue_burst_elem
#define rte_ring_mp_enqueue_burst_elem px_ring_mp_enqueue_burst_elem
#define rte_ring_enqueue_burst_elem px_ring_enqueue_burst_elem
#define rte_ring_sc_dequeue_bulk_elem px_ring_sc_dequeue_bulk_elem
#define rte_ring_mc_dequeue_bulk_elem px_ring_mc_dequeue_bulk_elem
#define rte_ring_dequeue_bulk_elem px_ring_dequeue_bulk_elem
#define rte_ring_sc_dequeue_burst_elem px_ring_sc_dequeue_burst_elem
#define rte_ring_mc_dequeue_burst_elem px_ring_mc_dequeue_burst_elem
#define rte_ring_dequeue_burst_elem px_ring_dequeue_burst_elem

/** @return 0, or -ENOBUFS when the ring is full. */
#define rte_ring_enqueue px_ring_enqueue
#define rte_ring_sp_enqueue px_ring_sp_enqueue
#define rte_ring_mp_enqueue px_ring_mp_enqueue
/** @return 0, or -ENOENT when the ring is empty. */
#define rte_ring_dequeue px_ring_dequeue
#define rte_ring_sc_dequeue px_ring_sc_dequeue
#define rte_ring_mc_dequeue px_ring_mc_dequeue

#define rte_ring_count px_ring_count
#define rte_ring_free_count px_ring_free_count
#define rte_ring_full px_ring_full
#define rte_ring_empty px_ring_empty
#define rte_ring_get_size px_ring_get_size
#define rte_ring_get_capacity px_ring_get_capacity

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_RING_H */

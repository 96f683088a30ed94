/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK 22.11 side of the differential test: rte_ring_init() in caller memory. Neither it nor
 * the inline enqueue/dequeue functions need rte_eal_init(): they touch only the ring.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_version.h>

#include "ring_diff.h"

#define RING_T struct rte_ring
#define RING_FN(name) rte_ring_##name
#include "side_calls.h"

static void *dpdk_create(const struct rd_ring_cfg *cfg)
{
	unsigned int flags = (cfg->exact ? RING_F_EXACT_SZ : 0) | (cfg->sp ? RING_F_SP_ENQ : 0) |
			     (cfg->sc ? RING_F_SC_DEQ : 0);
	unsigned int esize = cfg->esize ? cfg->esize : sizeof(void *);
	/* As rte_ring_create_elem() sizes it: the slot count, rounded up for an exact-size ring. */
	unsigned int slots = cfg->exact ? rte_align32pow2(cfg->count + 1) : cfg->count;
	ssize_t sz = rte_ring_get_memsize_elem(esize, slots);
	const size_t align = _Alignof(struct rte_ring);
	struct rte_ring *r;
	int rc;

	if (sz < 0) {
		fprintf(stderr, "rte_ring_get_memsize_elem(%u, %u): %zd\n", esize, slots, sz);
		return NULL;
	}
	r = aligned_alloc(align, RTE_ALIGN_CEIL((size_t)sz, align));
	if (r == NULL)
		return NULL;
	rc = rte_ring_init(r, "ring_diff", cfg->count, flags);
	if (rc < 0) {
		fprintf(stderr, "rte_ring_init(%u, %#x): %d\n", cfg->count, flags, rc);
		free(r);
		return NULL;
	}
	r->prod.head = r->prod.tail = cfg->start;
	r->cons.head = r->cons.tail = cfg->start;
	return r;
}

static void dpdk_destroy(void *ring)
{
	free(ring);
}

const struct rd_side rd_dpdk_side = {
	.name = "dpdk",
	.prefix = "rte_ring_",
	.version = rte_version,
	.create = dpdk_create,
	.destroy = dpdk_destroy,
	.call = side_call,
	.state = side_state,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/* The Pollux side of the differential test: rings in caller memory, no EAL needed. */
#include <stdio.h>
#include <stdlib.h>

#include <px_config.h>
#include <px_ring.h>

#include "ring_diff.h"

#define RING_T struct px_ring
#define RING_FN(name) px_ring_##name
#include "side_calls.h"

static void *pollux_create(const struct rd_ring_cfg *cfg)
{
	unsigned int flags = (cfg->exact ? PX_RING_F_EXACT_SZ : 0) |
			     (cfg->sp ? PX_RING_F_SP_ENQ : 0) | (cfg->sc ? PX_RING_F_SC_DEQ : 0) |
			     (cfg->seq ? PX_RING_F_MT_SEQ : 0);
	unsigned int esize = cfg->esize ? cfg->esize : sizeof(void *);
	ssize_t sz = px_ring_get_memsize_elem(esize, cfg->count, flags);
	const size_t align = _Alignof(struct px_ring); /* PX_RING_SIDE_ALIGN */
	struct px_ring *r;
	int rc;

	if (sz < 0) {
		fprintf(stderr, "px_ring_get_memsize_elem(%u, %u, %#x): %zd\n", esize, cfg->count,
			flags, sz);
		return NULL;
	}
	r = aligned_alloc(align, PX_ALIGN_CEIL((size_t)sz, align));
	if (r == NULL)
		return NULL;
	rc = cfg->esize ? px_ring_init_elem(r, "ring_diff", esize, cfg->count, flags)
			: px_ring_init(r, "ring_diff", cfg->count, flags);
	if (rc < 0) {
		fprintf(stderr, "px_ring_init(%u, %u, %#x): %d\n", esize, cfg->count, flags, rc);
		free(r);
		return NULL;
	}
	/* An empty ring with its indices where `start` objects would have left them; the SP/SC
	 * caches hold the other side's tail as a side that has just seen the ring empty does. */
	r->prod.head = r->prod.tail = cfg->start;
	r->cons.head = r->cons.tail = cfg->start;
	r->prod_priv.cached = r->cons_priv.cached = cfg->start;
	/* Slot sequences: every slot free for the producers from `start` on. */
	if (cfg->seq)
		px_ring_seq_start(r, cfg->start);
	return r;
}

static void pollux_destroy(void *ring)
{
	free(ring);
}

static const char *pollux_version(void)
{
	return "Pollux " PX_VERSION_STR;
}

const struct rd_side rd_pollux_side = {
	.name = "pollux",
	.prefix = "px_ring_",
	.version = pollux_version,
	.create = pollux_create,
	.destroy = pollux_destroy,
	.call = side_call,
	.state = side_state,
};

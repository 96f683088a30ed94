/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every mbuf accounted for: at exit, once the lcores are done, the ports are closed one by one
 * (each driver frees the mbufs its queues hold) and the pool is counted object by object after
 * each close (px_mempool_census). Every mbuf must be back in the pool exactly once. A leak is
 * named by the port it was last received on; a double free by the close that made it, or by
 * the run when it was there before the first close.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fwd.h"

struct fwd_mbuf_account fwd_mbufs;
static char port_names[PX_MAX_ETHPORTS][PX_ETH_NAME_MAX_LEN]; /* taken before the close */

/* Leaked mbufs by the port they were last received on (PX_MAX_ETHPORTS: none). */
struct leak_ports {
	unsigned int n[PX_MAX_ETHPORTS + 1];
};

static void count_leak(struct px_mempool *mp, void *arg, void *obj, bool twice)
{
	struct leak_ports *lp = arg;
	const struct px_mbuf *m = obj;

	(void)mp;
	if (!twice)
		lp->n[m->port < PX_MAX_ETHPORTS ? m->port : PX_MAX_ETHPORTS]++;
}

static void report_leaks(struct px_mempool *mp, const struct px_mempool_census *c)
{
	struct leak_ports lp;

	memset(&lp, 0, sizeof(lp));
	px_mempool_census(mp, &(struct px_mempool_census){0}, count_leak, &lp);
	fprintf(stderr,
		"px-fwd: pool %s: %u of %u mbufs not back after every port closed (leaked)\n",
		mp->name, c->in_use, c->size);
	for (uint16_t p = 0; p < PX_MAX_ETHPORTS; p++) {
		if (lp.n[p] == 0)
			continue;
		if (fwd_cfg.nb_rxq == 1)
			fprintf(stderr, "px-fwd:   %u last received on port %u (%s), RX queue 0\n",
				lp.n[p], p, port_names[p]);
		else
			fprintf(stderr,
				"px-fwd:   %u last received on port %u (%s), one of its %u RX "
				"queues\n",
				lp.n[p], p, port_names[p], fwd_cfg.nb_rxq);
	}
	if (lp.n[PX_MAX_ETHPORTS])
		fprintf(stderr,
			"px-fwd:   %u never received on a port (frames px-fwd built, or a driver that "
			"does not record the port, such as net_ring)\n",
			lp.n[PX_MAX_ETHPORTS]);
}

/* Double frees: what is in the pool twice, or was refused, beyond what was seen before. */
static uint64_t freed_twice(const struct px_mempool_census *c)
{
	return c->twice + c->bad_put + c->foreign;
}

static void report_close(uint16_t p, const struct px_mempool_census *before,
			 const struct px_mempool_census *after)
{
	if (freed_twice(after) == freed_twice(before))
		return;
	fprintf(stderr,
		"px-fwd: pool %s: closing port %u (%s) freed %" PRIu64
		" mbufs that were already free (its queue release or close)\n",
		fwd_pools[0]->name, p, port_names[p], freed_twice(after) - freed_twice(before));
}

/* --debug-mbuf-fault: lose or free twice one mbuf received on the first port (or allocated). */
static void inject_fault(uint16_t first_port)
{
	struct px_mbuf *m = NULL;

	if (fwd_cfg.mbuf_fault == FWD_FAULT_NONE)
		return;
	if (px_eth_rx_burst(first_port, 0, &m, 1) == 0)
		m = px_pktmbuf_alloc(fwd_pools[0]);
	if (m == NULL)
		return;
	fprintf(stderr, "px-fwd: --debug-mbuf-fault: %s one mbuf\n",
		fwd_cfg.mbuf_fault == FWD_FAULT_LEAK ? "leaking" : "freeing twice");
	if (fwd_cfg.mbuf_fault == FWD_FAULT_TWICE) {
		px_pktmbuf_free(m);
		px_pktmbuf_free(m);
	}
}

int fwd_close_ports(void)
{
	struct px_mempool *mp = fwd_pools[0];
	struct px_mempool_census before = {0}, after;
	bool first = true;
	uint16_t p;

	PX_ETH_FOREACH_DEV (p) {
		if (first && mp != NULL)
			inject_fault(p);
		if (first && mp != NULL && px_mempool_census(mp, &before, NULL, NULL) == 0 &&
		    freed_twice(&before) != 0)
			fprintf(stderr,
				"px-fwd: pool %s: %" PRIu64
				" mbufs freed twice while forwarding (before any port closed)\n",
				mp->name, freed_twice(&before));
		first = false;
		px_eth_dev_get_name_by_port(p, port_names[p]);
		px_eth_dev_close(p);
		if (mp != NULL && px_mempool_census(mp, &after, NULL, NULL) == 0) {
			report_close(p, &before, &after);
			before = after;
		}
	}
	if (mp == NULL || px_mempool_census(mp, &after, NULL, NULL) != 0)
		return 0;
	fwd_mbufs = (struct fwd_mbuf_account){.checked = true,
					      .total = after.size,
					      .in_pool = after.free,
					      .leaked = after.in_use,
					      .twice = freed_twice(&after)};
	if (after.in_use != 0)
		report_leaks(mp, &after);
	if (fwd_mbufs.twice != 0)
		fprintf(stderr,
			"px-fwd: pool %s: %" PRIu64 " mbufs freed twice (or foreign) in all\n",
			mp->name, fwd_mbufs.twice);
	if (after.in_use != 0 || fwd_mbufs.twice != 0)
		return -1;
	printf("mbufs: all %u back in pool %s after the ports closed, none freed twice\n",
	       after.size, mp->name);
	return 0;
}

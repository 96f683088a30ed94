/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd's txonly and rxonly --check with frames longer than one mbuf (--enable-scatter):
 * txonly chains 8996-byte frames over 2048-byte segments, and rxonly --check walks the chain,
 * finds every frame right, and a byte changed in a later segment wrong. No software port has
 * RX scatter (net_ring and net_null refuse --enable-scatter), so the frames go round a port made
 * over one ring. Built from px-fwd's own sources.
 */
#include <stdio.h>
#include <string.h>

#include <px_eth_ring.h>

#include "fwd.h"
#include "fwd_test.h"

FWD_TEST_GLOBALS(.burst = 32, .txpkts = 8996, .flows = 1, .check = true);

static uint64_t seen[FWD_SEQ_WINDOW / 64];

/* A port whose TX ring is its RX ring: what it sends, it receives. */
static int setup(struct px_ring **r)
{
	struct px_eth_conf conf = {0};
	int p;

	fwd_pools[0] =
		px_pktmbuf_pool_create("scatter_pool", 1023, 0, 0, PX_PKTMBUF_HEADROOM + 2048, 0);
	*r = px_ring_create("scatter_loop", 256, 0, PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	if (fwd_pools[0] == NULL || *r == NULL)
		return -1;
	p = px_eth_from_rings("scatter0", r, 1, r, 1, 0);
	if (p < 0 || px_eth_dev_configure(p, 1, 1, &conf) ||
	    px_eth_tx_queue_setup(p, 0, 256, 0, NULL) ||
	    px_eth_rx_queue_setup(p, 0, 256, 0, NULL, fwd_pools[0]) || px_eth_dev_start(p))
		return -1;
	fwd_streams[0] = (struct fwd_stream){.rx_port = p, .tx_port = p, .seen = seen};
	fwd_nb_streams = 1;
	return p;
}

/* rxonly --check on a worker until @want frames arrived (or 2 s). */
static int receive(unsigned int want)
{
	static struct fwd_lcore lc = {.streams = {&fwd_streams[0]}, .nb_streams = 1};
	unsigned int worker = px_get_next_lcore(-1, 1, 0);
	uint64_t end = px_get_tsc_cycles() + 2 * px_get_tsc_hz();

	fwd_stop = 0;
	if (worker >= PX_MAX_LCORE ||
	    px_remote_launch(fwd_mode_find("rxonly")->loop, &lc, worker) != 0)
		FAIL("launch on a worker lcore");
	while (__atomic_load_n(&fwd_streams[0].rx_pkts, __ATOMIC_RELAXED) < want &&
	       px_get_tsc_cycles() < end)
		px_pause();
	fwd_stop = 1;
	px_wait_lcore(worker);
	return 0;
}

/* Take the 32 frames off the ring: each a chain of 5 segments, 8996 bytes. */
static int check_chains(struct px_ring *r, struct px_mbuf **m)
{
	if (px_ring_sc_dequeue_burst(r, (void **)m, 32, NULL) != 32)
		FAIL("32 frames on the ring after the first burst");
	for (int i = 0; i < 32; i++) {
		uint32_t sum = 0;

		for (struct px_mbuf *s = m[i]; s; s = s->next)
			sum += s->data_len;
		if (m[i]->nb_segs != 5 || m[i]->pkt_len != 8996 || sum != 8996)
			FAIL("frame %d: %u segments, pkt_len %u, %u bytes in the chain; want 5, 8996",
			     i, m[i]->nb_segs, m[i]->pkt_len, sum);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct px_mbuf *m[32];
	struct px_ring *r;
	unsigned int avail;
	uint8_t *b;
	int p;

	if (px_eal_init(argc, argv) < 0 || (p = setup(&r)) < 0)
		FAIL("EAL, pool, ring or port");
	avail = px_mempool_avail_count(fwd_pools[0]);
	fwd_txonly_prepare();
	if (fwd_tx_first() != 0)
		FAIL("txonly's first burst");
	if (check_chains(r, m))
		return 1;
	/* one byte in the third segment of frame 7 changed: only that frame is bad */
	b = px_pktmbuf_mtod(m[7]->next->next, uint8_t *);
	b[100] ^= 0xff;
	if (px_ring_sp_enqueue_bulk(r, (void **)m, 32, NULL) != 32 || receive(32))
		FAIL("frames back on the ring, received");
	if (fwd_streams[0].rx_pkts != 32 || fwd_streams[0].rx_bad != 1)
		FAIL("rxonly --check: %llu received, %llu bad; want 32 and 1 (frame 7)",
		     (unsigned long long)fwd_streams[0].rx_pkts,
		     (unsigned long long)fwd_streams[0].rx_bad);
	if (px_mempool_avail_count(fwd_pools[0]) != avail)
		FAIL("segments leaked: %u free, %u before", px_mempool_avail_count(fwd_pools[0]),
		     avail);
	px_eth_dev_close(p);
	px_ring_free(r);
	px_mempool_free(fwd_pools[0]);
	px_eal_cleanup();
	printf("scatter: 32 frames of 8996 bytes sent as 5-segment chains, checked by walking "
	       "the chain; a byte changed in a third segment found\n");
	return 0;
}

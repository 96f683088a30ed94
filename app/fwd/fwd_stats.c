/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics: per-second rates per port on stderr, a final summary, and --stats-json.
 * Packet counts come from the streams (exact, what px-fwd did); bytes, misses and errors from
 * the ports' own counters.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fwd.h"

struct port_totals {
	uint64_t rx, tx, drops, bad, reordered;
	uint64_t ibytes, obytes, imissed, ierrors, oerrors;
};

static struct port_totals last[PX_MAX_ETHPORTS];

static void collect(struct port_totals *t)
{
	uint16_t p;

	memset(t, 0, sizeof(*t) * PX_MAX_ETHPORTS);
	for (unsigned int i = 0; i < fwd_nb_streams; i++) {
		const struct fwd_stream *s = &fwd_streams[i];

		t[s->rx_port].rx += __atomic_load_n(&s->rx_pkts, __ATOMIC_RELAXED);
		t[s->rx_port].drops += __atomic_load_n(&s->drops, __ATOMIC_RELAXED);
		t[s->rx_port].bad += __atomic_load_n(&s->rx_bad, __ATOMIC_RELAXED);
		t[s->rx_port].reordered += __atomic_load_n(&s->rx_reordered, __ATOMIC_RELAXED);
		t[s->tx_port].tx += __atomic_load_n(&s->tx_pkts, __ATOMIC_RELAXED);
	}
	PX_ETH_FOREACH_DEV (p) {
		struct px_eth_stats st;

		if (px_eth_stats_get(p, &st) != 0)
			continue;
		t[p].ibytes = st.ibytes;
		t[p].obytes = st.obytes;
		t[p].imissed = st.imissed;
		t[p].ierrors = st.ierrors;
		t[p].oerrors = st.oerrors;
	}
}

void fwd_stats_start(void)
{
	collect(last);
}

void fwd_stats_print_period(double secs)
{
	static struct port_totals now[PX_MAX_ETHPORTS];
	uint16_t p;

	collect(now);
	PX_ETH_FOREACH_DEV (p) {
		const struct port_totals *a = &last[p], *b = &now[p];

		/* Gbps on the wire would add 20 bytes per frame (preamble, IFG) and 4 of CRC; we
		 * report what the port counted. */
		fprintf(stderr,
			"port %u: rx %8.3f Mpps %7.3f Gbps | tx %8.3f Mpps %7.3f Gbps | drops %" PRIu64
			" missed %" PRIu64 " errors %" PRIu64 "\n",
			p, (b->rx - a->rx) / secs / 1e6, (b->ibytes - a->ibytes) * 8 / secs / 1e9,
			(b->tx - a->tx) / secs / 1e6, (b->obytes - a->obytes) * 8 / secs / 1e9,
			b->drops - a->drops, b->imissed - a->imissed,
			(b->ierrors - a->ierrors) + (b->oerrors - a->oerrors));
	}
	memcpy(last, now, sizeof(now));
}

static struct port_totals final_totals[PX_MAX_ETHPORTS];
static double final_secs;
static bool final_taken;
static bool final_ports[PX_MAX_ETHPORTS]; /* the ports at the end (closed when JSON is written) */

void fwd_stats_write_json(void)
{
	const struct port_totals *t = final_totals;
	FILE *f;
	uint16_t p;
	int first = 1;

	if (fwd_cfg.stats_json == NULL || !final_taken)
		return;
	f = fopen(fwd_cfg.stats_json, "w");
	if (f == NULL) {
		perror(fwd_cfg.stats_json);
		return;
	}
	fprintf(f, "{\"mode\": \"%s\", \"seconds\": %.3f, ", fwd_cfg.mode->name, final_secs);
	if (fwd_mbufs.checked)
		fprintf(f,
			"\"mbufs_total\": %u, \"mbufs_in_pool\": %u, \"mbufs_leaked\": %u, "
			"\"mbufs_freed_twice\": %" PRIu64 ", ",
			fwd_mbufs.total, fwd_mbufs.in_pool, fwd_mbufs.leaked, fwd_mbufs.twice);
	fprintf(f, "\"ports\": [");
	for (p = 0; p < PX_MAX_ETHPORTS; p++) {
		if (!final_ports[p])
			continue;
		fprintf(f,
			"%s\n  {\"port\": %u, \"rx_packets\": %" PRIu64 ", \"tx_packets\": %" PRIu64
			", \"drops\": %" PRIu64 ", \"rx_bad\": %" PRIu64 ", \"rx_bytes\": %" PRIu64
			", \"tx_bytes\": %" PRIu64 ", \"rx_missed\": %" PRIu64
			", \"rx_errors\": %" PRIu64 ", \"tx_errors\": %" PRIu64
			", \"rx_reordered\": %" PRIu64 "}",
			first ? "" : ",", p, t[p].rx, t[p].tx, t[p].drops, t[p].bad, t[p].ibytes,
			t[p].obytes, t[p].imissed, t[p].ierrors, t[p].oerrors, t[p].reordered);
		first = 0;
	}
	fprintf(f, "\n]}\n");
	fclose(f);
}

/* Prints the summary; returns 1 when rxonly --check saw a bad frame. */
int fwd_stats_final(void)
{
	static struct port_totals t[PX_MAX_ETHPORTS];
	static uint64_t start_tsc;
	uint64_t rx = 0, tx = 0, drops = 0, bad = 0;
	double secs;
	uint16_t p;

	if (start_tsc == 0) { /* first call: remember the start */
		start_tsc = px_get_tsc_cycles();
		return 0;
	}
	secs = (double)(px_get_tsc_cycles() - start_tsc) / px_get_tsc_hz();
	collect(t);
	printf("---- px-fwd summary: %s mode, %.2f s ----\n", fwd_cfg.mode->name, secs);
	PX_ETH_FOREACH_DEV (p) {
		printf("port %u: rx %" PRIu64 " tx %" PRIu64 " drops %" PRIu64 " bad %" PRIu64
		       " | rx bytes %" PRIu64 " tx bytes %" PRIu64 " missed %" PRIu64 "\n",
		       p, t[p].rx, t[p].tx, t[p].drops, t[p].bad, t[p].ibytes, t[p].obytes,
		       t[p].imissed);
		rx += t[p].rx, tx += t[p].tx, drops += t[p].drops, bad += t[p].bad;
		final_ports[p] = true;
	}
	printf("total: rx %" PRIu64 " tx %" PRIu64 " drops %" PRIu64 " bad %" PRIu64
	       " | %.3f Mpps rx, %.3f Mpps tx\n",
	       rx, tx, drops, bad, rx / secs / 1e6, tx / secs / 1e6);
	memcpy(final_totals, t, sizeof(final_totals));
	final_secs = secs;
	final_taken = true;
	return bad ? 1 : 0;
}

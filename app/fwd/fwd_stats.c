/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics: per-second rates per port on stderr, a final summary, and --stats-json.
 * Packet counts come from the streams (exact, what px-fwd did); bytes, misses and errors from
 * the ports' own counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwd.h"

struct port_totals {
	uint64_t rx, tx, drops, bad, reordered, bad_ip, bad_l4;
	uint64_t ibytes, obytes, imissed, ierrors, oerrors, nombuf;
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
		t[s->rx_port].bad_ip += __atomic_load_n(&s->bad_ip_cksum, __ATOMIC_RELAXED);
		t[s->rx_port].bad_l4 += __atomic_load_n(&s->bad_l4_cksum, __ATOMIC_RELAXED);
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
		t[p].nombuf = st.rx_nombuf;
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
	for (uint16_t i = 0; i < fwd_nb_ports; i++) {
		const struct port_totals *a = &last[fwd_ports[i]], *b = &now[fwd_ports[i]];

		p = fwd_ports[i];

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

/* --record-core-cycles and --record-burst-stats, summed over the streams */
struct record_totals {
	uint64_t cycles;
	uint64_t rx_bursts[PX_MAX_ETHPORTS][FWD_MAX_BURST + 1];
	uint64_t tx_bursts[PX_MAX_ETHPORTS][FWD_MAX_BURST + 1];
};
static struct record_totals rec;

static void collect_records(void)
{
	memset(&rec, 0, sizeof(rec));
	for (unsigned int i = 0; i < fwd_nb_streams; i++) {
		const struct fwd_stream *s = &fwd_streams[i];

		rec.cycles += s->core_cycles;
		for (unsigned int b = 0; s->rx_bursts && b <= FWD_MAX_BURST; b++) {
			rec.rx_bursts[s->rx_port][b] += s->rx_bursts[b];
			rec.tx_bursts[s->tx_port][b] += s->tx_bursts[b];
		}
	}
}

/* testpmd's line: the bursts, then the two most frequent sizes and the rest in percent */
static void print_bursts(const char *dir, const uint64_t *h)
{
	uint64_t total = 0;
	unsigned int top[2] = {0, 0};
	int shown = 0;

	for (unsigned int b = 0; b <= FWD_MAX_BURST; b++) {
		total += h[b];
		if (h[b] > h[top[0]]) {
			top[1] = top[0];
			top[0] = b;
		} else if (b != top[0] && h[b] > h[top[1]]) {
			top[1] = b;
		}
	}
	printf("  %s-bursts : %" PRIu64 " [", dir, total);
	for (int k = 0; k < 2 && total; k++) {
		if (h[top[k]] == 0 || (k == 1 && top[1] == top[0]))
			break;
		printf("%s%d%% of %u pkts", k ? " + " : "", (int)(h[top[k]] * 100 / total), top[k]);
		shown += (int)(h[top[k]] * 100 / total);
	}
	if (total && h[top[0]] + (top[1] != top[0] ? h[top[1]] : 0) < total)
		printf(" + %d%% of others", 100 - shown);
	printf("]\n");
}

static uint64_t cycles_pkts(uint64_t rx, uint64_t tx)
{
	const char *m = fwd_cfg.mode->name;

	return strcmp(m, "txonly") == 0 || strcmp(m, "flowgen") == 0 ? tx : rx;
}

static void print_cycles(uint64_t rx, uint64_t tx)
{
	uint64_t pkts = cycles_pkts(rx, tx);

	if (pkts)
		printf("\n  CPU cycles/packet=%.2F (busy cycles=%" PRIu64
		       " / total %s packets=%" PRIu64 ") at %" PRIu64 " MHz Clock\n",
		       (double)rec.cycles / pkts, rec.cycles, fwd_cfg.mode->name, pkts,
		       px_get_tsc_hz() / 1000000);
}

static void json_bursts(FILE *f, const char *key, const uint64_t *h)
{
	const char *sep = "";

	fprintf(f, ", \"%s\": {", key);
	for (unsigned int b = 0; b <= FWD_MAX_BURST; b++)
		if (h[b]) {
			fprintf(f, "%s\"%u\": %" PRIu64, sep, b, h[b]);
			sep = ", ";
		}
	fprintf(f, "}");
}

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
	if (fwd_cfg.record_cycles)
		fprintf(f, "\"core_cycles\": %" PRIu64 ", ", rec.cycles);
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
			", \"rx_reordered\": %" PRIu64 ", \"rx_bad_ip_csum\": %" PRIu64
			", \"rx_bad_l4_csum\": %" PRIu64,
			first ? "" : ",", p, t[p].rx, t[p].tx, t[p].drops, t[p].bad, t[p].ibytes,
			t[p].obytes, t[p].imissed, t[p].ierrors, t[p].oerrors, t[p].reordered,
			t[p].bad_ip, t[p].bad_l4);
		if (fwd_cfg.record_bursts) {
			json_bursts(f, "rx_bursts", rec.rx_bursts[p]);
			json_bursts(f, "tx_bursts", rec.tx_bursts[p]);
		}
		fprintf(f, "}");
		first = 0;
	}
	fprintf(f, "\n]}\n");
	fclose(f);
}

/* Prints the summary; returns 1 when rxonly --check saw a bad frame. */
static uint64_t run_start_tsc, run_end_tsc;

void fwd_stats_mark(bool start)
{
	if (start) {
		run_start_tsc = px_get_tsc_cycles();
		run_end_tsc = 0;
	} else {
		run_end_tsc = px_get_tsc_cycles();
	}
}

int fwd_stats_final(void)
{
	static struct port_totals t[PX_MAX_ETHPORTS];
	uint64_t rx = 0, tx = 0, drops = 0, bad = 0;
	double secs;
	uint16_t p;

	secs = (double)((run_end_tsc ? run_end_tsc : px_get_tsc_cycles()) - run_start_tsc) /
	       px_get_tsc_hz();
	collect(t);
	collect_records();
	printf("---- px-fwd summary: %s mode, %.2f s ----\n", fwd_cfg.mode->name, secs);
	for (uint16_t i = 0; i < fwd_nb_ports; i++) {
		p = fwd_ports[i];
		printf("port %u: rx %" PRIu64 " tx %" PRIu64 " drops %" PRIu64 " bad %" PRIu64
		       " | rx bytes %" PRIu64 " tx bytes %" PRIu64 " missed %" PRIu64 "\n",
		       p, t[p].rx, t[p].tx, t[p].drops, t[p].bad, t[p].ibytes, t[p].obytes,
		       t[p].imissed);
		if (strcmp(fwd_cfg.mode->name, "csum") == 0)
			printf("  Bad-ipcsum: %-14" PRIu64 " Bad-l4csum: %-14" PRIu64 "\n",
			       t[p].bad_ip, t[p].bad_l4);
		if (fwd_cfg.record_bursts) {
			print_bursts("RX", rec.rx_bursts[p]);
			print_bursts("TX", rec.tx_bursts[p]);
		}
		rx += t[p].rx, tx += t[p].tx, drops += t[p].drops, bad += t[p].bad;
		final_ports[p] = true;
	}
	printf("total: rx %" PRIu64 " tx %" PRIu64 " drops %" PRIu64 " bad %" PRIu64
	       " | %.3f Mpps rx, %.3f Mpps tx\n",
	       rx, tx, drops, bad, rx / secs / 1e6, tx / secs / 1e6);
	if (fwd_cfg.record_cycles)
		print_cycles(rx, tx);
	memcpy(final_totals, t, sizeof(final_totals));
	final_secs = secs;
	final_taken = true;
	return bad ? 1 : 0;
}

/* ---- the prompt's views, in testpmd's formats ---- */

void fwd_stats_show_start(const unsigned int *lcore_ids, unsigned int n)
{
	char mac[PX_ETHER_ADDR_FMT_SIZE];

	printf("%s packet forwarding - ports=%u - cores=%u - streams=%u\n", fwd_cfg.mode->name,
	       fwd_nb_ports, n, fwd_nb_streams);
	for (unsigned int c = 0; c < n; c++) {
		printf("Logical Core %u (socket %d) forwards packets on %u streams:\n",
		       lcore_ids[c], px_lcore_to_socket_id(lcore_ids[c]),
		       (fwd_nb_streams - c + n - 1) / n);
		for (unsigned int i = c; i < fwd_nb_streams; i += n) {
			const struct fwd_stream *s = &fwd_streams[i];

			px_ether_addr_format(mac, sizeof(mac), &fwd_cfg.peer[s->tx_port]);
			printf("  RX P=%u/Q=%u (socket %d) -> TX P=%u/Q=%u (socket %d) peer=%s\n",
			       s->rx_port, s->rxq, px_eth_dev_socket_id(s->rx_port), s->tx_port,
			       s->txq, px_eth_dev_socket_id(s->tx_port), mac);
		}
	}
	printf("\n");
}

#define FWD_BORDER "----------------------"
#define ACC_BORDER "+++++++++++++++"

/* At stop: what each port forwarded since start (streams), and the port's drops. */
void fwd_stats_show_forward(void)
{
	static struct port_totals t[PX_MAX_ETHPORTS];
	uint64_t rx = 0, tx = 0, rx_drop = 0, tx_drop = 0;

	collect(t);
	collect_records();
	for (uint16_t i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];
		uint64_t missed = t[p].imissed - last[p].imissed;

		printf("\n  %s Forward statistics for port %-2d %s\n", FWD_BORDER, p, FWD_BORDER);
		printf("  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64 "RX-total: %" PRIu64
		       "\n",
		       t[p].rx, missed, t[p].rx + missed);
		if (strcmp(fwd_cfg.mode->name, "csum") == 0)
			printf("  Bad-ipcsum: %-14" PRIu64 " Bad-l4csum: %-14" PRIu64
			       "Bad-outer-l4csum: %-14d\n",
			       t[p].bad_ip, t[p].bad_l4, 0);
		printf("  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64 "TX-total: %" PRIu64
		       "\n",
		       t[p].tx, t[p].drops, t[p].tx + t[p].drops);
		if (fwd_cfg.record_bursts) {
			print_bursts("RX", rec.rx_bursts[p]);
			print_bursts("TX", rec.tx_bursts[p]);
		}
		printf("  %s--------------------------------%s\n", FWD_BORDER, FWD_BORDER);
		rx += t[p].rx, tx += t[p].tx, rx_drop += missed, tx_drop += t[p].drops;
	}
	printf("\n  %s Accumulated forward statistics for all ports%s\n", ACC_BORDER, ACC_BORDER);
	printf("  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64 "RX-total: %" PRIu64 "\n", rx,
	       rx_drop, rx + rx_drop);
	printf("  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64 "TX-total: %" PRIu64 "\n", tx,
	       tx_drop, tx + tx_drop);
	printf("  %s++++++++++++++++++++++++++++++++++++++++++++++%s\n", ACC_BORDER, ACC_BORDER);
	if (fwd_cfg.record_cycles)
		print_cycles(rx, tx);
}

#define NIC_BORDER "########################"

/* show port stats N: the port's counters, and rates since the last show of this port */
int fwd_stats_show_port(uint16_t p)
{
	static struct {
		uint64_t tsc, ipackets, opackets, ibytes, obytes;
	} prev[PX_MAX_ETHPORTS];
	struct px_eth_stats st;
	uint64_t now = px_get_tsc_cycles(), dt;
	double secs;

	if (px_eth_stats_get(p, &st) != 0) {
		printf("Invalid port %u\n", p);
		return -ENODEV;
	}
	dt = prev[p].tsc ? now - prev[p].tsc : 0;
	secs = dt ? (double)dt / px_get_tsc_hz() : 0;
	printf("\n  %s NIC statistics for port %-2d %s\n", NIC_BORDER, p, NIC_BORDER);
	printf("  RX-packets: %-10" PRIu64 " RX-missed: %-10" PRIu64 " RX-bytes:  %" PRIu64 "\n",
	       st.ipackets, st.imissed, st.ibytes);
	printf("  RX-errors: %" PRIu64 "\n", st.ierrors);
	printf("  RX-nombuf:  %-10" PRIu64 "\n", st.rx_nombuf);
	printf("  TX-packets: %-10" PRIu64 " TX-errors: %-10" PRIu64 " TX-bytes:  %" PRIu64 "\n",
	       st.opackets, st.oerrors, st.obytes);
	printf("\n  Throughput (since last show)\n");
	printf("  Rx-pps: %12" PRIu64 "          Rx-bps: %12" PRIu64 "\n",
	       secs > 0 ? (uint64_t)((st.ipackets - prev[p].ipackets) / secs) : 0,
	       secs > 0 ? (uint64_t)((st.ibytes - prev[p].ibytes) * 8 / secs) : 0);
	printf("  Tx-pps: %12" PRIu64 "          Tx-bps: %12" PRIu64 "\n",
	       secs > 0 ? (uint64_t)((st.opackets - prev[p].opackets) / secs) : 0,
	       secs > 0 ? (uint64_t)((st.obytes - prev[p].obytes) * 8 / secs) : 0);
	printf("  %s############################%s\n", NIC_BORDER, NIC_BORDER);
	prev[p].tsc = now;
	prev[p].ipackets = st.ipackets, prev[p].opackets = st.opackets;
	prev[p].ibytes = st.ibytes, prev[p].obytes = st.obytes;
	return 0;
}

int fwd_stats_show_xstats(uint16_t p)
{
	int n = px_eth_xstats_get_names(p, NULL, 0);
	struct px_eth_xstat_name *names;
	struct px_eth_xstat *vals;

	if (n < 0) {
		printf("Invalid port %u\n", p);
		return -ENODEV;
	}
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (names && vals && px_eth_xstats_get_names(p, names, (unsigned int)n) == n &&
	    px_eth_xstats_get(p, vals, (unsigned int)n) == n) {
		printf("###### NIC extended statistics for port %-2d\n", p);
		for (int i = 0; i < n; i++)
			printf("%s: %" PRIu64 "\n", names[i].name, vals[i].value);
	} else {
		printf("Cannot read the extended statistics of port %u\n", p);
	}
	free(names);
	free(vals);
	return 0;
}

static const char *link_speed_str(uint32_t mbps, char *buf, size_t len)
{
	if (mbps == PX_ETH_SPEED_NUM_NONE)
		return "None";
	if (mbps == PX_ETH_SPEED_NUM_UNKNOWN)
		return "Unknown";
	if (mbps >= 1000 && mbps % 1000 == 0)
		snprintf(buf, len, "%u Gbps", mbps / 1000);
	else
		snprintf(buf, len, "%u Mbps", mbps);
	return buf;
}

#define INFO_BORDER "*********************"

/* show port info N: testpmd's lines, for what Pollux's ports report */
int fwd_stats_show_info(uint16_t p)
{
	struct px_eth_dev_info info;
	struct px_eth_link link = {0};
	struct px_ether_addr mac;
	char name[PX_ETH_NAME_MAX_LEN], buf[PX_ETHER_ADDR_FMT_SIZE], speed[32];
	uint16_t mtu = 0;

	if (px_eth_dev_info_get(p, &info) != 0) {
		printf("Invalid port %u\n", p);
		return -ENODEV;
	}
	px_eth_dev_get_name_by_port(p, name);
	px_eth_macaddr_get(p, &mac);
	px_ether_addr_format(buf, sizeof(buf), &mac);
	px_eth_link_get_nowait(p, &link);
	px_eth_dev_get_mtu(p, &mtu);
	printf("\n%s Infos for port %-2d %s\n", INFO_BORDER, p, INFO_BORDER);
	printf("MAC address: %s\n", buf);
	printf("Device name: %s\n", name);
	printf("Driver name: %s\n", info.driver_name);
	printf("Connect to socket: %d\n", px_eth_dev_socket_id(p));
	printf("memory allocation on the socket: %d\n", px_eth_dev_socket_id(p));
	printf("Link status: %s\n", link.link_status ? "up" : "down");
	printf("Link speed: %s\n", link_speed_str(link.link_speed, speed, sizeof(speed)));
	printf("Link duplex: %s\n", link.link_duplex ? "full-duplex" : "half-duplex");
	printf("Autoneg status: %s\n", link.link_autoneg ? "On" : "Off");
	printf("MTU: %u\n", mtu);
	printf("Promiscuous mode: %s\n", px_eth_promiscuous_get(p) == 1 ? "enabled" : "disabled");
	printf("Allmulticast mode: %s\n", px_eth_allmulticast_get(p) == 1 ? "enabled" : "disabled");
	printf("Maximum number of MAC addresses: %u\n", info.max_mac_addrs);
	printf("Port state: %s\n", fwd_port_started[p] ? "started" : "stopped");
	printf("Supported RSS offload flow types: 0x%llx\n",
	       (unsigned long long)info.flow_type_rss_offloads);
	printf("RX offload capabilities: 0x%llx\n", (unsigned long long)info.rx_offload_capa);
	printf("TX offload capabilities: 0x%llx\n", (unsigned long long)info.tx_offload_capa);
	printf("Minimum size of RX buffer: %u\n", info.min_rx_bufsize);
	printf("Maximum configurable length of RX packet: %u\n", info.max_rx_pktlen);
	printf("Current number of RX queues: %u\n", info.nb_rx_queues);
	printf("Max possible RX queues: %u\n", info.max_rx_queues);
	printf("Max possible number of RXDs per queue: %u\n", info.rx_desc_lim.nb_max);
	printf("Min possible number of RXDs per queue: %u\n", info.rx_desc_lim.nb_min);
	printf("RXDs number alignment: %u\n", info.rx_desc_lim.nb_align);
	printf("Current number of TX queues: %u\n", info.nb_tx_queues);
	printf("Max possible TX queues: %u\n", info.max_tx_queues);
	printf("Max possible number of TXDs per queue: %u\n", info.tx_desc_lim.nb_max);
	printf("Min possible number of TXDs per queue: %u\n", info.tx_desc_lim.nb_min);
	printf("TXDs number alignment: %u\n", info.tx_desc_lim.nb_align);
	return 0;
}

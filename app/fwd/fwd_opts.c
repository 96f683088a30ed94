/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd's command line: testpmd's option names and meanings where testpmd has the option
 * (docs/fwd.md has the table), a message naming the option and what it expects otherwise.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fwd.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: px-fwd [EAL options] -- [options]\n"
		"  -i, --interactive     a prompt with testpmd's commands (start, stop, show port\n"
		"                        stats all, set fwd MODE, ...; help lists them)\n"
		"  -a, --auto-start      with -i: start forwarding (--tx-first: with a burst)\n"
		"  --forward-mode=MODE   ");
	fwd_modes_list(f);
	fprintf(f,
		" (default io)\n"
		"  --nb-cores=N          forwarding lcores (default: every worker lcore)\n"
		"  --portmask=MASK       hexadecimal mask of the ports to forward on (default: all)\n"
		"  --port-topology=paired|chained|loop\n"
		"                        paired: 0<->1, 2<->3; chained: 0->1->...->last->0;\n"
		"                        loop: each port to itself (default paired)\n"
		"  --max-pkt-len=N       longest frame, CRC included: the port's MTU is N - 18\n"
		"  --mbuf-size=N         data room of an mbuf, the %d-byte headroom included\n"
		"                        (default %d, or enough for --txpkts)\n"
		"  --enable-scatter      receive frames into chains of mbufs; txonly sends chains\n"
		"                        when --txpkts is longer than an mbuf\n"
		"  --enable-rx-cksum     the port checks IPv4/UDP/TCP checksums (mbuf ol_flags)\n"
		"  --rss-ip, --rss-udp   RSS on IP addresses (and UDP ports) with --rxq > 1\n"
		"  --tx-offloads=0xMASK  TX offloads, DPDK's RTE_ETH_TX_OFFLOAD_* bit values\n"
		"  --flowgen-flows=N     flowgen: destination addresses to cycle through (default\n"
		"                        1024)\n"
		"  --record-core-cycles  count the cycles of the bursts that moved packets\n"
		"  --record-burst-stats  count bursts by size (RX and TX)\n"
		"  --burst=N             packets per burst, 1-%d (default 32)\n"
		"  --txpkts=LEN          txonly frame length in bytes, 60-%d (default 64)\n"
		"  --txflows=N           txonly: UDP flows to cycle through (default 1)\n"
		"  --tx-pps=RATE         txonly: packets per second per stream (default: no limit)\n"
		"  --tx-max=N            txonly: packets per stream, then stop sending\n"
		"  --rxq=N --txq=N       queues per port (default 1)\n"
		"  --rxd=N --txd=N       descriptors per queue (default 1024)\n"
		"  --total-num-mbufs=N   mbufs in the pool (default: enough for every queue)\n"
		"  --mbcache=N           per-lcore cache of the pool, 0-%d (default 256; 0: every\n"
		"                        get and put goes through the pool's ring)\n"
		"  --eth-peer=P,MAC      mac and csum modes: destination MAC of what port P sends\n"
		"  --icmp-ip=P,IPV4      icmpecho: the address port P answers for\n"
		"  --check               rxonly: verify txonly's payload and sequence numbers\n"
		"  --tx-first            send one burst of txonly frames per stream, then forward\n"
		"  --stats-period=S      live statistics every S seconds on stderr (0: off)\n"
		"  --duration=S          stop after S seconds (default: at SIGINT)\n"
		"  --rx-max=N            stop once every stream has received N packets (checked\n"
		"                        every 10 ms; needs a forwarding lcore besides the main one)\n"
		"  --stats-json=FILE     write the final counters and the mbuf accounting as JSON\n"
		"  --debug-mbuf-fault=leak|twice\n"
		"                        test hook: lose, or free twice, one mbuf after the run, to\n"
		"                        see the accounting at exit fail\n"
		"  -h, --help\n"
		"At exit, after closing the ports, every mbuf must be back in the pool exactly once.\n"
		"Exit status: 0 ok, 1 bad frames seen (--check) or run-time error, 2 bad options\n"
		"or a port that cannot do what they ask (the port and the capability on stderr),\n"
		"3 an mbuf leaked or was freed twice (the pool, the counts and the port on stderr).\n",
		PX_PKTMBUF_HEADROOM, PX_PKTMBUF_HEADROOM + 2048, FWD_MAX_BURST, FWD_MAX_FRAME,
		PX_MEMPOOL_CACHE_MAX_SIZE);
}

static int parse_uint(const char *opt, const char *v, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || *v == '\0' || *end != '\0' || x < min || x > max || *v == '-') {
		fprintf(stderr, "px-fwd: --%s=%s: expected a number from %lu to %lu\n", opt, v, min,
			max);
		return -EINVAL;
	}
	*out = x;
	return 0;
}

static int parse_port_arg(const char *opt, const char *v, uint16_t *port, const char **rest)
{
	unsigned long p;
	char buf[16];
	const char *comma = strchr(v, ',');

	if (comma == NULL || (size_t)(comma - v) >= sizeof(buf)) {
		fprintf(stderr, "px-fwd: --%s=%s: expected PORT,VALUE\n", opt, v);
		return -EINVAL;
	}
	memcpy(buf, v, comma - v);
	buf[comma - v] = '\0';
	if (parse_uint(opt, buf, 0, PX_MAX_ETHPORTS - 1, &p) < 0)
		return -EINVAL;
	*port = (uint16_t)p;
	*rest = comma + 1;
	return 0;
}

enum {
	O_MODE = 256,
	O_CORES,
	O_BURST,
	O_TXPKTS,
	O_FLOWS,
	O_PPS,
	O_MAX,
	O_RXQ,
	O_TXQ,
	O_RXD,
	O_TXD,
	O_MBUFS,
	O_MBCACHE,
	O_FAULT,
	O_PEER,
	O_IP,
	O_CHECK,
	O_TXFIRST,
	O_PERIOD,
	O_DURATION,
	O_RXMAX,
	O_JSON,
	O_MAXPKT,
	O_MBUFSZ,
	O_SCATTER,
	O_RXCKSUM,
	O_RSSIP,
	O_RSSUDP,
	O_TXOFF,
	O_PORTMASK,
	O_TOPO,
	O_CYCLES,
	O_BURSTS,
	O_FGFLOWS,
};

static const struct option long_opts[] = {
	{"forward-mode", 1, NULL, O_MODE},
	{"nb-cores", 1, NULL, O_CORES},
	{"burst", 1, NULL, O_BURST},
	{"txpkts", 1, NULL, O_TXPKTS},
	{"txflows", 1, NULL, O_FLOWS},
	{"tx-pps", 1, NULL, O_PPS},
	{"tx-max", 1, NULL, O_MAX},
	{"rxq", 1, NULL, O_RXQ},
	{"txq", 1, NULL, O_TXQ},
	{"rxd", 1, NULL, O_RXD},
	{"txd", 1, NULL, O_TXD},
	{"total-num-mbufs", 1, NULL, O_MBUFS},
	{"mbcache", 1, NULL, O_MBCACHE},
	{"debug-mbuf-fault", 1, NULL, O_FAULT},
	{"eth-peer", 1, NULL, O_PEER},
	{"icmp-ip", 1, NULL, O_IP},
	{"check", 0, NULL, O_CHECK},
	{"tx-first", 0, NULL, O_TXFIRST},
	{"stats-period", 1, NULL, O_PERIOD},
	{"duration", 1, NULL, O_DURATION},
	{"rx-max", 1, NULL, O_RXMAX},
	{"stats-json", 1, NULL, O_JSON},
	{"max-pkt-len", 1, NULL, O_MAXPKT},
	{"mbuf-size", 1, NULL, O_MBUFSZ},
	{"enable-scatter", 0, NULL, O_SCATTER},
	{"enable-rx-cksum", 0, NULL, O_RXCKSUM},
	{"rss-ip", 0, NULL, O_RSSIP},
	{"rss-udp", 0, NULL, O_RSSUDP},
	{"tx-offloads", 1, NULL, O_TXOFF},
	{"portmask", 1, NULL, O_PORTMASK},
	{"port-topology", 1, NULL, O_TOPO},
	{"record-core-cycles", 0, NULL, O_CYCLES},
	{"record-burst-stats", 0, NULL, O_BURSTS},
	{"flowgen-flows", 1, NULL, O_FGFLOWS},
	{"interactive", 0, NULL, 'i'},
	{"auto-start", 0, NULL, 'a'},
	{"help", 0, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* DPDK 22.11's RTE_ETH_TX_OFFLOAD_* bits (rte_ethdev.h) and what Pollux calls them. */
static const struct {
	uint8_t bit;
	const char *dpdk;
	uint64_t px; /* 0: Pollux has no such offload */
} tx_offload_map[] = {
	{0, "VLAN_INSERT", PX_ETH_TX_OFFLOAD_VLAN_INSERT},
	{1, "IPV4_CKSUM", PX_ETH_TX_OFFLOAD_IPV4_CKSUM},
	{2, "UDP_CKSUM", PX_ETH_TX_OFFLOAD_UDP_CKSUM},
	{3, "TCP_CKSUM", PX_ETH_TX_OFFLOAD_TCP_CKSUM},
	{4, "SCTP_CKSUM", 0},
	{5, "TCP_TSO", 0},
	{6, "UDP_TSO", 0},
	{7, "OUTER_IPV4_CKSUM", 0},
	{8, "QINQ_INSERT", 0},
	{9, "VXLAN_TNL_TSO", 0},
	{10, "GRE_TNL_TSO", 0},
	{11, "IPIP_TNL_TSO", 0},
	{12, "GENEVE_TNL_TSO", 0},
	{13, "MACSEC_INSERT", 0},
	{14, "MT_LOCKFREE", 0},
	{15, "MULTI_SEGS", PX_ETH_TX_OFFLOAD_MULTI_SEGS},
	{16, "MBUF_FAST_FREE", PX_ETH_TX_OFFLOAD_MBUF_FAST_FREE},
	{17, "SECURITY", 0},
	{18, "UDP_TNL_TSO", 0},
	{19, "IP_TNL_TSO", 0},
	{20, "OUTER_UDP_CKSUM", 0},
	{21, "SEND_ON_TIMESTAMP", 0},
};

const char *fwd_tx_offload_name(uint64_t px_flag)
{
	for (size_t i = 0; i < PX_DIM(tx_offload_map); i++)
		if (tx_offload_map[i].px == px_flag)
			return tx_offload_map[i].dpdk;
	return "?";
}

static int parse_hex(const char *opt, const char *v, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 16);
	if (errno || *v == '\0' || *end != '\0' || *v == '-') {
		fprintf(stderr, "px-fwd: --%s=%s: expected a hexadecimal mask such as 0x3\n", opt,
			v);
		return -EINVAL;
	}
	return 0;
}

/* --tx-offloads: DPDK's bits to Pollux's flags; a bit Pollux lacks is refused by name. */
static int parse_tx_offloads(const char *v)
{
	uint64_t mask, known = 0;

	if (parse_hex("tx-offloads", v, &mask) < 0)
		return -EINVAL;
	fwd_cfg.tx_offloads = 0;
	for (size_t i = 0; i < PX_DIM(tx_offload_map); i++) {
		uint64_t bit = 1ull << tx_offload_map[i].bit;

		known |= bit;
		if (!(mask & bit))
			continue;
		if (tx_offload_map[i].px == 0) {
			fprintf(stderr,
				"px-fwd: --tx-offloads=%s: bit %u (DPDK's RTE_ETH_TX_OFFLOAD_%s) has "
				"no Pollux equivalent; Pollux has VLAN_INSERT, IPV4_CKSUM, UDP_CKSUM, "
				"TCP_CKSUM, MULTI_SEGS, MBUF_FAST_FREE (0x1800f)\n",
				v, tx_offload_map[i].bit, tx_offload_map[i].dpdk);
			return -EINVAL;
		}
		fwd_cfg.tx_offloads |= tx_offload_map[i].px;
	}
	if (mask & ~known) {
		fprintf(stderr,
			"px-fwd: --tx-offloads=%s: bits 0x%llx are not DPDK 22.11 TX offloads\n", v,
			(unsigned long long)(mask & ~known));
		return -EINVAL;
	}
	return 0;
}

static int parse_topology(const char *v)
{
	static const char *const names[] = {[FWD_TOPO_PAIRED] = "paired",
					    [FWD_TOPO_CHAINED] = "chained",
					    [FWD_TOPO_LOOP] = "loop"};

	for (size_t i = 0; i < PX_DIM(names); i++)
		if (strcmp(v, names[i]) == 0) {
			fwd_cfg.topology = (enum fwd_topology)i;
			return 0;
		}
	fprintf(stderr, "px-fwd: --port-topology=%s: expected paired, chained or loop\n", v);
	return -EINVAL;
}

/* Options that switch something on (no value). */
static int apply_flag(int c)
{
	switch (c) {
	case O_CHECK:
		fwd_cfg.check = true;
		break;
	case O_TXFIRST:
		fwd_cfg.tx_first = true;
		break;
	case O_SCATTER:
		fwd_cfg.scatter = true;
		break;
	case O_RXCKSUM:
		fwd_cfg.rx_cksum = true;
		break;
	case O_RSSIP: /* testpmd: IPv4 and IPv6 addresses */
		fwd_cfg.rss_hf = PX_ETH_RSS_IPV4 | PX_ETH_RSS_IPV6;
		break;
	case O_RSSUDP: /* testpmd: addresses and UDP ports */
		fwd_cfg.rss_hf = PX_ETH_RSS_IPV4 | PX_ETH_RSS_IPV6 | PX_ETH_RSS_NONFRAG_IPV4_UDP |
				 PX_ETH_RSS_NONFRAG_IPV6_UDP;
		break;
	case O_CYCLES:
		fwd_cfg.record_cycles = true;
		break;
	case O_BURSTS:
		fwd_cfg.record_bursts = true;
		break;
	case 'i':
		fwd_cfg.interactive = true;
		break;
	case 'a':
		fwd_cfg.auto_start = true;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int apply_opt(int c, const char *v)
{
	const char *name = NULL, *rest;
	unsigned long u = 0;
	uint16_t port;
	char *end;

	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == c)
			name = o->name;
	switch (c) {
	case O_MODE:
		fwd_cfg.mode = fwd_mode_find(v);
		if (fwd_cfg.mode)
			return 0;
		fprintf(stderr, "px-fwd: --forward-mode=%s: expected one of ", v);
		fwd_modes_list(stderr);
		fputc('\n', stderr);
		return -EINVAL;
	case O_CORES:
		return parse_uint(name, v, 1, PX_MAX_LCORE, &u) ?: (fwd_cfg.nb_cores = u, 0);
	case O_BURST:
		return parse_uint(name, v, 1, FWD_MAX_BURST, &u) ?: (fwd_cfg.burst = u, 0);
	case O_TXPKTS:
		return parse_uint(name, v, 60, FWD_MAX_FRAME, &u) ?: (fwd_cfg.txpkts = u, 0);
	case O_FLOWS:
		return parse_uint(name, v, 1, 65535, &u) ?: (fwd_cfg.flows = u, 0);
	case O_MAX:
		return parse_uint(name, v, 1, UINT32_MAX, &u) ?: (fwd_cfg.max_pkts = u, 0);
	case O_RXMAX:
		return parse_uint(name, v, 1, 1ul << 62, &u) ?: (fwd_cfg.rx_max = u, 0);
	case O_RXQ:
		return parse_uint(name, v, 1, PX_MAX_QUEUES_PER_PORT, &u)
			       ?: (fwd_cfg.nb_rxq = u, 0);
	case O_TXQ:
		return parse_uint(name, v, 1, PX_MAX_QUEUES_PER_PORT, &u)
			       ?: (fwd_cfg.nb_txq = u, 0);
	case O_RXD:
		return parse_uint(name, v, 1, 65535, &u) ?: (fwd_cfg.nb_rxd = u, 0);
	case O_TXD:
		return parse_uint(name, v, 1, 65535, &u) ?: (fwd_cfg.nb_txd = u, 0);
	case O_MBUFS:
		return parse_uint(name, v, 64, UINT32_MAX, &u) ?: (fwd_cfg.nb_mbufs = u, 0);
	case O_MBCACHE:
		return parse_uint(name, v, 0, PX_MEMPOOL_CACHE_MAX_SIZE, &u)
			       ?: (fwd_cfg.mbcache = u, 0);
	case O_FAULT:
		if (strcmp(v, "leak") == 0 || strcmp(v, "twice") == 0) {
			fwd_cfg.mbuf_fault = v[0] == 'l' ? FWD_FAULT_LEAK : FWD_FAULT_TWICE;
			return 0;
		}
		fprintf(stderr, "px-fwd: --debug-mbuf-fault=%s: expected leak or twice\n", v);
		return -EINVAL;
	case O_PERIOD:
		return parse_uint(name, v, 0, 3600, &u) ?: (fwd_cfg.stats_period = u, 0);
	case O_MAXPKT:
		return parse_uint(name, v, PX_ETHER_MIN_LEN, UINT16_MAX, &u)
			       ?: (fwd_cfg.max_pkt_len = u, 0);
	case O_MBUFSZ:
		return parse_uint(name, v, PX_PKTMBUF_HEADROOM + PX_ETHER_MIN_LEN, UINT16_MAX, &u)
			       ?: (fwd_cfg.mbuf_size = u, 0);
	case O_FGFLOWS:
		return parse_uint(name, v, 1, 1u << 24, &u) ?: (fwd_cfg.flowgen_flows = u, 0);
	case O_TXOFF:
		return parse_tx_offloads(v);
	case O_PORTMASK:
		if (parse_hex(name, v, &fwd_cfg.portmask) < 0)
			return -EINVAL;
		if (fwd_cfg.portmask == 0) {
			fprintf(stderr, "px-fwd: --portmask=%s: no port selected\n", v);
			return -EINVAL;
		}
		return 0;
	case O_TOPO:
		return parse_topology(v);
	case O_JSON:
		fwd_cfg.stats_json = v;
		return 0;
	case O_PPS:
	case O_DURATION: {
		double d = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || !(d > 0)) {
			fprintf(stderr, "px-fwd: --%s=%s: expected a positive number\n", name, v);
			return -EINVAL;
		}
		*(c == O_PPS ? &fwd_cfg.tx_pps : &fwd_cfg.duration) = d;
		return 0;
	}
	case O_PEER:
		if (parse_port_arg(name, v, &port, &rest) < 0)
			return -EINVAL;
		if (px_ether_addr_parse(rest, &fwd_cfg.peer[port]) < 0) {
			fprintf(stderr, "px-fwd: --eth-peer=%s: expected PORT,XX:XX:XX:XX:XX:XX\n",
				v);
			return -EINVAL;
		}
		return 0;
	case O_IP:
		if (parse_port_arg(name, v, &port, &rest) < 0)
			return -EINVAL;
		if (inet_pton(AF_INET, rest, &fwd_cfg.ip[port]) != 1) {
			fprintf(stderr, "px-fwd: --icmp-ip=%s: expected PORT,A.B.C.D\n", v);
			return -EINVAL;
		}
		return 0;
	}
	return apply_flag(c);
}

/* What one option cannot see alone: lengths that must agree. */
static int check_lengths(void)
{
	uint32_t room = fwd_cfg.mbuf_size ? fwd_cfg.mbuf_size - PX_PKTMBUF_HEADROOM : 0;

	if (fwd_cfg.max_pkt_len &&
	    fwd_cfg.txpkts + (uint32_t)PX_ETHER_CRC_LEN > fwd_cfg.max_pkt_len) {
		fprintf(stderr,
			"px-fwd: --txpkts=%u is longer than --max-pkt-len=%u allows (%u bytes "
			"without the CRC)\n",
			fwd_cfg.txpkts, fwd_cfg.max_pkt_len,
			fwd_cfg.max_pkt_len - PX_ETHER_CRC_LEN);
		return -EINVAL;
	}
	if (room && fwd_cfg.txpkts > room && !fwd_cfg.scatter) {
		fprintf(stderr,
			"px-fwd: --txpkts=%u does not fit one mbuf of --mbuf-size=%u (%u bytes after "
			"the headroom): raise --mbuf-size to %u or add --enable-scatter\n",
			fwd_cfg.txpkts, fwd_cfg.mbuf_size, room,
			fwd_cfg.txpkts + PX_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	return 0;
}

int fwd_parse_args(int argc, char **argv)
{
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hia", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?') {
			fprintf(stderr,
				"px-fwd: unknown or incomplete option '%s' (px-fwd -- --help)\n",
				argv[optind - 1]);
			return -EINVAL;
		}
		if (apply_opt(c, optarg) < 0)
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "px-fwd: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (fwd_cfg.mode == NULL)
		fwd_cfg.mode = fwd_mode_find("io");
	return check_lengths();
}

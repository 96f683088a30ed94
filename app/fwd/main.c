/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd: a testpmd-like packet forwarder, non-interactive.
 *
 *   px-fwd [EAL options] -- [--forward-mode=MODE] [--nb-cores=N] [--burst=N] [--txpkts=LEN]
 *          [--stats-period=S] [--rxq=N] [--txq=N] [...]
 *
 * Ports come from the EAL (PCI devices, --vdev). Ports are paired 0<->1, 2<->3 (an odd last
 * port forwards to itself); each (port, RX queue) is a stream, and streams are spread over the
 * forwarding lcores.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "fwd.h"

struct fwd_config fwd_cfg = {
	.burst = 32,
	.txpkts = 64,
	.stats_period = 1,
	.nb_rxq = 1,
	.nb_txq = 1,
	.nb_rxd = 1024,
	.nb_txd = 1024,
	.flows = 1,
	.mbcache = 256,
};
volatile int fwd_stop;
struct fwd_stream fwd_streams[FWD_MAX_STREAMS];
unsigned int fwd_nb_streams;
struct px_mempool *fwd_pools[PX_MAX_NUMA_NODES];
static struct fwd_lcore fwd_lcores[PX_MAX_LCORE];

static void usage(FILE *f)
{
	fprintf(f, "usage: px-fwd [EAL options] -- [options]\n"
		   "  --forward-mode=MODE   ");
	fwd_modes_list(f);
	fprintf(f,
		" (default io)\n"
		"  --nb-cores=N          forwarding lcores (default: every worker lcore)\n"
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
		"  --eth-peer=P,MAC      mac mode: destination MAC for packets sent on port P\n"
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
		"Exit status: 0 ok, 1 bad frames seen (--check) or run-time error, 2 bad options,\n"
		"3 an mbuf leaked or was freed twice (the pool, the counts and the port on stderr).\n",
		FWD_MAX_BURST, FWD_MAX_FRAME, PX_MEMPOOL_CACHE_MAX_SIZE);
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
	O_JSON
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
	{"help", 0, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

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
	case O_CHECK:
		fwd_cfg.check = true;
		return 0;
	case O_TXFIRST:
		fwd_cfg.tx_first = true;
		return 0;
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
	return -EINVAL;
}

static int parse_args(int argc, char **argv)
{
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
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
	return 0;
}

/* ---- ports and streams ---- */

static int setup_port(uint16_t p, struct px_mempool *mp)
{
	struct px_eth_conf conf = {0};
	int ret = px_eth_dev_configure(p, fwd_cfg.nb_rxq, fwd_cfg.nb_txq, &conf);

	if (ret < 0) {
		fprintf(stderr, "px-fwd: port %u: configure with %u RX / %u TX queues failed: %s\n",
			p, fwd_cfg.nb_rxq, fwd_cfg.nb_txq, strerror(-ret));
		return ret;
	}
	for (uint16_t q = 0; q < fwd_cfg.nb_rxq && ret == 0; q++)
		ret = px_eth_rx_queue_setup(p, q, fwd_cfg.nb_rxd, px_eth_dev_socket_id(p), NULL,
					    mp);
	for (uint16_t q = 0; q < fwd_cfg.nb_txq && ret == 0; q++)
		ret = px_eth_tx_queue_setup(p, q, fwd_cfg.nb_txd, px_eth_dev_socket_id(p), NULL);
	if (ret == 0)
		ret = px_eth_dev_start(p);
	if (ret < 0) {
		fprintf(stderr, "px-fwd: port %u: queue setup or start failed: %s\n", p,
			strerror(-ret));
		return ret;
	}
	px_eth_promiscuous_enable(p); /* as testpmd: forward whatever arrives */
	px_eth_macaddr_get(p, &fwd_cfg.port_mac[p]);
	return 0;
}

static uint16_t peer_port(uint16_t p, uint16_t nb_ports, const uint16_t *ports, uint16_t idx)
{
	(void)p;
	if (fwd_cfg.mode == fwd_mode_find("icmpecho"))
		return ports[idx]; /* answers go back where the request came from */
	if ((idx ^ 1) < nb_ports)
		return ports[idx ^ 1];
	return ports[idx];
}

static void streams_free(void)
{
	for (unsigned int i = 0; i < fwd_nb_streams; i++) {
		free(fwd_streams[i].seen);
		fwd_streams[i].seen = NULL;
	}
	fwd_nb_streams = 0;
}

static int setup_streams(const uint16_t *ports, uint16_t nb_ports)
{
	streams_free();
	for (uint16_t i = 0; i < nb_ports; i++) {
		uint16_t tx = peer_port(ports[i], nb_ports, ports, i);

		if (px_ether_addr_is_zero(&fwd_cfg.peer[tx]))
			fwd_cfg.peer[tx] = (struct px_ether_addr){{0x02, 0, 0, 0, 0, (uint8_t)tx}};
		for (uint16_t q = 0; q < fwd_cfg.nb_rxq; q++) {
			struct fwd_stream *s;

			if (fwd_nb_streams == FWD_MAX_STREAMS) {
				fprintf(stderr, "px-fwd: more than %d streams\n", FWD_MAX_STREAMS);
				return -ENOSPC;
			}
			s = &fwd_streams[fwd_nb_streams++];
			memset(s, 0, sizeof(*s));
			s->rx_port = ports[i];
			s->rxq = q;
			s->tx_port = tx;
			s->txq = q % fwd_cfg.nb_txq;
			if (fwd_cfg.check) {
				s->seen = calloc(FWD_SEQ_WINDOW / 64, sizeof(uint64_t));
				if (s->seen == NULL)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/* Spread the streams over the forwarding lcores; returns how many lcores got some. */
static unsigned int map_streams(unsigned int *lcore_ids)
{
	unsigned int n = 0, i;

	PX_LCORE_FOREACH_WORKER (i) {
		if (fwd_cfg.nb_cores && n == fwd_cfg.nb_cores)
			break;
		lcore_ids[n++] = i;
	}
	if (n == 0)
		lcore_ids[n++] = px_get_main_lcore(); /* one core: forward on the main lcore */
	for (unsigned int s = 0; s < fwd_nb_streams; s++) {
		struct fwd_lcore *lc = &fwd_lcores[lcore_ids[s % n]];

		lc->streams[lc->nb_streams++] = &fwd_streams[s];
	}
	return PX_MIN(n, fwd_nb_streams);
}

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
}

/* ---- running ---- */

/* --rx-max: has every stream received that many? */
static bool rx_max_reached(void)
{
	for (unsigned int i = 0; i < fwd_nb_streams; i++)
		if (__atomic_load_n(&fwd_streams[i].rx_pkts, __ATOMIC_RELAXED) < fwd_cfg.rx_max)
			return false;
	return true;
}

static void stats_loop(void)
{
	uint64_t hz = px_get_tsc_hz(), start = px_get_tsc_cycles(), last = start;
	uint64_t end =
		fwd_cfg.duration > 0 ? start + (uint64_t)(fwd_cfg.duration * hz) : UINT64_MAX;

	while (!__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED)) {
		uint64_t now = px_get_tsc_cycles();

		if (now >= end || (fwd_cfg.rx_max && rx_max_reached()))
			break;
		if (fwd_cfg.stats_period && now - last >= fwd_cfg.stats_period * hz) {
			fwd_stats_print_period((double)(now - last) / hz);
			last = now;
		}
		usleep(10000);
	}
	__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
}

static int run(const unsigned int *lcore_ids, unsigned int n)
{
	unsigned int main_lcore = px_get_main_lcore();
	bool on_main = n == 1 && lcore_ids[0] == main_lcore;
	int ret = 0;

	if (on_main && fwd_cfg.rx_max) {
		fprintf(stderr, "px-fwd: --rx-max needs a forwarding lcore besides the main one "
				"(e.g. -l 0-1)\n");
		return -EINVAL;
	}
	fwd_stats_start();
	fwd_stats_final(); /* marks the start */
	if (fwd_cfg.tx_first && fwd_tx_first() < 0) {
		fprintf(stderr, "px-fwd: --tx-first: the pool has no mbufs for the first bursts\n");
		return -ENOMEM;
	}
	if (on_main) {
		/* a single core forwards and a timer signal ends it: no thread for statistics */
		signal(SIGALRM, on_signal);
		if (fwd_cfg.duration > 0) {
			/* setitimer, not ualarm: ualarm refuses a second or more (EINVAL) */
			uint64_t us = (uint64_t)(fwd_cfg.duration * 1e6);
			struct itimerval t = {.it_value = {.tv_sec = (time_t)(us / 1000000),
							   .tv_usec = (suseconds_t)(us % 1000000)}};

			if (setitimer(ITIMER_REAL, &t, NULL) < 0) {
				fprintf(stderr, "px-fwd: --duration: setitimer: %s\n",
					strerror(errno));
				return -errno;
			}
		}
		return fwd_cfg.mode->loop(&fwd_lcores[main_lcore]);
	}
	for (unsigned int i = 0; i < n; i++) {
		ret = px_remote_launch(fwd_cfg.mode->loop, &fwd_lcores[lcore_ids[i]], lcore_ids[i]);
		if (ret < 0) {
			fprintf(stderr, "px-fwd: cannot launch lcore %u: %s\n", lcore_ids[i],
				strerror(-ret));
			__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	if (ret == 0)
		stats_loop();
	px_mp_wait_lcore();
	return ret;
}

static int start_ports(uint16_t *ports, uint16_t *nb)
{
	unsigned int nb_mbufs = fwd_cfg.nb_mbufs;
	uint16_t p;

	*nb = 0;
	PX_ETH_FOREACH_DEV (p)
		ports[(*nb)++] = p;
	if (*nb == 0) {
		fprintf(stderr,
			"px-fwd: no ports: bind a NIC to vfio-pci (px-devbind --bind=vfio-pci ADDR) or add one with --vdev, e.g. --vdev net_null0\n");
		return -ENODEV;
	}
	if (nb_mbufs == 0)
		nb_mbufs = *nb * (fwd_cfg.nb_rxq * fwd_cfg.nb_rxd +
				  fwd_cfg.nb_txq * fwd_cfg.nb_txd + FWD_MAX_BURST) +
			   px_lcore_count() * 512;
	fwd_pools[0] = px_pktmbuf_pool_create("px_fwd_pool", nb_mbufs, fwd_cfg.mbcache, 0,
					      PX_PKTMBUF_HEADROOM + PX_MAX(2048, fwd_cfg.txpkts),
					      PX_SOCKET_ID_ANY);
	if (fwd_pools[0] == NULL) {
		fprintf(stderr, "px-fwd: cannot create a pool of %u mbufs (cache %u): %s\n",
			nb_mbufs, fwd_cfg.mbcache, strerror(errno));
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < *nb; i++)
		if (setup_port(ports[i], fwd_pools[0]) < 0)
			return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	uint16_t ports[PX_MAX_ETHPORTS], nb_ports;
	unsigned int lcore_ids[PX_MAX_LCORE], n;
	int ret = px_eal_init(argc, argv);

	if (ret < 0)
		return ret == -ECANCELED ? 0 : 2;
	argc -= ret;
	argv += ret;
	ret = parse_args(argc, argv);
	if (ret != 0) {
		px_eal_cleanup();
		return ret > 0 ? 0 : 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ret = start_ports(ports, &nb_ports);
	if (ret == 0)
		ret = setup_streams(ports, nb_ports);
	if (ret == 0) {
		fwd_txonly_prepare();
		n = map_streams(lcore_ids);
		fprintf(stderr,
			"px-fwd: %s mode, %u port(s), %u stream(s) on %u lcore(s), burst %u%s\n",
			fwd_cfg.mode->name, nb_ports, fwd_nb_streams, n, fwd_cfg.burst,
			fwd_cfg.duration > 0 || fwd_cfg.rx_max ? "" : "; Ctrl-C stops");
		ret = run(lcore_ids, n);
	}
	if (ret == 0)
		ret = fwd_stats_final();
	else
		ret = 1;
	if (fwd_close_ports() < 0)
		ret = 3;
	fwd_stats_write_json();
	streams_free();
	px_mempool_free(fwd_pools[0]);
	px_eal_cleanup();
	return ret;
}

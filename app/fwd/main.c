/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-fwd: a testpmd-like packet forwarder, run to the end or driven from a prompt (-i).
 *
 *   px-fwd [EAL options] -- [-i] [--forward-mode=MODE] [--nb-cores=N] [--burst=N] [...]
 *
 * Ports come from the EAL (PCI devices, --vdev), --portmask chooses among them. They send to
 * each other as --port-topology says (paired 0<->1, 2<->3 by default); each (port, RX queue)
 * is a stream, and streams are spread over the forwarding lcores.
 */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	.flowgen_flows = 1024,
};
volatile int fwd_stop;
volatile int fwd_interrupted;
struct fwd_stream fwd_streams[FWD_MAX_STREAMS];
unsigned int fwd_nb_streams;
struct px_mempool *fwd_pools[PX_MAX_NUMA_NODES];
static struct fwd_lcore fwd_lcores[PX_MAX_LCORE];

/* ---- streams ---- */

/* Where the streams of the port at @idx in fwd_ports send (--port-topology). */
static uint16_t peer_port(uint16_t idx)
{
	const uint16_t n = fwd_nb_ports;

	if (fwd_cfg.mode == fwd_mode_find("icmpecho"))
		return fwd_ports[idx]; /* answers go back where the request came from */
	switch (fwd_cfg.topology) {
	case FWD_TOPO_CHAINED:
		return fwd_ports[(idx + 1) % n];
	case FWD_TOPO_LOOP:
		return fwd_ports[idx];
	case FWD_TOPO_PAIRED:
		break;
	}
	return (idx ^ 1) < n ? fwd_ports[idx ^ 1] : fwd_ports[idx];
}

static void streams_free(void)
{
	for (unsigned int i = 0; i < fwd_nb_streams; i++) {
		free(fwd_streams[i].seen);
		free(fwd_streams[i].rx_bursts);
		free(fwd_streams[i].tx_bursts);
	}
	memset(fwd_streams, 0, sizeof(fwd_streams[0]) * fwd_nb_streams);
	fwd_nb_streams = 0;
}

/* What a stream needs beyond its ports: --check's window, --record-burst-stats' counts. */
static int stream_alloc(struct fwd_stream *s)
{
	if (fwd_cfg.check && (s->seen = calloc(FWD_SEQ_WINDOW / 64, sizeof(uint64_t))) == NULL)
		return -ENOMEM;
	if (fwd_cfg.record_bursts &&
	    ((s->rx_bursts = calloc(FWD_MAX_BURST + 1, sizeof(uint64_t))) == NULL ||
	     (s->tx_bursts = calloc(FWD_MAX_BURST + 1, sizeof(uint64_t))) == NULL))
		return -ENOMEM;
	return 0;
}

static int setup_streams(void)
{
	streams_free();
	for (uint16_t i = 0; i < fwd_nb_ports; i++) {
		uint16_t tx = peer_port(i);

		if (px_ether_addr_is_zero(&fwd_cfg.peer[tx]))
			fwd_cfg.peer[tx] = (struct px_ether_addr){{0x02, 0, 0, 0, 0, (uint8_t)tx}};
		for (uint16_t q = 0; q < fwd_cfg.nb_rxq; q++) {
			struct fwd_stream *s;

			if (fwd_nb_streams == FWD_MAX_STREAMS) {
				fprintf(stderr, "px-fwd: more than %d streams\n", FWD_MAX_STREAMS);
				return -ENOSPC;
			}
			s = &fwd_streams[fwd_nb_streams++];
			s->rx_port = fwd_ports[i];
			s->rxq = q;
			s->tx_port = tx;
			s->txq = q % fwd_cfg.nb_txq;
			if (stream_alloc(s) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Spread the streams over the forwarding lcores; returns how many lcores got some. */
static unsigned int map_streams(unsigned int *lcore_ids)
{
	unsigned int n = 0, i;

	for (i = 0; i < PX_MAX_LCORE; i++)
		fwd_lcores[i].nb_streams = 0;
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
	__atomic_store_n(&fwd_interrupted, 1, __ATOMIC_RELAXED);
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

/* Forwarding lcores whose loop has begun: --duration counts from when all @n have, since on a
 * loaded machine a launched lcore can wait a while for a CPU. */
static unsigned int lcores_begun;

static int lcore_loop(void *arg)
{
	__atomic_fetch_add(&lcores_begun, 1, __ATOMIC_RELEASE);
	return fwd_cfg.mode->loop(arg);
}

static void stats_loop(unsigned int n)
{
	uint64_t hz = px_get_tsc_hz(), start, last, end;

	while (__atomic_load_n(&lcores_begun, __ATOMIC_ACQUIRE) < n &&
	       !__atomic_load_n(&fwd_stop, __ATOMIC_RELAXED))
		usleep(1000);
	start = last = px_get_tsc_cycles();
	end = fwd_cfg.duration > 0 ? start + (uint64_t)(fwd_cfg.duration * hz) : UINT64_MAX;
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

/* Launch the mode's loop on each of @n lcores; @return 0 or the first launch error (then the
 * ones launched are told to stop). */
static int launch(const unsigned int *lcore_ids, unsigned int n)
{
	int ret = 0;

	__atomic_store_n(&fwd_stop, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lcores_begun, 0, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < n && ret == 0; i++) {
		ret = px_remote_launch(lcore_loop, &fwd_lcores[lcore_ids[i]], lcore_ids[i]);
		if (ret < 0) {
			fprintf(stderr, "px-fwd: cannot launch lcore %u: %s\n", lcore_ids[i],
				strerror(-ret));
			__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
		}
	}
	return ret;
}

/* One core forwards on the main thread and a timer signal ends it: no statistics thread. */
static int run_on_main(void)
{
	signal(SIGALRM, on_signal);
	if (fwd_cfg.duration > 0) {
		/* setitimer, not ualarm: ualarm refuses a second or more (EINVAL) */
		uint64_t us = (uint64_t)(fwd_cfg.duration * 1e6);
		struct itimerval t = {.it_value = {.tv_sec = (time_t)(us / 1000000),
						   .tv_usec = (suseconds_t)(us % 1000000)}};

		if (setitimer(ITIMER_REAL, &t, NULL) < 0) {
			fprintf(stderr, "px-fwd: --duration: setitimer: %s\n", strerror(errno));
			return -errno;
		}
	}
	return fwd_cfg.mode->loop(&fwd_lcores[px_get_main_lcore()]);
}

static int run(const unsigned int *lcore_ids, unsigned int n)
{
	bool on_main = n == 1 && lcore_ids[0] == px_get_main_lcore();
	int ret;

	if (on_main && fwd_cfg.rx_max) {
		fprintf(stderr, "px-fwd: --rx-max needs a forwarding lcore besides the main one "
				"(e.g. -l 0-1)\n");
		return -EINVAL;
	}
	fwd_stats_start();
	fwd_stats_mark(true);
	if (fwd_cfg.tx_first && fwd_tx_first() < 0) {
		fprintf(stderr, "px-fwd: --tx-first: the pool has no mbufs for the first bursts\n");
		return -ENOMEM;
	}
	if (on_main)
		return run_on_main();
	ret = launch(lcore_ids, n);
	if (ret == 0)
		stats_loop(n);
	px_mp_wait_lcore();
	return ret;
}

/* ---- the prompt's start and stop (fwd_cmdline.c) ---- */

static bool running;

bool fwd_running(void)
{
	return running;
}

int fwd_start(bool tx_first)
{
	unsigned int lcore_ids[PX_MAX_LCORE], n;

	if (running) {
		printf("Packet forwarding already started\n");
		return -EBUSY;
	}
	for (uint16_t i = 0; i < fwd_nb_ports; i++)
		if (!fwd_port_started[fwd_ports[i]]) {
			printf("Port %u is stopped: start it first (port start %u)\n", fwd_ports[i],
			       fwd_ports[i]);
			return -EINVAL;
		}
	if (fwd_nb_ports == 0) {
		printf("No ports to forward on\n");
		return -ENODEV;
	}
	if (setup_streams() < 0)
		return -ENOMEM;
	fwd_txonly_prepare();
	n = map_streams(lcore_ids);
	fwd_stats_start();
	fwd_stats_mark(true);
	fwd_stats_show_start(lcore_ids, n);
	if (tx_first && fwd_tx_first() < 0) {
		printf("start tx_first: the pool has no mbufs for the first bursts\n");
		return -ENOMEM;
	}
	if (launch(lcore_ids, n) < 0) {
		px_mp_wait_lcore();
		return -EIO;
	}
	running = true;
	return 0;
}

int fwd_stop_forwarding(void)
{
	if (!running) {
		printf("Packet forwarding not started\n");
		return -EINVAL;
	}
	printf("Telling cores to stop...\n");
	__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
	printf("Waiting for lcores to finish...\n");
	px_mp_wait_lcore();
	fwd_stats_mark(false);
	running = false;
	fwd_stats_show_forward();
	printf("\nDone.\n");
	return 0;
}

static int interactive(void)
{
	/* no SA_RESTART: Ctrl-C ends the read at the prompt, which then quits (as testpmd) */
	struct sigaction sa = {.sa_handler = on_signal};

	sigaction(SIGINT, &sa, NULL);
	if (px_get_next_lcore(-1, 1, 0) >= PX_MAX_LCORE) {
		fprintf(stderr, "px-fwd: -i needs a forwarding lcore besides the main one, which "
				"runs the prompt (e.g. -l 0-1)\n");
		return -EINVAL;
	}
	fwd_stats_mark(true);
	if (fwd_cfg.auto_start) {
		printf("Start automatic packet forwarding\n");
		fwd_start(fwd_cfg.tx_first);
	}
	fwd_prompt();
	if (running)
		fwd_stop_forwarding();
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int lcore_ids[PX_MAX_LCORE], n;
	int ret = px_eal_init(argc, argv);

	if (ret < 0)
		return ret == -ECANCELED ? 0 : 2;
	argc -= ret;
	argv += ret;
	ret = fwd_parse_args(argc, argv);
	if (ret != 0) {
		px_eal_cleanup();
		return ret > 0 ? 0 : 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ret = fwd_start_ports();
	if (ret == 0 && fwd_cfg.interactive) {
		ret = interactive();
	} else if (ret == 0 && (ret = setup_streams()) == 0) {
		fwd_txonly_prepare(); /* after the streams chose the peers' addresses */
		n = map_streams(lcore_ids);
		fprintf(stderr,
			"px-fwd: %s mode, %u port(s), %u stream(s) on %u lcore(s), burst %u%s\n",
			fwd_cfg.mode->name, fwd_nb_ports, fwd_nb_streams, n, fwd_cfg.burst,
			fwd_cfg.duration > 0 || fwd_cfg.rx_max ? "" : "; Ctrl-C stops");
		ret = run(lcore_ids, n);
	}
	/* exit status: a port that cannot do what was asked is a bad option (2) */
	if (ret == 0)
		ret = fwd_stats_final();
	else
		ret = ret == -ENOTSUP || ret == -EINVAL ? 2 : 1;
	if (fwd_close_ports() < 0)
		ret = 3;
	fwd_stats_write_json();
	streams_free();
	px_mempool_free(fwd_pools[0]);
	px_eal_cleanup();
	return ret;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal DPDK 22.11 loop of px-fwd's io, txonly and rxonly work, for bench/fwd/run.sh's DETAIL
 * line. The benchmark itself compares px-fwd with DPDK's own dpdk-testpmd (Debian's dpdk-dev,
 * /usr/bin/dpdk-testpmd); this program is the same forwarding written directly against
 * rte_ethdev, without testpmd's framework (streams, per-stream counters, its txonly frame
 * builder), so the gap between the two DPDK numbers is what testpmd itself costs. The same
 * bursts, the same per-packet work (txonly copies a 64-byte template and writes a sequence
 * number and a source port).
 *
 *   dpdk_fwd EAL-ARGS -- MODE SECONDS        prints "packets=<n> seconds=<s>"
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#define BURST 32
#define FRAME 64

static volatile int stop;
static struct rte_mempool *pool;
static uint64_t packets;
static uint8_t tpl[FRAME];
static int mode; /* 0 io, 1 txonly, 2 rxonly */

static int loop(void *arg)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t seq = 0, n_pkts = 0;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		for (uint16_t port = 0; port < 2; port++) {
			uint16_t n, sent;

			if (mode == 1) {
				if (rte_pktmbuf_alloc_bulk(pool, pkts, BURST) != 0)
					continue;
				for (int i = 0; i < BURST; i++) {
					uint8_t *p = rte_pktmbuf_mtod(pkts[i], uint8_t *);
					uint16_t sport = (uint16_t)(1024 + seq % 1);

					memcpy(p, tpl, FRAME);
					memcpy(p + 42, &seq, 8);
					seq++;
					p[34] = sport >> 8, p[35] = sport & 0xff;
					pkts[i]->data_len = FRAME;
					pkts[i]->pkt_len = FRAME;
				}
				sent = rte_eth_tx_burst(port, 0, pkts, BURST);
				n_pkts += sent;
				if (sent < BURST)
					rte_pktmbuf_free_bulk(pkts + sent, BURST - sent);
				continue;
			}
			n = rte_eth_rx_burst(port, 0, pkts, BURST);
			if (n == 0)
				continue;
			if (mode == 2) {
				rte_pktmbuf_free_bulk(pkts, n);
				n_pkts += n;
				continue;
			}
			sent = rte_eth_tx_burst(port ^ 1, 0, pkts, n);
			n_pkts += sent;
			if (sent < n)
				rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		}
	}
	packets = n_pkts;
	return 0;
}

static int port_init(uint16_t port)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(port, 0, 1024, rte_eth_dev_socket_id(port), NULL, pool) < 0 ||
	    rte_eth_tx_queue_setup(port, 0, 1024, rte_eth_dev_socket_id(port), NULL) < 0)
		return -1;
	return rte_eth_dev_start(port);
}

int main(int argc, char **argv)
{
	int ret = rte_eal_init(argc, argv);
	double secs;
	unsigned int worker;
	uint64_t t0, t1;

	if (ret < 0 || argc - ret < 3)
		return 1;
	mode = strcmp(argv[ret + 1], "txonly") == 0   ? 1
	       : strcmp(argv[ret + 1], "rxonly") == 0 ? 2
						      : 0;
	secs = atof(argv[ret + 2]);
	pool = rte_pktmbuf_pool_create("fwd", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL || rte_eth_dev_count_avail() < 2 || port_init(0) || port_init(1))
		return 1;
	memset(tpl, 0xab, sizeof(tpl));
	worker = rte_get_next_lcore(-1, 1, 0);
	t0 = rte_get_tsc_cycles();
	rte_eal_remote_launch(loop, NULL, worker);
	usleep((useconds_t)(secs * 1e6));
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	rte_eal_wait_lcore(worker);
	t1 = rte_get_tsc_cycles();
	printf("packets=%llu seconds=%.6f\n", (unsigned long long)packets,
	       (double)(t1 - t0) / rte_get_tsc_hz());
	rte_eth_dev_stop(0);
	rte_eth_dev_stop(1);
	rte_eal_cleanup();
	return 0;
}

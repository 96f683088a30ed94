/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The smallest useful Pollux program: start the EAL, make one pool of packet buffers, start
 * every port, and forward whatever each port receives to its pair (0 <-> 1, 2 <-> 3, ...).
 *
 *   px-skeleton [EAL options] -- [--seconds N] [--inject N]
 *
 * Try it without a NIC: two software ports joined like a cable, 8 frames put on the wire:
 *   px-skeleton -l 0 --no-huge --vdev net_ring0 --vdev net_ring1,peer=net_ring0 -- --inject 8
 * On a NIC bound to vfio-pci (px-devbind --bind=vfio-pci 0000:01:00.0) the same code runs
 * unchanged: the EAL finds the device and its driver.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_mbuf.h>

#define NB_MBUFS 8191
#define CACHE 250
#define BURST 32
#define RING_SIZE 1024

/* Configure a port with one RX and one TX queue, and start it. */
static int port_init(uint16_t port, struct px_mempool *pool)
{
	struct px_eth_conf conf = {0};
	int ret;

	ret = px_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = px_eth_rx_queue_setup(port, 0, RING_SIZE, px_eth_dev_socket_id(port), NULL,
					    pool);
	if (ret == 0)
		ret = px_eth_tx_queue_setup(port, 0, RING_SIZE, px_eth_dev_socket_id(port), NULL);
	if (ret == 0)
		ret = px_eth_dev_start(port);
	if (ret == 0)
		ret = px_eth_promiscuous_enable(port);
	return ret;
}

/* Put @n blank 64-byte frames on @port's wire, so a cable of software ports has traffic. */
static int inject(uint16_t port, struct px_mempool *pool, uint16_t n)
{
	struct px_mbuf *m[BURST];

	if (n > BURST || px_pktmbuf_alloc_bulk(pool, m, n) != 0)
		return -ENOMEM;
	for (uint16_t i = 0; i < n; i++)
		memset(px_pktmbuf_append(m[i], 64), 0xff, 64);
	return px_eth_tx_burst(port, 0, m, n) == n ? 0 : -EIO;
}

/* The main loop: receive a burst on each port, send it on the pair, free what did not fit. */
static uint64_t forward(double seconds, uint64_t *lost)
{
	uint64_t end = px_get_tsc_cycles() + (uint64_t)(seconds * px_get_tsc_hz()), total = 0;
	uint16_t nb_ports = px_eth_dev_count_avail();

	while (px_get_tsc_cycles() < end) {
		for (uint16_t port = 0; port < nb_ports; port++) {
			struct px_mbuf *bufs[BURST];
			uint16_t n = px_eth_rx_burst(port, 0, bufs, BURST);
			uint16_t sent = n ? px_eth_tx_burst(port ^ 1, 0, bufs, n) : 0;

			total += sent;
			if (sent < n) { /* the TX queue was full: drop the rest */
				px_pktmbuf_free_bulk(bufs + sent, n - sent);
				*lost += n - sent;
			}
		}
	}
	return total;
}

int main(int argc, char **argv)
{
	double seconds = 2;
	unsigned int n_inject = 0;
	uint64_t lost = 0, fwd;
	struct px_mempool *pool;
	struct px_eth_stats st;
	uint64_t tx = 0, rx = 0;
	int ret = px_eal_init(argc, argv); /* EAL options come first, the program's after -- */

	if (ret < 0)
		return ret == -ECANCELED ? 0 : 1;
	for (int i = ret + 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--inject") == 0)
			n_inject = (unsigned int)atoi(argv[i + 1]);
	}
	if (px_eth_dev_count_avail() < 2 || px_eth_dev_count_avail() % 2) {
		fprintf(stderr,
			"skeleton: needs an even number of ports (try --vdev net_ring0 --vdev net_ring1,peer=net_ring0)\n");
		goto out;
	}
	pool = px_pktmbuf_pool_create("skeleton", NB_MBUFS, CACHE, 0, PX_MBUF_DEFAULT_BUF_SIZE,
				      px_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "skeleton: cannot create the mbuf pool: %s\n", strerror(errno));
		goto out;
	}
	for (uint16_t port = 0; port < px_eth_dev_count_avail(); port++) {
		if (port_init(port, pool) != 0) {
			fprintf(stderr, "skeleton: cannot start port %u\n", port);
			goto out;
		}
	}
	if (n_inject && inject(0, pool, (uint16_t)n_inject) != 0)
		goto out;
	fwd = forward(seconds, &lost);
	for (uint16_t port = 0, n = px_eth_dev_count_avail(); port < n; port++) {
		if (px_eth_stats_get(port, &st) == 0) {
			tx += st.opackets;
			rx += st.ipackets;
		}
		px_eth_dev_close(port);
	}
	/* what was sent and never received is still on the wire (in the rings) */
	printf("forwarded %llu packets, %llu in flight, %llu lost\n", (unsigned long long)fwd,
	       (unsigned long long)(tx - rx), (unsigned long long)lost);
	px_mempool_free(pool);
	px_eal_cleanup();
	return 0;
out:
	px_eal_cleanup();
	return 1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_virtio_user's RX interrupts (virtio_user.sh, case rx_intr): RX queue 0's interrupt is the
 * queue's call eventfd, which the backend signals when the ring asks for it. The backend is
 * Pollux's net_vhost in another px-fwd, sending 20 frames a second. Ten rounds: the queue is
 * read empty, its interrupt armed, px_eth_dev_rx_intr_wait() must wake within 2 s, and a burst
 * then returns the frames. (A frame that arrives between the last empty read and the arming is
 * caught by the arming itself; the script checks the backend's "calls" xstat, so the wake-ups
 * came from it.) Exit 0 when every check passed, 1 naming the first that did not.
 * Usage: virtio-user-intr-test EAL-ARGS (with --vdev net_virtio_user0,path=...)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <px_eal.h>
#include <px_ethdev.h>
#include <px_mbuf.h>

#include "fwd_test.h"

#define NB_MBUFS 2048
#define NB_DESC 256
#define ROUNDS 10
#define BURST 32

/* Read the queue until it is empty; @return the frames read. */
static unsigned int drain(uint16_t port)
{
	struct px_mbuf *m[BURST];
	unsigned int total = 0;
	uint16_t n;

	while ((n = px_eth_rx_burst(port, 0, m, BURST)) > 0) {
		px_pktmbuf_free_bulk(m, n);
		total += n;
	}
	return total;
}

int main(int argc, char **argv)
{
	struct px_eth_conf conf = {.intr_conf.rxq = 1};
	struct px_mempool *pool;
	unsigned int got = 0;
	uint64_t data;
	uint16_t port;
	int epfd;

	CHECK(px_eal_init(argc, argv) >= 0, "EAL init");
	pool = px_pktmbuf_pool_create("vu_intr", NB_MBUFS, 0, 0, PX_PKTMBUF_HEADROOM + 2048, 0);
	CHECK(pool != NULL, "mbuf pool");
	CHECK(px_eth_dev_get_port_by_name("net_virtio_user0", &port) == 0, "port");
	CHECK(px_eth_dev_configure(port, 1, 1, &conf) == 0, "configure with intr_conf.rxq");
	CHECK(px_eth_rx_queue_setup(port, 0, NB_DESC, 0, NULL, pool) == 0, "RX queue");
	CHECK(px_eth_tx_queue_setup(port, 0, NB_DESC, 0, NULL) == 0, "TX queue");
	CHECK(px_eth_dev_start(port) == 0, "start");
	epfd = epoll_create1(0);
	CHECK(epfd >= 0 && px_eth_dev_rx_intr_epoll_add(epfd, port, 0, 7) == 0, "epoll");
	for (int r = 0; r < ROUNDS; r++) {
		unsigned int n = 0;

		drain(port);
		CHECK(px_eth_dev_rx_intr_enable(port, 0) == 0, "arm the interrupt (round %d)", r);
		CHECK(px_eth_dev_rx_intr_wait(epfd, &data, 1, 2000) == 1 && data == 7,
		      "no RX interrupt within 2 s (round %d)", r);
		CHECK(px_eth_dev_rx_intr_disable(port, 0) == 0, "disarm (round %d)", r);
		for (int i = 0; i < 100 && n == 0; i++) {
			n = drain(port);
			if (n == 0)
				usleep(1000);
		}
		CHECK(n > 0, "woken, but no frame followed (round %d)", r);
		got += n;
	}
	printf("ok: %d RX interrupts, %u frames read after them\n", ROUNDS, got);
	close(epfd);
	CHECK(px_eth_dev_stop(port) == 0, "stop");
	CHECK(px_eth_dev_close(port) == 0, "close");
	px_eal_cleanup();
	return 0;
}

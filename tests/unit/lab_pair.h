/* SPDX-License-Identifier: BSD-3-Clause */
/* What the lab tests of a PMD on two ports of one QEMU hub share (test_e1000e.c,
 * test_pmd_virtio.c through virtio_lab.h): a port set up with one queue each way, the first two
 * ports of a driver, the close that accounts for every mbuf, and the test frames' bytes. */
#ifndef LAB_PAIR_H
#define LAB_PAIR_H

#include <stdint.h>
#include <string.h>

#include "px_test.h"
#include "px_eal.h"
#include "px_ethdev.h"
#include "px_mempool.h"

/* Configure @port with @conf, one RX queue (buffers from @mp) and one TX queue of @nb_desc
 * descriptors; its MAC into @mac. @return 0 or ethdev's -errno. */
static inline int lab_port_setup(uint16_t port, const struct px_eth_conf *conf, uint16_t nb_desc,
				 struct px_mempool *mp, struct px_ether_addr *mac)
{
	int ret = px_eth_dev_configure(port, 1, 1, conf);

	if (ret == 0)
		ret = px_eth_rx_queue_setup(port, 0, nb_desc, PX_SOCKET_ID_ANY, NULL, mp);
	if (ret == 0)
		ret = px_eth_tx_queue_setup(port, 0, nb_desc, PX_SOCKET_ID_ANY, NULL);
	if (ret == 0)
		ret = px_eth_macaddr_get(port, mac);
	return ret;
}

/* After the EAL's init (@eal_args, for the message): the first two ports of @driver into
 * @port. */
static inline int lab_pair_find(const char *driver, const char *eal_args, uint16_t port[2])
{
	struct px_eth_dev_info info;
	uint16_t pid;
	int n = 0;

	PX_ETH_FOREACH_DEV (pid) {
		if (px_eth_dev_info_get(pid, &info) == 0 && strcmp(info.driver_name, driver) == 0 &&
		    n < 2)
			port[n++] = pid;
	}
	PX_TEST_ASSERT_EQ(n, 2, "two %s ports probed (EAL args: %s)", driver, eal_args);
	return PX_TEST_OK;
}

/* Stop both ports (the pool back to @avail_idle, its count with both set up and stopped: no
 * mbuf missing), close both (all @nb_mbuf back), free @mp, EAL down. */
static inline int lab_pair_close(const uint16_t port[2], struct px_mempool *mp,
				 unsigned int avail_idle, unsigned int nb_mbuf)
{
	for (int i = 0; i < 2; i++)
		PX_TEST_ASSERT_EQ(px_eth_dev_stop(port[i]), 0, "stop");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), avail_idle, "mbufs leaked");
	for (int i = 0; i < 2; i++)
		PX_TEST_ASSERT_EQ(px_eth_dev_close(port[i]), 0, "close");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), nb_mbuf, "mbufs left in closed ports");
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "EAL cleanup");
	return PX_TEST_OK;
}

/* Byte @off of test frame @seq (after the header and the sequence number). */
static inline uint8_t lab_frame_byte(uint32_t seq, unsigned int off)
{
	return (uint8_t)(seq * 131u + off * 7u + (off >> 8));
}

#endif /* LAB_PAIR_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* What the lab tests of a PMD on two ports of one QEMU hub share (test_e1000e.c,
 * test_pmd_virtio.c through virtio_lab.h, test_pmd_virtio_feat.c): a port set up with one queue
 * each way, the first two ports of a driver, the close that accounts for every mbuf, the test
 * frames' bytes, and for hot unplug and plug the sysfs helpers and the RMV event counter. */
#ifndef LAB_PAIR_H
#define LAB_PAIR_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- hot unplug and plug (device removal) ---------------------------------------------- */

/* Does the sysfs path @fmt with @name (its one %s) exist? */
static inline int lab_sysfs_exists(const char *fmt, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), fmt, name);
	return access(path, F_OK) == 0;
}

/* Wait up to @ms for lab_sysfs_exists(@fmt, @name) to be @want (1: appears, 0: is gone).
 * @return 0 or -ETIMEDOUT */
static inline int lab_sysfs_wait(const char *fmt, const char *name, int want, int ms)
{
	for (int t = 0; t < ms; t += 100) {
		if (lab_sysfs_exists(fmt, name) == want)
			return 0;
		usleep(100 * 1000);
	}
	return -ETIMEDOUT;
}

/* Write @val to the sysfs file @path. @return 0 or -errno */
static inline int lab_sysfs_write(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (f == NULL)
		return -errno;
	ret = fputs(val, f) < 0 ? -EIO : 0;
	return fclose(f) ? -errno : ret;
}

/* An ethdev callback counting PX_ETH_EVENT_INTR_RMV in the int at @arg (it runs on the EAL's
 * interrupt thread: read the count with __atomic_load_n). */
static inline int lab_on_rmv(uint16_t port, enum px_eth_event_type event, void *arg,
			     void *ret_param)
{
	(void)port;
	(void)ret_param;
	if (event == PX_ETH_EVENT_INTR_RMV)
		__atomic_fetch_add((int *)arg, 1, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Plug PCI device @name in again (QEMU's `device_add @add`, through px-lab-monitor) and bind it
 * to vfio-pci (taking it from a driver that probed it first), ready for px_pci_rescan(). QEMU
 * forgets the unplugged device only once the guest has powered its slot off (pciehp), after the
 * device left sysfs: until then device_add is refused (duplicate ID), so it is retried.
 */
static inline int lab_pci_replug(const char *name, const char *add)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "px-lab-monitor device_add %s", add);
	for (int i = 0; i < 8 && !lab_sysfs_exists("/sys/bus/pci/devices/%s", name); i++) {
		PX_TEST_ASSERT_EQ(system(cmd), 0, "%s", cmd);
		lab_sysfs_wait("/sys/bus/pci/devices/%s", name, 1, 3000);
	}
	PX_TEST_ASSERT(lab_sysfs_exists("/sys/bus/pci/devices/%s", name), "%s plugged in again",
		       name);
	snprintf(cmd, sizeof(cmd), "/sys/bus/pci/devices/%s/driver_override", name);
	PX_TEST_ASSERT_EQ(lab_sysfs_write(cmd, "vfio-pci"), 0, "%s", cmd);
	snprintf(cmd, sizeof(cmd), "/sys/bus/pci/devices/%s/driver/unbind", name);
	if (lab_sysfs_exists("/sys/bus/pci/devices/%s/driver", name)) /* ppc64le: virtio_pci=y */
		PX_TEST_ASSERT_EQ(lab_sysfs_write(cmd, name), 0, "%s", cmd);
	PX_TEST_ASSERT_EQ(lab_sysfs_write("/sys/bus/pci/drivers_probe", name), 0, "drivers_probe");
	PX_TEST_ASSERT_EQ(lab_sysfs_wait("/sys/bus/pci/drivers/vfio-pci/%s", name, 1, 5000), 0,
			  "%s on vfio-pci", name);
	return PX_TEST_OK;
}

#endif /* LAB_PAIR_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For PMDs whose port is a Linux network interface (net_af_packet, net_tap): the interface's
 * flags, MTU and MAC address through the ioctls of netdevice(7). Internal to libpollux.
 *
 * @fd is any socket of the interface's network namespace; @iface the interface's name. Each
 * function returns 0 or -errno, and logs a failure with @dev's name and the interface.
 */
#ifndef ETHDEV_NETDEV_H
#define ETHDEV_NETDEV_H

#include <net/if.h>
#include <stdbool.h>

#include "ethdev_driver.h"

/* ioctl(@fd, @req, @ifr) with ifr_name = @iface; no log. */
int eth_netdev_ioctl(int fd, const char *iface, unsigned long req, struct ifreq *ifr);
/* Set (@on) or clear one IFF_* flag (SIOCGIFFLAGS, then SIOCSIFFLAGS). */
int eth_netdev_set_flag(struct px_eth_dev *dev, int fd, const char *iface, short flag, bool on);
/* dev->mac and dev->mtu from the interface (SIOCGIFHWADDR, SIOCGIFMTU). */
int eth_netdev_read(struct px_eth_dev *dev, int fd, const char *iface);
/* SIOCSIFMTU. */
int eth_netdev_mtu_set(struct px_eth_dev *dev, int fd, const char *iface, uint16_t mtu);
/* SIOCSIFHWADDR. */
int eth_netdev_mac_set(struct px_eth_dev *dev, int fd, const char *iface,
		       const struct px_ether_addr *mac);

#endif /* ETHDEV_NETDEV_H */

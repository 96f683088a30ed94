/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For PMDs whose port is a Linux network interface (net_af_packet, net_tap, net_af_xdp): the
 * interface's flags, MTU and MAC address through the ioctls of netdevice(7), and the ethdev ops
 * that are nothing more. Internal to libpollux.
 *
 * Such a driver's private data starts with a struct eth_netdev; its ops table points at the
 * eth_netdev_* ops below where the interface's own behaviour is the port's. Each function returns
 * 0 or -errno, and logs a failure with @dev's name and the interface.
 */
#ifndef ETHDEV_NETDEV_H
#define ETHDEV_NETDEV_H

#include <net/if.h>
#include <stdbool.h>

#include "ethdev_driver.h"

/* The first member of the private data of a PMD on an interface. */
struct eth_netdev {
	char iface[IF_NAMESIZE];
	int fd; /* any socket of the interface's network namespace, for the ioctls */
};

/* The interface of @dev, whose dev_private starts with a struct eth_netdev. */
static inline struct eth_netdev *eth_netdev(const struct px_eth_dev *dev)
{
	return dev->dev_private;
}

/* ioctl(@fd, @req, @ifr) with ifr_name = @iface; no log. */
int eth_netdev_ioctl(int fd, const char *iface, unsigned long req, struct ifreq *ifr);
/* Set (@on) or clear one IFF_* flag (SIOCGIFFLAGS, then SIOCSIFFLAGS). */
int eth_netdev_set_flag(struct px_eth_dev *dev, short flag, bool on);
/* dev->mac and dev->mtu from the interface (SIOCGIFHWADDR, SIOCGIFMTU). */
int eth_netdev_read(struct px_eth_dev *dev);

/* ---- ethdev ops ---- */

/* dev->link from the flags (up when IFF_UP and IFF_RUNNING) and the speed from ethtool
 * (unknown where the driver does not say); @wait is not used. */
int eth_netdev_link_update(struct px_eth_dev *dev, int wait);
/* IFF_UP. */
int eth_netdev_set_link_up(struct px_eth_dev *dev);
int eth_netdev_set_link_down(struct px_eth_dev *dev);
/* IFF_PROMISC. */
int eth_netdev_promisc_enable(struct px_eth_dev *dev);
int eth_netdev_promisc_disable(struct px_eth_dev *dev);
/* IFF_ALLMULTI. */
int eth_netdev_allmulti_enable(struct px_eth_dev *dev);
int eth_netdev_allmulti_disable(struct px_eth_dev *dev);
/* SIOCSIFMTU. */
int eth_netdev_mtu_set(struct px_eth_dev *dev, uint16_t mtu);
/* SIOCSIFHWADDR. */
int eth_netdev_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac);

#endif /* ETHDEV_NETDEV_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* A Linux network interface's flags, MTU and MAC address for the PMDs on one (netdevice(7)). */
#include <errno.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ethdev_netdev.h"

int eth_netdev_ioctl(int fd, const char *iface, unsigned long req, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", iface);
	return ioctl(fd, req, ifr) < 0 ? -errno : 0;
}

int eth_netdev_set_flag(struct px_eth_dev *dev, int fd, const char *iface, short flag, bool on)
{
	struct ifreq ifr = {0};
	int ret = eth_netdev_ioctl(fd, iface, SIOCGIFFLAGS, &ifr);

	if (ret < 0)
		return ret;
	ifr.ifr_flags = (short)(on ? ifr.ifr_flags | flag : ifr.ifr_flags & ~flag);
	ret = eth_netdev_ioctl(fd, iface, SIOCSIFFLAGS, &ifr);
	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot set %s's flags: %s", dev->name, iface, strerror(-ret));
	return ret;
}

int eth_netdev_read(struct px_eth_dev *dev, int fd, const char *iface)
{
	struct ifreq ifr = {0};
	int ret = eth_netdev_ioctl(fd, iface, SIOCGIFHWADDR, &ifr);

	if (ret == 0)
		memcpy(dev->mac.addr_bytes, ifr.ifr_hwaddr.sa_data, PX_ETHER_ADDR_LEN);
	if (ret == 0)
		ret = eth_netdev_ioctl(fd, iface, SIOCGIFMTU, &ifr);
	if (ret == 0)
		dev->mtu = (uint16_t)ifr.ifr_mtu;
	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot read %s's address and MTU: %s", dev->name, iface,
			   strerror(-ret));
	return ret;
}

int eth_netdev_mtu_set(struct px_eth_dev *dev, int fd, const char *iface, uint16_t mtu)
{
	struct ifreq ifr = {.ifr_mtu = mtu};
	int ret = eth_netdev_ioctl(fd, iface, SIOCSIFMTU, &ifr);

	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot set %s's MTU to %u: %s", dev->name, iface, mtu,
			   strerror(-ret));
	return ret;
}

int eth_netdev_mac_set(struct px_eth_dev *dev, int fd, const char *iface,
		       const struct px_ether_addr *mac)
{
	struct ifreq ifr = {0};
	int ret;

	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac->addr_bytes, PX_ETHER_ADDR_LEN);
	ret = eth_netdev_ioctl(fd, iface, SIOCSIFHWADDR, &ifr);
	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot set %s's MAC address: %s", dev->name, iface,
			   strerror(-ret));
	return ret;
}

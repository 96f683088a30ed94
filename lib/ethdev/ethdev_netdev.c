/* SPDX-License-Identifier: BSD-3-Clause */
/* A Linux network interface's flags, MTU and MAC address for the PMDs on one (netdevice(7)). */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
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

static int netdev_ioctl(const struct eth_netdev *nd, unsigned long req, struct ifreq *ifr)
{
	return eth_netdev_ioctl(nd->fd, nd->iface, req, ifr);
}

int eth_netdev_set_flag(struct px_eth_dev *dev, short flag, bool on)
{
	const struct eth_netdev *nd = eth_netdev(dev);
	struct ifreq ifr = {0};
	int ret = netdev_ioctl(nd, SIOCGIFFLAGS, &ifr);

	if (ret < 0)
		return ret;
	ifr.ifr_flags = (short)(on ? ifr.ifr_flags | flag : ifr.ifr_flags & ~flag);
	ret = netdev_ioctl(nd, SIOCSIFFLAGS, &ifr);
	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot set %s's flags: %s", dev->name, nd->iface,
			   strerror(-ret));
	return ret;
}

int eth_netdev_read(struct px_eth_dev *dev)
{
	const struct eth_netdev *nd = eth_netdev(dev);
	struct ifreq ifr = {0};
	int ret = netdev_ioctl(nd, SIOCGIFHWADDR, &ifr);

	if (ret == 0)
		memcpy(dev->mac.addr_bytes, ifr.ifr_hwaddr.sa_data, PX_ETHER_ADDR_LEN);
	if (ret == 0)
		ret = netdev_ioctl(nd, SIOCGIFMTU, &ifr);
	if (ret == 0)
		dev->mtu = (uint16_t)ifr.ifr_mtu;
	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot read %s's address and MTU: %s", dev->name, nd->iface,
			   strerror(-ret));
	return ret;
}

/* ETHTOOL_GSET's speed, or unknown: a veth, for one, reports none. */
static uint32_t netdev_speed(const struct eth_netdev *nd)
{
	struct ethtool_cmd cmd = {.cmd = ETHTOOL_GSET};
	struct ifreq ifr = {.ifr_data = (void *)&cmd};
	uint32_t speed;

	if (netdev_ioctl(nd, SIOCETHTOOL, &ifr) < 0)
		return PX_ETH_SPEED_NUM_UNKNOWN;
	speed = ethtool_cmd_speed(&cmd);
	return speed == 0 || speed == (uint32_t)SPEED_UNKNOWN ? PX_ETH_SPEED_NUM_UNKNOWN : speed;
}

int eth_netdev_link_update(struct px_eth_dev *dev, int wait)
{
	const struct eth_netdev *nd = eth_netdev(dev);
	struct ifreq ifr = {0};
	int ret = netdev_ioctl(nd, SIOCGIFFLAGS, &ifr);

	(void)wait;
	if (ret < 0)
		return ret;
	dev->link = (struct px_eth_link){.link_duplex = 1};
	if ((ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING)) {
		dev->link.link_status = 1;
		dev->link.link_speed = netdev_speed(nd);
	}
	return 0;
}

int eth_netdev_set_link_up(struct px_eth_dev *dev)
{
	return eth_netdev_set_flag(dev, IFF_UP, true);
}

int eth_netdev_set_link_down(struct px_eth_dev *dev)
{
	return eth_netdev_set_flag(dev, IFF_UP, false);
}

int eth_netdev_promisc_enable(struct px_eth_dev *dev)
{
	return eth_netdev_set_flag(dev, IFF_PROMISC, true);
}

int eth_netdev_promisc_disable(struct px_eth_dev *dev)
{
	return eth_netdev_set_flag(dev, IFF_PROMISC, false);
}

int eth_netdev_allmulti_enable(struct px_eth_dev *dev)
{
	return eth_netdev_set_flag(dev, IFF_ALLMULTI, true);
}

int eth_netdev_allmulti_disable(struct px_eth_dev *dev)
{
	return eth_netdev_set_flag(dev, IFF_ALLMULTI, false);
}

int eth_netdev_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	const struct eth_netdev *nd = eth_netdev(dev);
	struct ifreq ifr = {.ifr_mtu = mtu};
	int ret = netdev_ioctl(nd, SIOCSIFMTU, &ifr);

	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot set %s's MTU to %u: %s", dev->name, nd->iface, mtu,
			   strerror(-ret));
	return ret;
}

int eth_netdev_mac_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	const struct eth_netdev *nd = eth_netdev(dev);
	struct ifreq ifr = {0};
	int ret;

	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac->addr_bytes, PX_ETHER_ADDR_LEN);
	ret = netdev_ioctl(nd, SIOCSIFHWADDR, &ifr);
	if (ret < 0)
		ETHDEV_LOG(ERR, "%s: cannot set %s's MAC address: %s", dev->name, nd->iface,
			   strerror(-ret));
	return ret;
}

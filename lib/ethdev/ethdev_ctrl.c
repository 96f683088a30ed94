/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control-path wrappers: statistics and extended statistics, link, promiscuous and
 * all-multicast, MAC address, MTU, RX interrupts, dump.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ethdev_driver.h"
#include "ethdev_telemetry.h"
#include "px_cycles.h"

#define CALL_OP(dev, op, ...) ((dev)->ops->op ? (dev)->ops->op((dev), ##__VA_ARGS__) : -ENOTSUP)

int px_eth_stats_get(uint16_t port, struct px_eth_stats *stats)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (stats == NULL)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	return CALL_OP(dev, stats_get, stats);
}

int px_eth_stats_reset(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return CALL_OP(dev, stats_reset);
}

/* The basic counters, offered as the first xstats of every port (as DPDK does). */
static const struct {
	const char *name;
	size_t off;
} basic_xstats[] = {
	{"rx_good_packets", offsetof(struct px_eth_stats, ipackets)},
	{"tx_good_packets", offsetof(struct px_eth_stats, opackets)},
	{"rx_good_bytes", offsetof(struct px_eth_stats, ibytes)},
	{"tx_good_bytes", offsetof(struct px_eth_stats, obytes)},
	{"rx_missed_errors", offsetof(struct px_eth_stats, imissed)},
	{"rx_errors", offsetof(struct px_eth_stats, ierrors)},
	{"tx_errors", offsetof(struct px_eth_stats, oerrors)},
	{"rx_mbuf_allocation_errors", offsetof(struct px_eth_stats, rx_nombuf)},
};
#define N_BASIC ((unsigned int)PX_DIM(basic_xstats))

static int driver_xstats_count(struct px_eth_dev *dev)
{
	if (dev->ops->xstats_get_names == NULL)
		return 0;
	return dev->ops->xstats_get_names(dev, NULL, 0);
}

/* xstats in order: basic (N_BASIC), per-queue (nq, ethdev_queue_stats.c), the driver's */
int px_eth_xstats_get_names(uint16_t port, struct px_eth_xstat_name *names, unsigned int size)
{
	struct px_eth_dev *dev;
	unsigned int nq;
	int nd;

	GET_DEV_OR_RET(dev, port);
	nd = driver_xstats_count(dev);
	if (nd < 0)
		return nd;
	nq = eth_queue_xstats_count(dev);
	if (names == NULL || size < N_BASIC + nq + (unsigned int)nd)
		return (int)(N_BASIC + nq) + nd;
	for (unsigned int i = 0; i < N_BASIC; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", basic_xstats[i].name);
	eth_queue_xstats_names(dev, names + N_BASIC);
	if (nd > 0)
		dev->ops->xstats_get_names(dev, names + N_BASIC + nq, (unsigned int)nd);
	return (int)(N_BASIC + nq) + nd;
}

int px_eth_xstats_get(uint16_t port, struct px_eth_xstat *xstats, unsigned int n)
{
	struct px_eth_stats st;
	struct px_eth_dev *dev;
	unsigned int nq, total;
	int nd, ret;

	GET_DEV_OR_RET(dev, port);
	nd = driver_xstats_count(dev);
	if (nd < 0)
		return nd;
	nq = eth_queue_xstats_count(dev);
	total = N_BASIC + nq + (unsigned int)nd;
	if (xstats == NULL || n < total)
		return (int)total;
	ret = px_eth_stats_get(port, &st);
	if (ret < 0 && ret != -ENOTSUP)
		return ret;
	for (unsigned int i = 0; i < N_BASIC; i++)
		xstats[i].value = *(const uint64_t *)((const char *)&st + basic_xstats[i].off);
	eth_queue_xstats_values(dev, &st, xstats + N_BASIC);
	if (nd > 0) {
		ret = dev->ops->xstats_get(dev, xstats + N_BASIC + nq, (unsigned int)nd);
		if (ret < 0)
			return ret;
	}
	for (unsigned int i = 0; i < total; i++)
		xstats[i].id = i;
	return (int)total;
}

int px_eth_xstats_get_by_name(uint16_t port, const char *name, uint64_t *value)
{
	struct px_eth_xstat_name names[256];
	struct px_eth_xstat vals[256];
	int n;

	if (name == NULL || value == NULL)
		return -EINVAL;
	n = px_eth_xstats_get_names(port, names, PX_DIM(names));
	if (n < 0)
		return n;
	if (n > (int)PX_DIM(names) || px_eth_xstats_get(port, vals, PX_DIM(vals)) != n)
		return -ENOSPC;
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i].name, name) == 0) {
			*value = vals[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

void eth_dev_xstats_log(uint16_t port)
{
	struct px_eth_xstat_name *names = NULL;
	struct px_eth_xstat *vals = NULL;
	int n = px_eth_xstats_get_names(port, NULL, 0);

	if (n > 0) {
		names = calloc((size_t)n, sizeof(*names));
		vals = calloc((size_t)n, sizeof(*vals));
	}
	if (names != NULL && vals != NULL &&
	    px_eth_xstats_get_names(port, names, (unsigned)n) == n &&
	    px_eth_xstats_get(port, vals, (unsigned)n) == n) {
		for (int i = 0; i < n; i++)
			if (vals[i].value != 0)
				ETHDEV_LOG(DEBUG, "port %u: %s %" PRIu64, port, names[i].name,
					   vals[i].value);
	}
	free(names);
	free(vals);
}

int px_eth_xstats_reset(uint16_t port)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = CALL_OP(dev, stats_reset);
	if (ret < 0 && ret != -ENOTSUP)
		return ret;
	if (dev->ops->xstats_reset)
		return dev->ops->xstats_reset(dev);
	return 0;
}

int px_eth_link_get_nowait(uint16_t port, struct px_eth_link *link)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (link == NULL)
		return -EINVAL;
	ret = CALL_OP(dev, link_update, 0);
	if (ret < 0 && ret != -ENOTSUP)
		return ret;
	*link = dev->link;
	return 0;
}

int px_eth_link_wait(uint16_t port, unsigned int timeout_ms, struct px_eth_link *link)
{
	uint64_t end = px_get_tsc_cycles() + px_get_tsc_hz() / 1000 * timeout_ms;
	struct px_eth_link l;
	int ret;

	for (;;) {
		ret = px_eth_link_get_nowait(port, &l);
		if (ret < 0)
			return ret;
		if (link)
			*link = l;
		if (l.link_status)
			return 0;
		if (px_get_tsc_cycles() >= end)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

static int set_flag(uint16_t port, bool on, bool is_promisc)
{
	struct px_eth_dev *dev;
	bool *flag;
	int ret;

	GET_DEV_OR_RET(dev, port);
	flag = is_promisc ? &dev->promiscuous : &dev->all_multicast;
	if (is_promisc)
		ret = on ? CALL_OP(dev, promiscuous_enable) : CALL_OP(dev, promiscuous_disable);
	else
		ret = on ? CALL_OP(dev, allmulticast_enable) : CALL_OP(dev, allmulticast_disable);
	if (ret == 0) {
		ethdev_telemetry_lock(); /* telemetry's /ethdev/info reads it */
		*flag = on;
		ethdev_telemetry_unlock();
	}
	return ret;
}

int px_eth_promiscuous_enable(uint16_t port)
{
	return set_flag(port, true, true);
}

int px_eth_promiscuous_disable(uint16_t port)
{
	return set_flag(port, false, true);
}

int px_eth_promiscuous_get(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return dev->promiscuous;
}

int px_eth_allmulticast_enable(uint16_t port)
{
	return set_flag(port, true, false);
}

int px_eth_allmulticast_disable(uint16_t port)
{
	return set_flag(port, false, false);
}

int px_eth_allmulticast_get(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return dev->all_multicast;
}

int px_eth_macaddr_get(uint16_t port, struct px_ether_addr *mac)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (mac == NULL)
		return -EINVAL;
	*mac = dev->mac;
	return 0;
}

int px_eth_dev_default_mac_addr_set(uint16_t port, const struct px_ether_addr *mac)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (mac == NULL || !px_ether_addr_is_valid_assigned(mac)) {
		ETHDEV_LOG(ERR, "%s: a port's MAC address must be unicast and non-zero", dev->name);
		return -EINVAL;
	}
	ret = CALL_OP(dev, mac_addr_set, mac);
	if (ret == 0) {
		ethdev_telemetry_lock();
		dev->mac = *mac;
		ethdev_telemetry_unlock();
	}
	return ret;
}

int px_eth_dev_mac_addr_add(uint16_t port, const struct px_ether_addr *mac)
{
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	uint32_t free_idx = 0, max;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (mac == NULL || px_ether_addr_is_zero(mac)) {
		ETHDEV_LOG(ERR, "%s: cannot add a NULL or all-zero MAC address", dev->name);
		return -EINVAL;
	}
	if (dev->ops->mac_addr_add == NULL)
		return -ENOTSUP;
	ret = px_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	max = PX_MIN(info.max_mac_addrs, (uint32_t)PX_ETH_MAX_MAC_ADDRS);
	if (px_ether_addr_eq(mac, &dev->mac))
		return 0;
	for (uint32_t i = 1; i < max; i++) {
		if (px_ether_addr_eq(mac, &dev->mac_addrs[i]))
			return 0;
		if (free_idx == 0 && px_ether_addr_is_zero(&dev->mac_addrs[i]))
			free_idx = i;
	}
	if (free_idx == 0) {
		ETHDEV_LOG(ERR, "%s: all %u receive addresses are in use", dev->name, max);
		return -ENOSPC;
	}
	ret = dev->ops->mac_addr_add(dev, mac, free_idx);
	if (ret == 0)
		dev->mac_addrs[free_idx] = *mac;
	return ret;
}

int px_eth_dev_mac_addr_remove(uint16_t port, const struct px_ether_addr *mac)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (mac == NULL || px_ether_addr_eq(mac, &dev->mac)) {
		ETHDEV_LOG(ERR, "%s: cannot remove %s", dev->name,
			   mac == NULL ? "a NULL address" : "the port's own address");
		return -EINVAL;
	}
	if (dev->ops->mac_addr_remove == NULL)
		return -ENOTSUP;
	for (uint32_t i = 1; i < PX_ETH_MAX_MAC_ADDRS; i++) {
		if (px_ether_addr_eq(mac, &dev->mac_addrs[i])) {
			dev->ops->mac_addr_remove(dev, i);
			dev->mac_addrs[i] = (struct px_ether_addr){{0}};
			return 0;
		}
	}
	return -ENOENT;
}

int px_eth_dev_set_mtu(uint16_t port, uint16_t mtu)
{
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = px_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	if (mtu < info.min_mtu || mtu > info.max_mtu) {
		ETHDEV_LOG(ERR, "%s: MTU %u out of range %u..%u", dev->name, mtu, info.min_mtu,
			   info.max_mtu);
		return -EINVAL;
	}
	ret = CALL_OP(dev, mtu_set, mtu);
	if (ret == 0) {
		ethdev_telemetry_lock();
		dev->mtu = mtu;
		ethdev_telemetry_unlock();
	}
	return ret;
}

int px_eth_dev_vlan_filter(uint16_t port, uint16_t vlan_id, int on)
{
	struct px_eth_dev *dev;
	uint64_t bit, old;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (vlan_id > 4095) {
		ETHDEV_LOG(ERR, "%s: VLAN %u: ids are 0..4095", dev->name, vlan_id);
		return -EINVAL;
	}
	if (!(dev->conf.rxmode.offloads & PX_ETH_RX_OFFLOAD_VLAN_FILTER)) {
		ETHDEV_LOG(ERR,
			   "%s: VLAN filter: configure the port with PX_ETH_RX_OFFLOAD_VLAN_FILTER",
			   dev->name);
		return -ENOSYS;
	}
	if (dev->ops->vlan_filter_set == NULL)
		return -ENOTSUP;
	bit = 1ull << (vlan_id % 64);
	old = dev->vlan_ids[vlan_id / 64];
	dev->vlan_ids[vlan_id / 64] = on ? old | bit : old & ~bit;
	ret = dev->ops->vlan_filter_set(dev, vlan_id, on);
	if (ret < 0)
		dev->vlan_ids[vlan_id / 64] = old;
	return ret;
}

int px_eth_dev_get_mtu(uint16_t port, uint16_t *mtu)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (mtu == NULL)
		return -EINVAL;
	*mtu = dev->mtu;
	return 0;
}

static int rx_intr_check(struct px_eth_dev *dev, uint16_t q)
{
	if (q >= dev->nb_rx_queues)
		return -EINVAL;
	if (!dev->conf.intr_conf.rxq) {
		ETHDEV_LOG(ERR,
			   "%s: RX interrupts need intr_conf.rxq = 1 in px_eth_dev_configure()",
			   dev->name);
		return -ENOTSUP;
	}
	return 0;
}

int px_eth_dev_rx_intr_enable(uint16_t port, uint16_t q)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = rx_intr_check(dev, q);
	return ret < 0 ? ret : CALL_OP(dev, rx_queue_intr_enable, q);
}

int px_eth_dev_rx_intr_disable(uint16_t port, uint16_t q)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = rx_intr_check(dev, q);
	return ret < 0 ? ret : CALL_OP(dev, rx_queue_intr_disable, q);
}

int px_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port, uint16_t q)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = rx_intr_check(dev, q);
	return ret < 0 ? ret : CALL_OP(dev, rx_queue_intr_fd, q);
}

/* Each registered RX interrupt: its eventfd (which the wait must read to re-arm it) and the
 * caller's data. epoll returns a pointer to the entry. */
struct intr_entry {
	int fd;
	uint64_t data;
};
static struct intr_entry intr_entries[PX_MAX_ETHPORTS * 4];
static unsigned int intr_used;

int px_eth_dev_rx_intr_epoll_add(int epfd, uint16_t port, uint16_t q, uint64_t data)
{
	struct epoll_event ev = {.events = EPOLLIN};
	struct intr_entry *e = NULL;
	int fd = px_eth_dev_rx_intr_ctl_q_get_fd(port, q);

	if (fd < 0)
		return fd;
	for (unsigned int i = 0; i < intr_used; i++)
		if (intr_entries[i].fd == fd)
			e = &intr_entries[i];
	if (e == NULL) {
		if (intr_used == PX_DIM(intr_entries))
			return -ENOSPC;
		e = &intr_entries[intr_used++];
	}
	*e = (struct intr_entry){.fd = fd, .data = data};
	ev.data.ptr = e;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int px_eth_dev_rx_intr_wait(int epfd, uint64_t *data, int max, int timeout_ms)
{
	struct epoll_event ev[32];
	int n;

	if (data == NULL || max <= 0)
		return -EINVAL;
	n = epoll_wait(epfd, ev, PX_MIN(max, (int)PX_DIM(ev)), timeout_ms);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		const struct intr_entry *e = ev[i].data.ptr;
		uint64_t count;

		/* reading the eventfd resets it, so the next interrupt wakes us again */
		if (read(e->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
			return -errno;
		data[i] = e->data;
	}
	return n;
}

void px_eth_dev_dump(FILE *f, uint16_t port)
{
	struct px_eth_dev *dev = eth_dev_get(port);
	struct px_eth_stats st;
	const uint8_t *m;

	if (dev == NULL) {
		fprintf(f, "port %u: none\n", port);
		return;
	}
	m = dev->mac.addr_bytes;
	fprintf(f,
		"port %u %s: %s, %u rxq, %u txq, mtu %u, mac %02x:%02x:%02x:%02x:%02x:%02x%s%s\n",
		port, dev->name, dev->started ? "started" : "stopped", dev->nb_rx_queues,
		dev->nb_tx_queues, dev->mtu, m[0], m[1], m[2], m[3], m[4], m[5],
		dev->promiscuous ? ", promiscuous" : "",
		dev->all_multicast ? ", all-multicast" : "");
	if (px_eth_stats_get(port, &st) == 0)
		fprintf(f,
			"  rx %" PRIu64 " pkts %" PRIu64 " bytes, tx %" PRIu64 " pkts %" PRIu64
			" bytes, missed %" PRIu64 ", errors rx %" PRIu64 " tx %" PRIu64 "\n",
			st.ipackets, st.ibytes, st.opackets, st.obytes, st.imissed, st.ierrors,
			st.oerrors);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: allocation, configuration, queues, start/stop, and the control-path wrappers around
 * each driver's const ops table. Every argument is checked here, once, so drivers can trust
 * theirs. The fast path is px_eth_fp_ops[], published at start and cleared at stop.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "ethdev_driver.h"
#include "ethdev_telemetry.h"

PX_LOG_REGISTER(ethdev_logtype, "ethdev", DEFAULT)

struct px_eth_fp_ops px_eth_fp_ops[PX_MAX_ETHPORTS];
static struct px_eth_dev eth_devs[PX_MAX_ETHPORTS];
static bool eth_visible[PX_MAX_ETHPORTS];
static pthread_mutex_t eth_lock = PTHREAD_MUTEX_INITIALIZER;

struct px_eth_dev *eth_dev_get(uint16_t port)
{
	if (port >= PX_MAX_ETHPORTS || eth_devs[port].state != PX_ETH_DEV_ATTACHED)
		return NULL;
	return &eth_devs[port];
}

struct px_eth_dev *eth_dev_get_by_name(const char *name)
{
	for (uint16_t p = 0; p < PX_MAX_ETHPORTS; p++)
		if (eth_devs[p].state == PX_ETH_DEV_ATTACHED && strcmp(eth_devs[p].name, name) == 0)
			return &eth_devs[p];
	return NULL;
}

int eth_dev_close_by_name(const char *name)
{
	struct px_eth_dev *dev = eth_dev_get_by_name(name);

	return dev ? px_eth_dev_close(dev->port_id) : 0;
}

int eth_dev_start_link_fixed(struct px_eth_dev *dev)
{
	dev->link = (struct px_eth_link){
		.link_speed = PX_ETH_SPEED_NUM_10G, .link_duplex = 1, .link_status = 1};
	return 0;
}

int eth_dev_stop_link_down(struct px_eth_dev *dev)
{
	dev->link.link_status = 0;
	return 0;
}

struct px_eth_dev *eth_dev_allocate(const char *name)
{
	struct px_eth_dev *dev = NULL;

	if (name == NULL || *name == '\0' || strlen(name) >= PX_ETH_NAME_MAX_LEN) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&eth_lock);
	if (eth_dev_get_by_name(name)) {
		ETHDEV_LOG(ERR, "a port named %s exists already", name);
		errno = EEXIST;
		goto out;
	}
	for (uint16_t p = 0; p < PX_MAX_ETHPORTS; p++) {
		if (eth_devs[p].state != PX_ETH_DEV_UNUSED)
			continue;
		dev = &eth_devs[p];
		memset(dev, 0, sizeof(*dev));
		dev->port_id = p;
		dev->state = PX_ETH_DEV_ATTACHED;
		dev->mtu = 1500;
		dev->socket_id = 0;
		strcpy(dev->name, name);
		goto out;
	}
	ETHDEV_LOG(ERR, "cannot add port %s: all %d ports are in use (PX_MAX_ETHPORTS)", name,
		   PX_MAX_ETHPORTS);
	errno = ENOSPC;
out:
	pthread_mutex_unlock(&eth_lock);
	return dev;
}

void eth_dev_probing_finish(struct px_eth_dev *dev)
{
	eth_visible[dev->port_id] = true;
}

void eth_dev_release_port(struct px_eth_dev *dev)
{
	ethdev_callbacks_release(dev->port_id);
	pthread_mutex_lock(&eth_lock);
	memset(&px_eth_fp_ops[dev->port_id], 0, sizeof(px_eth_fp_ops[0]));
	eth_visible[dev->port_id] = false;
	memset(dev, 0, sizeof(*dev));
	pthread_mutex_unlock(&eth_lock);
}

int px_eth_dev_is_valid_port(uint16_t port)
{
	return eth_dev_get(port) != NULL && eth_visible[port];
}

uint16_t px_eth_find_next(uint16_t port)
{
	while (port < PX_MAX_ETHPORTS && !px_eth_dev_is_valid_port(port))
		port++;
	return port;
}

uint16_t px_eth_dev_count_avail(void)
{
	uint16_t n = 0, p;

	PX_ETH_FOREACH_DEV (p)
		n++;
	return n;
}

int px_eth_dev_get_name_by_port(uint16_t port, char *name)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (name == NULL)
		return -EINVAL;
	strcpy(name, dev->name);
	return 0;
}

int px_eth_dev_get_port_by_name(const char *name, uint16_t *port)
{
	struct px_eth_dev *dev;

	if (name == NULL || port == NULL)
		return -EINVAL;
	dev = eth_dev_get_by_name(name);
	if (dev == NULL)
		return -ENODEV;
	*port = dev->port_id;
	return 0;
}

int px_eth_dev_socket_id(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return dev->socket_id;
}

int px_eth_dev_info_get(uint16_t port, struct px_eth_dev_info *info)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	/* defaults a driver may override */
	info->rx_desc_lim =
		(struct px_eth_desc_lim){.nb_max = UINT16_MAX, .nb_min = 1, .nb_align = 1};
	info->tx_desc_lim = info->rx_desc_lim;
	info->min_mtu = 68;
	info->max_mtu = UINT16_MAX;
	info->max_mac_addrs = 1;
	ret = dev->ops->dev_infos_get(dev, info);
	if (ret < 0)
		return ret;
	info->nb_rx_queues = dev->nb_rx_queues;
	info->nb_tx_queues = dev->nb_tx_queues;
	return 0;
}

static int check_conf(struct px_eth_dev *dev, const struct px_eth_dev_info *info, uint16_t nb_rxq,
		      uint16_t nb_txq, const struct px_eth_conf *conf)
{
	const char *n = dev->name;
	uint64_t bad;

	if (nb_rxq > info->max_rx_queues || nb_txq > info->max_tx_queues) {
		ETHDEV_LOG(ERR, "%s: %u RX / %u TX queues asked, the port has at most %u / %u", n,
			   nb_rxq, nb_txq, info->max_rx_queues, info->max_tx_queues);
		return -EINVAL;
	}
	if (nb_rxq == 0 && nb_txq == 0) {
		ETHDEV_LOG(ERR, "%s: a port needs at least one RX or TX queue", n);
		return -EINVAL;
	}
	bad = conf->rxmode.offloads & ~info->rx_offload_capa;
	if (bad) {
		ETHDEV_LOG(ERR, "%s: RX offloads 0x%llx are not supported (supported: 0x%llx)", n,
			   (unsigned long long)bad, (unsigned long long)info->rx_offload_capa);
		return -EINVAL;
	}
	bad = conf->txmode.offloads & ~info->tx_offload_capa;
	if (bad) {
		ETHDEV_LOG(ERR, "%s: TX offloads 0x%llx are not supported (supported: 0x%llx)", n,
			   (unsigned long long)bad, (unsigned long long)info->tx_offload_capa);
		return -EINVAL;
	}
	bad = conf->rx_adv_conf.rss_conf.rss_hf & ~info->flow_type_rss_offloads;
	if (conf->rxmode.mq_mode == PX_ETH_MQ_RX_RSS && bad) {
		ETHDEV_LOG(ERR, "%s: RSS hash types 0x%llx are not supported (supported: 0x%llx)",
			   n, (unsigned long long)bad,
			   (unsigned long long)info->flow_type_rss_offloads);
		return -EINVAL;
	}
	if (conf->intr_conf.lsc && !(dev->dev_flags & PX_ETH_DEV_F_INTR_LSC)) {
		ETHDEV_LOG(ERR, "%s: driver %s has no link-state-change interrupt (intr_conf.lsc)",
			   n, info->driver_name);
		return -ENOTSUP;
	}
	if (conf->rxmode.mtu &&
	    (conf->rxmode.mtu < info->min_mtu || conf->rxmode.mtu > info->max_mtu)) {
		ETHDEV_LOG(ERR, "%s: MTU %u out of range %u..%u", n, conf->rxmode.mtu,
			   info->min_mtu, info->max_mtu);
		return -EINVAL;
	}
	return 0;
}

static void release_queues(struct px_eth_dev *dev)
{
	for (uint16_t q = 0; q < PX_MAX_QUEUES_PER_PORT; q++) {
		if (dev->rx_queues[q] && dev->ops->rx_queue_release)
			dev->ops->rx_queue_release(dev, q);
		if (dev->tx_queues[q] && dev->ops->tx_queue_release)
			dev->ops->tx_queue_release(dev, q);
		dev->rx_queues[q] = dev->tx_queues[q] = NULL;
		dev->rxq_ready[q] = dev->txq_ready[q] = false;
	}
}

/* rxmode.mtu is the port's MTU from configure on, as px_eth_dev_set_mtu() would set it: the
 * driver applies it (a kernel interface's MTU, say); one without an mtu_set op reads dev->mtu. */
static int configure_mtu(struct px_eth_dev *dev, uint16_t mtu)
{
	int ret = 0;

	if (dev->ops->mtu_set) /* even when equal: a kernel interface may have another */
		ret = dev->ops->mtu_set(dev, mtu);
	if (ret < 0 && ret != -ENOTSUP) {
		ETHDEV_LOG(ERR, "%s: MTU %u from rxmode.mtu: %s", dev->name, mtu, strerror(-ret));
		return ret;
	}
	dev->mtu = mtu;
	return 0;
}

int px_eth_dev_configure(uint16_t port, uint16_t nb_rxq, uint16_t nb_txq,
			 const struct px_eth_conf *conf)
{
	static const struct px_eth_conf zero_conf;
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (dev->started) {
		ETHDEV_LOG(ERR, "%s: stop the port before configuring it", dev->name);
		return -EBUSY;
	}
	if (conf == NULL)
		conf = &zero_conf;
	ret = px_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	ret = check_conf(dev, &info, nb_rxq, nb_txq, conf);
	if (ret < 0)
		return ret;
	ethdev_telemetry_lock(); /* telemetry reads the configuration whole */
	release_queues(dev);
	dev->conf = *conf;
	dev->nb_rx_queues = nb_rxq;
	dev->nb_tx_queues = nb_txq;
	ret = conf->rxmode.mtu ? configure_mtu(dev, (uint16_t)conf->rxmode.mtu) : 0;
	if (ret == 0 && dev->ops->dev_configure)
		ret = dev->ops->dev_configure(dev);
	dev->configured = ret == 0;
	if (ret < 0)
		dev->nb_rx_queues = dev->nb_tx_queues = 0;
	ethdev_telemetry_unlock();
	return ret;
}

static int check_desc(const struct px_eth_dev *dev, const struct px_eth_desc_lim *lim,
		      uint16_t nb_desc, const char *dir)
{
	if (nb_desc < lim->nb_min || nb_desc > lim->nb_max || nb_desc % lim->nb_align) {
		ETHDEV_LOG(ERR, "%s: %u %s descriptors: expected %u..%u, a multiple of %u",
			   dev->name, nb_desc, dir, lim->nb_min, lim->nb_max, lim->nb_align);
		return -EINVAL;
	}
	return 0;
}

static int queue_setup_check(struct px_eth_dev *dev, uint16_t q, uint16_t nb_q, const char *dir)
{
	if (!dev->configured) {
		ETHDEV_LOG(ERR, "%s: configure the port before setting up queues", dev->name);
		return -EINVAL;
	}
	if (dev->started) {
		ETHDEV_LOG(ERR, "%s: stop the port before setting up queues", dev->name);
		return -EBUSY;
	}
	if (q >= nb_q) {
		ETHDEV_LOG(ERR, "%s: %s queue %u does not exist: %u configured", dev->name, dir, q,
			   nb_q);
		return -EINVAL;
	}
	return 0;
}

int px_eth_rx_queue_setup(uint16_t port, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	static const struct px_eth_rxconf zero;
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = queue_setup_check(dev, q, dev->nb_rx_queues, "RX");
	if (ret < 0)
		return ret;
	if (mp == NULL) {
		ETHDEV_LOG(ERR, "%s: RX queue %u needs a mempool", dev->name, q);
		return -EINVAL;
	}
	px_eth_dev_info_get(port, &info);
	if (check_desc(dev, &info.rx_desc_lim, nb_desc, "RX") < 0)
		return -EINVAL;
	conf = conf ? conf : &zero;
	if (conf->offloads & ~info.rx_offload_capa) {
		ETHDEV_LOG(ERR, "%s: RX queue offloads 0x%llx not supported", dev->name,
			   (unsigned long long)(conf->offloads & ~info.rx_offload_capa));
		return -EINVAL;
	}
	if (dev->rx_queues[q] && dev->ops->rx_queue_release)
		dev->ops->rx_queue_release(dev, q);
	dev->rx_queues[q] = NULL;
	ret = dev->ops->rx_queue_setup(dev, q, nb_desc, socket, conf, mp);
	dev->rxq_ready[q] = ret == 0;
	return ret;
}

int px_eth_tx_queue_setup(uint16_t port, uint16_t q, uint16_t nb_desc, int socket,
			  const struct px_eth_txconf *conf)
{
	static const struct px_eth_txconf zero;
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = queue_setup_check(dev, q, dev->nb_tx_queues, "TX");
	if (ret < 0)
		return ret;
	px_eth_dev_info_get(port, &info);
	if (check_desc(dev, &info.tx_desc_lim, nb_desc, "TX") < 0)
		return -EINVAL;
	conf = conf ? conf : &zero;
	if (conf->offloads & ~info.tx_offload_capa) {
		ETHDEV_LOG(ERR, "%s: TX queue offloads 0x%llx not supported", dev->name,
			   (unsigned long long)(conf->offloads & ~info.tx_offload_capa));
		return -EINVAL;
	}
	if (dev->tx_queues[q] && dev->ops->tx_queue_release)
		dev->ops->tx_queue_release(dev, q);
	dev->tx_queues[q] = NULL;
	ret = dev->ops->tx_queue_setup(dev, q, nb_desc, socket, conf);
	dev->txq_ready[q] = ret == 0;
	return ret;
}

int px_eth_dev_start(uint16_t port)
{
	struct px_eth_fp_ops *fp;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	fp = &px_eth_fp_ops[port];
	if (dev->removed) {
		ETHDEV_LOG(ERR, "%s: the device is being removed; close the port", dev->name);
		return -EIO;
	}
	if (dev->started)
		return 0;
	if (!dev->configured) {
		ETHDEV_LOG(ERR, "%s: configure the port and set up its queues before starting it",
			   dev->name);
		return -EINVAL;
	}
	for (uint16_t q = 0; q < dev->nb_rx_queues || q < dev->nb_tx_queues; q++) {
		if ((q < dev->nb_rx_queues && !dev->rxq_ready[q]) ||
		    (q < dev->nb_tx_queues && !dev->txq_ready[q])) {
			ETHDEV_LOG(ERR, "%s: queue %u is not set up; call px_eth_%cx_queue_setup()",
				   dev->name, q,
				   q < dev->nb_rx_queues && !dev->rxq_ready[q] ? 'r' : 't');
			return -EINVAL;
		}
	}
	ret = dev->ops->dev_start(dev);
	if (ret < 0)
		return ret;
	/* publish the fast path: queue pointers first, then the counts that let bursts in */
	ethdev_capture_fp_set(dev);
	fp->rxq = dev->rx_queues;
	fp->txq = dev->tx_queues;
	__atomic_store_n(&fp->nb_rxq, dev->nb_rx_queues, __ATOMIC_RELEASE);
	__atomic_store_n(&fp->nb_txq, dev->nb_tx_queues, __ATOMIC_RELEASE);
	/* under the lock: what the port was given before it started is seen by telemetry */
	ethdev_telemetry_lock();
	dev->started = true;
	ethdev_telemetry_unlock();
	return 0;
}

int px_eth_dev_stop(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (!dev->started)
		return 0;
	__atomic_store_n(&px_eth_fp_ops[port].nb_rxq, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&px_eth_fp_ops[port].nb_txq, 0, __ATOMIC_RELEASE);
	ethdev_telemetry_lock();
	dev->started = false;
	ethdev_telemetry_unlock();
	return dev->ops->dev_stop(dev);
}

int px_eth_dev_reset(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	if (dev->ops->dev_reset == NULL)
		return -ENOTSUP;
	if (dev->removed)
		return -EIO;
	px_eth_dev_stop(port);
	return dev->ops->dev_reset(dev);
}

void eth_dev_removed_by_name(const char *name)
{
	struct px_eth_dev *dev = eth_dev_get_by_name(name);

	if (dev)
		eth_dev_removed(dev);
}

int px_eth_dev_is_removed(uint16_t port)
{
	struct px_eth_dev *dev;

	GET_DEV_OR_RET(dev, port);
	return dev->removed;
}

void eth_dev_removed(struct px_eth_dev *dev)
{
	if (dev->removed)
		return;
	dev->removed = true;
	/* as at stop: bursts see no queues and return 0, without touching the driver */
	__atomic_store_n(&px_eth_fp_ops[dev->port_id].nb_rxq, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&px_eth_fp_ops[dev->port_id].nb_txq, 0, __ATOMIC_RELEASE);
	ETHDEV_LOG(WARNING,
		   "port %u (%s): the device is being removed; its bursts return 0 from now on. "
		   "Close the port (px_eth_dev_close) to give the device back",
		   dev->port_id, dev->name);
	eth_dev_callback_process(dev, PX_ETH_EVENT_INTR_RMV, NULL);
}

int px_eth_dev_close(uint16_t port)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (px_log_enabled(ethdev_logtype, PX_LOG_DEBUG))
		eth_dev_xstats_log(port);
	px_eth_dev_stop(port);
	/* Callbacks first, unlocked: a running one may call a setter, which takes the lock. */
	ethdev_callbacks_release(port);
	ethdev_telemetry_lock(); /* no telemetry command reads the port while it goes */
	release_queues(dev);
	ret = dev->ops->dev_close ? dev->ops->dev_close(dev) : 0;
	eth_dev_release_port(dev);
	ethdev_telemetry_unlock();
	return ret;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSS after configure: the redirection table (RETA) and the hash types and key, with DPDK's
 * names and semantics (rte_eth_dev_rss_reta_update/query, rte_eth_dev_rss_hash_update/
 * conf_get). Every argument is checked here, against the port's dev_info and queue count, so a
 * driver's op sees only a request it can apply as it is; a refused one changes nothing.
 */
#include <errno.h>

#include "ethdev_driver.h"

/* RETA requests: not NULL, the port's size, at least one entry asked for. */
static int reta_check(struct px_eth_dev *dev, const struct px_eth_rss_reta_entry64 *reta_conf,
		      uint16_t reta_size, const char *what)
{
	struct px_eth_dev_info info;
	uint64_t any = 0;
	int ret;

	if (reta_conf == NULL) {
		ETHDEV_LOG(ERR, "%s: RSS redirection table %s: reta_conf is NULL", dev->name, what);
		return -EINVAL;
	}
	ret = px_eth_dev_info_get(dev->port_id, &info);
	if (ret < 0)
		return ret;
	if (info.reta_size == 0 || dev->ops->reta_update == NULL || dev->ops->reta_query == NULL) {
		ETHDEV_LOG(ERR, "%s: driver %s has no RSS redirection table to %s", dev->name,
			   info.driver_name, what);
		return -ENOTSUP;
	}
	if (reta_size != info.reta_size) {
		ETHDEV_LOG(
			ERR,
			"%s: RSS redirection table %s: reta_size %u, but the port's table has %u "
			"entries (dev_info.reta_size: pass %u entries in %u elements)",
			dev->name, what, reta_size, info.reta_size, info.reta_size,
			(info.reta_size + PX_ETH_RETA_GROUP_SIZE - 1) / PX_ETH_RETA_GROUP_SIZE);
		return -EINVAL;
	}
	for (unsigned int g = 0;
	     g < (reta_size + PX_ETH_RETA_GROUP_SIZE - 1u) / PX_ETH_RETA_GROUP_SIZE; g++)
		any |= reta_conf[g].mask;
	if (any == 0) {
		ETHDEV_LOG(ERR,
			   "%s: RSS redirection table %s: no mask bit set (bit i of mask selects "
			   "entry i of its element)",
			   dev->name, what);
		return -EINVAL;
	}
	return 0;
}

/* The port was configured with RSS (a table or hash set otherwise would never be used). */
static int rss_mode_check(struct px_eth_dev *dev, const char *what)
{
	if (!dev->configured || dev->conf.rxmode.mq_mode != PX_ETH_MQ_RX_RSS) {
		ETHDEV_LOG(
			ERR,
			"%s: %s: configure the port with rxmode.mq_mode = PX_ETH_MQ_RX_RSS first",
			dev->name, what);
		return -ENOTSUP;
	}
	return 0;
}

int px_eth_dev_rss_reta_update(uint16_t port, const struct px_eth_rss_reta_entry64 *reta_conf,
			       uint16_t reta_size)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = reta_check(dev, reta_conf, reta_size, "update");
	if (ret == 0)
		ret = rss_mode_check(dev, "RSS redirection table update");
	if (ret < 0)
		return ret;
	for (unsigned int e = 0; e < reta_size; e++) {
		const struct px_eth_rss_reta_entry64 *g = &reta_conf[e / PX_ETH_RETA_GROUP_SIZE];
		unsigned int i = e % PX_ETH_RETA_GROUP_SIZE;

		if ((g->mask >> i & 1) && g->reta[i] >= dev->nb_rx_queues) {
			ETHDEV_LOG(ERR,
				   "%s: RSS redirection table entry %u: queue %u, but the port has "
				   "%u RX queues (0..%u)",
				   dev->name, e, g->reta[i], dev->nb_rx_queues,
				   dev->nb_rx_queues - 1);
			return -EINVAL;
		}
	}
	return dev->ops->reta_update(dev, reta_conf, reta_size);
}

int px_eth_dev_rss_reta_query(uint16_t port, struct px_eth_rss_reta_entry64 *reta_conf,
			      uint16_t reta_size)
{
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	ret = reta_check(dev, reta_conf, reta_size, "query");
	return ret < 0 ? ret : dev->ops->reta_query(dev, reta_conf, reta_size);
}

int px_eth_dev_rss_hash_update(uint16_t port, const struct px_eth_rss_conf *rss_conf)
{
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	uint64_t bad;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (rss_conf == NULL) {
		ETHDEV_LOG(ERR, "%s: RSS hash update: rss_conf is NULL", dev->name);
		return -EINVAL;
	}
	ret = px_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	bad = rss_conf->rss_hf & ~info.flow_type_rss_offloads;
	if (bad) {
		ETHDEV_LOG(ERR,
			   "%s: RSS hash types 0x%llx are not supported (dev_info."
			   "flow_type_rss_offloads: 0x%llx)",
			   dev->name, (unsigned long long)bad,
			   (unsigned long long)info.flow_type_rss_offloads);
		return -EINVAL;
	}
	if (rss_conf->rss_key != NULL && rss_conf->rss_key_len != info.hash_key_size) {
		ETHDEV_LOG(
			ERR,
			"%s: RSS key of %u bytes; the port's is %u bytes (dev_info.hash_key_size; "
			"rss_key NULL keeps the key)",
			dev->name, rss_conf->rss_key_len, info.hash_key_size);
		return -EINVAL;
	}
	ret = rss_mode_check(dev, "RSS hash update");
	if (ret < 0)
		return ret;
	if (dev->ops->rss_hash_update == NULL)
		return -ENOTSUP;
	return dev->ops->rss_hash_update(dev, rss_conf);
}

int px_eth_dev_rss_hash_conf_get(uint16_t port, struct px_eth_rss_conf *rss_conf)
{
	struct px_eth_dev_info info;
	struct px_eth_dev *dev;
	int ret;

	GET_DEV_OR_RET(dev, port);
	if (rss_conf == NULL) {
		ETHDEV_LOG(ERR, "%s: RSS hash configuration: rss_conf is NULL", dev->name);
		return -EINVAL;
	}
	ret = px_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	if (rss_conf->rss_key != NULL && rss_conf->rss_key_len < info.hash_key_size) {
		ETHDEV_LOG(ERR,
			   "%s: RSS key buffer of %u bytes; the port's key has %u "
			   "(dev_info.hash_key_size), or pass rss_key NULL",
			   dev->name, rss_conf->rss_key_len, info.hash_key_size);
		return -EINVAL;
	}
	if (dev->ops->rss_hash_conf_get == NULL)
		return -ENOTSUP;
	return dev->ops->rss_hash_conf_get(dev, rss_conf);
}

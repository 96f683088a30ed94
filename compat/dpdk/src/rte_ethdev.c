/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK compatibility: the ethdev control functions whose DPDK structures differ from Pollux's
 * (rte_ethdev.h). Each converts field by field; a field Pollux cannot honour fails the call
 * with one log line naming it, never silently.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#define COMPAT_LOG(lvl, ...) rte_log(RTE_LOG_##lvl, RTE_LOGTYPE_PMD, "ethdev compat: " __VA_ARGS__)

/* A DPDK field with a value Pollux does not do: log it, return -ENOTSUP. */
static int unsupported(uint16_t port, const char *field)
{
	COMPAT_LOG(ERR, "port %u: %s is not supported by Pollux\n", port, field);
	return -ENOTSUP;
}

static void desc_lim_from_px(struct rte_eth_desc_lim *d, const struct px_eth_desc_lim *s)
{
	d->nb_max = s->nb_max;
	d->nb_min = s->nb_min;
	d->nb_align = s->nb_align;
	d->nb_seg_max = UINT16_MAX;
	d->nb_mtu_seg_max = UINT16_MAX;
}

int rte_eth_dev_info_get(uint16_t port_id, struct rte_eth_dev_info *dev_info)
{
	struct px_eth_dev_info pi;
	int ret;

	if (dev_info == NULL)
		return -EINVAL;
	memset(dev_info, 0, sizeof(*dev_info));
	ret = px_eth_dev_info_get(port_id, &pi);
	if (ret < 0)
		return ret;
	dev_info->driver_name = pi.driver_name;
	dev_info->if_index = pi.if_index;
	dev_info->min_mtu = pi.min_mtu;
	dev_info->max_mtu = pi.max_mtu;
	dev_info->min_rx_bufsize = pi.min_rx_bufsize;
	dev_info->max_rx_pktlen = pi.max_rx_pktlen;
	dev_info->max_rx_queues = pi.max_rx_queues;
	dev_info->max_tx_queues = pi.max_tx_queues;
	dev_info->max_mac_addrs = pi.max_mac_addrs;
	dev_info->rx_offload_capa = pi.rx_offload_capa;
	dev_info->tx_offload_capa = pi.tx_offload_capa;
	/* Pollux's per-queue offloads are any of the port's (px_eth_rxconf.offloads). */
	dev_info->rx_queue_offload_capa = pi.rx_offload_capa;
	dev_info->tx_queue_offload_capa = pi.tx_offload_capa;
	dev_info->hash_key_size = pi.hash_key_size;
	dev_info->reta_size = pi.reta_size;
	dev_info->flow_type_rss_offloads = pi.flow_type_rss_offloads;
	desc_lim_from_px(&dev_info->rx_desc_lim, &pi.rx_desc_lim);
	desc_lim_from_px(&dev_info->tx_desc_lim, &pi.tx_desc_lim);
	dev_info->speed_capa = pi.speed_capa;
	dev_info->nb_rx_queues = pi.nb_rx_queues;
	dev_info->nb_tx_queues = pi.nb_tx_queues;
	dev_info->switch_info.domain_id = UINT16_MAX; /* DPDK's "no switch domain" */
	return 0;
}

static int conf_from_dpdk(uint16_t port, const struct rte_eth_conf *c, struct px_eth_conf *pc)
{
	memset(pc, 0, sizeof(*pc));
	if (c->link_speeds != RTE_ETH_LINK_SPEED_AUTONEG)
		return unsupported(port, "link_speeds (only RTE_ETH_LINK_SPEED_AUTONEG)");
	if (c->lpbk_mode != 0)
		return unsupported(port, "lpbk_mode");
	if (c->dcb_capability_en != 0)
		return unsupported(port, "dcb_capability_en");
	if (c->rxmode.mq_mode != RTE_ETH_MQ_RX_NONE && c->rxmode.mq_mode != RTE_ETH_MQ_RX_RSS)
		return unsupported(port, "rxmode.mq_mode (only NONE and RSS)");
	if (c->txmode.mq_mode != RTE_ETH_MQ_TX_NONE)
		return unsupported(port, "txmode.mq_mode (only NONE)");
	if (c->txmode.pvid != 0 || c->txmode.hw_vlan_insert_pvid ||
	    c->txmode.hw_vlan_reject_tagged || c->txmode.hw_vlan_reject_untagged)
		return unsupported(port, "txmode port VLAN (pvid, hw_vlan_*)");
	if (c->intr_conf.rmv)
		return unsupported(port, "intr_conf.rmv");
	pc->rxmode.mq_mode =
		c->rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ? PX_ETH_MQ_RX_RSS : PX_ETH_MQ_RX_NONE;
	pc->rxmode.mtu = c->rxmode.mtu;
	pc->rxmode.offloads = c->rxmode.offloads;
	pc->txmode.offloads = c->txmode.offloads;
	pc->rx_adv_conf.rss_conf.rss_key = c->rx_adv_conf.rss_conf.rss_key;
	pc->rx_adv_conf.rss_conf.rss_key_len = c->rx_adv_conf.rss_conf.rss_key_len;
	pc->rx_adv_conf.rss_conf.rss_hf = c->rx_adv_conf.rss_conf.rss_hf;
	pc->intr_conf.lsc = c->intr_conf.lsc;
	pc->intr_conf.rxq = c->intr_conf.rxq;
	return 0;
}

int rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queue, uint16_t nb_tx_queue,
			  const struct rte_eth_conf *eth_conf)
{
	struct px_eth_conf pc;
	int ret;

	if (!px_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (eth_conf == NULL)
		return -EINVAL;
	/* DPDK: 0 queues means the driver's preferred number (1 when it has none). */
	if (nb_rx_queue == 0 && nb_tx_queue == 0) {
		nb_rx_queue = RTE_ETH_DEV_FALLBACK_RX_NBQUEUES;
		nb_tx_queue = RTE_ETH_DEV_FALLBACK_TX_NBQUEUES;
	}
	ret = conf_from_dpdk(port_id, eth_conf, &pc);
	if (ret < 0)
		return ret;
	return px_eth_dev_configure(port_id, nb_rx_queue, nb_tx_queue, &pc);
}

/* DPDK: 0 descriptors means the driver's preferred ring size. */
static uint16_t desc_default(uint16_t port, uint16_t nb, int rx)
{
	uint16_t rxd = RTE_ETH_DEV_FALLBACK_RX_RINGSIZE, txd = RTE_ETH_DEV_FALLBACK_TX_RINGSIZE;

	if (nb != 0)
		return nb;
	(void)px_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
	return rx ? rxd : txd;
}

int rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id, uint16_t nb_rx_desc,
			   unsigned int socket_id, const struct rte_eth_rxconf *rx_conf,
			   struct rte_mempool *mb_pool)
{
	struct px_eth_rxconf pc;

	if (!px_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	nb_rx_desc = desc_default(port_id, nb_rx_desc, 1);
	if (rx_conf == NULL)
		return px_eth_rx_queue_setup(port_id, rx_queue_id, nb_rx_desc, (int)socket_id, NULL,
					     mb_pool);
	if (rx_conf->rx_deferred_start)
		return unsupported(port_id, "rx_deferred_start");
	if (rx_conf->rx_nseg != 0 || rx_conf->rx_seg != NULL)
		return unsupported(port_id, "rx_nseg/rx_seg (buffer split)");
	if (rx_conf->share_group != 0)
		return unsupported(port_id, "share_group (shared RX queues)");
	memset(&pc, 0, sizeof(pc));
	pc.rx_free_thresh = rx_conf->rx_free_thresh;
	pc.rx_drop_en = rx_conf->rx_drop_en;
	pc.offloads = rx_conf->offloads;
	return px_eth_rx_queue_setup(port_id, rx_queue_id, nb_rx_desc, (int)socket_id, &pc,
				     mb_pool);
}

int rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id, uint16_t nb_tx_desc,
			   unsigned int socket_id, const struct rte_eth_txconf *tx_conf)
{
	struct px_eth_txconf pc;

	if (!px_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	nb_tx_desc = desc_default(port_id, nb_tx_desc, 0);
	if (tx_conf == NULL)
		return px_eth_tx_queue_setup(port_id, tx_queue_id, nb_tx_desc, (int)socket_id,
					     NULL);
	if (tx_conf->tx_deferred_start)
		return unsupported(port_id, "tx_deferred_start");
	memset(&pc, 0, sizeof(pc));
	pc.tx_rs_thresh = tx_conf->tx_rs_thresh;
	pc.tx_free_thresh = tx_conf->tx_free_thresh;
	pc.offloads = tx_conf->offloads;
	return px_eth_tx_queue_setup(port_id, tx_queue_id, nb_tx_desc, (int)socket_id, &pc);
}

static int port_unsupported(uint16_t port_id, const char *what)
{
	if (!px_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	return unsupported(port_id, what);
}

int rte_eth_dev_rx_queue_start(uint16_t port_id, uint16_t rx_queue_id)
{
	(void)rx_queue_id;
	return port_unsupported(port_id, "rte_eth_dev_rx_queue_start (queues start with the port)");
}

int rte_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t rx_queue_id)
{
	(void)rx_queue_id;
	return port_unsupported(port_id, "rte_eth_dev_rx_queue_stop (queues stop with the port)");
}

int rte_eth_dev_tx_queue_start(uint16_t port_id, uint16_t tx_queue_id)
{
	(void)tx_queue_id;
	return port_unsupported(port_id, "rte_eth_dev_tx_queue_start (queues start with the port)");
}

int rte_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t tx_queue_id)
{
	(void)tx_queue_id;
	return port_unsupported(port_id, "rte_eth_dev_tx_queue_stop (queues stop with the port)");
}

int rte_eth_stats_get(uint16_t port_id, struct rte_eth_stats *stats)
{
	struct px_eth_stats ps;
	int ret;

	if (stats == NULL)
		return -EINVAL;
	ret = px_eth_stats_get(port_id, &ps);
	if (ret < 0)
		return ret;
	memset(stats, 0, sizeof(*stats));
	stats->ipackets = ps.ipackets;
	stats->opackets = ps.opackets;
	stats->ibytes = ps.ibytes;
	stats->obytes = ps.obytes;
	stats->imissed = ps.imissed;
	stats->ierrors = ps.ierrors;
	stats->oerrors = ps.oerrors;
	stats->rx_nombuf = ps.rx_nombuf;
	for (unsigned int q = 0; q < RTE_ETHDEV_QUEUE_STAT_CNTRS && q < PX_ETH_QUEUE_STAT_CNTRS;
	     q++) {
		stats->q_ipackets[q] = ps.q_ipackets[q];
		stats->q_opackets[q] = ps.q_opackets[q];
		stats->q_ibytes[q] = ps.q_ibytes[q];
		stats->q_obytes[q] = ps.q_obytes[q];
	}
	return 0;
}

int rte_eth_xstats_get_id_by_name(uint16_t port_id, const char *xstat_name, uint64_t *id)
{
	struct rte_eth_xstat_name *names;
	int n, ret = -EINVAL;

	if (xstat_name == NULL || id == NULL)
		return -EINVAL;
	n = px_eth_xstats_get_names(port_id, NULL, 0);
	if (n < 0)
		return n;
	names = calloc((size_t)n + 1, sizeof(*names));
	if (names == NULL)
		return -ENOMEM;
	n = px_eth_xstats_get_names(port_id, names, (unsigned int)n);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i].name, xstat_name) == 0) {
			*id = (uint64_t)i;
			ret = 0;
			break;
		}
	}
	free(names);
	return ret;
}

static void link_from_px(struct rte_eth_link *l, const struct px_eth_link *pl)
{
	memset(l, 0, sizeof(*l));
	l->link_speed = pl->link_speed;
	l->link_duplex = pl->link_duplex;
	l->link_autoneg = pl->link_autoneg;
	l->link_status = pl->link_status;
}

int rte_eth_link_get_nowait(uint16_t port_id, struct rte_eth_link *link)
{
	struct px_eth_link pl;
	int ret;

	if (link == NULL)
		return -EINVAL;
	ret = px_eth_link_get_nowait(port_id, &pl);
	if (ret == 0)
		link_from_px(link, &pl);
	return ret;
}

/* DPDK's rte_eth_link_get waits up to 9 s for the link to come up; a link still down is not an
 * error there (the state is returned). */
int rte_eth_link_get(uint16_t port_id, struct rte_eth_link *link)
{
	struct px_eth_link pl;
	int ret;

	if (link == NULL)
		return -EINVAL;
	ret = px_eth_link_wait(port_id, 9000, &pl);
	if (ret == -ETIMEDOUT)
		ret = px_eth_link_get_nowait(port_id, &pl);
	if (ret == 0)
		link_from_px(link, &pl);
	return ret;
}

const char *rte_eth_link_speed_to_str(uint32_t link_speed)
{
	switch (link_speed) {
	case RTE_ETH_SPEED_NUM_NONE:
		return "None";
	case RTE_ETH_SPEED_NUM_10M:
		return "10 Mbps";
	case RTE_ETH_SPEED_NUM_100M:
		return "100 Mbps";
	case RTE_ETH_SPEED_NUM_1G:
		return "1 Gbps";
	case RTE_ETH_SPEED_NUM_2_5G:
		return "2.5 Gbps";
	case RTE_ETH_SPEED_NUM_5G:
		return "5 Gbps";
	case RTE_ETH_SPEED_NUM_10G:
		return "10 Gbps";
	case RTE_ETH_SPEED_NUM_20G:
		return "20 Gbps";
	case RTE_ETH_SPEED_NUM_25G:
		return "25 Gbps";
	case RTE_ETH_SPEED_NUM_40G:
		return "40 Gbps";
	case RTE_ETH_SPEED_NUM_50G:
		return "50 Gbps";
	case RTE_ETH_SPEED_NUM_56G:
		return "56 Gbps";
	case RTE_ETH_SPEED_NUM_100G:
		return "100 Gbps";
	case RTE_ETH_SPEED_NUM_200G:
		return "200 Gbps";
	default:
		return "Unknown";
	}
}

int rte_eth_link_to_str(char *str, size_t len, const struct rte_eth_link *eth_link)
{
	if (str == NULL || len == 0 || eth_link == NULL)
		return -EINVAL;
	if (eth_link->link_status == RTE_ETH_LINK_DOWN)
		return snprintf(str, len, "Link down");
	return snprintf(str, len, "Link up at %s %s %s",
			rte_eth_link_speed_to_str(eth_link->link_speed),
			eth_link->link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? "FDX" : "HDX",
			eth_link->link_autoneg == RTE_ETH_LINK_AUTONEG ? "Autoneg" : "Fixed");
}

int rte_eth_dev_mac_addr_add(uint16_t port_id, struct rte_ether_addr *mac_addr, uint32_t pool)
{
	if (pool != 0)
		return port_unsupported(port_id, "rte_eth_dev_mac_addr_add pool (VMDq)");
	return px_eth_dev_mac_addr_add(port_id, mac_addr);
}

int rte_eth_dev_set_ptypes(uint16_t port_id, uint32_t ptype_mask, uint32_t *set_ptypes,
			   unsigned int num)
{
	if (!px_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (num > 0 && set_ptypes == NULL)
		return -EINVAL;
	if (ptype_mask != RTE_PTYPE_UNKNOWN)
		return unsupported(port_id, "packet type parsing (rte_eth_dev_set_ptypes)");
	if (num > 0)
		set_ptypes[0] = RTE_PTYPE_UNKNOWN;
	return 0;
}

int rte_eth_dev_get_supported_ptypes(uint16_t port_id, uint32_t ptype_mask, uint32_t *ptypes,
				     int num)
{
	(void)ptype_mask;
	(void)ptypes;
	(void)num;
	return px_eth_dev_is_valid_port(port_id) ? 0 : -ENODEV;
}

/* ---- port events: DPDK's callback type and event numbers over Pollux's ----------------- */

struct compat_cb {
	uint16_t port;
	enum rte_eth_event_type event;
	rte_eth_dev_cb_fn fn;
	void *arg;
	struct compat_cb *next;
};

static struct compat_cb *compat_cbs; /* registered from the control thread */

static int event_to_px(enum rte_eth_event_type e, enum px_eth_event_type *pe)
{
	switch (e) {
	case RTE_ETH_EVENT_INTR_LSC:
		*pe = PX_ETH_EVENT_INTR_LSC;
		return 0;
	case RTE_ETH_EVENT_INTR_RMV:
		*pe = PX_ETH_EVENT_INTR_RMV;
		return 0;
	default:
		return -ENOTSUP;
	}
}

static int compat_cb_trampoline(uint16_t port, enum px_eth_event_type event, void *cb_arg,
				void *ret_param)
{
	struct compat_cb *cb = cb_arg;

	(void)event;
	return cb->fn(port, cb->event, cb->arg, ret_param);
}

static int callback_one(uint16_t port, enum rte_eth_event_type event, rte_eth_dev_cb_fn fn,
			void *arg, int reg)
{
	struct compat_cb **pp, *cb;
	enum px_eth_event_type pe;
	int ret = event_to_px(event, &pe);

	if (ret < 0)
		return unsupported(port, "this event type (Pollux reports INTR_LSC and INTR_RMV)");
	for (pp = &compat_cbs; *pp != NULL; pp = &(*pp)->next) {
		cb = *pp;
		if (cb->port == port && cb->event == event && cb->fn == fn && cb->arg == arg)
			break;
	}
	if (!reg) {
		if (*pp == NULL)
			return -ENOENT;
		cb = *pp;
		ret = px_eth_dev_callback_unregister(port, pe, compat_cb_trampoline, cb);
		if (ret == 0) {
			*pp = cb->next;
			free(cb);
		}
		return ret;
	}
	if (*pp != NULL)
		return -EEXIST;
	cb = calloc(1, sizeof(*cb));
	if (cb == NULL)
		return -ENOMEM;
	*cb = (struct compat_cb){.port = port, .event = event, .fn = fn, .arg = arg};
	ret = px_eth_dev_callback_register(port, pe, compat_cb_trampoline, cb);
	if (ret < 0) {
		free(cb);
		return ret;
	}
	cb->next = compat_cbs;
	compat_cbs = cb;
	return 0;
}

static int callback_all(uint16_t port_id, enum rte_eth_event_type event, rte_eth_dev_cb_fn fn,
			void *arg, int reg)
{
	uint16_t p;
	int ret;

	if (fn == NULL)
		return -EINVAL;
	if (port_id != RTE_ETH_ALL)
		return callback_one(port_id, event, fn, arg, reg);
	/* DPDK's RTE_ETH_ALL also covers ports made later; here, the ports there now. */
	RTE_ETH_FOREACH_DEV(p)
	{
		ret = callback_one(p, event, fn, arg, reg);
		if (ret < 0 && !(reg == 0 && ret == -ENOENT))
			return ret;
	}
	return 0;
}

int rte_eth_dev_callback_register(uint16_t port_id, enum rte_eth_event_type event,
				  rte_eth_dev_cb_fn cb_fn, void *cb_arg)
{
	return callback_all(port_id, event, cb_fn, cb_arg, 1);
}

int rte_eth_dev_callback_unregister(uint16_t port_id, enum rte_eth_event_type event,
				    rte_eth_dev_cb_fn cb_fn, void *cb_arg)
{
	return callback_all(port_id, event, cb_fn, cb_arg, 0);
}

/* ---- what Pollux does not have -------------------------------------------------------- */

const struct rte_eth_rxtx_callback *rte_eth_add_rx_callback(uint16_t port_id, uint16_t queue_id,
							    rte_rx_callback_fn fn, void *user_param)
{
	(void)queue_id;
	(void)fn;
	(void)user_param;
	rte_errno = -port_unsupported(port_id, "RX callbacks (rte_eth_add_rx_callback)");
	return NULL;
}

const struct rte_eth_rxtx_callback *rte_eth_add_tx_callback(uint16_t port_id, uint16_t queue_id,
							    rte_tx_callback_fn fn, void *user_param)
{
	(void)queue_id;
	(void)fn;
	(void)user_param;
	rte_errno = -port_unsupported(port_id, "TX callbacks (rte_eth_add_tx_callback)");
	return NULL;
}

int rte_eth_rx_queue_count(uint16_t port_id, uint16_t queue_id)
{
	(void)queue_id;
	return port_unsupported(port_id, "rte_eth_rx_queue_count");
}

int rte_eth_tx_done_cleanup(uint16_t port_id, uint16_t queue_id, uint32_t free_cnt)
{
	(void)queue_id;
	(void)free_cnt;
	return port_unsupported(port_id, "rte_eth_tx_done_cleanup");
}

int rte_eth_dev_fw_version_get(uint16_t port_id, char *fw_version, size_t fw_size)
{
	(void)fw_version;
	(void)fw_size;
	return port_unsupported(port_id, "rte_eth_dev_fw_version_get");
}

static_assert(sizeof(struct rte_eth_rss_reta_entry64) == sizeof(struct px_eth_rss_reta_entry64) &&
		      offsetof(struct rte_eth_rss_reta_entry64, reta) ==
			      offsetof(struct px_eth_rss_reta_entry64, reta),
	      "one RETA layout");

int rte_eth_dev_rss_reta_update(uint16_t port_id, struct rte_eth_rss_reta_entry64 *reta_conf,
				uint16_t reta_size)
{
	return px_eth_dev_rss_reta_update(
		port_id, (const struct px_eth_rss_reta_entry64 *)(const void *)reta_conf,
		reta_size);
}

int rte_eth_dev_rss_reta_query(uint16_t port_id, struct rte_eth_rss_reta_entry64 *reta_conf,
			       uint16_t reta_size)
{
	return px_eth_dev_rss_reta_query(
		port_id, (struct px_eth_rss_reta_entry64 *)(void *)reta_conf, reta_size);
}

int rte_eth_dev_rss_hash_update(uint16_t port_id, struct rte_eth_rss_conf *rss_conf)
{
	struct px_eth_rss_conf pc;

	if (rss_conf == NULL)
		return px_eth_dev_rss_hash_update(port_id, NULL);
	pc = (struct px_eth_rss_conf){.rss_key = rss_conf->rss_key,
				      .rss_key_len = rss_conf->rss_key_len,
				      .rss_hf = rss_conf->rss_hf};
	return px_eth_dev_rss_hash_update(port_id, &pc);
}

int rte_eth_dev_rss_hash_conf_get(uint16_t port_id, struct rte_eth_rss_conf *rss_conf)
{
	struct px_eth_rss_conf pc;
	int ret;

	if (rss_conf == NULL)
		return px_eth_dev_rss_hash_conf_get(port_id, NULL);
	pc = (struct px_eth_rss_conf){.rss_key = rss_conf->rss_key,
				      .rss_key_len = rss_conf->rss_key_len};
	ret = px_eth_dev_rss_hash_conf_get(port_id, &pc);
	if (ret == 0) {
		rss_conf->rss_key_len = pc.rss_key_len;
		rss_conf->rss_hf = pc.rss_hf;
	}
	return ret;
}

int rte_eth_dev_vlan_filter(uint16_t port_id, uint16_t vlan_id, int on)
{
	return px_eth_dev_vlan_filter(port_id, vlan_id, on);
}

int rte_eth_timesync_enable(uint16_t port_id)
{
	return port_unsupported(port_id, "rte_eth_timesync_enable");
}

int rte_eth_read_clock(uint16_t port_id, uint64_t *clock)
{
	(void)clock;
	return port_unsupported(port_id, "rte_eth_read_clock (no device clock)");
}

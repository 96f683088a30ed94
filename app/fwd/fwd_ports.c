/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ports px-fwd forwards on: chosen by --portmask, configured from testpmd's options
 * (--max-pkt-len, --enable-scatter, --enable-rx-cksum, --rss-*, --tx-offloads) after checking
 * that each port can do what is asked, so that a refusal names the port and the capability
 * rather than leaving it to a driver's log line. One pool serves every port; its mbufs are
 * --mbuf-size bytes of data room.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fwd.h"

uint16_t fwd_ports[PX_MAX_ETHPORTS];
uint16_t fwd_nb_ports;
bool fwd_port_started[PX_MAX_ETHPORTS];

#define PORT_ERR(p, name, fmt, ...) \
	fprintf(stderr, "px-fwd: port %u (%s): " fmt "\n", p, name, ##__VA_ARGS__)

/* Bytes of frame an mbuf of the pool holds. */
static uint32_t mbuf_room(void)
{
	return px_pktmbuf_data_room_size(fwd_pools[0]) - PX_PKTMBUF_HEADROOM;
}

/* --max-pkt-len: the port's MTU and whether a frame fits the mbufs. */
static int conf_frame_len(uint16_t p, const char *name, const struct px_eth_dev_info *info,
			  struct px_eth_conf *conf)
{
	uint32_t len = fwd_cfg.max_pkt_len, mtu;

	if (len == 0)
		return 0;
	mtu = len - PX_ETHER_HDR_LEN - PX_ETHER_CRC_LEN; /* as testpmd: 18 bytes of overhead */
	if (len > info->max_rx_pktlen || mtu > info->max_mtu || mtu < info->min_mtu) {
		PORT_ERR(p, name,
			 "--max-pkt-len=%u: the port takes frames up to %u bytes (MTU %u to %u)",
			 len, info->max_rx_pktlen, info->min_mtu, info->max_mtu);
		return -ENOTSUP;
	}
	if (!fwd_cfg.scatter && len - PX_ETHER_CRC_LEN > mbuf_room()) {
		PORT_ERR(p, name,
			 "--max-pkt-len=%u: a frame of %u bytes does not fit one mbuf of %u bytes "
			 "(after the %u-byte headroom): add --mbuf-size=%u or --enable-scatter",
			 len, len - PX_ETHER_CRC_LEN, mbuf_room(), PX_PKTMBUF_HEADROOM,
			 len - PX_ETHER_CRC_LEN + PX_PKTMBUF_HEADROOM);
		return -ENOTSUP;
	}
	conf->rxmode.mtu = mtu;
	return 0;
}

/* --enable-scatter, --enable-rx-cksum, --rss-ip/--rss-udp, --tx-offloads */
static int conf_offloads(uint16_t p, const char *name, const struct px_eth_dev_info *info,
			 struct px_eth_conf *conf)
{
	uint64_t missing;

	if (fwd_cfg.scatter) {
		if (!(info->rx_offload_capa & PX_ETH_RX_OFFLOAD_SCATTER)) {
			PORT_ERR(p, name,
				 "--enable-scatter: driver %s cannot receive a frame into several "
				 "mbufs (no RX scatter offload): use --mbuf-size large enough for "
				 "the longest frame instead",
				 info->driver_name);
			return -ENOTSUP;
		}
		conf->rxmode.offloads |= PX_ETH_RX_OFFLOAD_SCATTER;
		conf->txmode.offloads |= info->tx_offload_capa & PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	}
	missing = fwd_cfg.rx_cksum ? PX_ETH_RX_OFFLOAD_CHECKSUM & ~info->rx_offload_capa : 0;
	if (missing) {
		PORT_ERR(p, name,
			 "--enable-rx-cksum: driver %s has no RX checksum offload for%s%s%s",
			 info->driver_name, missing & PX_ETH_RX_OFFLOAD_IPV4_CKSUM ? " IPv4" : "",
			 missing & PX_ETH_RX_OFFLOAD_UDP_CKSUM ? " UDP" : "",
			 missing & PX_ETH_RX_OFFLOAD_TCP_CKSUM ? " TCP" : "");
		return -ENOTSUP;
	}
	if (fwd_cfg.rx_cksum)
		conf->rxmode.offloads |= PX_ETH_RX_OFFLOAD_CHECKSUM;
	if (fwd_cfg.rss_hf && fwd_cfg.nb_rxq > 1) { /* as testpmd: RSS only with queues to spread */
		missing = fwd_cfg.rss_hf & ~info->flow_type_rss_offloads;
		if (missing) {
			PORT_ERR(p, name,
				 "--rss-%s: driver %s cannot hash on 0x%llx (its RSS hash types: "
				 "0x%llx)",
				 fwd_cfg.rss_hf & PX_ETH_RSS_NONFRAG_IPV4_UDP ? "udp" : "ip",
				 info->driver_name, (unsigned long long)missing,
				 (unsigned long long)info->flow_type_rss_offloads);
			return -ENOTSUP;
		}
		conf->rxmode.mq_mode = PX_ETH_MQ_RX_RSS;
		conf->rx_adv_conf.rss_conf.rss_hf = fwd_cfg.rss_hf;
		conf->rxmode.offloads |= info->rx_offload_capa & PX_ETH_RX_OFFLOAD_RSS_HASH;
	}
	missing = fwd_cfg.tx_offloads & ~info->tx_offload_capa;
	for (uint64_t bit = 1; missing; bit <<= 1)
		if (missing & bit) {
			PORT_ERR(p, name, "--tx-offloads: driver %s has no TX offload %s (0x%llx)",
				 info->driver_name, fwd_tx_offload_name(bit),
				 (unsigned long long)bit);
			return -ENOTSUP;
		}
	conf->txmode.offloads |= fwd_cfg.tx_offloads;
	return 0;
}

static int setup_port(uint16_t p, struct px_mempool *mp)
{
	struct px_eth_conf conf = {0};
	struct px_eth_dev_info info;
	char name[PX_ETH_NAME_MAX_LEN];
	int ret;

	px_eth_dev_get_name_by_port(p, name);
	ret = px_eth_dev_info_get(p, &info);
	if (ret == 0)
		ret = conf_frame_len(p, name, &info, &conf) ?: conf_offloads(p, name, &info, &conf);
	if (ret < 0)
		return ret;
	ret = px_eth_dev_configure(p, fwd_cfg.nb_rxq, fwd_cfg.nb_txq, &conf);
	if (ret < 0) {
		PORT_ERR(p, name, "configure with %u RX / %u TX queues failed: %s", fwd_cfg.nb_rxq,
			 fwd_cfg.nb_txq, strerror(-ret));
		return ret;
	}
	for (uint16_t q = 0; q < fwd_cfg.nb_rxq && ret == 0; q++)
		ret = px_eth_rx_queue_setup(p, q, fwd_cfg.nb_rxd, px_eth_dev_socket_id(p), NULL,
					    mp);
	for (uint16_t q = 0; q < fwd_cfg.nb_txq && ret == 0; q++)
		ret = px_eth_tx_queue_setup(p, q, fwd_cfg.nb_txd, px_eth_dev_socket_id(p), NULL);
	if (ret == 0)
		ret = px_eth_dev_start(p);
	if (ret < 0) {
		PORT_ERR(p, name, "queue setup or start failed: %s", strerror(-ret));
		return ret;
	}
	fwd_port_started[p] = true;
	px_eth_promiscuous_enable(p); /* as testpmd: forward whatever arrives */
	px_eth_macaddr_get(p, &fwd_cfg.port_mac[p]);
	return 0;
}

/* --portmask: the ports to forward on. @return 0, or -EINVAL naming a port not there. */
static int select_ports(void)
{
	uint64_t seen = 0;
	uint16_t p;

	fwd_nb_ports = 0;
	PX_ETH_FOREACH_DEV (p) {
		if (p < 64)
			seen |= 1ull << p;
		if (fwd_cfg.portmask == 0 || (p < 64 && (fwd_cfg.portmask >> p) & 1))
			fwd_ports[fwd_nb_ports++] = p;
	}
	if (fwd_cfg.portmask & ~seen) {
		fprintf(stderr,
			"px-fwd: --portmask=0x%llx: no port %d (ports present: mask 0x%llx)\n",
			(unsigned long long)fwd_cfg.portmask,
			__builtin_ctzll(fwd_cfg.portmask & ~seen), (unsigned long long)seen);
		return -EINVAL;
	}
	if (fwd_nb_ports == 0) {
		fprintf(stderr,
			"px-fwd: no ports: bind a NIC to vfio-pci (px-devbind --bind=vfio-pci ADDR) or add one with --vdev, e.g. --vdev net_null0\n");
		return -ENODEV;
	}
	return 0;
}

/* The pool's data room: --mbuf-size, else 2048 bytes, or more for a longer --txpkts unless
 * txonly chains segments (--enable-scatter). */
static uint32_t pool_data_room(void)
{
	if (fwd_cfg.mbuf_size)
		return fwd_cfg.mbuf_size;
	if (fwd_cfg.scatter || fwd_cfg.max_pkt_len)
		return PX_PKTMBUF_HEADROOM + 2048;
	return PX_PKTMBUF_HEADROOM + PX_MAX(2048, fwd_cfg.txpkts);
}

int fwd_start_ports(void)
{
	unsigned int nb_mbufs = fwd_cfg.nb_mbufs;
	int ret = select_ports();

	if (ret < 0)
		return ret;
	if (nb_mbufs == 0) /* a chained frame takes more than one */
		nb_mbufs = fwd_nb_ports *
				   (fwd_cfg.nb_rxq * fwd_cfg.nb_rxd +
				    fwd_cfg.nb_txq * fwd_cfg.nb_txd + FWD_MAX_BURST) *
				   (fwd_cfg.scatter ? FWD_MAX_FRAME / 2048 + 1 : 1) +
			   px_lcore_count() * 512;
	fwd_pools[0] = px_pktmbuf_pool_create("px_fwd_pool", nb_mbufs, fwd_cfg.mbcache, 0,
					      pool_data_room(), PX_SOCKET_ID_ANY);
	if (fwd_pools[0] == NULL) {
		fprintf(stderr, "px-fwd: cannot create a pool of %u mbufs (cache %u): %s\n",
			nb_mbufs, fwd_cfg.mbcache, strerror(errno));
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < fwd_nb_ports; i++) {
		ret = setup_port(fwd_ports[i], fwd_pools[0]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---- the prompt's port commands ---- */

int fwd_port_stop(uint16_t p)
{
	int ret = px_eth_dev_stop(p);

	if (ret == 0)
		fwd_port_started[p] = false;
	return ret;
}

int fwd_port_start(uint16_t p)
{
	int ret = px_eth_dev_start(p);

	if (ret == 0)
		fwd_port_started[p] = true;
	return ret;
}

/* Close @p and take it out of the forwarding ports. */
int fwd_port_close(uint16_t p)
{
	uint16_t k = 0;
	int ret = px_eth_dev_close(p);

	if (ret < 0)
		return ret;
	fwd_port_started[p] = false;
	for (uint16_t i = 0; i < fwd_nb_ports; i++)
		if (fwd_ports[i] != p)
			fwd_ports[k++] = fwd_ports[i];
	fwd_nb_ports = k;
	return 0;
}

bool fwd_port_is_forwarding(uint16_t p)
{
	for (uint16_t i = 0; i < fwd_nb_ports; i++)
		if (fwd_ports[i] == p)
			return true;
	return false;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ethdev against a minimal software driver defined here: every API, every invalid-argument path,
 * the fast-path table, stats and xstats, RX interrupts through eventfd + epoll.
 */
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <px_ethdev.h>
#include <px_intr.h>
#include "../../lib/ethdev/ethdev_driver.h"
#include "px_test.h"

#define FAKE_RETA 128 /* RSS redirection table entries: two px_eth_rss_reta_entry64 */
#define FAKE_KEY 40   /* RSS key bytes */

struct fake_q {
	uint16_t id;
	uint64_t pkts;
	int efd;
};

struct fake_priv {
	int started, stopped, closed;
	uint64_t hw_counter; /* an xstat of the driver */
	uint16_t mtu;        /* the last MTU mtu_set applied */
	int vlan_calls;
	int rss_calls;            /* reta_update and rss_hash_update calls */
	uint16_t reta[FAKE_RETA]; /* the RSS redirection table the "hardware" has */
	uint8_t key[FAKE_KEY];    /* and its key and hash types */
	uint64_t rss_hf;
};

static uint16_t fake_rx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	struct fake_q *fq = q;

	for (uint16_t i = 0; i < n; i++)
		pkts[i] = (struct px_mbuf *)(uintptr_t)(0x1000 + fq->id);
	fq->pkts += n;
	return n;
}

static uint16_t fake_tx(void *q, struct px_mbuf **pkts, uint16_t n)
{
	(void)pkts;
	((struct fake_q *)q)->pkts += n / 2; /* takes half, to tell the paths apart */
	return n / 2;
}

static int fake_infos(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	(void)dev;
	info->driver_name = "net_fake";
	info->max_rx_queues = 4;
	info->max_tx_queues = 2;
	info->rx_offload_capa = PX_ETH_RX_OFFLOAD_CHECKSUM | PX_ETH_RX_OFFLOAD_VLAN_FILTER;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->flow_type_rss_offloads = PX_ETH_RSS_IPV4;
	info->reta_size = FAKE_RETA;
	info->hash_key_size = FAKE_KEY;
	info->rx_desc_lim = (struct px_eth_desc_lim){.nb_max = 4096, .nb_min = 32, .nb_align = 8};
	info->tx_desc_lim = info->rx_desc_lim;
	info->min_mtu = 68;
	info->max_mtu = 9000;
	return 0;
}

static int fake_queue(void **slot, uint16_t q)
{
	struct fake_q *fq = calloc(1, sizeof(*fq));

	if (fq == NULL)
		return -ENOMEM;
	fq->id = q;
	fq->efd = eventfd(0, EFD_NONBLOCK);
	*slot = fq;
	return 0;
}

static int fake_rxq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb, int socket,
			  const struct px_eth_rxconf *c, struct px_mempool *mp)
{
	(void)nb, (void)socket, (void)c, (void)mp;
	return fake_queue(&dev->rx_queues[q], q);
}

static int fake_txq_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb, int socket,
			  const struct px_eth_txconf *c)
{
	(void)nb, (void)socket, (void)c;
	return fake_queue(&dev->tx_queues[q], q);
}

static void fake_release(void *q)
{
	struct fake_q *fq = q;

	close(fq->efd);
	free(fq);
}

static void fake_rxq_release(struct px_eth_dev *dev, uint16_t q)
{
	fake_release(dev->rx_queues[q]);
}

static void fake_txq_release(struct px_eth_dev *dev, uint16_t q)
{
	fake_release(dev->tx_queues[q]);
}

static int fake_start(struct px_eth_dev *dev)
{
	((struct fake_priv *)dev->dev_private)->started++;
	return eth_dev_start_link_fixed(dev);
}

static int fake_stop(struct px_eth_dev *dev)
{
	((struct fake_priv *)dev->dev_private)->stopped++;
	return eth_dev_stop_link_down(dev);
}

static int fake_close(struct px_eth_dev *dev)
{
	free(dev->dev_private);
	return 0;
}

static int fake_stats(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++)
		st->ipackets += ((struct fake_q *)dev->rx_queues[q])->pkts;
	for (uint16_t q = 0; q < dev->nb_tx_queues; q++)
		st->opackets += ((struct fake_q *)dev->tx_queues[q])->pkts;
	return 0;
}

static int fake_stats_reset(struct px_eth_dev *dev)
{
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++)
		((struct fake_q *)dev->rx_queues[q])->pkts = 0;
	for (uint16_t q = 0; q < dev->nb_tx_queues; q++)
		((struct fake_q *)dev->tx_queues[q])->pkts = 0;
	return 0;
}

static int fake_xnames(struct px_eth_dev *dev, struct px_eth_xstat_name *names, unsigned int n)
{
	(void)dev;
	if (names && n >= 1)
		strcpy(names[0].name, "fake_hw_counter");
	return 1;
}

static int fake_xget(struct px_eth_dev *dev, struct px_eth_xstat *x, unsigned int n)
{
	if (n >= 1)
		x[0].value = ((struct fake_priv *)dev->dev_private)->hw_counter;
	return 1;
}

static int fake_ok(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

static int fake_mtu(struct px_eth_dev *dev, uint16_t mtu)
{
	if (mtu == 4242)
		return -EBUSY; /* a value the "hardware" refuses */
	((struct fake_priv *)dev->dev_private)->mtu = mtu;
	return 0;
}

static int fake_vlan(struct px_eth_dev *dev, uint16_t vlan_id, int on)
{
	(void)on;
	((struct fake_priv *)dev->dev_private)->vlan_calls++;
	return vlan_id == 4000 ? -EIO : 0; /* one the "hardware" refuses */
}

static int fake_mac(struct px_eth_dev *dev, const struct px_ether_addr *m)
{
	(void)dev, (void)m;
	return 0;
}

static int fake_intr(struct px_eth_dev *dev, uint16_t q)
{
	(void)dev, (void)q;
	return 0;
}

static int fake_intr_fd(struct px_eth_dev *dev, uint16_t q)
{
	return ((struct fake_q *)dev->rx_queues[q])->efd;
}

static int fake_reta_update(struct px_eth_dev *dev, const struct px_eth_rss_reta_entry64 *c,
			    uint16_t size)
{
	struct fake_priv *fp = dev->dev_private;

	fp->rss_calls++;
	for (uint16_t e = 0; e < size; e++)
		if (c[e / 64].mask >> (e % 64) & 1)
			fp->reta[e] = c[e / 64].reta[e % 64];
	return 0;
}

static int fake_reta_query(struct px_eth_dev *dev, struct px_eth_rss_reta_entry64 *c, uint16_t size)
{
	const struct fake_priv *fp = dev->dev_private;

	for (uint16_t e = 0; e < size; e++)
		if (c[e / 64].mask >> (e % 64) & 1)
			c[e / 64].reta[e % 64] = fp->reta[e];
	return 0;
}

static int fake_hash_update(struct px_eth_dev *dev, const struct px_eth_rss_conf *c)
{
	struct fake_priv *fp = dev->dev_private;

	fp->rss_calls++;
	if (c->rss_key)
		memcpy(fp->key, c->rss_key, c->rss_key_len);
	fp->rss_hf = c->rss_hf;
	return 0;
}

static int fake_hash_get(struct px_eth_dev *dev, struct px_eth_rss_conf *c)
{
	const struct fake_priv *fp = dev->dev_private;

	c->rss_hf = fp->rss_hf;
	if (c->rss_key) {
		memcpy(c->rss_key, fp->key, FAKE_KEY);
		c->rss_key_len = FAKE_KEY;
	}
	return 0;
}

static const struct px_eth_dev_ops fake_ops = {
	.dev_infos_get = fake_infos,
	.dev_start = fake_start,
	.dev_stop = fake_stop,
	.dev_close = fake_close,
	.rx_queue_setup = fake_rxq_setup,
	.tx_queue_setup = fake_txq_setup,
	.rx_queue_release = fake_rxq_release,
	.tx_queue_release = fake_txq_release,
	.stats_get = fake_stats,
	.stats_reset = fake_stats_reset,
	.xstats_get_names = fake_xnames,
	.xstats_get = fake_xget,
	.promiscuous_enable = fake_ok,
	.promiscuous_disable = fake_ok,
	.mac_addr_set = fake_mac,
	.mtu_set = fake_mtu,
	.vlan_filter_set = fake_vlan,
	.rx_queue_intr_enable = fake_intr,
	.rx_queue_intr_disable = fake_intr,
	.rx_queue_intr_fd = fake_intr_fd,
	.reta_update = fake_reta_update,
	.reta_query = fake_reta_query,
	.rss_hash_update = fake_hash_update,
	.rss_hash_conf_get = fake_hash_get,
};

static int fake_port(const char *name, uint16_t *port)
{
	struct px_eth_dev *dev = eth_dev_allocate(name);

	if (dev == NULL)
		return -errno;
	dev->ops = &fake_ops;
	dev->dev_private = calloc(1, sizeof(struct fake_priv));
	dev->rx_pkt_burst = fake_rx;
	dev->tx_pkt_burst = fake_tx;
	dev->mac = (struct px_ether_addr){{0x02, 0, 0, 0, 0, 1}};
	eth_dev_probing_finish(dev);
	*port = dev->port_id;
	return 0;
}

#define POOL ((struct px_mempool *)(uintptr_t)1) /* the fake driver never touches it */

static int test_ethdev_invalid_port(void)
{
	const uint16_t bad[] = {PX_MAX_ETHPORTS - 1, PX_MAX_ETHPORTS, UINT16_MAX};
	struct px_eth_dev_info info;
	struct px_eth_stats st;
	struct px_eth_link link;
	struct px_ether_addr mac = {{2, 0, 0, 0, 0, 2}};
	struct px_mbuf *pkts[4];
	uint64_t v;
	uint16_t mtu;
	char name[PX_ETH_NAME_MAX_LEN];

	for (size_t i = 0; i < PX_DIM(bad); i++) {
		uint16_t p = bad[i];

		PX_TEST_ASSERT(!px_eth_dev_is_valid_port(p), "port %u", p);
		PX_TEST_ASSERT_EQ(px_eth_dev_info_get(p, &info), -ENODEV, "info");
		PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, NULL), -ENODEV, "configure");
		PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 64, 0, NULL, POOL), -ENODEV, "rxq");
		PX_TEST_ASSERT_EQ(px_eth_tx_queue_setup(p, 0, 64, 0, NULL), -ENODEV, "txq");
		PX_TEST_ASSERT_EQ(px_eth_dev_start(p), -ENODEV, "start");
		PX_TEST_ASSERT_EQ(px_eth_dev_stop(p), -ENODEV, "stop");
		PX_TEST_ASSERT_EQ(px_eth_dev_close(p), -ENODEV, "close");
		PX_TEST_ASSERT_EQ(px_eth_stats_get(p, &st), -ENODEV, "stats");
		PX_TEST_ASSERT_EQ(px_eth_stats_reset(p), -ENODEV, "stats reset");
		PX_TEST_ASSERT_EQ(px_eth_xstats_get_names(p, NULL, 0), -ENODEV, "xstat names");
		PX_TEST_ASSERT_EQ(px_eth_xstats_get(p, NULL, 0), -ENODEV, "xstats");
		PX_TEST_ASSERT_EQ(px_eth_xstats_get_by_name(p, "rx_good_packets", &v), -ENODEV,
				  "x");
		PX_TEST_ASSERT_EQ(px_eth_xstats_reset(p), -ENODEV, "xstats reset");
		PX_TEST_ASSERT_EQ(px_eth_link_get_nowait(p, &link), -ENODEV, "link");
		PX_TEST_ASSERT_EQ(px_eth_link_wait(p, 1, &link), -ENODEV, "link wait");
		PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(p), -ENODEV, "promisc");
		PX_TEST_ASSERT_EQ(px_eth_promiscuous_get(p), -ENODEV, "promisc get");
		PX_TEST_ASSERT_EQ(px_eth_allmulticast_enable(p), -ENODEV, "allmulti");
		PX_TEST_ASSERT_EQ(px_eth_allmulticast_get(p), -ENODEV, "allmulti get");
		PX_TEST_ASSERT_EQ(px_eth_macaddr_get(p, &mac), -ENODEV, "mac");
		PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p, &mac), -ENODEV, "mac set");
		PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 1500), -ENODEV, "mtu");
		PX_TEST_ASSERT_EQ(px_eth_dev_get_mtu(p, &mtu), -ENODEV, "mtu get");
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_enable(p, 0), -ENODEV, "intr");
		PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_ctl_q_get_fd(p, 0), -ENODEV, "intr fd");
		PX_TEST_ASSERT_EQ(px_eth_dev_get_name_by_port(p, name), -ENODEV, "name");
		PX_TEST_ASSERT_EQ(px_eth_dev_socket_id(p), -ENODEV, "socket");
		PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_query(p, NULL, 128), -ENODEV, "reta query");
		PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_conf_get(p, NULL), -ENODEV, "hash conf");
		PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, 0, pkts, 4), 0, "rx burst");
		PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, pkts, 4), 0, "tx burst");
	}
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("nope", &mtu), -ENODEV, "by name");
	return PX_TEST_OK;
}
PX_TEST(ethdev_invalid_port_autotest, PX_TEST_F_FAST, test_ethdev_invalid_port)

/* What configure applied: rxmode.mtu through the driver, and the VLAN filter it enabled. */
static int test_ethdev_configured(uint16_t p)
{
	struct px_eth_dev *dev = eth_dev_get(p);
	struct fake_priv *fp = dev->dev_private;
	uint16_t mtu = 0;

	PX_TEST_ASSERT_EQ(px_eth_dev_get_mtu(p, &mtu), 0, "get mtu");
	PX_TEST_ASSERT_EQ(mtu, 9000, "rxmode.mtu is the port's MTU");
	PX_TEST_ASSERT_EQ(fp->mtu, 9000, "and the driver applied it");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p, 4096, 1), -EINVAL, "vlan id range");
	PX_TEST_ASSERT(strstr(px_test_log_capture_stop(), "ids are 0..4095") != NULL, "says why");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p, 100, 1), 0, "vlan 100 on");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p, 4095, 1), 0, "vlan 4095 on");
	PX_TEST_ASSERT_EQ(dev->vlan_ids[100 / 64], 1ull << (100 % 64), "vlan 100 kept");
	PX_TEST_ASSERT_EQ(dev->vlan_ids[63], 1ull << 63, "vlan 4095 kept");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p, 4000, 1), -EIO, "driver refuses 4000");
	PX_TEST_ASSERT_EQ(dev->vlan_ids[4000 / 64], 0, "a refused id is not kept");
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p, 100, 0), 0, "vlan 100 off");
	PX_TEST_ASSERT_EQ(dev->vlan_ids[100 / 64], 0, "vlan 100 gone");
	PX_TEST_ASSERT_EQ(fp->vlan_calls, 4, "driver called for each valid request");
	return PX_TEST_OK;
}

static int test_ethdev_configure(uint16_t p)
{
	struct px_eth_conf conf = {0};

	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 5, 1, NULL), -EINVAL, "too many rxq");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 3, NULL), -EINVAL, "too many txq");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 0, 0, NULL), -EINVAL, "no queue");
	conf.rxmode.offloads = PX_ETH_RX_OFFLOAD_VLAN_STRIP;
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "rx offload");
	conf.rxmode.offloads = 0;
	conf.txmode.offloads = PX_ETH_TX_OFFLOAD_VLAN_INSERT;
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "tx offload");
	conf.txmode.offloads = 0;
	conf.rxmode.mq_mode = PX_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = PX_ETH_RSS_IPV6;
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "rss hf");
	conf.rx_adv_conf.rss_conf.rss_hf = PX_ETH_RSS_IPV4;
	conf.rxmode.mtu = 9001;
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), -EINVAL, "mtu");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 64, 0, NULL, POOL), -EINVAL,
			  "not configured");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p), -EINVAL, "start unconfigured");
	const char *log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, "RX offloads 0x1 are not supported") != NULL,
		       "names the offload");
	PX_TEST_ASSERT(strstr(log, "MTU 9001 out of range 68..9000") != NULL, "names the range");
	conf.rxmode.mtu = 4242;
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), -EBUSY, "mtu the driver refuses");
	log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, "MTU 4242 from rxmode.mtu") != NULL, "%s", log);
	PX_TEST_ASSERT_EQ(px_eth_dev_vlan_filter(p, 100, 1), -ENOSYS, "vlan filter not configured");
	conf.rxmode.mtu = 9000;
	conf.rxmode.offloads = PX_ETH_RX_OFFLOAD_IPV4_CKSUM | PX_ETH_RX_OFFLOAD_VLAN_FILTER;
	conf.intr_conf.rxq = 1;
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 2, 1, &conf), 0, "configure");
	return test_ethdev_configured(p);
}

static int test_ethdev_queues(uint16_t p)
{
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 2, 64, 0, NULL, POOL), -EINVAL, "queue 2 of 2");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 16, 0, NULL, POOL), -EINVAL, "below min");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 8192, 0, NULL, POOL), -EINVAL, "above max");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 100, 0, NULL, POOL), -EINVAL, "align 8");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 64, 0, NULL, NULL), -EINVAL, "no pool");
	struct px_eth_rxconf rc = {.offloads = PX_ETH_RX_OFFLOAD_VLAN_STRIP};
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 64, 0, &rc, POOL), -EINVAL, "queue offload");
	PX_TEST_ASSERT_EQ(px_eth_tx_queue_setup(p, 1, 64, 0, NULL), -EINVAL, "txq 1 of 1");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 64, 0, NULL, POOL), 0, "rxq 0");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p), -EINVAL, "rxq 1 and txq 0 missing");
	const char *log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, "100 RX descriptors: expected 32..4096, a multiple of 8"), "%s",
		       log);
	PX_TEST_ASSERT(strstr(log, "queue 0 is not set up; call px_eth_tx_queue_setup()"),
		       "names the queue: %s", log);
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 1, 64, 0, NULL, POOL), 0, "rxq 1");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 1, 128, 0, NULL, POOL), 0, "rxq 1 again");
	PX_TEST_ASSERT_EQ(px_eth_tx_queue_setup(p, 0, 64, 0, NULL), 0, "txq 0");
	return PX_TEST_OK;
}

static int test_ethdev_fastpath(uint16_t p)
{
	struct px_mbuf *pkts[32];
	struct px_eth_stats st;
	uint64_t v;

	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, 0, pkts, 32), 0, "stopped: nothing");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p), 0, "start");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p), 0, "start twice");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, NULL), -EBUSY, "configure while started");
	PX_TEST_ASSERT_EQ(px_eth_rx_queue_setup(p, 0, 64, 0, NULL, POOL), -EBUSY, "setup started");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, 1, pkts, 32), 32, "rx queue 1");
	PX_TEST_ASSERT(pkts[0] == (struct px_mbuf *)(uintptr_t)0x1001,
		       "from queue 1's driver state");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, 2, pkts, 32), 0, "queue 2 does not exist");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, UINT16_MAX, pkts, 32), 0, "queue 65535");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, pkts, 32), 16, "tx takes half");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 1, pkts, 32), 0, "tx queue 1 does not exist");
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p, &st), 0, "stats");
	PX_TEST_ASSERT(st.ipackets == 32 && st.opackets == 16, "counts %llu %llu",
		       (unsigned long long)st.ipackets, (unsigned long long)st.opackets);
	PX_TEST_ASSERT_EQ(px_eth_stats_get(p, NULL), -EINVAL, "NULL stats");
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_by_name(p, "rx_good_packets", &v), 0, "xstat");
	PX_TEST_ASSERT_EQ(v, 32, "rx_good_packets");
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_by_name(p, "no_such", &v), -ENOENT, "unknown xstat");
	PX_TEST_ASSERT_EQ(px_eth_xstats_reset(p), 0, "reset");
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_by_name(p, "tx_good_packets", &v), 0, "xstat");
	PX_TEST_ASSERT_EQ(v, 0, "reset to 0");
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(p), 0, "stop");
	PX_TEST_ASSERT_EQ(px_eth_rx_burst(p, 0, pkts, 32), 0, "stopped again: nothing");
	PX_TEST_ASSERT_EQ(px_eth_tx_burst(p, 0, pkts, 32), 0, "stopped: tx nothing");
	PX_TEST_ASSERT_EQ(px_eth_dev_stop(p), 0, "stop twice");
	return PX_TEST_OK;
}

static int test_ethdev_xstats_names(uint16_t p)
{
	struct px_eth_xstat_name names[16];
	struct px_eth_xstat vals[16];
	int n = px_eth_xstats_get_names(p, NULL, 0);

	PX_TEST_ASSERT(n == 9, "8 basic + 1 driver xstat, got %d", n);
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_names(p, names, 3), n, "too small: count only");
	PX_TEST_ASSERT_EQ(px_eth_xstats_get_names(p, names, 16), n, "names");
	PX_TEST_ASSERT(strcmp(names[8].name, "fake_hw_counter") == 0, "driver's name last");
	((struct fake_priv *)eth_dev_get(p)->dev_private)->hw_counter = 77;
	PX_TEST_ASSERT_EQ(px_eth_xstats_get(p, vals, 16), n, "values");
	PX_TEST_ASSERT(vals[8].id == 8 && vals[8].value == 77, "driver's value and id");
	return PX_TEST_OK;
}

static int test_ethdev_ctrl(uint16_t p)
{
	struct px_ether_addr mac, mc = {{0x01, 0, 0x5e, 0, 0, 1}}, uc = {{0x02, 1, 2, 3, 4, 5}};
	struct px_eth_link link;
	uint16_t mtu;

	PX_TEST_ASSERT_EQ(px_eth_promiscuous_get(p), 0, "promisc off");
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_enable(p), 0, "promisc on");
	PX_TEST_ASSERT_EQ(px_eth_promiscuous_get(p), 1, "promisc on");
	PX_TEST_ASSERT_EQ(px_eth_allmulticast_enable(p), -ENOTSUP, "driver has no allmulti");
	PX_TEST_ASSERT_EQ(px_eth_allmulticast_get(p), 0, "unchanged");
	PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p, &mc), -EINVAL, "multicast MAC");
	PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p, NULL), -EINVAL, "NULL MAC");
	PX_TEST_ASSERT_EQ(px_eth_dev_default_mac_addr_set(p, &uc), 0, "set MAC");
	PX_TEST_ASSERT_EQ(px_eth_macaddr_get(p, &mac), 0, "get MAC");
	PX_TEST_ASSERT(memcmp(&mac, &uc, sizeof(mac)) == 0, "MAC stored");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 67), -EINVAL, "below min");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 9001), -EINVAL, "above max");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 4242), -EBUSY, "driver refuses");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_mtu(p, &mtu), 0, "get");
	PX_TEST_ASSERT_EQ(mtu, 9000, "unchanged by the refusal");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_mtu(p, 1500), 0, "set");
	PX_TEST_ASSERT_EQ(px_eth_link_get_nowait(p, &link), 0, "link");
	PX_TEST_ASSERT_EQ(link.link_status, 0, "stopped: down");
	PX_TEST_ASSERT_EQ(px_eth_link_wait(p, 20, &link), -ETIMEDOUT, "never comes up");
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p), 0, "start");
	PX_TEST_ASSERT_EQ(px_eth_link_wait(p, 1000, &link), 0, "up");
	PX_TEST_ASSERT(link.link_speed == PX_ETH_SPEED_NUM_10G && link.link_duplex, "speed");
	return PX_TEST_OK;
}

static int test_ethdev_intr(uint16_t p)
{
	int epfd = epoll_create1(0), fd, n;
	uint64_t data[4], one = 1;

	PX_TEST_ASSERT(epfd >= 0, "epoll");
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_enable(p, 2), -EINVAL, "bad queue");
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_enable(p, 1), 0, "enable");
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_epoll_add(epfd, p, 1, 0xabc), 0, "epoll add");
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_wait(epfd, data, 4, 10), 0, "nothing yet");
	fd = px_eth_dev_rx_intr_ctl_q_get_fd(p, 1);
	PX_TEST_ASSERT(fd >= 0, "fd");
	PX_TEST_ASSERT(write(fd, &one, sizeof(one)) == sizeof(one), "raise the 'interrupt'");
	n = px_eth_dev_rx_intr_wait(epfd, data, 4, 1000);
	PX_TEST_ASSERT(n == 1 && data[0] == 0xabc, "woke with the caller's data (n=%d)", n);
	PX_TEST_ASSERT_EQ(px_eth_dev_rx_intr_wait(epfd, data, 4, 10), 0, "cleared by the wait");
	close(epfd);
	return PX_TEST_OK;
}

static int test_ethdev_api(void)
{
	uint16_t p = 0, p2 = 0, q = 0;
	char name[PX_ETH_NAME_MAX_LEN];
	int ret;

	PX_TEST_ASSERT_EQ(fake_port("net_fake0", &p), 0, "allocate");
	PX_TEST_ASSERT_EQ(fake_port("net_fake0", &p2), -EEXIST, "same name");
	PX_TEST_ASSERT(px_eth_dev_is_valid_port(p), "valid");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_name_by_port(p, name), 0, "name");
	PX_TEST_ASSERT(strcmp(name, "net_fake0") == 0, "name");
	PX_TEST_ASSERT_EQ(px_eth_dev_get_port_by_name("net_fake0", &q), 0, "by name");
	PX_TEST_ASSERT_EQ(q, p, "same port");
	ret = test_ethdev_configure(p);
	if (ret == PX_TEST_OK)
		ret = test_ethdev_queues(p);
	if (ret == PX_TEST_OK)
		ret = test_ethdev_fastpath(p);
	if (ret == PX_TEST_OK)
		ret = test_ethdev_xstats_names(p);
	if (ret == PX_TEST_OK)
		ret = test_ethdev_ctrl(p);
	if (ret == PX_TEST_OK)
		ret = test_ethdev_intr(p);
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close (started)");
	PX_TEST_ASSERT(!px_eth_dev_is_valid_port(p), "closed port is gone");
	PX_TEST_ASSERT_EQ(px_eth_dev_count_avail(), 0, "no port left");
	return ret;
}
PX_TEST(ethdev_api_autotest, PX_TEST_F_FAST, test_ethdev_api)

static int test_ethdev_many_ports(void)
{
	uint16_t ports[PX_MAX_ETHPORTS], p, n = 0, extra = 0;
	char name[32];

	for (int i = 0; i < PX_MAX_ETHPORTS; i++) {
		snprintf(name, sizeof(name), "net_fake%d", i);
		PX_TEST_ASSERT_EQ(fake_port(name, &ports[i]), 0, "port %d", i);
	}
	PX_TEST_ASSERT_EQ(px_eth_dev_count_avail(), PX_MAX_ETHPORTS, "all");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(fake_port("net_fake_extra", &extra), -ENOSPC, "table full");
	px_test_log_capture_stop();
	PX_ETH_FOREACH_DEV (p)
		n++;
	PX_TEST_ASSERT_EQ(n, PX_MAX_ETHPORTS, "iteration");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(ports[3]), 0, "close one");
	PX_TEST_ASSERT_EQ(fake_port("net_fake_extra", &extra), 0, "its id is reused");
	PX_TEST_ASSERT_EQ(extra, ports[3], "same id");
	PX_ETH_FOREACH_DEV (p)
		PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close %u", p);
	PX_TEST_ASSERT_EQ(px_eth_dev_count_avail(), 0, "none left");
	return PX_TEST_OK;
}
PX_TEST(ethdev_ports_autotest, PX_TEST_F_FAST, test_ethdev_many_ports)

/* ---- RSS after configure: the redirection table, the hash types and key ---- */

/* Every entry of the fake port's table as the API reads it back into @out. */
static int reta_read(uint16_t p, uint16_t out[FAKE_RETA])
{
	struct px_eth_rss_reta_entry64 c[FAKE_RETA / 64];

	memset(c, 0xff, sizeof(c)); /* masks all set; entries the query must overwrite */
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_query(p, c, FAKE_RETA), 0, "query");
	for (int e = 0; e < FAKE_RETA; e++)
		out[e] = c[e / 64].reta[e % 64];
	return PX_TEST_OK;
}

/* @c refused with -EINVAL and a log line containing @why; the driver not called, its table
 * still @before. */
static int reta_refused(uint16_t p, const struct px_eth_rss_reta_entry64 *c, uint16_t size,
			const uint16_t before[FAKE_RETA], const char *why)
{
	struct fake_priv *fp = eth_dev_get(p)->dev_private;
	int calls = fp->rss_calls;
	uint16_t now[FAKE_RETA];
	const char *log;

	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(p, c, size), -EINVAL, "%s", why);
	log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, why) != NULL, "the log says '%s': %s", why, log);
	PX_TEST_ASSERT_EQ(fp->rss_calls, calls, "the driver never saw it (%s)", why);
	if (reta_read(p, now) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT(memcmp(now, before, sizeof(now)) == 0, "table unchanged (%s)", why);
	return PX_TEST_OK;
}

static int test_ethdev_reta(uint16_t p)
{
	struct px_eth_rss_reta_entry64 c[FAKE_RETA / 64];
	uint16_t want[FAKE_RETA], got[FAKE_RETA];

	for (int e = 0; e < FAKE_RETA; e++)
		c[e / 64].reta[e % 64] = want[e] = (uint16_t)(3 - e % 4);
	c[0].mask = c[1].mask = ~0ull;
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(p, c, FAKE_RETA), 0, "whole table");
	if (reta_read(p, got) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT(memcmp(got, want, sizeof(got)) == 0, "read back as written");

	/* only the masked entries change: odd entries of the second element to queue 1 */
	c[0].mask = 0;
	c[1].mask = 0xaaaaaaaaaaaaaaaaull;
	for (int i = 0; i < 64; i++)
		c[1].reta[i] = (i & 1) ? 1 : 99; /* an unmasked 99 is not looked at */
	for (int e = 64; e < FAKE_RETA; e += 2)
		want[e + 1] = 1;
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(p, c, FAKE_RETA), 0, "masked entries");
	if (reta_read(p, got) != PX_TEST_OK)
		return PX_TEST_FAILED;
	PX_TEST_ASSERT(memcmp(got, want, sizeof(got)) == 0, "only the masked entries changed");

	if (reta_refused(p, NULL, FAKE_RETA, want, "reta_conf is NULL") != PX_TEST_OK ||
	    reta_refused(p, c, 64, want, "the port's table has 128 entries") != PX_TEST_OK)
		return PX_TEST_FAILED;
	c[1].mask = 0;
	if (reta_refused(p, c, FAKE_RETA, want, "no mask bit set") != PX_TEST_OK)
		return PX_TEST_FAILED;
	c[0].mask = 1ull << 5 | 1ull << 7; /* entry 5 fine, entry 7 a queue the port lacks */
	c[0].reta[5] = 0;
	c[0].reta[7] = 4;
	if (reta_refused(p, c, FAKE_RETA, want, "entry 7: queue 4, but the port has 4 RX queues") !=
	    PX_TEST_OK)
		return PX_TEST_FAILED;
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_query(p, c, 64), -EINVAL, "query: size");
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_query(p, NULL, FAKE_RETA), -EINVAL, "query: NULL");
	px_test_log_capture_stop();
	return PX_TEST_OK;
}

static int test_ethdev_rss_hash(uint16_t p)
{
	struct fake_priv *fp = eth_dev_get(p)->dev_private;
	uint8_t key[FAKE_KEY + 1], back[FAKE_KEY];
	struct px_eth_rss_conf rc = {.rss_key = key, .rss_key_len = FAKE_KEY};
	const char *log;
	int calls;

	for (int i = 0; i < FAKE_KEY + 1; i++)
		key[i] = (uint8_t)(i * 7 + 1);
	rc.rss_hf = PX_ETH_RSS_IPV4;
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, &rc), 0, "key and hash types");
	rc = (struct px_eth_rss_conf){.rss_key = back, .rss_key_len = sizeof(back)};
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_conf_get(p, &rc), 0, "read back");
	PX_TEST_ASSERT(rc.rss_hf == PX_ETH_RSS_IPV4 && rc.rss_key_len == FAKE_KEY &&
			       memcmp(back, key, FAKE_KEY) == 0,
		       "the key and hash types as set");

	calls = fp->rss_calls;
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, NULL), -EINVAL, "NULL");
	rc = (struct px_eth_rss_conf){.rss_hf = PX_ETH_RSS_IPV6};
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, &rc), -EINVAL, "a hash type not offered");
	rc = (struct px_eth_rss_conf){.rss_key = key, .rss_key_len = FAKE_KEY + 1};
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, &rc), -EINVAL, "a key too long");
	rc.rss_key_len = FAKE_KEY - 1;
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, &rc), -EINVAL, "a key too short");
	rc.rss_key_len = FAKE_KEY - 1;
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_conf_get(p, &rc), -EINVAL, "no room for the key");
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_conf_get(p, NULL), -EINVAL, "NULL");
	log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, "0x100 are not supported (dev_info.flow_type_rss_offloads"),
		       "names the hash type: %s", log);
	PX_TEST_ASSERT(strstr(log, "RSS key of 41 bytes; the port's is 40 bytes"),
		       "names the length: %s", log);
	PX_TEST_ASSERT(strstr(log, "RSS key buffer of 39 bytes"), "names the buffer: %s", log);
	PX_TEST_ASSERT_EQ(fp->rss_calls, calls, "the driver saw none of them");
	PX_TEST_ASSERT(fp->rss_hf == PX_ETH_RSS_IPV4 && memcmp(fp->key, key, FAKE_KEY) == 0,
		       "nothing changed");

	/* a NULL key keeps the key */
	rc = (struct px_eth_rss_conf){.rss_hf = 0};
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, &rc), 0, "hash types only");
	rc = (struct px_eth_rss_conf){.rss_hf = ~0ull};
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_conf_get(p, &rc), 0, "without a key buffer");
	PX_TEST_ASSERT_EQ(rc.rss_hf, 0, "hash types 0");
	PX_TEST_ASSERT(memcmp(fp->key, key, FAKE_KEY) == 0, "key kept");
	return PX_TEST_OK;
}

/*
 * The RSS API on the fake port (a 128-entry table, a 40-byte key, IPv4 hashing): nothing before
 * the port is configured for RSS; then every bad argument refused with -EINVAL, a log line that
 * names the fix, the driver not called and nothing changed; good ones reach the driver entry
 * by entry, as masked, and read back.
 */
static int test_ethdev_rss(void)
{
	struct px_eth_rss_reta_entry64 c[FAKE_RETA / 64] = {{.mask = 1}};
	struct px_eth_conf conf = {.rxmode.mq_mode = PX_ETH_MQ_RX_RSS,
				   .rx_adv_conf.rss_conf.rss_hf = PX_ETH_RSS_IPV4};
	struct px_eth_rss_conf rc = {.rss_hf = PX_ETH_RSS_IPV4};
	const char *log;
	uint16_t p = 0;
	int ret;

	PX_TEST_ASSERT_EQ(fake_port("net_fake_rss", &p), 0, "allocate");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(p, c, FAKE_RETA), -ENOTSUP, "unconfigured");
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_hash_update(p, &rc), -ENOTSUP, "unconfigured");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 4, 1, NULL), 0, "configure without RSS");
	PX_TEST_ASSERT_EQ(px_eth_dev_rss_reta_update(p, c, FAKE_RETA), -ENOTSUP, "without RSS");
	log = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(log, "configure the port with rxmode.mq_mode = PX_ETH_MQ_RX_RSS"),
		       "says how: %s", log);
	PX_TEST_ASSERT_EQ(((struct fake_priv *)eth_dev_get(p)->dev_private)->rss_calls, 0,
			  "driver not called");
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 4, 1, &conf), 0, "configure with RSS, 4 queues");
	ret = test_ethdev_reta(p);
	if (ret == PX_TEST_OK)
		ret = test_ethdev_rss_hash(p);
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	return ret;
}
PX_TEST(ethdev_rss_autotest, PX_TEST_F_FAST, test_ethdev_rss)

/* ---- events: callbacks, the interrupt thread, LSC configuration ---- */

struct ev_seen {
	int calls;
	uint16_t port;
	enum px_eth_event_type event;
	int efd; /* the eventfd the interrupt-thread handler drains */
	struct px_eth_dev *dev;
};

static int ev_cb(uint16_t port, enum px_eth_event_type event, void *arg, void *ret_param)
{
	struct ev_seen *s = arg;

	(void)ret_param;
	s->port = port;
	s->event = event;
	__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELEASE);
	return 0;
}

/* What a driver's interrupt handler does: drain the eventfd, raise the port event. */
static void ev_intr(int fd, void *arg)
{
	struct ev_seen *s = arg;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) == sizeof(v))
		eth_dev_callback_process(s->dev, PX_ETH_EVENT_INTR_LSC, NULL);
}

static int ev_wait(struct ev_seen *s, int calls)
{
	for (int i = 0; i < 2000 && __atomic_load_n(&s->calls, __ATOMIC_ACQUIRE) < calls; i++)
		usleep(1000);
	PX_TEST_ASSERT_EQ(__atomic_load_n(&s->calls, __ATOMIC_ACQUIRE), calls, "callback calls");
	return PX_TEST_OK;
}

static int test_ethdev_events(void)
{
	struct px_eth_conf conf = {.intr_conf.lsc = 1};
	struct ev_seen seen = {0}, other = {0};
	uint64_t one = 1;
	uint16_t p = 0;

	PX_TEST_ASSERT_EQ(fake_port("net_fake_ev", &p), 0, "allocate");
	seen.dev = eth_dev_get(p);
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), -ENOTSUP,
			  "intr_conf.lsc on a driver without PX_ETH_DEV_F_INTR_LSC");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_UNKNOWN, ev_cb, &seen),
			  -EINVAL, "event UNKNOWN");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_MAX, ev_cb, &seen), -EINVAL,
			  "event MAX");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_INTR_LSC, NULL, &seen),
			  -EINVAL, "NULL callback");
	px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(
		px_eth_dev_callback_register(PX_MAX_ETHPORTS, PX_ETH_EVENT_INTR_LSC, ev_cb, &seen),
		-ENODEV, "bad port");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_link_up(p), -ENOTSUP, "no link op");
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_add(p, &(struct px_ether_addr){{2, 0, 0, 0, 0, 9}}),
			  -ENOTSUP, "no filter op");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_add(p, NULL), -EINVAL, "NULL address");
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_add(p, &(struct px_ether_addr){{0}}), -EINVAL,
			  "zero");
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_remove(p, &seen.dev->mac), -EINVAL, "own address");
	px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(px_eth_dev_mac_addr_remove(PX_MAX_ETHPORTS, NULL), -ENODEV, "bad port");
	PX_TEST_ASSERT_EQ(px_eth_dev_set_link_down(PX_MAX_ETHPORTS), -ENODEV, "bad port");
	seen.dev->dev_flags |= PX_ETH_DEV_F_INTR_LSC;
	PX_TEST_ASSERT_EQ(px_eth_dev_configure(p, 1, 1, &conf), 0, "LSC-capable driver");

	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_INTR_LSC, ev_cb, &seen), 0,
			  "register");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_INTR_LSC, ev_cb, &seen),
			  -EEXIST, "twice");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_INTR_RMV, ev_cb, &other), 0,
			  "another event");
	PX_TEST_ASSERT_EQ(eth_dev_callback_process(seen.dev, PX_ETH_EVENT_INTR_LSC, NULL), 1,
			  "one LSC callback");
	PX_TEST_ASSERT(seen.calls == 1 && other.calls == 0, "only the LSC one ran");
	PX_TEST_ASSERT(seen.port == p && seen.event == PX_ETH_EVENT_INTR_LSC, "its arguments");

	/* through the EAL interrupt thread, as a driver does it */
	seen.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	PX_TEST_ASSERT(seen.efd >= 0, "eventfd");
	PX_TEST_ASSERT_EQ(px_intr_callback_register(seen.efd, ev_intr, &seen), 0, "intr register");
	PX_TEST_ASSERT_EQ(px_intr_callback_register(seen.efd, ev_intr, &seen), -EEXIST,
			  "intr twice");
	PX_TEST_ASSERT_EQ(px_intr_callback_register(-1, ev_intr, &seen), -EINVAL, "bad fd");
	PX_TEST_ASSERT(!px_intr_is_intr_thread(), "not on the interrupt thread");
	for (int i = 0; i < 3; i++) {
		PX_TEST_ASSERT_EQ(write(seen.efd, &one, sizeof(one)), (ssize_t)sizeof(one),
				  "raise");
		if (ev_wait(&seen, 2 + i) != PX_TEST_OK)
			return PX_TEST_FAILED;
	}
	PX_TEST_ASSERT_EQ(px_intr_callback_unregister(seen.efd, ev_intr, &other), -ENOENT,
			  "other argument");
	PX_TEST_ASSERT_EQ(px_intr_callback_unregister(seen.efd, ev_intr, &seen), 0, "unregister");
	PX_TEST_ASSERT_EQ(write(seen.efd, &one, sizeof(one)), (ssize_t)sizeof(one), "raise");
	usleep(50 * 1000);
	PX_TEST_ASSERT_EQ(seen.calls, 4, "no call after unregister");
	close(seen.efd);

	PX_TEST_ASSERT_EQ(px_eth_dev_callback_unregister(p, PX_ETH_EVENT_INTR_LSC, ev_cb, &seen), 0,
			  "unregister");
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_unregister(p, PX_ETH_EVENT_INTR_LSC, ev_cb, &seen),
			  -ENOENT, "twice");
	PX_TEST_ASSERT_EQ(eth_dev_callback_process(seen.dev, PX_ETH_EVENT_INTR_LSC, NULL), 0,
			  "none left for LSC");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	/* closing the port dropped its RMV callback: a new port with the same id has none */
	PX_TEST_ASSERT_EQ(fake_port("net_fake_ev", &p), 0, "allocate again");
	PX_TEST_ASSERT_EQ(eth_dev_callback_process(eth_dev_get(p), PX_ETH_EVENT_INTR_RMV, NULL), 0,
			  "callbacks released with the port");
	PX_TEST_ASSERT_EQ(other.calls, 0, "never called");

	/* the device goes away (a PCI PMD's request hook): RMV once, no start; the lab's
	 * e1000e_hotplug_autotest sees the bursts return 0 */
	PX_TEST_ASSERT_EQ(px_eth_dev_callback_register(p, PX_ETH_EVENT_INTR_RMV, ev_cb, &other), 0,
			  "RMV callback");
	PX_TEST_ASSERT_EQ(px_eth_dev_is_removed(p), 0, "not removed yet");
	px_test_log_capture_start();
	eth_dev_removed(eth_dev_get(p));
	eth_dev_removed(eth_dev_get(p));
	PX_TEST_ASSERT_EQ(px_eth_dev_start(p), -EIO, "a removed port cannot start");
	px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(other.calls, 1, "RMV raised once");
	PX_TEST_ASSERT(other.port == p && other.event == PX_ETH_EVENT_INTR_RMV, "its arguments");
	PX_TEST_ASSERT_EQ(px_eth_dev_is_removed(p), 1, "removed");
	PX_TEST_ASSERT_EQ(px_eth_dev_close(p), 0, "close");
	PX_TEST_ASSERT_EQ(px_eth_dev_is_removed(p), -ENODEV, "closed");
	return PX_TEST_OK;
}
PX_TEST(ethdev_event_autotest, PX_TEST_F_FAST, test_ethdev_events)

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Poll-mode driver for the Intel 82574L (e1000e, 8086:10d3) over VFIO: the control path. The
 * burst functions are in e1000e_rxtx.c, the registers and descriptor layouts in e1000e_regs.h.
 *
 * Document: Intel 82574 GbE Controller Family Datasheet (316080); section numbers (§) refer to
 * it. What was learnt from QEMU's model (hw/net/e1000e_core.c, which the lab runs) says so; in
 * particular QEMU 7.2's CTRL.RST only reloads the MAC address, so start() programs every
 * register the driver relies on instead of trusting reset values.
 *
 * One RX and one TX queue with legacy descriptors. Offloads: RX checksum (IPv4, TCP, UDP), TX
 * checksum (IPv4, TCP, UDP through context descriptors), scattered RX for jumbo frames up to
 * 9018 bytes, multi-segment TX; start() chooses the burst functions for them. MSI-X: an RX
 * queue interrupt (vector 0) for applications that sleep and link-state-change events (vector
 * 1). Promiscuous and all-multicast modes, 16 unicast addresses, the hardware counters as
 * stats and xstats, link up/down through the PHY, px_eth_dev_reset(). docs/e1000e.md says more.
 *
 * Reading order: helpers; the bring-up in the datasheet's order (reset_and_init at probe, then
 * init_link, init_rx, init_tx, init_intr at start); start/stop; the other ops; the ops table;
 * probe/remove; registration.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ethdev_driver.h"
#include "px_counter.h"
#include "px_ether.h"
#include "px_intr.h"
#include "px_log.h"
#include "px_mbuf.h"
#include "px_memzone.h"
#include "bus_pci_driver.h"

#include "e1000e.h"

#define E1000E_DRIVER_NAME "net_e1000e"
#define E1000E_MIN_DESC 32
#define E1000E_MAX_DESC 4096
#define E1000E_RX_BUF_SIZE 2048 /* RCTL.BSIZE 00b, BSEX 0 */
#define E1000E_MIN_MTU 68       /* RFC 791: every IPv4 link carries 68-byte datagrams */
#define E1000E_MAX_MTU 9000     /* 9 KB jumbo frames */
#define E1000E_MAX_FRAME (E1000E_MAX_MTU + PX_ETHER_HDR_LEN + PX_ETHER_CRC_LEN)
/* the largest frame an MTU allows: header, one VLAN tag, CRC */
#define E1000E_FRAME_OVERHEAD (PX_ETHER_HDR_LEN + PX_VLAN_HLEN + PX_ETHER_CRC_LEN)
#define E1000E_MDIC_WAIT_US 10000
#define E1000E_MSIX_QUIET_US 5000 /* > QEMU's minimum EITR interval (128 us) */
#define E1000E_DEFAULT_RX_FREE_THRESH 32
#define E1000E_DEFAULT_TX_RS_THRESH 32
#define E1000E_DEFAULT_TX_FREE_THRESH 32
#define E1000E_RESET_WAIT_US 1000     /* §4.6.2: wait at least 1 us after CTRL.RST; be generous */
#define E1000E_AUTO_RD_TIMEOUT_MS 100 /* EECD.AUTO_RD: NVM auto-read after reset, 10 ms typical */

static_assert(E1000E_MAX_FRAME == 9018, "max_rx_pktlen as documented (docs/e1000e.md)");
static_assert(E1000_RAR_ENTRIES <= PX_ETH_MAX_MAC_ADDRS, "ethdev keeps every RAL/RAH entry");

/* The statistics registers, as data; all are clear-on-read (§10.2.7), so each is read exactly
 * once per update and added to a 64-bit counter. A 64-bit pair is one entry: low read first, the
 * high read clears both. The enum indexes the table and the adapter's counters. */
enum e1000e_stat {
	ST_CRCERRS,
	ST_ALGNERRC,
	ST_RXERRC,
	ST_MPC,
	ST_COLC,
	ST_RLEC,
	ST_GPRC,
	ST_BPRC,
	ST_MPRC,
	ST_GPTC,
	ST_GORC,
	ST_GOTC,
	ST_RNBC,
	ST_RUC,
	ST_ROC,
	ST_TPR,
	ST_TPT,
	ST_MPTC,
	ST_BPTC,
	E1000E_NB_HW_STATS
};

struct e1000e_hw_stat {
	const char *name;
	uint32_t reg;
	bool wide; /* reg is the low half, E1000_STAT_HIGH(reg) the high half */
};

static const struct e1000e_hw_stat e1000e_hw_stats[] = {
	[ST_CRCERRS] = {"rx_crc_errors", E1000_CRCERRS, false},
	[ST_ALGNERRC] = {"rx_alignment_errors", E1000_ALGNERRC, false},
	[ST_RXERRC] = {"rx_symbol_errors", E1000_RXERRC, false},
	[ST_MPC] = {"rx_missed_packets", E1000_MPC, false},
	[ST_COLC] = {"tx_collisions", E1000_COLC, false},
	[ST_RLEC] = {"rx_length_errors", E1000_RLEC, false},
	[ST_GPRC] = {"rx_good_packets_hw", E1000_GPRC, false},
	[ST_BPRC] = {"rx_broadcast_packets", E1000_BPRC, false},
	[ST_MPRC] = {"rx_multicast_packets", E1000_MPRC, false},
	[ST_GPTC] = {"tx_good_packets_hw", E1000_GPTC, false},
	[ST_GORC] = {"rx_good_bytes_hw", E1000_GORCL, true},
	[ST_GOTC] = {"tx_good_bytes_hw", E1000_GOTCL, true},
	[ST_RNBC] = {"rx_no_buffer_count", E1000_RNBC, false},
	[ST_RUC] = {"rx_undersize_packets", E1000_RUC, false},
	[ST_ROC] = {"rx_oversize_packets", E1000_ROC, false},
	[ST_TPR] = {"rx_total_packets", E1000_TPR, false},
	[ST_TPT] = {"tx_total_packets", E1000_TPT, false},
	[ST_MPTC] = {"tx_multicast_packets", E1000_MPTC, false},
	[ST_BPTC] = {"tx_broadcast_packets", E1000_BPTC, false},
};
static_assert(PX_DIM(e1000e_hw_stats) == E1000E_NB_HW_STATS, "one table entry per counter");

struct e1000e_adapter {
	struct px_pci_device *pci;
	volatile uint8_t *hw; /* BAR0 */
	int rx_intr_fd;       /* MSI-X vector 0 (RXQ0) while started with intr_conf.rxq, else -1 */
	int lsc_fd;           /* MSI-X vector 1 ("other": LSC) while started with intr_conf.lsc */
	bool intr_on;         /* MSI-X vectors enabled (px_pci_intr_enable) */
	struct px_eth_dev *eth; /* the port (the LSC handler's argument) */
	uint64_t stats[E1000E_NB_HW_STATS];
};

PX_LOG_REGISTER(e1000e_logtype, "pmd.net.e1000e", DEFAULT);
#define E1000E_LOG(lvl, ...) PX_LOG(lvl, e1000e_logtype, __VA_ARGS__)

/* ---- helpers ------------------------------------------------------------------------------ */

static struct e1000e_adapter *adapter_of(struct px_eth_dev *dev)
{
	return dev->dev_private;
}

/* RAL0/RAH0 as the NVM auto-read left them (§10.2.5: little-endian byte order, AV = valid). */
static int e1000e_read_mac(struct e1000e_adapter *ad, struct px_ether_addr *mac)
{
	uint32_t ral = e1000e_read(ad->hw, E1000_RAL0);
	uint32_t rah = e1000e_read(ad->hw, E1000_RAH0);

	if (!(rah & E1000_RAH_AV))
		return -ENODATA;
	for (int i = 0; i < 4; i++)
		mac->addr_bytes[i] = (uint8_t)(ral >> (8 * i));
	mac->addr_bytes[4] = (uint8_t)rah;
	mac->addr_bytes[5] = (uint8_t)(rah >> 8);
	return 0;
}

/* §10.2.5 receive address entry @i (RAL/RAH, 16 of them): little-endian byte order, AV marks the
 * entry valid; an all-zero @mac clears the entry. */
static void e1000e_write_rar(volatile uint8_t *hw, uint32_t i, const struct px_ether_addr *mac)
{
	static const struct px_ether_addr zero;
	const uint8_t *a = mac->addr_bytes;
	bool valid = memcmp(mac, &zero, sizeof(zero)) != 0;

	e1000e_write(hw, E1000_RAH(i), 0); /* invalid while the low half changes */
	e1000e_write(hw, E1000_RAL(i),
		     a[0] | (uint32_t)a[1] << 8 | (uint32_t)a[2] << 16 | (uint32_t)a[3] << 24);
	e1000e_write(hw, E1000_RAH(i), valid ? a[4] | (uint32_t)a[5] << 8 | E1000_RAH_AV : 0);
}

static void e1000e_write_mac(volatile uint8_t *hw, const struct px_ether_addr *mac)
{
	e1000e_write_rar(hw, 0, mac);
}

/* RCTL.UPE/MPE from the port's promiscuous and all-multicast flags (§10.2.5). */
static void e1000e_rctl_filter(struct px_eth_dev *dev)
{
	volatile uint8_t *hw = adapter_of(dev)->hw;
	uint32_t rctl = e1000e_read(hw, E1000_RCTL) & ~(E1000_RCTL_UPE | E1000_RCTL_MPE);

	if (dev->promiscuous)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	else if (dev->all_multicast)
		rctl |= E1000_RCTL_MPE;
	e1000e_write(hw, E1000_RCTL, rctl);
}

static int e1000e_link_update(struct px_eth_dev *dev, int wait)
{
	uint32_t status = e1000e_read(adapter_of(dev)->hw, E1000_STATUS);
	static const uint32_t speeds[] = {PX_ETH_SPEED_NUM_10M, PX_ETH_SPEED_NUM_100M,
					  PX_ETH_SPEED_NUM_1G, PX_ETH_SPEED_NUM_1G};
	static_assert(PX_DIM(speeds) == (E1000_STATUS_SPEED_MASK >> E1000_STATUS_SPEED_SHIFT) + 1,
		      "one speed per STATUS.SPEED value");

	(void)wait; /* ethdev's px_eth_link_wait() polls */
	/* §10.2.2.2 STATUS: LU, FD and SPEED are valid while LU is set */
	memset(&dev->link, 0, sizeof(dev->link));
	if (status & E1000_STATUS_LU) {
		dev->link.link_status = 1;
		dev->link.link_duplex = !!(status & E1000_STATUS_FD);
		dev->link.link_autoneg = 1;
		dev->link.link_speed =
			speeds[(status & E1000_STATUS_SPEED_MASK) >> E1000_STATUS_SPEED_SHIFT];
	}
	return 0;
}

/* Read every statistics register once and add it to its 64-bit counter (clear-on-read). */
static void e1000e_stats_update(struct e1000e_adapter *ad)
{
	for (unsigned int i = 0; i < E1000E_NB_HW_STATS; i++) {
		const struct e1000e_hw_stat *s = &e1000e_hw_stats[i];
		uint64_t v = e1000e_read(ad->hw, s->reg);

		if (s->wide)
			v |= (uint64_t)e1000e_read(ad->hw, E1000_STAT_HIGH(s->reg)) << 32;
		ad->stats[i] += v;
	}
}

/* ---- bring-up, in the datasheet's order (§4.6) -------------------------------------------- */

/*
 * §4.6.1 interrupts masked during initialisation, §4.6.2 global reset: mask, receiver and
 * transmitter off, CTRL.RST, wait, mask again (the reset unmasks), drop the causes from before,
 * then wait for the NVM auto-read (EECD.AUTO_RD) that reloads the MAC address into RAL0/RAH0.
 * At probe and at px_eth_dev_reset(); start() does the rest of the bring-up.
 */
static int e1000e_reset_and_init(struct e1000e_adapter *ad)
{
	volatile uint8_t *hw = ad->hw;

	e1000e_write(hw, E1000_IMC, E1000_IMC_ALL);
	e1000e_write(hw, E1000_RCTL, 0);
	e1000e_write(hw, E1000_TCTL, 0);
	e1000e_flush(hw);
	e1000e_write(hw, E1000_CTRL, e1000e_read(hw, E1000_CTRL) | E1000_CTRL_RST);
	usleep(E1000E_RESET_WAIT_US);
	e1000e_write(hw, E1000_IMC, E1000_IMC_ALL);
	(void)e1000e_read(hw, E1000_ICR); /* clear-on-read: drop causes from before the reset */
	for (unsigned int ms = 0; !(e1000e_read(hw, E1000_EECD) & E1000_EECD_AUTO_RD); ms++) {
		if (ms == E1000E_AUTO_RD_TIMEOUT_MS)
			return -ETIMEDOUT;
		usleep(1000);
	}
	/* learnt from QEMU 7.2: its reset keeps RCTL/TCTL and the rings, so make them explicit */
	e1000e_write(hw, E1000_RCTL, 0);
	e1000e_write(hw, E1000_TCTL, 0);
	return 0;
}

/* Link (§10.2.2 CTRL.SLU): the MAC takes the link the PHY reports; autonegotiation is the
 * PHY's (set_link_up restarts it). */
static void e1000e_init_link(struct e1000e_adapter *ad)
{
	e1000e_write(ad->hw, E1000_CTRL, e1000e_read(ad->hw, E1000_CTRL) | E1000_CTRL_SLU);
}

/*
 * §4.6.6 receive initialisation, the receiver still off: the receive addresses (RAL/RAH: the
 * port's own in entry 0, the extra ones in 1..15; a reset may have cleared them), the multicast
 * table cleared, checksum offload (RXCSUM), then the ring (base, length, head, tail) and an mbuf
 * in every descriptor. RCTL, which turns the receiver on, is start()'s last step.
 */
static int e1000e_init_rx(struct px_eth_dev *dev)
{
	struct e1000e_rx_queue *rxq = dev->rx_queues[0];
	uint64_t rx_off = dev->conf.rxmode.offloads;
	volatile uint8_t *hw = rxq->hw;

	e1000e_write_mac(hw, &dev->mac);
	for (uint32_t i = 1; i < E1000_RAR_ENTRIES; i++)
		e1000e_write_rar(hw, i, &dev->mac_addrs[i]);
	for (unsigned int i = 0; i < E1000_MTA_NUM; i++)
		e1000e_write(hw, E1000_MTA(i), 0);
	e1000e_write(hw, E1000_RXCSUM,
		     (rx_off & PX_ETH_RX_OFFLOAD_IPV4_CKSUM ? E1000_RXCSUM_IPOFLD : 0) |
			     (rx_off & (PX_ETH_RX_OFFLOAD_TCP_CKSUM | PX_ETH_RX_OFFLOAD_UDP_CKSUM)
				      ? E1000_RXCSUM_TUOFLD
				      : 0));
	memset((void *)rxq->ring, 0, (size_t)rxq->nb_desc * sizeof(*rxq->ring));
	rxq->rx_tail = 0;
	rxq->refill_pos = 0;
	rxq->pkt_first = rxq->pkt_last = NULL;
	rxq->nb_hold = rxq->nb_desc;
	e1000e_write(hw, E1000_RDBAL0, (uint32_t)rxq->mz->iova);
	e1000e_write(hw, E1000_RDBAH0, (uint32_t)(rxq->mz->iova >> 32));
	e1000e_write(hw, E1000_RDLEN0, rxq->nb_desc * (uint32_t)sizeof(*rxq->ring));
	e1000e_write(hw, E1000_RDH0, 0);
	e1000e_write(hw, E1000_RDT0, 0);
	e1000e_rx_refill(rxq); /* RDT: one behind the first empty slot (§7.1.8) */
	if (rxq->nb_hold != 0) {
		E1000E_LOG(ERR, "mempool has fewer than %u free mbufs for the RX ring",
			   rxq->nb_desc);
		return -ENOMEM;
	}
	return 0;
}

/* §4.6.7 transmit initialisation, the transmitter still off: the ring (base, length, head,
 * tail), the software state of the RS blocks, the inter-packet gap. TCTL comes in start(). */
static void e1000e_init_tx(struct e1000e_tx_queue *txq)
{
	volatile uint8_t *hw = txq->hw;

	memset((void *)txq->ring, 0, (size_t)txq->nb_desc * sizeof(*txq->ring));
	txq->tx_tail = 0;
	txq->nb_free = (uint16_t)(txq->nb_desc - 1);
	txq->next_rs = (uint16_t)(txq->rs_thresh - 1);
	txq->next_dd = (uint16_t)(txq->rs_thresh - 1);
	txq->ctx_key = 0;
	e1000e_write(hw, E1000_TDBAL0, (uint32_t)txq->mz->iova);
	e1000e_write(hw, E1000_TDBAH0, (uint32_t)(txq->mz->iova >> 32));
	e1000e_write(hw, E1000_TDLEN0, txq->nb_desc * (uint32_t)sizeof(*txq->ring));
	e1000e_write(hw, E1000_TDH0, 0);
	e1000e_write(hw, E1000_TDT0, 0);
	e1000e_write(hw, E1000_TIPG, E1000_TIPG_DEFAULT);
}

/*
 * The "other" vector (MSI-X vector 1 with intr_conf.lsc): a link status change. Runs on the
 * EAL interrupt thread. In MSI-X mode reading ICR does not clear it (§10.2.4); writing OTHER back
 * clears OTHER and the causes behind it (LSC), so the next change raises the vector again.
 */
static void e1000e_lsc_intr(int fd, void *arg)
{
	struct px_eth_dev *dev = arg;
	struct e1000e_adapter *ad = adapter_of(dev);
	uint64_t count;
	uint32_t icr;

	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return; /* spurious: nothing pending on the eventfd */
	icr = e1000e_read(ad->hw, E1000_ICR);
	e1000e_write(ad->hw, E1000_ICR, icr & (E1000_ICR_LSC | E1000_ICR_OTHER));
	if (!(icr & E1000_ICR_LSC))
		return;
	e1000e_link_update(dev, 0);
	E1000E_LOG(INFO, "%s: link %s", dev->name, dev->link.link_status ? "up" : "down");
	eth_dev_callback_process(dev, PX_ETH_EVENT_INTR_LSC, NULL);
}

/* §10.2.4 MSI-X: vector 0 for RX queue 0 (intr_conf.rxq), vector 1 for the other causes, i.e.
 * link changes (intr_conf.lsc, handled on the EAL interrupt thread). IVAR routes the causes,
 * EITR throttles them. */
static int e1000e_init_intr(struct px_eth_dev *dev)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	bool rxq = dev->conf.intr_conf.rxq, lsc = dev->conf.intr_conf.lsc;
	uint32_t ivar = 0;
	int fds[2], ret;

	if (!rxq && !lsc)
		return 0;
	ret = px_pci_intr_enable(ad->pci, lsc ? 2 : 1, fds);
	if (ret < 0) {
		E1000E_LOG(ERR, "%s: cannot enable %d MSI-X vector(s): %s", dev->name, lsc ? 2 : 1,
			   strerror(-ret));
		return ret;
	}
	ad->intr_on = true;
	if (rxq) {
		ad->rx_intr_fd = fds[0];
		ivar |= E1000_IVAR_RXQ0_VEC(0);
	}
	if (lsc) {
		ivar |= E1000_IVAR_OTHER_VEC(1);
		ret = px_intr_callback_register(fds[1], e1000e_lsc_intr, dev);
		if (ret < 0) {
			E1000E_LOG(ERR, "%s: link interrupt handler: %s", dev->name,
				   strerror(-ret));
			return ret; /* the caller quiesces: vectors off */
		}
		ad->lsc_fd = fds[1];
	}
	for (int v = 0; v < (lsc ? 2 : 1); v++)
		e1000e_write(ad->hw, E1000_EITR(v), 0); /* no throttling (QEMU 7.2: its minimum) */
	e1000e_write(ad->hw, E1000_IVAR, ivar);
	if (lsc) {
		/* clear a stale change, then arm LSC; QEMU 7.2 signals "other" only with
		 * IMS.OTHER set as well (docs/vfio.md) */
		e1000e_write(ad->hw, E1000_ICR, E1000_ICR_LSC | E1000_ICR_OTHER);
		e1000e_write(ad->hw, E1000_IMS, E1000_ICR_LSC | E1000_ICR_OTHER);
	}
	return 0;
}

/* ---- start, stop, close, reset ------------------------------------------------------------ */

/* Receiver and transmitter off (RCTL.EN, TCTL.EN: §10.2.5, §10.2.6), interrupts masked (IMC,
 * §10.2.4), then bus master cleared: from here on the device cannot DMA, so its rings and
 * buffers may be freed. */
static void e1000e_quiesce(struct e1000e_adapter *ad)
{
	e1000e_write(ad->hw, E1000_RCTL, 0);
	e1000e_write(ad->hw, E1000_TCTL, 0);
	e1000e_write(ad->hw, E1000_IMC, E1000_IMC_ALL);
	e1000e_flush(ad->hw);
	pci_bus_master(ad->pci, false);
	if (ad->lsc_fd >= 0) {
		/* waits for a running handler, unless this is it (a callback stopping the port) */
		px_intr_callback_unregister(ad->lsc_fd, e1000e_lsc_intr, ad->eth);
		ad->lsc_fd = -1;
	}
	if (ad->intr_on) {
		/* Interrupts are masked now, but a vector that fired within the last throttling
		 * interval still has its timer pending; QEMU 7.2 aborts if it expires with
		 * MSI-X off (docs/vfio.md). EITR is at its minimum (init_intr), so 5 ms is ample.
		 */
		usleep(E1000E_MSIX_QUIET_US);
		px_pci_intr_disable(ad->pci);
		ad->intr_on = false;
	}
	ad->rx_intr_fd = -1;
}

static void e1000e_queues_drop_mbufs(struct px_eth_dev *dev)
{
	struct e1000e_rx_queue *rxq = dev->rx_queues[0];
	struct e1000e_tx_queue *txq = dev->tx_queues[0];

	if (rxq) {
		for (uint16_t i = 0; i < rxq->nb_desc; i++)
			if (rxq->sw_ring[i]) {
				px_pktmbuf_free(rxq->sw_ring[i]);
				rxq->sw_ring[i] = NULL;
			}
		px_pktmbuf_free(rxq->pkt_first); /* a frame cut short by the stop */
		rxq->pkt_first = rxq->pkt_last = NULL;
	}
	if (txq) {
		px_pktmbuf_free_bulk(txq->sw_ring, txq->nb_desc);
		memset(txq->sw_ring, 0, txq->nb_desc * sizeof(struct px_mbuf *));
	}
}

/* One receive and one transmit function for the port's configuration (e1000e_rxtx.c), so the
 * burst loops never test it per packet. Refuses an MTU whose frames do not fit one receive
 * buffer unless the port scatters. */
static int e1000e_choose_bursts(struct px_eth_dev *dev)
{
	uint64_t rx_off = dev->conf.rxmode.offloads, tx_off = dev->conf.txmode.offloads;
	uint32_t frame = dev->mtu + E1000E_FRAME_OVERHEAD;

	if (frame > E1000E_RX_BUF_SIZE && !(rx_off & PX_ETH_RX_OFFLOAD_SCATTER)) {
		E1000E_LOG(
			ERR,
			"%s: MTU %u makes frames of up to %u bytes, more than one %u-byte receive "
			"buffer: configure the port with PX_ETH_RX_OFFLOAD_SCATTER",
			dev->name, dev->mtu, frame, E1000E_RX_BUF_SIZE);
		return -EINVAL;
	}
	dev->rx_pkt_burst = (rx_off & PX_ETH_RX_OFFLOAD_SCATTER) ? e1000e_recv_scattered_pkts
								 : e1000e_recv_pkts;
	dev->tx_pkt_burst = (tx_off & (PX_ETH_TX_OFFLOAD_IPV4_CKSUM | PX_ETH_TX_OFFLOAD_UDP_CKSUM |
				       PX_ETH_TX_OFFLOAD_TCP_CKSUM))
				    ? e1000e_xmit_pkts_cksum
				    : e1000e_xmit_pkts;
	return 0;
}

/*
 * The bring-up after the reset at probe, in the datasheet's order (§4.6): link, receive and
 * transmit set up while both units and bus mastering are off; then bus mastering, the
 * transmitter, the interrupts, and the receiver last. Learnt from QEMU 7.2: its CTRL.RST keeps
 * most registers, so every register the driver relies on is written here, none trusted.
 */
static int e1000e_dev_start(struct px_eth_dev *dev)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	uint32_t rctl = E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC | E1000_RCTL_BSIZE_2048;
	int ret;

	if (dev->rx_queues[0] == NULL || dev->tx_queues[0] == NULL) {
		E1000E_LOG(ERR, "%s: needs one RX and one TX queue", dev->name);
		return -EINVAL;
	}
	ret = e1000e_choose_bursts(dev);
	if (ret < 0)
		return ret;
	if (dev->mtu > PX_ETHER_MTU)
		rctl |= E1000_RCTL_LPE; /* frames above 1522 bytes */
	e1000e_init_link(ad);
	ret = e1000e_init_rx(dev);
	if (ret < 0)
		goto drop_mbufs;
	e1000e_init_tx(dev->tx_queues[0]);
	ret = pci_bus_master(ad->pci, true);
	if (ret < 0)
		goto drop_mbufs;
	/* §4.6.7, last step: the transmitter on; it fetches nothing before the first TDT write */
	e1000e_write(ad->hw, E1000_TCTL,
		     E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT | E1000_TCTL_COLD);
	ret = e1000e_init_intr(dev);
	if (ret < 0)
		goto quiesce;
	/* §4.6.6, last step: the receiver on, with rings, filters and interrupts in place */
	e1000e_write(ad->hw, E1000_RCTL, rctl);
	e1000e_rctl_filter(dev);
	return 0;

quiesce:
	e1000e_quiesce(ad);

drop_mbufs:
	e1000e_queues_drop_mbufs(dev);
	return ret;
}

static int e1000e_dev_stop(struct px_eth_dev *dev)
{
	e1000e_quiesce(adapter_of(dev));
	e1000e_queues_drop_mbufs(dev);
	return 0;
}

static int e1000e_dev_close(struct px_eth_dev *dev)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	struct px_pci_device *pci = ad->pci;

	/* ethdev stopped the port and released the queues; make sure the device is quiet even if
	 * it never started */
	e1000e_quiesce(ad);
	pci->priv = NULL;
	free(ad);
	dev->dev_private = NULL;
	/* a device being removed goes back to the kernel now, which completes the unplug */
	return dev->removed ? px_pci_release(pci) : 0;
}

/* px_eth_dev_reset(): the port is stopped (bus mastering off); a global reset brings the MAC
 * back to its power-on state, e.g. after a DMA error. Counters are kept (read before the reset
 * clears them); start() programs everything again. */
static int e1000e_dev_reset(struct px_eth_dev *dev)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	int ret;

	e1000e_stats_update(ad);
	ret = e1000e_reset_and_init(ad);
	if (ret < 0)
		E1000E_LOG(ERR, "%s: reset failed: %s", dev->name, strerror(-ret));
	e1000e_stats_update(ad); /* drop what the reset left in the clear-on-read registers */
	return ret;
}

static int e1000e_dev_configure(struct px_eth_dev *dev)
{
	(void)dev;
	return 0;
}

/* The MTU is applied at start (RCTL.LPE, the scatter check). */
static int e1000e_mtu_set(struct px_eth_dev *dev, uint16_t mtu)
{
	(void)mtu;
	if (dev->started) {
		E1000E_LOG(ERR, "%s: stop the port to change its MTU", dev->name);
		return -EBUSY;
	}
	return 0;
}

static int e1000e_dev_infos_get(struct px_eth_dev *dev, struct px_eth_dev_info *info)
{
	(void)dev;
	info->driver_name = E1000E_DRIVER_NAME;
	info->max_rx_queues = 1;
	info->max_tx_queues = 1;
	info->min_rx_bufsize = E1000E_RX_BUF_SIZE;
	info->max_rx_pktlen = E1000E_MAX_FRAME;
	info->min_mtu = E1000E_MIN_MTU;
	info->max_mtu = E1000E_MAX_MTU;
	info->max_mac_addrs = E1000_RAR_ENTRIES;
	info->rx_offload_capa = PX_ETH_RX_OFFLOAD_SCATTER | PX_ETH_RX_OFFLOAD_CHECKSUM;
	info->tx_offload_capa = PX_ETH_TX_OFFLOAD_MULTI_SEGS | PX_ETH_TX_OFFLOAD_IPV4_CKSUM |
				PX_ETH_TX_OFFLOAD_UDP_CKSUM | PX_ETH_TX_OFFLOAD_TCP_CKSUM;
	info->rx_desc_lim = (struct px_eth_desc_lim){.nb_max = E1000E_MAX_DESC,
						     .nb_min = E1000E_MIN_DESC,
						     .nb_align = E1000E_DESC_MULTIPLE};
	info->tx_desc_lim = info->rx_desc_lim;
	info->speed_capa = 0;
	return 0;
}

/* ---- link --------------------------------------------------------------------------------- */

/* A PHY register through MDIC (§10.2.2): one access at a time, READY when done, ERROR on a
 * bad one. */
static int e1000e_phy_access(struct e1000e_adapter *ad, uint32_t op, uint32_t reg, uint16_t *val)
{
	uint32_t mdic = op | E1000_MDIC_PHY_ADDR | (reg << E1000_MDIC_REG_SHIFT) |
			(op == E1000_MDIC_OP_WRITE ? *val : 0);

	e1000e_write(ad->hw, E1000_MDIC, mdic);
	for (unsigned int us = 0; us < E1000E_MDIC_WAIT_US; us += 10) {
		mdic = e1000e_read(ad->hw, E1000_MDIC);
		if (mdic & E1000_MDIC_READY) {
			if (mdic & E1000_MDIC_ERROR)
				return -EIO;
			if (op == E1000_MDIC_OP_READ)
				*val = (uint16_t)(mdic & E1000_MDIC_DATA_MASK);
			return 0;
		}
		usleep(10);
	}
	return -ETIMEDOUT;
}

static int e1000e_phy_ctrl_update(struct px_eth_dev *dev, uint16_t set, uint16_t clear)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	uint16_t v;
	int ret = e1000e_phy_access(ad, E1000_MDIC_OP_READ, E1000_PHY_CTRL, &v);

	if (ret == 0) {
		v = (uint16_t)((v & ~clear) | set);
		ret = e1000e_phy_access(ad, E1000_MDIC_OP_WRITE, E1000_PHY_CTRL, &v);
	}
	if (ret < 0)
		E1000E_LOG(ERR, "%s: PHY control register through MDIC: %s", dev->name,
			   strerror(-ret));
	return ret;
}

/* Link up: PHY powered, autonegotiation restarted (the link drops until it completes; with
 * intr_conf.lsc its completion raises the LSC event), CTRL.SLU set. */
static int e1000e_set_link_up(struct px_eth_dev *dev)
{
	e1000e_init_link(adapter_of(dev));
	return e1000e_phy_ctrl_update(dev, E1000_PHY_CTRL_AN_ENABLE | E1000_PHY_CTRL_RESTART_AN,
				      E1000_PHY_CTRL_POWER_DOWN);
}

/* Link down: PHY powered down (QEMU's model keeps the link up: it does not model power). */
static int e1000e_set_link_down(struct px_eth_dev *dev)
{
	return e1000e_phy_ctrl_update(dev, E1000_PHY_CTRL_POWER_DOWN, 0);
}

/* ---- statistics --------------------------------------------------------------------------- */

static int e1000e_stats_get(struct px_eth_dev *dev, struct px_eth_stats *st)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	const uint64_t *s = ad->stats;

	e1000e_stats_update(ad);
	st->ipackets = s[ST_GPRC];
	st->opackets = s[ST_GPTC];
	/* GORC counts the FCS (§10.2.7), which RCTL.SECRC strips: report bytes as delivered */
	st->ibytes = s[ST_GORC] - PX_ETHER_CRC_LEN * s[ST_GPRC];
	st->obytes = s[ST_GOTC];
	st->imissed = s[ST_MPC];
	st->ierrors = s[ST_CRCERRS] + s[ST_ALGNERRC] + s[ST_RXERRC] + s[ST_RLEC];
	st->oerrors = 0;
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++) {
		struct e1000e_rx_queue *rxq = dev->rx_queues[q];

		if (rxq) {
			st->rx_nombuf += px_counter64_fetch(&rxq->nombuf);
			st->ierrors += px_counter64_fetch(&rxq->errors);
		}
	}
	st->q_ipackets[0] = st->ipackets;
	st->q_opackets[0] = st->opackets;
	st->q_ibytes[0] = st->ibytes;
	st->q_obytes[0] = st->obytes;
	return 0;
}

static int e1000e_stats_reset(struct px_eth_dev *dev)
{
	struct e1000e_adapter *ad = adapter_of(dev);

	e1000e_stats_update(ad);
	memset(ad->stats, 0, sizeof(ad->stats));
	for (uint16_t q = 0; q < dev->nb_rx_queues; q++) {
		struct e1000e_rx_queue *rxq = dev->rx_queues[q];

		if (rxq) {
			px_counter64_reset(&rxq->nombuf);
			px_counter64_reset(&rxq->errors);
		}
	}
	return 0;
}

static int e1000e_xstats_get_names(struct px_eth_dev *dev, struct px_eth_xstat_name *names,
				   unsigned int size)
{
	(void)dev;
	if (names == NULL || size < E1000E_NB_HW_STATS)
		return (int)E1000E_NB_HW_STATS;
	for (unsigned int i = 0; i < E1000E_NB_HW_STATS; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s", e1000e_hw_stats[i].name);
	return (int)E1000E_NB_HW_STATS;
}

static int e1000e_xstats_get(struct px_eth_dev *dev, struct px_eth_xstat *xstats, unsigned int n)
{
	struct e1000e_adapter *ad = adapter_of(dev);

	if (xstats == NULL || n < E1000E_NB_HW_STATS)
		return (int)E1000E_NB_HW_STATS;
	e1000e_stats_update(ad);
	for (unsigned int i = 0; i < E1000E_NB_HW_STATS; i++) {
		xstats[i].id = i;
		xstats[i].value = ad->stats[i];
	}
	return (int)E1000E_NB_HW_STATS;
}

/* ---- receive filters ---------------------------------------------------------------------- */

/* ethdev sets the flag after the op succeeds; the op computes RCTL from the new value */
static int e1000e_promiscuous_enable(struct px_eth_dev *dev)
{
	dev->promiscuous = true;
	e1000e_rctl_filter(dev);
	return 0;
}

static int e1000e_promiscuous_disable(struct px_eth_dev *dev)
{
	dev->promiscuous = false;
	e1000e_rctl_filter(dev);
	return 0;
}

static int e1000e_allmulticast_enable(struct px_eth_dev *dev)
{
	dev->all_multicast = true;
	e1000e_rctl_filter(dev);
	return 0;
}

static int e1000e_allmulticast_disable(struct px_eth_dev *dev)
{
	dev->all_multicast = false;
	e1000e_rctl_filter(dev);
	return 0;
}

static int e1000e_mac_addr_set(struct px_eth_dev *dev, const struct px_ether_addr *mac)
{
	e1000e_write_mac(adapter_of(dev)->hw, mac);
	return 0;
}

static int e1000e_mac_addr_add(struct px_eth_dev *dev, const struct px_ether_addr *mac, uint32_t i)
{
	e1000e_write_rar(adapter_of(dev)->hw, i, mac);
	return 0;
}

static void e1000e_mac_addr_remove(struct px_eth_dev *dev, uint32_t i)
{
	static const struct px_ether_addr zero;

	e1000e_write_rar(adapter_of(dev)->hw, i, &zero);
}

/* ---- queues ------------------------------------------------------------------------------- */

/* A descriptor ring in DMA memory (§7.1.8, §7.2): 128-byte aligned, length a multiple of 128
 * (ethdev already checked nb_desc against nb_align = 8). */
static const struct px_memzone *e1000e_ring_alloc(struct px_eth_dev *dev, const char *dir,
						  uint16_t nb_desc, int socket)
{
	char name[PX_MEMZONE_NAMESIZE];
	const struct px_memzone *mz;

	snprintf(name, sizeof(name), "e1000e_%s_%u", dir, dev->port_id);
	mz = px_memzone_reserve(name, (size_t)nb_desc * E1000E_DESC_SIZE, socket, PX_MEMZONE_F_DMA,
				E1000E_RING_ALIGN, 0);
	if (mz == NULL)
		E1000E_LOG(ERR,
			   "%s: no DMA memory for the %s ring (%u descriptors): %s; give the EAL "
			   "hugepages (-m)",
			   dev->name, dir, nb_desc, strerror(errno));
	return mz;
}

/* The memory of a queue: its software ring (an mbuf pointer per descriptor) and its descriptor
 * ring in DMA memory. @return 0, or -ENOMEM with nothing left allocated. */
static int e1000e_queue_mem(struct px_eth_dev *dev, const char *dir, uint16_t nb_desc, int socket,
			    struct px_mbuf ***sw_ring, const struct px_memzone **mz)
{
	*sw_ring = calloc(nb_desc, sizeof(struct px_mbuf *));
	*mz = *sw_ring ? e1000e_ring_alloc(dev, dir, nb_desc, socket) : NULL;
	if (*mz == NULL) {
		free(*sw_ring);
		return -ENOMEM;
	}
	return 0;
}

static int e1000e_rx_queue_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
				 const struct px_eth_rxconf *conf, struct px_mempool *mp)
{
	struct e1000e_rx_queue *rxq;

	if (px_pktmbuf_data_room_size(mp) < PX_PKTMBUF_HEADROOM + E1000E_RX_BUF_SIZE) {
		E1000E_LOG(ERR,
			   "%s: mbufs of pool too small: need a data room of %u (headroom + %u)",
			   dev->name, PX_PKTMBUF_HEADROOM + E1000E_RX_BUF_SIZE, E1000E_RX_BUF_SIZE);
		return -EINVAL;
	}
	rxq = calloc(1, sizeof(*rxq));
	if (rxq == NULL)
		return -ENOMEM;
	if (e1000e_queue_mem(dev, "rx", nb_desc, socket, &rxq->sw_ring, &rxq->mz) < 0) {
		free(rxq);
		return -ENOMEM;
	}
	rxq->ring = rxq->mz->addr;
	rxq->hw = adapter_of(dev)->hw;
	rxq->mp = mp;
	rxq->nb_desc = nb_desc;
	rxq->port_id = dev->port_id;
	rxq->free_thresh =
		conf && conf->rx_free_thresh ? conf->rx_free_thresh : E1000E_DEFAULT_RX_FREE_THRESH;
	rxq->free_thresh = PX_MIN(rxq->free_thresh, (uint16_t)(nb_desc / 2));
	dev->rx_queues[q] = rxq;
	return 0;
}

static int e1000e_tx_queue_setup(struct px_eth_dev *dev, uint16_t q, uint16_t nb_desc, int socket,
				 const struct px_eth_txconf *conf)
{
	uint16_t rs = conf && conf->tx_rs_thresh ? conf->tx_rs_thresh : E1000E_DEFAULT_TX_RS_THRESH;
	struct e1000e_tx_queue *txq;

	if (rs == 0 || rs >= nb_desc || nb_desc % rs) {
		E1000E_LOG(ERR, "%s: tx_rs_thresh %u must divide the ring size %u", dev->name, rs,
			   nb_desc);
		return -EINVAL;
	}
	txq = calloc(1, sizeof(*txq));
	if (txq == NULL)
		return -ENOMEM;
	if (e1000e_queue_mem(dev, "tx", nb_desc, socket, &txq->sw_ring, &txq->mz) < 0) {
		free(txq);
		return -ENOMEM;
	}
	txq->ring = txq->mz->addr;
	txq->hw = adapter_of(dev)->hw;
	txq->nb_desc = nb_desc;
	txq->rs_thresh = rs;
	txq->free_thresh =
		conf && conf->tx_free_thresh ? conf->tx_free_thresh : E1000E_DEFAULT_TX_FREE_THRESH;
	txq->free_thresh = PX_MIN(txq->free_thresh, (uint16_t)(nb_desc - 1));
	dev->tx_queues[q] = txq;
	return 0;
}

static void e1000e_rx_queue_release(struct px_eth_dev *dev, uint16_t q)
{
	struct e1000e_rx_queue *rxq = dev->rx_queues[q];

	if (rxq == NULL)
		return;
	for (uint16_t i = 0; i < rxq->nb_desc; i++)
		if (rxq->sw_ring[i])
			px_pktmbuf_free(rxq->sw_ring[i]);
	px_pktmbuf_free(rxq->pkt_first);
	px_memzone_free(rxq->mz);
	free(rxq->sw_ring);
	free(rxq);
	dev->rx_queues[q] = NULL;
}

static void e1000e_tx_queue_release(struct px_eth_dev *dev, uint16_t q)
{
	struct e1000e_tx_queue *txq = dev->tx_queues[q];

	if (txq == NULL)
		return;
	px_pktmbuf_free_bulk(txq->sw_ring, txq->nb_desc);
	px_memzone_free(txq->mz);
	free(txq->sw_ring);
	free(txq);
	dev->tx_queues[q] = NULL;
}

/* RX interrupts (MSI-X, §10.2.4): IVAR routes RXQ0 to vector 0; IMS.RXQ0 arms it. The device
 * signals a cause only when it becomes pending in ICR & IMS, so arming first clears a stale
 * RXQ0 in ICR (write 1 to clear), and then, if a frame already waits at the ring's next
 * descriptor (it came while the interrupt was off), raises the cause by hand through ICS: no
 * wake-up is lost. */
static int e1000e_rx_queue_intr_enable(struct px_eth_dev *dev, uint16_t q)
{
	struct e1000e_adapter *ad = adapter_of(dev);
	struct e1000e_rx_queue *rxq = dev->rx_queues[q];

	if (ad->rx_intr_fd < 0)
		return -EINVAL; /* not started */
	e1000e_write(ad->hw, E1000_ICR, E1000_ICR_RXQ0);
	e1000e_write(ad->hw, E1000_IMS, E1000_ICR_RXQ0);
	e1000e_flush(ad->hw);
	if (rxq->ring[rxq->rx_tail].status & E1000_RXD_STAT_DD)
		e1000e_write(ad->hw, E1000_ICS, E1000_ICR_RXQ0);
	return 0;
}

static int e1000e_rx_queue_intr_disable(struct px_eth_dev *dev, uint16_t q)
{
	(void)q;
	e1000e_write(adapter_of(dev)->hw, E1000_IMC, E1000_ICR_RXQ0);
	return 0;
}

static int e1000e_rx_queue_intr_fd(struct px_eth_dev *dev, uint16_t q)
{
	(void)q;
	return adapter_of(dev)->rx_intr_fd < 0 ? -EINVAL : adapter_of(dev)->rx_intr_fd;
}

static const struct px_eth_dev_ops e1000e_ops = {
	.dev_reset = e1000e_dev_reset,
	.mtu_set = e1000e_mtu_set,
	.dev_set_link_up = e1000e_set_link_up,
	.dev_set_link_down = e1000e_set_link_down,
	.dev_infos_get = e1000e_dev_infos_get,
	.dev_configure = e1000e_dev_configure,
	.dev_start = e1000e_dev_start,
	.dev_stop = e1000e_dev_stop,
	.dev_close = e1000e_dev_close,
	.rx_queue_setup = e1000e_rx_queue_setup,
	.tx_queue_setup = e1000e_tx_queue_setup,
	.rx_queue_release = e1000e_rx_queue_release,
	.tx_queue_release = e1000e_tx_queue_release,
	.link_update = e1000e_link_update,
	.stats_get = e1000e_stats_get,
	.stats_reset = e1000e_stats_reset,
	.xstats_get_names = e1000e_xstats_get_names,
	.xstats_get = e1000e_xstats_get,
	.xstats_reset = e1000e_stats_reset,
	.promiscuous_enable = e1000e_promiscuous_enable,
	.promiscuous_disable = e1000e_promiscuous_disable,
	.allmulticast_enable = e1000e_allmulticast_enable,
	.allmulticast_disable = e1000e_allmulticast_disable,
	.mac_addr_set = e1000e_mac_addr_set,
	.mac_addr_add = e1000e_mac_addr_add,
	.mac_addr_remove = e1000e_mac_addr_remove,
	.rx_queue_intr_enable = e1000e_rx_queue_intr_enable,
	.rx_queue_intr_disable = e1000e_rx_queue_intr_disable,
	.rx_queue_intr_fd = e1000e_rx_queue_intr_fd,
};

/* ---- probe / remove ----------------------------------------------------------------------- */

/* A port per 82574L: bus mastering off, reset_and_init, the MAC address the NVM gave; start()
 * does the rest of the bring-up. */
static int e1000e_probe(struct px_pci_driver *drv, struct px_pci_device *pci)
{
	struct e1000e_adapter *ad;
	struct px_eth_dev *dev;
	int ret;

	(void)drv;
	if (pci->bar[0] == NULL || pci->bar_len[0] < E1000E_BAR0_MIN_LEN) {
		E1000E_LOG(ERR, "%s: BAR0 is not mapped (VFIO region not mmap-able?)", pci->name);
		return -ENODEV;
	}
	ad = calloc(1, sizeof(*ad));
	if (ad == NULL)
		return -ENOMEM;
	ad->pci = pci;
	ad->hw = pci->bar[0];
	ad->rx_intr_fd = -1;
	ad->lsc_fd = -1;
	ret = pci_bus_master(ad->pci, false);
	if (ret == 0)
		ret = e1000e_reset_and_init(ad);
	if (ret < 0) {
		E1000E_LOG(ERR, "%s: reset failed: %s", pci->name, strerror(-ret));
		goto free_adapter;
	}
	dev = eth_dev_allocate(pci->name);
	if (dev == NULL) {
		ret = -errno;
		goto free_adapter;
	}
	ret = e1000e_read_mac(ad, &dev->mac);
	if (ret < 0) {
		E1000E_LOG(ERR, "%s: RAH0.AV clear after reset: no MAC address in the NVM",
			   pci->name);
		goto release_port;
	}
	e1000e_stats_update(ad); /* clear-on-read: drop counts from before us */
	memset(ad->stats, 0, sizeof(ad->stats));
	dev->dev_private = ad;
	dev->ops = &e1000e_ops;
	dev->rx_pkt_burst = e1000e_recv_pkts;
	dev->tx_pkt_burst = e1000e_xmit_pkts;
	dev->mtu = PX_ETHER_MTU;
	dev->dev_flags = PX_ETH_DEV_F_INTR_LSC;
	ad->eth = dev;
	pci->priv = ad;
	eth_dev_probing_finish(dev);
	E1000E_LOG(INFO, "%s: port %u, MAC %02x:%02x:%02x:%02x:%02x:%02x", pci->name, dev->port_id,
		   dev->mac.addr_bytes[0], dev->mac.addr_bytes[1], dev->mac.addr_bytes[2],
		   dev->mac.addr_bytes[3], dev->mac.addr_bytes[4], dev->mac.addr_bytes[5]);
	return 0;

release_port:
	eth_dev_release_port(dev);
free_adapter:
	free(ad);
	return ret;
}

/* At bus cleanup: close the port if the application did not. */
static int e1000e_remove(struct px_pci_device *pci)
{
	return pci->priv ? eth_dev_close_by_name(pci->name) : 0;
}

/* The kernel asks for the device back (unplug): the port stops bursting and tells the
 * application (PX_ETH_EVENT_INTR_RMV), which closes it; the close releases the device. */
static void e1000e_request(struct px_pci_device *pci)
{
	if (pci->priv)
		eth_dev_removed_by_name(pci->name);
}

/* ---- registration ------------------------------------------------------------------------- */

static const struct px_pci_id e1000e_ids[] = {
	{0x8086, 0x10d3, PX_PCI_ANY_ID, PX_PCI_ANY_ID}, /* 82574L */
	{0, 0, 0, 0},
};

static struct px_pci_driver e1000e_driver = {
	.name = E1000E_DRIVER_NAME,
	.id_table = e1000e_ids,
	.probe = e1000e_probe,
	.remove = e1000e_remove,
	.request = e1000e_request,
};

void driver_init_e1000e(void);
void driver_init_e1000e(void)
{
	pci_driver_register_builtin(&e1000e_driver);
}

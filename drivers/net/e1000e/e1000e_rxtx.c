/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel 82574L (e1000e) poll-mode driver: the burst functions and their descriptor helpers;
 * the control path is e1000e_ethdev.c. Document: Intel 82574 GbE Controller Family Datasheet
 * (316080); section numbers (§) refer to it, e1000e_regs.h has the registers, the descriptor
 * layouts and the barrier rules. start() picks one receive and one transmit function from the
 * port's configuration, so nothing here tests it per packet, and everything they call is in
 * this file, where the compiler can inline it.
 *
 * Receive (§7.1, legacy descriptors): descriptors are read in order up to the first without
 * DD; consumed ones are refilled in batches of rx_free_thresh with one RDT write. Transmit
 * (§7.2): one descriptor per segment, RS on every tx_rs_thresh-th descriptor only, completed
 * blocks freed in bulk, one TDT write per burst.
 */
#include <string.h>

#include "px_ip.h"
#include "px_tcp.h"
#include "px_udp.h"

#include "e1000e.h"

/* ---- receive ------------------------------------------------------------------------------ */

static inline uint16_t ring_next(uint16_t i, uint16_t n)
{
	return (uint16_t)(i + 1 == n ? 0 : i + 1);
}

/* In at most two contiguous runs (the ring wraps), all-or-nothing per run: on an empty pool the
 * run is retried at the next burst. */
void e1000e_rx_refill(struct e1000e_rx_queue *rxq)
{
	uint16_t pos = rxq->refill_pos, done = 0;

	while (done < rxq->nb_hold) {
		uint16_t run =
			PX_MIN((uint16_t)(rxq->nb_hold - done), (uint16_t)(rxq->nb_desc - pos));

		if (px_pktmbuf_alloc_bulk(rxq->mp, &rxq->sw_ring[pos], run) != 0) {
			px_counter64_add(&rxq->nombuf, run);
			break;
		}
		for (uint16_t i = 0; i < run; i++) {
			rxq->ring[pos + i].addr = htole64(px_pktmbuf_iova(rxq->sw_ring[pos + i]));
			rxq->ring[pos + i].status = 0;
		}
		done += run;
		pos = (uint16_t)(pos + run == rxq->nb_desc ? 0 : pos + run);
	}
	if (done == 0)
		return;
	rxq->nb_hold -= done;
	rxq->refill_pos = pos;
	/* §7.1.8: RDT points one past the last descriptor the device may fill. It stays one behind
	 * refill_pos, so head == tail means "ring empty" and never "ring full". */
	px_io_wmb();
	e1000e_write(rxq->hw, E1000_RDT0, pos == 0 ? rxq->nb_desc - 1u : pos - 1u);
}

/*
 * Receive checksum results (RXCSUM.IPOFLD/TUOFLD on) as mbuf flags, without a branch: per
 * layer, bit 0 "checked" (IPCS, TCPCS) and bit 1 "wrong" (IPE, TCPE) index a table; IXSM says
 * the device checked nothing. With the offloads off the device sets none of them: UNKNOWN.
 * The shifts below move status bit 6 (5) to bit 0 and errors bit 6 (5) to bit 1.
 */
static_assert(E1000_RXD_STAT_IPCS == 1u << 6 && E1000_RXD_ERR_IPE == 1u << 6, "IP bits");
static_assert(E1000_RXD_STAT_TCPCS == 1u << 5 && E1000_RXD_ERR_TCPE == 1u << 5, "L4 bits");
static const uint64_t rx_ip_flags[4] = {0, PX_MBUF_F_RX_IP_CKSUM_GOOD, 0,
					PX_MBUF_F_RX_IP_CKSUM_BAD};
static const uint64_t rx_l4_flags[4] = {0, PX_MBUF_F_RX_L4_CKSUM_GOOD, 0,
					PX_MBUF_F_RX_L4_CKSUM_BAD};

static inline uint64_t rx_csum_flags(uint8_t status, uint8_t errors)
{
	uint64_t f = rx_ip_flags[((status >> 6) & 1) | ((errors >> 5) & 2)] |
		     rx_l4_flags[((status >> 5) & 1) | ((errors >> 4) & 2)];

	return (status & E1000_RXD_STAT_IXSM) ? 0 : f;
}

uint16_t e1000e_recv_pkts(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	struct e1000e_rx_queue *rxq = queue;
	uint16_t idx = rxq->rx_tail, nb = 0, errs = 0;

	while (nb < n) {
		volatile struct e1000e_rx_desc *d = &rxq->ring[idx];
		uint8_t status = d->status, errors;
		struct px_mbuf *m;

		if (!(status & E1000_RXD_STAT_DD))
			break;
		px_io_rmb(); /* length and errors after DD (see e1000e_regs.h) */
		errors = d->errors;
		m = rxq->sw_ring[idx];
		rxq->sw_ring[idx] = NULL;
		idx = ring_next(idx, rxq->nb_desc);
		rxq->nb_hold++;
		if (px_unlikely((errors & E1000_RXD_ERR_FRAME) || !(status & E1000_RXD_STAT_EOP))) {
			/* a bad frame, or a piece of one longer than a buffer (§7.1.4: EOP marks
			 * a frame's last buffer): start() made sure the MTU fits one buffer when
			 * scatter is off, so only a broken device sends those */
			errs++;
			px_pktmbuf_free(m);
			continue;
		}
		m->data_len = le16toh(d->length);
		m->pkt_len = m->data_len;
		m->port = rxq->port_id;
		m->ol_flags = rx_csum_flags(status, errors);
		pkts[nb++] = m;
	}
	rxq->rx_tail = idx;
	if (px_unlikely(errs))
		px_counter64_add(&rxq->errors, errs);
	if (rxq->nb_hold >= rxq->free_thresh)
		e1000e_rx_refill(rxq);
	return nb;
}

/*
 * Scattered receive (PX_ETH_RX_OFFLOAD_SCATTER, for an MTU above one 2 KiB buffer): the device
 * spreads a frame over consecutive descriptors, EOP on the last; the segments are chained as
 * they come, and a frame cut by the end of a burst is finished by the next one. Status and
 * errors are valid on the EOP descriptor only.
 */
uint16_t e1000e_recv_scattered_pkts(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	struct e1000e_rx_queue *rxq = queue;
	struct px_mbuf *first = rxq->pkt_first, *last = rxq->pkt_last;
	uint16_t idx = rxq->rx_tail, nb = 0, errs = 0;

	while (nb < n) {
		volatile struct e1000e_rx_desc *d = &rxq->ring[idx];
		uint8_t status = d->status, errors;
		struct px_mbuf *m;

		if (!(status & E1000_RXD_STAT_DD))
			break;
		px_io_rmb(); /* length and errors after DD */
		errors = d->errors;
		m = rxq->sw_ring[idx];
		rxq->sw_ring[idx] = NULL;
		idx = ring_next(idx, rxq->nb_desc);
		rxq->nb_hold++;
		m->data_len = le16toh(d->length);
		if (first == NULL) {
			first = m;
			first->pkt_len = m->data_len;
		} else {
			last->next = m;
			first->nb_segs++;
			first->pkt_len += m->data_len;
		}
		last = m;
		if (!(status & E1000_RXD_STAT_EOP))
			continue;
		if (px_unlikely(errors & E1000_RXD_ERR_FRAME)) {
			errs++;
			px_pktmbuf_free(first);
		} else {
			first->port = rxq->port_id;
			first->ol_flags = rx_csum_flags(status, errors);
			pkts[nb++] = first;
		}
		first = NULL;
	}
	rxq->pkt_first = first;
	rxq->pkt_last = last;
	rxq->rx_tail = idx;
	if (px_unlikely(errs))
		px_counter64_add(&rxq->errors, errs);
	if (rxq->nb_hold >= rxq->free_thresh)
		e1000e_rx_refill(rxq);
	return nb;
}

/* ---- transmit ----------------------------------------------------------------------------- */

/* Free the packets of every completed RS block. Returns the descriptors freed. */
static uint16_t e1000e_tx_cleanup(struct e1000e_tx_queue *txq)
{
	uint16_t freed = 0;

	while (txq->nb_free + freed + txq->rs_thresh <= txq->nb_desc - 1 &&
	       (txq->ring[txq->next_dd].upper & htole32(E1000_TXD_STAT_DD))) {
		/* blocks are aligned to rs_thresh, which divides nb_desc: no wrap inside one;
		 * the packet sits at its last descriptor, NULL elsewhere (skipped by free_bulk) */
		struct px_mbuf **blk = &txq->sw_ring[txq->next_dd + 1 - txq->rs_thresh];

		px_pktmbuf_free_bulk(blk, txq->rs_thresh);
		memset(blk, 0, txq->rs_thresh * sizeof(struct px_mbuf *));
		txq->ring[txq->next_dd].upper = 0;
		freed += txq->rs_thresh;
		txq->next_dd = (uint16_t)(txq->next_dd + txq->rs_thresh);
		if (txq->next_dd >= txq->nb_desc)
			txq->next_dd = (uint16_t)(txq->rs_thresh - 1);
	}
	txq->nb_free += freed;
	return freed;
}

#define E1000E_TX_CKSUM_FLAGS (PX_MBUF_F_TX_IP_CKSUM | PX_MBUF_F_TX_L4_MASK)
#define E1000E_TX_L2_L3_LEN_MASK 0xFFFFu /* tx_offload: l2_len (7 bits), then l3_len (9 bits) */

/* The context a packet needs: its checksum flags, IPv4 or not (TUCMD.IP) and its
 * l2_len/l3_len. 0 for a packet without checksum offload. */
static inline uint64_t tx_ctx_key(const struct px_mbuf *m)
{
	uint64_t f = m->ol_flags & E1000E_TX_CKSUM_FLAGS;

	return f ? f | (m->ol_flags & PX_MBUF_F_TX_IPV4) |
			       (m->tx_offload & E1000E_TX_L2_L3_LEN_MASK)
		 : 0;
}

/* Take descriptor @tail for the RS logic of e1000e_tx_one(): RS on every rs_thresh-th. */
static inline uint32_t tx_rs_bit(struct e1000e_tx_queue *txq, uint16_t tail)
{
	if (tail != txq->next_rs)
		return 0;
	txq->next_rs = (uint16_t)(txq->next_rs + txq->rs_thresh);
	if (txq->next_rs >= txq->nb_desc)
		txq->next_rs = (uint16_t)(txq->rs_thresh - 1);
	return E1000_TXD_CMD_RS;
}

static void e1000e_tx_one(struct e1000e_tx_queue *txq, struct px_mbuf *pkt)
{
	uint16_t tail = txq->tx_tail;

	for (struct px_mbuf *s = pkt; s != NULL; s = s->next) {
		volatile struct e1000e_tx_desc *d = &txq->ring[tail];
		uint32_t cmd = E1000_TXD_CMD_IFCS | s->data_len;

		if (s->next == NULL)
			cmd |= E1000_TXD_CMD_EOP;
		/* §7.2: RS on every rs_thresh-th descriptor only; its DD reports the block done */
		cmd |= tx_rs_bit(txq, tail);
		d->addr = htole64(px_pktmbuf_iova(s));
		d->lower = htole32(cmd);
		d->upper = 0;
		txq->sw_ring[tail] = s->next == NULL ? pkt : NULL;
		tail = ring_next(tail, txq->nb_desc);
	}
	txq->nb_free = (uint16_t)(txq->nb_free - pkt->nb_segs);
	txq->tx_tail = tail;
}

/*
 * A packet with checksum offload: a TCP/IP context descriptor when the device does not hold
 * the one the packet needs (offsets from l2_len and l3_len), then TCP/IP data descriptors with
 * POPTS saying which checksums to insert (on every descriptor of the packet: the 82574 reads
 * the first, QEMU's model the last, learnt from hw/net/e1000e_core.c). For TCP/UDP the
 * application puts the pseudo-header checksum in the L4 checksum field, as with every
 * DPDK-style NIC. The device writes each checksum at its offset in the frame (IPCSO, TUCSO).
 */
static void e1000e_tx_one_cksum(struct e1000e_tx_queue *txq, struct px_mbuf *pkt, uint64_t key)
{
	uint64_t f = pkt->ol_flags;
	uint32_t popts = ((f & PX_MBUF_F_TX_IP_CKSUM) ? E1000_TXD_POPTS_IXSM : 0) |
			 ((f & PX_MBUF_F_TX_L4_MASK) ? E1000_TXD_POPTS_TXSM : 0);
	uint16_t tail = txq->tx_tail, used = pkt->nb_segs;

	if (key != txq->ctx_key) {
		volatile struct e1000e_tx_ctx_desc *c = (volatile void *)&txq->ring[tail];
		uint32_t l2 = pkt->l2_len, l3 = pkt->l3_len;
		bool tcp = (f & PX_MBUF_F_TX_L4_MASK) == PX_MBUF_F_TX_TCP_CKSUM;

		c->ipcss = (uint8_t)l2;
		c->ipcso = (uint8_t)(l2 + offsetof(struct px_ipv4_hdr, hdr_checksum));
		c->ipcse = htole16((uint16_t)(l2 + l3 - 1));
		c->tucss = (uint8_t)(l2 + l3);
		c->tucso = (uint8_t)(l2 + l3 +
				     (tcp ? offsetof(struct px_tcp_hdr, cksum)
					  : offsetof(struct px_udp_hdr, dgram_cksum)));
		c->tucse = 0;
		c->cmd_and_length = htole32(E1000_TXD_CMD_DEXT | (tcp ? E1000_TXD_CTX_TCP : 0) |
					    ((f & PX_MBUF_F_TX_IPV4) ? E1000_TXD_CTX_IP : 0) |
					    tx_rs_bit(txq, tail));
		c->upper = 0;
		txq->sw_ring[tail] = NULL;
		txq->ctx_key = key;
		tail = ring_next(tail, txq->nb_desc);
		used++;
	}
	for (struct px_mbuf *s = pkt; s != NULL; s = s->next) {
		volatile struct e1000e_tx_desc *d = &txq->ring[tail];
		uint32_t cmd = E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D | E1000_TXD_CMD_IFCS |
			       s->data_len | tx_rs_bit(txq, tail);

		if (s->next == NULL)
			cmd |= E1000_TXD_CMD_EOP;
		d->addr = htole64(px_pktmbuf_iova(s));
		d->lower = htole32(cmd);
		d->upper = htole32(popts);
		txq->sw_ring[tail] = s->next == NULL ? pkt : NULL;
		tail = ring_next(tail, txq->nb_desc);
	}
	txq->nb_free = (uint16_t)(txq->nb_free - used);
	txq->tx_tail = tail;
}

/* The transmit burst when the port has TX checksum offloads: a packet without checksum flags
 * goes out as in e1000e_xmit_pkts(); one with them may need one more descriptor (context). */
uint16_t e1000e_xmit_pkts_cksum(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	struct e1000e_tx_queue *txq = queue;
	uint16_t nb;

	if (txq->nb_free < txq->free_thresh)
		e1000e_tx_cleanup(txq);
	for (nb = 0; nb < n; nb++) {
		uint64_t key = tx_ctx_key(pkts[nb]);
		uint16_t need = (uint16_t)(pkts[nb]->nb_segs + (key && key != txq->ctx_key));

		if (need > txq->nb_free && (e1000e_tx_cleanup(txq) == 0 || need > txq->nb_free))
			break;
		if (key)
			e1000e_tx_one_cksum(txq, pkts[nb], key);
		else
			e1000e_tx_one(txq, pkts[nb]);
	}
	if (nb == 0)
		return 0;
	px_io_wmb(); /* descriptors before the doorbell (see e1000e_regs.h) */
	e1000e_write(txq->hw, E1000_TDT0, txq->tx_tail);
	return nb;
}

uint16_t e1000e_xmit_pkts(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	struct e1000e_tx_queue *txq = queue;
	uint16_t nb;

	if (txq->nb_free < txq->free_thresh)
		e1000e_tx_cleanup(txq);
	for (nb = 0; nb < n; nb++) {
		if (px_unlikely(pkts[nb]->nb_segs > txq->nb_free) && e1000e_tx_cleanup(txq) == 0)
			break;
		if (pkts[nb]->nb_segs > txq->nb_free)
			break;
		e1000e_tx_one(txq, pkts[nb]);
	}
	if (nb == 0)
		return 0;
	px_io_wmb(); /* descriptors before the doorbell (see e1000e_regs.h) */
	e1000e_write(txq->hw, E1000_TDT0, txq->tx_tail);
	return nb;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The e1000e PMD's internals, shared by e1000e_ethdev.c (control) and e1000e_rxtx.c (burst
 * functions): the queues, and the burst functions that start() chooses from. Not installed.
 */
#ifndef E1000E_H
#define E1000E_H

#include <stdint.h>

#include "px_counter.h"
#include "px_mbuf.h"
#include "px_memzone.h"

#include "e1000e_regs.h"

struct e1000e_rx_queue {
	volatile struct e1000e_rx_desc *ring;
	struct px_mbuf **sw_ring;
	volatile uint8_t *hw;
	struct px_mempool *mp;
	uint16_t nb_desc;
	uint16_t rx_tail;    /* next descriptor to look at */
	uint16_t refill_pos; /* first consumed descriptor without an mbuf; RDT is one behind */
	uint16_t nb_hold;    /* consumed descriptors waiting for a refill */
	uint16_t free_thresh;
	uint16_t port_id;
	px_counter64_t nombuf; /* written by the queue's lcore, read by stats_get */
	px_counter64_t errors;
	struct px_mbuf *pkt_first; /* scattered RX: the frame being assembled, or NULL */
	struct px_mbuf *pkt_last;  /* its last segment */
	const struct px_memzone *mz;
};

struct e1000e_tx_queue {
	volatile struct e1000e_tx_desc *ring;
	struct px_mbuf **sw_ring; /* the packet at its last descriptor, NULL elsewhere */
	volatile uint8_t *hw;
	uint16_t nb_desc;
	uint16_t tx_tail; /* next free descriptor (TDT after the burst) */
	uint16_t nb_free;
	uint16_t rs_thresh;
	uint16_t free_thresh;
	uint16_t next_rs; /* the next descriptor that gets RS */
	uint16_t next_dd; /* the descriptor whose DD frees the next rs_thresh packets */
	uint64_t ctx_key; /* checksum offload: the context the device holds (0: none yet) */
	const struct px_memzone *mz;
};

/* Give the consumed descriptors [refill_pos, refill_pos + nb_hold) fresh mbufs and move RDT
 * once; what the pool cannot give now stays in nb_hold for the next call. Called by the receive
 * bursts and, with the whole ring held, by e1000e_init_rx(). */
void e1000e_rx_refill(struct e1000e_rx_queue *rxq);

/* The burst functions (px_eth_rx_burst_t, px_eth_tx_burst_t); start() picks one of each from
 * the port's configuration, so the loops never test it per packet. */
uint16_t e1000e_recv_pkts(void *rxq, struct px_mbuf **pkts, uint16_t n);
uint16_t e1000e_recv_scattered_pkts(void *rxq, struct px_mbuf **pkts, uint16_t n); /* SCATTER */
uint16_t e1000e_xmit_pkts(void *txq, struct px_mbuf **pkts, uint16_t n);
uint16_t e1000e_xmit_pkts_cksum(void *txq, struct px_mbuf **pkts, uint16_t n); /* TX cksum */

#endif /* E1000E_H */

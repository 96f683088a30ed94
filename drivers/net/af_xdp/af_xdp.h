/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp's private structures, shared by the burst functions (af_xdp_rxtx.c) and the
 * control path (af_xdp_ethdev.c). Internal to the driver.
 *
 * The kernel's side is Documentation/networking/af_xdp.rst ("af_xdp.rst" below): a UMEM of
 * frames shared with the kernel, a fill ring (user -> kernel: frames to receive into), an RX ring
 * (kernel -> user: received frames), a TX ring (user -> kernel: frames to send) and a completion
 * ring (kernel -> user: sent frames, free again).
 *
 * The UMEM is the mempool's own memory: one UMEM in unaligned-chunk mode (XDP_UMEM_UNALIGNED_
 * CHUNK_FLAG) covering every object of the pool, a chunk per mbuf. A frame is received straight
 * into an mbuf's data room, and an mbuf of that pool is sent from where it lies: no copy in
 * user space. A chunk is named by its offset in the UMEM; the kernel puts a frame at
 * chunk + frame_headroom + XDP_PACKET_HEADROOM, where frame_headroom covers the mempool's object
 * header, the px_mbuf and its private area, so the frame lands in the data room.
 */
#ifndef AF_XDP_H
#define AF_XDP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <xdp/xsk.h>

#include <px_counter.h>
#include <px_mbuf.h>

#include "ethdev_driver.h"

#define AXDP_MAX_QUEUES 16
#define AXDP_MAX_BURST 64

/* One UMEM: the memory of one mempool, registered with one queue's socket. */
struct axdp_umem {
	struct xsk_umem *umem;
	struct xsk_ring_prod fq; /* fill: mbufs the kernel may receive into */
	struct xsk_ring_cons cq; /* completion: sent mbufs, to free */
	struct px_mempool *mp;
	uint8_t *base;  /* UMEM start: the pool's objects, page-aligned down */
	uint64_t len;   /* UMEM bytes */
	uint32_t mhdr;  /* bytes from a chunk's start to its px_mbuf (the object header) */
	uint32_t room;  /* largest frame: what the kernel writes into a chunk, a TX copy holds */
	uint8_t *owned; /* per object index: 1 while the kernel holds the mbuf (fill, TX) */
};

/* One queue pair: one XDP socket bound to interface queue start_queue + index. */
struct axdp_queue {
	struct xsk_socket *xsk;
	int fd;
	int xsks_map_fd; /* xdp_prog's XSKMAP while the socket is in it, else -1 */
	uint16_t port;
	uint16_t qid; /* the interface's queue */
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	struct axdp_umem um;
	uint32_t fill_target; /* mbufs kept in the fill ring */
	uint32_t held;        /* mbufs given to the fill ring and not yet received */
	uint32_t rx_size, tx_size;
	uint32_t busy_budget;
	/* written by the queue's RX lcore; errs: a frame past the mbuf's data room, nombuf: fill
	 * ring refills the pool could not serve */
	struct eth_queue_stats rx_stats;
	/* written by the queue's TX lcore; errs: frames too large for an mbuf of the UMEM's
	 * pool */
	struct eth_queue_stats tx_stats;
	px_counter64_t tx_copies; /* mbufs not of the UMEM's pool, copied into one */
} __px_cache_aligned;

/* A chunk's UMEM offset from its mbuf, and back. */
static inline uint64_t axdp_mbuf_addr(const struct axdp_umem *um, const struct px_mbuf *m)
{
	return (uint64_t)((const uint8_t *)m - um->base) - um->mhdr;
}

static inline struct px_mbuf *axdp_addr_mbuf(const struct axdp_umem *um, uint64_t addr)
{
	return (struct px_mbuf *)(um->base + xsk_umem__extract_addr(addr) + um->mhdr);
}

static inline uint8_t *axdp_owned(const struct axdp_umem *um, struct px_mbuf *m)
{
	return &um->owned[px_mempool_get_header(m)->index];
}

uint16_t axdp_rx(void *qp, struct px_mbuf **pkts, uint16_t n);
uint16_t axdp_tx(void *qp, struct px_mbuf **pkts, uint16_t n);
/* Put up to @n new mbufs in @q's fill ring. @return how many. */
uint32_t axdp_fill(struct axdp_queue *q, uint32_t n);
/* Free every mbuf the completion ring gives back. */
void axdp_complete(struct axdp_queue *q);

#endif /* AF_XDP_H */

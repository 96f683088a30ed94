/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the split (virtio_rxtx.c) and packed (virtio_rxtx_packed.c) burst functions share: the
 * virtio-net header on receive and transmit (VIRTIO 1.2 §5.1.6) and the mbuf bookkeeping of a
 * used buffer. Not installed.
 */
#ifndef VIRTIO_RXTX_H
#define VIRTIO_RXTX_H

#include <endian.h>
#include <string.h>

#include "px_ip.h"
#include "px_tcp.h"
#include "px_udp.h"

#include "virtio.h"

#define VIRTIO_FREE_BATCH 64 /* mbufs freed (TX) or allocated (RX refill) per bulk call */

/* A packet a TX cleanup took back, into @done (VIRTIO_FREE_BATCH entries, @k used), which is
 * freed in bulk when full; the caller frees the rest at the end. */
static inline void tx_done_add(struct px_mbuf **done, unsigned int *k, struct px_mbuf *m)
{
	done[(*k)++] = m;
	if (*k == VIRTIO_FREE_BATCH) {
		px_pktmbuf_free_bulk(done, *k);
		*k = 0;
	}
}

/* The end of a TX cleanup: @freed descriptors free again, @bad used entries or descriptors
 * that named no chain counted as errors, the last @k packets of @done freed. @return @freed */
static inline uint16_t tx_done_finish(struct virtio_queue *vq, uint16_t freed, unsigned int bad,
				      struct px_mbuf **done, unsigned int k)
{
	vq->nb_free = (uint16_t)(vq->nb_free + freed);
	if (px_unlikely(bad))
		px_counter64_add(&vq->st.errs, bad);
	px_pktmbuf_free_bulk(done, k);
	return freed;
}

/* Receive checksum results (VIRTIO_NET_F_GUEST_CSUM, §5.1.6.4.1): DATA_VALID says the device
 * checked the checksums; NEEDS_CSUM says the packet's L4 checksum is partial (its data is
 * sound: it never left the host), which the flags report as "none". */
static inline uint64_t rx_csum_flags(const struct virtio_net_hdr *h)
{
	if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID)
		return PX_MBUF_F_RX_L4_CKSUM_GOOD;
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return PX_MBUF_F_RX_L4_CKSUM_NONE;
	return 0;
}

/* The buffers the packet starting in @m spans: num_buffers of its header with MRG_RXBUF
 * (§5.1.6.4), else 1. Read before the buffer is taken off the ring, so a packet whose other
 * buffers are not used yet can wait for the next burst. */
static inline uint16_t rx_num_buffers(const struct virtio_queue *vq, const struct px_mbuf *m)
{
	const struct virtio_net_hdr *h =
		(const void *)((const char *)m->buf_addr + m->data_off - vq->hdr_size);

	return vq->mrg_rxbuf ? le16toh(h->num_buffers) : 1;
}

/* Take the mbuf of used id @id off the ring (NULL for an id the driver never gave). */
static inline struct px_mbuf *rx_take(struct virtio_queue *vq, uint32_t id)
{
	struct px_mbuf *m;

	if (px_unlikely(id >= vq->nb_desc || vq->sw_ring[id] == NULL))
		return NULL;
	m = vq->sw_ring[id];
	vq->sw_ring[id] = NULL;
	virtio_id_put(vq, (uint16_t)id);
	return m;
}

/* The first buffer of a packet, @len bytes written by the device: the header, then data.
 * @return false when the device wrote less than a header. */
static inline bool rx_first(struct virtio_queue *vq, struct px_mbuf *m, uint32_t len)
{
	const struct virtio_net_hdr *h =
		(const void *)((char *)m->buf_addr + m->data_off - vq->hdr_size);

	if (px_unlikely(len < vq->hdr_size))
		return false;
	m->data_len = (uint16_t)(len - vq->hdr_size);
	m->pkt_len = m->data_len;
	m->port = vq->port_id;
	m->ol_flags = vq->rx_csum ? rx_csum_flags(h) : 0;
	return true;
}

/* A further buffer of a mergeable packet: no header, data from the buffer's start. */
static inline void rx_append(struct virtio_queue *vq, struct px_mbuf *first, struct px_mbuf *last,
			     struct px_mbuf *m, uint32_t len)
{
	m->data_off = (uint16_t)(m->data_off - vq->hdr_size);
	m->data_len = (uint16_t)len;
	last->next = m;
	first->nb_segs++;
	first->pkt_len += (uint32_t)len;
}

/*
 * TSO (§5.1.6.2, VIRTIO_NET_F_HOST_TSO4/6): px_ethdev.h has the application put the
 * pseudo-header checksum without the length in the TCP checksum field, as DPDK does; a Linux
 * host (the tap or vhost backend that segments the packet, tcp_gso_segment) takes the field to
 * hold the pseudo-header sum with the TCP length of the whole packet and adjusts it per
 * segment. Add the length in, in the packet (its headers are in the first segment, as for
 * every TSO-capable NIC).
 */
static inline void tx_tso_fix_cksum(const struct px_mbuf *m)
{
	uint8_t *ck = px_pktmbuf_mtod(m, uint8_t *) + m->l2_len + m->l3_len +
		      offsetof(struct px_tcp_hdr, cksum);
	uint16_t v, len = htobe16((uint16_t)(m->pkt_len - m->l2_len - m->l3_len));
	uint32_t sum;

	memcpy(&v, ck, sizeof(v));
	sum = (uint32_t)v + len;
	v = (uint16_t)((sum & 0xffff) + (sum >> 16));
	memcpy(ck, &v, sizeof(v));
}

/* The header of a packet (§5.1.6.2): all zero unless the packet asks for an L4 checksum and
 * the device takes VIRTIO_NET_F_CSUM, or for TSO (PX_MBUF_F_TX_TCP_SEG, HOST_TSO4/6
 * negotiated). The application put the pseudo-header checksum in the L4 checksum field, as for
 * every DPDK-style NIC; the device completes it from csum_start. */
static inline void tx_hdr_fill(const struct virtio_queue *vq, struct virtio_net_hdr *h,
			       const struct px_mbuf *m)
{
	uint64_t l4 = m->ol_flags & PX_MBUF_F_TX_L4_MASK, lo;
	uint32_t hi;

	/* Mostly the header is zero and already was (the buffer's last packet left it so): zeros
	 * stored over zeros would still take its cache line from the device's core, which then
	 * misses on it for every packet (DPDK's ASSIGN_UNLESS_EQUAL). */
	memcpy(&lo, h, sizeof(lo));
	memcpy(&hi, (const char *)h + sizeof(lo), sizeof(hi));
	if (px_unlikely((lo | hi) != 0))
		memset(h, 0, sizeof(*h));
	if ((m->ol_flags & PX_MBUF_F_TX_TCP_SEG) && vq->tx_tso) {
		tx_tso_fix_cksum(m);
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->gso_type = (m->ol_flags & PX_MBUF_F_TX_IPV6) ? VIRTIO_NET_HDR_GSO_TCPV6
								: VIRTIO_NET_HDR_GSO_TCPV4;
		h->gso_size = htole16((uint16_t)m->tso_segsz);
		h->hdr_len = htole16((uint16_t)(m->l2_len + m->l3_len + m->l4_len));
		h->csum_start = htole16((uint16_t)(m->l2_len + m->l3_len));
		h->csum_offset = htole16((uint16_t)offsetof(struct px_tcp_hdr, cksum));
		return;
	}
	if (!vq->tx_csum || l4 == 0)
		return;
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = htole16((uint16_t)(m->l2_len + m->l3_len));
	h->csum_offset = htole16(l4 == PX_MBUF_F_TX_TCP_CKSUM
					 ? (uint16_t)offsetof(struct px_tcp_hdr, cksum)
					 : (uint16_t)offsetof(struct px_udp_hdr, dgram_cksum));
}

/* The header can go into the first segment's headroom: the mbuf is ours alone and its buffer
 * its own. */
static inline bool tx_can_push(const struct virtio_queue *vq, const struct px_mbuf *m)
{
	return px_mbuf_refcnt_read(m) == 1 && !(m->ol_flags & PX_MBUF_F_INDIRECT) &&
	       px_pktmbuf_headroom(m) >= vq->hdr_size;
}

#endif /* VIRTIO_RXTX_H */

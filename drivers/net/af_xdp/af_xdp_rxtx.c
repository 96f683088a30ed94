/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp burst functions: RX from the RX ring with the fill ring refilled in bursts, TX into
 * the TX ring with completions reaped in bursts (af_xdp.rst, "Rings"). The only system calls are
 * the kicks the kernel asks for through XDP_RING_NEED_WAKEUP (af_xdp.rst, "XDP_USE_NEED_WAKEUP
 * bind flag"), and, with busy_budget, the recvfrom() that drives busy polling when a poll finds
 * nothing.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "af_xdp.h"

uint32_t axdp_fill(struct axdp_queue *q, uint32_t n)
{
	struct axdp_umem *um = &q->um;
	struct px_mbuf *m[AXDP_MAX_BURST];
	uint32_t done = 0;

	while (done < n) {
		uint32_t k = PX_MIN(n - done, (uint32_t)AXDP_MAX_BURST), idx;

		if (px_unlikely(px_pktmbuf_alloc_bulk(um->mp, m, k) < 0)) {
			px_counter64_add(&q->rx_stats.nombuf, 1);
			break;
		}
		/* cannot fail: the fill ring has room for fill_target, held never exceeds it */
		if (px_unlikely(xsk_ring_prod__reserve(&um->fq, k, &idx) != k)) {
			px_pktmbuf_free_bulk(m, k);
			break;
		}
		for (uint32_t i = 0; i < k; i++) {
			*xsk_ring_prod__fill_addr(&um->fq, idx + i) = axdp_mbuf_addr(um, m[i]);
			*axdp_owned(um, m[i]) = 1;
		}
		xsk_ring_prod__submit(&um->fq, k);
		done += k;
	}
	q->held += done;
	return done;
}

uint16_t axdp_rx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct axdp_queue *q = qp;
	struct axdp_umem *um = &q->um;
	uint64_t bytes = 0;
	uint32_t idx, got = xsk_ring_cons__peek(&q->rx, n, &idx);
	uint16_t n_ok = 0;

	if (got == 0) {
		if (q->held < q->fill_target)
			axdp_fill(q, q->fill_target - q->held);
		/* af_xdp.rst: with need_wakeup set on the fill ring the driver waits for a
		 * syscall before it receives again; busy polling is driven by the syscall */
		if (xsk_ring_prod__needs_wakeup(&um->fq) || q->busy_budget > 0)
			(void)recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		return 0;
	}
	for (uint32_t i = 0; i < got; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx, idx + i);
		struct px_mbuf *m = axdp_addr_mbuf(um, d->addr);
		uint8_t *data = um->base + xsk_umem__add_offset_to_addr(d->addr);

		*axdp_owned(um, m) = 0;
		m->data_off = (uint16_t)(data - (uint8_t *)m->buf_addr);
		/* the kernel may fill the slot's padding past the data room: such a frame
		 * does not fit the mbuf */
		if (px_unlikely(m->data_off + d->len > m->buf_len)) {
			px_pktmbuf_free(m);
			px_counter64_add(&q->rx_stats.errs, 1);
			continue;
		}
		m->data_len = (uint16_t)d->len;
		m->pkt_len = d->len;
		m->port = q->port;
		bytes += d->len;
		pkts[n_ok++] = m;
	}
	xsk_ring_cons__release(&q->rx, got);
	q->held -= got;
	axdp_fill(q, q->fill_target - q->held);
	px_counter64_add(&q->rx_stats.pkts, n_ok);
	px_counter64_add(&q->rx_stats.bytes, bytes);
	return n_ok;
}

void axdp_complete(struct axdp_queue *q)
{
	struct axdp_umem *um = &q->um;
	struct px_mbuf *m[AXDP_MAX_BURST];
	uint32_t idx, k;

	while ((k = xsk_ring_cons__peek(&um->cq, AXDP_MAX_BURST, &idx)) > 0) {
		for (uint32_t i = 0; i < k; i++) {
			m[i] = axdp_addr_mbuf(um, *xsk_ring_cons__comp_addr(&um->cq, idx + i));
			*axdp_owned(um, m[i]) = 0;
		}
		xsk_ring_cons__release(&um->cq, k);
		px_pktmbuf_free_bulk(m, k);
	}
}

/* Can @m be sent from where it lies: one segment whose data is its own, in the UMEM's pool. */
static inline bool axdp_tx_direct(const struct axdp_umem *um, const struct px_mbuf *m)
{
	return m->pool == um->mp && m->nb_segs == 1 && !(m->ol_flags & PX_MBUF_F_INDIRECT);
}

/* An mbuf of the UMEM's pool holding a copy of @m (every segment), or NULL. */
static struct px_mbuf *axdp_tx_copy(struct axdp_queue *q, const struct px_mbuf *m)
{
	struct px_mbuf *c = px_pktmbuf_alloc(q->um.mp);
	uint8_t *dst;

	if (c == NULL)
		return NULL;
	dst = px_pktmbuf_mtod(c, uint8_t *);
	for (const struct px_mbuf *s = m; s != NULL; s = s->next) {
		memcpy(dst, px_pktmbuf_mtod(s, const void *), s->data_len);
		dst += s->data_len;
	}
	c->data_len = (uint16_t)m->pkt_len;
	c->pkt_len = m->pkt_len;
	px_counter64_add(&q->tx_copies, 1);
	return c;
}

/* The kick: af_xdp.rst, the kernel sends only after a sendto() while need_wakeup is set. In
 * copy mode it sends at most its batch (32 frames) per call and answers EAGAIN when more are
 * left, or when the completion ring is full: reap it and kick again, a bounded number of
 * times, so that no frame waits in the ring for a next burst that may never come. */
static void axdp_kick(struct axdp_queue *q, uint32_t queued)
{
	if (!xsk_ring_prod__needs_wakeup(&q->tx))
		return;
	for (uint32_t tries = queued / 32 + 2; tries > 0; tries--) {
		if (sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			return;
		if (errno != EAGAIN && errno != EBUSY && errno != EINTR)
			return;
		axdp_complete(q);
	}
}

/* Queue up to @n frames of @pkts, all taking a slot of the TX ring. @return how many of @pkts
 * were consumed (queued or dropped). */
static uint16_t axdp_tx_some(struct axdp_queue *q, struct px_mbuf **pkts, uint16_t n,
			     uint32_t *queued, uint64_t *bytes)
{
	struct axdp_umem *um = &q->um;
	struct px_mbuf *out[AXDP_MAX_BURST];
	uint32_t k = 0, idx;
	uint16_t i;

	n = (uint16_t)PX_MIN((uint32_t)n, xsk_prod_nb_free(&q->tx, n));
	for (i = 0; i < n; i++) {
		struct px_mbuf *m = pkts[i];

		if (px_unlikely(!axdp_tx_direct(um, m))) {
			struct px_mbuf *c = m->pkt_len > um->room ? NULL : axdp_tx_copy(q, m);

			if (c == NULL && m->pkt_len <= um->room)
				break; /* no mbuf: the caller keeps this one */
			px_pktmbuf_free(m);
			if (c == NULL) {
				/* consumed and dropped, as a NIC drops an oversized frame */
				px_counter64_add(&q->tx_stats.errs, 1);
				continue;
			}
			m = c;
		}
		out[k++] = m;
	}
	if (k == 0)
		return i;
	/* cannot fail: nb_free said there is room for n >= k */
	if (px_unlikely(xsk_ring_prod__reserve(&q->tx, k, &idx) != k)) {
		px_counter64_add(&q->tx_stats.errs, k);
		px_pktmbuf_free_bulk(out, k);
	} else {
		for (uint32_t j = 0; j < k; j++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&q->tx, idx + j);
			uint64_t chunk = axdp_mbuf_addr(um, out[j]);
			uint64_t off =
				(uint64_t)(px_pktmbuf_mtod(out[j], uint8_t *) - um->base) - chunk;

			d->addr = chunk | off << XSK_UNALIGNED_BUF_OFFSET_SHIFT;
			d->len = out[j]->data_len;
			d->options = 0;
			*axdp_owned(um, out[j]) = 1;
			*bytes += out[j]->data_len;
		}
		xsk_ring_prod__submit(&q->tx, k);
		*queued += k;
	}
	return i;
}

uint16_t axdp_tx(void *qp, struct px_mbuf **pkts, uint16_t n)
{
	struct axdp_queue *q = qp;
	uint32_t queued = 0;
	uint64_t bytes = 0;
	uint16_t done = 0;

	axdp_complete(q);
	while (done < n) {
		uint16_t want = (uint16_t)PX_MIN(n - done, AXDP_MAX_BURST);
		uint16_t k = axdp_tx_some(q, pkts + done, want, &queued, &bytes);

		done += k;
		if (k < want)
			break; /* ring full or no mbuf */
	}
	/* a full ring kicks too: the kernel may have stopped with frames in it (its socket's send
	 * buffer full), and with nothing new queued no later burst would kick it again */
	if (queued > 0 || done < n)
		axdp_kick(q, queued);
	px_counter64_add(&q->tx_stats.pkts, queued);
	px_counter64_add(&q->tx_stats.bytes, bytes);
	return done;
}

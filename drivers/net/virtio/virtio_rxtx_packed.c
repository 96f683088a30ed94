/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net PMD: the burst functions on packed virtqueues (VIRTIO_F_RING_PACKED, VIRTIO 1.2
 * §2.8). One ring of descriptors that driver and device both write: the driver makes a
 * descriptor available with AVAIL = its wrap counter and USED = the inverse (§2.8.1); the
 * device marks a used one with both bits equal to its own wrap counter, writing one used
 * descriptor per chain (buffer id and length) in the slot of the chain's first descriptor, so
 * the driver steps over the chain length it remembers for that id (§2.8.7).
 *
 * A chain's first descriptor gets its flags last, after a write barrier, so the device never
 * sees a partial chain (§2.8.6). The driver's event suppression structure says DISABLE (no
 * interrupts: it polls); the device's says whether it wants a notify: ENABLE, DISABLE, or with
 * VIRTIO_F_RING_EVENT_IDX the descriptor position after which it does (§2.8.10).
 *
 * With VIRTIO_F_IN_ORDER (§2.8.8) the device uses buffers in the order they were made
 * available, and may write one used descriptor for a whole batch: in the slot of the batch's
 * first descriptor, with the buffer id of its last buffer, then skip to the slot after the batch.
 * The driver then gives each buffer the id of its first descriptor's position (ids in ring
 * order, no free list), so an id says where a batch ends: TX takes back every chain from the used
 * position up to it; RX writes a batch out as one used descriptor per buffer (the skipped
 * buffers "used completely", §2.8.8) and reads it as usual. The bursts are instantiated for
 * in_order and not (virtio_*_pkts_packed_inorder), chosen at start.
 *
 * The same buffer layout and header handling as the split ring (virtio_rxtx.h).
 */
#include "virtio_rxtx.h"

#define VRING_PACKED_EVENT_WRAP_SHIFT 15

static inline uint16_t avail_flags(const struct virtio_queue *vq)
{
	return vq->avail_wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED;
}

static inline void avail_advance(struct virtio_queue *vq)
{
	if (++vq->avail_idx == vq->nb_desc) {
		vq->avail_idx = 0;
		vq->avail_wrap = !vq->avail_wrap;
	}
}

static inline void used_advance(struct virtio_queue *vq, uint16_t n)
{
	vq->used_idx = (uint16_t)(vq->used_idx + n);
	if (vq->used_idx >= vq->nb_desc) {
		vq->used_idx = (uint16_t)(vq->used_idx - vq->nb_desc);
		vq->used_wrap = !vq->used_wrap;
	}
}

/* §2.8.1: used when AVAIL == USED == the wrap counter of the used descriptors to come */
static inline bool desc_is_used(const struct virtio_queue *vq, uint16_t pos, bool wrap)
{
	uint16_t f = le16toh(vq->packed.desc[pos].flags);
	bool avail = f & VRING_PACKED_DESC_F_AVAIL, used = f & VRING_PACKED_DESC_F_USED;

	return avail == used && used == wrap;
}

/* After making @added descriptors available: notify if the device's event suppression
 * structure asks for it (§2.8.10). Positions are compared as in the split ring's
 * vring_need_event(), modulo 2^16: old = new - added also across the ring's end. */
static inline void packed_kick(struct virtio_queue *vq, uint16_t added)
{
	uint16_t flags, off_wrap, event, new_pos = vq->avail_idx;
	bool kick;

	px_smp_mb(); /* the descriptors' flags before the load of the device's structure */
	flags = le16toh(vq->packed.device->flags);
	if (flags == VRING_PACKED_EVENT_FLAG_DESC && vq->event_idx) {
		off_wrap = le16toh(vq->packed.device->off_wrap);
		event = off_wrap & ((1u << VRING_PACKED_EVENT_WRAP_SHIFT) - 1);
		/* an event position of the other lap lies one ring size back (or ahead) */
		if ((bool)(off_wrap >> VRING_PACKED_EVENT_WRAP_SHIFT) != vq->avail_wrap)
			event = (uint16_t)(event - vq->nb_desc);
		kick = vring_need_event(event, new_pos, (uint16_t)(new_pos - added));
	} else {
		kick = flags != VRING_PACKED_EVENT_FLAG_DISABLE;
	}
	px_counter64_add(&vq->c.bursts, 1);
	px_counter64_add(&vq->c.descs, added);
	if (kick) {
		virtio_notify(vq);
		px_counter64_add(&vq->c.notifies, 1);
	} else {
		px_counter64_add(&vq->c.suppressed, 1);
	}
}

uint16_t virtio_packed_used_end(const struct virtio_queue *vq, bool *wrap)
{
	uint16_t pos = vq->used_idx, left = (uint16_t)(vq->nb_desc - vq->nb_free), last;

	*wrap = vq->used_wrap;
	while (left > 0 && desc_is_used(vq, pos, *wrap)) {
		px_io_rmb(); /* the flags before the id */
		last = le16toh(vq->packed.desc[pos].id);
		if (!vq->in_order || last >= vq->nb_desc || vq->sw_ring[last] == NULL)
			last = pos; /* out of order, or a bad id: this slot's chain alone */
		for (uint16_t cur = pos; left > 0; cur = pos) {
			uint16_t id = vq->in_order ? cur : le16toh(vq->packed.desc[cur].id);
			uint16_t len =
				id < vq->nb_desc && vq->chain_len[id] ? vq->chain_len[id] : 1;

			len = PX_MIN(len, left);
			left = (uint16_t)(left - len);
			pos = (uint16_t)(pos + len);
			if (pos >= vq->nb_desc) {
				pos = (uint16_t)(pos - vq->nb_desc);
				*wrap = !*wrap;
			}
			if (cur == last)
				break;
		}
	}
	return pos;
}

/* ---- receive ------------------------------------------------------------------------------ */

/* With @in_order a buffer's id is its position (§2.8.8: a batch's id says where it ends). */
static __px_always_inline uint16_t packed_rx_refill(struct virtio_queue *vq, bool notify,
						    const bool in_order)
{
	struct px_mbuf *bufs[VIRTIO_FREE_BATCH];
	uint16_t hdr = vq->hdr_size, added = 0;

	while (vq->nb_free > 0) {
		uint16_t n = PX_MIN(vq->nb_free, (uint16_t)VIRTIO_FREE_BATCH);
		uint16_t first = vq->avail_idx, first_flags = 0;

		if (px_pktmbuf_alloc_bulk(vq->mp, bufs, n) != 0) {
			px_counter64_add(&vq->st.nombuf, n);
			break;
		}
		for (uint16_t i = 0; i < n; i++) {
			struct px_mbuf *m = bufs[i];
			uint16_t id = in_order ? vq->avail_idx : virtio_id_take(vq);
			volatile struct vring_packed_desc *d = &vq->packed.desc[vq->avail_idx];
			uint16_t flags = VRING_DESC_F_WRITE | avail_flags(vq);

			vq->sw_ring[id] = m;
			vq->chain_len[id] = 1;
			d->addr = htole64(m->buf_iova + m->data_off - hdr);
			d->len = htole32((uint32_t)(m->buf_len - m->data_off + hdr));
			d->id = htole16(id);
			if (i == 0)
				first_flags = flags; /* written last: it releases the batch */
			else
				d->flags = htole16(flags);
			avail_advance(vq);
		}
		px_io_wmb();
		vq->packed.desc[first].flags = htole16(first_flags);
		vq->nb_free -= n;
		added += n;
	}
	if (added == 0)
		return vq->nb_free;
	if (notify)
		packed_kick(vq, added);
	else
		px_counter64_add(&vq->c.descs, added);
	return vq->nb_free;
}

uint16_t virtio_packed_rx_refill(struct virtio_queue *vq, bool notify)
{
	return vq->in_order ? packed_rx_refill(vq, notify, true)
			    : packed_rx_refill(vq, notify, false);
}

/* The length a receive buffer offers the device: the header in its headroom, then the rest. */
static inline uint32_t rx_buf_len(const struct virtio_queue *vq, const struct px_mbuf *m)
{
	return (uint32_t)(m->buf_len - m->data_off + vq->hdr_size);
}

/* RX with in_order: the used descriptor at @pos (lap @wrap) names buffer @last, a later
 * position: the buffers from @pos to @last are used, @last with the descriptor's length and
 * the others whole (§2.8.8). Write them out as one used descriptor each, as a device without
 * IN_ORDER would, so the receive loop reads them as usual: the device does not come back to
 * these slots before the driver makes them available again. @return false for an id that is
 * not a buffer the device holds after @pos (nothing written then). */
static bool rx_batch_expand(struct virtio_queue *vq, uint16_t pos, bool wrap, uint16_t last)
{
	volatile struct vring_packed_desc *desc = vq->packed.desc;
	uint16_t nb_desc = vq->nb_desc, held = (uint16_t)(nb_desc - vq->nb_free);
	uint16_t ahead = (uint16_t)((pos + nb_desc - vq->used_idx) % nb_desc);
	uint16_t used = VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED;
	uint16_t f = wrap ? used : 0;
	uint32_t len = le32toh(desc[pos].len);

	/* the device holds the buffers from used_idx on, in ring order */
	if (last >= nb_desc || (uint16_t)((last + nb_desc - pos) % nb_desc) >= held - ahead)
		return false;
	for (uint16_t p = pos;;) {
		desc[p].id = htole16(p);
		desc[p].len = htole32(p == last ? len : rx_buf_len(vq, vq->sw_ring[p]));
		desc[p].flags = htole16(f);
		if (p == last)
			return true;
		if (++p == nb_desc) {
			p = 0;
			f ^= used;
		}
	}
}

/* rx_take(); with @in_order the free list is not kept (ids are slots), only the count. */
static __px_always_inline struct px_mbuf *packed_rx_take(struct virtio_queue *vq, uint32_t id,
							 const bool in_order)
{
	struct px_mbuf *m;

	if (!in_order)
		return rx_take(vq, id);
	if (px_unlikely(id >= vq->nb_desc || vq->sw_ring[id] == NULL))
		return NULL;
	m = vq->sw_ring[id];
	vq->sw_ring[id] = NULL;
	vq->nb_free++;
	return m;
}

/* Are the @n used descriptors from the current used position all there? With @in_order a
 * batch among them is written out per buffer on the way. */
static __px_always_inline bool used_run_ready(struct virtio_queue *vq, uint16_t n,
					      const bool in_order)
{
	uint16_t pos = vq->used_idx, id;
	bool wrap = vq->used_wrap;

	for (uint16_t i = 1; i < n; i++) {
		if (++pos == vq->nb_desc) {
			pos = 0;
			wrap = !wrap;
		}
		if (!desc_is_used(vq, pos, wrap))
			return false;
		if (!in_order)
			continue;
		px_io_rmb(); /* the flags before the id */
		id = le16toh(vq->packed.desc[pos].id);
		if (px_unlikely(id != pos))
			rx_batch_expand(vq, pos, wrap, id); /* a broken id: the loop counts it */
	}
	return true;
}

static __px_always_inline uint16_t packed_recv(struct virtio_queue *vq, struct px_mbuf **pkts,
					       uint16_t n, const bool in_order)
{
	uint16_t nb = 0, errs = 0;
	uint64_t bytes = 0;

	while (nb < n && desc_is_used(vq, vq->used_idx, vq->used_wrap)) {
		volatile struct vring_packed_desc *d = &vq->packed.desc[vq->used_idx];
		struct px_mbuf *m, *last;
		uint16_t nbuf, id;

		px_io_rmb(); /* the flags before the id and length they cover */
		id = le16toh(d->id);
		if (in_order && px_unlikely(id != vq->used_idx)) {
			if (!rx_batch_expand(vq, vq->used_idx, vq->used_wrap, id)) {
				errs++; /* not a buffer the device holds: drop this slot's */
				px_pktmbuf_free(packed_rx_take(vq, vq->used_idx, in_order));
				used_advance(vq, 1);
				continue;
			}
			id = vq->used_idx;
		}
		if (px_unlikely(id >= vq->nb_desc || vq->sw_ring[id] == NULL)) {
			errs++; /* an id the driver never gave: skip the slot */
			used_advance(vq, 1);
			continue;
		}
		nbuf = rx_num_buffers(vq, vq->sw_ring[id]);
		if (nbuf > 1 && !used_run_ready(vq, nbuf, in_order))
			break; /* the rest of the packet is not used yet: next burst */
		m = packed_rx_take(vq, id, in_order);
		if (px_unlikely(!rx_first(vq, m, le32toh(d->len)) || nbuf == 0)) {
			errs++; /* shorter than the header, or num_buffers 0 */
			px_pktmbuf_free(m);
			used_advance(vq, 1);
			continue;
		}
		used_advance(vq, 1);
		last = m;
		for (uint16_t k = 1; k < nbuf; k++) {
			struct px_mbuf *s;

			d = &vq->packed.desc[vq->used_idx];
			s = packed_rx_take(vq, le16toh(d->id), in_order);
			used_advance(vq, 1);
			if (px_unlikely(s == NULL))
				break;
			rx_append(vq, m, last, s, le32toh(d->len));
			last = s;
		}
		if (px_unlikely(nbuf == 0 || m->nb_segs != nbuf)) {
			errs++;
			px_pktmbuf_free(m);
			continue;
		}
		bytes += m->pkt_len;
		pkts[nb++] = m;
	}
	if (nb || errs) {
		px_counter64_add(&vq->st.pkts, nb);
		px_counter64_add(&vq->st.bytes, bytes);
		if (px_unlikely(errs))
			px_counter64_add(&vq->st.errs, errs);
	}
	if (vq->nb_free >= vq->free_thresh)
		packed_rx_refill(vq, true, in_order);
	return nb;
}

uint16_t virtio_recv_pkts_packed(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	return packed_recv(queue, pkts, n, false);
}

uint16_t virtio_recv_pkts_packed_inorder(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	return packed_recv(queue, pkts, n, true);
}

/* ---- transmit ----------------------------------------------------------------------------- */

/* Take back every chain the device used; free their packets in bulk. @return descriptors.
 * The ring state lives in locals for the loop, as in split_tx_cleanup(). */
static uint16_t packed_tx_cleanup(struct virtio_queue *vq)
{
	struct px_mbuf *done[VIRTIO_FREE_BATCH];
	const volatile struct vring_packed_desc *desc = vq->packed.desc;
	struct px_mbuf **sw_ring = vq->sw_ring;
	uint16_t *id_next = vq->id_next;
	const uint16_t *chain_len = vq->chain_len;
	uint16_t pos = vq->used_idx, head = vq->free_head, freed = 0, nb_desc = vq->nb_desc;
	bool wrap = vq->used_wrap;
	unsigned int k = 0, bad = 0;

	for (;;) {
		uint16_t f = le16toh(desc[pos].flags), id, len;

		/* §2.8.1: used when AVAIL == USED == the used wrap counter */
		if (!!(f & VRING_PACKED_DESC_F_AVAIL) != wrap ||
		    !!(f & VRING_PACKED_DESC_F_USED) != wrap)
			break;
		px_io_rmb(); /* the flags before the id */
		id = le16toh(desc[pos].id);
		len = 1; /* a broken device: skip the slot */
		if (px_likely(id < nb_desc && sw_ring[id] != NULL)) {
			tx_done_add(done, &k, sw_ring[id]);
			sw_ring[id] = NULL;
			len = chain_len[id];
			id_next[id] = head;
			head = id;
			freed = (uint16_t)(freed + len);
		} else {
			bad++;
		}
		pos = (uint16_t)(pos + len);
		if (pos >= nb_desc) {
			pos = (uint16_t)(pos - nb_desc);
			wrap = !wrap;
		}
	}
	vq->used_idx = pos;
	vq->used_wrap = wrap;
	vq->free_head = head;
	return tx_done_finish(vq, freed, bad, done, k);
}

/* packed_tx_cleanup() with in_order (§2.8.8): a used descriptor stands for every chain from its
 * slot up to the chain whose id it carries (one used descriptor per batch), and a chain's id is
 * the position of its first descriptor, so the chains are walked in ring order by their lengths.
 * The free list is not used: ids come back in ring order by themselves. */
static uint16_t packed_tx_cleanup_inorder(struct virtio_queue *vq)
{
	struct px_mbuf *done[VIRTIO_FREE_BATCH];
	const volatile struct vring_packed_desc *desc = vq->packed.desc;
	struct px_mbuf **sw_ring = vq->sw_ring;
	const uint16_t *chain_len = vq->chain_len;
	uint16_t pos = vq->used_idx, freed = 0, nb_desc = vq->nb_desc, last = 0;
	bool wrap = vq->used_wrap, more = false; /* more: chains of the batch still to take */
	unsigned int k = 0, bad = 0;

	/* one chain a round (one loop: a nested one costs register moves per used descriptor) */
	for (;;) {
		uint16_t cur = pos;

		if (!more) {
			uint16_t f = le16toh(desc[pos].flags);

			/* §2.8.1: used when AVAIL == USED == the used wrap counter */
			if (!!(f & VRING_PACKED_DESC_F_AVAIL) != wrap ||
			    !!(f & VRING_PACKED_DESC_F_USED) != wrap)
				break;
			px_io_rmb(); /* the flags before the id */
			last = le16toh(desc[pos].id);
			if (px_unlikely(last >= nb_desc || sw_ring[last] == NULL)) {
				bad++; /* not a chain the device holds: this slot's alone */
				if (sw_ring[pos] == NULL)
					break; /* a used mark where the device holds nothing */
				last = pos;
			}
		}
		/* the device holds chains from pos on, one after the other: @last is among them */
		tx_done_add(done, &k, sw_ring[cur]);
		sw_ring[cur] = NULL;
		freed = (uint16_t)(freed + chain_len[cur]);
		pos = (uint16_t)(pos + chain_len[cur]);
		if (pos >= nb_desc) {
			pos = (uint16_t)(pos - nb_desc);
			wrap = !wrap;
		}
		more = cur != last;
	}
	vq->used_idx = pos;
	vq->used_wrap = wrap;
	return tx_done_finish(vq, freed, bad, done, k);
}

/* One packet as a chain of @need descriptors under one buffer id (@in_order: the position of
 * its first descriptor); the first descriptor's flags are written last. */
static __px_always_inline void packed_tx_one(struct virtio_queue *vq, struct px_mbuf *pkt,
					     uint16_t need, bool push, const bool in_order)
{
	uint16_t id = in_order ? vq->avail_idx : virtio_id_take(vq);
	uint16_t first = vq->avail_idx, first_flags = 0;
	const struct px_mbuf *s = pkt;

	for (uint16_t k = 0; k < need; k++) {
		volatile struct vring_packed_desc *d = &vq->packed.desc[vq->avail_idx];
		uint16_t flags = avail_flags(vq) | (k + 1 < need ? VRING_DESC_F_NEXT : 0);

		if (k == 0 && push) {
			tx_hdr_fill(vq, (void *)(px_pktmbuf_mtod(pkt, char *) - vq->hdr_size), pkt);
			d->addr = htole64(px_pktmbuf_iova(pkt) - vq->hdr_size);
			d->len = htole32((uint32_t)pkt->data_len + vq->hdr_size);
			s = pkt->next;
		} else if (k == 0) {
			tx_hdr_fill(vq, &vq->hdrs[id], pkt);
			d->addr = htole64(vq->hdrs_iova +
					  (uint64_t)id * sizeof(struct virtio_net_hdr));
			d->len = htole32(vq->hdr_size);
		} else {
			d->addr = htole64(px_pktmbuf_iova(s));
			d->len = htole32(s->data_len);
			s = s->next;
		}
		d->id = htole16(id);
		if (k == 0)
			first_flags = flags;
		else
			d->flags = htole16(flags);
		avail_advance(vq);
	}
	px_io_wmb();
	vq->packed.desc[first].flags = htole16(first_flags);
	vq->sw_ring[id] = pkt;
	vq->chain_len[id] = need;
	vq->nb_free = (uint16_t)(vq->nb_free - need);
}

/* The common packet, one segment whose headroom takes the header, in one descriptor: up to @n
 * of them while descriptors are free, the ring state in locals for the run. Every descriptor
 * but the run's first gets its flags at once; the first's come last, after a write barrier, so
 * the device sees the run whole (§2.8.6, as for one chain). @return packets made available;
 * it stops at the first that is not that case. */
static __px_always_inline uint16_t packed_tx_simple(struct virtio_queue *vq, struct px_mbuf **pkts,
						    uint16_t n, uint64_t *bytes,
						    const bool in_order)
{
	volatile struct vring_packed_desc *desc = vq->packed.desc;
	struct px_mbuf **sw_ring = vq->sw_ring;
	uint16_t *chain_len = vq->chain_len;
	const uint16_t *id_next = vq->id_next;
	uint16_t id = vq->free_head, nb_free = vq->nb_free, pos = vq->avail_idx;
	uint16_t first = pos, first_flags = 0, nb_desc = vq->nb_desc, hdr = vq->hdr_size, i;
	bool wrap = vq->avail_wrap;
	uint64_t b = 0;

	for (i = 0; i < n && nb_free > 0; i++) {
		struct px_mbuf *m = pkts[i];
		volatile struct vring_packed_desc *d = &desc[pos];
		uint16_t flags = wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED;

		if (px_unlikely(m->next != NULL || !tx_can_push(vq, m)))
			break;
		if (in_order)
			id = pos;
		tx_hdr_fill(vq, (void *)(px_pktmbuf_mtod(m, char *) - hdr), m);
		d->addr = htole64(px_pktmbuf_iova(m) - hdr);
		d->len = htole32((uint32_t)m->data_len + hdr);
		d->id = htole16(id);
		if (i == 0)
			first_flags = flags;
		else
			d->flags = htole16(flags);
		sw_ring[id] = m;
		chain_len[id] = 1;
		if (!in_order)
			id = id_next[id];
		nb_free--;
		b += m->pkt_len;
		if (++pos == nb_desc) {
			pos = 0;
			wrap = !wrap;
		}
	}
	if (i == 0)
		return 0;
	px_io_wmb();
	desc[first].flags = htole16(first_flags);
	if (!in_order)
		vq->free_head = id;
	vq->nb_free = nb_free;
	vq->avail_idx = pos;
	vq->avail_wrap = wrap;
	*bytes += b;
	return i;
}

static __px_always_inline uint16_t packed_xmit(struct virtio_queue *vq, struct px_mbuf **pkts,
					       uint16_t n, const bool in_order)
{
	uint16_t (*const cleanup)(struct virtio_queue *) =
		in_order ? packed_tx_cleanup_inorder : packed_tx_cleanup;
	uint16_t added, nb;
	uint64_t bytes = 0;

	if (vq->nb_free < vq->free_thresh)
		cleanup(vq);
	nb = added = packed_tx_simple(vq, pkts, n, &bytes, in_order);
	for (; nb < n; nb++) {
		struct px_mbuf *m = pkts[nb];
		bool push = tx_can_push(vq, m);
		uint16_t need = (uint16_t)(m->nb_segs + !push);

		if (need > vq->nb_free && (cleanup(vq) == 0 || need > vq->nb_free))
			break;
		packed_tx_one(vq, m, need, push, in_order);
		added = (uint16_t)(added + need);
		bytes += m->pkt_len;
	}
	if (nb == 0)
		return 0;
	packed_kick(vq, added);
	px_counter64_add(&vq->st.pkts, nb);
	px_counter64_add(&vq->st.bytes, bytes);
	return nb;
}

uint16_t virtio_xmit_pkts_packed(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	return packed_xmit(queue, pkts, n, false);
}

uint16_t virtio_xmit_pkts_packed_inorder(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	return packed_xmit(queue, pkts, n, true);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net PMD: the burst functions on split virtqueues (VIRTIO 1.2 §2.7) and the queue
 * state both ring layouts share; the packed ring's bursts are in virtio_rxtx_packed.c.
 *
 * Receive: one device-writable descriptor per mbuf; the virtio-net header (§5.1.6) lands in
 * the mbuf's headroom, just before the frame, so the frame starts at the usual data offset.
 * With VIRTIO_NET_F_MRG_RXBUF a frame spans num_buffers buffers and becomes an mbuf chain.
 * Consumed buffers are refilled in batches of free_thresh, made available with one index
 * update and at most one notify.
 *
 * Transmit: the header goes into the packet's headroom when the mbuf is ours alone (one
 * descriptor per segment, VIRTIO_F_VERSION_1 implies any layout), else into a per-queue slot
 * (one descriptor more). One avail->idx update and at most one notify per burst; completed
 * chains are taken back in batches when fewer than free_thresh descriptors are free.
 *
 * Notifications (§2.7.7, §2.7.10): the driver notifies only when the device asks for it: its
 * used->flags lacks VRING_USED_F_NO_NOTIFY, or with VIRTIO_F_RING_EVENT_IDX the new available
 * index passed its avail_event. The driver asks for no interrupts: it polls.
 */
#include <endian.h>
#include <string.h>
#include <unistd.h>

#include "virtio_rxtx.h"

/* ---- queue state shared by both layouts --------------------------------------------------- */

void virtio_queue_reset(struct virtio_queue *vq)
{
	memset(vq->mz->addr, 0, vq->mz->len);
	for (uint16_t i = 0; i < vq->nb_desc; i++)
		vq->id_next[i] = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->nb_free = vq->nb_desc;
	vq->avail_idx = 0;
	vq->used_idx = 0;
	vq->avail_wrap = true; /* §2.8.1: both wrap counters start at 1 */
	vq->used_wrap = true;
	if (vq->packed_ring) {
		vq->packed.driver->flags = htole16(VRING_PACKED_EVENT_FLAG_DISABLE);
		return;
	}
	vq->split.avail->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	/* An in-order RX ring gives buffer i in descriptor i at avail slot i, always: those
	 * entries and the flags are written once, here (a refill then writes addr and len) */
	if (vq->in_order && vq->mp != NULL)
		for (uint16_t i = 0; i < vq->nb_desc; i++) {
			vq->split.avail->ring[i] = htole16(i);
			vq->split.desc[i].flags = htole16(VRING_DESC_F_WRITE);
		}
}

/* vhost-user's doorbell (virtio_user.c): the backend polls the eventfd's counter. A failed write
 * (the counter at its maximum) means a kick is pending anyway. */
void virtio_kick_fd(struct virtio_queue *vq)
{
	uint64_t one = 1;

	(void)!write(vq->kick_fd, &one, sizeof(one));
}

void virtio_queue_drop_mbufs(struct virtio_queue *vq)
{
	px_pktmbuf_free_bulk(vq->sw_ring, vq->nb_desc);
	memset(vq->sw_ring, 0, vq->nb_desc * sizeof(struct px_mbuf *));
}

/* ---- split ring helpers ------------------------------------------------------------------- */

/* used_event (§2.7.10) sits after the avail ring, avail_event after the used ring */
static inline volatile uint16_t *split_used_event(struct virtio_queue *vq)
{
	return &vq->split.avail->ring[vq->nb_desc];
}

static inline volatile uint16_t *split_avail_event(struct virtio_queue *vq)
{
	return (volatile uint16_t *)&vq->split.used->ring[vq->nb_desc];
}

/* Publish avail_idx (everything written before it first) and notify if the device wants to
 * hear: @old is the index before this burst's buffers, @descs their descriptors. */
static inline void split_publish(struct virtio_queue *vq, uint16_t old, uint16_t descs)
{
	bool kick;

	px_io_wmb(); /* descriptors and ring entries before the index (§2.7.13) */
	vq->split.avail->idx = htole16(vq->avail_idx);
	px_smp_mb(); /* the index store before the loads of flags / avail_event (§2.7.13.4) */
	if (vq->event_idx)
		kick = vring_need_event(le16toh(*split_avail_event(vq)), vq->avail_idx, old);
	else
		kick = !(le16toh(vq->split.used->flags) & VRING_USED_F_NO_NOTIFY);
	px_counter64_add(&vq->c.bursts, 1);
	px_counter64_add(&vq->c.descs, descs);
	if (kick) {
		virtio_notify(vq);
		px_counter64_add(&vq->c.notifies, 1);
	} else {
		px_counter64_add(&vq->c.suppressed, 1);
	}
}

/*
 * With EVENT_IDX the device interrupts when its used index passes used_event (§2.7.10); one
 * behind what the driver consumed means "never" while the driver is at most 65535 - nb_desc
 * entries further (the device's index stays within nb_desc ahead of it). So it is written again
 * only once the driver is 32768 - nb_desc entries past the last value (every burst for a
 * 32768-entry ring): the device reads the field whenever it publishes, and a store per burst
 * would move its cache line between the two cores each time (DPDK's driver never writes it).
 */
static inline void split_no_interrupt(struct virtio_queue *vq)
{
	volatile uint16_t *ev = split_used_event(vq);

	/* without EVENT_IDX the device ignores the field, so it is not even loaded */
	if (vq->event_idx && (uint16_t)(vq->used_idx - 1 - le16toh(*ev)) >= 0x8000 - vq->nb_desc)
		*ev = htole16((uint16_t)(vq->used_idx - 1));
}

/* §2.7.7 / §2.8.10: the driver's side of interrupt suppression. Split: NO_INTERRUPT off, or with
 * EVENT_IDX used_event = the next used index; packed: ENABLE, or DESC at the next used
 * position. A full barrier, then the check for a buffer used meanwhile (no lost wake-up). */
bool virtio_rx_intr_arm(struct virtio_queue *vq)
{
	if (vq->packed_ring) {
		uint16_t f;
		bool avail, used;

		if (vq->event_idx) {
			vq->packed.driver->off_wrap =
				htole16((uint16_t)(vq->used_idx | (vq->used_wrap ? 0x8000 : 0)));
			px_smp_wmb();
			vq->packed.driver->flags = htole16(VRING_PACKED_EVENT_FLAG_DESC);
		} else {
			vq->packed.driver->flags = htole16(VRING_PACKED_EVENT_FLAG_ENABLE);
		}
		px_smp_mb();
		f = le16toh(vq->packed.desc[vq->used_idx].flags);
		avail = f & VRING_PACKED_DESC_F_AVAIL;
		used = f & VRING_PACKED_DESC_F_USED;
		return avail == used && used == vq->used_wrap;
	}
	if (vq->event_idx)
		*split_used_event(vq) = htole16(vq->used_idx);
	else
		vq->split.avail->flags = 0;
	px_smp_mb();
	return le16toh(vq->split.used->idx) != vq->used_idx;
}

void virtio_rx_intr_disarm(struct virtio_queue *vq)
{
	if (vq->packed_ring)
		vq->packed.driver->flags = htole16(VRING_PACKED_EVENT_FLAG_DISABLE);
	else if (vq->event_idx)
		*split_used_event(vq) = htole16((uint16_t)(vq->used_idx - 1));
	else
		vq->split.avail->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
}

/* ---- receive ------------------------------------------------------------------------------ */

/* Make buffers available in the index at @old .. vq->avail_idx: with @notify as a burst does,
 * else (the port's start) only the index. */
static inline void split_rx_publish(struct virtio_queue *vq, uint16_t old, bool notify)
{
	if (vq->avail_idx == old)
		return;
	if (notify) {
		split_publish(vq, old, (uint16_t)(vq->avail_idx - old));
	} else {
		px_io_wmb();
		vq->split.avail->idx = htole16(vq->avail_idx);
		px_counter64_add(&vq->c.descs, (uint16_t)(vq->avail_idx - old));
	}
}

/* The end of an RX burst that consumed @done used entries into @nb packets. */
static inline void split_rx_done(struct virtio_queue *vq, uint16_t done, uint16_t nb,
				 uint64_t bytes, uint16_t errs)
{
	if (done == 0)
		return;
	split_no_interrupt(vq);
	px_counter64_add(&vq->st.pkts, nb);
	px_counter64_add(&vq->st.bytes, bytes);
	if (px_unlikely(errs))
		px_counter64_add(&vq->st.errs, errs);
}

static uint16_t split_rx_refill(struct virtio_queue *vq, bool notify)
{
	struct px_mbuf *bufs[VIRTIO_FREE_BATCH];
	uint16_t old = vq->avail_idx, hdr = vq->hdr_size;

	while (vq->nb_free > 0) {
		uint16_t n = PX_MIN(vq->nb_free, (uint16_t)VIRTIO_FREE_BATCH);

		if (px_pktmbuf_alloc_bulk(vq->mp, bufs, n) != 0) {
			px_counter64_add(&vq->st.nombuf, n);
			break;
		}
		for (uint16_t i = 0; i < n; i++) {
			struct px_mbuf *m = bufs[i];
			uint16_t id = virtio_id_take(vq);
			volatile struct vring_desc *d = &vq->split.desc[id];

			vq->sw_ring[id] = m;
			/* the header goes into the headroom, the frame at data_off */
			d->addr = htole64(m->buf_iova + m->data_off - hdr);
			d->len = htole32((uint32_t)(m->buf_len - m->data_off + hdr));
			d->flags = htole16(VRING_DESC_F_WRITE);
			vq->split.avail->ring[vq->avail_idx & vq->mask] = htole16(id);
			vq->avail_idx++;
		}
		vq->nb_free -= n;
	}
	split_rx_publish(vq, old, notify);
	return vq->nb_free;
}

/* VIRTIO_F_IN_ORDER (§2.7.9): the free buffers are the ring slots after the outstanding ones,
 * so a refill fills slots avail_idx, avail_idx + 1, ... in bulk: no free list, and the avail
 * entries and flags are those virtio_queue_reset() wrote. */
static uint16_t split_rx_refill_inorder(struct virtio_queue *vq, bool notify)
{
	struct px_mbuf *bufs[VIRTIO_FREE_BATCH];
	volatile struct vring_desc *desc = vq->split.desc;
	struct px_mbuf **sw_ring = vq->sw_ring;
	uint16_t old = vq->avail_idx, avail = old, hdr = vq->hdr_size, mask = vq->mask;

	while (vq->nb_free > 0) {
		uint16_t n = PX_MIN(vq->nb_free, (uint16_t)VIRTIO_FREE_BATCH);

		if (px_pktmbuf_alloc_bulk(vq->mp, bufs, n) != 0) {
			px_counter64_add(&vq->st.nombuf, n);
			break;
		}
		for (uint16_t i = 0; i < n; i++, avail++) {
			struct px_mbuf *m = bufs[i];
			uint16_t slot = avail & mask;

			sw_ring[slot] = m;
			desc[slot].addr = htole64(m->buf_iova + m->data_off - hdr);
			desc[slot].len = htole32((uint32_t)(m->buf_len - m->data_off + hdr));
		}
		vq->nb_free -= n;
	}
	vq->avail_idx = avail;
	split_rx_publish(vq, old, notify);
	return vq->nb_free;
}

uint16_t virtio_rx_refill(struct virtio_queue *vq, bool notify)
{
	if (vq->packed_ring)
		return virtio_packed_rx_refill(vq, notify);
	return vq->in_order ? split_rx_refill_inorder(vq, notify) : split_rx_refill(vq, notify);
}

uint16_t virtio_recv_pkts(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	struct virtio_queue *vq = queue;
	volatile struct vring_used *used = vq->split.used;
	uint16_t nb_used, done = 0, nb = 0, errs = 0;
	uint64_t bytes = 0;

	nb_used = (uint16_t)(le16toh(used->idx) - vq->used_idx);
	px_io_rmb(); /* the index before the entries it covers */
	while (nb < n && done < nb_used) {
		volatile struct vring_used_elem *e = &used->ring[(vq->used_idx + done) & vq->mask];
		uint32_t id = le32toh(e->id);
		struct px_mbuf *m, *last;
		uint16_t nbuf;

		if (px_unlikely(id >= vq->nb_desc || vq->sw_ring[id] == NULL)) {
			errs++; /* an id the driver never gave: skip the entry */
			done++;
			continue;
		}
		nbuf = rx_num_buffers(vq, vq->sw_ring[id]);
		if (px_unlikely(nbuf > nb_used - done))
			break; /* the rest of the packet is not used yet (QEMU publishes whole ones)
				*/
		m = rx_take(vq, id);
		if (px_unlikely(!rx_first(vq, m, le32toh(e->len)) || nbuf == 0)) {
			errs++; /* shorter than the header, or num_buffers 0 */
			px_pktmbuf_free(m);
			done++;
			continue;
		}
		last = m;
		for (uint16_t k = 1; k < nbuf; k++) {
			e = &used->ring[(vq->used_idx + done + k) & vq->mask];
			struct px_mbuf *s = rx_take(vq, le32toh(e->id));

			if (px_unlikely(s == NULL))
				break;
			rx_append(vq, m, last, s, le32toh(e->len));
			last = s;
		}
		done += nbuf;
		if (px_unlikely(m->nb_segs != nbuf)) {
			errs++;
			px_pktmbuf_free(m);
			continue;
		}
		bytes += m->pkt_len;
		pkts[nb++] = m;
	}
	vq->used_idx = (uint16_t)(vq->used_idx + done);
	split_rx_done(vq, done, nb, bytes, errs);
	if (vq->nb_free >= vq->free_thresh)
		split_rx_refill(vq, true);
	return nb;
}

/*
 * A used entry at position @pos whose id is not its slot's: an in-order device's entry for a
 * batch (§2.7.9), naming the batch's last buffer; the buffers before it were "used completely".
 * Write the batch out as one entry per buffer (the skipped ones at their full length), the
 * entry at @pos last, so RX reads it as any other. The device is past these entries and writes
 * none of them again before the driver makes their buffers available again. @avail: the used
 * entries published from @pos on. @return false for an id that is no buffer of those.
 */
static bool split_rx_unbatch(struct virtio_queue *vq, uint16_t pos, uint16_t avail)
{
	volatile struct vring_used_elem *ring = vq->split.used->ring;
	uint16_t mask = vq->mask, slot = pos & mask;
	uint32_t id = le32toh(ring[slot].id), len = le32toh(ring[slot].len);
	uint16_t k = (uint16_t)(id - slot) & mask;

	if (id >= vq->nb_desc || k >= avail)
		return false;
	ring[id].len = htole32(len);
	ring[id].id = htole32(id);
	for (uint16_t j = k; j-- > 0;) {
		uint16_t s = (uint16_t)(slot + j) & mask;

		ring[s].len = vq->split.desc[s].len;
		ring[s].id = htole32(s);
	}
	return true;
}

/*
 * VIRTIO_F_IN_ORDER: the buffer at used position p is the one made available at p, in
 * descriptor p & mask, so the used entry's id only tells a batch (split_rx_unbatch) from the
 * entry of one buffer (QEMU, Linux vhost-net, DPDK's and Pollux's vhost write one per buffer).
 */
/* The further @nbuf - 1 buffers of the mergeable packet @m from used position @pos (@avail
 * entries published from there): appended to @m. @return false (@m and those buffers freed)
 * when one is a batch entry that names no buffer of those. */
static inline bool split_rx_merge_inorder(struct virtio_queue *vq, struct px_mbuf *m, uint16_t pos,
					  uint16_t nbuf, uint16_t avail)
{
	const volatile struct vring_used_elem *ring = vq->split.used->ring;
	struct px_mbuf *last = m;
	uint16_t mask = vq->mask;
	bool ok = true;

	for (uint16_t k = 1; k < nbuf; k++) {
		uint16_t sk = (uint16_t)(pos + k) & mask;
		struct px_mbuf *s = vq->sw_ring[sk];

		vq->sw_ring[sk] = NULL;
		if (px_unlikely(le32toh(ring[sk].id) != sk) &&
		    !split_rx_unbatch(vq, (uint16_t)(pos + k), (uint16_t)(avail - k))) {
			ok = false; /* this buffer and the packet go */
			px_pktmbuf_free(s);
			continue;
		}
		rx_append(vq, m, last, s, le32toh(ring[sk].len));
		last = s;
	}
	if (px_unlikely(!ok))
		px_pktmbuf_free(m);
	return ok;
}

uint16_t virtio_recv_pkts_inorder(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	struct virtio_queue *vq = queue;
	const volatile struct vring_used_elem *ring = vq->split.used->ring;
	struct px_mbuf **sw_ring = vq->sw_ring;
	uint16_t mask = vq->mask, pos = vq->used_idx, nb_used, done = 0, nb = 0, errs = 0;
	uint16_t held = (uint16_t)(vq->nb_desc - vq->nb_free);
	uint64_t bytes = 0;

	nb_used = (uint16_t)(le16toh(vq->split.used->idx) - pos);
	if (px_unlikely(nb_used > held))
		nb_used = held; /* a broken device: what it has */
	px_io_rmb();            /* the index before the entries it covers */
	while (nb < n && done < nb_used) {
		uint16_t slot = (uint16_t)(pos + done) & mask, left = (uint16_t)(nb_used - done);
		struct px_mbuf *m = sw_ring[slot];
		uint16_t nbuf = rx_num_buffers(vq, m);

		/* one test for the common case: num_buffers 1..left, the entry this buffer's */
		if (px_unlikely((unsigned int)nbuf - 1 >= left || le32toh(ring[slot].id) != slot)) {
			if (nbuf > left && nbuf <= held)
				break; /* the rest of the packet is not used yet */
			if (nbuf == 0 || nbuf > left ||
			    (le32toh(ring[slot].id) != slot &&
			     !split_rx_unbatch(vq, (uint16_t)(pos + done), left))) {
				errs++; /* num_buffers 0 or more than the device holds, a bad id */
				sw_ring[slot] = NULL;
				px_pktmbuf_free(m);
				done++;
				continue;
			}
		}
		sw_ring[slot] = NULL;
		if (px_unlikely(!rx_first(vq, m, le32toh(ring[slot].len)))) {
			errs++; /* shorter than the header */
			px_pktmbuf_free(m);
			done++;
			continue;
		}
		done += nbuf;
		if (px_unlikely(nbuf > 1) &&
		    !split_rx_merge_inorder(vq, m, (uint16_t)(pos + done - nbuf), nbuf, left)) {
			errs++;
			continue;
		}
		bytes += m->pkt_len;
		pkts[nb++] = m;
	}
	vq->used_idx = (uint16_t)(pos + done);
	vq->nb_free = (uint16_t)(vq->nb_free + done);
	split_rx_done(vq, done, nb, bytes, errs);
	if (vq->nb_free >= vq->free_thresh)
		split_rx_refill_inorder(vq, true);
	return nb;
}

/* ---- transmit ----------------------------------------------------------------------------- */

/* Take back every chain the device used; free their packets in bulk. @return descriptors.
 * The free list and indices live in locals for the loop (the ring's stores would otherwise
 * make the compiler reload them per entry). */
static uint16_t split_tx_cleanup(struct virtio_queue *vq)
{
	struct px_mbuf *done[VIRTIO_FREE_BATCH];
	const volatile struct vring_used_elem *ring = vq->split.used->ring;
	struct px_mbuf **sw_ring = vq->sw_ring;
	uint16_t *id_next = vq->id_next;
	const uint16_t *chain_len = vq->chain_len, *chain_end = vq->chain_end;
	uint16_t used_idx = le16toh(vq->split.used->idx), idx = vq->used_idx;
	uint16_t head = vq->free_head, freed = 0, mask = vq->mask, nb_desc = vq->nb_desc;
	unsigned int k = 0, bad = 0;

	px_io_rmb(); /* the index before the entries it covers */
	for (; idx != used_idx; idx++) {
		uint32_t id = le32toh(ring[idx & mask].id);

		if (px_unlikely(id >= nb_desc || sw_ring[id] == NULL)) {
			bad++; /* a broken device: skip the entry */
			continue;
		}
		tx_done_add(done, &k, sw_ring[id]);
		sw_ring[id] = NULL;
		/* the chain is still linked in id_next: put it back whole */
		id_next[chain_end[id]] = head;
		head = (uint16_t)id;
		freed = (uint16_t)(freed + chain_len[id]);
	}
	vq->used_idx = idx;
	vq->free_head = head;
	vq->nb_free = (uint16_t)(vq->nb_free + freed);
	if (px_unlikely(bad))
		px_counter64_add(&vq->st.errs, bad);
	px_pktmbuf_free_bulk(done, k);
	split_no_interrupt(vq);
	return freed;
}

/* The first descriptor of a packet's chain, at @head: with @push the header in the packet's
 * headroom and its first segment, else the queue's header slot of @head. @return the segment
 * the next descriptor takes (NULL: none). */
static inline const struct px_mbuf *split_tx_first(struct virtio_queue *vq, struct px_mbuf *pkt,
						   uint16_t head, bool push)
{
	volatile struct vring_desc *d = &vq->split.desc[head];

	if (push) {
		tx_hdr_fill(vq, (void *)(px_pktmbuf_mtod(pkt, char *) - vq->hdr_size), pkt);
		d->addr = htole64(px_pktmbuf_iova(pkt) - vq->hdr_size);
		d->len = htole32((uint32_t)pkt->data_len + vq->hdr_size);
		return pkt->next;
	}
	tx_hdr_fill(vq, &vq->hdrs[head], pkt);
	d->addr = htole64(vq->hdrs_iova + (uint64_t)head * sizeof(struct virtio_net_hdr));
	d->len = htole32(vq->hdr_size);
	return pkt;
}

/* Chain one packet (@need descriptors, @push: header in its headroom) from the free list. */
static inline void split_tx_one(struct virtio_queue *vq, struct px_mbuf *pkt, uint16_t need,
				bool push)
{
	uint16_t head = vq->free_head, id = head, last = head;
	volatile struct vring_desc *d = &vq->split.desc[id];
	const struct px_mbuf *s = split_tx_first(vq, pkt, head, push);

	for (;;) {
		d->flags = htole16(VRING_DESC_F_NEXT);
		d->next = htole16(vq->id_next[id]);
		last = id;
		id = vq->id_next[id];
		if (s == NULL)
			break;
		d = &vq->split.desc[id];
		d->addr = htole64(px_pktmbuf_iova(s));
		d->len = htole32(s->data_len);
		s = s->next;
	}
	d->flags = 0; /* the chain's last descriptor */
	vq->free_head = id;
	vq->nb_free = (uint16_t)(vq->nb_free - need);
	vq->sw_ring[head] = pkt;
	vq->chain_len[head] = need;
	vq->chain_end[head] = last;
	vq->split.avail->ring[vq->avail_idx & vq->mask] = htole16(head);
	vq->avail_idx++;
}

/* The common packet, one segment whose headroom takes the header, in one descriptor: up to @n
 * of them while descriptors are free, the free list (@in_order: the next slot) and indices in
 * locals for the run. @return packets chained; it stops at the first that is not that case. */
static __attribute__((always_inline)) inline uint16_t split_tx_simple(struct virtio_queue *vq,
								      struct px_mbuf **pkts,
								      uint16_t n, uint64_t *bytes,
								      bool in_order)
{
	volatile struct vring_desc *desc = vq->split.desc;
	volatile uint16_t *ring = vq->split.avail->ring;
	struct px_mbuf **sw_ring = vq->sw_ring;
	uint16_t *chain_len = vq->chain_len, *chain_end = vq->chain_end;
	const uint16_t *id_next = vq->id_next;
	uint16_t head = vq->free_head, avail = vq->avail_idx, mask = vq->mask, hdr = vq->hdr_size;
	uint16_t i, max = PX_MIN(n, vq->nb_free);
	uint64_t b = 0;

	for (i = 0; i < max; i++) {
		struct px_mbuf *m = pkts[i];

		if (px_unlikely(m->next != NULL || !tx_can_push(vq, m)))
			break;
		tx_hdr_fill(vq, (void *)(px_pktmbuf_mtod(m, char *) - hdr), m);
		desc[head].addr = htole64(px_pktmbuf_iova(m) - hdr);
		desc[head].len = htole32((uint32_t)m->data_len + hdr);
		desc[head].flags = 0;
		sw_ring[head] = m;
		chain_len[head] = 1;
		if (!in_order)
			chain_end[head] = head;
		/* in order the entry mostly holds this slot already (ring and table go round
		 * together): a store of the same value would still take the line from the
		 * device's core, which then misses on it (DPDK's vq_update_avail_ring too) */
		if (!in_order || ring[avail & mask] != htole16(head))
			ring[avail & mask] = htole16(head);
		avail++;
		head = in_order ? (uint16_t)(head + 1) & mask : id_next[head];
		b += m->pkt_len;
	}
	vq->free_head = head;
	vq->nb_free = (uint16_t)(vq->nb_free - i);
	vq->avail_idx = avail;
	*bytes += b;
	return i;
}

/* ---- transmit in order (VIRTIO_F_IN_ORDER, §2.7.9) ------------------------------------------ */

/*
 * Descriptors are used in ring order (§2.7.5: "starting from offset 0 in the table, and wrapping
 * around at the end of the table"), a chain's in consecutive slots. The outstanding chains are
 * thus the nb_desc - nb_free slots before free_head, the oldest at free_head + nb_free: no free
 * list. The device may write one used entry for a batch of chains (the last one's id) but moves
 * its used index over the whole batch (§2.7.9), so the index alone says how many chains are
 * done, oldest first: the entries are not read (they are the lines the device's core writes).
 */
static uint16_t split_tx_cleanup_inorder(struct virtio_queue *vq)
{
	struct px_mbuf *done[VIRTIO_FREE_BATCH];
	struct px_mbuf **sw_ring = vq->sw_ring;
	const uint16_t *chain_len = vq->chain_len;
	uint16_t n = (uint16_t)(le16toh(vq->split.used->idx) - vq->used_idx), mask = vq->mask;
	uint16_t head = (uint16_t)(vq->free_head + vq->nb_free) & mask, freed = 0;
	uint16_t given = (uint16_t)(vq->avail_idx - vq->used_idx);
	unsigned int k = 0;

	if (px_unlikely(n > given)) { /* a broken device: more used than it was given */
		px_counter64_add(&vq->st.errs, 1);
		n = given;
	}
	px_io_rmb(); /* the index before the buffers it gives back */
	for (uint16_t i = 0; i < n; i++) {
		uint16_t cur = head;

		tx_done_add(done, &k, sw_ring[cur]);
		sw_ring[cur] = NULL;
		freed = (uint16_t)(freed + chain_len[cur]);
		head = (uint16_t)(cur + chain_len[cur]) & mask;
	}
	vq->used_idx = (uint16_t)(vq->used_idx + n);
	vq->nb_free = (uint16_t)(vq->nb_free + freed);
	px_pktmbuf_free_bulk(done, k);
	split_no_interrupt(vq);
	return freed;
}

/* One packet as @need descriptors in the slots from free_head (@push: header in its headroom);
 * §2.7.5: with IN_ORDER a chain's next is the following slot, 0 after the table's last. */
static inline void split_tx_one_inorder(struct virtio_queue *vq, struct px_mbuf *pkt, uint16_t need,
					bool push)
{
	volatile struct vring_desc *desc = vq->split.desc;
	uint16_t head = vq->free_head, id = head, mask = vq->mask;
	const struct px_mbuf *s = split_tx_first(vq, pkt, head, push);

	for (; s != NULL; s = s->next) {
		uint16_t next = (uint16_t)(id + 1) & mask;

		desc[id].flags = htole16(VRING_DESC_F_NEXT);
		desc[id].next = htole16(next);
		id = next;
		desc[id].addr = htole64(px_pktmbuf_iova(s));
		desc[id].len = htole32(s->data_len);
	}
	desc[id].flags = 0; /* the chain's last descriptor */
	vq->free_head = (uint16_t)(id + 1) & mask;
	vq->nb_free = (uint16_t)(vq->nb_free - need);
	vq->sw_ring[head] = pkt;
	vq->chain_len[head] = need;
	if (vq->split.avail->ring[vq->avail_idx & mask] != htole16(head))
		vq->split.avail->ring[vq->avail_idx & mask] = htole16(head);
	vq->avail_idx++;
}

/* A TX burst, out of order or in order (split_tx_*_inorder): one avail->idx update and at most
 * one notify; the two are this one inlined with @in_order constant. */
static __attribute__((always_inline)) inline uint16_t
split_xmit(struct virtio_queue *vq, struct px_mbuf **pkts, uint16_t n, bool in_order)
{
	uint16_t old = vq->avail_idx, nb, descs;
	uint64_t bytes = 0;

	if (vq->nb_free < vq->free_thresh)
		in_order ? split_tx_cleanup_inorder(vq) : split_tx_cleanup(vq);
	nb = descs = split_tx_simple(vq, pkts, n, &bytes, in_order);
	for (; nb < n; nb++) {
		struct px_mbuf *m = pkts[nb];
		bool push = tx_can_push(vq, m);
		uint16_t need = (uint16_t)(m->nb_segs + !push);

		if (need > vq->nb_free &&
		    ((in_order ? split_tx_cleanup_inorder(vq) : split_tx_cleanup(vq)) == 0 ||
		     need > vq->nb_free))
			break;
		if (in_order)
			split_tx_one_inorder(vq, m, need, push);
		else
			split_tx_one(vq, m, need, push);
		descs = (uint16_t)(descs + need);
		bytes += m->pkt_len;
	}
	if (nb == 0)
		return 0;
	split_publish(vq, old, descs);
	px_counter64_add(&vq->st.pkts, nb);
	px_counter64_add(&vq->st.bytes, bytes);
	return nb;
}

uint16_t virtio_xmit_pkts(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	return split_xmit(queue, pkts, n, false);
}

uint16_t virtio_xmit_pkts_inorder(void *queue, struct px_mbuf **pkts, uint16_t n)
{
	return split_xmit(queue, pkts, n, true);
}

px_eth_rx_burst_t virtio_rx_burst(bool packed, bool in_order)
{
	if (packed)
		return in_order ? virtio_recv_pkts_packed_inorder : virtio_recv_pkts_packed;
	return in_order ? virtio_recv_pkts_inorder : virtio_recv_pkts;
}

px_eth_tx_burst_t virtio_tx_burst(bool packed, bool in_order)
{
	if (packed)
		return in_order ? virtio_xmit_pkts_packed_inorder : virtio_xmit_pkts_packed;
	return in_order ? virtio_xmit_pkts_inorder : virtio_xmit_pkts;
}

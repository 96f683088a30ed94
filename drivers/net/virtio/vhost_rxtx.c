/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vhost's data path: the device side of split (VIRTIO 1.2 §2.7) and packed (§2.8) rings in
 * the frontend's memory. Dequeue copies what the frontend transmits (vring 2q + 1) into mbufs;
 * enqueue copies our packets into the frontend's receive buffers (vring 2q), spread over several
 * with num_buffers when VIRTIO_NET_F_MRG_RXBUF was negotiated (§5.1.6.4). Nothing the frontend
 * wrote is trusted (vhost.h): a broken split chain is given back empty and counted; on a packed
 * ring, where its length is unknown, the ring stops there.
 */
#include <endian.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "vhost.h"

/* The largest frame taken from or given to the frontend (a 64 KiB GSO frame). */
#define VHOST_MAX_FRAME 65535u

static inline uint16_t load_acquire16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline uint16_t load16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* ---- the RCU-lite hand-over (vhost.h) ----------------------------------------------------- */

static inline bool vring_enter(struct vhost_vring *vr)
{
	atomic_store_explicit(&vr->busy, 1, memory_order_seq_cst);
	if (px_likely(atomic_load_explicit(&vr->ready, memory_order_seq_cst) != 0))
		return true;
	atomic_store_explicit(&vr->busy, 0, memory_order_release);
	return false;
}

static inline void vring_leave(struct vhost_vring *vr)
{
	atomic_store_explicit(&vr->busy, 0, memory_order_release);
}

/* ---- descriptor walks --------------------------------------------------------------------- */

/* Add buffer [addr, addr + len) to @bufs; @return 0, or -1 (outside the memory, too many). */
static inline int add_buf(const struct vhost_vring *vr, uint64_t addr, uint32_t len,
			  struct vhost_buf *bufs, unsigned int max, struct vhost_chain *c)
{
	uint8_t *p;

	if (len == 0)
		return 0;
	if (c->nbufs >= max || c->total + (uint64_t)len > UINT32_MAX)
		return -1;
	p = vhost_gpa_to_ptr(vr->mem, addr, len);
	if (p == NULL)
		return -1;
	bufs[c->nbufs++] = (struct vhost_buf){p, len};
	c->total += len;
	return 0;
}

/* The table an indirect descriptor points to (§2.7.5.3, §2.8.7): whole descriptors, inside
 * one region. @return it, or NULL */
static inline const volatile struct vring_desc *indirect_table(const struct vhost_vring *vr,
							       uint64_t addr, uint32_t len)
{
	if (len == 0 || len % sizeof(struct vring_desc) != 0)
		return NULL;
	return (const volatile struct vring_desc *)vhost_gpa_to_ptr(vr->mem, addr, len);
}

int vhost_walk_split(const struct vhost_vring *vr, uint16_t head, bool writable,
		     struct vhost_buf *bufs, unsigned int max, struct vhost_chain *c)
{
	const volatile struct vring_desc *table = vr->split.desc;
	uint32_t tsize = vr->size, idx = head, steps = 0;
	bool indirect = false;

	*c = (struct vhost_chain){.id = head, .ndesc = 1};
	if (px_likely(head < tsize && max > 0)) {
		/* the common chain: one descriptor, no flag but WRITE as expected */
		uint16_t flags = table[head].flags;

		if (flags == (writable ? VRING_DESC_F_WRITE : 0)) {
			uint64_t addr = table[head].addr;
			uint32_t len = table[head].len;
			uint8_t *p = vhost_gpa_to_ptr(vr->mem, addr, len);

			if (px_unlikely(p == NULL))
				return -1;
			bufs[0] = (struct vhost_buf){p, len};
			c->nbufs = len ? 1 : 0;
			c->total = len;
			return c->nbufs;
		}
	}
	for (;;) {
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;

		/* §2.7.5.1: no chain is longer than the queue size; this bounds loops too */
		if (idx >= tsize || ++steps > vr->size)
			return -1;
		addr = table[idx].addr;
		len = table[idx].len;
		flags = table[idx].flags;
		next = table[idx].next;
		if (flags & VRING_DESC_F_INDIRECT) {
			/* §2.7.5.3.1: only in the ring, not within a table, never with NEXT */
			if (indirect || steps != 1 || (flags & VRING_DESC_F_NEXT))
				return -1;
			table = indirect_table(vr, addr, len);
			if (table == NULL)
				return -1;
			tsize = len / sizeof(struct vring_desc);
			idx = 0;
			steps = 0;
			indirect = true;
			continue;
		}
		if (!!(flags & VRING_DESC_F_WRITE) != writable)
			return -1;
		if (add_buf(vr, addr, len, bufs, max, c) < 0)
			return -1;
		if (!(flags & VRING_DESC_F_NEXT))
			return c->nbufs;
		idx = next;
	}
}

int vhost_walk_packed(const struct vhost_vring *vr, uint16_t pos, bool writable,
		      struct vhost_buf *bufs, unsigned int max, struct vhost_chain *c)
{
	const volatile struct vring_packed_desc *ring = vr->packed.desc;
	uint16_t steps = 0;

	*c = (struct vhost_chain){0};
	if (pos >= vr->size)
		return -1;
	if (px_likely(max > 0)) {
		/* the common buffer: one descriptor, no NEXT or INDIRECT, WRITE as expected */
		uint16_t flags = ring[pos].flags;

		if ((flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE)) ==
		    (writable ? VRING_DESC_F_WRITE : 0)) {
			uint64_t addr = ring[pos].addr;
			uint32_t len = ring[pos].len;
			uint8_t *p = vhost_gpa_to_ptr(vr->mem, addr, len);

			if (px_unlikely(p == NULL))
				return -1;
			bufs[0] = (struct vhost_buf){p, len};
			c->id = ring[pos].id;
			c->ndesc = 1;
			c->nbufs = len ? 1 : 0;
			c->total = len;
			return c->nbufs;
		}
	}
	for (;;) {
		uint64_t addr = ring[pos].addr;
		uint32_t len = ring[pos].len;
		uint16_t id = ring[pos].id;
		uint16_t flags = ring[pos].flags;

		if (++steps > vr->size) /* §2.8.17: no chain longer than the ring */
			return -1;
		if (flags & VRING_DESC_F_INDIRECT) {
			const volatile struct vring_desc *t;
			uint32_t n;

			/* §2.8.7: the buffer's one descriptor in the ring */
			if (steps != 1 || (flags & VRING_DESC_F_NEXT))
				return -1;
			t = indirect_table(vr, addr, len);
			if (t == NULL)
				return -1;
			n = len / sizeof(struct vring_desc);
			if (n > vr->size)
				return -1;
			for (uint32_t i = 0; i < n; i++) {
				/* the packed table's entries are in order; NEXT means nothing */
				uint16_t f = t[i].flags;

				if ((f & VRING_DESC_F_INDIRECT) ||
				    !!(f & VRING_DESC_F_WRITE) != writable ||
				    add_buf(vr, t[i].addr, t[i].len, bufs, max, c) < 0)
					return -1;
			}
			c->id = id;
			c->ndesc = 1;
			return c->nbufs;
		}
		if (!!(flags & VRING_DESC_F_WRITE) != writable ||
		    add_buf(vr, addr, len, bufs, max, c) < 0)
			return -1;
		if (!(flags & VRING_DESC_F_NEXT)) {
			c->id = id; /* §2.8.6: the buffer id is the last descriptor's */
			c->ndesc = steps;
			return c->nbufs;
		}
		if (++pos == vr->size)
			pos = 0;
	}
}

/* ---- copies ------------------------------------------------------------------------------- */

/* memcpy, with the small frames of a packet-rate load (16..64 bytes) copied inline in
 * overlapping 16-byte moves instead of a call into the C library. */
static inline void copy_frame(uint8_t *dst, const uint8_t *src, uint32_t len)
{
	if (px_likely(len >= 16 && len <= 64)) {
		memcpy(dst, src, 16);
		memcpy(dst + len - 16, src + len - 16, 16);
		if (len > 32) {
			memcpy(dst + 16, src + 16, 16);
			memcpy(dst + len - 32, src + len - 32, 16);
		}
		return;
	}
	memcpy(dst, src, len);
}

/* The region the last address fell in: a burst's buffers are mostly in one region, so most
 * translations are one subtraction and two compares (an address below the region wraps @off
 * to a huge value and misses). */
struct xlate {
	uint64_t gpa, size;
	uint8_t *host;
};

static inline uint8_t *xlate_ptr(struct xlate *x, const struct vhost_mem *mem, uint64_t gpa,
				 uint64_t len)
{
	uint64_t off = gpa - x->gpa;

	if (px_likely(off < x->size && len <= x->size - off))
		return x->host + off;
	for (uint32_t i = 0; i < mem->nregions; i++) {
		const struct vhost_region *r = &mem->r[i];

		off = gpa - r->gpa;
		if (off < r->size && len <= r->size - off) {
			*x = (struct xlate){r->gpa, r->size, r->host};
			return r->host + off;
		}
	}
	return NULL;
}

/* Copy a frontend TX chain (header, then the frame) into @head, a fresh mbuf of the burst's
 * bulk allocation, and more segments from @mp when it is longer than one.
 * @return 1, 0 when the pool is empty (@head back as it was), -1 for a bad frame (@head
 * untouched) */
static int chain_to_mbuf(const struct vhost_buf *b, unsigned int nb, uint32_t total,
			 uint32_t hdr_len, struct px_mempool *mp, uint16_t port,
			 struct px_mbuf *head)
{
	struct px_mbuf *m = head;
	unsigned int i = 0;
	uint32_t off = hdr_len;

	if (total <= hdr_len || total - hdr_len > VHOST_MAX_FRAME)
		return -1;
	if (px_likely(nb == 1 && total - hdr_len <= (uint32_t)(m->buf_len - m->data_off))) {
		/* header and frame in one buffer, the frame fits one mbuf */
		copy_frame(px_pktmbuf_mtod(m, uint8_t *), b[0].p + hdr_len, total - hdr_len);
		m->data_len = (uint16_t)(total - hdr_len);
		m->pkt_len = total - hdr_len;
		m->port = port;
		return 1;
	}
	while (i < nb && off >= b[i].len) /* skip the header, which may span buffers */
		off -= b[i++].len;
	for (; i < nb; i++, off = 0) {
		while (off < b[i].len) {
			uint32_t room = (uint32_t)(m->buf_len - m->data_off - m->data_len);
			uint32_t t = b[i].len - off;

			if (room == 0) {
				struct px_mbuf *seg = px_pktmbuf_alloc(mp);

				if (px_unlikely(seg == NULL)) {
					if (head->next)
						px_pktmbuf_free(head->next);
					head->next = NULL;
					head->nb_segs = 1;
					head->data_len = 0;
					return 0;
				}
				m->next = seg;
				m = seg;
				head->nb_segs++;
				continue;
			}
			t = t < room ? t : room;
			memcpy(px_pktmbuf_mtod(m, uint8_t *) + m->data_len, b[i].p + off, t);
			m->data_len = (uint16_t)(m->data_len + t);
			off += t;
		}
	}
	head->pkt_len = total - hdr_len;
	head->port = port;
	return 1;
}

/* One frontend TX chain (@nb buffers, @total bytes) into pkts[*got] by chain_to_mbuf, and what its
 * result counts: a packet kept (*got and *bytes move on), a bad frame (st->errs), or an empty
 * pool (st->nombuf). @return false when the burst must stop (the pool is empty) */
static inline bool dequeue_one(const struct vhost_vring *vr, const struct vhost_buf *bufs,
			       unsigned int nb, uint32_t total, struct px_mempool *mp,
			       uint16_t port, struct px_mbuf **pkts, uint16_t *got, uint64_t *bytes,
			       struct eth_queue_stats *st)
{
	int ret = chain_to_mbuf(bufs, nb, total, vr->hdr_len, mp, port, pkts[*got]);

	if (px_unlikely(ret == 0)) {
		px_counter64_add(&st->nombuf, 1);
		return false;
	}
	if (px_likely(ret > 0))
		*bytes += pkts[(*got)++]->pkt_len;
	else
		px_counter64_add(&st->errs, 1);
	return true;
}

/* The common frontend TX buffer: one device-readable descriptor (@flags: its NEXT, INDIRECT and
 * WRITE bits all clear) holding the @hdr-byte header and a frame that fits @m. Copy the frame
 * into @m: @return its length, or 0 when it is not that case (@m untouched; the general path
 * decides). */
static inline uint32_t fast_take(struct xlate *x, const struct vhost_mem *mem, struct px_mbuf *m,
				 uint16_t port, uint32_t hdr, uint16_t flags, uint64_t addr,
				 uint32_t len)
{
	uint32_t flen = len - hdr;
	const uint8_t *p;

	if (px_unlikely(flags != 0 || len <= hdr || flen > (uint32_t)(m->buf_len - m->data_off)))
		return 0;
	p = xlate_ptr(x, mem, addr, len);
	if (px_unlikely(p == NULL))
		return 0;
	copy_frame(px_pktmbuf_mtod(m, uint8_t *), p + hdr, flen);
	m->data_len = (uint16_t)flen;
	m->pkt_len = flen;
	m->port = port;
	return flen;
}

/* Writes into a chain's buffers in order. */
struct scatter {
	const struct vhost_buf *b;
	unsigned int nb, i;
	uint32_t off;
};

static inline void scatter_write(struct scatter *s, const uint8_t *src, uint32_t len)
{
	while (len > 0 && s->i < s->nb) {
		uint32_t t = s->b[s->i].len - s->off;

		t = t < len ? t : len;
		memcpy(s->b[s->i].p + s->off, src, t);
		src += t;
		len -= t;
		s->off += t;
		if (s->off == s->b[s->i].len) {
			s->i++;
			s->off = 0;
		}
	}
}

/* Header (num_buffers = @nchains) and frame @m into @b, which hold at least hdr_len + pkt_len. */
static void mbuf_to_bufs(const struct vhost_vring *vr, const struct px_mbuf *m,
			 const struct vhost_buf *b, unsigned int nb, uint16_t nchains)
{
	struct virtio_net_hdr hdr = {.num_buffers = nchains};
	struct scatter s = {.b = b, .nb = nb};

	if (px_likely(m->next == NULL && vr->hdr_len == sizeof(hdr) &&
		      b[0].len >= sizeof(hdr) + m->data_len)) {
		/* the frame and its header fit the first buffer: two copies, the first inlined */
		memcpy(b[0].p, &hdr, sizeof(hdr));
		memcpy(b[0].p + sizeof(hdr), px_pktmbuf_mtod(m, const uint8_t *), m->data_len);
		return;
	}
	scatter_write(&s, (const uint8_t *)&hdr, vr->hdr_len);
	for (; m != NULL; m = m->next)
		scatter_write(&s, px_pktmbuf_mtod(m, const uint8_t *), m->data_len);
}

/* ---- notifications ------------------------------------------------------------------------ */

static void vring_call(struct vhost_vring *vr)
{
	uint64_t one = 1;

	if (write(vr->callfd, &one, sizeof(one)) == sizeof(one))
		px_counter64_add(&vr->cnt.calls, 1);
}

/* §2.7.7 / §2.7.10: after used->idx moved from @old, does the driver want to be told? */
static void split_notify(struct vhost_vring *vr, uint16_t old)
{
	uint16_t new_idx = vr->last_used;
	bool need;

	if (vr->callfd < 0)
		return;
	atomic_thread_fence(memory_order_seq_cst); /* used->idx before the driver's fields */
	if (vr->event_idx) {
		uint16_t event = load16(&vr->split.avail->ring[vr->size]); /* used_event */

		need = !vr->signalled_valid || vring_need_event(event, new_idx, old);
		vr->signalled_valid = true;
	} else {
		need = !(load16(&vr->split.avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
	}
	if (need)
		vring_call(vr);
}

/* §2.8.10 / §2.8.14: the packed equivalent, from the driver's event suppression structure. */
static void packed_notify(struct vhost_vring *vr)
{
	uint16_t old = vr->signalled_used, new_idx = vr->last_used, flags, off_wrap, off;
	bool need;

	if (vr->callfd < 0)
		return;
	atomic_thread_fence(memory_order_seq_cst);
	flags = load16(&vr->packed.driver->flags);
	vr->signalled_used = new_idx;
	if (flags == VRING_PACKED_EVENT_FLAG_DISABLE)
		return;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !vr->event_idx || !vr->signalled_valid) {
		need = flags != VRING_PACKED_EVENT_FLAG_DISABLE;
	} else {
		off_wrap = load16(&vr->packed.driver->off_wrap);
		off = off_wrap & VHOST_USER_PACKED_IDX_MASK;
		if (new_idx <= old)
			old = (uint16_t)(old - vr->size);
		if (vr->used_wrap != !!(off_wrap & VHOST_USER_PACKED_WRAP))
			off = (uint16_t)(off - vr->size);
		need = vring_need_event(off, new_idx, old);
	}
	vr->signalled_valid = true;
	if (need)
		vring_call(vr);
}

/* ---- split rings -------------------------------------------------------------------------- */

static inline void split_used(struct vhost_vring *vr, uint16_t id, uint32_t len)
{
	volatile struct vring_used_elem *e = &vr->split.used->ring[vr->last_used & (vr->size - 1)];

	e->id = id;
	e->len = len;
	vr->last_used++;
}

static inline void split_publish(struct vhost_vring *vr, uint16_t old_used)
{
	if (vr->last_used == old_used)
		return;
	__atomic_store_n(&vr->split.used->idx, vr->last_used, __ATOMIC_RELEASE);
	split_notify(vr, old_used);
}

/* Up to @n packets (no more than are available) into @pkts (fresh mbufs) by fast_take, their
 * used entries written at once, the ring state in locals for the burst. @return packets taken;
 * it stops at the first chain the general path must take. */
static __attribute__((noinline)) uint16_t dequeue_split_fast(struct vhost_vring *vr, uint16_t port,
							     struct px_mbuf **pkts, uint16_t n,
							     uint64_t *bytes)
{
	const uint16_t *ring = vr->split.avail->ring;
	const volatile struct vring_desc *desc = vr->split.desc;
	volatile struct vring_used_elem *used = vr->split.used->ring;
	const struct vhost_mem *mem = vr->mem;
	uint16_t size = vr->size, mask = (uint16_t)(size - 1);
	uint16_t avail = vr->last_avail, uidx = vr->last_used, i;
	uint32_t hdr = vr->hdr_len;
	struct xlate x = {0};
	uint64_t b = 0;

	for (i = 0; i < n; i++) {
		uint16_t head = load16(&ring[avail & mask]);
		uint32_t len;

		if (px_unlikely(head >= size))
			break;
		len = fast_take(&x, mem, pkts[i], port, hdr, desc[head].flags, desc[head].addr,
				desc[head].len);
		if (px_unlikely(len == 0))
			break;
		used[uidx & mask].id = head;
		used[uidx & mask].len = 0;
		uidx++;
		avail++;
		b += len;
	}
	vr->last_avail = avail;
	vr->last_used = uidx;
	*bytes += b;
	return i;
}

static uint16_t dequeue_split(struct vhost_vring *vr, struct px_mempool *mp, uint16_t port,
			      struct px_mbuf **pkts, uint16_t n, struct eth_queue_stats *st)
{
	uint16_t avail = load_acquire16(&vr->split.avail->idx), old_used = vr->last_used;
	uint16_t count = (uint16_t)(avail - vr->last_avail), got = 0;
	uint64_t bytes = 0;
	struct vhost_buf bufs[VHOST_MAX_SEGS];

	uint16_t want;

	if (px_unlikely(count > vr->size)) {
		px_counter64_add(&vr->cnt.bad_ring, 1);
		return 0;
	}
	want = count < n ? count : n;
	if (want == 0)
		return 0;
	if (px_unlikely(px_pktmbuf_alloc_bulk(mp, pkts, want) != 0)) {
		px_counter64_add(&st->nombuf, 1);
		return 0;
	}
	got = dequeue_split_fast(vr, port, pkts, want, &bytes);
	count = (uint16_t)(count - got);
	while (count-- > 0 && got < want) {
		uint16_t head = load16(&vr->split.avail->ring[vr->last_avail & (vr->size - 1)]);
		struct vhost_chain c;
		int nb = vhost_walk_split(vr, head, false, bufs, VHOST_MAX_SEGS, &c);

		if (px_unlikely(nb < 0))
			px_counter64_add(&vr->cnt.bad_chain, 1); /* given back empty */
		else if (!dequeue_one(vr, bufs, (unsigned int)nb, c.total, mp, port, pkts, &got,
				      &bytes, st))
			break;
		vr->last_avail++;
		split_used(vr, head, 0);
	}
	split_publish(vr, old_used);
	if (got < want) /* the heads bad frames or an empty pool left unused */
		px_pktmbuf_free_bulk(pkts + got, want - got);
	px_counter64_add(&st->pkts, got);
	px_counter64_add(&st->bytes, bytes);
	return got;
}

/* Chains gathered for one packet (several with MRG_RXBUF). */
struct gather {
	struct vhost_buf bufs[VHOST_MAX_SEGS];
	struct vhost_chain c[VHOST_MAX_SEGS];
	unsigned int nbufs, nchains;
	uint64_t cap;
};

/* Written bytes of chain @k when @need bytes fill the gathered chains in order. */
static inline uint32_t gather_len(const struct gather *g, unsigned int k, uint32_t need)
{
	for (unsigned int i = 0; i < k; i++)
		need -= g->c[i].total < need ? g->c[i].total : need;
	return g->c[k].total < need ? g->c[k].total : need;
}

enum gather_result { GATHER_OK, GATHER_EMPTY, GATHER_DROP };

static enum gather_result gather_split(struct vhost_vring *vr, uint16_t avail_idx, uint32_t need,
				       struct gather *g, uint16_t *avail)
{
	g->nbufs = g->nchains = 0;
	g->cap = 0;
	while (g->cap < need) {
		uint16_t head;
		int nb;

		if (*avail == avail_idx)
			return GATHER_EMPTY;
		if (g->nchains == VHOST_MAX_SEGS || (g->nchains > 0 && !vr->mrg))
			return GATHER_DROP;
		head = load16(&vr->split.avail->ring[*avail & (vr->size - 1)]);
		nb = vhost_walk_split(vr, head, true, g->bufs + g->nbufs, VHOST_MAX_SEGS - g->nbufs,
				      &g->c[g->nchains]);
		if (px_unlikely(nb < 0)) {
			if (g->nchains > 0) /* a mergeable packet's chains go back in order */
				return GATHER_DROP;
			px_counter64_add(&vr->cnt.bad_chain, 1);
			split_used(vr, head, 0); /* given back empty */
			(*avail)++;
			vr->last_avail = *avail;
			continue;
		}
		g->nbufs += (unsigned int)nb;
		g->cap += g->c[g->nchains++].total;
		(*avail)++;
	}
	return GATHER_OK;
}

/* The header of a packet in @nchains buffers: no offload, num_buffers (§5.1.6.4). A buffer
 * that held a packet before mostly holds this header already: stored again, the same bytes
 * would still take the line from the driver's core, which then misses on it for every packet;
 * so it is compared first (as DPDK's driver does its transmit headers). */
static inline void put_hdr(uint8_t *p, uint16_t nchains)
{
	struct virtio_net_hdr h = {.num_buffers = htole16(nchains)};
	uint64_t want_lo, lo;
	uint32_t want_hi, hi;

	memcpy(&want_lo, &h, sizeof(want_lo));
	memcpy(&want_hi, (const uint8_t *)&h + sizeof(want_lo), sizeof(want_hi));
	memcpy(&lo, p, sizeof(lo));
	memcpy(&hi, p + sizeof(lo), sizeof(hi));
	if (px_unlikely(lo != want_lo || hi != want_hi))
		memcpy(p, &h, sizeof(h));
}

/* The common case of both layouts: a one-segment packet, a 12-byte header, the next buffer a
 * lone device-writable descriptor (@flags: its NEXT, INDIRECT and WRITE bits) that holds header
 * and frame. Write both: @return the bytes written, or 0 when it is not that case (nothing
 * written; the general path decides). */
static inline uint32_t fast_put(struct xlate *x, const struct vhost_mem *mem,
				const struct px_mbuf *m, uint16_t flags, uint64_t addr,
				uint32_t len)
{
	uint32_t need = sizeof(struct virtio_net_hdr) + m->data_len;
	uint8_t *p;

	if (px_unlikely(flags != VRING_DESC_F_WRITE || m->next != NULL || len < need))
		return 0;
	p = xlate_ptr(x, mem, addr, len);
	if (px_unlikely(p == NULL))
		return 0;
	put_hdr(p, 1);
	copy_frame(p + sizeof(struct virtio_net_hdr), px_pktmbuf_mtod(m, const uint8_t *),
		   m->data_len);
	return need;
}

/* Up to @n packets (no more than are available) by fast_put, their used entries written at
 * once, the ring state in locals for the burst. @return packets taken; it stops at the first
 * the general path must take. */
static __attribute__((noinline)) uint16_t
enqueue_split_fast(struct vhost_vring *vr, struct px_mbuf **pkts, uint16_t n, uint64_t *bytes)
{
	const uint16_t *ring = vr->split.avail->ring;
	const volatile struct vring_desc *desc = vr->split.desc;
	volatile struct vring_used_elem *used = vr->split.used->ring;
	const struct vhost_mem *mem = vr->mem;
	uint16_t size = vr->size, mask = (uint16_t)(size - 1);
	uint16_t avail = vr->last_avail, uidx = vr->last_used, i;
	struct xlate x = {0};
	uint64_t b = 0;

	for (i = 0; i < n; i++) {
		const struct px_mbuf *m = pkts[i];
		uint16_t head = load16(&ring[avail & mask]);
		uint32_t len;

		if (px_unlikely(head >= size))
			break;
		len = fast_put(&x, mem, m, desc[head].flags, desc[head].addr, desc[head].len);
		if (px_unlikely(len == 0))
			break;
		used[uidx & mask].id = head;
		used[uidx & mask].len = len;
		uidx++;
		avail++;
		b += m->pkt_len;
	}
	vr->last_avail = avail;
	vr->last_used = uidx;
	*bytes += b;
	return i;
}

static uint16_t enqueue_split(struct vhost_vring *vr, struct px_mbuf **pkts, uint16_t n,
			      struct eth_queue_stats *st)
{
	uint16_t avail_idx = load_acquire16(&vr->split.avail->idx), old_used = vr->last_used;
	uint16_t done = 0, sent = 0, drops = 0;
	uint64_t bytes = 0;
	bool fast = vr->hdr_len == sizeof(struct virtio_net_hdr);
	struct gather g;

	if (px_unlikely((uint16_t)(avail_idx - vr->last_avail) > vr->size)) {
		px_counter64_add(&vr->cnt.bad_ring, 1);
		return 0;
	}
	if (px_likely(fast)) {
		uint16_t count = (uint16_t)(avail_idx - vr->last_avail);

		done = sent = enqueue_split_fast(vr, pkts, count < n ? count : n, &bytes);
	}
	for (; done < n; done++) {
		struct px_mbuf *m = pkts[done];
		uint32_t need = vr->hdr_len + m->pkt_len;
		uint16_t avail = vr->last_avail;
		enum gather_result r = GATHER_DROP;

		if (px_likely(m->pkt_len <= VHOST_MAX_FRAME))
			r = gather_split(vr, avail_idx, need, &g, &avail);
		if (r == GATHER_EMPTY)
			break;
		if (r == GATHER_OK) {
			mbuf_to_bufs(vr, m, g.bufs, g.nbufs, (uint16_t)g.nchains);
			for (unsigned int k = 0; k < g.nchains; k++)
				split_used(vr, g.c[k].id, gather_len(&g, k, need));
			vr->last_avail = avail;
			bytes += m->pkt_len;
			sent++;
		} else {
			drops++;
		}
	}
	px_pktmbuf_free_bulk(pkts, done); /* copied, or dropped */
	split_publish(vr, old_used);
	px_counter64_add(&st->pkts, sent);
	px_counter64_add(&st->bytes, bytes);
	if (drops)
		px_counter64_add(&st->errs, drops);
	return done;
}

/* ---- packed rings ------------------------------------------------------------------------- */

static inline bool packed_avail(uint16_t flags, bool wrap)
{
	return !!(flags & VRING_PACKED_DESC_F_AVAIL) == wrap &&
	       !!(flags & VRING_PACKED_DESC_F_USED) != wrap;
}

static inline void packed_advance(const struct vhost_vring *vr, uint16_t *pos, bool *wrap,
				  uint16_t k)
{
	*pos = (uint16_t)(*pos + k);
	if (*pos >= vr->size) {
		*pos = (uint16_t)(*pos - vr->size);
		*wrap = !*wrap;
	}
}

/* Used descriptors written in a batch: the first one's flags last (§2.8.21: the driver reads
 * them in order, so the batch appears at once). */
struct shadow {
	uint16_t pos[VHOST_MAX_SEGS];
	uint16_t flags[VHOST_MAX_SEGS];
	unsigned int n;
};

static inline void shadow_add(struct vhost_vring *vr, struct shadow *s, uint16_t id, uint32_t len,
			      uint16_t ndesc)
{
	volatile struct vring_packed_desc *d = &vr->packed.desc[vr->last_used];

	d->id = id;
	d->len = len;
	s->pos[s->n] = vr->last_used;
	s->flags[s->n++] = vr->used_wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0;
	packed_advance(vr, &vr->last_used, &vr->used_wrap, ndesc);
}

static void shadow_flush(struct vhost_vring *vr, struct shadow *s)
{
	if (s->n == 0)
		return;
	for (unsigned int i = 1; i < s->n; i++)
		__atomic_store_n(&vr->packed.desc[s->pos[i]].flags, s->flags[i], __ATOMIC_RELEASE);
	__atomic_store_n(&vr->packed.desc[s->pos[0]].flags, s->flags[0], __ATOMIC_RELEASE);
	s->n = 0;
}

/* A packed ring's positions, in locals for a fast loop: the next descriptor to read and the next
 * to write used, with their wrap counters. */
struct packed_pos {
	uint16_t pos, upos;
	bool wrap, uwrap;
};

static inline struct packed_pos packed_pos_get(const struct vhost_vring *vr)
{
	return (struct packed_pos){vr->last_avail, vr->last_used, vr->avail_wrap, vr->used_wrap};
}

static inline void packed_pos_put(struct vhost_vring *vr, const struct packed_pos *p)
{
	vr->last_avail = p->pos;
	vr->avail_wrap = p->wrap;
	vr->last_used = p->upos;
	vr->used_wrap = p->uwrap;
}

/* Is the descriptor at p->pos available (§2.8.1)? @return its NEXT, INDIRECT and WRITE bits
 * (what fast_put and fast_take check), its id, address and length read once, after the flags;
 * or -1 */
static inline int fast_peek_packed(const struct vring_packed_desc *desc, const struct packed_pos *p,
				   uint16_t *id, uint64_t *addr, uint32_t *len)
{
	const volatile struct vring_packed_desc *d = &desc[p->pos];
	uint16_t flags = load_acquire16(&desc[p->pos].flags);

	if (!packed_avail(flags, p->wrap))
		return -1;
	*id = d->id;
	*addr = d->addr;
	*len = d->len;
	return flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE);
}

/* The one-descriptor buffer at p->pos is done: its used descriptor (@id, @len) written at once
 * but for the flags (into @sh, flushed later), both positions one on. */
static inline void fast_used_packed(struct vring_packed_desc *desc, uint16_t size,
				    struct packed_pos *p, struct shadow *sh, uint16_t id,
				    uint32_t len)
{
	volatile struct vring_packed_desc *u = &desc[p->upos];

	u->id = id;
	u->len = len;
	sh->pos[sh->n] = p->upos;
	sh->flags[sh->n++] = p->uwrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0;
	if (++p->pos == size) {
		p->pos = 0;
		p->wrap = !p->wrap;
	}
	if (++p->upos == size) {
		p->upos = 0;
		p->uwrap = !p->uwrap;
	}
}

/* dequeue_split_fast for a packed ring: the used descriptors' id written at once (len 0), their
 * flags into @sh (flushed by the caller). @return packets taken */
static __attribute__((noinline)) uint16_t dequeue_packed_fast(struct vhost_vring *vr, uint16_t port,
							      struct px_mbuf **pkts, uint16_t n,
							      uint64_t *bytes, struct shadow *sh)
{
	struct vring_packed_desc *desc = vr->packed.desc;
	const struct vhost_mem *mem = vr->mem;
	struct packed_pos p = packed_pos_get(vr);
	uint16_t size = vr->size, i;
	uint32_t hdr = vr->hdr_len;
	struct xlate x = {0};
	uint64_t b = 0;

	for (i = 0; i < n && sh->n < VHOST_MAX_SEGS; i++) {
		uint64_t addr;
		uint32_t dlen, len;
		uint16_t id;
		int flags = fast_peek_packed(desc, &p, &id, &addr, &dlen);

		if (flags < 0)
			break;
		len = fast_take(&x, mem, pkts[i], port, hdr, (uint16_t)flags, addr, dlen);
		if (px_unlikely(len == 0))
			break;
		fast_used_packed(desc, size, &p, sh, id, 0);
		b += len;
	}
	packed_pos_put(vr, &p);
	*bytes += b;
	return i;
}

static uint16_t dequeue_packed(struct vhost_vring *vr, struct px_mempool *mp, uint16_t port,
			       struct px_mbuf **pkts, uint16_t n, struct eth_queue_stats *st)
{
	struct vhost_buf bufs[VHOST_MAX_SEGS];
	struct shadow sh;
	uint16_t got = 0, used = 0;
	uint64_t bytes = 0;

	if (!packed_avail(load_acquire16(&vr->packed.desc[vr->last_avail].flags), vr->avail_wrap))
		return 0;
	if (px_unlikely(px_pktmbuf_alloc_bulk(mp, pkts, n) != 0)) {
		px_counter64_add(&st->nombuf, 1);
		return 0;
	}
	sh.n = 0;
	got = used = dequeue_packed_fast(vr, port, pkts, n, &bytes, &sh);
	while (got < n) {
		uint16_t pos = vr->last_avail;
		struct vhost_chain c;
		int nb;

		if (!packed_avail(load_acquire16(&vr->packed.desc[pos].flags), vr->avail_wrap))
			break;
		nb = vhost_walk_packed(vr, pos, false, bufs, VHOST_MAX_SEGS, &c);
		if (px_unlikely(nb < 0)) { /* its length is unknown: the ring stops here */
			px_counter64_add(&vr->cnt.bad_chain, 1);
			break;
		}
		if (!dequeue_one(vr, bufs, (unsigned int)nb, c.total, mp, port, pkts, &got, &bytes,
				 st))
			break;
		packed_advance(vr, &vr->last_avail, &vr->avail_wrap, c.ndesc);
		shadow_add(vr, &sh, c.id, 0, c.ndesc);
		used++;
		if (sh.n == VHOST_MAX_SEGS)
			shadow_flush(vr, &sh);
	}
	shadow_flush(vr, &sh);
	if (used)
		packed_notify(vr);
	if (got < n)
		px_pktmbuf_free_bulk(pkts + got, n - got);
	px_counter64_add(&st->pkts, got);
	px_counter64_add(&st->bytes, bytes);
	return got;
}

/* enqueue_split_fast for a packed ring: the used descriptors' id and len written at once, their
 * flags into @sh (flushed by the caller). @return packets taken */
static __attribute__((noinline)) uint16_t enqueue_packed_fast(struct vhost_vring *vr,
							      struct px_mbuf **pkts, uint16_t n,
							      uint64_t *bytes, struct shadow *sh)
{
	struct vring_packed_desc *desc = vr->packed.desc;
	const struct vhost_mem *mem = vr->mem;
	struct packed_pos p = packed_pos_get(vr);
	uint16_t size = vr->size, i;
	struct xlate x = {0};
	uint64_t b = 0;

	for (i = 0; i < n && sh->n < VHOST_MAX_SEGS; i++) {
		const struct px_mbuf *m = pkts[i];
		uint64_t addr;
		uint32_t dlen, len;
		uint16_t id;
		int flags = fast_peek_packed(desc, &p, &id, &addr, &dlen);

		if (flags < 0)
			break;
		len = fast_put(&x, mem, m, (uint16_t)flags, addr, dlen);
		if (px_unlikely(len == 0))
			break;
		fast_used_packed(desc, size, &p, sh, id, len);
		b += m->pkt_len;
	}
	packed_pos_put(vr, &p);
	*bytes += b;
	return i;
}

static enum gather_result gather_packed(struct vhost_vring *vr, uint32_t need, struct gather *g,
					uint16_t *pos, bool *wrap)
{
	g->nbufs = g->nchains = 0;
	g->cap = 0;
	while (g->cap < need) {
		int nb;

		if (!packed_avail(load_acquire16(&vr->packed.desc[*pos].flags), *wrap))
			return GATHER_EMPTY;
		if (g->nchains == VHOST_MAX_SEGS || (g->nchains > 0 && !vr->mrg))
			return GATHER_DROP;
		nb = vhost_walk_packed(vr, *pos, true, g->bufs + g->nbufs,
				       VHOST_MAX_SEGS - g->nbufs, &g->c[g->nchains]);
		if (px_unlikely(nb < 0)) {
			if (g->nchains > 0) /* too many buffers for one packet */
				return GATHER_DROP;
			px_counter64_add(&vr->cnt.bad_chain, 1);
			return GATHER_EMPTY; /* the ring stops here (see dequeue_packed) */
		}
		g->nbufs += (unsigned int)nb;
		g->cap += g->c[g->nchains].total;
		packed_advance(vr, pos, wrap, g->c[g->nchains++].ndesc);
	}
	return GATHER_OK;
}

static uint16_t enqueue_packed(struct vhost_vring *vr, struct px_mbuf **pkts, uint16_t n,
			       struct eth_queue_stats *st)
{
	uint16_t done = 0, sent = 0, drops = 0;
	uint64_t bytes = 0;
	struct gather g;
	struct shadow sh;

	sh.n = 0;
	if (px_likely(vr->hdr_len == sizeof(struct virtio_net_hdr)))
		done = sent = enqueue_packed_fast(vr, pkts, n, &bytes, &sh);
	for (; done < n; done++) {
		struct px_mbuf *m = pkts[done];
		uint32_t need = vr->hdr_len + m->pkt_len;
		uint16_t pos = vr->last_avail;
		bool wrap = vr->avail_wrap;
		enum gather_result r = GATHER_DROP;

		if (px_likely(m->pkt_len <= VHOST_MAX_FRAME))
			r = gather_packed(vr, need, &g, &pos, &wrap);
		if (r == GATHER_EMPTY)
			break;
		if (r == GATHER_OK) {
			mbuf_to_bufs(vr, m, g.bufs, g.nbufs, (uint16_t)g.nchains);
			if (sh.n + g.nchains > VHOST_MAX_SEGS)
				shadow_flush(vr, &sh);
			for (unsigned int k = 0; k < g.nchains; k++)
				shadow_add(vr, &sh, g.c[k].id, gather_len(&g, k, need),
					   g.c[k].ndesc);
			vr->last_avail = pos;
			vr->avail_wrap = wrap;
			bytes += m->pkt_len;
			sent++;
		} else {
			drops++;
		}
	}
	px_pktmbuf_free_bulk(pkts, done); /* copied, or dropped */
	if (sh.n) {
		shadow_flush(vr, &sh);
		packed_notify(vr);
	}
	px_counter64_add(&st->pkts, sent);
	px_counter64_add(&st->bytes, bytes);
	if (drops)
		px_counter64_add(&st->errs, drops);
	return done;
}

/* ---- entry points ------------------------------------------------------------------------- */

uint16_t vhost_dequeue(struct vhost_vring *vr, struct px_mempool *mp, uint16_t port,
		       struct px_mbuf **pkts, uint16_t n, struct eth_queue_stats *st)
{
	uint16_t got;

	if (!vring_enter(vr))
		return 0;
	got = vr->is_packed ? dequeue_packed(vr, mp, port, pkts, n, st)
			    : dequeue_split(vr, mp, port, pkts, n, st);
	vring_leave(vr);
	return got;
}

uint16_t vhost_enqueue(struct vhost_vring *vr, struct px_mbuf **pkts, uint16_t n,
		       struct eth_queue_stats *st)
{
	uint16_t done;

	if (!vring_enter(vr))
		return 0;
	done = vr->is_packed ? enqueue_packed(vr, pkts, n, st) : enqueue_split(vr, pkts, n, st);
	vring_leave(vr);
	return done;
}

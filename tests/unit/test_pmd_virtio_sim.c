/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-net PMD's burst functions against a simulated device, on the host (no VFIO, no
 * QEMU): the test plays the device side of split (VIRTIO 1.2 §2.7) and packed (§2.8) rings in
 * ordinary memory whose IOVAs are its virtual addresses. What the TX queue's chains carry (after
 * the 12-byte header) is delivered as frames into the RX queue's buffers, spread over several
 * with num_buffers as a mergeable-buffer device does. Thousands of frames of 60..9014 bytes,
 * single segments and chains, wrap both rings many times; every byte is compared; the device's
 * notification suppression (NO_NOTIFY / avail_event / packed DISABLE and DESC) decides the
 * notifies the driver may write. The same harness can count instructions per packet under
 * callgrind (docs/virtio.md).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "px_test.h"
#include "px_eal.h"
#include "px_ethdev.h"
#include "px_mbuf.h"
#include "px_mempool.h"

#include "virtio.h"

#define SIM_DESC 64
#define SIM_NB_MBUF 1024
#define SIM_MAX_FRAME 9014
#define SIM_HDR 12
#define SIM_NO_NOTIFY 0xffff

struct sim_queue {
	struct virtio_queue vq;
	struct px_memzone mz;
	volatile uint16_t doorbell;
	/* the device's side */
	uint16_t last_avail; /* split: avail entries taken; packed: next position to read */
	uint16_t used;       /* split: used->idx; packed: next position to write */
	bool avail_wrap, used_wrap;
	unsigned int split_rx; /* frames of 3+ buffers received (sim_rx_batch) */
};

/* Split rings with VIRTIO_F_IN_ORDER (§2.7.9): the queues take the in-order bursts; with
 * sim_tx_batch the device writes one used entry per batch of TX chains (the last chain's id) and
 * moves used->idx over the batch, as the spec lets an in-order device. */
static bool sim_in_order, sim_tx_batch;
/* Packed rings in order (§2.8.8): the driver must give each chain the id of its first slot
 * (sim_bad_ids counts those that do not); with sim_tx_batch one used descriptor stands for a
 * batch of TX chains, with sim_rx_batch one for all the buffers of a received frame (the ones
 * before the last written whole, as the spec has it). */
static bool sim_rx_batch;
static unsigned int sim_bad_ids;

static size_t sim_ring_size(bool packed, size_t *drv, size_t *dev)
{
	*drv = SIM_DESC * 16;
	*dev = packed ? *drv + 4 : PX_ALIGN_CEIL(*drv + 4 + 2 * SIM_DESC + 2, 64);
	return packed ? *dev + 4 : *dev + 4 + 8 * SIM_DESC + 2;
}

static int sim_queue_init(struct sim_queue *q, bool packed, bool event_idx, bool tx,
			  struct px_mempool *mp)
{
	struct virtio_queue *vq = &q->vq;
	size_t drv, dev, len = sim_ring_size(packed, &drv, &dev);
	uint8_t *base;

	memset(q, 0, sizeof(*q));
	len = PX_ALIGN_CEIL(len, 64) + SIM_DESC * SIM_HDR;
	base = aligned_alloc(4096, PX_ALIGN_CEIL(len, 4096));
	PX_TEST_ASSERT(base != NULL, "ring memory");
	q->mz.addr = base;
	q->mz.len = len;
	q->mz.iova = (uint64_t)(uintptr_t)base;
	vq->mz = &q->mz;
	vq->packed_ring = packed;
	if (packed) {
		vq->packed.desc = (void *)base;
		vq->packed.driver = (void *)(base + drv);
		vq->packed.device = (void *)(base + dev);
	} else {
		vq->split.desc = (void *)base;
		vq->split.avail = (void *)(base + drv);
		vq->split.used = (void *)(base + dev);
	}
	vq->hdrs = (void *)(base + PX_ALIGN_CEIL(sim_ring_size(packed, &drv, &dev), 64));
	vq->hdrs_iova = (uint64_t)(uintptr_t)vq->hdrs;
	vq->sw_ring = calloc(SIM_DESC, sizeof(*vq->sw_ring));
	vq->id_next = calloc(SIM_DESC, sizeof(uint16_t));
	vq->chain_len = calloc(SIM_DESC, sizeof(uint16_t));
	vq->chain_end = calloc(SIM_DESC, sizeof(uint16_t));
	PX_TEST_ASSERT(vq->sw_ring && vq->id_next && vq->chain_len && vq->chain_end, "memory");
	vq->notify = &q->doorbell;
	q->doorbell = SIM_NO_NOTIFY;
	vq->mp = tx ? NULL : mp;
	vq->nb_desc = SIM_DESC;
	vq->mask = SIM_DESC - 1;
	vq->vq_index = tx ? 1 : 0;
	vq->free_thresh = tx ? 16 : 16;
	vq->hdr_size = SIM_HDR;
	vq->event_idx = event_idx;
	vq->mrg_rxbuf = true;
	vq->in_order = sim_in_order;
	virtio_queue_reset(vq);
	q->avail_wrap = q->used_wrap = true;
	return PX_TEST_OK;
}

static void sim_queue_free(struct sim_queue *q)
{
	virtio_queue_drop_mbufs(&q->vq);
	free(q->vq.sw_ring);
	free(q->vq.id_next);
	free(q->vq.chain_len);
	free(q->vq.chain_end);
	free(q->mz.addr);
}

/* ---- the device's side of the rings -------------------------------------------------------- */

/* The next available chain: its head id, its descriptors' (addr, len) and their count; false
 * when nothing is available. The chain stays available until sim_use(). */
struct sim_chain {
	uint16_t id, n;
	uint64_t addr[SIM_DESC];
	uint32_t len[SIM_DESC];
};

static bool sim_peek(struct sim_queue *q, uint16_t skip_pos, bool skip_wrap, struct sim_chain *c)
{
	struct virtio_queue *vq = &q->vq;

	c->n = 0;
	if (!vq->packed_ring) {
		uint16_t idx = le16toh(vq->split.avail->idx), d;

		if ((uint16_t)(idx - q->last_avail) <= skip_pos)
			return false;
		px_smp_rmb();
		c->id = d = le16toh(vq->split.avail->ring[(q->last_avail + skip_pos) & vq->mask]);
		for (;;) {
			volatile struct vring_desc *e = &vq->split.desc[d];

			c->addr[c->n] = le64toh(e->addr);
			c->len[c->n++] = le32toh(e->len);
			if (!(le16toh(e->flags) & VRING_DESC_F_NEXT))
				return true;
			d = le16toh(e->next);
		}
	}
	for (uint16_t pos = skip_pos, wrap = skip_wrap;;) {
		volatile struct vring_packed_desc *e = &vq->packed.desc[pos];
		uint16_t f = le16toh(e->flags);

		if ((bool)(f & VRING_PACKED_DESC_F_AVAIL) != (bool)wrap ||
		    (bool)(f & VRING_PACKED_DESC_F_USED) == (bool)wrap)
			return false;
		px_smp_rmb();
		c->addr[c->n] = le64toh(e->addr);
		c->len[c->n++] = le32toh(e->len);
		c->id = le16toh(e->id);
		if (++pos == SIM_DESC) {
			pos = 0;
			wrap = !wrap;
		}
		if (f & VRING_DESC_F_NEXT)
			continue;
		sim_bad_ids += vq->in_order && c->id != skip_pos;
		return true;
	}
}

/* Mark @n chains used (ids and written lengths), the first one's entry published last. */
static void sim_use(struct sim_queue *q, struct sim_chain *c, const uint32_t *written, int n)
{
	struct virtio_queue *vq = &q->vq;

	if (!vq->packed_ring) {
		for (int i = 0; i < n; i++) {
			vq->split.used->ring[(q->used + i) & vq->mask].id = htole32(c[i].id);
			vq->split.used->ring[(q->used + i) & vq->mask].len = htole32(written[i]);
		}
		q->used = (uint16_t)(q->used + n);
		q->last_avail = (uint16_t)(q->last_avail + n);
		px_smp_wmb();
		vq->split.used->idx = htole16(q->used);
		return;
	}
	uint16_t first = q->used, first_flags = 0;

	for (int i = 0; i < n; i++) {
		volatile struct vring_packed_desc *e = &vq->packed.desc[q->used];
		uint16_t f =
			q->used_wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0;

		e->id = htole16(c[i].id);
		e->len = htole32(written[i]);
		if (i == 0)
			first_flags = f;
		else
			e->flags = htole16(f);
		for (uint16_t k = 0; k < c[i].n; k++) {
			if (++q->used == SIM_DESC) {
				q->used = 0;
				q->used_wrap = !q->used_wrap;
			}
		}
	}
	q->last_avail = q->used;
	q->avail_wrap = q->used_wrap;
	px_smp_wmb();
	vq->packed.desc[first].flags = htole16(first_flags);
}

/* Packed, in order: the chains from the used position up to last_avail used at once, by one
 * used descriptor in the first one's slot naming the last one's @id (§2.8.8). */
static void sim_used_desc(struct sim_queue *q, uint16_t slot, bool wrap, uint16_t id,
			  uint32_t written)
{
	volatile struct vring_packed_desc *e = &q->vq.packed.desc[slot];

	e->id = htole16(id);
	e->len = htole32(written);
	px_smp_wmb();
	e->flags = htole16(wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0);
}

static void sim_use_batch(struct sim_queue *q, uint16_t id, uint32_t written)
{
	sim_used_desc(q, q->used, q->used_wrap, id, written);
	q->used = q->last_avail;
	q->used_wrap = q->avail_wrap;
}

/* Split, in order (§2.7.9): @n buffers used with one entry, at the batch's first position,
 * naming the last (@id, @len written into it); the ones before it written whole. */
static void sim_use_split_batch(struct sim_queue *q, uint16_t id, uint32_t len, uint16_t n)
{
	struct virtio_queue *vq = &q->vq;

	vq->split.used->ring[q->used & vq->mask].id = htole32(id);
	vq->split.used->ring[q->used & vq->mask].len = htole32(len);
	q->used = (uint16_t)(q->used + n);
	q->last_avail = (uint16_t)(q->last_avail + n);
	px_smp_wmb();
	vq->split.used->idx = htole16(q->used);
}

/* Where sim_tx() peeks at its chain @n: the packed ring's position, or for split the avail
 * entries after the last taken (with sim_tx_batch none is taken before the batch's end). */
static uint16_t sim_tx_skip(const struct sim_queue *q, int n)
{
	if (q->vq.packed_ring)
		return q->last_avail;
	return sim_tx_batch ? (uint16_t)n : 0;
}

/* Take every available TX chain: the frame after the header goes into @frames (each
 * SIM_MAX_FRAME bytes, their lengths in @lens), the header into sim_last_hdr; @return how
 * many. */
static struct virtio_net_hdr sim_last_hdr;

static int sim_tx(struct sim_queue *q, uint8_t (*frames)[SIM_MAX_FRAME], uint32_t *lens, int max)
{
	struct sim_chain c;
	int n = 0;

	/* split: with sim_tx_batch the chains stay available until the batch's one entry */
	while (n < max && sim_peek(q, sim_tx_skip(q, n), q->avail_wrap, &c)) {
		uint32_t off = 0, skip = SIM_HDR, zero = 0;

		for (uint16_t i = 0; i < c.n; i++) {
			const uint8_t *p = (const uint8_t *)(uintptr_t)c.addr[i];
			uint32_t l = c.len[i], s = PX_MIN(skip, l);

			memcpy((uint8_t *)&sim_last_hdr + (SIM_HDR - skip), p, s);
			skip -= s;
			if (l > s && off + (l - s) <= SIM_MAX_FRAME)
				memcpy(frames[n] + off, p + s, l - s);
			off += l - s;
		}
		lens[n++] = off;
		if (sim_tx_batch && !q->vq.packed_ring) {
			/* used at the end, in one entry */
		} else if (sim_tx_batch) {
			for (uint16_t k = 0; k < c.n; k++) { /* the same, packed */
				if (++q->last_avail == SIM_DESC) {
					q->last_avail = 0;
					q->avail_wrap = !q->avail_wrap;
				}
			}
		} else {
			sim_use(q, &c, &zero, 1);
		}
	}
	if (sim_tx_batch && q->vq.packed_ring && n > 0)
		sim_use_batch(q, c.id, 0);
	if (sim_tx_batch && !q->vq.packed_ring && n > 0)
		sim_use_split_batch(q, c.id, 0, (uint16_t)n);
	return n;
}

/* Deliver a frame into RX buffers (header with @hdr_flags, num_buffers as MRG_RXBUF); false
 * when the queue has too few buffers now. */
static bool sim_rx(struct sim_queue *q, const uint8_t *frame, uint32_t len, uint8_t hdr_flags)
{
	struct sim_chain c[SIM_DESC];
	uint32_t written[SIM_DESC], left = len + SIM_HDR, off = 0;
	uint16_t pos = q->last_avail;
	bool wrap = q->avail_wrap;
	int n = 0;

	while (left > 0) {
		uint16_t skip = q->vq.packed_ring ? 0 : (uint16_t)n;

		if (!sim_peek(q, q->vq.packed_ring ? pos : skip, wrap, &c[n]))
			return false;
		written[n] = PX_MIN(left, c[n].len[0]);
		left -= written[n];
		if (q->vq.packed_ring && ++pos == SIM_DESC) {
			pos = 0;
			wrap = !wrap;
		}
		n++;
	}
	for (int i = 0; i < n; i++) {
		uint8_t *p = (uint8_t *)(uintptr_t)c[i].addr[0];
		uint32_t w = written[i];

		if (i == 0) {
			struct virtio_net_hdr h = {.flags = hdr_flags,
						   .num_buffers = htole16((uint16_t)n)};

			memcpy(p, &h, SIM_HDR);
			p += SIM_HDR;
			w -= SIM_HDR;
		}
		memcpy(p, frame + off, w);
		off += w;
	}
	if (sim_rx_batch && q->vq.packed_ring && n >= 3 && ++q->split_rx % 2) {
		/* every other such frame in two batches, the first buffer alone; its descriptor
		 * last (§2.8.9) */
		uint16_t second = (uint16_t)((q->used + 1) % SIM_DESC);

		sim_used_desc(q, second, second ? q->used_wrap : !q->used_wrap, c[n - 1].id,
			      written[n - 1]);
		q->last_avail = pos;
		q->avail_wrap = wrap;
		sim_use_batch(q, c[0].id, written[0]);
	} else if (sim_rx_batch && q->vq.packed_ring) {
		q->last_avail = pos;
		q->avail_wrap = wrap;
		sim_use_batch(q, c[n - 1].id, written[n - 1]);
	} else if (sim_rx_batch && n >= 2) {
		/* split: one used entry for the frame's buffers, or every other frame of 3+ the
		 * first buffer alone and one entry for the rest */
		int first = n >= 3 && ++q->split_rx % 2;

		if (first)
			sim_use(q, c, written, 1);
		sim_use_split_batch(q, c[n - 1].id, written[n - 1], (uint16_t)(n - first));
	} else {
		sim_use(q, c, written, n);
	}
	return true;
}

/* ---- the test ------------------------------------------------------------------------------ */

static uint8_t sim_byte(uint32_t seq, uint32_t off)
{
	return (uint8_t)(seq * 29u + off * 13u + (off >> 7));
}

static uint32_t sim_len(uint32_t seq)
{
	static const uint32_t lens[] = {60, 1514, 9014, 61, 2048, 2060, 4000, 777, 6001, 128};

	return lens[seq % PX_DIM(lens)];
}

static struct px_mbuf *sim_frame(struct px_mempool *mp, uint32_t seq, uint32_t seg)
{
	uint32_t len = sim_len(seq);
	struct px_mbuf *head = NULL;

	for (uint32_t off = 0; off < len;) {
		uint32_t n = PX_MIN(seg, len - off);
		struct px_mbuf *m = px_pktmbuf_alloc(mp);

		if (m == NULL || (head && px_pktmbuf_chain(head, m) != 0)) {
			px_pktmbuf_free(m);
			px_pktmbuf_free(head);
			return NULL;
		}
		if (head == NULL && seq % 7 == 3)
			m->data_off =
				0; /* no headroom: the header goes in a descriptor of its own */
		for (uint32_t i = 0; i < n; i++)
			px_pktmbuf_mtod(m, uint8_t *)[i] = sim_byte(seq, off + i);
		m->data_len = (uint16_t)n;
		if (head == NULL)
			head = m;
		head->pkt_len = off + n;
		off += n;
	}
	return head;
}

static int sim_check(struct px_mbuf *m, uint32_t seq)
{
	uint32_t off = 0;

	PX_TEST_ASSERT_EQ(m->pkt_len, sim_len(seq), "length of frame %u", seq);
	for (const struct px_mbuf *s = m; s; s = s->next)
		for (uint32_t i = 0; i < s->data_len; i++, off++)
			PX_TEST_ASSERT_EQ(px_pktmbuf_mtod(s, const uint8_t *)[i],
					  sim_byte(seq, off), "byte %u of frame %u", off, seq);
	PX_TEST_ASSERT_EQ(off, m->pkt_len, "segments add up");
	return PX_TEST_OK;
}

/* Every mbuf's IOVA is its address: the simulated device reads and writes through it. */
static struct px_mempool *sim_pool(void)
{
	struct px_mbuf *all[SIM_NB_MBUF];
	struct px_mempool *mp = px_pktmbuf_pool_create("virtio_sim", SIM_NB_MBUF, 0, 0,
						       PX_MBUF_DEFAULT_BUF_SIZE, 0);

	if (mp == NULL || px_pktmbuf_alloc_bulk(mp, all, SIM_NB_MBUF) != 0)
		return NULL;
	for (unsigned int i = 0; i < SIM_NB_MBUF; i++)
		all[i]->buf_iova = (uint64_t)(uintptr_t)all[i]->buf_addr;
	px_pktmbuf_free_bulk(all, SIM_NB_MBUF);
	return mp;
}

/* The start of each test: the EAL, the pool, both queues. @return the pool, or NULL */
static struct px_mempool *sim_setup(struct sim_queue *tx, struct sim_queue *rx, bool packed,
				    bool event_idx)
{
	struct px_mempool *mp;

	if (tx == NULL || rx == NULL || px_test_eal_init("-l 0 --no-huge --no-pci -m 64") < 0)
		return NULL;
	mp = sim_pool();
	if (mp == NULL || sim_queue_init(tx, packed, event_idx, true, mp) != PX_TEST_OK ||
	    sim_queue_init(rx, packed, event_idx, false, mp) != PX_TEST_OK)
		return NULL;
	return mp;
}

/* The device asks for notifies (or not) through its suppression structure. */
static void sim_want_notify(struct sim_queue *q, bool want)
{
	struct virtio_queue *vq = &q->vq;

	if (vq->packed_ring) {
		vq->packed.device->flags = htole16(want ? VRING_PACKED_EVENT_FLAG_ENABLE
							: VRING_PACKED_EVENT_FLAG_DISABLE);
	} else if (vq->event_idx) {
		/* avail_event: notify when the index passes the one the device has seen */
		*(volatile uint16_t *)&vq->split.used->ring[SIM_DESC] =
			htole16(want ? q->last_avail : (uint16_t)(q->last_avail + 0x8000));
	} else {
		vq->split.used->flags = htole16(want ? 0 : VRING_USED_F_NO_NOTIFY);
	}
}

/* The queues freed, every mbuf back in the pool, the EAL down. */
static int sim_teardown(struct sim_queue *tx, struct sim_queue *rx, struct px_mempool *mp)
{
	sim_queue_free(tx);
	sim_queue_free(rx);
	free(tx);
	free(rx);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), SIM_NB_MBUF, "every mbuf back");
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "EAL cleanup");
	return PX_TEST_OK;
}

/* Packed: where the driver finds the device writes next (virtio_packed_used_end, which
 * vhost-user's SET_VRING_BASE needs) is where it does, batches or not. */
static bool sim_used_end_ok(const struct sim_queue *q)
{
	bool wrap;

	return virtio_packed_used_end(&q->vq, &wrap) == q->used && wrap == q->used_wrap;
}

/* The bursts the port would pick for the queue (virtio_rx_burst, as virtio_set_bursts). */
static px_eth_rx_burst_t sim_rx_burst(const struct virtio_queue *vq)
{
	return virtio_rx_burst(vq->packed_ring, vq->in_order);
}

static px_eth_tx_burst_t sim_tx_burst(const struct virtio_queue *vq)
{
	return virtio_tx_burst(vq->packed_ring, vq->in_order);
}

/* @n frames of 60..9014 bytes through TX, the device and RX, every byte checked. */
static int sim_run(bool packed, bool event_idx, uint32_t n)
{
	static uint8_t frames[8][SIM_MAX_FRAME];
	struct sim_queue *tx = calloc(1, sizeof(*tx)), *rx = calloc(1, sizeof(*rx));
	uint32_t lens[8], next_tx = 0, next_rx = 0, pend_i = 0, pend_n = 0;
	uint64_t kicks = 0, bursts = 0;
	struct px_mempool *mp;
	px_eth_rx_burst_t rx_burst;
	px_eth_tx_burst_t tx_burst;

	mp = sim_setup(tx, rx, packed, event_idx);
	PX_TEST_ASSERT(mp != NULL, "EAL, pool and queues");
	sim_bad_ids = 0;
	rx_burst = sim_rx_burst(&rx->vq);
	tx_burst = sim_tx_burst(&tx->vq);
	PX_TEST_ASSERT_EQ(virtio_rx_refill(&rx->vq, false), 0, "RX ring filled");
	for (uint32_t stall = 0; next_rx < n; stall++) {
		struct px_mbuf *pkts[8];
		uint16_t nb = 0, sent, got;
		bool want = (next_tx / 256) % 2 == 0; /* the device alternates */

		PX_TEST_ASSERT(stall < 1000, "no progress at frame %u sent, %u received", next_tx,
			       next_rx);

		sim_want_notify(tx, want);
		while (pend_i == pend_n && nb < 8 && next_tx + nb < n &&
		       (pkts[nb] = sim_frame(mp, next_tx + nb, (next_tx + nb) % 3 ? 2048 : 700)))
			nb++;
		tx->doorbell = SIM_NO_NOTIFY;
		sent = nb ? tx_burst(&tx->vq, pkts, nb) : 0;
		px_pktmbuf_free_bulk(pkts + sent, nb - sent);
		if (sent) {
			bursts++;
			kicks += tx->doorbell != SIM_NO_NOTIFY;
			PX_TEST_ASSERT_EQ(tx->doorbell != SIM_NO_NOTIFY, want,
					  "a notify exactly when the device wants one (frame %u)",
					  next_tx);
		}
		next_tx += sent;
		if (pend_i == pend_n) {
			pend_n = (uint32_t)sim_tx(tx, frames, lens, 8);
			pend_i = 0;
		}
		/* a frame the RX ring cannot take now waits, in order, for the next round */
		while (pend_i < pend_n && sim_rx(rx, frames[pend_i], lens[pend_i], 0))
			pend_i++;
		PX_TEST_ASSERT(!packed || (sim_used_end_ok(tx) && sim_used_end_ok(rx)),
			       "the driver knows where the device writes next (frame %u)", next_tx);
		got = rx_burst(&rx->vq, pkts, 8);
		if (sent || got)
			stall = 0;
		for (uint16_t i = 0; i < got; i++) {
			int ret = sim_check(pkts[i], next_rx++);

			px_pktmbuf_free(pkts[i]);
			if (ret != PX_TEST_OK)
				return ret;
		}
	}
	printf("%s rings%s%s%s: %u frames, %" PRIu64 " of %" PRIu64
	       " TX bursts notified; TX avail index %u, RX used index %u\n",
	       packed ? "packed" : "split", event_idx ? " (event idx)" : "",
	       tx->vq.in_order ? " in order" : "", sim_tx_batch ? " (used in batches)" : "", n,
	       kicks, bursts, tx->vq.avail_idx, rx->vq.used_idx);
	PX_TEST_ASSERT_EQ(tx->vq.in_order, sim_in_order, "the in-order path ran");
	PX_TEST_ASSERT_EQ(sim_bad_ids, 0, "in order: every chain's id is its first slot");
	return sim_teardown(tx, rx, mp);
}

static int test_virtio_sim_split(void)
{
	return sim_run(false, false, 3000);
}
PX_TEST(virtio_sim_split_autotest, 0, test_virtio_sim_split)

static int test_virtio_sim_split_event_idx(void)
{
	return sim_run(false, true, 3000);
}
PX_TEST(virtio_sim_split_event_idx_autotest, 0, test_virtio_sim_split_event_idx)

static int test_virtio_sim_packed(void)
{
	return sim_run(true, false, 3000);
}
PX_TEST(virtio_sim_packed_autotest, 0, test_virtio_sim_packed)

/* Split rings in order: the device writes an entry per buffer (as DPDK's and Pollux's vhost
 * do), then one per TX batch (up to 8 chains) and one per received frame's buffers (every other
 * frame of 3 or more in two batches: the first buffer, then the rest); 70000 frames run the
 * free-running 16-bit avail and used indices of both queues past 65535 (RX, with mergeable
 * buffers, several times). */
static int sim_run_in_order(bool packed, bool event_idx, bool batch)
{
	int ret;

	sim_in_order = true;
	sim_tx_batch = batch;
	sim_rx_batch = batch;
	ret = sim_run(packed, event_idx, 70000);
	sim_in_order = sim_tx_batch = sim_rx_batch = false;
	return ret;
}

static int test_virtio_sim_split_in_order(void)
{
	return sim_run_in_order(false, false, false);
}
PX_TEST(virtio_sim_split_in_order_autotest, 0, test_virtio_sim_split_in_order)

static int test_virtio_sim_split_in_order_batch(void)
{
	return sim_run_in_order(false, true, true);
}
PX_TEST(virtio_sim_split_in_order_batch_autotest, 0, test_virtio_sim_split_in_order_batch)

/* Packed rings in order (§2.8.8): each chain's id its first slot (the device checks), a used
 * descriptor per chain and buffer, then one per TX batch (up to 8 chains) and one per received
 * frame (up to 5 mergeable buffers; every other frame of 3 or more in two batches); the used
 * end the driver computes is checked against the device's each round. The 70000 frames (192000
 * TX and 126000 RX descriptors) flip the rings' wrap counters 3000 and 2000 times (a packed ring
 * has no free-running index; the descriptor counts pass 65535 nearly three and two times). */
static int test_virtio_sim_packed_in_order(void)
{
	return sim_run_in_order(true, false, false);
}
PX_TEST(virtio_sim_packed_in_order_autotest, 0, test_virtio_sim_packed_in_order)

static int test_virtio_sim_packed_in_order_batch(void)
{
	return sim_run_in_order(true, false, true);
}
PX_TEST(virtio_sim_packed_in_order_batch_autotest, 0, test_virtio_sim_packed_in_order_batch)

/* TX burst with nothing to send: the cleanup alone (free_thresh is the ring size here). */
static uint64_t sim_tx_errs(struct sim_queue *tx)
{
	PX_TEST_ASSERT_EQ(sim_tx_burst(&tx->vq)(&tx->vq, NULL, 0), 0, "nothing sent");
	return px_counter64_fetch(&tx->vq.st.errs);
}

/* A broken in-order device on packed rings: a used descriptor naming an id the driver does not
 * have out (TX: the chain in that slot taken back alone; RX: the buffer dropped), each counted
 * as an error, no mbuf lost, good chains and frames after it taken as usual; a used mark where
 * the device holds nothing is not read. */
static int test_virtio_sim_packed_in_order_bad_id(void)
{
	struct sim_queue *tx = calloc(1, sizeof(*tx)), *rx = calloc(1, sizeof(*rx));
	struct px_mbuf *pkts[8];
	struct px_mempool *mp;
	uint8_t frame[60];
	bool wrap;

	sim_in_order = true;
	mp = sim_setup(tx, rx, true, false);
	sim_in_order = false;
	PX_TEST_ASSERT(mp != NULL, "EAL, pool and queues");
	tx->vq.free_thresh = SIM_DESC;
	for (int i = 0; i < 3; i++)
		PX_TEST_ASSERT((pkts[i] = sim_frame(mp, 0, 2048)) != NULL, "frame");
	PX_TEST_ASSERT_EQ(sim_tx_burst(&tx->vq)(&tx->vq, pkts, 3), 3, "3 chains, slots 0-2");
	sim_used_desc(tx, 0, true, 200, 0); /* id 200 of a 64-entry ring */
	PX_TEST_ASSERT_EQ(sim_tx_errs(tx), 1, "TX: the bad id counted");
	PX_TEST_ASSERT_EQ(tx->vq.nb_free, SIM_DESC - 2, "TX: slot 0's chain taken back alone");
	sim_used_desc(tx, 1, true, 2, 0); /* a good batch: slots 1 and 2 */
	PX_TEST_ASSERT_EQ(sim_tx_errs(tx), 1, "TX: the batch is good");
	PX_TEST_ASSERT_EQ(tx->vq.nb_free, SIM_DESC, "TX: everything back");
	sim_used_desc(tx, 3, true, 3, 0); /* used, but slot 3 holds nothing */
	PX_TEST_ASSERT_EQ(virtio_packed_used_end(&tx->vq, &wrap), 3, "TX: nothing held, none used");
	PX_TEST_ASSERT_EQ(sim_tx_errs(tx), 1, "TX: no cleanup while every descriptor is free");

	PX_TEST_ASSERT_EQ(virtio_rx_refill(&rx->vq, false), 0, "RX ring filled");
	for (uint32_t seq = 0; seq <= 20; seq += 10) { /* 60-byte frames (sim_len) */
		for (uint32_t i = 0; i < sizeof(frame); i++)
			frame[i] = sim_byte(seq, i);
		if (seq == 10) { /* slot 1 used, naming buffer 500 */
			sim_used_desc(rx, 1, true, 500, sizeof(frame) + SIM_HDR);
			rx->used = rx->last_avail = 2;
		} else {
			PX_TEST_ASSERT(sim_rx(rx, frame, sizeof(frame), 0), "frame %u in", seq);
		}
	}
	PX_TEST_ASSERT_EQ(sim_rx_burst(&rx->vq)(&rx->vq, pkts, 8), 2, "RX: the good frames");
	PX_TEST_ASSERT_EQ(px_counter64_fetch(&rx->vq.st.errs), 1, "RX: the bad id counted");
	PX_TEST_ASSERT_EQ(rx->vq.nb_free, 3, "RX: the bad slot's buffer off the ring too");
	for (uint32_t i = 0; i < 2; i++) {
		int ret = sim_check(pkts[i], i * 20);

		px_pktmbuf_free(pkts[i]);
		if (ret != PX_TEST_OK)
			return ret;
	}
	return sim_teardown(tx, rx, mp);
}
PX_TEST(virtio_sim_packed_in_order_bad_id_autotest, 0, test_virtio_sim_packed_in_order_bad_id)

/* The virtio-net header's offload fields (§5.1.6.2): a UDP/IPv4 packet that asks for its L4
 * checksum carries NEEDS_CSUM with csum_start = l2_len + l3_len and csum_offset = 6 (the UDP
 * checksum field) when VIRTIO_NET_F_CSUM is negotiated, a zero header otherwise; on receive
 * (VIRTIO_NET_F_GUEST_CSUM) DATA_VALID becomes L4_CKSUM_GOOD and NEEDS_CSUM L4_CKSUM_NONE. A
 * TCP packet with PX_MBUF_F_TX_TCP_SEG gets GSO_TCPV4, gso_size and hdr_len with HOST_TSO4
 * only, and the TCP length added to its pseudo-header sum. */
static int test_virtio_sim_offload(void)
{
	static uint8_t frame[1][SIM_MAX_FRAME];
	static const uint8_t rx_hdr[] = {0, VIRTIO_NET_HDR_F_DATA_VALID,
					 VIRTIO_NET_HDR_F_NEEDS_CSUM};
	static const uint64_t rx_flags[] = {0, PX_MBUF_F_RX_L4_CKSUM_GOOD,
					    PX_MBUF_F_RX_L4_CKSUM_NONE};
	struct sim_queue *tx = calloc(1, sizeof(*tx)), *rx = calloc(1, sizeof(*rx));
	struct px_mempool *mp;
	uint32_t len;

	mp = sim_setup(tx, rx, false, false);
	PX_TEST_ASSERT(mp != NULL, "EAL, pool and queues");
	rx->vq.rx_csum = true;
	PX_TEST_ASSERT_EQ(virtio_rx_refill(&rx->vq, false), 0, "RX ring filled");
	for (int csum = 0; csum < 2; csum++) {
		struct px_mbuf *m = sim_frame(mp, 0, 2048);

		tx->vq.tx_csum = csum;
		m->ol_flags = PX_MBUF_F_TX_IPV4 | PX_MBUF_F_TX_UDP_CKSUM;
		m->l2_len = 14;
		m->l3_len = 20;
		PX_TEST_ASSERT_EQ(virtio_xmit_pkts(&tx->vq, &m, 1), 1, "tx");
		PX_TEST_ASSERT_EQ(sim_tx(tx, frame, &len, 1), 1, "the device took it");
		PX_TEST_ASSERT_EQ(sim_last_hdr.flags, csum ? VIRTIO_NET_HDR_F_NEEDS_CSUM : 0,
				  "NEEDS_CSUM with CSUM negotiated only");
		PX_TEST_ASSERT_EQ(le16toh(sim_last_hdr.csum_start), csum ? 34 : 0, "csum_start");
		PX_TEST_ASSERT_EQ(le16toh(sim_last_hdr.csum_offset), csum ? 6 : 0, "csum_offset");
		PX_TEST_ASSERT_EQ(sim_last_hdr.gso_type, VIRTIO_NET_HDR_GSO_NONE, "no GSO");
	}
	/* TSO (HOST_TSO4 negotiated or not): frame 1 (1514 bytes) as TCP/IPv4 with MSS 500; the
	 * pseudo-header sum without the length in the TCP checksum field gets the TCP length
	 * (1480) added for a Linux backend */
	for (int tso = 0; tso < 2; tso++) {
		struct px_mbuf *m = sim_frame(mp, 1, 2048);
		uint8_t *ck = px_pktmbuf_mtod(m, uint8_t *) + 34 + 16;
		uint16_t v = 0x1234, want;
		uint32_t sum = (uint32_t)v + htobe16(1514 - 34);

		memcpy(ck, &v, 2);
		want = (uint16_t)((sum & 0xffff) + (sum >> 16));
		tx->vq.tx_csum = true;
		tx->vq.tx_tso = tso;
		m->ol_flags = PX_MBUF_F_TX_IPV4 | PX_MBUF_F_TX_TCP_SEG | PX_MBUF_F_TX_TCP_CKSUM;
		m->l2_len = 14;
		m->l3_len = 20;
		m->l4_len = 20;
		m->tso_segsz = 500;
		PX_TEST_ASSERT_EQ(virtio_xmit_pkts(&tx->vq, &m, 1), 1, "tx");
		PX_TEST_ASSERT_EQ(sim_tx(tx, frame, &len, 1), 1, "the device took it");
		PX_TEST_ASSERT_EQ(sim_last_hdr.gso_type,
				  tso ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_NONE,
				  "GSO_TCPV4 with HOST_TSO4 only");
		PX_TEST_ASSERT_EQ(le16toh(sim_last_hdr.gso_size), tso ? 500 : 0, "gso_size");
		PX_TEST_ASSERT_EQ(le16toh(sim_last_hdr.hdr_len), tso ? 54 : 0, "hdr_len");
		PX_TEST_ASSERT_EQ(sim_last_hdr.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM, "NEEDS_CSUM");
		PX_TEST_ASSERT_EQ(le16toh(sim_last_hdr.csum_start), 34, "csum_start");
		PX_TEST_ASSERT_EQ(le16toh(sim_last_hdr.csum_offset), 16, "csum_offset (TCP)");
		memcpy(&v, frame[0] + 34 + 16, 2);
		PX_TEST_ASSERT_EQ(v, tso ? want : 0x1234, "TCP checksum field %#x", v);
	}
	for (unsigned int i = 0; i < PX_DIM(rx_hdr); i++) {
		struct px_mbuf *m;

		PX_TEST_ASSERT(sim_rx(rx, frame[0], len, rx_hdr[i]), "delivered");
		PX_TEST_ASSERT_EQ(virtio_recv_pkts(&rx->vq, &m, 1), 1, "rx");
		PX_TEST_ASSERT_EQ(m->ol_flags & PX_MBUF_F_RX_L4_CKSUM_MASK, rx_flags[i],
				  "checksum flags of header flags %#x", rx_hdr[i]);
		px_pktmbuf_free(m);
	}
	return sim_teardown(tx, rx, mp);
}
PX_TEST(virtio_sim_offload_autotest, 0, test_virtio_sim_offload)

/*
 * The TX burst's cost per packet, for callgrind (docs/virtio.md): 64-byte single-segment frames
 * in bursts of 32, the simulated device marking every chain used at once without reading it, so
 * that the inclusive count of the burst sim_tx_burst picks (virtio_xmit_pkts[_packed][_inorder])
 * over SIM_PERF_PKTS is the driver's work: descriptors, header, and taking back (bulk-freeing)
 * what the device used.
 */
#define SIM_PERF_PKTS (32 * 4096)

static int sim_perf(bool packed)
{
	static uint8_t frames[32][SIM_MAX_FRAME];
	struct sim_queue *tx = calloc(1, sizeof(*tx)), *rx = calloc(1, sizeof(*rx));
	struct px_mempool *mp;
	uint32_t zero = 0, lens[32];

	mp = sim_setup(tx, rx, packed, false);
	PX_TEST_ASSERT(mp != NULL, "EAL, pool and queues");
	sim_want_notify(tx, false);
	for (uint32_t r = 0; r < SIM_PERF_PKTS / 32; r++) {
		struct px_mbuf *pkts[32];
		struct sim_chain c;

		PX_TEST_ASSERT_EQ(px_pktmbuf_alloc_bulk(mp, pkts, 32), 0, "round %u: mbufs", r);
		for (int i = 0; i < 32; i++)
			pkts[i]->data_len = (uint16_t)(pkts[i]->pkt_len = 64);
		PX_TEST_ASSERT_EQ(sim_tx_burst(&tx->vq)(&tx->vq, pkts, 32), 32,
				  "round %u: a full burst", r);
		if (sim_tx_batch) /* one used entry for the burst, the frames copied out */
			PX_TEST_ASSERT_EQ(sim_tx(tx, frames, lens, 32), 32, "round %u: used", r);
		while (sim_peek(tx, packed ? tx->last_avail : 0, tx->avail_wrap, &c))
			sim_use(tx, &c, &zero, 1);
	}
	PX_TEST_ASSERT_EQ(tx->doorbell, SIM_NO_NOTIFY, "no notify: the device said so");
	return sim_teardown(tx, rx, mp);
}

static int test_virtio_sim_perf(void)
{
	int ret = sim_perf(false);

	return ret == PX_TEST_OK ? sim_perf(true) : ret;
}
PX_TEST(virtio_sim_perf_autotest, PX_TEST_F_PERF, test_virtio_sim_perf);

/* The same with VIRTIO_F_IN_ORDER (the in-order bursts), the device writing one used entry per
 * burst of 32 as DPDK's vhost does in order. */
static int test_virtio_sim_perf_in_order(void)
{
	int ret;

	sim_in_order = sim_tx_batch = true;
	ret = test_virtio_sim_perf();
	sim_in_order = sim_tx_batch = false;
	return ret;
}
PX_TEST(virtio_sim_perf_in_order_autotest, PX_TEST_F_PERF, test_virtio_sim_perf_in_order);

/*
 * The RX burst's cost per packet, for callgrind: the device fills 32 buffers with 64-byte frames,
 * one each, and the driver takes them in one burst of 32, refilling (the device asks for no
 * notify), so that virtio_recv_pkts[_packed][_inorder]'s inclusive count over
 * SIM_PERF_PKTS is the driver's work: used entries, mbuf fields, refill.
 */
static int sim_perf_rx(bool packed)
{
	static const uint8_t frame[64];
	struct sim_queue *tx = calloc(1, sizeof(*tx)), *rx = calloc(1, sizeof(*rx));
	struct px_mempool *mp;
	px_eth_rx_burst_t rx_burst;

	mp = sim_setup(tx, rx, packed, false);
	PX_TEST_ASSERT(mp != NULL, "EAL, pool and queues");
	rx_burst = sim_rx_burst(&rx->vq);
	PX_TEST_ASSERT_EQ(virtio_rx_refill(&rx->vq, false), 0, "RX ring filled");
	sim_want_notify(rx, false);
	for (uint32_t r = 0; r < SIM_PERF_PKTS / 32; r++) {
		struct px_mbuf *pkts[32];

		for (int i = 0; i < 32; i++)
			PX_TEST_ASSERT(sim_rx(rx, frame, sizeof(frame), 0), "round %u: delivered",
				       r);
		PX_TEST_ASSERT_EQ(rx_burst(&rx->vq, pkts, 32), 32, "round %u: a full burst", r);
		px_pktmbuf_free_bulk(pkts, 32);
	}
	PX_TEST_ASSERT_EQ(rx->doorbell, SIM_NO_NOTIFY, "no notify: the device said so");
	return sim_teardown(tx, rx, mp);
}

static int test_virtio_sim_perf_rx(void)
{
	int ret = sim_perf_rx(false);

	return ret == PX_TEST_OK ? sim_perf_rx(true) : ret;
}
PX_TEST(virtio_sim_perf_rx_autotest, PX_TEST_F_PERF, test_virtio_sim_perf_rx);

/* The same with VIRTIO_F_IN_ORDER (the in-order bursts). */
static int test_virtio_sim_perf_rx_in_order(void)
{
	int ret;

	sim_in_order = true;
	ret = test_virtio_sim_perf_rx();
	sim_in_order = false;
	return ret;
}
PX_TEST(virtio_sim_perf_rx_in_order_autotest, PX_TEST_F_PERF, test_virtio_sim_perf_rx_in_order);

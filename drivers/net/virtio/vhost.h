/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vhost's internals: the vhost-user backend (vhost_dev.c: messages, memory, vrings), its
 * data path (vhost_rxtx.c: the device side of split and packed rings) and the PMD around them
 * (vhost_ethdev.c). Not installed. Layouts: virtio_spec.h and vhost_user.h.
 *
 * Who touches what. A vring's data-path fields are read and written only by the lcore that
 * polls its ethdev queue, and only while the vring is ready; the control thread (the socket's)
 * changes a vring or the memory table only while it is not. The hand-over is an RCU-lite
 * with one reader per vring:
 *   data path:  busy = 1 (seq_cst); if (ready == 0) { busy = 0; return 0; } ...burst...;
 *               busy = 0 (release)
 *   control:    ready = 0 (seq_cst); while (busy) pause;   -- now it may unmap, close fds
 * Both sides store then load with seq_cst ordering, so either the data path sees ready == 0
 * or the control thread sees busy == 1 and waits for the burst to end (Dekker). A frontend
 * that vanishes mid-burst therefore never has its memory unmapped under the lcore.
 *
 * Everything the frontend writes in shared memory is untrusted: every index is checked against
 * the ring, every address translated with its length inside one region, every chain bounded by
 * the ring size (and VHOST_MAX_SEGS buffers), indirect tables at one level.
 */
#ifndef VHOST_H
#define VHOST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ethdev_driver.h"
#include "px_mbuf.h"

#include "vhost_user.h"
#include "virtio_spec.h"

#define VHOST_MAX_QUEUE_PAIRS 8
#define VHOST_MAX_VRINGS (2 * VHOST_MAX_QUEUE_PAIRS)
#define VHOST_MAX_RING 32768 /* §2.7 / §2.8: queue size at most 32768 */
/* The most buffers (descriptors, or chains for a mergeable packet) one packet may use;
 * a longer chain is refused (counted as an error). */
#define VHOST_MAX_SEGS 64

/* Features net_vhost offers (GET_FEATURES) */
#define VHOST_FEATURES                                                             \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) |     \
	 VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX) |  \
	 VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_IN_ORDER) | \
	 VIRTIO_BIT(VIRTIO_NET_F_MQ) | VIRTIO_BIT(VHOST_USER_F_PROTOCOL_FEATURES))
#define VHOST_PROTOCOL_FEATURES                                                               \
	(VIRTIO_BIT(VHOST_USER_PROTOCOL_F_MQ) | VIRTIO_BIT(VHOST_USER_PROTOCOL_F_REPLY_ACK) | \
	 VIRTIO_BIT(VHOST_USER_PROTOCOL_F_STATUS))

/* One region of the frontend's memory, mapped here. */
struct vhost_region {
	uint64_t gpa; /* guest_phys_addr: what descriptors carry */
	uint64_t size;
	uint64_t uva;  /* the frontend's address: what SET_VRING_ADDR carries */
	uint8_t *host; /* our address of gpa */
	void *map;     /* the mapping: the region's pages of its file */
	size_t map_len;
};

struct vhost_mem {
	uint32_t nregions;
	struct vhost_region r[VHOST_MEMORY_BASELINE_NREGIONS];
};

/* Where [@gpa, @gpa + @len) is mapped here, or NULL when it is not inside one region. */
static inline uint8_t *vhost_gpa_to_ptr(const struct vhost_mem *m, uint64_t gpa, uint64_t len)
{
	for (uint32_t i = 0; i < m->nregions; i++) {
		const struct vhost_region *r = &m->r[i];
		uint64_t off = gpa - r->gpa;

		if (gpa >= r->gpa && off < r->size && len <= r->size - off)
			return r->host + off;
	}
	return NULL;
}

/* Errors the data path counts per vring (the frontend broke the rules). */
struct vhost_vring_counters {
	px_counter64_t bad_chain; /* a chain refused: bad index, address, loop, too long */
	px_counter64_t bad_ring;  /* the avail index moved by more than the ring size */
	px_counter64_t calls;     /* callfd writes (the frontend asked to be told) */
};

struct vhost_vring {
	/* ---- the RCU-lite hand-over (top of this file) ---- */
	atomic_uint busy;
	atomic_uint ready;
	/* ---- data path: valid while ready ---- */
	uint16_t size;
	bool is_packed;
	bool event_idx;
	bool mrg;
	uint8_t hdr_len; /* 12 with VERSION_1 or MRG_RXBUF, else 10 */
	union {
		struct {
			struct vring_desc *desc;
			struct vring_avail *avail;
			struct vring_used *used;
		} split;
		struct {
			struct vring_packed_desc *desc;
			struct vring_packed_event *driver; /* the driver's event suppression */
			struct vring_packed_event *device; /* ours */
		} packed;
	};
	uint16_t last_avail; /* split: avail entries taken; packed: next descriptor to read */
	uint16_t last_used;  /* split: our used->idx; packed: next descriptor to write */
	bool avail_wrap;
	bool used_wrap;
	bool signalled_valid;
	uint16_t signalled_used; /* last_used when the frontend was last called (EVENT_IDX) */
	int callfd;              /* -1: never call */
	const struct vhost_mem *mem;
	struct vhost_vring_counters cnt;
	/* ---- control thread only ---- */
	uint32_t num;  /* SET_VRING_NUM, 0 until set */
	uint32_t base; /* SET_VRING_BASE as sent */
	bool addr_set;
	struct vhost_user_vring_addr addr;
	int kickfd;   /* -1: none, or polling */
	bool started; /* SET_VRING_KICK came */
	bool enabled; /* SET_VRING_ENABLE 1 (or no protocol features) */
};

struct vhost_dev;
typedef void (*vhost_state_cb)(struct vhost_dev *d, void *arg);

/* The backend of one connection's device. */
struct vhost_dev {
	const char *name; /* for log lines */
	int conn;         /* the connection, -1 when none */
	uint16_t max_pairs;
	uint64_t features;
	uint64_t protocol_features;
	bool features_set;
	uint8_t status;
	struct vhost_mem mem;
	struct vhost_vring vring[VHOST_MAX_VRINGS];
	vhost_state_cb state_changed; /* after a message changed which vrings are ready */
	void *cb_arg;
};

extern int vhost_logtype;
#define VHOST_LOG(lvl, ...) PX_LOG(lvl, vhost_logtype, __VA_ARGS__)

/* ---- vhost_dev.c ---- */

/* A device with no connection, @max_pairs queue pairs (1..VHOST_MAX_QUEUE_PAIRS). */
void vhost_dev_init(struct vhost_dev *d, const char *name, uint16_t max_pairs);
/* Handle request @msg (from vhost_user_recv) and reply on d->conn as the protocol says; the
 * fds it carries are kept or closed. @return 0, or a negative errno when the connection must
 * be closed (a reply could not be sent) */
int vhost_dev_handle(struct vhost_dev *d, struct vhost_user_msg *msg);
/* Read one message from d->conn and handle it. @return 0, or a negative errno when the
 * connection must be closed (end of stream, a malformed message) */
int vhost_dev_process(struct vhost_dev *d);
/* The connection is gone: stop every vring (waiting for the data path to let go), close their
 * fds, unmap the memory, forget the features. Does not close d->conn. */
void vhost_dev_reset(struct vhost_dev *d);
/* Is vring @i ready (what the data path sees)? */
static inline bool vhost_vring_is_ready(const struct vhost_vring *vr)
{
	return atomic_load_explicit(&vr->ready, memory_order_relaxed) != 0;
}

/* ---- vhost_rxtx.c ---- */

/* One buffer of a chain, translated. */
struct vhost_buf {
	uint8_t *p;
	uint32_t len;
};

/* A chain taken from a ring: its buffers and what to give back. */
struct vhost_chain {
	uint16_t id;    /* split: head index; packed: buffer id */
	uint16_t ndesc; /* descriptors it occupies in the ring (packed) */
	uint16_t nbufs;
	uint32_t total; /* bytes in its buffers */
};

/* Walk the split chain at @head (bounds, loops, indirect tables checked): its buffers go to
 * @bufs (at most @max), each device-writable when @writable, else device-readable.
 * @return the number of buffers, or -1 for a chain that breaks a rule */
int vhost_walk_split(const struct vhost_vring *vr, uint16_t head, bool writable,
		     struct vhost_buf *bufs, unsigned int max, struct vhost_chain *c);
/* Walk the packed chain whose first descriptor is at @pos (available, checked by the caller).
 * @return as vhost_walk_split; c->ndesc says how far the ring advances */
int vhost_walk_packed(const struct vhost_vring *vr, uint16_t pos, bool writable,
		      struct vhost_buf *bufs, unsigned int max, struct vhost_chain *c);

/* Frontend TX (vring 2q + 1) into mbufs from @mp: our RX burst. */
uint16_t vhost_dequeue(struct vhost_vring *vr, struct px_mempool *mp, uint16_t port,
		       struct px_mbuf **pkts, uint16_t n, struct eth_queue_stats *st);
/* Our TX burst into the frontend's RX buffers (vring 2q). Packets that cannot fit a chain
 * (without MRG_RXBUF), or need more than VHOST_MAX_SEGS buffers, are dropped (freed, counted
 * in st->errs); the burst stops when the ring has no buffers. @return packets consumed */
uint16_t vhost_enqueue(struct vhost_vring *vr, struct px_mbuf **pkts, uint16_t n,
		       struct eth_queue_stats *st);

#endif /* VHOST_H */

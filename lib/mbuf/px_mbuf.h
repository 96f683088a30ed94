/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_mbuf.h
 * Packet buffers: struct px_mbuf, their pools, data manipulation, chains and clones.
 *
 * An mbuf is one mempool object: the 128-byte struct px_mbuf, an application private area of
 * priv_size bytes, then the data buffer (headroom of PX_PKTMBUF_HEADROOM bytes, then data). The
 * first cache line holds what a receive path writes; the second what transmit, chains and free
 * need. data_off, refcnt, nb_segs and port share one 8-byte word (rearm_data) so a driver resets
 * them with one store.
 *
 * Invariant of a free mbuf (as in DPDK): next == NULL and nb_segs == 1, so allocation touches
 * only the first cache line.
 */
#ifndef PX_MBUF_H
#define PX_MBUF_H

#include <stdint.h>
#include <stdio.h>

#include <px_common.h>
#include <px_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Default headroom in front of the packet data. */
#define PX_PKTMBUF_HEADROOM 128
/** A typical data room: 2 KiB of data plus the headroom. */
#define PX_MBUF_DEFAULT_DATAROOM 2048
#define PX_MBUF_DEFAULT_BUF_SIZE (PX_MBUF_DEFAULT_DATAROOM + PX_PKTMBUF_HEADROOM)
/** Port of an mbuf not received on a port. */
#define PX_MBUF_PORT_INVALID UINT16_MAX
/** Largest segments in a chain. */
#define PX_MBUF_MAX_NB_SEGS UINT16_MAX

/* ol_flags: receive. */
#define PX_MBUF_F_RX_VLAN (1ull << 0)          /**< vlan_tci holds the VLAN tag */
#define PX_MBUF_F_RX_RSS_HASH (1ull << 1)      /**< hash.rss is valid */
#define PX_MBUF_F_RX_VLAN_STRIPPED (1ull << 6) /**< the tag was removed from the data */
#define PX_MBUF_F_RX_IP_CKSUM_BAD (1ull << 4)
#define PX_MBUF_F_RX_IP_CKSUM_GOOD (1ull << 7)
#define PX_MBUF_F_RX_IP_CKSUM_NONE ((1ull << 4) | (1ull << 7))
#define PX_MBUF_F_RX_IP_CKSUM_UNKNOWN 0
#define PX_MBUF_F_RX_IP_CKSUM_MASK ((1ull << 4) | (1ull << 7))
#define PX_MBUF_F_RX_L4_CKSUM_BAD (1ull << 3)
#define PX_MBUF_F_RX_L4_CKSUM_GOOD (1ull << 8)
#define PX_MBUF_F_RX_L4_CKSUM_NONE ((1ull << 3) | (1ull << 8))
#define PX_MBUF_F_RX_L4_CKSUM_UNKNOWN 0
#define PX_MBUF_F_RX_L4_CKSUM_MASK ((1ull << 3) | (1ull << 8))
/** several TCP segments merged into one packet (PX_ETH_RX_OFFLOAD_TCP_LRO); tso_segsz holds
 * their size where the port knows it */
#define PX_MBUF_F_RX_LRO (1ull << 16)
/* ol_flags: transmit (bits 40 and up). */
#define PX_MBUF_F_TX_VLAN (1ull << 57)     /**< insert vlan_tci */
#define PX_MBUF_F_TX_IP_CKSUM (1ull << 54) /**< compute the IPv4 checksum (needs l2/l3_len) */
#define PX_MBUF_F_TX_IPV4 (1ull << 55)
#define PX_MBUF_F_TX_IPV6 (1ull << 56)
#define PX_MBUF_F_TX_TCP_CKSUM (1ull << 52)
#define PX_MBUF_F_TX_UDP_CKSUM (3ull << 52)
#define PX_MBUF_F_TX_L4_MASK (3ull << 52)
#define PX_MBUF_F_TX_TCP_SEG (1ull << 50) /**< segment to tso_segsz (PX_ETH_TX_OFFLOAD_TCP_TSO) */
#define PX_MBUF_F_TX_UDP_SEG (1ull << 42) /**< the same for UDP (PX_ETH_TX_OFFLOAD_UDP_TSO) */
/* ol_flags: state. */
#define PX_MBUF_F_INDIRECT (1ull << 62) /**< the data buffer belongs to another mbuf */

/** A packet buffer (one segment of a packet). */
struct px_mbuf {
	/* ---- first cache line: receive fast path ---- */
	void *buf_addr;    /**< start of the data buffer (headroom first) */
	uint64_t buf_iova; /**< IOVA of buf_addr */
	union {
		uint64_t rearm_data; /**< the four fields below as one word */
		struct {
			uint16_t data_off; /**< offset of the data from buf_addr */
			uint16_t refcnt;   /**< references (atomic when shared) */
			uint16_t nb_segs;  /**< segments in the chain (first segment) */
			uint16_t port;     /**< input port */
		};
	};
	uint64_t ol_flags;    /**< PX_MBUF_F_* */
	uint32_t packet_type; /**< L2/L3/L4 type (driver-specific until lib/net defines it) */
	uint32_t pkt_len;     /**< total bytes of the chain (first segment) */
	uint16_t data_len;    /**< bytes of data in this segment */
	uint16_t vlan_tci;    /**< VLAN tag (PX_MBUF_F_RX_VLAN) */
	union {
		uint32_t rss; /**< RSS hash (PX_MBUF_F_RX_RSS_HASH) */
		struct {
			uint16_t hash;
			uint16_t id;
		} fdir;
	} hash;
	uint16_t vlan_tci_outer; /**< outer VLAN tag (QinQ) */
	uint16_t buf_len;        /**< bytes of the data buffer */
	uint32_t reserved0;
	uint64_t reserved1;

	/* ---- second cache line: chains, pool, transmit ---- */
	struct px_mbuf *next __px_aligned(64); /**< next segment, NULL in the last */
	struct px_mempool *pool;               /**< pool the mbuf came from */
	union {
		uint64_t tx_offload; /**< the lengths below; valid with PX_MBUF_F_TX_* flags */
		struct {
			uint64_t l2_len : 7;
			uint64_t l3_len : 9;
			uint64_t l4_len : 8;
			uint64_t tso_segsz : 16;
			uint64_t outer_l3_len : 9;
			uint64_t outer_l2_len : 7;
		};
	};
	uint16_t priv_size; /**< bytes of the private area after the struct */
	uint16_t reserved2[3];
	uint64_t udata64;                     /**< free for the application */
	struct px_mbuf *direct;               /**< indirect mbuf: the mbuf that owns buf_addr */
	uint8_t dynfield[16] __px_aligned(8); /**< dynamic fields (px_mbuf_dyn.h) */
};

/** Private data of a packet mbuf pool (px_mempool_get_priv()). */
struct px_pktmbuf_pool_private {
	uint16_t mbuf_data_room_size; /**< buf_len of each mbuf */
	uint16_t mbuf_priv_size;      /**< priv_size of each mbuf */
	uint32_t flags;
	uint64_t rearm_data; /**< data_off, refcnt 1, nb_segs 1, port invalid: one store */
};

/**
 * Create a pool of packet mbufs.
 * @param name      pool name, shorter than PX_MEMPOOL_NAMESIZE
 * @param n         number of mbufs
 * @param cache_size per-lcore cache (see px_mempool_create())
 * @param priv_size private area per mbuf, a multiple of 8
 * @param data_room_size bytes of buffer per mbuf including the headroom (<= 65535)
 * @param socket    NUMA socket or PX_SOCKET_ID_ANY
 * @return the pool, or NULL with errno EINVAL, ENAMETOOLONG, EEXIST, ENOMEM, ENOSPC
 */
struct px_mempool *px_pktmbuf_pool_create(const char *name, unsigned int n, unsigned int cache_size,
					  uint16_t priv_size, uint16_t data_room_size, int socket);

/** Print an mbuf chain and up to @p dump_len bytes of its data. */
void px_pktmbuf_dump(FILE *f, const struct px_mbuf *m, unsigned int dump_len);

/**
 * Check an mbuf's fields and chain.
 * @return 0, or -EINVAL with @p *reason set to what is wrong
 */
int px_mbuf_check(const struct px_mbuf *m, int is_header, const char **reason);

/** A pointer of type @p t to the data of @p m plus @p o bytes. */
#define px_pktmbuf_mtod_offset(m, t, o) ((t)(void *)((char *)(m)->buf_addr + (m)->data_off + (o)))
/** A pointer of type @p t to the start of the data of @p m. */
#define px_pktmbuf_mtod(m, t) px_pktmbuf_mtod_offset(m, t, 0)
/** IOVA of the data of @p m plus @p o bytes. */
#define px_pktmbuf_iova_offset(m, o) ((uint64_t)((m)->buf_iova + (m)->data_off + (o)))
#define px_pktmbuf_iova(m) px_pktmbuf_iova_offset(m, 0)
#define px_pktmbuf_pkt_len(m) ((m)->pkt_len)
#define px_pktmbuf_data_len(m) ((m)->data_len)

/** @return the bytes before the data. */
static inline uint16_t px_pktmbuf_headroom(const struct px_mbuf *m)
{
	return m->data_off;
}

/** @return the bytes after the data of the last segment. */
static inline uint16_t px_pktmbuf_tailroom(const struct px_mbuf *m)
{
	return (uint16_t)(m->buf_len - m->data_off - m->data_len);
}

/** @return the last segment of the chain. */
static inline struct px_mbuf *px_pktmbuf_lastseg(struct px_mbuf *m)
{
	while (m->next != NULL)
		m = m->next;
	return m;
}

/** @return the reference count. */
static inline uint16_t px_mbuf_refcnt_read(const struct px_mbuf *m)
{
	return __atomic_load_n(&m->refcnt, __ATOMIC_RELAXED);
}

/** Set the reference count (only the owner, before sharing). */
static inline void px_mbuf_refcnt_set(struct px_mbuf *m, uint16_t v)
{
	__atomic_store_n(&m->refcnt, v, __ATOMIC_RELAXED);
}

/**
 * Add @p v to the reference count. With a single reference nobody else can see the mbuf, so no
 * atomic is needed; otherwise an atomic add (acq_rel: a holder's writes happen before the last
 * holder frees it).
 * @return the new count
 */
static inline uint16_t px_mbuf_refcnt_update(struct px_mbuf *m, int16_t v)
{
	if (px_likely(px_mbuf_refcnt_read(m) == 1) && v > 0) {
		px_mbuf_refcnt_set(m, (uint16_t)(1 + v));
		return (uint16_t)(1 + v);
	}
	return __atomic_add_fetch(&m->refcnt, (uint16_t)v, __ATOMIC_ACQ_REL);
}

/** @return the mbuf's private area. */
static inline void *px_mbuf_to_priv(struct px_mbuf *m)
{
	return &m[1];
}

/** @return the data room of the pool's mbufs. */
static inline uint16_t px_pktmbuf_data_room_size(struct px_mempool *mp)
{
	return ((struct px_pktmbuf_pool_private *)px_mempool_get_priv(mp))->mbuf_data_room_size;
}

/** @return the direct mbuf that owns the buffer of indirect mbuf @p mi. */
static inline struct px_mbuf *px_mbuf_from_indirect(struct px_mbuf *mi)
{
	return mi->direct;
}

/* Reset the first-cache-line fields a fresh mbuf needs; @rearm comes from the pool. */
static __px_always_inline void px_pktmbuf_reset_fast(struct px_mbuf *m, uint64_t rearm)
{
	m->rearm_data = rearm;
	m->ol_flags = 0;
	m->packet_type = 0;
	m->pkt_len = 0;
	m->data_len = 0;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
}

/** Reset every field of a single-segment mbuf to its freshly allocated state. */
static inline void px_pktmbuf_reset(struct px_mbuf *m)
{
	struct px_pktmbuf_pool_private *pp = px_mempool_get_priv(m->pool);

	m->next = NULL;
	m->tx_offload = 0;
	px_pktmbuf_reset_fast(m, pp->rearm_data);
	m->refcnt = 1; /* reset does not change sharing: the caller owns it */
	m->hash.rss = 0;
}

/**
 * Allocate one mbuf, reset.
 * @return the mbuf, or NULL when the pool is empty
 */
static inline struct px_mbuf *px_pktmbuf_alloc(struct px_mempool *mp)
{
	struct px_pktmbuf_pool_private *pp = px_mempool_get_priv(mp);
	void *m;

	if (px_mempool_get(mp, &m) < 0)
		return NULL;
	px_pktmbuf_reset_fast(m, pp->rearm_data);
	return m;
}

/**
 * Allocate @p n mbufs, reset, all or none.
 * @return 0, or -ENOENT when the pool has fewer than @p n free mbufs
 */
static inline int px_pktmbuf_alloc_bulk(struct px_mempool *mp, struct px_mbuf **mbufs,
					unsigned int n)
{
	uint64_t rearm = ((struct px_pktmbuf_pool_private *)px_mempool_get_priv(mp))->rearm_data;
	int ret = px_mempool_get_bulk(mp, (void **)mbufs, n);
	unsigned int i = 0;

	if (px_unlikely(ret < 0))
		return ret;
	for (; i + 4 <= n; i += 4) {
		px_pktmbuf_reset_fast(mbufs[i], rearm);
		px_pktmbuf_reset_fast(mbufs[i + 1], rearm);
		px_pktmbuf_reset_fast(mbufs[i + 2], rearm);
		px_pktmbuf_reset_fast(mbufs[i + 3], rearm);
	}
	for (; i < n; i++)
		px_pktmbuf_reset_fast(mbufs[i], rearm);
	return 0;
}

/** @cond internal */
void px_pktmbuf_detach(struct px_mbuf *m);

/* Drop one reference to segment @m. @return @m when it can go back to its pool (with next ==
 * NULL, nb_segs == 1, refcnt 1), else NULL. */
static __px_always_inline struct px_mbuf *px_pktmbuf_prefree_seg(struct px_mbuf *m)
{
	if (px_likely(px_mbuf_refcnt_read(m) == 1)) {
		/* Sole owner: no atomic. */
	} else if (__atomic_sub_fetch(&m->refcnt, 1, __ATOMIC_ACQ_REL) != 0) {
		return NULL;
	} else {
		m->refcnt = 1;
	}
	if (px_unlikely(m->ol_flags & PX_MBUF_F_INDIRECT))
		px_pktmbuf_detach(m);
	if (m->next != NULL) {
		m->next = NULL;
		m->nb_segs = 1;
	}
	return m;
}
/** @endcond */

/** Free one segment (not the rest of its chain). NULL is ignored. */
static inline void px_pktmbuf_free_seg(struct px_mbuf *m)
{
	if (m != NULL && (m = px_pktmbuf_prefree_seg(m)) != NULL)
		px_mempool_put(m->pool, m);
}

/** Free an mbuf and every segment chained to it. NULL is ignored. */
static inline void px_pktmbuf_free(struct px_mbuf *m)
{
	while (m != NULL) {
		struct px_mbuf *next = m->next;

		px_pktmbuf_free_seg(m);
		m = next;
	}
}

/**
 * Free @p n mbufs (each with its chain), returning them to their pools in bulk. NULL entries
 * are skipped.
 */
void px_pktmbuf_free_bulk(struct px_mbuf **mbufs, unsigned int n);

/**
 * Prepend @p len bytes to the data (into the headroom).
 * @return the new data start, or NULL when the headroom is too small (nothing changes)
 */
static inline char *px_pktmbuf_prepend(struct px_mbuf *m, uint16_t len)
{
	if (px_unlikely(len > m->data_off))
		return NULL;
	m->data_off = (uint16_t)(m->data_off - len);
	m->data_len = (uint16_t)(m->data_len + len);
	m->pkt_len += len;
	return (char *)m->buf_addr + m->data_off;
}

/**
 * Append @p len bytes to the end of the packet (the tailroom of the last segment).
 * @return the start of the appended bytes, or NULL when there is not room (nothing changes)
 */
static inline char *px_pktmbuf_append(struct px_mbuf *m, uint16_t len)
{
	struct px_mbuf *last = px_pktmbuf_lastseg(m);
	char *tail;

	if (px_unlikely(len > px_pktmbuf_tailroom(last)))
		return NULL;
	tail = (char *)last->buf_addr + last->data_off + last->data_len;
	last->data_len = (uint16_t)(last->data_len + len);
	m->pkt_len += len;
	return tail;
}

/**
 * Remove @p len bytes from the start of the first segment.
 * @return the new data start, or NULL when the segment holds fewer bytes (nothing changes)
 */
static inline char *px_pktmbuf_adj(struct px_mbuf *m, uint16_t len)
{
	if (px_unlikely(len > m->data_len))
		return NULL;
	m->data_len = (uint16_t)(m->data_len - len);
	m->data_off = (uint16_t)(m->data_off + len);
	m->pkt_len -= len;
	return (char *)m->buf_addr + m->data_off;
}

/**
 * Remove @p len bytes from the end of the last segment.
 * @return 0, or -EINVAL when the last segment holds fewer bytes (nothing changes)
 */
static inline int px_pktmbuf_trim(struct px_mbuf *m, uint16_t len)
{
	struct px_mbuf *last = px_pktmbuf_lastseg(m);

	if (px_unlikely(len > last->data_len))
		return -EINVAL;
	last->data_len = (uint16_t)(last->data_len - len);
	m->pkt_len -= len;
	return 0;
}

/** @return non-zero when the packet's data is all in the first segment. */
static inline int px_pktmbuf_is_contiguous(const struct px_mbuf *m)
{
	return m->nb_segs == 1;
}

/**
 * Append chain @p tail to chain @p head (the tail's first mbuf is then no longer a packet).
 * @return 0, or -EOVERFLOW when the chain would have more than PX_MBUF_MAX_NB_SEGS segments
 */
int px_pktmbuf_chain(struct px_mbuf *head, struct px_mbuf *tail);

/**
 * Make an indirect copy of packet @p md: new mbufs from @p mp that point at @p md's buffers
 * (each of whose reference counts goes up). Freeing the clone drops those references.
 * @return the clone, or NULL with errno ENOENT (pool empty)
 */
struct px_mbuf *px_pktmbuf_clone(struct px_mbuf *md, struct px_mempool *mp);

/**
 * Attach @p mi (a fresh mbuf with refcnt 1) to the buffer of @p m, making @p mi indirect.
 */
void px_pktmbuf_attach(struct px_mbuf *mi, struct px_mbuf *m);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_MBUF_H */

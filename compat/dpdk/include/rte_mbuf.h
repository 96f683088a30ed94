/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_mbuf.h
 * DPDK compatibility: packet buffers. struct rte_mbuf IS Pollux's struct px_mbuf (px_mbuf.h),
 * not a copy: applications read and write its fields by DPDK's names (buf_addr, buf_iova,
 * data_off, refcnt, nb_segs, port, ol_flags, packet_type, pkt_len, data_len, vlan_tci,
 * hash.rss, hash.fdir, vlan_tci_outer, buf_len, next, pool, tx_offload, l2_len ... tso_segsz,
 * priv_size), and a driver's mbuf needs no conversion. The byte offsets differ from DPDK's
 * (hash is 4 bytes, pool sits in the second cache line), which only matters to code that hard
 * codes offsets; DPDK's dynfield1[] area is not there (see rte_mbuf_dyn.h). The ol_flags bits
 * are DPDK's values.
 */
#ifndef POLLUX_RTE_MBUF_H
#define POLLUX_RTE_MBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_mbuf_ptype.h>
#include <px_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define rte_mbuf px_mbuf
#define rte_pktmbuf_pool_private px_pktmbuf_pool_private

#define RTE_MBUF_DEFAULT_DATAROOM PX_MBUF_DEFAULT_DATAROOM
#define RTE_MBUF_DEFAULT_BUF_SIZE PX_MBUF_DEFAULT_BUF_SIZE
#define RTE_MBUF_PORT_INVALID PX_MBUF_PORT_INVALID
#define RTE_MBUF_MAX_NB_SEGS PX_MBUF_MAX_NB_SEGS
#define RTE_MBUF_PRIV_ALIGN 8

#define RTE_MBUF_F_RX_VLAN PX_MBUF_F_RX_VLAN
#define RTE_MBUF_F_RX_RSS_HASH PX_MBUF_F_RX_RSS_HASH
#define RTE_MBUF_F_RX_FDIR (1ULL << 2)
#define RTE_MBUF_F_RX_OUTER_IP_CKSUM_BAD (1ULL << 5)
#define RTE_MBUF_F_RX_VLAN_STRIPPED PX_MBUF_F_RX_VLAN_STRIPPED
#define RTE_MBUF_F_RX_IP_CKSUM_MASK PX_MBUF_F_RX_IP_CKSUM_MASK
#define RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN PX_MBUF_F_RX_IP_CKSUM_UNKNOWN
#define RTE_MBUF_F_RX_IP_CKSUM_BAD PX_MBUF_F_RX_IP_CKSUM_BAD
#define RTE_MBUF_F_RX_IP_CKSUM_GOOD PX_MBUF_F_RX_IP_CKSUM_GOOD
#define RTE_MBUF_F_RX_IP_CKSUM_NONE PX_MBUF_F_RX_IP_CKSUM_NONE
#define RTE_MBUF_F_RX_L4_CKSUM_MASK PX_MBUF_F_RX_L4_CKSUM_MASK
#define RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN PX_MBUF_F_RX_L4_CKSUM_UNKNOWN
#define RTE_MBUF_F_RX_L4_CKSUM_BAD PX_MBUF_F_RX_L4_CKSUM_BAD
#define RTE_MBUF_F_RX_L4_CKSUM_GOOD PX_MBUF_F_RX_L4_CKSUM_GOOD
#define RTE_MBUF_F_RX_L4_CKSUM_NONE PX_MBUF_F_RX_L4_CKSUM_NONE
#define RTE_MBUF_F_RX_IEEE1588_PTP (1ULL << 9)
#define RTE_MBUF_F_RX_IEEE1588_TMST (1ULL << 10)
#define RTE_MBUF_F_RX_FDIR_ID (1ULL << 13)
#define RTE_MBUF_F_RX_FDIR_FLX (1ULL << 14)
#define RTE_MBUF_F_RX_QINQ_STRIPPED (1ULL << 15)
#define RTE_MBUF_F_RX_LRO PX_MBUF_F_RX_LRO
#define RTE_MBUF_F_RX_QINQ (1ULL << 20)
#define RTE_MBUF_F_TX_TCP_SEG PX_MBUF_F_TX_TCP_SEG
#define RTE_MBUF_F_TX_IEEE1588_TMST (1ULL << 51)
#define RTE_MBUF_F_TX_L4_NO_CKSUM (0ULL << 52)
#define RTE_MBUF_F_TX_TCP_CKSUM PX_MBUF_F_TX_TCP_CKSUM
#define RTE_MBUF_F_TX_SCTP_CKSUM (2ULL << 52)
#define RTE_MBUF_F_TX_UDP_CKSUM PX_MBUF_F_TX_UDP_CKSUM
#define RTE_MBUF_F_TX_L4_MASK PX_MBUF_F_TX_L4_MASK
#define RTE_MBUF_F_TX_IP_CKSUM PX_MBUF_F_TX_IP_CKSUM
#define RTE_MBUF_F_TX_IPV4 PX_MBUF_F_TX_IPV4
#define RTE_MBUF_F_TX_IPV6 PX_MBUF_F_TX_IPV6
#define RTE_MBUF_F_TX_VLAN PX_MBUF_F_TX_VLAN
#define RTE_MBUF_F_TX_OUTER_IP_CKSUM (1ULL << 58)
#define RTE_MBUF_F_TX_OUTER_IPV4 (1ULL << 59)
#define RTE_MBUF_F_TX_OUTER_IPV6 (1ULL << 60)
#define RTE_MBUF_F_EXTERNAL (1ULL << 61)
#define RTE_MBUF_F_INDIRECT PX_MBUF_F_INDIRECT

#define RTE_MBUF_CLONED(mb) ((mb)->ol_flags & RTE_MBUF_F_INDIRECT)
#define RTE_MBUF_HAS_EXTBUF(mb) ((mb)->ol_flags & RTE_MBUF_F_EXTERNAL)
#define RTE_MBUF_DIRECT(mb) (!((mb)->ol_flags & (RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL)))

#define rte_pktmbuf_mtod_offset(m, t, o) px_pktmbuf_mtod_offset(m, t, o)
#define rte_pktmbuf_mtod(m, t) px_pktmbuf_mtod(m, t)
#define rte_pktmbuf_iova_offset(m, o) px_pktmbuf_iova_offset(m, o)
#define rte_pktmbuf_iova(m) px_pktmbuf_iova(m)
#define rte_pktmbuf_pkt_len(m) px_pktmbuf_pkt_len(m)
#define rte_pktmbuf_data_len(m) px_pktmbuf_data_len(m)

/**
 * Create a pool of packet mbufs (px_pktmbuf_pool_create()).
 * @return the pool, or NULL with rte_errno set (EINVAL, ENAMETOOLONG, EEXIST, ENOMEM, ENOSPC)
 */
static inline struct rte_mempool *rte_pktmbuf_pool_create(const char *name, unsigned int n,
							  unsigned int cache_size,
							  uint16_t priv_size,
							  uint16_t data_room_size, int socket_id)
{
	struct rte_mempool *mp =
		px_pktmbuf_pool_create(name, n, cache_size, priv_size, data_room_size, socket_id);

	if (mp == NULL)
		rte_errno = errno;
	return mp;
}

/** Pollux has one mempool driver (its ring): NULL with rte_errno ENOTSUP for another. */
static inline struct rte_mempool *
rte_pktmbuf_pool_create_by_ops(const char *name, unsigned int n, unsigned int cache_size,
			       uint16_t priv_size, uint16_t data_room_size, int socket_id,
			       const char *ops_name)
{
	if (ops_name != NULL && strcmp(ops_name, "ring_mp_mc") != 0) {
		rte_errno = ENOTSUP;
		return NULL;
	}
	return rte_pktmbuf_pool_create(name, n, cache_size, priv_size, data_room_size, socket_id);
}

static __rte_always_inline struct rte_mbuf *rte_pktmbuf_alloc(struct rte_mempool *mp)
{
	return px_pktmbuf_alloc(mp);
}

/** @return 0, or -ENOENT (none allocated). */
static __rte_always_inline int rte_pktmbuf_alloc_bulk(struct rte_mempool *mp,
						      struct rte_mbuf **mbufs, unsigned int count)
{
	return px_pktmbuf_alloc_bulk(mp, mbufs, count);
}

static __rte_always_inline void rte_pktmbuf_free(struct rte_mbuf *m)
{
	px_pktmbuf_free(m);
}

static __rte_always_inline void rte_pktmbuf_free_seg(struct rte_mbuf *m)
{
	px_pktmbuf_free_seg(m);
}

static inline void rte_pktmbuf_free_bulk(struct rte_mbuf **mbufs, unsigned int count)
{
	px_pktmbuf_free_bulk(mbufs, count);
}

static __rte_always_inline struct rte_mbuf *rte_pktmbuf_prefree_seg(struct rte_mbuf *m)
{
	return px_pktmbuf_prefree_seg(m);
}

/** Put a raw mbuf (refcnt 1, next NULL, nb_segs 1) back into its pool. */
static __rte_always_inline void rte_mbuf_raw_free(struct rte_mbuf *m)
{
	px_mempool_put(m->pool, m);
}

static inline void rte_pktmbuf_reset(struct rte_mbuf *m)
{
	px_pktmbuf_reset(m);
}

static inline void rte_pktmbuf_reset_headroom(struct rte_mbuf *m)
{
	m->data_off = (uint16_t)RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM, m->buf_len);
}

static inline uint16_t rte_pktmbuf_headroom(const struct rte_mbuf *m)
{
	return px_pktmbuf_headroom(m);
}

static inline uint16_t rte_pktmbuf_tailroom(const struct rte_mbuf *m)
{
	return px_pktmbuf_tailroom(m);
}

static inline struct rte_mbuf *rte_pktmbuf_lastseg(struct rte_mbuf *m)
{
	return px_pktmbuf_lastseg(m);
}

static inline char *rte_pktmbuf_prepend(struct rte_mbuf *m, uint16_t len)
{
	return px_pktmbuf_prepend(m, len);
}

static inline char *rte_pktmbuf_append(struct rte_mbuf *m, uint16_t len)
{
	return px_pktmbuf_append(m, len);
}

static inline char *rte_pktmbuf_adj(struct rte_mbuf *m, uint16_t len)
{
	return px_pktmbuf_adj(m, len);
}

/** @return 0, or -1 when the last segment holds fewer than @p len bytes (as DPDK). */
static inline int rte_pktmbuf_trim(struct rte_mbuf *m, uint16_t len)
{
	return px_pktmbuf_trim(m, len) == 0 ? 0 : -1;
}

static inline int rte_pktmbuf_is_contiguous(const struct rte_mbuf *m)
{
	return px_pktmbuf_is_contiguous(m);
}

/** @return 0, or -EOVERFLOW (too many segments). */
static inline int rte_pktmbuf_chain(struct rte_mbuf *head, struct rte_mbuf *tail)
{
	return px_pktmbuf_chain(head, tail);
}

/** @return the clone, or NULL with rte_errno ENOENT (pool empty). */
static inline struct rte_mbuf *rte_pktmbuf_clone(struct rte_mbuf *md, struct rte_mempool *mp)
{
	struct rte_mbuf *mc = px_pktmbuf_clone(md, mp);

	if (mc == NULL)
		rte_errno = errno;
	return mc;
}

static inline void rte_pktmbuf_attach(struct rte_mbuf *mi, struct rte_mbuf *m)
{
	px_pktmbuf_attach(mi, m);
}

static inline void rte_pktmbuf_detach(struct rte_mbuf *m)
{
	px_pktmbuf_detach(m);
}

static inline uint16_t rte_mbuf_refcnt_read(const struct rte_mbuf *m)
{
	return px_mbuf_refcnt_read(m);
}

static inline void rte_mbuf_refcnt_set(struct rte_mbuf *m, uint16_t v)
{
	px_mbuf_refcnt_set(m, v);
}

static inline uint16_t rte_mbuf_refcnt_update(struct rte_mbuf *m, int16_t v)
{
	return px_mbuf_refcnt_update(m, v);
}

static inline void rte_pktmbuf_refcnt_update(struct rte_mbuf *m, int16_t v)
{
	for (; m != NULL; m = m->next)
		px_mbuf_refcnt_update(m, v);
}

static inline void *rte_mbuf_to_priv(struct rte_mbuf *m)
{
	return px_mbuf_to_priv(m);
}

static inline char *rte_mbuf_to_baddr(struct rte_mbuf *md)
{
	return (char *)md->buf_addr;
}

static inline struct rte_mbuf *rte_mbuf_from_indirect(struct rte_mbuf *mi)
{
	return px_mbuf_from_indirect(mi);
}

static inline rte_iova_t rte_mbuf_data_iova(const struct rte_mbuf *mb)
{
	return mb->buf_iova + mb->data_off;
}

static inline rte_iova_t rte_mbuf_data_iova_default(const struct rte_mbuf *mb)
{
	return mb->buf_iova + RTE_PKTMBUF_HEADROOM;
}

static inline uint16_t rte_pktmbuf_data_room_size(struct rte_mempool *mp)
{
	return px_pktmbuf_data_room_size(mp);
}

static inline uint16_t rte_pktmbuf_priv_size(struct rte_mempool *mp)
{
	return ((struct px_pktmbuf_pool_private *)px_mempool_get_priv(mp))->mbuf_priv_size;
}

/**
 * @return a pointer to @p len bytes at offset @p off of the packet: into the mbuf when they are
 * in one segment, else copied into @p buf; NULL when the packet is shorter.
 */
static inline const void *rte_pktmbuf_read(const struct rte_mbuf *m, uint32_t off, uint32_t len,
					   void *buf)
{
	uint32_t done = 0;

	if (off + len > m->pkt_len)
		return NULL;
	while (off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	if (off + len <= m->data_len)
		return rte_pktmbuf_mtod_offset(m, const char *, off);
	for (; done < len; m = m->next, off = 0) {
		uint32_t n = RTE_MIN(len - done, (uint32_t)m->data_len - off);

		memcpy((char *)buf + done, rte_pktmbuf_mtod_offset(m, const char *, off), n);
		done += n;
	}
	return buf;
}

static inline void rte_pktmbuf_dump(FILE *f, const struct rte_mbuf *m, unsigned int dump_len)
{
	px_pktmbuf_dump(f, m, dump_len);
}

/** @return 0, or -1 with @p *reason set. */
static inline int rte_mbuf_check(const struct rte_mbuf *m, int is_header, const char **reason)
{
	return px_mbuf_check(m, is_header, reason) == 0 ? 0 : -1;
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_MBUF_H */

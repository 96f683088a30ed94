/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file rte_mempool.h
 * DPDK compatibility: object pools. struct rte_mempool is Pollux's px_mempool (px_mempool.h):
 * the same per-lcore caches over a ring, with DPDK's creation signature and fields (name,
 * size, cache_size, elt_size, header_size, private_data_size, socket_id, flags). Get and put
 * are the inline px_ functions, so they cost what Pollux's cost.
 */
#ifndef POLLUX_RTE_MEMPOOL_H
#define POLLUX_RTE_MEMPOOL_H

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_ring.h>
#include <px_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define rte_mempool px_mempool
#define rte_mempool_cache px_mempool_cache
#define rte_mempool_objhdr px_mempool_objhdr

#define RTE_MEMPOOL_NAMESIZE PX_MEMPOOL_NAMESIZE
#define RTE_MEMPOOL_F_SP_PUT PX_MEMPOOL_F_SP_PUT
#define RTE_MEMPOOL_F_SC_GET PX_MEMPOOL_F_SC_GET
#define RTE_MEMPOOL_F_NO_IOVA_CONTIG PX_MEMPOOL_F_NO_IOVA_CONTIG
#define RTE_MEMPOOL_F_NO_SPREAD 0x0001      /* accepted; Pollux does not spread over channels */
#define RTE_MEMPOOL_F_NO_CACHE_ALIGN 0x0002 /* accepted; objects stay cache aligned */
#define MEMPOOL_F_SP_PUT RTE_MEMPOOL_F_SP_PUT
#define MEMPOOL_F_SC_GET RTE_MEMPOOL_F_SC_GET
#define MEMPOOL_F_NO_IOVA_CONTIG RTE_MEMPOOL_F_NO_IOVA_CONTIG
#define RTE_MEMPOOL_F_KNOWN_FLAGS                                                        \
	(RTE_MEMPOOL_F_NO_SPREAD | RTE_MEMPOOL_F_NO_CACHE_ALIGN | RTE_MEMPOOL_F_SP_PUT | \
	 RTE_MEMPOOL_F_SC_GET | RTE_MEMPOOL_F_NO_IOVA_CONTIG)

typedef px_mempool_obj_cb_t rte_mempool_obj_cb_t;
typedef px_mempool_ctor_t rte_mempool_ctor_t;

/**
 * Create a pool of @p n objects of @p elt_size bytes (px_mempool_create()).
 * @return the pool, or NULL with rte_errno set (EINVAL, ENAMETOOLONG, EEXIST, ENOMEM, ENOSPC)
 */
static inline struct rte_mempool *
rte_mempool_create(const char *name, unsigned int n, unsigned int elt_size, unsigned int cache_size,
		   unsigned int private_data_size, rte_mempool_ctor_t *mp_init, void *mp_init_arg,
		   rte_mempool_obj_cb_t *obj_init, void *obj_init_arg, int socket_id,
		   unsigned int flags)
{
	struct rte_mempool *mp =
		px_mempool_create(name, n, elt_size, cache_size, private_data_size, mp_init,
				  mp_init_arg, obj_init, obj_init_arg, socket_id,
				  flags & (RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET |
					   RTE_MEMPOOL_F_NO_IOVA_CONTIG));

	if (mp == NULL)
		rte_errno = errno;
	return mp;
}

static inline struct rte_mempool *rte_mempool_lookup(const char *name)
{
	struct rte_mempool *mp = px_mempool_lookup(name);

	if (mp == NULL)
		rte_errno = errno;
	return mp;
}

static inline void rte_mempool_free(struct rte_mempool *mp)
{
	px_mempool_free(mp);
}

static __rte_always_inline void rte_mempool_put(struct rte_mempool *mp, void *obj)
{
	px_mempool_put(mp, obj);
}

static __rte_always_inline void rte_mempool_put_bulk(struct rte_mempool *mp, void *const *obj_table,
						     unsigned int n)
{
	px_mempool_put_bulk(mp, obj_table, n);
}

/** @return 0, or -ENOENT when fewer than @p n objects are free (none taken). */
static __rte_always_inline int rte_mempool_get(struct rte_mempool *mp, void **obj_p)
{
	return px_mempool_get(mp, obj_p);
}

static __rte_always_inline int rte_mempool_get_bulk(struct rte_mempool *mp, void **obj_table,
						    unsigned int n)
{
	return px_mempool_get_bulk(mp, obj_table, n);
}

static __rte_always_inline struct rte_mempool_cache *
rte_mempool_default_cache(struct rte_mempool *mp, unsigned int lcore_id)
{
	return px_mempool_default_cache(mp, lcore_id);
}

static __rte_always_inline void rte_mempool_generic_put(struct rte_mempool *mp,
							void *const *obj_table, unsigned int n,
							struct rte_mempool_cache *cache)
{
	px_mempool_generic_put(mp, obj_table, n, cache);
}

static __rte_always_inline int rte_mempool_generic_get(struct rte_mempool *mp, void **obj_table,
						       unsigned int n,
						       struct rte_mempool_cache *cache)
{
	return px_mempool_generic_get(mp, obj_table, n, cache);
}

static inline unsigned int rte_mempool_avail_count(const struct rte_mempool *mp)
{
	return px_mempool_avail_count(mp);
}

static inline unsigned int rte_mempool_in_use_count(const struct rte_mempool *mp)
{
	return px_mempool_in_use_count(mp);
}

static inline int rte_mempool_full(const struct rte_mempool *mp)
{
	return px_mempool_full(mp);
}

static inline int rte_mempool_empty(const struct rte_mempool *mp)
{
	return px_mempool_empty(mp);
}

static inline void *rte_mempool_get_priv(struct rte_mempool *mp)
{
	return px_mempool_get_priv(mp);
}

static inline struct rte_mempool *rte_mempool_from_obj(void *obj)
{
	return px_mempool_from_obj(obj);
}

static inline rte_iova_t rte_mempool_virt2iova(const void *elt)
{
	return px_mempool_virt2iova(elt);
}

static inline uint32_t rte_mempool_obj_iter(struct rte_mempool *mp, rte_mempool_obj_cb_t *cb,
					    void *arg)
{
	return px_mempool_obj_iter(mp, cb, arg);
}

static inline void rte_mempool_dump(FILE *f, struct rte_mempool *mp)
{
	px_mempool_dump(f, mp);
}

static inline void rte_mempool_audit(struct rte_mempool *mp)
{
	(void)px_mempool_audit(mp);
}

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_MEMPOOL_H */

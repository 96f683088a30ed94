/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_mempool.h
 * Pools of fixed-size objects in Pollux memory, with a per-lcore cache in front of a ring.
 *
 * Each object is preceded by a header (struct px_mempool_objhdr) that records its pool and IOVA.
 * Objects of a pool for DMA never straddle a page of the memory they live in, so each object is
 * IOVA-contiguous. The backing store is a px_ring holding every free object.
 *
 * The cache of an lcore is a LIFO stack of object pointers: a put pushes, a get pops, so recently
 * freed (cache-warm) objects are handed out first. Only its lcore touches it, so it has no atomics;
 * when a put would push it past its flush threshold the whole stack goes to the ring in one bulk
 * enqueue, and a get that finds too few objects refills it from the ring in one bulk dequeue.
 *
 * In a debug build (compiled without optimisation, or with PX_MEMPOOL_DEBUG defined) every get and
 * put checks a cookie in the object header: a put of an object already in the pool (double put)
 * or of an object of another pool is logged, counted and refused. px_mempool_audit() finds double
 * puts in any build.
 */
#ifndef PX_MEMPOOL_H
#define PX_MEMPOOL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <px_common.h>
#include <px_lcore.h>
#include <px_memzone.h>
#include <px_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#if !defined(PX_MEMPOOL_DEBUG) && !defined(__OPTIMIZE__)
#define PX_MEMPOOL_DEBUG 1
#endif
/* Per-call counters on the cache hot path (put_bulk/objs, get_bulk/objs served by the cache):
 * on in debug builds or with PX_MEMPOOL_STATS defined. Counters of the slow path (refills,
 * flushes, failures, calls without a cache) are always kept, per lcore with plain adds: only a
 * thread that is no lcore counts with atomics, in the pool's shared_stats. */
#if !defined(PX_MEMPOOL_STATS) && defined(PX_MEMPOOL_DEBUG)
#define PX_MEMPOOL_STATS 1
#endif

/** Longest pool name, including the NUL. */
#define PX_MEMPOOL_NAMESIZE (PX_RING_NAMESIZE - 3)
/** Largest per-lcore cache size. */
#define PX_MEMPOOL_CACHE_MAX_SIZE 512
/** Default flush threshold of a cache, as a multiple of its size (1.5). */
#define PX_MEMPOOL_CACHE_FLUSHTHRESH(size) ((size)*3 / 2)

#define PX_MEMPOOL_F_SP_PUT 0x0004u         /**< the backing ring is single-producer */
#define PX_MEMPOOL_F_SC_GET 0x0008u         /**< the backing ring is single-consumer */
#define PX_MEMPOOL_F_NO_IOVA_CONTIG 0x0020u /**< objects need not be IOVA-contiguous (no DMA) */

/** @cond internal */
#define PX_MEMPOOL_COOKIE_FREE 0xf2eef2eef2eef2eeull
#define PX_MEMPOOL_COOKIE_USED 0xbadbadbadbadbad0ull
/** @endcond */

struct px_mempool;

/** The header before every object. */
struct px_mempool_objhdr {
	struct px_mempool *mp; /**< the object's pool */
	uint64_t iova;         /**< IOVA of the object (PX_BAD_IOVA when unknown) */
	uint64_t cookie;       /**< debug: PX_MEMPOOL_COOKIE_FREE while in the pool */
	uint64_t index;        /**< object number, 0..size-1 */
};

/** Counters of one lcore (or of every non-lcore thread together). */
struct px_mempool_stats {
	uint64_t put_bulk;  /**< put calls */
	uint64_t put_objs;  /**< objects put */
	uint64_t get_bulk;  /**< successful get calls */
	uint64_t get_objs;  /**< objects got */
	uint64_t get_fail;  /**< failed get calls */
	uint64_t bad_put;   /**< debug: refused puts (double put, wrong pool) */
	uint64_t cache_ops; /**< refills and flushes between a cache and the ring */
};

/** @cond internal */
/* The counters of one lcore's calls that had no cache, on a line of their own. */
struct px_mempool_lcore_stats {
	struct px_mempool_stats st;
} __px_cache_aligned;
/** @endcond */

/** A cache: a LIFO stack of free objects for one lcore. */
struct px_mempool_cache {
	uint32_t size;        /**< refill target */
	uint32_t flushthresh; /**< a put that would exceed this flushes the cache */
	/** Objects in the stack. Written only by the owner, read by px_mempool_avail_count() from
	 *  any thread: both with relaxed atomics (plain moves on x86 and arm64). */
	uint32_t len;
	uint32_t pad;
	struct px_mempool_stats stats;
	/* Room for flushthresh objects plus a bulk get's worth above the refill target. */
	void *objs[PX_MEMPOOL_CACHE_MAX_SIZE * 3] __px_cache_aligned;
} __px_cache_aligned;

/** Called once per object at creation (and by px_mempool_obj_iter()). */
typedef void(px_mempool_obj_cb_t)(struct px_mempool *mp, void *opaque, void *obj,
				  unsigned int obj_idx);
/** Called once on the pool at creation, before objects are initialised. */
typedef void(px_mempool_ctor_t)(struct px_mempool *mp, void *opaque);

/** A pool. Read fields through the accessors where there is one. */
struct px_mempool {
	char name[PX_MEMPOOL_NAMESIZE];
	unsigned int flags;
	int socket_id;
	uint32_t size;                        /**< number of objects */
	uint32_t cache_size;                  /**< per-lcore cache size */
	uint32_t elt_size;                    /**< bytes of an object */
	uint32_t header_size;                 /**< bytes before each object */
	uint32_t total_elt_size;              /**< header + object (+ padding) */
	uint32_t private_data_size;           /**< bytes of px_mempool_get_priv() */
	struct px_ring *ring;                 /**< free objects not in a cache */
	const struct px_memzone *mz;          /**< this structure */
	const struct px_memzone *objs_mz;     /**< the objects */
	struct px_mempool_stats shared_stats; /**< non-lcore threads (atomic adds) */
	struct px_mempool_cache *local_cache; /**< PX_MAX_LCORE caches, or NULL */
	/** PX_MAX_LCORE counters of calls made without a cache by each lcore */
	struct px_mempool_lcore_stats *lcore_stats;
} __px_cache_aligned;

/**
 * Create a pool of @p n objects.
 * @param name       unique name, shorter than PX_MEMPOOL_NAMESIZE
 * @param n          number of objects (>= 1)
 * @param elt_size   bytes per object (>= 1)
 * @param cache_size per-lcore cache size: 0 (no cache) or up to PX_MEMPOOL_CACHE_MAX_SIZE and
 *                   at most n / 1.5
 * @param private_data_size bytes of pool-private data after the structure
 * @param mp_init    called on the pool before objects are initialised (may be NULL)
 * @param mp_init_arg its argument
 * @param obj_init   called on each object (may be NULL)
 * @param obj_init_arg its argument
 * @param socket     NUMA socket or PX_SOCKET_ID_ANY
 * @param flags      PX_MEMPOOL_F_*
 * @return the pool, or NULL with errno EINVAL (bad argument), ENAMETOOLONG, EEXIST (name in
 *         use), ENOMEM (no memory), ENOSPC (no free memzone)
 */
struct px_mempool *px_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
				     unsigned int cache_size, unsigned int private_data_size,
				     px_mempool_ctor_t *mp_init, void *mp_init_arg,
				     px_mempool_obj_cb_t *obj_init, void *obj_init_arg, int socket,
				     unsigned int flags);

/** @return the pool called @p name, or NULL with errno ENOENT (or EINVAL for NULL). */
struct px_mempool *px_mempool_lookup(const char *name);

/** Free a pool and its memory; NULL is ignored. Objects still in use become invalid. */
void px_mempool_free(struct px_mempool *mp);

/**
 * Call @p fn on every pool. Pools are neither created nor freed meanwhile (px_memzone_walk()):
 * @p fn must not create or free one.
 */
void px_mempool_walk(void (*fn)(struct px_mempool *mp, void *arg), void *arg);

/**
 * Create a cache that a non-lcore thread (or an lcore that wants its own) passes to
 * px_mempool_generic_get()/px_mempool_generic_put().
 * @param size        refill target, 1..PX_MEMPOOL_CACHE_MAX_SIZE
 * @param flushthresh flush threshold, size..PX_MEMPOOL_CACHE_MAX_SIZE*2 (0: 1.5 x size)
 * @param socket      NUMA socket or PX_SOCKET_ID_ANY
 * @return the cache, or NULL with errno EINVAL or ENOMEM
 */
struct px_mempool_cache *px_mempool_cache_create(uint32_t size, uint32_t flushthresh, int socket);

/** Free a cache made by px_mempool_cache_create() (flush it first). NULL is ignored. */
void px_mempool_cache_free(struct px_mempool_cache *cache);

/** Return every object of @p cache to the ring of @p mp. */
void px_mempool_cache_flush(struct px_mempool_cache *cache, struct px_mempool *mp);

/**
 * Call @p cb on every object of the pool, in use or not.
 * @return the number of objects
 */
unsigned int px_mempool_obj_iter(struct px_mempool *mp, px_mempool_obj_cb_t *cb, void *arg);

/** @return the number of free objects: in the ring and in every cache (a snapshot). */
unsigned int px_mempool_avail_count(const struct px_mempool *mp);

/** @return the number of objects in use (size - available). */
unsigned int px_mempool_in_use_count(const struct px_mempool *mp);

/** Sum the counters of every lcore and of non-lcore threads into @p st. */
void px_mempool_get_stats(const struct px_mempool *mp, struct px_mempool_stats *st);

/** What px_mempool_census() found. */
struct px_mempool_census {
	unsigned int size;    /**< objects in the pool */
	unsigned int free;    /**< distinct objects in the ring and the lcore caches */
	unsigned int in_use;  /**< size - free: objects not returned */
	unsigned int twice;   /**< extra entries of objects already free (double puts accepted) */
	unsigned int foreign; /**< entries that are no object of this pool */
	uint64_t bad_put;     /**< puts refused so far (debug check, or no room in the ring) */
};

/** Called by px_mempool_census() on each object in use (@p twice false) and on each extra
 *  entry of an object that is free more than once (@p twice true). */
typedef void(px_mempool_census_cb_t)(struct px_mempool *mp, void *arg, void *obj, bool twice);

/**
 * Count a pool object by object: which objects are free (in the ring or an lcore's cache), which
 * are free more than once, which are in use. Unlike px_mempool_avail_count() (a snapshot, capped
 * at the pool size) the counts are exact, so nobody may use the pool meanwhile: call it at
 * shutdown, after the lcores and ports have stopped. Objects in caches made by
 * px_mempool_cache_create() count as in use: flush those caches first. Works in every build.
 * @param mp  the pool
 * @param c   filled in; every object is accounted for when c->free == c->size and c->twice,
 *            c->foreign and c->bad_put are 0
 * @param cb  called on each object in use and each extra free entry (NULL: none)
 * @param arg passed to @p cb
 * @return 0, or -EINVAL (NULL @p mp or @p c), -ENOMEM
 */
int px_mempool_census(struct px_mempool *mp, struct px_mempool_census *c,
		      px_mempool_census_cb_t *cb, void *arg);

/**
 * Check a pool: every free object (ring and caches) belongs to the pool and appears once, and no
 * bad put was refused (px_mempool_census()). Nobody may use the pool meanwhile.
 * @return 0, or -EEXIST (an object is free twice: a double put), -EINVAL (a foreign object
 *         or a bad header), -EBADMSG (a bad put was refused), -ENOMEM
 */
int px_mempool_audit(struct px_mempool *mp);

/** Print a pool's parameters, counts and statistics. */
void px_mempool_dump(FILE *f, struct px_mempool *mp);

/** @cond internal */
void px_mempool_debug_bad(struct px_mempool *mp, void *obj, const char *what);
/** @endcond */

/** @return the header of object @p obj. */
static inline struct px_mempool_objhdr *px_mempool_get_header(void *obj)
{
	return (struct px_mempool_objhdr *)PX_PTR_SUB(obj, sizeof(struct px_mempool_objhdr));
}

/** @return the pool of object @p obj. */
static inline struct px_mempool *px_mempool_from_obj(void *obj)
{
	return px_mempool_get_header(obj)->mp;
}

/** @return the IOVA of object @p obj. */
static inline uint64_t px_mempool_virt2iova(const void *obj)
{
	return px_mempool_get_header((void *)(uintptr_t)obj)->iova;
}

/** @return the pool's private data area (private_data_size bytes). */
static inline void *px_mempool_get_priv(struct px_mempool *mp)
{
	return (void *)&mp[1];
}

/** @return the cache of lcore @p lcore_id, or NULL (no cache, or not an lcore). */
static inline struct px_mempool_cache *px_mempool_default_cache(struct px_mempool *mp,
								unsigned int lcore_id)
{
	if (mp->local_cache == NULL || lcore_id >= PX_MAX_LCORE)
		return NULL;
	return &mp->local_cache[lcore_id];
}

/** @cond internal */
#ifdef PX_MEMPOOL_DEBUG
/* Check and flip the cookies of @n objects: @from is the state they must be in. Returns the
 * number of leading objects that passed (the rest are not moved). */
static inline unsigned int px_mempool_debug_flip(struct px_mempool *mp, void *const *objs,
						 unsigned int n, uint64_t from, uint64_t to)
{
	for (unsigned int i = 0; i < n; i++) {
		struct px_mempool_objhdr *h = px_mempool_get_header(objs[i]);

		if (h->mp != mp || h->cookie != from) {
			px_mempool_debug_bad(mp, objs[i],
					     h->mp != mp ? "object of another pool"
					     : from == PX_MEMPOOL_COOKIE_USED
						     ? "double put (object already free)"
						     : "free object handed out twice");
			return i;
		}
		h->cookie = to;
	}
	return n;
}
#endif

/* The length of a cache, read by its owner: a plain read, since only the owner writes it (reads
 * race with nothing), which lets the compiler keep it in a register. */
static __px_always_inline uint32_t px_mempool_cache_len(const struct px_mempool_cache *cache)
{
	return cache->len;
}

/* Relaxed: px_mempool_avail_count() reads it from other threads, a snapshot that needs no
 * ordering; a plain store would be a data race there (the telemetry thread's /mempool/info). */
static __px_always_inline void px_mempool_cache_set_len(struct px_mempool_cache *cache,
							uint32_t len)
{
	__atomic_store_n(&cache->len, len, __ATOMIC_RELAXED);
}

static __px_always_inline void px_mempool_copy_ptrs(void **dst, void *const *src, unsigned int n)
{
	px_ring_copy64(dst, src, n);
}

/* Where a call's counters go: its cache's, else the calling lcore's, else (a thread that is no
 * lcore) the pool's shared ones, which px_mempool_stat_add() adds to atomically. */
static __px_always_inline struct px_mempool_stats *
px_mempool_stats_of(struct px_mempool *mp, struct px_mempool_cache *cache)
{
	unsigned int lcore;

	if (cache != NULL)
		return &cache->stats;
	lcore = px_lcore_id();
	return lcore < PX_MAX_LCORE ? &mp->lcore_stats[lcore].st : &mp->shared_stats;
}

static inline void px_mempool_stat_add(struct px_mempool_stats *st, uint64_t *ctr,
				       struct px_mempool *mp, uint64_t v)
{
	if (st == &mp->shared_stats)
		__atomic_fetch_add(ctr, v, __ATOMIC_RELAXED);
	else
		*ctr += v;
}

void px_mempool_cache_flush_put(struct px_mempool *mp, struct px_mempool_cache *cache,
				void *const *obj_table, unsigned int n);
int px_mempool_cache_refill_get(struct px_mempool *mp, struct px_mempool_cache *cache,
				void **obj_table, unsigned int n);
/** @endcond */

/**
 * Return @p n objects to the pool through @p cache (NULL: straight to the ring).
 * The objects must have come from this pool and not been returned since.
 */
static __px_always_inline void px_mempool_generic_put(struct px_mempool *mp, void *const *obj_table,
						      unsigned int n,
						      struct px_mempool_cache *cache)
{
#ifdef PX_MEMPOOL_DEBUG
	n = px_mempool_debug_flip(mp, obj_table, n, PX_MEMPOOL_COOKIE_USED, PX_MEMPOOL_COOKIE_FREE);
#endif
	if (px_likely(cache != NULL) &&
	    px_likely(px_mempool_cache_len(cache) + n <= cache->flushthresh)) {
		uint32_t len = px_mempool_cache_len(cache);

		/* The hot path: push onto the lcore's stack, no atomic read-modify-write. */
		px_mempool_copy_ptrs(&cache->objs[len], obj_table, n);
		px_mempool_cache_set_len(cache, len + n);
#ifdef PX_MEMPOOL_STATS
		cache->stats.put_bulk++;
		cache->stats.put_objs += n;
#endif
		return;
	}
	px_mempool_cache_flush_put(mp, cache, obj_table, n);
}

/**
 * Take @p n objects from the pool through @p cache (NULL: straight from the ring), all or none.
 * @return 0, or -ENOENT when the pool has fewer than @p n free objects (nothing is taken)
 */
static __px_always_inline int px_mempool_generic_get(struct px_mempool *mp, void **obj_table,
						     unsigned int n, struct px_mempool_cache *cache)
{
	int ret;

	if (px_likely(cache != NULL) && px_likely(n <= px_mempool_cache_len(cache))) {
		uint32_t len = px_mempool_cache_len(cache) - n;

		/* The hot path: pop the top @n of the stack (the most recently put). */
		px_mempool_cache_set_len(cache, len);
		px_mempool_copy_ptrs(obj_table, &cache->objs[len], n);
#ifdef PX_MEMPOOL_STATS
		cache->stats.get_bulk++;
		cache->stats.get_objs += n;
#endif
		ret = 0;
	} else {
		ret = px_mempool_cache_refill_get(mp, cache, obj_table, n);
	}
#ifdef PX_MEMPOOL_DEBUG
	if (ret == 0)
		px_mempool_debug_flip(mp, obj_table, n, PX_MEMPOOL_COOKIE_FREE,
				      PX_MEMPOOL_COOKIE_USED);
#endif
	return ret;
}

/** Return @p n objects through the calling lcore's cache. */
static __px_always_inline void px_mempool_put_bulk(struct px_mempool *mp, void *const *obj_table,
						   unsigned int n)
{
	px_mempool_generic_put(mp, obj_table, n, px_mempool_default_cache(mp, px_lcore_id()));
}

/** Return one object through the calling lcore's cache. */
static __px_always_inline void px_mempool_put(struct px_mempool *mp, void *obj)
{
	px_mempool_put_bulk(mp, &obj, 1);
}

/**
 * Take @p n objects through the calling lcore's cache, all or none.
 * @return 0, or -ENOENT when fewer than @p n are free
 */
static __px_always_inline int px_mempool_get_bulk(struct px_mempool *mp, void **obj_table,
						  unsigned int n)
{
	return px_mempool_generic_get(mp, obj_table, n,
				      px_mempool_default_cache(mp, px_lcore_id()));
}

/**
 * Take one object.
 * @return 0, or -ENOENT when the pool is empty
 */
static __px_always_inline int px_mempool_get(struct px_mempool *mp, void **obj_p)
{
	return px_mempool_get_bulk(mp, obj_p, 1);
}

/** @return non-zero when every object is free (a snapshot). */
static inline int px_mempool_full(const struct px_mempool *mp)
{
	return px_mempool_avail_count(mp) == mp->size;
}

/** @return non-zero when no object is free (a snapshot). */
static inline int px_mempool_empty(const struct px_mempool *mp)
{
	return px_mempool_avail_count(mp) == 0;
}

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_MEMPOOL_H */

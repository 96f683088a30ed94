/* SPDX-License-Identifier: BSD-3-Clause */
/* Mempool control path: creation and object layout, cache refill/flush (the slow half of get and
 * put), iteration, statistics, audit, dump. The hot half of get/put is inline in px_mempool.h. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <px_log.h>
#include <px_malloc.h>

#include "mempool_telemetry.h"
#include "px_mempool.h"

PX_LOG_REGISTER(mempool_logtype, "mempool", INFO);
#define MP_LOG(lvl, ...) PX_LOG(lvl, mempool_logtype, __VA_ARGS__)

#define MP_MZ_PREFIX "MPS_"
#define MP_OBJS_PREFIX "MPO_"
#define MP_RING_PREFIX "MP_"

/* The header sits in the last bytes of a cache line, the object starts on the next line. */
#define MP_HDR_SPACE PX_CACHE_LINE_SIZE
static_assert(sizeof(struct px_mempool_objhdr) <= MP_HDR_SPACE, "object header too big");

/* Where the object slot that starts at or after @off goes: moved to the next page start when it
 * would straddle a page of size @pg_sz (0: no constraint). */
static size_t slot_place(size_t off, uint32_t total, size_t pg_sz)
{
	if (pg_sz == 0 || total > pg_sz)
		return off;
	if (off / pg_sz != (off + total - 1) / pg_sz)
		off = PX_ALIGN_CEIL(off, pg_sz);
	return off;
}

/* Bytes the objects of @mp need with page size @pg_sz. */
static size_t objs_len(const struct px_mempool *mp, size_t pg_sz)
{
	size_t off = 0;

	for (uint32_t i = 0; i < mp->size; i++)
		off = slot_place(off, mp->total_elt_size, pg_sz) + mp->total_elt_size;
	return off;
}

static size_t pool_pg_sz(const struct px_mempool *mp, const struct px_memzone *mz)
{
	return (mp->flags & PX_MEMPOOL_F_NO_IOVA_CONTIG) ? 0 : mz->hugepage_sz;
}

/* Reserve the object memory. The layout depends on the page size, known only once reserved:
 * reserve for 2 MiB pages, and again with the exact need if the pages turn out smaller. */
static int objs_reserve(struct px_mempool *mp)
{
	char mz_name[PX_MEMZONE_NAMESIZE];
	size_t len = objs_len(mp, 2u << 20), need;

	snprintf(mz_name, sizeof(mz_name), MP_OBJS_PREFIX "%s", mp->name);
	mp->objs_mz = px_memzone_reserve(mz_name, len, mp->socket_id, 0, PX_CACHE_LINE_SIZE, 0);
	if (mp->objs_mz == NULL)
		return -errno;
	need = objs_len(mp, pool_pg_sz(mp, mp->objs_mz));
	if (need <= mp->objs_mz->len)
		return 0;
	px_memzone_free(mp->objs_mz);
	mp->objs_mz = px_memzone_reserve(mz_name, need, mp->socket_id, 0, PX_CACHE_LINE_SIZE, 0);
	return mp->objs_mz == NULL ? -errno : 0;
}

unsigned int px_mempool_obj_iter(struct px_mempool *mp, px_mempool_obj_cb_t *cb, void *arg)
{
	size_t pg_sz = pool_pg_sz(mp, mp->objs_mz), off = 0;

	for (uint32_t i = 0; i < mp->size; i++) {
		off = slot_place(off, mp->total_elt_size, pg_sz);
		cb(mp, arg, PX_PTR_ADD(mp->objs_mz->addr, off + mp->header_size), i);
		off += mp->total_elt_size;
	}
	return mp->size;
}

struct populate_arg {
	px_mempool_obj_cb_t *obj_init;
	void *obj_init_arg;
	int ret;
};

static void populate_one(struct px_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct populate_arg *pa = opaque;
	struct px_mempool_objhdr *h = px_mempool_get_header(obj);

	h->mp = mp;
	h->iova = (mp->flags & PX_MEMPOOL_F_NO_IOVA_CONTIG) ? PX_BAD_IOVA : px_mem_virt2iova(obj);
	h->cookie = PX_MEMPOOL_COOKIE_FREE;
	h->index = idx;
	if (pa->obj_init != NULL)
		pa->obj_init(mp, pa->obj_init_arg, obj, idx);
	if (px_ring_enqueue(mp->ring, obj) < 0)
		pa->ret = -ENOSPC;
}

static int check_create_args(const char *name, unsigned int n, unsigned int elt_size,
			     unsigned int cache_size, unsigned int flags)
{
	const unsigned int known =
		PX_MEMPOOL_F_SP_PUT | PX_MEMPOOL_F_SC_GET | PX_MEMPOOL_F_NO_IOVA_CONTIG;

	if (name == NULL || n == 0 || elt_size == 0 || (flags & ~known) != 0 ||
	    cache_size > PX_MEMPOOL_CACHE_MAX_SIZE || (uint64_t)cache_size * 3 / 2 > n ||
	    n > PX_RING_SZ_MASK / 2)
		return -EINVAL;
	if (strlen(name) >= PX_MEMPOOL_NAMESIZE)
		return -ENAMETOOLONG;
	return 0;
}

static void cache_init(struct px_mempool_cache *c, uint32_t size, uint32_t flushthresh)
{
	c->size = size;
	c->flushthresh = flushthresh;
	px_mempool_cache_set_len(c, 0);
}

static int pool_setup(struct px_mempool *mp, unsigned int cache_size)
{
	char rg_name[PX_RING_NAMESIZE];
	unsigned int rflags = PX_RING_F_EXACT_SZ;
	int ret;

	if (mp->flags & PX_MEMPOOL_F_SP_PUT)
		rflags |= PX_RING_F_SP_ENQ;
	if (mp->flags & PX_MEMPOOL_F_SC_GET)
		rflags |= PX_RING_F_SC_DEQ;
	snprintf(rg_name, sizeof(rg_name), MP_RING_PREFIX "%s", mp->name);
	mp->ring = px_ring_create(rg_name, mp->size, mp->socket_id, rflags);
	if (mp->ring == NULL)
		return -errno;
	mp->lcore_stats = px_zmalloc_socket(
		"mempool_stats", sizeof(*mp->lcore_stats) * PX_MAX_LCORE, 0, mp->socket_id);
	if (mp->lcore_stats == NULL)
		return -ENOMEM;
	if (cache_size > 0) {
		mp->local_cache = px_zmalloc_socket(
			"mempool_cache", sizeof(*mp->local_cache) * PX_MAX_LCORE, 0, mp->socket_id);
		if (mp->local_cache == NULL)
			return -ENOMEM;
		for (unsigned int i = 0; i < PX_MAX_LCORE; i++)
			cache_init(&mp->local_cache[i], cache_size,
				   PX_MEMPOOL_CACHE_FLUSHTHRESH(cache_size));
	}
	ret = objs_reserve(mp);
	return ret;
}

static void pool_release(struct px_mempool *mp)
{
	if (mp->objs_mz != NULL)
		px_memzone_free(mp->objs_mz);
	px_free(mp->local_cache);
	px_free(mp->lcore_stats);
	px_ring_free(mp->ring);
	px_memzone_free(mp->mz);
}

struct px_mempool *px_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
				     unsigned int cache_size, unsigned int private_data_size,
				     px_mempool_ctor_t *mp_init, void *mp_init_arg,
				     px_mempool_obj_cb_t *obj_init, void *obj_init_arg, int socket,
				     unsigned int flags)
{
	struct populate_arg pa = {obj_init, obj_init_arg, 0};
	char mz_name[PX_MEMZONE_NAMESIZE];
	const struct px_memzone *mz;
	struct px_mempool *mp;
	int ret = check_create_args(name, n, elt_size, cache_size, flags);

	if (ret < 0)
		goto fail;
	mempool_telemetry_register();
	snprintf(mz_name, sizeof(mz_name), MP_MZ_PREFIX "%s", name);
	mz = px_memzone_reserve(mz_name, sizeof(*mp) + private_data_size, socket, 0, 0, 0);
	if (mz == NULL) {
		ret = -errno;
		goto fail;
	}
	mp = mz->addr;
	memset(mp, 0, sizeof(*mp) + private_data_size);
	strcpy(mp->name, name);
	mp->mz = mz;
	mp->flags = flags;
	mp->socket_id = socket;
	mp->size = n;
	mp->cache_size = cache_size;
	mp->elt_size = elt_size;
	mp->header_size = MP_HDR_SPACE;
	mp->total_elt_size = MP_HDR_SPACE + PX_ALIGN_CEIL(elt_size, PX_CACHE_LINE_SIZE);
	mp->private_data_size = private_data_size;
	ret = pool_setup(mp, cache_size);
	if (ret < 0)
		goto release;
	if (mp_init != NULL)
		mp_init(mp, mp_init_arg);
	px_mempool_obj_iter(mp, populate_one, &pa);
	if (pa.ret == 0)
		return mp;
	ret = pa.ret;
release:
	pool_release(mp);
fail:
	MP_LOG(ERR, "mempool %s: cannot create %u objects of %u bytes: %s", name ? name : "(null)",
	       n, elt_size, strerror(-ret));
	errno = -ret;
	return NULL;
}

struct px_mempool *px_mempool_lookup(const char *name)
{
	char mz_name[PX_MEMZONE_NAMESIZE];
	const struct px_memzone *mz;

	if (name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (strlen(name) >= PX_MEMPOOL_NAMESIZE) {
		errno = ENOENT;
		return NULL;
	}
	snprintf(mz_name, sizeof(mz_name), MP_MZ_PREFIX "%s", name);
	mz = px_memzone_lookup(mz_name);
	if (mz == NULL) {
		errno = ENOENT;
		return NULL;
	}
	return mz->addr;
}

struct mempool_walk {
	void (*fn)(struct px_mempool *mp, void *arg);
	void *arg;
};

static void mempool_walk_zone(const struct px_memzone *mz, void *arg)
{
	struct mempool_walk *w = arg;

	if (strncmp(mz->name, MP_MZ_PREFIX, sizeof(MP_MZ_PREFIX) - 1) == 0)
		w->fn(mz->addr, w->arg);
}

void px_mempool_walk(void (*fn)(struct px_mempool *mp, void *arg), void *arg)
{
	struct mempool_walk w = {fn, arg};

	px_memzone_walk(mempool_walk_zone, &w);
}

void px_mempool_free(struct px_mempool *mp)
{
	if (mp != NULL)
		pool_release(mp);
}

struct px_mempool_cache *px_mempool_cache_create(uint32_t size, uint32_t flushthresh, int socket)
{
	struct px_mempool_cache *c;

	if (flushthresh == 0)
		flushthresh = PX_MEMPOOL_CACHE_FLUSHTHRESH(size);
	if (size == 0 || size > PX_MEMPOOL_CACHE_MAX_SIZE || flushthresh < size ||
	    flushthresh > 2 * PX_MEMPOOL_CACHE_MAX_SIZE) {
		errno = EINVAL;
		return NULL;
	}
	c = px_zmalloc_socket("mempool_cache", sizeof(*c), 0, socket);
	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	cache_init(c, size, flushthresh);
	return c;
}

void px_mempool_cache_free(struct px_mempool_cache *cache)
{
	px_free(cache);
}

void px_mempool_cache_flush(struct px_mempool_cache *cache, struct px_mempool *mp)
{
	uint32_t len = cache != NULL ? px_mempool_cache_len(cache) : 0;

	if (len == 0)
		return;
	if (px_ring_enqueue_bulk(mp->ring, cache->objs, len, NULL) == 0)
		px_mempool_debug_bad(mp, cache->objs[0], "ring full on flush (double put?)");
	px_mempool_cache_set_len(cache, 0);
	cache->stats.cache_ops++;
}

/* A put that does not fit the cache: flush the cache to the ring in one bulk, then push. Objects
 * go straight to the ring without a cache or when there are more than the threshold. */
void px_mempool_cache_flush_put(struct px_mempool *mp, struct px_mempool_cache *cache,
				void *const *obj_table, unsigned int n)
{
	struct px_mempool_stats *st = px_mempool_stats_of(mp, cache);

	px_mempool_stat_add(st, &st->put_bulk, mp, 1);
	px_mempool_stat_add(st, &st->put_objs, mp, n);
	if (cache == NULL || n > cache->flushthresh) {
		if (n != 0 && px_ring_enqueue_bulk(mp->ring, obj_table, n, NULL) == 0)
			px_mempool_debug_bad(mp, obj_table[0], "ring full on put (double put?)");
		return;
	}
	px_mempool_cache_flush(cache, mp);
	px_mempool_copy_ptrs(cache->objs, obj_table, n);
	px_mempool_cache_set_len(cache, n);
}

/* A get the cache cannot serve: refill it from the ring to its size plus @n in one bulk, then pop;
 * when the ring has less than that, take just what is missing; without a cache, or for more than
 * the cache size, go to the ring directly. */
int px_mempool_cache_refill_get(struct px_mempool *mp, struct px_mempool_cache *cache,
				void **obj_table, unsigned int n)
{
	struct px_mempool_stats *st = px_mempool_stats_of(mp, cache);
	uint32_t len;

	if (cache == NULL || n > cache->size) {
		if (px_ring_dequeue_bulk(mp->ring, obj_table, n, NULL) == 0)
			goto fail;
		goto ok;
	}
	len = px_mempool_cache_len(cache);
	if (px_ring_dequeue_bulk(mp->ring, &cache->objs[len], cache->size + n - len, NULL) != 0)
		len = cache->size + n;
	else if (px_ring_dequeue_bulk(mp->ring, &cache->objs[len], n - len, NULL) != 0)
		len = n;
	else
		goto fail;
	cache->stats.cache_ops++;
	len -= n;
	px_mempool_cache_set_len(cache, len);
	px_mempool_copy_ptrs(obj_table, &cache->objs[len], n);
ok:
	px_mempool_stat_add(st, &st->get_bulk, mp, 1);
	px_mempool_stat_add(st, &st->get_objs, mp, n);
	return 0;
fail:
	px_mempool_stat_add(st, &st->get_fail, mp, 1);
	return -ENOENT;
}

unsigned int px_mempool_avail_count(const struct px_mempool *mp)
{
	unsigned int count = px_ring_count(mp->ring);

	if (mp->local_cache != NULL)
		for (unsigned int i = 0; i < PX_MAX_LCORE; i++)
			count += __atomic_load_n(&mp->local_cache[i].len, __ATOMIC_RELAXED);
	/* A double put can make the free objects seem more than the pool has. */
	return count > mp->size ? mp->size : count;
}

unsigned int px_mempool_in_use_count(const struct px_mempool *mp)
{
	return mp->size - px_mempool_avail_count(mp);
}

static void stats_add(struct px_mempool_stats *sum, const struct px_mempool_stats *s)
{
	sum->put_bulk += s->put_bulk;
	sum->put_objs += s->put_objs;
	sum->get_bulk += s->get_bulk;
	sum->get_objs += s->get_objs;
	sum->get_fail += s->get_fail;
	sum->bad_put += s->bad_put;
	sum->cache_ops += s->cache_ops;
}

void px_mempool_get_stats(const struct px_mempool *mp, struct px_mempool_stats *st)
{
	memset(st, 0, sizeof(*st));
	stats_add(st, &mp->shared_stats);
	for (unsigned int i = 0; i < PX_MAX_LCORE; i++)
		stats_add(st, &mp->lcore_stats[i].st);
	if (mp->local_cache != NULL)
		for (unsigned int i = 0; i < PX_MAX_LCORE; i++)
			stats_add(st, &mp->local_cache[i].stats);
}

void px_mempool_debug_bad(struct px_mempool *mp, void *obj, const char *what)
{
	MP_LOG(ERR, "mempool %s: object %p: %s; refused", mp->name, obj, what);
	__atomic_fetch_add(&mp->shared_stats.bad_put, 1, __ATOMIC_RELAXED);
}

struct census_walk {
	struct px_mempool_census *c;
	uint8_t *seen;
	px_mempool_census_cb_t *cb;
	void *arg;
};

/* One entry of the ring or of a cache: a free object, a second entry of one (a double put the
 * pool accepted), or a pointer that is no object of this pool. */
static void census_entry(struct px_mempool *mp, struct census_walk *w, void *obj)
{
	struct px_mempool_objhdr *h = px_mempool_get_header(obj);

	if (h->mp != mp || h->index >= mp->size) {
		w->c->foreign++;
		return;
	}
	if (w->seen[h->index]++ == 0) {
		w->c->free++;
		return;
	}
	w->c->twice++;
	if (w->cb != NULL)
		w->cb(mp, w->arg, obj, true);
}

/* Report the objects no entry named: they are in use. */
static void census_in_use(struct px_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct census_walk *w = opaque;

	if (!w->seen[idx] && w->cb != NULL)
		w->cb(mp, w->arg, obj, false);
}

int px_mempool_census(struct px_mempool *mp, struct px_mempool_census *c,
		      px_mempool_census_cb_t *cb, void *arg)
{
	struct census_walk w = {c, NULL, cb, arg};
	struct px_ring *r;
	void **slots;

	if (mp == NULL || c == NULL)
		return -EINVAL;
	w.seen = calloc(mp->size, 1);
	if (w.seen == NULL)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	c->size = mp->size;
	/* the ring's entries, read in place, then each cache's stack */
	r = mp->ring;
	slots = px_ring_slots(r);
	for (uint32_t i = r->cons.tail; i != r->prod.tail; i++)
		census_entry(mp, &w, slots[i & r->mask]);
	for (unsigned int l = 0; mp->local_cache != NULL && l < PX_MAX_LCORE; l++)
		for (uint32_t i = 0; i < px_mempool_cache_len(&mp->local_cache[l]); i++)
			census_entry(mp, &w, mp->local_cache[l].objs[i]);
	c->in_use = c->size - c->free;
	c->bad_put = __atomic_load_n(&mp->shared_stats.bad_put, __ATOMIC_RELAXED);
	if (cb != NULL && c->in_use != 0)
		px_mempool_obj_iter(mp, census_in_use, &w);
	free(w.seen);
	return 0;
}

int px_mempool_audit(struct px_mempool *mp)
{
	struct px_mempool_census c;
	int ret = px_mempool_census(mp, &c, NULL, NULL);

	if (ret < 0)
		return ret;
	if (c.foreign != 0) {
		MP_LOG(ERR, "mempool %s: audit: %u free entries are not objects of this pool",
		       mp->name, c.foreign);
		return -EINVAL;
	}
	if (c.twice != 0) {
		MP_LOG(ERR, "mempool %s: audit: %u objects are free twice (double put)", mp->name,
		       c.twice);
		return -EEXIST;
	}
	if (c.bad_put != 0) {
		MP_LOG(ERR, "mempool %s: audit: %" PRIu64 " bad puts were refused", mp->name,
		       c.bad_put);
		return -EBADMSG;
	}
	return 0;
}

void px_mempool_dump(FILE *f, struct px_mempool *mp)
{
	struct px_mempool_stats st;

	px_mempool_get_stats(mp, &st);
	fprintf(f, "mempool <%s>@%p\n  flags=%#x\n  socket_id=%d\n  size=%u\n", mp->name,
		(void *)mp, mp->flags, mp->socket_id, mp->size);
	fprintf(f, "  elt_size=%u\n  header_size=%u\n  total_elt_size=%u\n  cache_size=%u\n",
		mp->elt_size, mp->header_size, mp->total_elt_size, mp->cache_size);
	fprintf(f, "  avail=%u\n  in_use=%u\n", px_mempool_avail_count(mp),
		px_mempool_in_use_count(mp));
	fprintf(f,
		"  stats: put_bulk=%" PRIu64 " put_objs=%" PRIu64 " get_bulk=%" PRIu64
		" get_objs=%" PRIu64 " get_fail=%" PRIu64 " bad_put=%" PRIu64 " cache_ops=%" PRIu64
		"\n",
		st.put_bulk, st.put_objs, st.get_bulk, st.get_objs, st.get_fail, st.bad_put,
		st.cache_ops);
}

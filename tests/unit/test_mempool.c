/* SPDX-License-Identifier: BSD-3-Clause */
/* mempool: create/lookup/free, get/put through the cache and without, exhaustion, cache refill
 * and flush, user caches, iteration and IOVAs, statistics, audit of a double put, the exact
 * count (census) of a pool. */
#include <stdlib.h>

#include <px_eal.h>
#include <px_malloc.h>
#include <px_mempool.h>
#include "px_test.h"

#define N_OBJS 1000

static int mp_eal_init(void)
{
	return px_test_eal_init("-l 0-1 --no-huge");
}

static void init_obj(struct px_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	(void)mp;
	(void)arg;
	memset(obj, 0, mp->elt_size);
	*(uint32_t *)obj = idx;
}

static void count_obj(struct px_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	unsigned int *bad = arg;

	if (*(uint32_t *)obj != idx || px_mempool_from_obj(obj) != mp ||
	    px_mempool_virt2iova(obj) != px_mem_virt2iova(obj) ||
	    (uintptr_t)obj % PX_CACHE_LINE_SIZE != 0)
		(*bad)++;
}

static int test_mempool_create(void)
{
	struct px_mempool *mp;
	unsigned int bad = 0;

	PX_TEST_ASSERT(mp_eal_init() >= 0, "init");
	mp = px_mempool_create("mp_create", N_OBJS, 100, 32, 16, NULL, NULL, init_obj, NULL,
			       PX_SOCKET_ID_ANY, 0);
	PX_TEST_ASSERT(mp != NULL, "create: %s", strerror(errno));
	PX_TEST_ASSERT(px_mempool_lookup("mp_create") == mp, "lookup");
	PX_TEST_ASSERT(px_mempool_lookup("nope") == NULL && errno == ENOENT, "lookup missing");
	PX_TEST_ASSERT(px_mempool_create("mp_create", 10, 8, 0, 0, NULL, NULL, NULL, NULL,
					 PX_SOCKET_ID_ANY, 0) == NULL &&
			       errno == EEXIST,
		       "duplicate");
	PX_TEST_ASSERT(px_mempool_create("x", 10, 8, 8, 0, NULL, NULL, NULL, NULL, PX_SOCKET_ID_ANY,
					 0) == NULL &&
			       errno == EINVAL,
		       "cache too big for the pool");
	PX_TEST_ASSERT(px_mempool_create("x", 0, 8, 0, 0, NULL, NULL, NULL, NULL, PX_SOCKET_ID_ANY,
					 0) == NULL &&
			       errno == EINVAL,
		       "no objects");
	PX_TEST_ASSERT(px_mempool_create("a_pool_name_that_is_too_long", 10, 8, 0, 0, NULL, NULL,
					 NULL, NULL, PX_SOCKET_ID_ANY, 0) == NULL &&
			       errno == ENAMETOOLONG,
		       "long name");
	PX_TEST_ASSERT_EQ(px_mempool_obj_iter(mp, count_obj, &bad), N_OBJS, "iter");
	PX_TEST_ASSERT_EQ(bad, 0, "objects initialised, aligned, with pool and IOVA");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), N_OBJS, "all free");
	PX_TEST_ASSERT(px_mempool_full(mp) && !px_mempool_empty(mp), "full");
	PX_TEST_ASSERT(px_mempool_get_priv(mp) != NULL, "priv");
	PX_TEST_ASSERT_EQ(px_mempool_audit(mp), 0, "audit");
	px_mempool_dump(stderr, mp);
	px_mempool_free(mp);
	PX_TEST_ASSERT(px_mempool_lookup("mp_create") == NULL, "gone");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_create_autotest, PX_TEST_F_FAST, test_mempool_create)

/* Take every object (in @bulk-sized gets, then singles), check they are distinct, put back. */
static int drain_and_refill(struct px_mempool *mp, unsigned int bulk)
{
	static void *objs[N_OBJS + 64];
	unsigned int got = 0, i;
	uint8_t *seen = calloc(N_OBJS, 1);

	PX_TEST_ASSERT(seen != NULL, "calloc");
	while (got + bulk <= N_OBJS && px_mempool_get_bulk(mp, &objs[got], bulk) == 0)
		got += bulk;
	while (px_mempool_get(mp, &objs[got]) == 0)
		got++;
	PX_TEST_ASSERT_EQ(got, N_OBJS, "every object could be taken (bulk %u)", bulk);
	PX_TEST_ASSERT(px_mempool_empty(mp), "empty");
	PX_TEST_ASSERT_EQ(px_mempool_get_bulk(mp, objs + got, 1), -ENOENT, "nothing left");
	PX_TEST_ASSERT_EQ(px_mempool_in_use_count(mp), N_OBJS, "all in use");
	for (i = 0; i < got; i++) {
		uint32_t idx = *(uint32_t *)objs[i];

		PX_TEST_ASSERT(idx < N_OBJS && !seen[idx], "object %u handed out twice", idx);
		seen[idx] = 1;
	}
	free(seen);
	for (i = 0; i + bulk <= got; i += bulk)
		px_mempool_put_bulk(mp, &objs[i], bulk);
	for (; i < got; i++)
		px_mempool_put(mp, objs[i]);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), N_OBJS, "all back");
	PX_TEST_ASSERT_EQ(px_mempool_audit(mp), 0, "audit");
	return PX_TEST_OK;
}

static int test_mempool_get_put(void)
{
	static const unsigned int caches[] = {0, 32, 256};
	static const unsigned int bulks[] = {1, 7, 32, 300};
	struct px_mempool_stats st;
	char name[32];

	PX_TEST_ASSERT(mp_eal_init() >= 0, "init");
	for (unsigned int c = 0; c < PX_DIM(caches); c++) {
		struct px_mempool *mp;

		snprintf(name, sizeof(name), "mp_gp%u", c);
		mp = px_mempool_create(name, N_OBJS, 64, caches[c], 0, NULL, NULL, init_obj, NULL,
				       PX_SOCKET_ID_ANY, c == 1 ? PX_MEMPOOL_F_SP_PUT : 0);
		PX_TEST_ASSERT(mp != NULL, "create: %s", strerror(errno));
		for (unsigned int b = 0; b < PX_DIM(bulks); b++)
			PX_TEST_ASSERT_EQ(drain_and_refill(mp, bulks[b]), PX_TEST_OK,
					  "cache %u bulk %u", caches[c], bulks[b]);
		px_mempool_get_stats(mp, &st);
#ifdef PX_MEMPOOL_STATS
		PX_TEST_ASSERT(st.get_objs == 4 * N_OBJS && st.put_objs == 4 * N_OBJS,
			       "stats count objects: get %llu put %llu",
			       (unsigned long long)st.get_objs, (unsigned long long)st.put_objs);
#else
		/* Only calls that went past the cache are counted. */
		PX_TEST_ASSERT(st.get_objs >= 300 && st.put_objs >= 300,
			       "stats count objects: get %llu put %llu",
			       (unsigned long long)st.get_objs, (unsigned long long)st.put_objs);
#endif
		PX_TEST_ASSERT(st.get_fail >= 4, "failed gets counted");
		if (caches[c])
			PX_TEST_ASSERT(st.cache_ops > 0, "cache refilled and flushed");
		px_mempool_free(mp);
	}
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_get_put_autotest, PX_TEST_F_FAST, test_mempool_get_put)

/* The cache is LIFO: what was just put comes back first; a flush empties it into the ring. */
static int test_mempool_cache(void)
{
	struct px_mempool *mp;
	struct px_mempool_cache *uc, *lc;
	void *a, *b, *objs[64];

	PX_TEST_ASSERT(mp_eal_init() >= 0, "init");
	mp = px_mempool_create("mp_cache", 512, 32, 64, 0, NULL, NULL, NULL, NULL, PX_SOCKET_ID_ANY,
			       0);
	PX_TEST_ASSERT(mp != NULL, "create");
	lc = px_mempool_default_cache(mp, px_lcore_id());
	PX_TEST_ASSERT(lc != NULL && lc->size == 64 && lc->flushthresh == 96, "lcore cache");
	PX_TEST_ASSERT(px_mempool_default_cache(mp, PX_LCORE_ID_ANY) == NULL, "non-lcore");
	PX_TEST_ASSERT_EQ(px_mempool_get(mp, &a), 0, "get");
	PX_TEST_ASSERT_EQ(lc->len, 64, "refilled to the cache size");
	PX_TEST_ASSERT_EQ(px_mempool_get(mp, &b), 0, "get");
	px_mempool_put(mp, b);
	px_mempool_put(mp, a);
	PX_TEST_ASSERT_EQ(px_mempool_get(mp, &b), 0, "get");
	PX_TEST_ASSERT(a == b, "LIFO: last put is first out");
	px_mempool_put(mp, b);
	px_mempool_cache_flush(lc, mp);
	PX_TEST_ASSERT_EQ(lc->len, 0, "flushed");
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 512, "all free");

	PX_TEST_ASSERT(px_mempool_cache_create(0, 0, PX_SOCKET_ID_ANY) == NULL && errno == EINVAL,
		       "size 0");
	PX_TEST_ASSERT(px_mempool_cache_create(16, 8, PX_SOCKET_ID_ANY) == NULL && errno == EINVAL,
		       "threshold below size");
	uc = px_mempool_cache_create(16, 40, PX_SOCKET_ID_ANY);
	PX_TEST_ASSERT(uc != NULL, "user cache");
	PX_TEST_ASSERT_EQ(px_mempool_generic_get(mp, objs, 40, uc), 0, "get 40 (> size: direct)");
	PX_TEST_ASSERT_EQ(uc->len, 0, "bypassed");
	px_mempool_generic_put(mp, objs, 40, uc);
	PX_TEST_ASSERT_EQ(uc->len, 40, "40 fit under the threshold 40");
	px_mempool_generic_put(mp, objs, 0, uc);
	PX_TEST_ASSERT_EQ(px_mempool_generic_get(mp, objs, 1, uc), 0, "get 1");
	px_mempool_generic_put(mp, objs, 1, uc);
	PX_TEST_ASSERT_EQ(px_mempool_generic_get(mp, objs, 2, uc), 0, "get 2");
	px_mempool_generic_put(mp, objs, 2, uc);
	PX_TEST_ASSERT_EQ(px_mempool_generic_get(mp, objs, 1, uc), 0, "get");
	px_mempool_generic_put(mp, objs, 1, uc);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 512 - uc->len, "user cache not counted");
	px_mempool_cache_flush(uc, mp);
	PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), 512, "all free");
	PX_TEST_ASSERT_EQ(px_mempool_audit(mp), 0, "audit");
	px_mempool_cache_free(uc);
	px_mempool_free(mp);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_cache_autotest, PX_TEST_F_FAST, test_mempool_cache)

static int test_mempool_double_put(void)
{
	struct px_mempool_stats st;
	struct px_mempool *mp;
	void *o;
	int ret;

	PX_TEST_ASSERT(mp_eal_init() >= 0, "init");
	for (unsigned int cache = 0; cache <= 32; cache += 32) {
		mp = px_mempool_create("mp_dbl", 100, 32, cache, 0, NULL, NULL, init_obj, NULL,
				       PX_SOCKET_ID_ANY, 0);
		PX_TEST_ASSERT(mp != NULL, "create");
		PX_TEST_ASSERT_EQ(px_mempool_get(mp, &o), 0, "get");
		PX_TEST_ASSERT_EQ(px_mempool_audit(mp), 0, "audit before");
		px_mempool_put(mp, o);
		px_mempool_put(mp, o); /* the bug the audit must catch */
		ret = px_mempool_audit(mp);
		PX_TEST_ASSERT(ret == -EEXIST || ret == -EBADMSG, "audit caught it: %d", ret);
		px_mempool_get_stats(mp, &st);
#ifdef PX_MEMPOOL_DEBUG
		PX_TEST_ASSERT_EQ(st.bad_put, 1, "debug build refuses the second put");
		PX_TEST_ASSERT_EQ(ret, -EBADMSG, "refused, so not free twice");
#else
		/* Free twice in a cache, or refused by a full ring. */
		PX_TEST_ASSERT(ret == -EEXIST || st.bad_put == 1, "free twice: %d", ret);
#endif
		px_mempool_free(mp);
	}
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_double_put_autotest, PX_TEST_F_FAST, test_mempool_double_put)

struct census_seen {
	void *const *held; /* the objects the test holds */
	unsigned int nb_held, in_use, twice, strangers;
};

static void census_cb(struct px_mempool *mp, void *arg, void *obj, bool twice)
{
	struct census_seen *cs = arg;
	bool held = false;

	(void)mp;
	for (unsigned int i = 0; i < cs->nb_held; i++)
		held |= cs->held[i] == obj;
	if (twice)
		cs->twice++;
	else if (held)
		cs->in_use++;
	else
		cs->strangers++;
}

/* px_mempool_census() counts exactly: in use, free twice, foreign; the callback names them. */
static int census_round(unsigned int cache)
{
	struct px_mempool *mp, *other;
	struct px_mempool_census c;
	struct census_seen cs = {0};
	void *o[10], *alien;

	mp = px_mempool_create("mp_cen", 100, 32, cache, 0, NULL, NULL, init_obj, NULL,
			       PX_SOCKET_ID_ANY, 0);
	other = px_mempool_create("mp_cen2", 10, 32, 0, 0, NULL, NULL, NULL, NULL, PX_SOCKET_ID_ANY,
				  0);
	PX_TEST_ASSERT(mp != NULL && other != NULL, "create");
	PX_TEST_ASSERT_EQ(px_mempool_census(mp, &c, NULL, NULL), 0, "census");
	PX_TEST_ASSERT(c.size == 100 && c.free == 100 && c.in_use == 0 && c.twice == 0, "full");
	PX_TEST_ASSERT_EQ(px_mempool_get_bulk(mp, o, 10), 0, "get");
	px_mempool_put_bulk(mp, o, 4); /* o[0..3] back, o[4..9] in use */
	cs.held = o + 4;
	cs.nb_held = 6;
	PX_TEST_ASSERT_EQ(px_mempool_census(mp, &c, census_cb, &cs), 0, "census");
	PX_TEST_ASSERT(c.free == 94 && c.in_use == 6 && c.twice == 0 && c.foreign == 0,
		       "6 in use: free %u in_use %u", c.free, c.in_use);
	PX_TEST_ASSERT(cs.in_use == 6 && cs.strangers == 0 && cs.twice == 0,
		       "the callback saw the 6 held: %u, %u others", cs.in_use, cs.strangers);
	px_mempool_put(mp, o[0]); /* a double put */
	PX_TEST_ASSERT_EQ(px_mempool_get(other, &alien), 0, "get from the other pool");
	px_mempool_put(mp, alien); /* an object of another pool */
	cs = (struct census_seen){.held = o + 4, .nb_held = 6};
	PX_TEST_ASSERT_EQ(px_mempool_census(mp, &c, census_cb, &cs), 0, "census");
	PX_TEST_ASSERT(c.free == 94 && c.in_use == 6, "still 6 in use: %u", c.in_use);
#ifdef PX_MEMPOOL_DEBUG
	PX_TEST_ASSERT(c.bad_put == 2 && c.twice == 0 && c.foreign == 0 && cs.twice == 0,
		       "debug build: both puts refused: %llu, twice %u, foreign %u",
		       (unsigned long long)c.bad_put, c.twice, c.foreign);
#else
	PX_TEST_ASSERT(c.bad_put == 0 && c.twice == 1 && c.foreign == 1 && cs.twice == 1,
		       "both accepted, and found: bad_put %llu, twice %u, foreign %u",
		       (unsigned long long)c.bad_put, c.twice, c.foreign);
#endif
	PX_TEST_ASSERT_EQ(px_mempool_census(NULL, &c, NULL, NULL), -EINVAL, "NULL pool");
	px_mempool_free(mp);
	px_mempool_free(other);
	return PX_TEST_OK;
}

static int test_mempool_census(void)
{
	PX_TEST_ASSERT(mp_eal_init() >= 0, "init");
	for (unsigned int cache = 0; cache <= 32; cache += 32)
		PX_TEST_ASSERT_EQ(census_round(cache), PX_TEST_OK, "cache %u", cache);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_census_autotest, PX_TEST_F_FAST, test_mempool_census)

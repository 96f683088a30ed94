/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory on ordinary memory (--no-huge): the heap, memzones, events, the cap. The same
 * bodies run on hugepages in test_memory_huge.c. Each test brings the EAL up and down itself.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include <px_eal.h>
#include <px_malloc.h>
#include <px_memory.h>
#include <px_memzone.h>

#include "px_test.h"
#include "memory_cases.h"

/* ---- randomised alloc/free/realloc with invariant checks ---- */
#define RND_SLOTS 256

struct rnd_blk {
	uint8_t *p;
	size_t len;
	unsigned int align;
	uint8_t fill;
};

static int rnd_check(const struct rnd_blk *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->p[i] != b->fill)
			return -1;
	return 0;
}

/* Each block lies in one segment; a walk callback checks the block against each segment. */
struct in_seg {
	uintptr_t a, len;
	int inside;
};

static int in_seg_cb(const struct px_memseg *ms, void *arg)
{
	struct in_seg *x = arg;
	uintptr_t s = (uintptr_t)ms->addr, e = s + ms->len;

	if (x->a >= s && x->a + x->len <= e)
		x->inside = 1;
	return 0;
}

static int rnd_new(struct rnd_blk *b, unsigned int *seed)
{
	int big = rand_r(seed) % 16 == 0;

	b->len = 1 + (size_t)rand_r(seed) % (big ? (3u << 20) : 4096);
	b->align = rand_r(seed) % 4 ? 0 : 1u << (rand_r(seed) % 14);
	b->fill = (uint8_t)rand_r(seed);
	b->p = px_malloc("rnd", b->len, b->align);
	if (b->p == NULL)
		return -1;
	memset(b->p, b->fill, b->len);
	return 0;
}

static int rnd_invariants(const struct rnd_blk *b)
{
	struct in_seg x = {(uintptr_t)b->p, b->len, 0};
	unsigned int align = b->align ? b->align : 64;

	px_memseg_walk(in_seg_cb, &x);
	if (!x.inside || ((uintptr_t)b->p & (align - 1)) || rnd_check(b) < 0)
		return -1;
	return 0;
}

int test_mem_random(void)
{
	static struct rnd_blk blk[RND_SLOTS];
	unsigned int seed = 12345;
	struct px_malloc_stats st;

	memset(blk, 0, sizeof(blk));
	for (int it = 0; it < 20000; it++) {
		struct rnd_blk *b = &blk[rand_r(&seed) % RND_SLOTS];
		int op = rand_r(&seed) % 3;

		if (b->p && op == 0) {
			PX_TEST_ASSERT(rnd_invariants(b) == 0, "block %p+%zu broken", b->p, b->len);
			px_free(b->p);
			b->p = NULL;
		} else if (b->p && op == 1) {
			size_t nl = 1 + (size_t)rand_r(&seed) % 8192;
			uint8_t *np = px_realloc(b->p, nl, 0);

			PX_TEST_ASSERT(np != NULL, "realloc %zu: %s", nl, strerror(errno));
			for (size_t i = 0; i < PX_MIN(nl, b->len); i++)
				PX_TEST_ASSERT(np[i] == b->fill, "realloc lost byte %zu", i);
			b->p = np;
			b->len = nl;
			memset(b->p, b->fill, nl);
		} else if (!b->p) {
			PX_TEST_ASSERT(rnd_new(b, &seed) == 0, "alloc %zu: %s", b->len,
				       strerror(errno));
		}
		if (it % 1000 == 0)
			PX_TEST_ASSERT_EQ(px_malloc_validate(), 0, "heap invariants at %d", it);
	}
	for (int i = 0; i < RND_SLOTS; i++) {
		if (blk[i].p) {
			PX_TEST_ASSERT(rnd_invariants(&blk[i]) == 0, "block %d broken", i);
			px_free(blk[i].p);
		}
	}
	PX_TEST_ASSERT_EQ(px_malloc_validate(), 0, "heap invariants at the end");
	PX_TEST_ASSERT_EQ(px_malloc_get_stats(PX_SOCKET_ID_ANY, &st), 0, "stats");
	PX_TEST_ASSERT_EQ(st.alloc_count, 0, "every block freed");
	PX_TEST_ASSERT_EQ(st.alloc_bytes, 0, "no bytes allocated");
	return PX_TEST_OK;
}

/* ---- bad frees ---- */
int test_mem_bad_free(void)
{
	struct px_malloc_stats before, after;
	char stack_buf[128];
	const char *out;
	void *p = px_malloc("t", 100, 0), *q = px_malloc("t", 100, 0);

	PX_TEST_ASSERT(p && q, "alloc: %s", strerror(errno));
	px_free(p);
	px_malloc_get_stats(PX_SOCKET_ID_ANY, &before);
	px_test_log_capture_start();
	px_free(p);              /* double free */
	px_free(stack_buf);      /* foreign */
	px_free((char *)q + 64); /* inside a block */
	px_free((char *)q + 8);  /* misaligned */
	PX_TEST_ASSERT(px_realloc(p, 10, 0) == NULL, "realloc of a freed block");
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT(strstr(out, "double free") != NULL, "double free reported: %s", out);
	PX_TEST_ASSERT(strstr(out, "not Pollux heap memory") != NULL, "foreign reported");
	PX_TEST_ASSERT(strstr(out, "not a block the heap returned") != NULL, "interior reported");
	px_malloc_get_stats(PX_SOCKET_ID_ANY, &after);
	PX_TEST_ASSERT(memcmp(&before, &after, sizeof(before)) == 0, "stats unchanged");
	PX_TEST_ASSERT_EQ(px_malloc_validate(), 0, "heap intact");
	px_free(q);
	px_free(NULL);
	return PX_TEST_OK;
}

/* ---- memzones ---- */
static int mz_rules_one(size_t len, unsigned int align, size_t bound, int i)
{
	char name[32];
	const struct px_memzone *mz;
	uintptr_t a;

	snprintf(name, sizeof(name), "mz%d", i);
	mz = px_memzone_reserve(name, len, PX_SOCKET_ID_ANY, 0, align, bound);
	PX_TEST_ASSERT(mz != NULL, "%s len %zu align %u bound %zu: %s", name, len, align, bound,
		       strerror(errno));
	a = (uintptr_t)mz->addr;
	PX_TEST_ASSERT((a & ((align ? align : 64) - 1)) == 0, "%s aligned", name);
	PX_TEST_ASSERT(!bound || (a & ~(bound - 1)) == ((a + len - 1) & ~(bound - 1)),
		       "%s %#lx+%zu crosses %zu", name, (unsigned long)a, len, bound);
	PX_TEST_ASSERT(mz->len == len && px_memzone_lookup(name) == mz, "%s lookup", name);
	for (size_t k = 0; k < len; k++)
		PX_TEST_ASSERT(((uint8_t *)mz->addr)[k] == 0, "%s zeroed", name);
	memset(mz->addr, 0xa5, len);
	return PX_TEST_OK;
}

int test_mz_rules(void)
{
	const struct px_memzone *mz;
	int i = 0;

	for (size_t len = 100; len < 70000; len = len * 3 + 17) {
		for (unsigned int align = 64; align <= 65536; align <<= 4) {
			size_t bound = px_align64pow2(len);

			if (mz_rules_one(len, align, 0, i++) ||
			    mz_rules_one(len, align, bound, i++))
				return PX_TEST_FAILED;
		}
	}
	mz = px_memzone_lookup("mz0");
	PX_TEST_ASSERT(px_memzone_reserve("mz0", 64, -1, 0, 0, 0) == NULL && errno == EEXIST,
		       "duplicate name");
	PX_TEST_ASSERT(px_memzone_reserve("x", 0, -1, 0, 0, 0) == NULL && errno == EINVAL, "len 0");
	PX_TEST_ASSERT(px_memzone_reserve("x", 64, -1, 0, 3, 0) == NULL && errno == EINVAL,
		       "align 3");
	PX_TEST_ASSERT(px_memzone_reserve("x", 4096, -1, 0, 0, 2048) == NULL && errno == EINVAL,
		       "bound < len");
	PX_TEST_ASSERT(px_memzone_reserve("0123456789012345678901234567890123", 64, -1, 0, 0, 0) ==
				       NULL &&
			       errno == EINVAL,
		       "long name");
	PX_TEST_ASSERT_EQ(px_memzone_free(mz), 0, "free");
	PX_TEST_ASSERT(px_memzone_lookup("mz0") == NULL && errno == ENOENT, "gone");
	px_test_log_capture_start();
	PX_TEST_ASSERT_EQ(px_memzone_free(mz), -EINVAL, "double free of a zone");
	px_test_log_capture_stop();
	PX_TEST_ASSERT(px_memzone_reserve("mz0", 64, -1, 0, 0, 0) != NULL, "name reusable");
	px_memzone_dump(stdout);
	PX_TEST_ASSERT_EQ(px_malloc_validate(), 0, "heap intact");
	return PX_TEST_OK;
}

/* ---- memory events ---- */
#define EV_MAX 64
struct ev_log {
	unsigned int added, removed;
	uintptr_t va[EV_MAX];   /* ADDED, in order */
	uintptr_t gone[EV_MAX]; /* REMOVED, in order */
	int fail;               /* refuse ADDED */
};

static int ev_cb(enum px_mem_event type, void *va, uint64_t iova, size_t len, void *arg)
{
	struct ev_log *l = arg;

	(void)iova;
	(void)len;
	if (type == PX_MEM_EVENT_ADDED && l->fail)
		return -EPERM;
	if (type == PX_MEM_EVENT_ADDED && l->added < EV_MAX)
		l->va[l->added++] = (uintptr_t)va;
	if (type == PX_MEM_EVENT_REMOVED && l->removed < EV_MAX)
		l->gone[l->removed++] = (uintptr_t)va;
	return 0;
}

static int count_seg(const struct px_memseg *ms, void *arg)
{
	(void)ms;
	(*(unsigned int *)arg)++;
	return 0;
}

static unsigned int nsegs(void)
{
	unsigned int n = 0;

	px_memseg_walk(count_seg, &n);
	return n;
}

int test_mem_events(void)
{
	struct ev_log l = {0}, l2 = {0};
	void *p[4];
	unsigned int base = nsegs();

	PX_TEST_ASSERT_EQ(px_mem_event_register(ev_cb, &l), 0, "register");
	PX_TEST_ASSERT_EQ(l.added, base, "replay of the existing segments");
	PX_TEST_ASSERT_EQ(px_mem_event_register(ev_cb, &l), -EEXIST, "twice");
	l.added = 0;
	for (int i = 0; i < 4; i++) {
		p[i] = px_malloc("ev", 3u << 20, 0); /* more than a 2 MiB page: a segment each */
		PX_TEST_ASSERT(p[i] != NULL, "alloc %d: %s", i, strerror(errno));
	}
	PX_TEST_ASSERT_EQ(l.added, 4, "one ADDED per new segment");
	px_free(p[1]);
	PX_TEST_ASSERT_EQ(l.removed, 1, "one REMOVED");
	PX_TEST_ASSERT(l.gone[0] == l.va[1] && (uintptr_t)p[1] - l.va[1] < (4u << 20),
		       "the segment of the freed block");
	PX_TEST_ASSERT_EQ(nsegs(), base + 3, "walk sees 3 new segments");
	/* a subscriber that refuses: growth fails cleanly, others see ADDED then REMOVED */
	l2.fail = 1;
	PX_TEST_ASSERT(px_mem_event_register(ev_cb, &l2) == -EPERM, "refused replay");
	PX_TEST_ASSERT_EQ(px_mem_event_unregister(ev_cb, &l2), -ENOENT, "not registered");
	l2.fail = 0;
	PX_TEST_ASSERT_EQ(px_mem_event_register(ev_cb, &l2), 0, "register 2");
	l2.fail = 1;
	px_test_log_capture_start();
	PX_TEST_ASSERT(px_malloc("ev", 3u << 20, 0) == NULL && errno == ENOMEM, "refused growth");
	px_test_log_capture_stop();
	PX_TEST_ASSERT(l.added == 5 && l.removed == 2, "first saw ADDED+REMOVED (%u,%u)", l.added,
		       l.removed);
	PX_TEST_ASSERT_EQ(nsegs(), base + 3, "refused segment released");
	PX_TEST_ASSERT_EQ(px_mem_event_unregister(ev_cb, &l2), 0, "unregister 2");
	for (int i = 0; i < 4; i++)
		px_free(i == 1 ? NULL : p[i]);
	PX_TEST_ASSERT_EQ(l.removed, 5, "all released");
	PX_TEST_ASSERT_EQ(px_mem_event_unregister(ev_cb, &l), 0, "unregister");
	return PX_TEST_OK;
}

/* ---- exhaustion: a cap, then ENOMEM, and the process goes on ---- */
int test_mem_exhaust(void)
{
	void *p[64];
	int n = 0, err;
	struct px_malloc_stats st;

	px_malloc_get_stats(PX_SOCKET_ID_ANY, &st);
	px_mem_set_limit(st.heap_bytes + (8u << 20));
	px_test_log_capture_start();
	while (n < 64 && (p[n] = px_malloc("ex", 1u << 20, 0)) != NULL)
		n++;
	err = errno; /* before the capture's own calls can change it */
	px_test_log_capture_stop();
	PX_TEST_ASSERT(n >= 4 && n < 64, "allocations before the cap: %d", n);
	PX_TEST_ASSERT_EQ(err, ENOMEM, "errno");
	px_free(p[--n]);
	p[n] = px_malloc("ex", 1u << 20, 0);
	PX_TEST_ASSERT(p[n] != NULL, "after a free, memory again");
	n++;
	px_mem_set_limit(0);
	while (n > 0)
		px_free(p[--n]);
	PX_TEST_ASSERT_EQ(px_malloc_validate(), 0, "heap intact");
	return PX_TEST_OK;
}

static int with_eal(const char *args, int (*body)(void))
{
	int ret = px_test_eal_init(args);

	if (ret < 0) {
		fprintf(stderr, "px_eal_init(%s): %s\n", args, strerror(-ret));
		return PX_TEST_FAILED;
	}
	ret = body();
	px_eal_cleanup();
	return ret;
}

static int test_nohuge_basic(void)
{
	void *p = px_malloc("b", 1000, 0);

	PX_TEST_ASSERT(p != NULL, "malloc");
	PX_TEST_ASSERT(px_mem_virt2iova(p) == PX_BAD_IOVA, "no IOVA under --no-huge");
	PX_TEST_ASSERT(px_mem_virt2iova(&p) == PX_BAD_IOVA, "none for the stack either");
	px_test_log_capture_start();
	PX_TEST_ASSERT(px_memzone_reserve("dma", 4096, -1, PX_MEMZONE_F_DMA, 0, 0) == NULL &&
			       errno == ENOTSUP,
		       "DMA zone refused");
	PX_TEST_ASSERT(strstr(px_test_log_capture_stop(), "--no-huge") != NULL, "says why");
	PX_TEST_ASSERT(px_memzone_reserve("plain", 4096, -1, 0, 0, 0)->iova == PX_BAD_IOVA,
		       "plain zone, no IOVA");
	PX_TEST_ASSERT(px_malloc("b", 0, 0) == NULL && errno == EINVAL, "size 0");
	PX_TEST_ASSERT(px_malloc("b", 8, 3) == NULL && errno == EINVAL, "align 3");
	PX_TEST_ASSERT(px_calloc("b", SIZE_MAX / 2, 4, 0) == NULL && errno == EINVAL, "overflow");
	PX_TEST_ASSERT(px_malloc_socket("b", 8, 0, 5) == NULL, "no socket 5");
	px_malloc_dump_stats(stdout);
	px_free(p);
	return PX_TEST_OK;
}

static int mem_nohuge_basic(void)
{
	return with_eal("-l 0 --no-huge -m 16", test_nohuge_basic);
}
PX_TEST(mem_nohuge_basic_autotest, PX_TEST_F_FAST, mem_nohuge_basic)

static int mem_nohuge_random(void)
{
	return with_eal("-l 0 --no-huge", test_mem_random);
}
PX_TEST(mem_nohuge_random_autotest, PX_TEST_F_FAST, mem_nohuge_random)

static int mem_nohuge_bad_free(void)
{
	return with_eal("-l 0 --no-huge", test_mem_bad_free);
}
PX_TEST(mem_nohuge_bad_free_autotest, PX_TEST_F_FAST, mem_nohuge_bad_free)

static int mem_nohuge_memzone(void)
{
	return with_eal("-l 0 --no-huge", test_mz_rules);
}
PX_TEST(mem_nohuge_memzone_autotest, PX_TEST_F_FAST, mem_nohuge_memzone)

static int mem_nohuge_events(void)
{
	return with_eal("-l 0 --no-huge -m 2", test_mem_events);
}
PX_TEST(mem_nohuge_events_autotest, PX_TEST_F_FAST, mem_nohuge_events)

static int mem_nohuge_exhaust(void)
{
	return with_eal("-l 0 --no-huge", test_mem_exhaust);
}
PX_TEST(mem_nohuge_exhaust_autotest, PX_TEST_F_FAST, mem_nohuge_exhaust)

static int mem_before_init(void)
{
	px_test_log_capture_start();
	PX_TEST_ASSERT(px_malloc("x", 8, 0) == NULL && errno == ENOMEM, "no heap before init");
	px_test_log_capture_stop();
	PX_TEST_ASSERT(px_mem_virt2iova(&errno) == PX_BAD_IOVA, "no IOVA before init");
	return PX_TEST_OK;
}
PX_TEST(mem_before_init_autotest, PX_TEST_F_FAST, mem_before_init)

int test_mem_run(const char *args, int (*body)(void))
{
	return with_eal(args, body);
}

/* ---- threads: concurrent alloc/free from 4 threads, then the heap is checked ---- */
static void *mt_worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	void *blk[64] = {0};

	for (int it = 0; it < 20000; it++) {
		int k = rand_r(&seed) % 64;

		if (blk[k] && *(unsigned int *)blk[k] != (unsigned int)k)
			return (void *)1;
		if (blk[k]) {
			px_free(blk[k]);
			blk[k] = NULL;
			continue;
		}
		blk[k] = px_malloc("mt", 16 + (size_t)rand_r(&seed) % 20000, 0);
		if (blk[k] == NULL)
			return (void *)2;
		*(unsigned int *)blk[k] = (unsigned int)k;
	}
	for (int k = 0; k < 64; k++)
		px_free(blk[k]);
	return NULL;
}

static int mt_body(void)
{
	pthread_t t[4];
	struct px_malloc_stats st;

	for (uintptr_t i = 0; i < 4; i++)
		PX_TEST_ASSERT_EQ(pthread_create(&t[i], NULL, mt_worker, (void *)(i + 1)), 0,
				  "thread");
	for (int i = 0; i < 4; i++) {
		void *r;

		pthread_join(t[i], &r);
		PX_TEST_ASSERT(r == NULL, "thread %d: %s", i,
			       r == (void *)1 ? "block overwritten" : "ENOMEM");
	}
	PX_TEST_ASSERT_EQ(px_malloc_validate(), 0, "heap intact");
	px_malloc_get_stats(PX_SOCKET_ID_ANY, &st);
	PX_TEST_ASSERT_EQ(st.alloc_count, 0, "all freed");
	return PX_TEST_OK;
}

static int mem_nohuge_threads(void)
{
	return with_eal("-l 0 --no-huge", mt_body);
}
PX_TEST(mem_nohuge_threads_autotest, PX_TEST_F_FAST, mem_nohuge_threads)

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mempool: the free-running 32-bit indices of the ring behind a pool. A pool's ring is an
 * exact-size ring (capacity = pool size), single or multi producer/consumer by the pool's flags.
 * Its indices are moved to just below 2^31 and 2^32 (by a multiple of the slot count, so every
 * object stays in its slot) and get/put cycles then cross the boundary; the counts must stay
 * exact and no object may come out twice.
 */
#include <stdlib.h>

#include <px_eal.h>
#include <px_mempool.h>
#include <px_ring.h>
#include "px_test.h"

#define POOL_N 1000

/* Move every index of the pool's ring forward by @shift, a multiple of the slot count. */
static void ring_shift(struct px_ring *r, uint32_t shift)
{
	r->prod.head += shift;
	r->prod.tail += shift;
	r->cons.head += shift;
	r->cons.tail += shift;
	r->prod_priv.cached += shift;
	r->cons_priv.cached += shift;
}

static int cycle_pool(struct px_mempool *mp, uint32_t target)
{
	static void *held[POOL_N];
	uint32_t size = px_ring_get_size(mp->ring);
	uint32_t shift = (target - mp->ring->prod.tail) / size * size; /* multiple of size */
	uint32_t seed = 12345, start;
	unsigned int nheld = 0;

	ring_shift(mp->ring, shift);
	start = mp->ring->cons.head;
	for (unsigned int k = 0; k < 4000; k++) {
		unsigned int n;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % 64;
		if ((seed >> 8) & 1) {
			int ret = px_mempool_get_bulk(mp, &held[nheld], n);

			PX_TEST_ASSERT_EQ(ret, nheld + n <= POOL_N ? 0 : -ENOENT, "get %u at %u", n,
					  k);
			if (ret == 0)
				nheld += n;
		} else {
			n = PX_MIN(n, nheld);
			px_mempool_put_bulk(mp, &held[nheld - n], n);
			nheld -= n;
		}
		PX_TEST_ASSERT_EQ(px_mempool_avail_count(mp), POOL_N - nheld, "avail at %u", k);
		PX_TEST_ASSERT_EQ(px_mempool_in_use_count(mp), nheld, "in use at %u", k);
	}
	PX_TEST_ASSERT((uint32_t)(mp->ring->cons.head - start) > 2 * POOL_N, "the indices moved %u",
		       mp->ring->cons.head - start);
	/* Every object once: take them all, check they are distinct, give them back. */
	px_mempool_put_bulk(mp, held, nheld);
	PX_TEST_ASSERT_EQ(px_mempool_get_bulk(mp, held, POOL_N), 0, "get all");
	for (unsigned int i = 0; i < POOL_N; i++) {
		struct px_mempool_objhdr *h = (struct px_mempool_objhdr *)held[i] - 1;

		PX_TEST_ASSERT(h->index < POOL_N, "object index %llu",
			       (unsigned long long)h->index);
		for (unsigned int j = 0; j < i; j++)
			PX_TEST_ASSERT(held[j] != held[i], "object %u came out twice", i);
	}
	PX_TEST_ASSERT_EQ(px_mempool_get(mp, &held[0]) == 0, 0, "nothing beyond the pool");
	px_mempool_put_bulk(mp, held, POOL_N);
	PX_TEST_ASSERT(px_mempool_full(mp), "full again");
	return PX_TEST_OK;
}

static int test_mempool_index(void)
{
	static const unsigned int flags[] = {0, PX_MEMPOOL_F_SP_PUT | PX_MEMPOOL_F_SC_GET};
	static const uint32_t targets[] = {0x80000000u - 3000, 0u - 3000};

	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge") >= 0, "init");
	for (unsigned int f = 0; f < PX_DIM(flags); f++)
		for (unsigned int t = 0; t < PX_DIM(targets); t++) {
			struct px_mempool *mp =
				px_mempool_create("idx", POOL_N, 64, 0, 0, NULL, NULL, NULL, NULL,
						  PX_SOCKET_ID_ANY, flags[f]);

			PX_TEST_ASSERT(mp != NULL, "create: %s", strerror(errno));
			if (cycle_pool(mp, targets[t]) != PX_TEST_OK) {
				fprintf(stderr, "flags %#x, indices from %#x\n", flags[f],
					targets[t]);
				return PX_TEST_FAILED;
			}
			px_mempool_free(mp);
		}
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(mempool_index_autotest, PX_TEST_F_FAST, test_mempool_index)

/* SPDX-License-Identifier: BSD-3-Clause */
/* ring: create/lookup/free, init in caller memory, every enqueue/dequeue variant, full and empty
 * edges, wrap-around, exact-size rings, element rings, cached-index staleness. */
#include <stdlib.h>

#include <px_eal.h>
#include <px_ring.h>
#include "px_test.h"

#define OBJ(i) ((void *)(uintptr_t)(0x1000 + (i)))

static int ring_eal_init(void)
{
	return px_test_eal_init("-l 0-1 --no-huge");
}

static int test_ring_create(void)
{
	struct px_ring *r, *r2;

	PX_TEST_ASSERT(ring_eal_init() >= 0, "init");
	r = px_ring_create("test_ring", 64, PX_SOCKET_ID_ANY, 0);
	PX_TEST_ASSERT(r != NULL, "create: %s", strerror(errno));
	PX_TEST_ASSERT_EQ(px_ring_get_size(r), 64, "size");
	PX_TEST_ASSERT_EQ(px_ring_get_capacity(r), 63, "capacity");
	PX_TEST_ASSERT(px_ring_lookup("test_ring") == r, "lookup");
	PX_TEST_ASSERT(px_ring_lookup("nope") == NULL && errno == ENOENT, "lookup missing");
	r2 = px_ring_create("test_ring", 64, PX_SOCKET_ID_ANY, 0);
	PX_TEST_ASSERT(r2 == NULL && errno == EEXIST, "duplicate name");
	PX_TEST_ASSERT(px_ring_create("bad", 63, PX_SOCKET_ID_ANY, 0) == NULL && errno == EINVAL,
		       "count not a power of two");
	PX_TEST_ASSERT(px_ring_create("bad", 0, PX_SOCKET_ID_ANY, PX_RING_F_EXACT_SZ) == NULL &&
			       errno == EINVAL,
		       "count 0");
	PX_TEST_ASSERT(px_ring_create_elem("bad", 6, 64, PX_SOCKET_ID_ANY, 0) == NULL &&
			       errno == EINVAL,
		       "esize not a multiple of 4");
	PX_TEST_ASSERT(px_ring_create("a_name_much_too_long_for_a_ring", 64, PX_SOCKET_ID_ANY, 0) ==
				       NULL &&
			       errno == ENAMETOOLONG,
		       "long name");
	PX_TEST_ASSERT(px_ring_create("bad", 64, PX_SOCKET_ID_ANY, 0x100) == NULL &&
			       errno == EINVAL,
		       "unknown flag");
	/* DPDK's RTS flag (the compatibility layer passes flags through) is not slot sequences */
	PX_TEST_ASSERT(px_ring_create("bad", 64, PX_SOCKET_ID_ANY, 0x0008) == NULL &&
			       errno == EINVAL,
		       "DPDK's RING_F_MP_RTS_ENQ");
	PX_TEST_ASSERT(px_ring_create("bad", 64, PX_SOCKET_ID_ANY,
				      PX_RING_F_MT_SEQ | PX_RING_F_SP_ENQ) == NULL &&
			       errno == EINVAL,
		       "slot sequences with a single producer");
	PX_TEST_ASSERT(px_ring_create("bad", 64, PX_SOCKET_ID_ANY,
				      PX_RING_F_MT_SEQ | PX_RING_F_SC_DEQ) == NULL &&
			       errno == EINVAL,
		       "slot sequences with a single consumer");
	px_ring_free(r);
	PX_TEST_ASSERT(px_ring_lookup("test_ring") == NULL, "gone after free");
	px_ring_free(NULL);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(ring_create_autotest, PX_TEST_F_FAST, test_ring_create)

/* Fill to full and drain to empty with bulk and burst in mode @single, checking order. */
static int check_bulk_burst(struct px_ring *r, int sp, int sc)
{
	void *in[64], *out[64];
	unsigned int i, n, left, cap = px_ring_get_capacity(r);
	unsigned int (*enq)(struct px_ring *, void *const *, unsigned int, unsigned int *) =
		sp ? px_ring_sp_enqueue_bulk : px_ring_mp_enqueue_bulk;
	unsigned int (*enq_burst)(struct px_ring *, void *const *, unsigned int, unsigned int *) =
		sp ? px_ring_sp_enqueue_burst : px_ring_mp_enqueue_burst;
	unsigned int (*deq)(struct px_ring *, void **, unsigned int, unsigned int *) =
		sc ? px_ring_sc_dequeue_bulk : px_ring_mc_dequeue_bulk;
	unsigned int (*deq_burst)(struct px_ring *, void **, unsigned int, unsigned int *) =
		sc ? px_ring_sc_dequeue_burst : px_ring_mc_dequeue_burst;

	PX_TEST_ASSERT(cap < 64, "test needs a small ring");
	for (i = 0; i < 64; i++)
		in[i] = OBJ(i);
	PX_TEST_ASSERT(px_ring_empty(r), "starts empty");
	PX_TEST_ASSERT_EQ(deq(r, out, 1, &left), 0, "bulk dequeue from empty");
	PX_TEST_ASSERT_EQ(left, 0, "available when empty");
	PX_TEST_ASSERT_EQ(enq(r, in, cap - 1, &left), cap - 1, "bulk enqueue");
	PX_TEST_ASSERT_EQ(left, 1, "free after bulk");
	PX_TEST_ASSERT_EQ(enq(r, in, 2, &left), 0, "bulk that does not fit moves nothing");
	PX_TEST_ASSERT_EQ(left, 1, "free unchanged");
	PX_TEST_ASSERT_EQ(enq_burst(r, &in[cap - 1], 5, &left), 1, "burst fills the last slot");
	PX_TEST_ASSERT_EQ(left, 0, "full");
	PX_TEST_ASSERT(px_ring_full(r), "full");
	PX_TEST_ASSERT_EQ(px_ring_count(r), cap, "count when full");
	PX_TEST_ASSERT_EQ(enq_burst(r, in, 5, NULL), 0, "burst into full ring");
	PX_TEST_ASSERT_EQ(deq(r, out, cap + 1, &left), 0, "bulk dequeue of more than there is");
	PX_TEST_ASSERT_EQ(left, cap, "available");
	PX_TEST_ASSERT_EQ(deq(r, out, 3, &left), 3, "bulk dequeue");
	PX_TEST_ASSERT_EQ(left, cap - 3, "available after");
	n = deq_burst(r, &out[3], 64, &left);
	PX_TEST_ASSERT_EQ(n, cap - 3, "burst drains the rest");
	PX_TEST_ASSERT_EQ(left, 0, "nothing left");
	for (i = 0; i < cap; i++)
		PX_TEST_ASSERT(out[i] == in[i], "order at %u", i);
	PX_TEST_ASSERT(px_ring_empty(r) && px_ring_count(r) == 0, "empty");
	PX_TEST_ASSERT_EQ(px_ring_free_count(r), cap, "free count when empty");
	return PX_TEST_OK;
}

static int test_ring_bulk_burst(void)
{
	static const unsigned int flags[] = {0, PX_RING_F_EXACT_SZ};
	unsigned int f, mode;

	PX_TEST_ASSERT(ring_eal_init() >= 0, "init");
	for (f = 0; f < PX_DIM(flags); f++) {
		for (mode = 0; mode < 4; mode++) {
			struct px_ring *r = px_ring_create("bb", flags[f] ? 20 : 32,
							   PX_SOCKET_ID_ANY, flags[f]);

			PX_TEST_ASSERT(r != NULL, "create: %s", strerror(errno));
			if (flags[f])
				PX_TEST_ASSERT_EQ(px_ring_get_capacity(r), 20, "exact capacity");
			if (check_bulk_burst(r, mode & 1, mode & 2) != PX_TEST_OK) {
				fprintf(stderr, "flags %#x sp %u sc %u\n", flags[f], mode & 1,
					mode & 2);
				return PX_TEST_FAILED;
			}
			px_ring_free(r);
		}
	}
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(ring_bulk_burst_autotest, PX_TEST_F_FAST, test_ring_bulk_burst)

/* Many passes of odd-sized bursts move the indices round the ring and past 2^32 wrap. */
static int run_wrap(struct px_ring *r, unsigned int start)
{
	void *in[37], *out[37];
	uintptr_t next_in = 0, next_out = 0;
	unsigned int i, k, n;

	r->prod.head = r->prod.tail = r->cons.head = r->cons.tail = start;
	r->prod_priv.cached = r->cons_priv.cached = start;
	for (k = 0; k < 5000; k++) {
		unsigned int want = 1 + k % 37;

		for (i = 0; i < want; i++)
			in[i] = (void *)(next_in + i + 1);
		n = px_ring_enqueue_burst(r, in, want, NULL);
		next_in += n;
		n = px_ring_dequeue_burst(r, out, (k * 7) % 37 + 1, NULL);
		for (i = 0; i < n; i++)
			PX_TEST_ASSERT(out[i] == (void *)(++next_out), "order at %lu",
				       (unsigned long)next_out);
	}
	while ((n = px_ring_dequeue_burst(r, out, 37, NULL)) != 0)
		for (i = 0; i < n; i++)
			PX_TEST_ASSERT(out[i] == (void *)(++next_out), "order in drain");
	PX_TEST_ASSERT_EQ(next_out, next_in, "everything out");
	PX_TEST_ASSERT(next_in > 3 * px_ring_get_size(r), "went round the ring");
	return PX_TEST_OK;
}

static int test_ring_wrap(void)
{
	struct px_ring *r;
	unsigned int flags;

	PX_TEST_ASSERT(ring_eal_init() >= 0, "init");
	for (flags = 0; flags < 8; flags++) {
		r = px_ring_create("wrap", (flags & PX_RING_F_EXACT_SZ) ? 50 : 64, PX_SOCKET_ID_ANY,
				   flags);
		PX_TEST_ASSERT(r != NULL, "create");
		PX_TEST_ASSERT_EQ(run_wrap(r, 0), PX_TEST_OK, "wrap from 0, flags %#x", flags);
		PX_TEST_ASSERT_EQ(run_wrap(r, UINT32_MAX - 1000), PX_TEST_OK,
				  "index wrap past 2^32, flags %#x", flags);
		px_ring_free(r);
	}
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(ring_wrap_autotest, PX_TEST_F_FAST, test_ring_wrap)

static int test_ring_single(void)
{
	struct px_ring *r;
	void *o = NULL;
	unsigned int i;

	PX_TEST_ASSERT(ring_eal_init() >= 0, "init");
	r = px_ring_create("single", 4, PX_SOCKET_ID_ANY, PX_RING_F_SP_ENQ | PX_RING_F_SC_DEQ);
	PX_TEST_ASSERT(r != NULL, "create");
	PX_TEST_ASSERT_EQ(px_ring_dequeue(r, &o), -ENOENT, "empty");
	PX_TEST_ASSERT_EQ(px_ring_sc_dequeue(r, &o), -ENOENT, "empty sc");
	PX_TEST_ASSERT_EQ(px_ring_mc_dequeue(r, &o), -ENOENT, "empty mc");
	PX_TEST_ASSERT_EQ(px_ring_enqueue(r, OBJ(1)), 0, "enqueue");
	PX_TEST_ASSERT_EQ(px_ring_sp_enqueue(r, OBJ(2)), 0, "sp enqueue");
	PX_TEST_ASSERT_EQ(px_ring_mp_enqueue(r, OBJ(3)), 0, "mp enqueue");
	PX_TEST_ASSERT_EQ(px_ring_sp_enqueue(r, OBJ(4)), -ENOBUFS, "full");
	PX_TEST_ASSERT_EQ(px_ring_mp_enqueue(r, OBJ(4)), -ENOBUFS, "full mp");
	PX_TEST_ASSERT_EQ(px_ring_enqueue(r, OBJ(4)), -ENOBUFS, "full generic");
	for (i = 1; i <= 3; i++) {
		int ret = i == 1   ? px_ring_dequeue(r, &o)
			  : i == 2 ? px_ring_sc_dequeue(r, &o)
				   : px_ring_mc_dequeue(r, &o);

		PX_TEST_ASSERT_EQ(ret, 0, "dequeue %u", i);
		PX_TEST_ASSERT(o == OBJ(i), "object %u", i);
	}
	PX_TEST_ASSERT_EQ(px_ring_dequeue(r, &o), -ENOENT, "empty again");
	px_ring_free(r);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(ring_single_autotest, PX_TEST_F_FAST, test_ring_single)

struct elem20 {
	uint32_t w[5];
};

static int test_ring_elem(void)
{
	struct elem20 in[40], out[40];
	uint32_t in4[40], out4[40];
	uint64_t in16[40][2], out16[40][2];
	struct px_ring *r, *r4, *r16;
	unsigned int i, k;

	PX_TEST_ASSERT(ring_eal_init() >= 0, "init");
	r = px_ring_create_elem("e20", sizeof(struct elem20), 32, PX_SOCKET_ID_ANY, 0);
	r4 = px_ring_create_elem("e4", 4, 32, PX_SOCKET_ID_ANY, PX_RING_F_SP_ENQ);
	r16 = px_ring_create_elem("e16", 16, 30, PX_SOCKET_ID_ANY, PX_RING_F_EXACT_SZ);
	PX_TEST_ASSERT(r && r4 && r16, "create");
	for (k = 0; k < 10; k++) { /* 10 x 25 through 31 slots: wraps */
		for (i = 0; i < 40; i++) {
			in[i] = (struct elem20){{i, k, i * k, ~i, 5}};
			in4[i] = i * 1000 + k;
			in16[i][0] = i + k;
			in16[i][1] = ~(uint64_t)(i + k);
		}
		PX_TEST_ASSERT_EQ(px_ring_enqueue_bulk_elem(r, in, sizeof(in[0]), 25, NULL), 25,
				  "e20 enq");
		PX_TEST_ASSERT_EQ(px_ring_mc_dequeue_burst_elem(r, out, sizeof(out[0]), 40, NULL),
				  25, "e20 deq");
		PX_TEST_ASSERT(memcmp(in, out, 25 * sizeof(in[0])) == 0, "e20 data");
		PX_TEST_ASSERT_EQ(px_ring_sp_enqueue_burst_elem(r4, in4, 4, 40, NULL), 31,
				  "e4 enq");
		PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_bulk_elem(r4, out4, 4, 31, NULL), 31, "e4");
		PX_TEST_ASSERT(memcmp(in4, out4, 31 * 4) == 0, "e4 data");
		PX_TEST_ASSERT_EQ(px_ring_mp_enqueue_bulk_elem(r16, in16, 16, 30, NULL), 30, "e16");
		PX_TEST_ASSERT_EQ(px_ring_mp_enqueue_bulk_elem(r16, in16, 16, 1, NULL), 0, "full");
		PX_TEST_ASSERT_EQ(px_ring_dequeue_bulk_elem(r16, out16, 16, 30, NULL), 30, "e16");
		PX_TEST_ASSERT(memcmp(in16, out16, 30 * 16) == 0, "e16 data");
		PX_TEST_ASSERT_EQ(px_ring_sp_enqueue_bulk_elem(r16, in16, 16, 7, NULL), 7, "shift");
		PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_bulk_elem(r16, out16, 16, 7, NULL), 7,
				  "shift");
	}
	px_ring_free(r);
	px_ring_free(r4);
	px_ring_free(r16);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(ring_elem_autotest, PX_TEST_F_FAST, test_ring_elem)

/* A ring in caller memory; mixing SP and MP calls leaves the cached indices stale but safe. */
static int test_ring_init_mixed(void)
{
	ssize_t sz = px_ring_get_memsize(16, 0);
	void *objs[16], *out[16];
	struct px_ring *r;
	unsigned int i, k;

	PX_TEST_ASSERT(sz > (ssize_t)(16 * sizeof(void *)), "memsize %zd", sz);
	PX_TEST_ASSERT_EQ(px_ring_get_memsize(15, 0), -EINVAL, "not a power of two");
	PX_TEST_ASSERT_EQ(px_ring_get_memsize_elem(0, 16, 0), -EINVAL, "esize 0");
	r = aligned_alloc(PX_RING_SIDE_ALIGN, (size_t)sz);
	PX_TEST_ASSERT(r != NULL, "alloc");
	PX_TEST_ASSERT_EQ(px_ring_init((struct px_ring *)((char *)r + 8), "x", 16, 0), -EINVAL,
			  "unaligned");
	PX_TEST_ASSERT_EQ(px_ring_init(r, "name_that_is_far_too_long_for_rings", 16, 0),
			  -ENAMETOOLONG, "long name");
	PX_TEST_ASSERT_EQ(px_ring_init(r, NULL, 16, 0), 0, "init");
	for (i = 0; i < 16; i++)
		objs[i] = OBJ(i);
	for (k = 0; k < 100; k++) {
		unsigned int n = 1 + k % 15;

		PX_TEST_ASSERT_EQ(px_ring_sp_enqueue_bulk(r, objs, n, NULL), n, "sp %u", k);
		PX_TEST_ASSERT_EQ(px_ring_mp_enqueue_burst(r, objs, 15, NULL), 15 - n, "mp %u", k);
		PX_TEST_ASSERT_EQ(px_ring_sp_enqueue_burst(r, objs, 1, NULL), 0, "sp full %u", k);
		PX_TEST_ASSERT_EQ(px_ring_mc_dequeue_bulk(r, out, 15 - n, NULL), 15 - n, "mc");
		PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_burst(r, out, 16, NULL), n, "sc %u", k);
		PX_TEST_ASSERT_EQ(px_ring_sc_dequeue_burst(r, out, 16, NULL), 0, "sc empty");
	}
	px_ring_enqueue_bulk(r, objs, 5, NULL);
	px_ring_reset(r);
	PX_TEST_ASSERT(px_ring_empty(r), "empty after reset");
	px_ring_dump(stderr, r);
	px_ring_free(r); /* not a named ring: logged and ignored */
	free(r);
	return PX_TEST_OK;
}
PX_TEST(ring_init_mixed_autotest, PX_TEST_F_FAST, test_ring_init_mixed)

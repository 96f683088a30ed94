/* SPDX-License-Identifier: BSD-3-Clause */
/* px_counter64: add/fetch/reset, and one writer with a reader that fetches and resets meanwhile
 * (run it in the TSan build: no report). */
#include <pthread.h>
#include <stdint.h>

#include <px_counter.h>
#include "px_test.h"

#define WRITES 2000000u
/* start just below 2^32: the writes cross it, where a torn read on a 32-bit CPU would be seen
 * as a jump by 2^32 */
#define START ((UINT64_C(1) << 32) - 1000)

static px_counter64_t ctr;
static int writer_done;

static void *writer(void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < WRITES; i++)
		px_counter64_add(&ctr, 1);
	__atomic_store_n(&writer_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int test_counter_basic(void)
{
	px_counter64_t c = {0};

	PX_TEST_ASSERT_EQ(px_counter64_fetch(&c), 0, "zeroed memory is a counter at 0");
	px_counter64_add(&c, 5);
	px_counter64_add(&c, 0);
	px_counter64_add(&c, UINT64_C(1) << 40);
	PX_TEST_ASSERT(px_counter64_fetch(&c) == (UINT64_C(1) << 40) + 5, "adds");
	px_counter64_reset(&c);
	PX_TEST_ASSERT_EQ(px_counter64_fetch(&c), 0, "reset");
	px_counter64_add(&c, 3);
	PX_TEST_ASSERT_EQ(px_counter64_fetch(&c), 3, "counts again after a reset");
	px_counter64_reset(&c);
	px_counter64_reset(&c);
	PX_TEST_ASSERT_EQ(px_counter64_fetch(&c), 0, "reset twice");
	return PX_TEST_OK;
}
PX_TEST(counter_basic_autotest, PX_TEST_F_FAST, test_counter_basic)

static int test_counter_threads(void)
{
	uint64_t prev = START, hi = START + WRITES, v, at_reset = 0, fetches = 0;
	pthread_t t;

	ctr = (px_counter64_t){0};
	writer_done = 0;
	px_counter64_add(&ctr, START);
	PX_TEST_ASSERT_EQ(pthread_create(&t, NULL, writer, NULL), 0, "writer thread");
	while (!__atomic_load_n(&writer_done, __ATOMIC_ACQUIRE)) {
		v = px_counter64_fetch(&ctr);
		fetches++;
		PX_TEST_ASSERT(v >= prev && v <= hi, "fetch %llu after %llu (at most %llu)",
			       (unsigned long long)v, (unsigned long long)prev,
			       (unsigned long long)hi);
		prev = v;
		if (at_reset == 0 && v >= START + WRITES / 2) {
			/* reset mid-way, while the writer adds: the reset takes the count at v or
			 * later, so what follows is at most the rest; a writer store that undid
			 * the reset would count more */
			at_reset = v;
			hi = START + WRITES - at_reset;
			px_counter64_reset(&ctr);
			prev = 0;
		}
	}
	pthread_join(t, NULL);
	v = px_counter64_fetch(&ctr);
	if (at_reset == 0) /* the writer was too quick for us: no reset to check */
		PX_TEST_ASSERT_EQ(v, START + WRITES, "every add counted");
	PX_TEST_ASSERT(v >= prev && v <= hi, "final %llu (at least %llu, at most %llu)",
		       (unsigned long long)v, (unsigned long long)prev, (unsigned long long)hi);
	printf("%llu fetches during %u adds, reset %s\n", (unsigned long long)fetches, WRITES,
	       at_reset ? "while adding" : "not reached");
	return PX_TEST_OK;
}
PX_TEST(counter_threads_autotest, PX_TEST_F_FAST, test_counter_threads)

/* SPDX-License-Identifier: BSD-3-Clause */
/* The cycle counter: monotonic, and its frequency agrees with the system clock. */
#include <time.h>

#include <px_eal.h>
#include "px_test.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int test_cycles(void)
{
	uint64_t hz = px_get_tsc_hz(), prev = px_get_tsc_cycles();
	double t0, t1, c_s;
	uint64_t c0, c1;

	PX_TEST_ASSERT(hz > 1000000, "frequency %llu Hz is implausible", (unsigned long long)hz);
	for (int i = 0; i < 100000; i++) {
		uint64_t c = px_get_tsc_cycles();

		PX_TEST_ASSERT(c >= prev, "counter went backwards at %d", i);
		prev = c;
	}
	/* A correctness check of the calibration, not a timing: 200 ms against the system clock
	 * must agree within 10 % however loaded the machine is (both clocks run regardless). */
	t0 = now_s();
	c0 = px_get_tsc_cycles();
	px_delay_us_sleep(200000);
	c1 = px_get_tsc_cycles();
	t1 = now_s();
	c_s = (double)(c1 - c0) / (double)hz;
	PX_TEST_ASSERT(c_s > (t1 - t0) * 0.9 && c_s < (t1 - t0) * 1.1,
		       "cycles say %.3f s, the clock says %.3f s", c_s, t1 - t0);
	t0 = now_s();
	px_delay_us(50000);
	PX_TEST_ASSERT(now_s() - t0 >= 0.045, "px_delay_us(50 ms) returned after %.3f s",
		       now_s() - t0);
	return PX_TEST_OK;
}
PX_TEST(cycles_autotest, PX_TEST_F_FAST, test_cycles)

static int test_common(void)
{
	PX_TEST_ASSERT_EQ(px_align32pow2(0), 0, "0");
	PX_TEST_ASSERT_EQ(px_align32pow2(1), 1, "1");
	PX_TEST_ASSERT_EQ(px_align32pow2(3), 4, "3");
	PX_TEST_ASSERT_EQ(px_align32pow2(1024), 1024, "1024");
	PX_TEST_ASSERT_EQ(px_align32pow2(1025), 2048, "1025");
	PX_TEST_ASSERT_EQ(px_align64pow2((1ull << 40) + 1), 1ull << 41, "2^40+1");
	PX_TEST_ASSERT(px_is_power_of_2(64) && !px_is_power_of_2(0) && !px_is_power_of_2(96),
		       "pow2");
	PX_TEST_ASSERT_EQ(PX_ALIGN_CEIL(65u, 64u), 128, "ceil");
	PX_TEST_ASSERT_EQ(PX_ALIGN_FLOOR(127u, 64u), 64, "floor");
	PX_TEST_ASSERT_EQ(PX_CACHE_LINE_SIZE % 64, 0, "cache line");
	return PX_TEST_OK;
}
PX_TEST(common_autotest, PX_TEST_F_FAST, test_common)

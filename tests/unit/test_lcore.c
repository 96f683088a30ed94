/* SPDX-License-Identifier: BSD-3-Clause */
/* lcores: launch and wait on every lcore, pinning, busy and error paths. */
#include <sched.h>
#include <stdlib.h>

#include <px_eal.h>
#include "px_test.h"

static unsigned int ran_on[PX_MAX_LCORE];
static int ran_cpu[PX_MAX_LCORE];

static int record(void *arg)
{
	unsigned int id = px_lcore_id();

	ran_on[id] = (unsigned int)(uintptr_t)arg;
	ran_cpu[id] = sched_getcpu();
	return (int)id + 100;
}

static int init_all_cores(void)
{
	return px_test_eal_init("--no-huge");
}

static int test_lcore_launch(void)
{
	unsigned int i, n = 0;
	int ret = init_all_cores();

	PX_TEST_ASSERT(ret >= 0, "init: %d", ret);
	memset(ran_on, 0, sizeof(ran_on));
	PX_LCORE_FOREACH_WORKER (i) {
		PX_TEST_ASSERT_EQ(px_remote_launch(record, (void *)(uintptr_t)(i + 1), i), 0,
				  "launch %u", i);
		n++;
	}
	PX_LCORE_FOREACH_WORKER (i) {
		PX_TEST_ASSERT_EQ(px_wait_lcore(i), (int)i + 100, "return value of lcore %u", i);
		PX_TEST_ASSERT_EQ(ran_on[i], i + 1, "lcore %u ran with its argument", i);
		PX_TEST_ASSERT_EQ(ran_cpu[i], px_lcore_to_cpu_id(i), "lcore %u pinned", i);
		PX_TEST_ASSERT_EQ(px_lcore_state(i), PX_LCORE_WAIT, "idle after wait");
	}
	PX_TEST_ASSERT_EQ(n + 1, px_lcore_count(), "every lcore but main is a worker");
	PX_TEST_ASSERT_EQ(px_lcore_id(), px_get_main_lcore(), "main thread is the main lcore");
	PX_TEST_ASSERT_EQ(sched_getcpu(), px_lcore_to_cpu_id(px_get_main_lcore()), "main pinned");
	PX_TEST_ASSERT_EQ(px_remote_launch(record, NULL, px_get_main_lcore()), -EINVAL, "main");
	PX_TEST_ASSERT_EQ(px_remote_launch(record, NULL, PX_MAX_LCORE), -EINVAL, "bad id");
	PX_TEST_ASSERT_EQ(px_remote_launch(NULL, NULL, 0), -EINVAL, "NULL function");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	PX_TEST_ASSERT_EQ(px_lcore_id(), PX_LCORE_ID_ANY, "not an lcore after cleanup");
	PX_TEST_ASSERT_EQ(px_remote_launch(record, NULL, 1), -ESRCH, "launch before init");
	if (n == 0)
		PX_TEST_SKIP("only one usable core: no worker lcore to launch on");
	return PX_TEST_OK;
}
PX_TEST(lcore_launch_autotest, PX_TEST_F_FAST, test_lcore_launch)

static volatile int release;

static int spin_until_released(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE))
		px_pause();
	return 7;
}

static int test_lcore_busy(void)
{
	unsigned int w;
	int ret = init_all_cores();

	PX_TEST_ASSERT(ret >= 0, "init: %d", ret);
	w = px_get_next_lcore(-1, 1, 0);
	if (w >= PX_MAX_LCORE) {
		px_eal_cleanup();
		PX_TEST_SKIP("only one usable core: no worker lcore");
	}
	release = 0;
	PX_TEST_ASSERT_EQ(px_remote_launch(spin_until_released, NULL, w), 0, "launch");
	PX_TEST_ASSERT_EQ(px_remote_launch(spin_until_released, NULL, w), -EBUSY, "busy");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), -EBUSY, "cleanup refuses while running");
	PX_TEST_ASSERT(px_eal_initialized(), "still initialised");
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	PX_TEST_ASSERT_EQ(px_wait_lcore(w), 7, "wait");
	PX_TEST_ASSERT_EQ(px_wait_lcore(w), 0, "wait on an idle lcore");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(lcore_busy_autotest, PX_TEST_F_FAST, test_lcore_busy)

static int count_calls(void *arg)
{
	__atomic_fetch_add((int *)arg, 1, __ATOMIC_RELAXED);
	return px_lcore_id() == px_get_main_lcore() ? 0 : 3;
}

static int test_lcore_mp(void)
{
	int calls = 0, rounds = 50;
	int ret = init_all_cores();
	unsigned int n = px_lcore_count();

	PX_TEST_ASSERT(ret >= 0, "init: %d", ret);
	for (int r = 0; r < rounds; r++) {
		PX_TEST_ASSERT_EQ(px_mp_remote_launch(count_calls, &calls, 1), 0, "launch round %d",
				  r);
		ret = px_mp_wait_lcore();
		PX_TEST_ASSERT_EQ(ret, n > 1 ? 3 : 0, "first non-zero return");
	}
	PX_TEST_ASSERT_EQ(calls, rounds * (int)n, "every lcore ran every round");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	/* cleanup gives the main thread its CPUs back: a new init sees every core again */
	PX_TEST_ASSERT(px_test_eal_init("-l 0 --no-huge") >= 0, "init on one core");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	PX_TEST_ASSERT(init_all_cores() >= 0, "init on all cores");
	PX_TEST_ASSERT_EQ(px_lcore_count(), n, "every core again after a one-core init");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	/* and again: init/cleanup cycles leave nothing behind */
	for (int r = 0; r < 5; r++) {
		PX_TEST_ASSERT(init_all_cores() >= 0, "re-init %d", r);
		PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "re-cleanup %d", r);
	}
	return PX_TEST_OK;
}
PX_TEST(lcore_mp_launch_autotest, PX_TEST_F_FAST, test_lcore_mp)

static int test_lcore_iter(void)
{
	unsigned int i, seen = 0, last = 0;
	int ret = px_test_eal_init("-l 0 --no-huge");

	PX_TEST_ASSERT(ret >= 0, "init");
	PX_LCORE_FOREACH (i) {
		seen++;
		last = i;
	}
	PX_TEST_ASSERT(seen == 1 && last == 0, "one lcore");
	PX_LCORE_FOREACH_WORKER (i)
		PX_TEST_ASSERT(0, "no worker expected, got %u", i);
	PX_TEST_ASSERT_EQ(px_get_next_lcore(0, 0, 1), 0, "wrap finds lcore 0 again");
	PX_TEST_ASSERT_EQ(px_lcore_to_cpu_id(5), -EINVAL, "disabled lcore");
	PX_TEST_ASSERT(px_lcore_to_socket_id(0) >= 0, "socket");
	PX_TEST_ASSERT_EQ(px_mp_wait_lcore(), 0, "no workers");
	return px_eal_cleanup() == 0 ? PX_TEST_OK : PX_TEST_FAILED;
}
PX_TEST(lcore_iter_autotest, PX_TEST_F_FAST, test_lcore_iter)

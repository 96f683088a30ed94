/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frequency of the cycle counter.
 *
 * aarch64 states it in CNTFRQ_EL0 and POWER in the "timebase" line of /proc/cpuinfo, so those are
 * exact. x86's TSC frequency is not reliably exposed to userspace, so it is measured against
 * CLOCK_MONOTONIC_RAW over 20 ms and rounded to 100 kHz.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "eal_private.h"

static uint64_t tsc_hz;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t measure_hz(void)
{
	const struct timespec pause = {.tv_nsec = 20 * 1000 * 1000};
	uint64_t t0 = now_ns(), c0 = px_get_tsc_cycles();
	uint64_t t1, c1;

	nanosleep(&pause, NULL);
	t1 = now_ns();
	c1 = px_get_tsc_cycles();
	if (t1 <= t0 || c1 <= c0)
		return 1000000000ull; /* a broken clock: 1 GHz keeps delays finite */
	return ((c1 - c0) * 1000000000ull / (t1 - t0) + 50000) / 100000 * 100000;
}

static uint64_t arch_hz(void)
{
#if defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
#elif defined(__powerpc64__)
	char line[256];
	unsigned long long v = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "timebase : %llu", &v) == 1)
			break;
	fclose(f);
	return v;
#else
	return 0;
#endif
}

void eal_cycles_init(void)
{
	uint64_t hz;

	if (__atomic_load_n(&tsc_hz, __ATOMIC_ACQUIRE))
		return;
	hz = arch_hz();
	if (hz == 0)
		hz = measure_hz();
	__atomic_store_n(&tsc_hz, hz, __ATOMIC_RELEASE);
}

uint64_t px_get_tsc_hz(void)
{
	uint64_t hz = __atomic_load_n(&tsc_hz, __ATOMIC_ACQUIRE);

	if (px_unlikely(hz == 0)) {
		eal_cycles_init();
		hz = __atomic_load_n(&tsc_hz, __ATOMIC_ACQUIRE);
	}
	return hz;
}

void px_delay_us(unsigned int us)
{
	uint64_t start = px_get_tsc_cycles();
	uint64_t ticks = px_get_tsc_hz() / 1000000 * us;

	while (px_get_tsc_cycles() - start < ticks)
		px_pause();
}

void px_delay_us_sleep(unsigned int us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

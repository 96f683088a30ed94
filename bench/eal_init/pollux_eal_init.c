/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eal_init_1g, Pollux side: seconds from px_eal_init("-m 1024 -l 0") to the first px_malloc()
 * that succeeds. Prints one number.
 */
#include <stdio.h>
#include <time.h>

#include <px_eal.h>
#include <px_malloc.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
	char *argv[] = {"pollux_eal_init", "-m", "1024", "-l", "0", NULL};
	double t0 = now(), t1;
	void *p;

	if (px_eal_init(5, argv) < 0) {
		fprintf(stderr, "px_eal_init failed\n");
		return 1;
	}
	p = px_malloc("bench", 64, 0);
	t1 = now();
	if (p == NULL) {
		fprintf(stderr, "px_malloc failed\n");
		return 1;
	}
	printf("%.6f\n", t1 - t0);
	px_free(p);
	px_eal_cleanup();
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eal_init_1g, DPDK side: seconds from rte_eal_init("-m 1024 -l 0 --no-pci") to the first
 * rte_malloc() that succeeds. Prints one number.
 */
#include <stdio.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_malloc.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
	char *argv[] = {"dpdk_eal_init", "-m",      "1024",        "-l",    "0", "--no-pci",
			"--file-prefix", "pxbench", "--log-level", "error", NULL};
	double t0 = now(), t1;
	void *p;

	if (rte_eal_init(10, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	p = rte_malloc("bench", 64, 0);
	t1 = now();
	if (p == NULL) {
		fprintf(stderr, "rte_malloc failed\n");
		return 1;
	}
	printf("%.6f\n", t1 - t0);
	rte_free(p);
	rte_eal_cleanup();
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the test programs in tests/fwd share:
 *   CHECK(cond, fmt, ...)   print FAIL with the place and the message, and exit 1
 *   FAIL(fmt, ...)          print FAIL and the message to stderr, and return 1
 *   FWD_TEST_GLOBALS(init)  px-fwd's globals (app/fwd/main.c has them) for a test built from
 *                           px-fwd's other sources, fwd_cfg initialised with @init; after fwd.h
 */
#ifndef FWD_TEST_H
#define FWD_TEST_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                             \
	do {                                                         \
		if (!(cond)) {                                       \
			printf("FAIL: %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                         \
			printf("\n");                                \
			exit(1);                                     \
		}                                                    \
	} while (0)

#define FAIL(...)                                      \
	do {                                           \
		fprintf(stderr, "FAIL: " __VA_ARGS__); \
		fputc('\n', stderr);                   \
		return 1;                              \
	} while (0)

#define FWD_TEST_GLOBALS(...)                           \
	struct fwd_config fwd_cfg = {__VA_ARGS__};      \
	volatile int fwd_stop;                          \
	struct fwd_stream fwd_streams[FWD_MAX_STREAMS]; \
	unsigned int fwd_nb_streams;                    \
	struct px_mempool *fwd_pools[PX_MAX_NUMA_NODES]

#endif /* FWD_TEST_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The unit test app's registry. A test is a function returning PX_TEST_OK, PX_TEST_FAILED or
 * PX_TEST_SKIPPED, registered with PX_TEST(name, flags, fn). Each test is its own CTest test.
 */
#ifndef PX_TEST_H
#define PX_TEST_H

#include <stdio.h>
#include <string.h>
#include <errno.h>

#define PX_TEST_OK 0
#define PX_TEST_FAILED 1
#define PX_TEST_SKIPPED 77

/* Flags: what a test needs, and so its CTest labels. */
#define PX_TEST_F_FAST 0x0 /* label "fast" */
#define PX_TEST_F_HUGE 0x1 /* needs hugepages (label "huge"; skipped without) */
#define PX_TEST_F_LAB 0x2  /* needs VFIO and devices: runs in the lab (label "lab") */
#define PX_TEST_F_PERF 0x4 /* a measurement, not a check (label "perf") */
#define PX_TEST_F_SLOW 0x8 /* takes more than a few seconds (label "slow") */

struct px_test {
	const char *name;
	unsigned int flags;
	int (*fn)(void);
	const char *file;
	struct px_test *next;
};

void px_test_register(struct px_test *t);

#define PX_TEST(name, flags, fn)                                                       \
	static struct px_test px_test_##name = {#name, (flags), (fn), __FILE__, NULL}; \
	__attribute__((constructor)) static void px_test_reg_##name(void)              \
	{                                                                              \
		px_test_register(&px_test_##name);                                     \
	}

/* Fail the test with a message naming the condition and the place. */
#define PX_TEST_ASSERT(cond, ...)                                                            \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: assertion failed: %s: ", __FILE__, __LINE__, \
				#cond);                                                      \
			fprintf(stderr, __VA_ARGS__);                                        \
			fputc('\n', stderr);                                                 \
			return PX_TEST_FAILED;                                               \
		}                                                                            \
	} while (0)

#define PX_TEST_ASSERT_EQ(a, b, ...)                                                        \
	do {                                                                                \
		long long _a = (long long)(a), _b = (long long)(b);                         \
		if (_a != _b) {                                                             \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld: ", __FILE__, \
				__LINE__, #a, #b, _a, _b);                                  \
			fprintf(stderr, __VA_ARGS__);                                       \
			fputc('\n', stderr);                                                \
			return PX_TEST_FAILED;                                              \
		}                                                                           \
	} while (0)

/* Skip: print what is missing and return 77. */
#define PX_TEST_SKIP(...)                     \
	do {                                  \
		fprintf(stderr, "SKIP: ");    \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr);          \
		return PX_TEST_SKIPPED;       \
	} while (0)

/* Run px_eal_init() on a command line given as one string ("-l 0 --no-huge"); returns its
 * result. The program name is prepended. */
int px_test_eal_init(const char *args);

/* Split @line at spaces into @argv (at most @max-1 words, NULL-terminated), program name first.
 * Returns argc. The words point into @buf. */
int px_test_split(const char *line, char *buf, size_t bufsz, char **argv, int max);

/* Capture what the log prints while @fn runs... simpler: start and stop capturing log output
 * into a memory buffer, to check messages. */
void px_test_log_capture_start(void);
/* Stop capturing; returns the captured text (valid until the next start). */
const char *px_test_log_capture_stop(void);

/* Number of hugepages free of the default size, or -1 when unknown. */
long px_test_free_hugepages(void);

#endif /* PX_TEST_H */

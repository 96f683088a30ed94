/* SPDX-License-Identifier: BSD-3-Clause */
/* Test bodies shared by test_memory.c (--no-huge) and test_memory_huge.c. */
#ifndef MEMORY_CASES_H
#define MEMORY_CASES_H

int test_mem_random(void);
int test_mem_bad_free(void);
int test_mz_rules(void);
int test_mem_events(void);
int test_mem_exhaust(void);
/* px_eal_init(@args), run @body, px_eal_cleanup(). */
int test_mem_run(const char *args, int (*body)(void));

#endif /* MEMORY_CASES_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-test: Pollux's unit test app.
 *
 *   px-test --list           list the tests
 *   px-test NAME...          run them (exit 0 all passed, 77 all skipped, 1 a failure)
 *   px-test                  on a terminal: a prompt to run tests by name
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <px_eal.h>
#include "px_test.h"

static struct px_test *tests;

void px_test_register(struct px_test *t)
{
	struct px_test **pp = &tests;

	/* keep the list sorted by name so --list is stable */
	while (*pp && strcmp((*pp)->name, t->name) < 0)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
}

int px_test_split(const char *line, char *buf, size_t bufsz, char **argv, int max)
{
	int argc = 0;
	char *save = NULL, *w;

	snprintf(buf, bufsz, "%s", line);
	argv[argc++] = "px-test";
	for (w = strtok_r(buf, " \t\n", &save); w && argc < max - 1;
	     w = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

int px_test_eal_init(const char *args)
{
	static char buf[4096];
	static char *argv[128];
	int argc = px_test_split(args, buf, sizeof(buf), argv, (int)PX_DIM(argv));

	return px_eal_init(argc, argv);
}

static char *cap_buf;
static size_t cap_len;
static FILE *cap_file;

void px_test_log_capture_start(void)
{
	if (cap_file)
		fclose(cap_file);
	free(cap_buf);
	cap_buf = NULL;
	cap_file = open_memstream(&cap_buf, &cap_len);
	px_log_set_stream(cap_file);
}

const char *px_test_log_capture_stop(void)
{
	px_log_set_stream(NULL);
	if (cap_file) {
		fclose(cap_file);
		cap_file = NULL;
	}
	/* echo what was captured, so a failing test's log shows it */
	if (cap_buf && *cap_buf)
		fprintf(stderr, "%s", cap_buf);
	return cap_buf ? cap_buf : "";
}

long px_test_free_hugepages(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HugePages_Free: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static const char *labels(unsigned int flags)
{
	if (flags & PX_TEST_F_LAB)
		return "lab";
	if (flags & PX_TEST_F_PERF)
		return "perf";
	if (flags & PX_TEST_F_HUGE)
		return flags & PX_TEST_F_SLOW ? "huge,slow" : "huge";
	return flags & PX_TEST_F_SLOW ? "fast,slow" : "fast";
}

static void list(int ctest)
{
	for (struct px_test *t = tests; t; t = t->next) {
		if (ctest && (t->flags & PX_TEST_F_LAB))
			continue; /* lab tests run inside the lab, not on the host */
		if (ctest)
			printf("%s %s\n", t->name, labels(t->flags));
		else
			printf("%-40s %s\n", t->name, labels(t->flags));
	}
}

static int run_one(struct px_test *t)
{
	int ret;

	printf("=== %s\n", t->name);
	fflush(stdout);
	ret = t->fn();
	printf("=== %s: %s\n", t->name,
	       ret == PX_TEST_OK        ? "PASSED"
	       : ret == PX_TEST_SKIPPED ? "SKIPPED"
					: "FAILED");
	fflush(stdout);
	if (px_eal_initialized()) {
		fprintf(stderr, "%s: left the EAL initialised; cleaning up\n", t->name);
		px_mp_wait_lcore();
		px_eal_cleanup();
		if (ret == PX_TEST_OK)
			ret = PX_TEST_FAILED;
	}
	return ret;
}

/* Run every test whose name matches @pattern (a name or a glob). Returns -1 if none matched. */
static int run_matching(const char *pattern, int *failed, int *passed, int *skipped)
{
	int found = 0;

	for (struct px_test *t = tests; t; t = t->next) {
		if (fnmatch(pattern, t->name, 0) != 0)
			continue;
		found = 1;
		switch (run_one(t)) {
		case PX_TEST_OK:
			(*passed)++;
			break;
		case PX_TEST_SKIPPED:
			(*skipped)++;
			break;
		default:
			(*failed)++;
			break;
		}
	}
	return found ? 0 : -1;
}

static int run_names(int n, char **names)
{
	int failed = 0, passed = 0, skipped = 0;

	for (int i = 0; i < n; i++) {
		if (run_matching(names[i], &failed, &passed, &skipped) < 0) {
			fprintf(stderr, "px-test: no test named '%s' (px-test --list lists them)\n",
				names[i]);
			failed++;
		}
	}
	if (n > 1)
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	if (failed)
		return 1;
	return passed == 0 && skipped > 0 ? PX_TEST_SKIPPED : 0;
}

static int prompt(void)
{
	char line[256];

	printf("px-test: type a test name or glob, 'list', or 'quit'\n");
	for (;;) {
		char *name;

		printf("px-test> ");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
		name = strtok(line, " \t\n");
		if (name == NULL)
			continue;
		if (strcmp(name, "quit") == 0 || strcmp(name, "exit") == 0)
			break;
		if (strcmp(name, "list") == 0) {
			list(0);
			continue;
		}
		run_names(1, &name);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: px-test --list | px-test NAME... (names or globs)\n"
		   "       px-test          (on a terminal: a prompt)\n"
		   "exit status: 0 all passed, 77 all skipped, 1 a failure\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		list(0);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--list-ctest") == 0) {
		list(1);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-') {
		usage(stderr);
		return 2;
	}
	if (argc == 1) {
		if (isatty(STDIN_FILENO))
			return prompt();
		usage(stderr);
		return 2;
	}
	return run_names(argc - 1, argv + 1);
}

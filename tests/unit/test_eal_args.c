/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL argument parser: good and bad command lines, each bad one answered by one line that
 * names the token, and the number of arguments consumed.
 */
#include <stdlib.h>

#include <px_eal.h>
#include "../../lib/eal/eal_private.h"
#include "px_test.h"

struct args_case {
	const char *line; /* arguments after the program name */
	int ret;          /* expected index of the first unconsumed argument, or -EINVAL */
	const char *msg;  /* substring the error line must contain (NULL: none checked) */
};

/* A fake machine with cores 0-3 online, so results do not depend on the host. */
static int parse_case(const struct args_case *c, struct eal_cfg *cfg, const char **log)
{
	char buf[1024];
	char *argv[64];
	cpu_set_t online;
	int argc, ret;

	CPU_ZERO(&online);
	for (int i = 0; i < 4; i++)
		CPU_SET(i, &online);
	argc = px_test_split(c->line, buf, sizeof(buf), argv, (int)PX_DIM(argv));
	px_test_log_capture_start();
	ret = eal_args_parse(cfg, argc, argv, &online);
	*log = px_test_log_capture_stop();
	return ret;
}

static int run_cases(const struct args_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct args_case *c = &cases[i];
		struct eal_cfg *cfg = calloc(1, sizeof(*cfg));
		const char *log;
		int ret;

		PX_TEST_ASSERT(cfg != NULL, "out of memory");
		ret = parse_case(c, cfg, &log);
		if (ret >= 0)
			eal_cfg_free(cfg);
		free(cfg);
		PX_TEST_ASSERT_EQ(ret, c->ret, "command line '%s'", c->line);
		if (c->ret < 0) {
			/* exactly one line, naming the token */
			const char *nl = strchr(log, '\n');
			PX_TEST_ASSERT(nl != NULL && nl[1] == '\0',
				       "'%s': expected one error line, got '%s'", c->line, log);
			PX_TEST_ASSERT(strstr(log, "error") != NULL, "'%s': no error in '%s'",
				       c->line, log);
		}
		if (c->msg)
			PX_TEST_ASSERT(strstr(log, c->msg) != NULL, "'%s': expected '%s' in '%s'",
				       c->line, c->msg, log);
	}
	return PX_TEST_OK;
}

static int test_eal_args(void)
{
	static const struct args_case cases[] = {
		{"", 1, NULL},
		{"-l 0-3", 3, NULL},
		{"-l0-3", 2, NULL},
		{"--lcores=0,2", 2, NULL},
		{"--lcores 1-2 --main-lcore 2", 5, NULL},
		{"-l 0 -- -x --foo", 4, NULL},
		{"-l 0 app-arg", 3, NULL},
		{"--no-huge -m 64 --iova-mode=va", 5, NULL},
		{"--log-level=eal:debug --log-level 3", 4, NULL},
		{"-a 0000:00:02.0 -a 01:00.1,rxq=2", 5, NULL},
		{"-b 0000:03:00.0", 3, NULL},
		{"--vdev net_null0,size=64 --vdev=net_ring0", 4, NULL},
		{"--socket-mem 512,512 --huge-dir /dev/hugepages --file-prefix app1", 7, NULL},
		{"-c 0x5 -n 4 --no-pci", 6, NULL},
		{"--lcores 0@1,1@2", 3, NULL},
		{"-h", 2, NULL},
		{"--bogus", -EINVAL, "'--bogus'"},
		{"-x", -EINVAL, "unknown option '-x'"},
		{"-l", -EINVAL, "needs a value"},
		{"-l ''", -EINVAL, "malformed"},
		{"-l 0-", -EINVAL, "'0-'"},
		{"-l 3-1", -EINVAL, "'3-1'"},
		{"-l 0,,1", -EINVAL, "'0,,1'"},
		{"-l a", -EINVAL, "list of cores"},
		{"-l 0,0", -EINVAL, "twice"},
		{"-l 0-2,1", -EINVAL, "twice"},
		{"-l 7", -EINVAL, "core 7 is not online"},
		{"-l 99999999999999999999", -EINVAL, "'99999999999999999999'"},
		{"-l 0 -l 1", -EINVAL, "already given"},
		{"-c 0x0", -EINVAL, "no core selected"},
		{"-c 0xg", -EINVAL, "hexadecimal"},
		{"--lcores 0@1,1@1", 3, NULL}, /* as in DPDK, lcores may share a cpu */
		{"--lcores 0@1,0@2", -EINVAL, "lcore 0 appears twice"},
		{"--lcores 0@9", -EINVAL, "cpu 9 is not online"},
		{"-l 0-1 --main-lcore 3", -EINVAL, "--main-lcore 3"},
		{"--main-lcore x", -EINVAL, "'x'"},
		{"-m 18446744073709551615", -EINVAL, "overflows"},
		{"-m 99999999999999999999999", -EINVAL, "overflows"},
		{"-m 12Q", -EINVAL, "'12Q'"},
		{"-m 64 --socket-mem 64", -EINVAL, "cannot be combined"},
		{"--socket-mem 1,,2", -EINVAL, "empty field"},
		{"--socket-mem 1,x", -EINVAL, "'x'"},
		{"--no-huge --huge-dir /mnt", -EINVAL, "--no-huge"},
		{"--iova-mode=xx", -EINVAL, "va or pa"},
		{"--log-level=loud", -EINVAL, "unknown level"},
		{"--log-level=:debug", -EINVAL, "empty component"},
		{"-a 0000:00:02", -EINVAL, "PCI address"},
		{"-a zz:00.0", -EINVAL, "'zz:00.0'"},
		{"-b 00:00.0,x=1", -EINVAL, "PCI address"},
		{"-a 00:02.0 -b 00:03.0", -EINVAL, "cannot be combined"},
		{"--vdev ,x=1", -EINVAL, "device name"},
		{"--file-prefix a/b", -EINVAL, "'/'"},
		{"--lcores=", -EINVAL, "empty core list"},
		{"--no-huge=1", -EINVAL, "unknown option"},
		{"-n x", -EINVAL, "'x'"},
	};

	return run_cases(cases, PX_DIM(cases));
}
PX_TEST(eal_args_autotest, PX_TEST_F_FAST, test_eal_args)

static int test_eal_args_values(void)
{
	static const struct args_case c1 = {
		"-l 1-2,0 --main-lcore 2 -m 1G --iova-mode pa --vdev net_null0 --no-huge -a 0000:00:02.0",
		0, NULL};
	struct eal_cfg *cfg = calloc(1, sizeof(*cfg));
	const char *log;
	int ret;

	PX_TEST_ASSERT(cfg != NULL, "oom");
	ret = parse_case(&c1, cfg, &log);
	PX_TEST_ASSERT_EQ(ret, 14, "consumed");
	PX_TEST_ASSERT_EQ(cfg->lcore_count, 3, "lcores");
	PX_TEST_ASSERT(cfg->lcore[0].enabled && cfg->lcore[1].enabled && cfg->lcore[2].enabled &&
			       !cfg->lcore[3].enabled,
		       "lcore set");
	PX_TEST_ASSERT_EQ(cfg->main_lcore, 2, "main lcore");
	PX_TEST_ASSERT_EQ(cfg->mem_bytes, 1ull << 30, "-m 1G");
	PX_TEST_ASSERT_EQ(cfg->iova_mode, PX_IOVA_PA, "iova mode");
	PX_TEST_ASSERT(cfg->no_huge, "no-huge");
	PX_TEST_ASSERT(cfg->vdevs.n == 1 && strcmp(cfg->vdevs.v[0], "net_null0") == 0, "vdev");
	PX_TEST_ASSERT(cfg->allow.n == 1, "allow list");
	eal_cfg_free(cfg);

	static const struct args_case c2 = {"--socket-mem 256,1024 -c 0xa --lcores=x", 0, NULL};
	ret = parse_case(&c2, cfg, &log);
	PX_TEST_ASSERT_EQ(ret, -EINVAL, "cores given twice");

	static const struct args_case c3 = {"--socket-mem 256,1024 -c 0xa", 0, NULL};
	ret = parse_case(&c3, cfg, &log);
	PX_TEST_ASSERT_EQ(ret, 5, "consumed");
	PX_TEST_ASSERT_EQ(cfg->socket_mem_n, 2, "sockets");
	PX_TEST_ASSERT_EQ(cfg->socket_mem[0], 256ull << 20, "socket 0");
	PX_TEST_ASSERT_EQ(cfg->socket_mem[1], 1024ull << 20, "socket 1");
	PX_TEST_ASSERT(cfg->lcore[1].enabled && cfg->lcore[3].enabled && cfg->lcore_count == 2,
		       "-c");
	PX_TEST_ASSERT_EQ(cfg->main_lcore, 1, "default main lcore is the first");
	eal_cfg_free(cfg);

	static const struct args_case c4 = {"--lcores 0@3,2@1", 0, NULL};
	ret = parse_case(&c4, cfg, &log);
	PX_TEST_ASSERT_EQ(ret, 3, "consumed");
	PX_TEST_ASSERT(cfg->lcore[0].cpu == 3 && cfg->lcore[2].cpu == 1, "lcore@cpu");
	eal_cfg_free(cfg);
	free(cfg);
	return PX_TEST_OK;
}
PX_TEST(eal_args_values_autotest, PX_TEST_F_FAST, test_eal_args_values)

static int test_eal_parse_helpers(void)
{
	uint64_t b;
	uint32_t dom;
	uint8_t bus, dev, fn;
	cpu_set_t set;

	PX_TEST_ASSERT_EQ(eal_parse_size_mb("0", &b), 0, "zero");
	PX_TEST_ASSERT_EQ(eal_parse_size_mb("17592186044415", &b), 0, "largest MiB");
	PX_TEST_ASSERT_EQ(b, 17592186044415ull << 20, "value");
	PX_TEST_ASSERT_EQ(eal_parse_size_mb("17592186044416", &b), -ERANGE, "2^44 MiB overflows");
	PX_TEST_ASSERT_EQ(eal_parse_size_mb("4k", &b), 0, "k");
	PX_TEST_ASSERT_EQ(b, 4096, "4k");
	PX_TEST_ASSERT_EQ(eal_parse_size_mb("-1", &b), -EINVAL, "negative");
	PX_TEST_ASSERT_EQ(eal_parse_size_mb("", &b), -EINVAL, "empty");
	PX_TEST_ASSERT_EQ(eal_parse_pci_addr("0001:02:1f.7", &dom, &bus, &dev, &fn), 0, "full");
	PX_TEST_ASSERT(dom == 1 && bus == 2 && dev == 0x1f && fn == 7, "fields");
	PX_TEST_ASSERT_EQ(eal_parse_pci_addr("02:03.4", &dom, &bus, &dev, &fn), 0, "short");
	PX_TEST_ASSERT(dom == 0 && bus == 2 && dev == 3 && fn == 4, "short fields");
	PX_TEST_ASSERT_EQ(eal_parse_pci_addr("00:20.0", NULL, NULL, NULL, NULL), -EINVAL,
			  "dev > 0x1f");
	PX_TEST_ASSERT_EQ(eal_parse_pci_addr("00:00.8", NULL, NULL, NULL, NULL), -EINVAL, "fn > 7");
	PX_TEST_ASSERT_EQ(eal_parse_pci_addr("100:00.0", NULL, NULL, NULL, NULL), -EINVAL,
			  "bus > ff");
	PX_TEST_ASSERT_EQ(eal_parse_pci_addr("0:0:0:0.0", NULL, NULL, NULL, NULL), -EINVAL,
			  "extra");
	PX_TEST_ASSERT_EQ(eal_parse_corelist("0-2,5,7-8", &set), 0, "list");
	PX_TEST_ASSERT_EQ(CPU_COUNT(&set), 6, "count");
	PX_TEST_ASSERT_EQ(eal_parse_corelist("1,1", &set), -EEXIST, "dup");
	PX_TEST_ASSERT_EQ(eal_parse_corelist("1-", &set), -EINVAL, "range");
	return PX_TEST_OK;
}
PX_TEST(eal_args_helpers_autotest, PX_TEST_F_FAST, test_eal_parse_helpers)

/* px_eal_init() itself: consumed count, argv shuffle, errors leave nothing behind. */
static int test_eal_init_args(void)
{
	char *argv[] = {"prog", "-l", "0", "--no-huge", "--", "--app", "x", NULL};
	int ret;

	ret = px_eal_init(7, argv);
	PX_TEST_ASSERT_EQ(ret, 4, "consumed");
	PX_TEST_ASSERT(strcmp(argv[4], "prog") == 0, "program name moved to argv[ret]");
	PX_TEST_ASSERT(strcmp(argv[5], "--app") == 0, "application args follow");
	PX_TEST_ASSERT(px_eal_initialized(), "initialised");
	PX_TEST_ASSERT_EQ(px_eal_init(7, argv), -EALREADY, "second init");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), -ENOENT, "second cleanup");

	px_test_log_capture_start();
	ret = px_test_eal_init("-l 0 --definitely-not-an-option");
	px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(ret, -EINVAL, "bad option");
	PX_TEST_ASSERT(!px_eal_initialized(), "nothing left initialised");

	ret = px_test_eal_init("--help");
	PX_TEST_ASSERT_EQ(ret, -ECANCELED, "help");
	PX_TEST_ASSERT(!px_eal_initialized(), "help does not initialise");

	ret = px_test_eal_init("-l 0 --no-huge");
	PX_TEST_ASSERT_EQ(ret, 3, "init again after errors");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(eal_init_autotest, PX_TEST_F_FAST, test_eal_init_args)

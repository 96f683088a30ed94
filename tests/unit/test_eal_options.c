/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every option of DPDK 22.11's EAL (dpdk-testpmd --help), one row each: accepted with DPDK's
 * meaning, accepted with one line that says why it does nothing in Pollux (a note), or refused
 * with a message naming what to use instead. Then what the options do where it can be seen: the
 * lcore -> CPU map of --lcores on real threads, service lcores, the main lcore, log levels, the
 * notes at start-up, --base-virtaddr and --socket-limit.
 */
#include <pthread.h>
#include <stdlib.h>
#include <syslog.h>

#include <px_eal.h>
#include <px_malloc.h>
#include "../../lib/eal/eal_private.h"
#include "px_test.h"

enum outcome {
	SAME,   /* accepted, DPDK's meaning, no note */
	NOTED,  /* accepted; a note containing .msg says why it does nothing here */
	REFUSED /* -EINVAL and one error line containing .msg */
};

struct opt_case {
	const char *line; /* arguments after the program name, split at spaces */
	enum outcome outcome;
	const char *msg;
	int (*effect)(const struct eal_cfg *cfg); /* what the parse must have set, or NULL */
};

static bool cpus_are(const cpu_set_t *s, const char *list)
{
	cpu_set_t want;

	return eal_parse_corelist(list, &want) == 0 && CPU_EQUAL(s, &want);
}

static int lcore_map_groups(const struct eal_cfg *cfg)
{
	/* '(0,1)@0,2@(1,2)': lcores 0 and 1 share cpu 0, lcore 2 floats over cpus 1 and 2 */
	PX_TEST_ASSERT_EQ(cfg->lcore_count, 3, "lcores");
	PX_TEST_ASSERT(cpus_are(&cfg->lcore[0].cpus, "0") && cpus_are(&cfg->lcore[1].cpus, "0"),
		       "lcores 0 and 1 on cpu 0");
	PX_TEST_ASSERT(cpus_are(&cfg->lcore[2].cpus, "1-2"), "lcore 2 on cpus 1-2");
	PX_TEST_ASSERT_EQ(cfg->lcore[2].cpu, 1, "px_lcore_to_cpu_id: the first cpu of the set");
	PX_TEST_ASSERT_EQ(cfg->main_lcore, 0, "main lcore is the first");
	return PX_TEST_OK;
}

static int lcore_map_plain(const struct eal_cfg *cfg)
{
	/* '0-1,(2,3)': a range pins each lcore to its own cpu, a group runs on the whole group */
	PX_TEST_ASSERT(cpus_are(&cfg->lcore[0].cpus, "0") && cpus_are(&cfg->lcore[1].cpus, "1"),
		       "range");
	PX_TEST_ASSERT(cpus_are(&cfg->lcore[2].cpus, "2-3") && cpus_are(&cfg->lcore[3].cpus, "2-3"),
		       "group");
	return PX_TEST_OK;
}

static int lcore_map_high(const struct eal_cfg *cfg)
{
	/* '100@(0-3)': an lcore id that is no cpu, on every cpu */
	PX_TEST_ASSERT(cfg->lcore[100].enabled && cfg->lcore_count == 1, "lcore 100 alone");
	PX_TEST_ASSERT(cpus_are(&cfg->lcore[100].cpus, "0-3"), "on cpus 0-3");
	PX_TEST_ASSERT_EQ(cfg->main_lcore, 100, "main");
	return PX_TEST_OK;
}

static int service_taken(const struct eal_cfg *cfg)
{
	/* -l 0-3 with service lcores 2-3: the application keeps 0 and 1 */
	PX_TEST_ASSERT(cfg->lcore[0].enabled && cfg->lcore[1].enabled, "0, 1 stay");
	PX_TEST_ASSERT(!cfg->lcore[2].enabled && !cfg->lcore[3].enabled, "2, 3 are services");
	PX_TEST_ASSERT_EQ(cfg->lcore_count, 2, "count");
	return PX_TEST_OK;
}

static int service_main(const struct eal_cfg *cfg)
{
	/* -s 0x1 without --main-lcore: lcore 0 is the default main lcore, and stays (as in DPDK) */
	PX_TEST_ASSERT_EQ(cfg->main_lcore, 0, "main lcore");
	PX_TEST_ASSERT(cfg->lcore[0].enabled, "main lcore kept");
	return PX_TEST_OK;
}

static int main_two(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT(cfg->main_set && cfg->main_lcore == 2, "--main-lcore 2");
	return PX_TEST_OK;
}

static int no_telemetry(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT(cfg->no_telemetry, "--no-telemetry");
	return PX_TEST_OK;
}

static int telemetry(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT(!cfg->no_telemetry, "--telemetry after --no-telemetry: on");
	return PX_TEST_OK;
}

static int base_rounded(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT_EQ(cfg->base_virtaddr, 0x2040000000ull, "rounded up to 1 GiB");
	return PX_TEST_OK;
}

static int socket_limit(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT_EQ(cfg->socket_limit_n, 2, "sockets");
	PX_TEST_ASSERT_EQ(cfg->socket_limit[0], 1ull << 30, "socket 0");
	PX_TEST_ASSERT_EQ(cfg->socket_limit[1], 0, "socket 1: no limit");
	return PX_TEST_OK;
}

static int syslog_local3(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT_EQ(cfg->syslog_facility, LOG_LOCAL3, "facility");
	return PX_TEST_OK;
}

static int no_syslog(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT_EQ(cfg->syslog_facility, -1, "no --syslog");
	return PX_TEST_OK;
}

static int version(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT(cfg->version, "-v");
	return PX_TEST_OK;
}

static int log_help(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT(cfg->log_help, "--log-level=help");
	return PX_TEST_OK;
}

static int log_forms(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT_EQ(cfg->log_levels.n, 3, "three --log-level");
	PX_TEST_ASSERT(strcmp(cfg->log_levels.v[1], "^pmd\\.net,debug") == 0,
		       "regex kept as given");
	return PX_TEST_OK;
}

static int iova_pa(const struct eal_cfg *cfg)
{
	PX_TEST_ASSERT_EQ(cfg->iova_mode, PX_IOVA_PA, "--iova-mode pa");
	return PX_TEST_OK;
}

static const struct opt_case cases[] = {
	/* lcores */
	{"-c 0x3", SAME, NULL, NULL},
	{"-l 0-1,3", SAME, NULL, NULL},
	{"--lcores (0,1)@0,2@(1,2)", SAME, NULL, lcore_map_groups},
	{"--lcores 0-1,(2,3)", SAME, NULL, lcore_map_plain},
	{"--lcores=100@(0-3)", SAME, NULL, lcore_map_high},
	{"--lcores (0,1", REFUSED, "malformed lcore map", NULL},
	{"--lcores 0@(1,9)", REFUSED, "cpu 9 is not online", NULL},
	{"--lcores 200@0", REFUSED, "beyond PX_MAX_LCORE", NULL},
	{"--lcores (0-1)@0,1@2", REFUSED, "lcore 1 appears twice", NULL},
	{"-l 0-3 --main-lcore 2", SAME, NULL, main_two},
	{"-l 0-3 -s 0xc", NOTED, "-s/-S 2-3: Pollux has no service cores", service_taken},
	{"-l 0-3 -S 2-3", NOTED, "no rte_service", service_taken},
	{"-l 0-3 -s 0x1", NOTED, "-s/-S 0:", service_main},
	{"-l 0 -S 0", NOTED, "-s/-S 0:", service_main},
	{"-l 1-3 --main-lcore 3 -S 1-2", NOTED, "-s/-S 1-2:", NULL},
	{"-l 0-1 -s 0x1 --main-lcore 0", REFUSED, "also a service lcore", NULL},
	{"-s 0xg", REFUSED, "hexadecimal", NULL},
	{"-S 200", REFUSED, "beyond PX_MAX_LCORE", NULL},
	/* memory */
	{"-m 512", SAME, NULL, NULL},
	{"--socket-mem 512,0", SAME, NULL, NULL},
	{"--socket-limit 1024,0", SAME, NULL, socket_limit},
	{"--socket-limit x", REFUSED, "not a size", NULL},
	{"--huge-dir /dev/hugepages", SAME, NULL, NULL},
	{"--file-prefix p1", SAME, NULL, NULL},
	{"--file-prefix a%d", REFUSED, "'%'", NULL},
	{"--no-huge", SAME, NULL, NULL},
	{"--iova-mode pa", SAME, NULL, iova_pa},
	{"--base-virtaddr 0x2000000001", SAME, NULL, base_rounded},
	{"--base-virtaddr zz", REFUSED, "not an address", NULL},
	{"--in-memory", NOTED, "always runs in memory", NULL},
	{"--no-shconf", NOTED, "no shared configuration", NULL},
	{"--huge-unlink", NOTED, "no hugepage files", NULL},
	{"--huge-unlink=existing", NOTED, "--huge-unlink existing: Pollux leaves no hugepage",
	 NULL},
	{"--huge-unlink=always", NOTED, "memfd", NULL},
	{"--huge-unlink=never", NOTED, "=never cannot be honoured", NULL},
	{"--huge-unlink=sometimes", REFUSED, "existing|always|never", NULL},
	{"--single-file-segments", NOTED, "one file (a memfd)", NULL},
	{"--legacy-mem", NOTED, "no static layout", NULL},
	{"--match-allocations", NOTED, "as it was allocated", NULL},
	{"--huge-worker-stack", NOTED, "ordinary stacks", NULL},
	{"--huge-worker-stack=64", NOTED, "ordinary stacks", NULL},
	{"--huge-worker-stack=x", REFUSED, "not a positive number", NULL},
	{"--mbuf-pool-ops-name ring_mp_mc", NOTED, "one implementation", NULL},
	{"-n 4", NOTED, "memory channels", NULL},
	{"-n 0", REFUSED, "not a positive number", NULL},
	{"-r 2", NOTED, "memory ranks", NULL},
	{"-r 17", REFUSED, "out of range", NULL},
	/* devices and drivers */
	{"-a 0000:03:00.0 --allow=0000:04:00.0,rxq=2", SAME, NULL, NULL},
	{"-b 0000:03:00.0 --block 0000:04:00.0", SAME, NULL, NULL},
	{"--vdev net_null0,size=64", SAME, NULL, NULL},
	{"--no-pci", SAME, NULL, NULL},
	{"-d /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0", NOTED, "built in", NULL},
	{"-d librte_net_null.so", NOTED, "this build: ", NULL},
	{"--vfio-intr msix", SAME, NULL, NULL},
	{"--vfio-intr=legacy", NOTED, "MSI-X vectors only", NULL},
	{"--vfio-intr msi", NOTED, "MSI-X vectors only", NULL},
	{"--vfio-intr intx", REFUSED, "legacy|msi|msix", NULL},
	{"--vfio-vf-token 14d63f20-8445-11ea-8900-1f9ce7d5650d", REFUSED, "bind the PF", NULL},
	{"--create-uio-dev", NOTED, "VFIO only", NULL},
	/* processes */
	{"--proc-type primary", SAME, NULL, NULL},
	{"--proc-type=auto", NOTED, "this process is a primary", NULL},
	{"--proc-type secondary", REFUSED, "dpdk-telemetry.py", NULL},
	{"--proc-type=secondary", REFUSED, "px-dumpcap", NULL},
	{"--proc-type tertiary", REFUSED, "primary, secondary or auto", NULL},
	{"--telemetry", SAME, NULL, NULL},
	{"--no-telemetry", SAME, NULL, no_telemetry},
	{"--no-telemetry --telemetry", SAME, NULL, telemetry},
	/* logging and tracing */
	{"--log-level 8", SAME, NULL, NULL},
	{"--log-level=eal:crit --log-level ^pmd\\.net,debug --log-level warn", SAME, NULL,
	 log_forms},
	{"--log-level pmd.net.*:d", SAME, NULL, NULL},
	{"--log-level=help", SAME, NULL, log_help},
	{"--log-level=9", REFUSED, "unknown level", NULL},
	{"--log-level=\\(,debug", REFUSED, "not a regular expression", NULL},
	{"--syslog local3", SAME, NULL, syslog_local3},
	{"--no-pci", SAME, NULL, no_syslog},
	{"--syslog=nowhere", REFUSED, "unknown facility", NULL},
	{"--trace=eal.*", NOTED, "no trace points", NULL},
	{"--trace \\(", REFUSED, "not a regular expression", NULL},
	{"--trace-dir /tmp", NOTED, "no trace points", NULL},
	{"--trace-bufsz 2M", NOTED, "no trace points", NULL},
	{"--trace-bufsz 2G", NOTED, "no trace points", NULL},
	{"--trace-bufsz 0", REFUSED, "SIZE[B|K|M]", NULL},
	{"--trace-mode o", NOTED, "no trace points", NULL},
	{"--trace-mode=discard", NOTED, "no trace points", NULL},
	{"--trace-mode x", REFUSED, "o[verwrite]|d[iscard]", NULL},
	/* the rest */
	{"--force-max-simd-bitwidth 512", NOTED, "no SIMD code at run time", NULL},
	{"--force-max-simd-bitwidth 100", REFUSED, "0|64|128|256|512", NULL},
	{"--no-hpet", NOTED, "HPET", NULL},
	{"--vmware-tsc-map", NOTED, "pseudo-TSC", NULL},
	{"-v", SAME, NULL, version},
	{"-h", SAME, NULL, NULL},
	{"--help", SAME, NULL, NULL},
};

/* A fake machine with cpus 0-3 online, so results do not depend on the host. */
static int parse(const char *line, struct eal_cfg *cfg, const char **log, int *argc)
{
	static char buf[1024];
	static char *argv[64];
	cpu_set_t online;
	int ret;

	CPU_ZERO(&online);
	for (int i = 0; i < 4; i++)
		CPU_SET(i, &online);
	*argc = px_test_split(line, buf, sizeof(buf), argv, (int)PX_DIM(argv));
	px_test_log_capture_start();
	ret = eal_args_parse(cfg, *argc, argv, &online);
	*log = px_test_log_capture_stop();
	return ret;
}

static int notes_contain(const struct eal_cfg *cfg, const char *msg)
{
	for (unsigned int i = 0; i < cfg->notes.n; i++)
		if (strstr(cfg->notes.v[i], msg))
			return 1;
	return 0;
}

static int check_case(const struct opt_case *c, struct eal_cfg *cfg)
{
	const char *log;
	int argc, ret = parse(c->line, cfg, &log, &argc);

	if (c->outcome == REFUSED) {
		const char *nl = strchr(log, '\n');

		PX_TEST_ASSERT_EQ(ret, -EINVAL, "'%s' is refused", c->line);
		PX_TEST_ASSERT(nl && nl[1] == '\0' && strstr(log, "error"),
			       "'%s': one error line, got '%s'", c->line, log);
		PX_TEST_ASSERT(strstr(log, c->msg), "'%s': '%s' not in '%s'", c->line, c->msg, log);
		return PX_TEST_OK;
	}
	PX_TEST_ASSERT_EQ(ret, argc, "'%s' is accepted whole", c->line);
	PX_TEST_ASSERT(*log == '\0', "'%s': the parser logs nothing, got '%s'", c->line, log);
	if (c->outcome == NOTED)
		PX_TEST_ASSERT(cfg->notes.n == 1 && notes_contain(cfg, c->msg),
			       "'%s': one note containing '%s' (%u notes, first '%s')", c->line,
			       c->msg, cfg->notes.n, cfg->notes.n ? cfg->notes.v[0] : "");
	else
		PX_TEST_ASSERT_EQ(cfg->notes.n, 0, "'%s' has DPDK's meaning: no note ('%s')",
				  c->line, cfg->notes.n ? cfg->notes.v[0] : "");
	return c->effect ? c->effect(cfg) : PX_TEST_OK;
}

static int test_eal_options_table(void)
{
	struct eal_cfg *cfg = calloc(1, sizeof(*cfg));

	PX_TEST_ASSERT(cfg != NULL, "out of memory");
	for (size_t i = 0; i < PX_DIM(cases); i++) {
		int ret = check_case(&cases[i], cfg);

		if (cases[i].outcome != REFUSED)
			eal_cfg_free(cfg);
		if (ret != PX_TEST_OK) {
			free(cfg);
			return ret;
		}
	}
	free(cfg);
	return PX_TEST_OK;
}
PX_TEST(eal_options_autotest, PX_TEST_F_FAST, test_eal_options_table)

/* Every option DPDK 22.11's --help lists has a row above. */
static int test_eal_options_cover(void)
{
	static const char *const dpdk[] = {
		"-c",
		"-l",
		"--lcores",
		"-s",
		"-S",
		"--main-lcore",
		"--mbuf-pool-ops-name",
		"-n",
		"-m",
		"-r",
		"-b",
		"--block",
		"-a",
		"--allow",
		"--vdev",
		"--iova-mode",
		"-d",
		"--vmware-tsc-map",
		"--proc-type",
		"--syslog",
		"--log-level",
		"--trace",
		"--trace-dir",
		"--trace-bufsz",
		"--trace-mode",
		"-v",
		"-h",
		"--help",
		"--in-memory",
		"--base-virtaddr",
		"--telemetry",
		"--no-telemetry",
		"--force-max-simd-bitwidth",
		"--huge-unlink",
		"--no-huge",
		"--no-pci",
		"--no-hpet",
		"--no-shconf",
		"--socket-mem",
		"--socket-limit",
		"--huge-dir",
		"--file-prefix",
		"--create-uio-dev",
		"--vfio-intr",
		"--vfio-vf-token",
		"--legacy-mem",
		"--single-file-segments",
		"--match-allocations",
		"--huge-worker-stack",
	};

	for (size_t i = 0; i < PX_DIM(dpdk); i++) {
		size_t n = strlen(dpdk[i]);
		bool found = false;

		for (size_t j = 0; j < PX_DIM(cases) && !found; j++) {
			const char *w = cases[j].line;

			while ((w = strstr(w, dpdk[i])) != NULL && !found) {
				found = (w == cases[j].line || w[-1] == ' ') &&
					(w[n] == ' ' || w[n] == '=' || w[n] == '\0' ||
					 (n == 2 && w[n] != '-'));
				w += n;
			}
		}
		PX_TEST_ASSERT(found, "DPDK's %s has no row in the table", dpdk[i]);
	}
	return PX_TEST_OK;
}
PX_TEST(eal_options_cover_autotest, PX_TEST_F_FAST, test_eal_options_cover)

/* ---- what the options do in px_eal_init() ---- */

static cpu_set_t seen[PX_MAX_LCORE];

static int record_affinity(void *arg)
{
	(void)arg;
	return pthread_getaffinity_np(pthread_self(), sizeof(seen[0]), &seen[px_lcore_id()]);
}

/* The first two usable cpus (the second is the first when there is one). */
static int two_cpus(int *c0, int *c1)
{
	cpu_set_t usable;

	if (eal_cpus_usable(&usable) < 0 || CPU_COUNT(&usable) == 0)
		return -1;
	*c0 = *c1 = -1;
	for (int c = 0; c < CPU_SETSIZE && *c1 < 0; c++) {
		if (!CPU_ISSET(c, &usable))
			continue;
		if (*c0 < 0)
			*c0 = c;
		else
			*c1 = c;
	}
	if (*c1 < 0)
		*c1 = *c0;
	return 0;
}

static int init_quiet(const char *line)
{
	int ret;

	px_test_log_capture_start();
	ret = px_test_eal_init(line);
	px_test_log_capture_stop();
	return ret;
}

/* --lcores '(0,1)@c0,2@(c0,c1)' on real threads, and -S taking lcore 3 away. */
static int test_eal_options_lcores(void)
{
	char line[256];
	cpu_set_t one, both, main_now;
	int c0, c1, ret;

	if (two_cpus(&c0, &c1) < 0)
		PX_TEST_SKIP("no usable cpu");
	snprintf(line, sizeof(line),
		 "--no-huge --no-telemetry --lcores (0,1)@%d,2@(%d,%d),3@%d -S 3", c0, c0, c1, c1);
	ret = init_quiet(line);
	PX_TEST_ASSERT(ret > 0, "px_eal_init('%s'): %d", line, ret);
	PX_TEST_ASSERT_EQ(px_lcore_count(), 3, "lcores 0-2 (3 is a service lcore)");
	PX_TEST_ASSERT(!px_lcore_is_enabled(3), "service lcore 3 is not the application's");
	PX_TEST_ASSERT_EQ(px_get_main_lcore(), 0, "main lcore");
	PX_TEST_ASSERT_EQ(px_lcore_to_cpu_id(1), c0, "lcore 1 on c0");
	PX_TEST_ASSERT_EQ(px_lcore_to_cpu_id(2), PX_MIN(c0, c1), "lcore 2: first of its set");
	memset(seen, 0, sizeof(seen));
	ret = px_mp_remote_launch(record_affinity, NULL, 1);
	PX_TEST_ASSERT_EQ(ret, 0, "launch");
	PX_TEST_ASSERT_EQ(px_mp_wait_lcore(), 0, "every lcore read its affinity");
	CPU_ZERO(&one);
	CPU_SET(c0, &one);
	CPU_ZERO(&both);
	CPU_SET(c0, &both);
	CPU_SET(c1, &both);
	PX_TEST_ASSERT(CPU_EQUAL(&seen[0], &one), "main thread pinned to cpu %d", c0);
	PX_TEST_ASSERT(CPU_EQUAL(&seen[1], &one), "lcore 1 shares cpu %d", c0);
	PX_TEST_ASSERT(CPU_EQUAL(&seen[2], &both), "lcore 2 runs on cpus {%d,%d} (%d cpus)", c0, c1,
		       CPU_COUNT(&seen[2]));
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	pthread_getaffinity_np(pthread_self(), sizeof(main_now), &main_now);
	PX_TEST_ASSERT(CPU_COUNT(&main_now) >= CPU_COUNT(&both), "main thread's cpus given back");
	return PX_TEST_OK;
}
PX_TEST(eal_options_lcores_autotest, PX_TEST_F_FAST, test_eal_options_lcores)

/* --log-level's forms, applied at init; the notes and -v logged at init unless silenced. */
static int test_eal_options_log(void)
{
	int eal = px_log_lookup("eal"), mem = px_log_lookup("eal.mem");
	const char *out;
	int ret;

	PX_TEST_ASSERT(eal >= 0 && mem >= 0, "components");
	ret = init_quiet("--no-huge --no-telemetry -l 0 --log-level=crit --log-level ^eal$,debug");
	PX_TEST_ASSERT_EQ(ret, 7, "init");
	PX_TEST_ASSERT_EQ(px_log_get_level(eal), PX_LOG_DEBUG, "regex ^eal$ sets eal");
	PX_TEST_ASSERT_EQ(px_log_get_level(mem), PX_LOG_CRIT, "and not eal.mem ('crit' prefix)");
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");

	px_test_log_capture_start();
	ret = px_test_eal_init(
		"--no-huge --no-telemetry -l 0 --log-level notice --in-memory -n 4 -v");
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(ret, 10, "init");
	PX_TEST_ASSERT(strstr(out, "eal: --in-memory: Pollux always runs in memory"),
		       "note logged: '%s'", out);
	PX_TEST_ASSERT(strstr(out, "eal: -n 4: Pollux's mempools"), "note logged: '%s'", out);
	PX_TEST_ASSERT(strstr(out, "eal: Pollux version " PX_VERSION_STR "\n"), "-v: '%s'", out);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");

	px_test_log_capture_start();
	ret = px_test_eal_init("--no-huge --no-telemetry -l 0 --log-level eal:warning --in-memory");
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(ret, 7, "init");
	PX_TEST_ASSERT(strstr(out, "in memory") == NULL, "eal:warning silences notes: '%s'", out);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	px_log_set_global_level(PX_LOG_DEFAULT);
	return PX_TEST_OK;
}
PX_TEST(eal_options_log_autotest, PX_TEST_F_FAST, test_eal_options_log)

/* Refusals and --log-level=help leave nothing initialised. */
static int test_eal_options_refused(void)
{
	const char *out;
	int ret;

	px_test_log_capture_start();
	ret = px_test_eal_init("--no-huge -l 0 --proc-type=secondary");
	out = px_test_log_capture_stop();
	PX_TEST_ASSERT_EQ(ret, -EINVAL, "secondary is refused");
	PX_TEST_ASSERT(strstr(out, "dpdk-telemetry.py") && strstr(out, "px-dumpcap"),
		       "names the tools: '%s'", out);
	PX_TEST_ASSERT(!px_eal_initialized(), "nothing initialised");
	ret = px_test_eal_init("--no-huge -l 0 --log-level=help");
	PX_TEST_ASSERT_EQ(ret, -ECANCELED, "--log-level=help: printed, then stop as --help");
	PX_TEST_ASSERT(!px_eal_initialized(), "nothing initialised");
	return PX_TEST_OK;
}
PX_TEST(eal_options_refused_autotest, PX_TEST_F_FAST, test_eal_options_refused)

/* --base-virtaddr places the memory; --socket-limit caps what the heap may grow to. */
static int test_eal_options_memory(void)
{
	const uintptr_t base = 0x200000000000ull; /* above ASan's shadow memory, below 2^47 */
	void *small, *big;
	int ret;

	ret = init_quiet(
		"--no-huge --no-telemetry -l 0 --base-virtaddr 0x200000000000 --socket-limit 4");
	PX_TEST_ASSERT_EQ(ret, 8, "init");
	small = px_malloc("test", 1 << 20, 0);
	PX_TEST_ASSERT(small != NULL, "1 MiB fits in 4 MiB");
	/* the arena is at least 64 GiB (docs/memory.md): the block is in it */
	PX_TEST_ASSERT((uintptr_t)small >= base && (uintptr_t)small < base + (64ull << 30),
		       "memory at %p, where --base-virtaddr asked (%#lx)", small,
		       (unsigned long)base);
	px_test_log_capture_start();
	big = px_malloc("test", 8 << 20, 0);
	px_test_log_capture_stop();
	PX_TEST_ASSERT(big == NULL, "8 MiB is beyond --socket-limit 4");
	px_free(small);
	PX_TEST_ASSERT_EQ(px_eal_cleanup(), 0, "cleanup");
	return PX_TEST_OK;
}
PX_TEST(eal_options_memory_autotest, PX_TEST_F_FAST, test_eal_options_memory)

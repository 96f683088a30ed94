/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line options of px_eal_init(), DPDK-compatible.
 *
 * The parser fills a struct eal_cfg and has no other effect, so it can be run on any command
 * line (the tests and the fuzzer do). Every error is one line that names the offending token and
 * the expected form.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"

enum opt_id {
	OPT_LCORES,
	OPT_COREMASK,
	OPT_MAIN_LCORE,
	OPT_ALLOW,
	OPT_BLOCK,
	OPT_VDEV,
	OPT_MEM,
	OPT_SOCKET_MEM,
	OPT_HUGE_DIR,
	OPT_NO_HUGE,
	OPT_IOVA_MODE,
	OPT_LOG_LEVEL,
	OPT_FILE_PREFIX,
	OPT_NO_PCI,
	OPT_CHANNELS,
	OPT_HELP,
};

struct eal_opt {
	const char *name; /* long name, without "--" */
	char short_name;  /* 0 when none */
	bool has_arg;
	enum opt_id id;
	const char *form; /* expected form, for messages and usage */
	const char *help;
};

static const struct eal_opt eal_opts[] = {
	{"lcores", 'l', true, OPT_LCORES, "CORES",
	 "cores to run on: a list of cores and ranges, e.g. 0-3,5 (lcore@cpu also accepted)"},
	{NULL, 'c', true, OPT_COREMASK, "HEXMASK", "cores as a hexadecimal bit mask, e.g. 0x3"},
	{"main-lcore", 0, true, OPT_MAIN_LCORE, "ID",
	 "lcore that runs main() (default: the first)"},
	{"allow", 'a', true, OPT_ALLOW, "DOMAIN:BUS:DEV.FN[,key=value...]",
	 "probe only these PCI devices (repeatable)"},
	{"block", 'b', true, OPT_BLOCK, "DOMAIN:BUS:DEV.FN",
	 "never probe this PCI device (repeatable)"},
	{"vdev", 0, true, OPT_VDEV, "net_DRIVER<N>[,key=value...]",
	 "create a virtual device (repeatable)"},
	{NULL, 'm', true, OPT_MEM, "MB",
	 "memory to reserve at start-up, in MiB (or with a K/M/G suffix)"},
	{"socket-mem", 0, true, OPT_SOCKET_MEM, "MB[,MB...]",
	 "memory to reserve per NUMA socket, in MiB"},
	{"huge-dir", 0, true, OPT_HUGE_DIR, "DIR",
	 "back hugepages with files in this hugetlbfs mount"},
	{"no-huge", 0, false, OPT_NO_HUGE, NULL, "use ordinary memory (tests only: no DMA)"},
	{"iova-mode", 0, true, OPT_IOVA_MODE, "va|pa", "how device addresses are chosen"},
	{"log-level", 0, true, OPT_LOG_LEVEL, "LEVEL or PATTERN:LEVEL",
	 "log level, global or per component (globs: pmd.net.*:debug)"},
	{"file-prefix", 0, true, OPT_FILE_PREFIX, "NAME",
	 "prefix of this process's hugepage files"},
	{"no-pci", 0, false, OPT_NO_PCI, NULL, "do not scan the PCI bus"},
	{NULL, 'n', true, OPT_CHANNELS, "N",
	 "memory channels (accepted for DPDK compatibility; unused)"},
	{"help", 'h', false, OPT_HELP, NULL, "print this help"},
};

#define ARG_ERR(tok, form, why) \
	EAL_LOG(ERR, "invalid argument '%s': %s; expected %s", (tok), (why), (form))

void px_eal_usage(FILE *f)
{
	fprintf(f, "Pollux EAL options:\n");
	for (size_t i = 0; i < PX_DIM(eal_opts); i++) {
		const struct eal_opt *o = &eal_opts[i];
		char left[64];
		int n = 0;

		if (o->short_name && o->name)
			n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->name);
		else if (o->short_name)
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		else
			n = snprintf(left, sizeof(left), "--%s", o->name);
		if (o->form && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - n, " %s", o->form);
		fprintf(f, "  %-34s %s\n", left, o->help);
	}
	fprintf(f, "Application options follow `--`.\n");
}

static int strlist_add(struct eal_strlist *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (v == NULL)
		return -ENOMEM;
	l->v = v;
	l->v[l->n] = strdup(s);
	if (l->v[l->n] == NULL)
		return -ENOMEM;
	l->n++;
	return 0;
}

static void strlist_free(struct eal_strlist *l)
{
	for (unsigned int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void eal_cfg_free(struct eal_cfg *cfg)
{
	strlist_free(&cfg->allow);
	strlist_free(&cfg->block);
	strlist_free(&cfg->vdevs);
	strlist_free(&cfg->log_levels);
	free(cfg->huge_dir);
	free(cfg->file_prefix);
	cfg->huge_dir = NULL;
	cfg->file_prefix = NULL;
}

/* Parse a decimal unsigned number < @max at *s; advances *s. */
static int parse_uint(const char **s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= max)
			return -ERANGE;
		p++;
	}
	*s = p;
	*out = v;
	return 0;
}

int eal_parse_corelist(const char *s, cpu_set_t *set)
{
	const char *p = s;

	CPU_ZERO(set);
	if (*p == '\0')
		return -EINVAL;
	for (;;) {
		unsigned long lo, hi;

		if (parse_uint(&p, CPU_SETSIZE, &lo) < 0)
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_uint(&p, CPU_SETSIZE, &hi) < 0 || hi < lo)
				return -EINVAL;
		}
		for (unsigned long c = lo; c <= hi; c++) {
			if (CPU_ISSET(c, set))
				return -EEXIST;
			CPU_SET(c, set);
		}
		if (*p == '\0')
			return 0;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
}

int eal_parse_size_mb(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, unit = 1ull << 20;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		p++;
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		unit = 1ull << 10;
		p++;
		break;
	case 'm':
	case 'M':
		unit = 1ull << 20;
		p++;
		break;
	case 'g':
	case 'G':
		unit = 1ull << 30;
		p++;
		break;
	default:
		return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	if (v > UINT64_MAX / unit)
		return -ERANGE;
	*bytes = v * unit;
	return 0;
}

static int parse_hex(const char **s, unsigned int digits_max, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	unsigned int n = 0;
	const char *p = *s;

	while (isxdigit((unsigned char)*p)) {
		if (++n > digits_max)
			return -EINVAL;
		v = v * 16 + (unsigned long)(isdigit((unsigned char)*p)
						     ? *p - '0'
						     : (tolower((unsigned char)*p) - 'a' + 10));
		p++;
	}
	if (n == 0 || v > max)
		return -EINVAL;
	*s = p;
	*out = v;
	return 0;
}

int eal_parse_pci_addr(const char *s, uint32_t *domain, uint8_t *bus, uint8_t *dev, uint8_t *fn)
{
	unsigned long a, b, d, f, dom = 0;
	const char *p = s;

	if (parse_hex(&p, 8, UINT32_MAX, &a) < 0 || *p++ != ':')
		return -EINVAL;
	if (parse_hex(&p, 2, 0xff, &b) < 0)
		return -EINVAL;
	if (*p == ':') { /* DOMAIN:BUS:DEV.FN */
		p++;
		dom = a;
		a = b;
		if (parse_hex(&p, 2, 0x1f, &b) < 0)
			return -EINVAL;
	} else if (b > 0x1f) {
		return -EINVAL;
	}
	/* now a = bus, b = device */
	if (*p++ != '.' || parse_hex(&p, 1, 7, &f) < 0 || a > 0xff)
		return -EINVAL;
	if (*p != '\0' && *p != ',')
		return -EINVAL;
	d = b;
	if (domain)
		*domain = (uint32_t)dom;
	if (bus)
		*bus = (uint8_t)a;
	if (dev)
		*dev = (uint8_t)d;
	if (fn)
		*fn = (uint8_t)f;
	return 0;
}

static int lcores_from_set(struct eal_cfg *cfg, const cpu_set_t *set, const cpu_set_t *online,
			   const char *tok, const char *form)
{
	memset(cfg->lcore, 0, sizeof(cfg->lcore));
	cfg->lcore_count = 0;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, set))
			continue;
		if (c >= PX_MAX_LCORE) {
			EAL_LOG(ERR,
				"invalid argument '%s': core %d is beyond PX_MAX_LCORE (%d); expected %s",
				tok, c, PX_MAX_LCORE, form);
			return -EINVAL;
		}
		if (!CPU_ISSET(c, online)) {
			EAL_LOG(ERR,
				"invalid argument '%s': core %d is not online or not in this process's CPU affinity; expected %s of usable cores (see /sys/devices/system/cpu/online and taskset -p $$)",
				tok, c, form);
			return -EINVAL;
		}
		cfg->lcore[c].enabled = true;
		cfg->lcore[c].cpu = c;
		cfg->lcore_count++;
	}
	if (cfg->lcore_count == 0) {
		ARG_ERR(tok, form, "no core selected");
		return -EINVAL;
	}
	cfg->lcores_set = true;
	return 0;
}

/* --lcores also takes DPDK's "lcore@cpu" form for single cores: 0@2,1@3. */
static int parse_lcore_at_cpu(struct eal_cfg *cfg, const char *tok, const cpu_set_t *online)
{
	const char *form = "a list such as 0@2,1@3 (lcore@cpu)";
	const char *p = tok;
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	memset(cfg->lcore, 0, sizeof(cfg->lcore));
	cfg->lcore_count = 0;
	for (;;) {
		unsigned long l, c;

		if (parse_uint(&p, PX_MAX_LCORE, &l) < 0 || *p++ != '@' ||
		    parse_uint(&p, CPU_SETSIZE, &c) < 0 || (*p != ',' && *p != '\0')) {
			ARG_ERR(tok, form, "malformed lcore@cpu list");
			return -EINVAL;
		}
		if (cfg->lcore[l].enabled || CPU_ISSET(c, &cpus)) {
			ARG_ERR(tok, form, "an lcore or cpu appears twice");
			return -EINVAL;
		}
		if (!CPU_ISSET(c, online)) {
			EAL_LOG(ERR, "invalid argument '%s': cpu %lu is not online; expected %s",
				tok, c, form);
			return -EINVAL;
		}
		CPU_SET(c, &cpus);
		cfg->lcore[l] = (struct eal_lcore_cfg){.enabled = true, .cpu = (int)c};
		cfg->lcore_count++;
		if (*p == '\0')
			break;
		p++;
	}
	cfg->lcores_set = true;
	return 0;
}

static int opt_lcores(struct eal_cfg *cfg, const char *val, const cpu_set_t *online,
		      const struct eal_opt *o)
{
	const char *form = "a list of cores and ranges such as 0-3,5";
	cpu_set_t set;
	int ret;

	if (cfg->lcores_set) {
		ARG_ERR(val, form, "cores were already given by -l, --lcores or -c");
		return -EINVAL;
	}
	if (o->id == OPT_LCORES && strchr(val, '@'))
		return parse_lcore_at_cpu(cfg, val, online);
	ret = eal_parse_corelist(val, &set);
	if (ret == -EEXIST) {
		ARG_ERR(val, form, "a core is listed twice");
		return -EINVAL;
	}
	if (ret < 0) {
		ARG_ERR(val, form, *val ? "malformed core list" : "empty core list");
		return -EINVAL;
	}
	return lcores_from_set(cfg, &set, online, val, form);
}

static int opt_coremask(struct eal_cfg *cfg, const char *val, const cpu_set_t *online)
{
	const char *form = "a hexadecimal core mask such as 0x3";
	const char *p = val;
	size_t len;
	cpu_set_t set;

	if (cfg->lcores_set) {
		ARG_ERR(val, form, "cores were already given by -l, --lcores or -c");
		return -EINVAL;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	len = strlen(p);
	if (len == 0) {
		ARG_ERR(val, form, "empty mask");
		return -EINVAL;
	}
	CPU_ZERO(&set);
	for (size_t i = 0; i < len; i++) {
		char ch = p[len - 1 - i];
		int v;

		if (!isxdigit((unsigned char)ch)) {
			ARG_ERR(val, form, "not a hexadecimal number");
			return -EINVAL;
		}
		v = isdigit((unsigned char)ch) ? ch - '0' : tolower((unsigned char)ch) - 'a' + 10;
		for (int b = 0; b < 4; b++) {
			if (!(v & (1 << b)))
				continue;
			if (i * 4 + b >= CPU_SETSIZE) {
				ARG_ERR(val, form, "mask too wide");
				return -EINVAL;
			}
			CPU_SET(i * 4 + b, &set);
		}
	}
	return lcores_from_set(cfg, &set, online, val, form);
}

static int opt_socket_mem(struct eal_cfg *cfg, const char *val)
{
	const char *form = "MiB per socket, comma separated, such as 1024,1024";
	char buf[256], *save = NULL, *tok;
	unsigned int n = 0;

	if (strlen(val) >= sizeof(buf) || *val == '\0') {
		ARG_ERR(val, form, *val ? "too long" : "empty");
		return -EINVAL;
	}
	strcpy(buf, val);
	if (buf[strlen(buf) - 1] == ',' || strstr(buf, ",,") || buf[0] == ',') {
		ARG_ERR(val, form, "empty field");
		return -EINVAL;
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int ret;

		if (n == PX_MAX_NUMA_NODES) {
			ARG_ERR(val, form, "more sockets than PX_MAX_NUMA_NODES");
			return -EINVAL;
		}
		ret = eal_parse_size_mb(tok, &cfg->socket_mem[n]);
		if (ret < 0) {
			ARG_ERR(tok, form, ret == -ERANGE ? "size overflows" : "not a size");
			return -EINVAL;
		}
		n++;
	}
	cfg->socket_mem_n = n;
	return 0;
}

static int opt_log_level(struct eal_cfg *cfg, const char *val)
{
	const char *form = "a level (emerg..debug or 1-8) or PATTERN:LEVEL such as pmd.net.*:debug";
	const char *colon = strrchr(val, ':');
	const char *lvl = colon ? colon + 1 : val;

	if (colon == val) {
		ARG_ERR(val, form, "empty component pattern");
		return -EINVAL;
	}
	if (px_log_parse_level(lvl) < 0) {
		ARG_ERR(val, form, "unknown level");
		return -EINVAL;
	}
	return strlist_add(&cfg->log_levels, val);
}

static int opt_pci(struct eal_cfg *cfg, const char *val, enum opt_id id, const char *form)
{
	struct eal_strlist *l = id == OPT_ALLOW ? &cfg->allow : &cfg->block;

	if (eal_parse_pci_addr(val, NULL, NULL, NULL, NULL) < 0 ||
	    (id == OPT_BLOCK && strchr(val, ','))) {
		ARG_ERR(val, form, "not a PCI address");
		return -EINVAL;
	}
	if ((id == OPT_ALLOW && cfg->block.n) || (id == OPT_BLOCK && cfg->allow.n)) {
		ARG_ERR(val, "either -a or -b options", "-a and -b cannot be combined");
		return -EINVAL;
	}
	return strlist_add(l, val);
}

static int opt_vdev(struct eal_cfg *cfg, const char *val, const char *form)
{
	const char *p = val;

	/* name: letters, digits and '_', then optional ",args" */
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == val || (*p != '\0' && *p != ',')) {
		ARG_ERR(val, form, "not a device name");
		return -EINVAL;
	}
	return strlist_add(&cfg->vdevs, val);
}

static int opt_string(char **dst, const char *val, const char *form, bool path)
{
	if (*val == '\0' || (!path && strchr(val, '/'))) {
		ARG_ERR(val, form, *val ? "must not contain '/'" : "empty");
		return -EINVAL;
	}
	free(*dst);
	*dst = strdup(val);
	return *dst ? 0 : -ENOMEM;
}

static int opt_uint(const char *val, unsigned long max, unsigned long *out, const char *form)
{
	const char *p = val;
	int ret = parse_uint(&p, max, out);

	if (ret < 0 || *p != '\0') {
		ARG_ERR(val, form, ret == -ERANGE ? "out of range" : "not a number");
		return -EINVAL;
	}
	return 0;
}

static int apply_opt(struct eal_cfg *cfg, const struct eal_opt *o, const char *val,
		     const cpu_set_t *online)
{
	unsigned long u;
	int ret;

	switch (o->id) {
	case OPT_LCORES:
		return opt_lcores(cfg, val, online, o);
	case OPT_COREMASK:
		return opt_coremask(cfg, val, online);
	case OPT_MAIN_LCORE:
		if (opt_uint(val, PX_MAX_LCORE, &u, "an lcore id below PX_MAX_LCORE") < 0)
			return -EINVAL;
		cfg->main_lcore = (unsigned int)u;
		cfg->main_set = true;
		return 0;
	case OPT_ALLOW:
	case OPT_BLOCK:
		return opt_pci(cfg, val, o->id, o->form);
	case OPT_VDEV:
		return opt_vdev(cfg, val, o->form);
	case OPT_MEM:
		ret = eal_parse_size_mb(val, &cfg->mem_bytes);
		if (ret < 0)
			ARG_ERR(val, "a size in MiB such as 1024, or with a K/M/G suffix",
				ret == -ERANGE ? "size overflows" : "not a size");
		return ret < 0 ? -EINVAL : 0;
	case OPT_SOCKET_MEM:
		return opt_socket_mem(cfg, val);
	case OPT_HUGE_DIR:
		return opt_string(&cfg->huge_dir, val, "a hugetlbfs mount point", true);
	case OPT_FILE_PREFIX:
		return opt_string(&cfg->file_prefix, val, "a name without '/'", false);
	case OPT_NO_HUGE:
		cfg->no_huge = true;
		return 0;
	case OPT_NO_PCI:
		cfg->no_pci = true;
		return 0;
	case OPT_IOVA_MODE:
		if (strcmp(val, "va") && strcmp(val, "pa")) {
			ARG_ERR(val, "va or pa", "unknown IOVA mode");
			return -EINVAL;
		}
		cfg->iova_mode = val[0] == 'v' ? PX_IOVA_VA : PX_IOVA_PA;
		return 0;
	case OPT_LOG_LEVEL:
		return opt_log_level(cfg, val);
	case OPT_CHANNELS:
		return opt_uint(val, 64, &u, "a number of memory channels (1-63)");
	case OPT_HELP:
		cfg->help = true;
		return 0;
	}
	return -EINVAL;
}

/* Find the option that @arg names; *val gets an attached value ("--x=v", "-lv") or NULL. */
static const struct eal_opt *find_opt(const char *arg, const char **val)
{
	*val = NULL;
	for (size_t i = 0; i < PX_DIM(eal_opts); i++) {
		const struct eal_opt *o = &eal_opts[i];

		if (arg[1] == '-' && o->name) {
			size_t n = strlen(o->name);

			if (strncmp(arg + 2, o->name, n) != 0)
				continue;
			if (arg[2 + n] == '\0')
				return o;
			if (arg[2 + n] == '=' && o->has_arg) {
				*val = arg + 3 + n;
				return o;
			}
		} else if (arg[1] != '-' && o->short_name && arg[1] == o->short_name) {
			if (arg[2] == '\0')
				return o;
			if (o->has_arg) {
				*val = arg + 2;
				return o;
			}
		}
	}
	return NULL;
}

static int check_cfg(struct eal_cfg *cfg)
{
	if (cfg->mem_bytes && cfg->socket_mem_n) {
		EAL_LOG(ERR,
			"invalid arguments: -m and --socket-mem cannot be combined; expected one of them");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->socket_mem_n) {
		EAL_LOG(ERR,
			"invalid arguments: --socket-mem needs hugepages but --no-huge was given; expected -m with --no-huge");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->huge_dir) {
		EAL_LOG(ERR, "invalid arguments: --huge-dir and --no-huge cannot be combined");
		return -EINVAL;
	}
	if (cfg->main_set && !cfg->lcore[cfg->main_lcore].enabled) {
		EAL_LOG(ERR,
			"invalid argument '--main-lcore %u': lcore %u is not in the core list; expected one of the cores given by -l",
			cfg->main_lcore, cfg->main_lcore);
		return -EINVAL;
	}
	if (!cfg->main_set) {
		for (unsigned int i = 0; i < PX_MAX_LCORE; i++) {
			if (cfg->lcore[i].enabled) {
				cfg->main_lcore = i;
				break;
			}
		}
	}
	return 0;
}

/* Without -l/-c, every usable CPU is an lcore with the same id (as in DPDK). */
static void default_lcores(struct eal_cfg *cfg, const cpu_set_t *online)
{
	for (int c = 0; c < CPU_SETSIZE && c < PX_MAX_LCORE; c++) {
		if (!CPU_ISSET(c, online))
			continue;
		cfg->lcore[c].enabled = true;
		cfg->lcore[c].cpu = c;
		cfg->lcore_count++;
	}
}

static int parse_one(struct eal_cfg *cfg, int argc, char **argv, int *i, const cpu_set_t *online)
{
	const char *arg = argv[*i], *val;
	const struct eal_opt *o = find_opt(arg, &val);

	if (o == NULL) {
		EAL_LOG(ERR,
			"unknown option '%s'; expected an EAL option (see --help), or `--` before the application's options",
			arg);
		return -EINVAL;
	}
	if (o->has_arg && val == NULL) {
		if (*i + 1 >= argc) {
			EAL_LOG(ERR, "option '%s' needs a value; expected %s %s", arg, arg,
				o->form);
			return -EINVAL;
		}
		val = argv[++*i];
	}
	return apply_opt(cfg, o, val, online);
}

int eal_args_parse(struct eal_cfg *cfg, int argc, char **argv, const cpu_set_t *online)
{
	int i, ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg == NULL)
			break;
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		ret = parse_one(cfg, argc, argv, &i, online);
		if (ret < 0)
			goto fail;
	}
	if (!cfg->lcores_set)
		default_lcores(cfg, online);
	if (cfg->lcore_count == 0) {
		EAL_LOG(ERR,
			"no usable core: the process's CPU affinity mask and the online CPUs do not intersect");
		ret = -EINVAL;
		goto fail;
	}
	ret = check_cfg(cfg);
	if (ret < 0)
		goto fail;
	return i;
fail:
	eal_cfg_free(cfg);
	return ret == -ENOMEM ? -ENOMEM : -EINVAL;
}

static int read_online(cpu_set_t *set)
{
	char buf[1024];
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int ret = -ENOENT;

	if (f == NULL)
		return -errno;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = eal_parse_corelist(buf, set);
	}
	fclose(f);
	return ret;
}

int eal_cpus_usable(cpu_set_t *set)
{
	cpu_set_t online, affinity;

	if (sched_getaffinity(0, sizeof(affinity), &affinity) < 0)
		return -errno;
	if (read_online(&online) < 0) {
		*set = affinity; /* no sysfs (e.g. a minimal container): trust the affinity mask */
		return 0;
	}
	CPU_AND(set, &online, &affinity);
	return 0;
}

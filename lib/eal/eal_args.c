/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line options of px_eal_init(): every option of DPDK 22.11's EAL.
 *
 * Each option is one line of eal_opts[] (name, argument, handler, form, help) and means one of
 * three things (docs/from-dpdk.md lists them):
 *  - what it means in DPDK (-l, --lcores, -a, -m, --log-level, ...);
 *  - nothing, because it cannot apply to Pollux (--huge-unlink: memory is memfd-backed): it is
 *    accepted, its value is still checked as DPDK checks it, and one line (a "note", logged by
 *    px_eal_init()) says why it does nothing;
 *  - an error naming what to use instead (--proc-type=secondary).
 *
 * The parser fills a struct eal_cfg and has no other effect, so it can be run on any command
 * line (the tests and the fuzzer do). Every error is one line that names the offending token and
 * the expected form.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "eal_private.h"

#define ARG_ERR(tok, form, why) \
	EAL_LOG(ERR, "invalid argument '%s': %s; expected %s", (tok), (why), (form))

enum opt_arg {
	ARG_NONE,
	ARG_REQUIRED,
	ARG_OPTIONAL, /* only as --name=value, as getopt_long reads it */
};

struct eal_opt;
/* One occurrence of option @o with value @val (NULL when none): 0, or -errno after one line. */
typedef int (*opt_parse_t)(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			   const cpu_set_t *online);
/* Check a value as DPDK would: 0, or -EINVAL after one line. @label is "--name" or "-c". */
typedef int (*opt_check_t)(const char *val, const struct eal_opt *o, const char *label);

struct eal_opt {
	const char *name; /* long name, without "--"; NULL when none */
	char short_name;  /* 0 when none */
	enum opt_arg arg;
	opt_parse_t parse;
	opt_check_t check; /* for opt_note: the value check before the note */
	const char *form;  /* expected form, for messages and usage */
	const char *help;
	const char *why; /* for opt_note and opt_refuse: what Pollux does instead */
	size_t flag;     /* for opt_flag: offsetof() the bool it sets in struct eal_cfg */
};

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
	strlist_free(&cfg->notes);
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

/* A CPU or a range of CPUs at *s, "N" or "N-M" with N <= M < CPU_SETSIZE; advances *s. */
static int parse_cpu_range(const char **s, unsigned long *lo, unsigned long *hi)
{
	if (parse_uint(s, CPU_SETSIZE, lo) < 0)
		return -EINVAL;
	*hi = *lo;
	if (**s == '-') {
		(*s)++;
		if (parse_uint(s, CPU_SETSIZE, hi) < 0 || *hi < *lo)
			return -EINVAL;
	}
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

		if (parse_cpu_range(&p, &lo, &hi) < 0)
			return -EINVAL;
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

/* ---- notes: one line per accepted option that does nothing here ---- */

static int note(struct eal_cfg *cfg, const char *fmt, ...) __px_format_printf(2, 3);

static int note(struct eal_cfg *cfg, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (unsigned int i = 0; i < cfg->notes.n; i++)
		if (strcmp(cfg->notes.v[i], line) == 0)
			return 0; /* the same option given twice says so once */
	return strlist_add(&cfg->notes, line);
}

/* "0-2,5" for the members of @set below @max, into @buf. */
static const char *set_str(const cpu_set_t *set, int max, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int c = 0; c < max && n < len; c++) {
		int e = c;

		if (!CPU_ISSET(c, set))
			continue;
		while (e + 1 < max && CPU_ISSET(e + 1, set))
			e++;
		n += (size_t)snprintf(buf + n, len - n, e > c ? "%s%d-%d" : "%s%d", n ? "," : "", c,
				      e);
		c = e;
	}
	return buf;
}

/* ---- lcores: -l, -c, --lcores, --main-lcore, -s, -S ---- */

/* Make lcore @l run on @cpus, every one of which must be usable. */
static int lcore_pin(struct eal_cfg *cfg, int l, const cpu_set_t *cpus, const cpu_set_t *online,
		     const char *tok, const char *form)
{
	int first = -1;

	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, cpus))
			continue;
		if (!CPU_ISSET(c, online)) {
			EAL_LOG(ERR,
				"invalid argument '%s': cpu %d is not online or not in this process's CPU affinity; expected %s of usable cores (see /sys/devices/system/cpu/online and taskset -p $$)",
				tok, c, form);
			return -EINVAL;
		}
		if (first < 0)
			first = c;
	}
	cfg->lcore[l].enabled = true;
	cfg->lcore[l].cpu = first;
	cfg->lcore[l].cpus = *cpus;
	cfg->lcore_count++;
	return 0;
}

static void lcores_reset(struct eal_cfg *cfg)
{
	memset(cfg->lcore, 0, sizeof(cfg->lcore));
	cfg->lcore_count = 0;
}

/* -l 0-3 and -c 0xf: lcore N on cpu N. */
static int lcores_from_set(struct eal_cfg *cfg, const cpu_set_t *set, const cpu_set_t *online,
			   const char *tok, const char *form)
{
	lcores_reset(cfg);
	for (int c = 0; c < CPU_SETSIZE; c++) {
		cpu_set_t one;

		if (!CPU_ISSET(c, set))
			continue;
		if (c >= PX_MAX_LCORE) {
			EAL_LOG(ERR,
				"invalid argument '%s': core %d is beyond PX_MAX_LCORE (%d); expected %s, or --lcores 0@%d to run lcore 0 on it",
				tok, c, PX_MAX_LCORE, form, c);
			return -EINVAL;
		}
		if (!CPU_ISSET(c, online)) {
			EAL_LOG(ERR,
				"invalid argument '%s': core %d is not online or not in this process's CPU affinity; expected %s of usable cores (see /sys/devices/system/cpu/online and taskset -p $$)",
				tok, c, form);
			return -EINVAL;
		}
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		lcore_pin(cfg, c, &one, online, tok, form);
	}
	if (cfg->lcore_count == 0) {
		ARG_ERR(tok, form, "no core selected");
		return -EINVAL;
	}
	cfg->lcores_set = true;
	return 0;
}

/* One element of --lcores at *s: N, N-M or a group (N,N-M,...); *group tells which. */
static int lcore_elem(const char **s, cpu_set_t *set, bool *group)
{
	const char *p = *s;

	CPU_ZERO(set);
	*group = *p == '(';
	if (*group)
		p++;
	for (;;) {
		unsigned long lo, hi;

		if (parse_cpu_range(&p, &lo, &hi) < 0)
			return -EINVAL;
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET(c, set);
		if (!*group || *p != ',')
			break;
		p++;
	}
	if (*group && *p++ != ')')
		return -EINVAL;
	*s = p;
	return 0;
}

/*
 * DPDK's lcore map: items "lcores[@cpus]" separated by ','. Each side is N, N-M or a group
 * "(N,N-M,...)". Every lcore of an item runs on the item's cpus: all of them may share one CPU and
 * one lcore may float over several ('(0,1)@0,2@(1,2)'). Without '@' a group runs on itself
 * ('(0,1)': lcores 0 and 1 on cpus {0,1}) and N or N-M pins lcore N to cpu N.
 */
static int lcore_map(struct eal_cfg *cfg, const char *tok, const cpu_set_t *online)
{
	const char *form = "lcores[@cpus] items such as 0-1,2@3,(4,5)@(0,6-7)";
	const char *p = tok;

	lcores_reset(cfg);
	for (;;) {
		cpu_set_t lset, cset, one;
		bool lgroup, cgroup, at;

		if (lcore_elem(&p, &lset, &lgroup) < 0)
			goto malformed;
		at = *p == '@';
		if (at && (p++, lcore_elem(&p, &cset, &cgroup) < 0))
			goto malformed;
		if (*p != ',' && *p != '\0')
			goto malformed;
		for (int l = 0; l < CPU_SETSIZE; l++) {
			if (!CPU_ISSET(l, &lset))
				continue;
			if (l >= PX_MAX_LCORE) {
				EAL_LOG(ERR,
					"invalid argument '%s': lcore %d is beyond PX_MAX_LCORE (%d); expected lcore ids below it (map high cpus with lcore@cpu)",
					tok, l, PX_MAX_LCORE);
				return -EINVAL;
			}
			if (cfg->lcore[l].enabled) {
				EAL_LOG(ERR,
					"invalid argument '%s': lcore %d appears twice; expected %s",
					tok, l, form);
				return -EINVAL;
			}
			CPU_ZERO(&one);
			CPU_SET(l, &one);
			if (lcore_pin(cfg, l,
				      at       ? &cset
				      : lgroup ? &lset
					       : &one,
				      online, tok, form))
				return -EINVAL;
		}
		if (*p++ == '\0')
			break;
	}
	cfg->lcores_set = true;
	return 0;
malformed:
	ARG_ERR(tok, form, "malformed lcore map");
	return -EINVAL;
}

static int cores_given(struct eal_cfg *cfg, const char *val, const char *form)
{
	if (!cfg->lcores_set)
		return 0;
	ARG_ERR(val, form, "cores were already given by -l, --lcores or -c");
	return -EINVAL;
}

static int opt_lcores(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		      const cpu_set_t *online)
{
	const char *form = "a list of cores and ranges such as 0-3,5";
	cpu_set_t set;
	int ret;

	(void)o;
	if (cores_given(cfg, val, form))
		return -EINVAL;
	if (strpbrk(val, "@()"))
		return lcore_map(cfg, val, online);
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

/* A hexadecimal mask "0x5" into @set; 0 or -EINVAL after logging. */
static int parse_mask(const char *val, cpu_set_t *set, const char *form)
{
	const char *p = val;
	size_t len;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	len = strlen(p);
	if (len == 0) {
		ARG_ERR(val, form, "empty mask");
		return -EINVAL;
	}
	CPU_ZERO(set);
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
			CPU_SET(i * 4 + b, set);
		}
	}
	return 0;
}

static int opt_coremask(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			const cpu_set_t *online)
{
	const char *form = "a hexadecimal core mask such as 0x3";
	cpu_set_t set;

	(void)o;
	if (cores_given(cfg, val, form) || parse_mask(val, &set, form))
		return -EINVAL;
	return lcores_from_set(cfg, &set, online, val, form);
}

/* -s MASK, -S LIST: the lcores DPDK would run its services on (applied in check_cfg()). */
static int opt_service(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		       const cpu_set_t *online)
{
	const char *form = o->short_name == 's' ? "a hexadecimal lcore mask such as 0x4"
						: "a list of lcores such as 2-3";
	cpu_set_t set;

	(void)online;
	if (o->short_name == 's') {
		if (parse_mask(val, &set, form))
			return -EINVAL;
	} else if (eal_parse_corelist(val, &set) < 0) {
		ARG_ERR(val, form, "malformed lcore list");
		return -EINVAL;
	}
	for (int l = PX_MAX_LCORE; l < CPU_SETSIZE; l++) {
		if (CPU_ISSET(l, &set)) {
			ARG_ERR(val, form, "an lcore is beyond PX_MAX_LCORE");
			return -EINVAL;
		}
	}
	if (CPU_COUNT(&set) == 0) {
		ARG_ERR(val, form, "no lcore selected");
		return -EINVAL;
	}
	CPU_OR(&cfg->service, &cfg->service, &set);
	return 0;
}

static int opt_main_lcore(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			  const cpu_set_t *online)
{
	const char *p = val;
	unsigned long u;

	(void)o;
	(void)online;
	if (parse_uint(&p, PX_MAX_LCORE, &u) < 0 || *p != '\0') {
		ARG_ERR(val, "an lcore id below PX_MAX_LCORE", "not an lcore id");
		return -EINVAL;
	}
	cfg->main_lcore = (unsigned int)u;
	cfg->main_set = true;
	return 0;
}

/* Without -l/-c, every usable CPU is an lcore with the same id (as in DPDK). */
static void default_lcores(struct eal_cfg *cfg, const cpu_set_t *online)
{
	for (int c = 0; c < CPU_SETSIZE && c < PX_MAX_LCORE; c++) {
		cpu_set_t one;

		if (!CPU_ISSET(c, online))
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		lcore_pin(cfg, c, &one, online, "", "");
	}
}

/*
 * Service lcores leave the application's lcores, as rte_service_init() takes them in DPDK; the
 * default main lcore (the first) stays, as DPDK's eal_adjust_config() gives it back.
 */
static int apply_service(struct eal_cfg *cfg)
{
	char list[256];

	if (CPU_COUNT(&cfg->service) == 0)
		return 0;
	set_str(&cfg->service, PX_MAX_LCORE, list, sizeof(list));
	if (cfg->main_set && CPU_ISSET(cfg->main_lcore, &cfg->service)) {
		EAL_LOG(ERR,
			"invalid arguments: --main-lcore %u is also a service lcore (-s/-S %s); expected a main lcore outside the service lcores",
			cfg->main_lcore, list);
		return -EINVAL;
	}
	for (int l = 0; l < PX_MAX_LCORE && !cfg->main_set; l++) {
		if (cfg->lcore[l].enabled) {
			CPU_CLR(l, &cfg->service);
			break;
		}
	}
	for (int l = 0; l < PX_MAX_LCORE; l++) {
		if (CPU_ISSET(l, &cfg->service) && cfg->lcore[l].enabled) {
			cfg->lcore[l].enabled = false;
			cfg->lcore_count--;
		}
	}
	return note(
		cfg,
		"-s/-S %s: Pollux has no service cores (no rte_service); as in DPDK these lcores, but for the main lcore, are not the application's, and they run nothing",
		list);
}

/* ---- memory ---- */

/* --socket-mem and --socket-limit: sizes per socket. */
static int opt_socket_sizes(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			    const cpu_set_t *online)
{
	const char *form = "MiB per socket, comma separated, such as 1024,1024";
	bool limit = strcmp(o->name, "socket-limit") == 0;
	uint64_t *dst = limit ? cfg->socket_limit : cfg->socket_mem;
	char buf[256], *save = NULL, *tok;
	unsigned int n = 0;

	(void)online;
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
		ret = eal_parse_size_mb(tok, &dst[n]);
		if (ret < 0) {
			ARG_ERR(tok, form, ret == -ERANGE ? "size overflows" : "not a size");
			return -EINVAL;
		}
		n++;
	}
	*(limit ? &cfg->socket_limit_n : &cfg->socket_mem_n) = n;
	return 0;
}

static int opt_mem(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		   const cpu_set_t *online)
{
	int ret = eal_parse_size_mb(val, &cfg->mem_bytes);

	(void)o;
	(void)online;
	if (ret < 0)
		ARG_ERR(val, "a size in MiB such as 1024, or with a K/M/G suffix",
			ret == -ERANGE ? "size overflows" : "not a size");
	return ret < 0 ? -EINVAL : 0;
}

/* --base-virtaddr: hexadecimal, as DPDK reads it; the arena is 1 GiB aligned. */
static int opt_base_virtaddr(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			     const cpu_set_t *online)
{
	const char *p = val;
	unsigned long a;

	(void)o;
	(void)online;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (parse_hex(&p, 12, (1UL << 47) - 1, &a) < 0 || *p != '\0') {
		ARG_ERR(val, "a hexadecimal user-space address such as 0x100000000",
			"not an address");
		return -EINVAL;
	}
	cfg->base_virtaddr = PX_ALIGN_CEIL((uint64_t)a, 1ULL << 30);
	return 0;
}

/* ---- logging: --log-level, --syslog ---- */

static int opt_log_level(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			 const cpu_set_t *online)
{
	const char *form =
		"a level (emergency..debug, a prefix such as err, or 1-8), PATTERN:LEVEL with globs (pmd.net.*:debug), REGEX,LEVEL (^pmd,debug) or help";
	const char *sep = strrchr(val, ',');
	const char *lvl;
	size_t plen;

	(void)o;
	(void)online;
	if (strcmp(val, "help") == 0) {
		cfg->log_help = true;
		return 0;
	}
	if (sep == NULL) /* as DPDK: a ',' makes a regular expression, else a ':' a glob */
		sep = strrchr(val, ':');
	lvl = sep ? sep + 1 : val;
	plen = sep ? (size_t)(sep - val) : 0;
	if (sep == val) {
		ARG_ERR(val, form, "empty component pattern");
		return -EINVAL;
	}
	if (px_log_parse_level(lvl) < 0) {
		ARG_ERR(val, form, "unknown level");
		return -EINVAL;
	}
	if (plen >= PX_LOG_NAME_MAX) {
		ARG_ERR(val, form, "pattern longer than PX_LOG_NAME_MAX - 1 characters");
		return -EINVAL;
	}
	if (sep && *sep == ',') {
		char re[PX_LOG_NAME_MAX];
		regex_t r;

		memcpy(re, val, plen);
		re[plen] = '\0';
		if (regcomp(&r, re, REG_NOSUB) != 0) {
			ARG_ERR(val, form, "not a regular expression");
			return -EINVAL;
		}
		regfree(&r);
	}
	return strlist_add(&cfg->log_levels, val);
}

static int opt_syslog(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		      const cpu_set_t *online)
{
	static const struct {
		const char *name;
		int facility;
	} map[] = {
		{"auth", LOG_AUTH},     {"cron", LOG_CRON},     {"daemon", LOG_DAEMON},
		{"ftp", LOG_FTP},       {"kern", LOG_KERN},     {"lpr", LOG_LPR},
		{"mail", LOG_MAIL},     {"news", LOG_NEWS},     {"syslog", LOG_SYSLOG},
		{"user", LOG_USER},     {"uucp", LOG_UUCP},     {"local0", LOG_LOCAL0},
		{"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
		{"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
		{"local7", LOG_LOCAL7},
	};

	(void)o;
	(void)online;
	for (size_t i = 0; i < PX_DIM(map); i++) {
		if (strcmp(val, map[i].name) == 0) {
			cfg->syslog_facility = map[i].facility;
			return 0;
		}
	}
	ARG_ERR(val,
		"a syslog facility: auth, cron, daemon, ftp, kern, lpr, mail, news, syslog, user, uucp, local0..local7",
		"unknown facility");
	return -EINVAL;
}

/* ---- devices: -a, -b, --vdev ---- */

static int opt_pci(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		   const cpu_set_t *online)
{
	bool allow = o->short_name == 'a';
	struct eal_strlist *l = allow ? &cfg->allow : &cfg->block;

	(void)online;
	if (eal_parse_pci_addr(val, NULL, NULL, NULL, NULL) < 0 || (!allow && strchr(val, ','))) {
		ARG_ERR(val, o->form, "not a PCI address");
		return -EINVAL;
	}
	if ((allow && cfg->block.n) || (!allow && cfg->allow.n)) {
		ARG_ERR(val, "either -a or -b options", "-a and -b cannot be combined");
		return -EINVAL;
	}
	return strlist_add(l, val);
}

static int opt_vdev(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		    const cpu_set_t *online)
{
	const char *p = val;

	(void)online;
	/* name: letters, digits and '_', then optional ",args" */
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == val || (*p != '\0' && *p != ',')) {
		ARG_ERR(val, o->form, "not a device name");
		return -EINVAL;
	}
	return strlist_add(&cfg->vdevs, val);
}

/* ---- options that take a value and set a field ---- */

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

static int opt_huge_dir(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			const cpu_set_t *online)
{
	(void)o;
	(void)online;
	return opt_string(&cfg->huge_dir, val, "a hugetlbfs mount point", true);
}

static int opt_file_prefix(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			   const cpu_set_t *online)
{
	(void)o;
	(void)online;
	if (strchr(val, '%')) { /* DPDK refuses it: the prefix is a printf format there */
		ARG_ERR(val, "a name without '/' or '%'", "must not contain '%'");
		return -EINVAL;
	}
	return opt_string(&cfg->file_prefix, val, "a name without '/'", false);
}

static int opt_iova_mode(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			 const cpu_set_t *online)
{
	(void)o;
	(void)online;
	if (strcmp(val, "va") && strcmp(val, "pa")) {
		ARG_ERR(val, "va or pa", "unknown IOVA mode");
		return -EINVAL;
	}
	cfg->iova_mode = val[0] == 'v' ? PX_IOVA_VA : PX_IOVA_PA;
	return 0;
}

/* Options without a value that set a bool of struct eal_cfg: o->flag is its offset. */
static int opt_flag(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		    const cpu_set_t *online)
{
	(void)val;
	(void)online;
	*(bool *)((char *)cfg + o->flag) = true;
	return 0;
}

static int opt_telemetry(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			 const cpu_set_t *online)
{
	(void)val;
	(void)o;
	(void)online;
	cfg->no_telemetry = false; /* on by default, as in DPDK */
	return 0;
}

/* ---- options Pollux accepts and explains, or refuses ---- */

static const char *opt_label(const struct eal_opt *o, char *buf, size_t len)
{
	if (o->name)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "-%c", o->short_name);
	return buf;
}

/* Accepted when o->check passes; o->why says why it does nothing here. */
static int opt_note(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		    const cpu_set_t *online)
{
	char label[40];

	(void)online;
	opt_label(o, label, sizeof(label));
	if (o->check && o->check(val, o, label) < 0)
		return -EINVAL;
	if (val)
		return note(cfg, "%s %s: %s", label, val, o->why);
	return note(cfg, "%s: %s", label, o->why);
}

/* Refused: o->why names what to use instead. */
static int opt_refuse(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
		      const cpu_set_t *online)
{
	char label[40];

	(void)cfg;
	(void)online;
	EAL_LOG(ERR, "option '%s%s%s' is not supported by Pollux: %s",
		opt_label(o, label, sizeof(label)), val ? " " : "", val ? val : "", o->why);
	return -EINVAL;
}

/* ---- value checks of the noted options: a value DPDK refuses is refused here too ---- */

static int check_words(const char *val, const struct eal_opt *o, const char *label)
{
	size_t n = val ? strlen(val) : 0;

	if (val == NULL && o->arg == ARG_OPTIONAL)
		return 0;
	for (const char *w = o->form; n && *w;) {
		size_t wl = strcspn(w, "|");

		if (wl == n && strncmp(w, val, n) == 0)
			return 0;
		w += wl + (w[wl] == '|');
	}
	EAL_LOG(ERR, "invalid argument '%s' for %s; expected one of %s", val ? val : "", label,
		o->form);
	return -EINVAL;
}

static int check_nonempty(const char *val, const struct eal_opt *o, const char *label)
{
	if (*val)
		return 0;
	EAL_LOG(ERR, "invalid argument '' for %s; expected %s", label, o->form);
	return -EINVAL;
}

/* -n 1..63, -r 1..16, --huge-worker-stack[=KiB]: a positive number. */
static int check_count(const char *val, const struct eal_opt *o, const char *label)
{
	unsigned long max = o->short_name == 'r' ? 16 : o->short_name == 'n' ? 63 : 1UL << 30;
	const char *p = val;
	unsigned long u = 0;
	int ret;

	if (val == NULL && o->arg == ARG_OPTIONAL)
		return 0;
	ret = parse_uint(&p, max + 1, &u);
	if (ret < 0 || *p != '\0' || u == 0) {
		EAL_LOG(ERR, "invalid argument '%s' for %s: %s; expected %s", val, label,
			ret == -ERANGE ? "out of range" : "not a positive number", o->form);
		return -EINVAL;
	}
	return 0;
}

/* --trace REGEX: compiled as DPDK compiles it. */
static int check_regex(const char *val, const struct eal_opt *o, const char *label)
{
	regex_t r;

	if (*val && regcomp(&r, val, REG_NOSUB) == 0) {
		regfree(&r);
		return 0;
	}
	EAL_LOG(ERR, "invalid argument '%s' for %s: not a regular expression; expected %s", val,
		label, o->form);
	return -EINVAL;
}

/* --trace-bufsz: a number of bytes with an optional B, K, M or G (DPDK's rte_str_to_size()). */
static int check_bufsz(const char *val, const struct eal_opt *o, const char *label)
{
	const char *p = val;
	unsigned long u;

	if (parse_uint(&p, 1UL << 40, &u) == 0 && u > 0 &&
	    (*p == '\0' || (strchr("BbKkMmGg", *p) && p[1] == '\0')))
		return 0;
	EAL_LOG(ERR, "invalid argument '%s' for %s; expected %s", val, label, o->form);
	return -EINVAL;
}

/* --trace-mode: a prefix of overwrite or discard, as DPDK reads it. */
static int check_trace_mode(const char *val, const struct eal_opt *o, const char *label)
{
	size_t n = strlen(val);

	if (n && (strncmp(val, "overwrite", n) == 0 || strncmp(val, "discard", n) == 0))
		return 0;
	EAL_LOG(ERR, "invalid argument '%s' for %s; expected %s", val, label, o->form);
	return -EINVAL;
}

/* --force-max-simd-bitwidth: 0 (no limit) or a power of two from 64 to 512. */
static int check_simd(const char *val, const struct eal_opt *o, const char *label)
{
	const char *p = val;
	unsigned long u;

	if (parse_uint(&p, 513, &u) == 0 && *p == '\0' && (u == 0 || (u >= 64 && !(u & (u - 1)))))
		return 0;
	EAL_LOG(ERR, "invalid argument '%s' for %s; expected %s", val, label, o->form);
	return -EINVAL;
}

/* --vfio-intr: msix is what Pollux's drivers use; the others are noted. */
static int opt_vfio_intr(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			 const cpu_set_t *online)
{
	if (check_words(val, o, "--vfio-intr") < 0)
		return -EINVAL;
	return strcmp(val, "msix") == 0 ? 0 : opt_note(cfg, val, o, online);
}

/* --proc-type: primary is what every Pollux process is; auto becomes one; secondary is refused. */
static int opt_proc_type(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			 const cpu_set_t *online)
{
	if (strcasecmp(val, "primary") == 0)
		return 0;
	if (strcasecmp(val, "auto") == 0)
		return note(
			cfg,
			"--proc-type auto: Pollux has no secondary processes, so this process is a primary; look into another one with dpdk-telemetry.py or px-dumpcap");
	if (strcasecmp(val, "secondary") == 0)
		return opt_refuse(cfg, val, o, online);
	EAL_LOG(ERR, "invalid argument '%s' for --proc-type; expected primary, secondary or auto",
		val);
	return -EINVAL;
}

/* -d: what this build has instead. */
static int opt_driver_lib(struct eal_cfg *cfg, const char *val, const struct eal_opt *o,
			  const cpu_set_t *online)
{
	char list[256];
	size_t n = 0;

	(void)online;
	if (check_nonempty(val, o, "-d") < 0)
		return -EINVAL;
	list[0] = '\0';
	for (const struct eal_driver_entry *d = eal_drivers; d->name && n < sizeof(list); d++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? " " : "", d->name);
	return note(cfg, "-d %s: %s (this build: %s)", val, o->why, n ? list : "none");
}

#define FLAG(field) .flag = offsetof(struct eal_cfg, field)
#define WHY_TRACE \
	"Pollux has no trace points; use --log-level=PATTERN:debug for the control path and px-dumpcap for packets"

/*
 * Every option of DPDK 22.11's EAL, in the order of its --help. Adding one is one line: a
 * handler from above (opt_flag, opt_note with a check and a reason, or a new one).
 */
static const struct eal_opt eal_opts[] = {
	{NULL, 'c', ARG_REQUIRED, opt_coremask, NULL, "HEXMASK",
	 "cores as a hexadecimal bit mask, e.g. 0x3"},
	{"lcores", 'l', ARG_REQUIRED, opt_lcores, NULL, "CORES",
	 "cores to run on: 0-3,5 (lcore N on cpu N), or lcores[@cpus] with groups: '(0,1)@0,2@(1,2)'"},
	{NULL, 's', ARG_REQUIRED, opt_service, NULL, "HEXMASK",
	 "service lcores: not the application's (Pollux runs no services on them)"},
	{NULL, 'S', ARG_REQUIRED, opt_service, NULL, "LIST", "service lcores as a list, see -s"},
	{"main-lcore", 0, ARG_REQUIRED, opt_main_lcore, NULL, "ID",
	 "lcore that runs main() (default: the first)"},
	{"mbuf-pool-ops-name", 0, ARG_REQUIRED, opt_note, check_nonempty, "NAME",
	 "accepted; Pollux's mempools have one implementation",
	 "Pollux's mempools have one implementation (a ring behind per-lcore caches, DPDK's ring_mp_mc); the name is not used"},
	{NULL, 'n', ARG_REQUIRED, opt_note, check_count, "N (1-63)",
	 "memory channels (accepted; not used)",
	 "Pollux's mempools do not spread objects over memory channels; the count is not used"},
	{NULL, 'm', ARG_REQUIRED, opt_mem, NULL, "MB",
	 "memory to reserve at start-up, in MiB (or with a K/M/G suffix)"},
	{NULL, 'r', ARG_REQUIRED, opt_note, check_count, "N (1-16)",
	 "memory ranks (accepted; not used)",
	 "Pollux's mempools do not spread objects over memory ranks; the count is not used"},
	{"block", 'b', ARG_REQUIRED, opt_pci, NULL, "DOMAIN:BUS:DEV.FN",
	 "never probe this PCI device (repeatable)"},
	{"allow", 'a', ARG_REQUIRED, opt_pci, NULL, "DOMAIN:BUS:DEV.FN[,key=value...]",
	 "probe only these PCI devices (repeatable)"},
	{"vdev", 0, ARG_REQUIRED, opt_vdev, NULL, "net_DRIVER<N>[,key=value...]",
	 "create a virtual device (repeatable)"},
	{"iova-mode", 0, ARG_REQUIRED, opt_iova_mode, NULL, "va|pa",
	 "how device addresses are chosen"},
	{NULL, 'd', ARG_REQUIRED, opt_driver_lib, NULL, "LIB.so|DIR",
	 "accepted; Pollux's drivers are built in",
	 "Pollux's drivers are built in, chosen at build time with -DPX_DRIVERS; nothing is loaded"},
	{"vmware-tsc-map", 0, ARG_NONE, opt_note, NULL, NULL, "accepted; the TSC is read directly",
	 "Pollux reads the CPU's cycle counter directly; VMware's pseudo-TSC map is not used"},
	{"proc-type", 0, ARG_REQUIRED, opt_proc_type, NULL, "primary|auto",
	 "primary, the only kind Pollux has (auto: primary; secondary is refused)",
	 "Pollux has no secondary processes; to look into a running Pollux process use its telemetry socket (dpdk-telemetry.py, -f PREFIX for its --file-prefix) and capture its ports with px-dumpcap"},
	{"syslog", 0, ARG_REQUIRED, opt_syslog, NULL, "FACILITY",
	 "also log to syslog with this facility (daemon, local0...)"},
	{"log-level", 0, ARG_REQUIRED, opt_log_level, NULL, "LEVEL|PATTERN:LEVEL|REGEX,LEVEL|help",
	 "log level, global or per component (glob pmd.net.*:debug, regex ^pmd,debug)"},
	{"trace", 0, ARG_REQUIRED, opt_note, check_regex, "REGEX",
	 "accepted; Pollux has no trace points", WHY_TRACE},
	{"trace-dir", 0, ARG_REQUIRED, opt_note, check_nonempty, "DIR", "accepted, see --trace",
	 WHY_TRACE},
	{"trace-bufsz", 0, ARG_REQUIRED, opt_note, check_bufsz, "SIZE[B|K|M]",
	 "accepted, see --trace", WHY_TRACE},
	{"trace-mode", 0, ARG_REQUIRED, opt_note, check_trace_mode, "o[verwrite]|d[iscard]",
	 "accepted, see --trace", WHY_TRACE},
	{NULL, 'v', ARG_NONE, opt_flag, NULL, NULL, "log the version at start-up", NULL,
	 FLAG(version)},
	{"help", 'h', ARG_NONE, opt_flag, NULL, NULL, "print this help", NULL, FLAG(help)},
	{"in-memory", 0, ARG_NONE, opt_note, NULL, NULL, "accepted; Pollux always runs in memory",
	 "Pollux always runs in memory: hugepages are memfds, no file is shared, and there are no secondary processes"},
	{"base-virtaddr", 0, ARG_REQUIRED, opt_base_virtaddr, NULL, "ADDR",
	 "where to ask for the memory's address space (hexadecimal, rounded up to 1 GiB)"},
	{"telemetry", 0, ARG_NONE, opt_telemetry, NULL, NULL, "telemetry socket on (the default)"},
	{"no-telemetry", 0, ARG_NONE, opt_flag, NULL, NULL, "no telemetry socket", NULL,
	 FLAG(no_telemetry)},
	{"force-max-simd-bitwidth", 0, ARG_REQUIRED, opt_note, check_simd, "0|64|128|256|512",
	 "accepted; Pollux chooses no SIMD code at run time",
	 "Pollux chooses no SIMD code at run time: the compiler's target (-march) decides"},
	{"huge-unlink", 0, ARG_OPTIONAL, opt_note, check_words, "existing|always|never",
	 "accepted; Pollux leaves no hugepage files",
	 "Pollux leaves no hugepage files: memory is memfd-backed, and with --huge-dir each file is unlinked once mapped (=never cannot be honoured)"},
	{"no-huge", 0, ARG_NONE, opt_flag, NULL, NULL, "use ordinary memory (tests only: no DMA)",
	 NULL, FLAG(no_huge)},
	{"no-pci", 0, ARG_NONE, opt_flag, NULL, NULL, "do not scan the PCI bus", NULL,
	 FLAG(no_pci)},
	{"no-hpet", 0, ARG_NONE, opt_note, NULL, NULL, "accepted; Pollux never uses the HPET",
	 "Pollux never uses the HPET: time is the CPU's cycle counter"},
	{"no-shconf", 0, ARG_NONE, opt_note, NULL, NULL, "accepted; Pollux shares no configuration",
	 "Pollux has no shared configuration files (no secondary processes)"},
	{"socket-mem", 0, ARG_REQUIRED, opt_socket_sizes, NULL, "MB[,MB...]",
	 "memory to reserve per NUMA socket, in MiB"},
	{"socket-limit", 0, ARG_REQUIRED, opt_socket_sizes, NULL, "MB[,MB...]",
	 "most memory per NUMA socket, in MiB (0: no limit)"},
	{"huge-dir", 0, ARG_REQUIRED, opt_huge_dir, NULL, "DIR",
	 "back hugepages with files in this hugetlbfs mount"},
	{"file-prefix", 0, ARG_REQUIRED, opt_file_prefix, NULL, "NAME",
	 "name of this process's runtime files (telemetry socket)"},
	{"create-uio-dev", 0, ARG_NONE, opt_note, NULL, NULL, "accepted; Pollux uses VFIO only",
	 "Pollux drives devices through VFIO only; it creates no /dev/uioX"},
	{"vfio-intr", 0, ARG_REQUIRED, opt_vfio_intr, NULL, "legacy|msi|msix",
	 "VFIO interrupt mode: Pollux's drivers use msix",
	 "Pollux's drivers use MSI-X vectors only (polling needs none); this mode is not used"},
	{"vfio-vf-token", 0, ARG_REQUIRED, opt_refuse, NULL, "UUID", "refused (no VF tokens)",
	 "Pollux opens VFIO devices without a VF token; bind the PF to its kernel driver so that its VFs need none"},
	{"legacy-mem", 0, ARG_NONE, opt_note, NULL, NULL, "accepted; there is one memory model",
	 "Pollux reserves -m/--socket-mem at start-up and grows on demand beyond it; there is no static layout (cap it with --socket-limit)"},
	{"single-file-segments", 0, ARG_NONE, opt_note, NULL, NULL,
	 "accepted; each segment is one memfd already",
	 "Pollux backs each memory segment with one file (a memfd) already, and -m reserves one segment"},
	{"match-allocations", 0, ARG_NONE, opt_note, NULL, NULL,
	 "accepted; grown memory is freed as allocated",
	 "Pollux frees memory as it was allocated already: a segment grown for an allocation goes back to the kernel with its last block"},
	{"huge-worker-stack", 0, ARG_OPTIONAL, opt_note, check_count, "KIB",
	 "accepted; lcore threads have ordinary stacks",
	 "Pollux's lcore threads have ordinary stacks; hugepage memory is for the heap and DMA"},
};

void px_eal_usage(FILE *f)
{
	fprintf(f,
		"Pollux EAL options (DPDK 22.11's; docs/from-dpdk.md says what each does here):\n");
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
			snprintf(left + n, sizeof(left) - n,
				 o->arg == ARG_OPTIONAL ? "[=%s]" : " %s", o->form);
		fprintf(f, "  %-34s %s\n", left, o->help);
	}
	fprintf(f, "Application options follow `--`.\n");
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
			if (arg[2 + n] == '=' && o->arg != ARG_NONE) {
				*val = arg + 3 + n;
				return o;
			}
		} else if (arg[1] != '-' && o->short_name && arg[1] == o->short_name) {
			if (arg[2] == '\0')
				return o;
			if (o->arg == ARG_REQUIRED) {
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
	if (apply_service(cfg) < 0)
		return -EINVAL;
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
	if (o->arg == ARG_REQUIRED && val == NULL) {
		if (*i + 1 >= argc || argv[*i + 1] == NULL) {
			EAL_LOG(ERR, "option '%s' needs a value; expected %s %s", arg, arg,
				o->form);
			return -EINVAL;
		}
		val = argv[++*i];
	}
	return o->parse(cfg, val, o, online);
}

int eal_args_parse(struct eal_cfg *cfg, int argc, char **argv, const cpu_set_t *online)
{
	int i, ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->syslog_facility = -1;
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

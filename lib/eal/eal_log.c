/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log components and levels.
 *
 * The level table is a flat byte array so that PX_LOG's check is one load. Registration and
 * level changes take a mutex (control path); writing a message does not.
 */
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "eal_private.h"

uint8_t px_log_levels[PX_LOG_MAX_COMPONENTS];

struct log_pattern {
	char pattern[PX_LOG_NAME_MAX];
	regex_t *re; /* a regular expression (--log-level REGEX,LEVEL), else a glob */
	uint8_t level;
};

#define LOG_MAX_PATTERNS 32

static struct {
	pthread_mutex_t lock;
	char names[PX_LOG_MAX_COMPONENTS][PX_LOG_NAME_MAX];
	unsigned int count;
	struct log_pattern patterns[LOG_MAX_PATTERNS];
	unsigned int npatterns;
	int global_level; /* 0 when never set */
	FILE *stream;
	bool syslog;    /* also to syslog(3) (--syslog) */
	char ident[64]; /* openlog() keeps the pointer */
} logs = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const level_names[] = {
	[PX_LOG_EMERG] = "emerg", [PX_LOG_ALERT] = "alert",     [PX_LOG_CRIT] = "crit",
	[PX_LOG_ERR] = "err",     [PX_LOG_WARNING] = "warning", [PX_LOG_NOTICE] = "notice",
	[PX_LOG_INFO] = "info",   [PX_LOG_DEBUG] = "debug",
};

/* DPDK's names: a level may be given by any prefix of them ("err", "warn", "crit", "d"). */
static const char *const level_long_names[] = {
	[PX_LOG_EMERG] = "emergency", [PX_LOG_ALERT] = "alert",     [PX_LOG_CRIT] = "critical",
	[PX_LOG_ERR] = "error",       [PX_LOG_WARNING] = "warning", [PX_LOG_NOTICE] = "notice",
	[PX_LOG_INFO] = "info",       [PX_LOG_DEBUG] = "debug",
};

int px_log_parse_level(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *end;
	long v;

	if (n == 0)
		return -EINVAL;
	for (int l = PX_LOG_EMERG; l <= PX_LOG_DEBUG; l++)
		if (strcasecmp(s, level_names[l]) == 0 ||
		    strncasecmp(s, level_long_names[l], n) == 0)
			return l;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < PX_LOG_EMERG || v > PX_LOG_DEBUG)
		return -EINVAL;
	return (int)v;
}

const char *px_log_level_name(int level)
{
	if (level < PX_LOG_EMERG || level > PX_LOG_DEBUG)
		return "?";
	return level_names[level];
}

static bool pattern_match(const struct log_pattern *p, const char *name)
{
	if (p->re)
		return regexec(p->re, name, 0, NULL, 0) == 0;
	return fnmatch(p->pattern, name, 0) == 0;
}

static void pattern_free(struct log_pattern *p)
{
	if (p->re) {
		regfree(p->re);
		free(p->re);
		p->re = NULL;
	}
}

/* The level a component named @name gets: the last pattern that matches, else the global level,
 * else @dflt. Called with the lock held. */
static int level_for(const char *name, int dflt)
{
	for (unsigned int i = logs.npatterns; i-- > 0;)
		if (pattern_match(&logs.patterns[i], name))
			return logs.patterns[i].level;
	return logs.global_level ? logs.global_level : dflt;
}

int px_log_register(const char *name, enum px_log_level level)
{
	int id;

	if (name == NULL || *name == '\0' || strlen(name) >= PX_LOG_NAME_MAX ||
	    level < PX_LOG_EMERG || level > PX_LOG_DEBUG)
		return -EINVAL;
	pthread_mutex_lock(&logs.lock);
	for (id = 0; id < (int)logs.count; id++)
		if (strcmp(logs.names[id], name) == 0)
			goto out;
	if (logs.count == PX_LOG_MAX_COMPONENTS) {
		id = -ENOSPC;
		goto out;
	}
	id = (int)logs.count++;
	strcpy(logs.names[id], name);
	px_log_levels[id] = (uint8_t)level_for(name, level);
out:
	pthread_mutex_unlock(&logs.lock);
	return id;
}

int px_log_lookup(const char *name)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&logs.lock);
	for (unsigned int i = 0; i < logs.count; i++) {
		if (strcmp(logs.names[i], name) == 0) {
			ret = (int)i;
			break;
		}
	}
	pthread_mutex_unlock(&logs.lock);
	return ret;
}

/* Add a glob (@re NULL) or a compiled regular expression, taking @re. */
static int pattern_add(const char *pattern, regex_t *re, enum px_log_level level)
{
	struct log_pattern *p;
	int changed = 0;

	pthread_mutex_lock(&logs.lock);
	if (logs.npatterns == LOG_MAX_PATTERNS) { /* forget the oldest */
		pattern_free(&logs.patterns[0]);
		memmove(&logs.patterns[0], &logs.patterns[1],
			sizeof(logs.patterns[0]) * (LOG_MAX_PATTERNS - 1));
		logs.npatterns--;
	}
	p = &logs.patterns[logs.npatterns++];
	strcpy(p->pattern, pattern);
	p->re = re;
	p->level = (uint8_t)level;
	for (unsigned int i = 0; i < logs.count; i++) {
		if (pattern_match(p, logs.names[i])) {
			px_log_levels[i] = (uint8_t)level;
			changed++;
		}
	}
	pthread_mutex_unlock(&logs.lock);
	return changed;
}

static bool pattern_ok(const char *pattern, enum px_log_level level)
{
	return pattern && *pattern && strlen(pattern) < PX_LOG_NAME_MAX && level >= PX_LOG_EMERG &&
	       level <= PX_LOG_DEBUG;
}

int px_log_set_level_pattern(const char *pattern, enum px_log_level level)
{
	if (!pattern_ok(pattern, level))
		return -EINVAL;
	return pattern_add(pattern, NULL, level);
}

int px_log_set_level_regexp(const char *regex, enum px_log_level level)
{
	regex_t *re;

	if (!pattern_ok(regex, level))
		return -EINVAL;
	re = malloc(sizeof(*re));
	if (re == NULL)
		return -ENOMEM;
	if (regcomp(re, regex, REG_NOSUB) != 0) {
		free(re);
		return -EINVAL;
	}
	return pattern_add(regex, re, level);
}

void px_log_set_global_level(enum px_log_level level)
{
	if (level < PX_LOG_EMERG || level > PX_LOG_DEBUG)
		return;
	pthread_mutex_lock(&logs.lock);
	logs.global_level = level;
	for (unsigned int i = 0; i < logs.npatterns; i++)
		pattern_free(&logs.patterns[i]);
	logs.npatterns = 0; /* a global level overrides earlier patterns, as it would in order */
	for (unsigned int i = 0; i < logs.count; i++)
		px_log_levels[i] = (uint8_t)level;
	pthread_mutex_unlock(&logs.lock);
}

int px_log_get_level(int id)
{
	if (id < 0 || id >= (int)logs.count)
		return -EINVAL;
	return px_log_levels[id];
}

void px_log_set_stream(FILE *f)
{
	logs.stream = f;
}

void px_log_dump(FILE *f)
{
	pthread_mutex_lock(&logs.lock);
	for (unsigned int i = 0; i < logs.count; i++)
		fprintf(f, "%-24s %s\n", logs.names[i], px_log_level_name(px_log_levels[i]));
	pthread_mutex_unlock(&logs.lock);
}

void px_log_vwrite(int id, int level, const char *fmt, va_list ap)
{
	FILE *f = logs.stream ? logs.stream : stderr;
	const char *name = (id >= 0 && id < (int)logs.count) ? logs.names[id] : "px";
	char msg[1024];
	int n;

	/* Build the whole line first so lines from different threads do not interleave. */
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	while (n > 0 && (size_t)n < sizeof(msg) && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (logs.syslog) /* syslog's priorities are ours minus one */
		syslog(level - 1, "%s: %s", name, msg);
	if (level <= PX_LOG_ERR)
		fprintf(f, "%s: error: %s\n", name, msg);
	else if (level == PX_LOG_WARNING)
		fprintf(f, "%s: warning: %s\n", name, msg);
	else
		fprintf(f, "%s: %s\n", name, msg);
	fflush(f);
}

void px_log_write(int id, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	px_log_vwrite(id, level, fmt, ap);
	va_end(ap);
}

/* Apply the --log-level arguments, in order: LEVEL, REGEX,LEVEL or GLOB:LEVEL (as DPDK, a ','
 * makes a regular expression even when a ':' is there too). */
int eal_log_apply(const struct eal_strlist *levels)
{
	for (unsigned int i = 0; i < levels->n; i++) {
		char buf[PX_LOG_NAME_MAX + 16];
		const char *arg = levels->v[i];
		char *sep;
		int lvl, ret;

		if (strlen(arg) >= sizeof(buf))
			return -EINVAL;
		strcpy(buf, arg);
		sep = strrchr(buf, ',');
		if (sep == NULL)
			sep = strrchr(buf, ':');
		lvl = px_log_parse_level(sep ? sep + 1 : buf);
		if (lvl < 0)
			return -EINVAL;
		if (sep == NULL) {
			px_log_set_global_level(lvl);
			continue;
		}
		ret = *sep == ',' ? (*sep = '\0', px_log_set_level_regexp(buf, lvl))
				  : (*sep = '\0', px_log_set_level_pattern(buf, lvl));
		if (ret < 0)
			return ret;
	}
	return 0;
}

void eal_log_syslog(int facility, const char *ident)
{
	if (logs.syslog) {
		logs.syslog = false;
		closelog();
	}
	if (facility < 0)
		return;
	snprintf(logs.ident, sizeof(logs.ident), "%s", ident ? ident : "pollux");
	openlog(logs.ident, LOG_NDELAY | LOG_PID, facility);
	logs.syslog = true;
}

int eal_log_start(const struct eal_cfg *cfg, const char *prog)
{
	const char *base = prog ? strrchr(prog, '/') : NULL;
	int ret = eal_log_apply(&cfg->log_levels);

	if (cfg->syslog_facility >= 0)
		eal_log_syslog(cfg->syslog_facility, base ? base + 1 : prog);
	if (cfg->version) /* asked for: written whatever the level, as DPDK's -v */
		px_log_write(eal_logtype, PX_LOG_NOTICE, "Pollux version %s", PX_VERSION_STR);
	for (unsigned int i = 0; i < cfg->notes.n; i++)
		EAL_LOG(NOTICE, "%s", cfg->notes.v[i]);
	return ret;
}

void eal_log_stop(void)
{
	eal_log_syslog(-1, NULL);
}

void eal_log_usage(FILE *f)
{
	fprintf(f,
		"--log-level LEVEL         every component\n"
		"--log-level GLOB:LEVEL    components matching a glob: pmd.net.*:debug\n"
		"--log-level REGEX,LEVEL   components matching a regular expression: ^pmd,debug\n"
		"Given in order; the last that matches a component wins. LEVEL is a number 1-8 or\n"
		"(a prefix of) emergency, alert, critical, error, warning, notice, info, debug.\n"
		"Components registered now, and their levels:\n");
	px_log_dump(f);
}

PX_LOG_REGISTER(eal_logtype, "eal", DEFAULT)
PX_LOG_REGISTER(eal_mem_logtype, "eal.mem", DEFAULT)

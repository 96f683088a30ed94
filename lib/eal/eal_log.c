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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eal_private.h"

uint8_t px_log_levels[PX_LOG_MAX_COMPONENTS];

struct log_pattern {
	char pattern[PX_LOG_NAME_MAX];
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
} logs = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const level_names[] = {
	[PX_LOG_EMERG] = "emerg", [PX_LOG_ALERT] = "alert",     [PX_LOG_CRIT] = "crit",
	[PX_LOG_ERR] = "err",     [PX_LOG_WARNING] = "warning", [PX_LOG_NOTICE] = "notice",
	[PX_LOG_INFO] = "info",   [PX_LOG_DEBUG] = "debug",
};

int px_log_parse_level(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (int l = PX_LOG_EMERG; l <= PX_LOG_DEBUG; l++)
		if (strcasecmp(s, level_names[l]) == 0)
			return l;
	if (strcasecmp(s, "error") == 0)
		return PX_LOG_ERR;
	if (strcasecmp(s, "warn") == 0)
		return PX_LOG_WARNING;
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

/* The level a component named @name gets: the last pattern that matches, else the global level,
 * else @dflt. Called with the lock held. */
static int level_for(const char *name, int dflt)
{
	for (unsigned int i = logs.npatterns; i-- > 0;)
		if (fnmatch(logs.patterns[i].pattern, name, 0) == 0)
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

int px_log_set_level_pattern(const char *pattern, enum px_log_level level)
{
	int changed = 0;

	if (pattern == NULL || *pattern == '\0' || strlen(pattern) >= PX_LOG_NAME_MAX ||
	    level < PX_LOG_EMERG || level > PX_LOG_DEBUG)
		return -EINVAL;
	pthread_mutex_lock(&logs.lock);
	if (logs.npatterns == LOG_MAX_PATTERNS) { /* forget the oldest */
		memmove(&logs.patterns[0], &logs.patterns[1],
			sizeof(logs.patterns[0]) * (LOG_MAX_PATTERNS - 1));
		logs.npatterns--;
	}
	strcpy(logs.patterns[logs.npatterns].pattern, pattern);
	logs.patterns[logs.npatterns++].level = (uint8_t)level;
	for (unsigned int i = 0; i < logs.count; i++) {
		if (fnmatch(pattern, logs.names[i], 0) == 0) {
			px_log_levels[i] = (uint8_t)level;
			changed++;
		}
	}
	pthread_mutex_unlock(&logs.lock);
	return changed;
}

void px_log_set_global_level(enum px_log_level level)
{
	if (level < PX_LOG_EMERG || level > PX_LOG_DEBUG)
		return;
	pthread_mutex_lock(&logs.lock);
	logs.global_level = level;
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

/* Apply the --log-level arguments, in order. */
int eal_log_apply(const struct eal_strlist *levels)
{
	for (unsigned int i = 0; i < levels->n; i++) {
		char buf[PX_LOG_NAME_MAX + 16];
		const char *arg = levels->v[i];
		char *colon;
		int lvl;

		if (strlen(arg) >= sizeof(buf))
			return -EINVAL;
		strcpy(buf, arg);
		colon = strrchr(buf, ':');
		if (colon == NULL) {
			lvl = px_log_parse_level(buf);
			if (lvl < 0)
				return -EINVAL;
			px_log_set_global_level(lvl);
			continue;
		}
		*colon = '\0';
		lvl = px_log_parse_level(colon + 1);
		if (lvl < 0 || px_log_set_level_pattern(buf, lvl) < 0)
			return -EINVAL;
	}
	return 0;
}

PX_LOG_REGISTER(eal_logtype, "eal", DEFAULT)
PX_LOG_REGISTER(eal_mem_logtype, "eal.mem", DEFAULT)

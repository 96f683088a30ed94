/* SPDX-License-Identifier: BSD-3-Clause */
/* The key=value argument parser of px_kvargs.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "px_kvargs.h"
#include "vdev_private.h"

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static bool key_allowed(const char *key, const char *const valid_keys[])
{
	if (valid_keys == NULL)
		return true;
	for (unsigned int i = 0; valid_keys[i]; i++)
		if (strcmp(key, valid_keys[i]) == 0)
			return true;
	return false;
}

static void log_unknown_key(const char *key, const char *const valid_keys[])
{
	char list[512] = "";
	size_t len = 0;

	for (unsigned int i = 0; valid_keys[i] && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					valid_keys[i]);
	if (valid_keys[0] == NULL)
		VDEV_LOG(ERR, "unknown key '%s': this driver takes no arguments", key);
	else
		VDEV_LOG(ERR, "unknown key '%s'; valid keys: %s", key, list);
}

/* Cut the value that starts at @p: up to the first ',' outside brackets. Returns the end
 * (a ',' or the NUL), or NULL when the brackets do not balance. */
static char *value_end(char *p)
{
	unsigned int depth = 0;

	for (; *p; p++) {
		if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			if (depth == 0)
				return NULL;
			depth--;
		} else if (*p == ',' && depth == 0) {
			break;
		}
	}
	return depth ? NULL : p;
}

/* Split one pair at @p (not at a ','). Stores key and value; returns the start of the next pair,
 * or NULL after logging why the pair is bad. */
static char *split_pair(char *p, struct px_kvargs_pair *pair)
{
	char *key = p, *val, *end;

	while (key_char(*p))
		p++;
	if (p == key || (*p != '=' && *p != ',' && *p != '\0')) {
		VDEV_LOG(ERR, "bad key at '%.40s': keys are letters, digits, '_', '-' and '.'",
			 key);
		return NULL;
	}
	if (*p != '=') {
		VDEV_LOG(ERR, "key '%.*s' has no value: write %.*s=VALUE", (int)(p - key), key,
			 (int)(p - key), key);
		return NULL;
	}
	*p++ = '\0';
	val = p;
	end = value_end(val);
	if (end == NULL) {
		VDEV_LOG(ERR, "value of '%s' has unbalanced brackets: '%.40s'", key, val);
		return NULL;
	}
	if (end == val) {
		VDEV_LOG(ERR, "key '%s' has an empty value", key);
		return NULL;
	}
	if (*end == ',')
		*end++ = '\0';
	pair->key = key;
	pair->value = val;
	return end;
}

static int kvargs_tokenize(struct px_kvargs *kv, const char *const valid_keys[])
{
	char *p = kv->str;

	while (*p) {
		struct px_kvargs_pair pair;

		if (*p == ',') {
			p++;
			continue;
		}
		p = split_pair(p, &pair);
		if (p == NULL)
			return -EINVAL;
		if (!key_allowed(pair.key, valid_keys)) {
			log_unknown_key(pair.key, valid_keys);
			return -EINVAL;
		}
		if (kv->count == PX_KVARGS_MAX) {
			VDEV_LOG(ERR, "more than %d key=value pairs", PX_KVARGS_MAX);
			return -E2BIG;
		}
		kv->pairs[kv->count++] = pair;
	}
	return 0;
}

struct px_kvargs *px_kvargs_parse(const char *args, const char *const valid_keys[])
{
	struct px_kvargs *kv = calloc(1, sizeof(*kv));
	int ret;

	if (kv == NULL)
		goto nomem;
	kv->str = strdup(args ? args : "");
	if (kv->str == NULL)
		goto nomem;
	ret = kvargs_tokenize(kv, valid_keys);
	if (ret < 0) {
		px_kvargs_free(kv);
		errno = -ret;
		return NULL;
	}
	return kv;
nomem:
	free(kv);
	errno = ENOMEM;
	return NULL;
}

void px_kvargs_free(struct px_kvargs *kvlist)
{
	if (kvlist == NULL)
		return;
	free(kvlist->str);
	free(kvlist);
}

unsigned int px_kvargs_count(const struct px_kvargs *kvlist, const char *key)
{
	unsigned int n = 0;

	if (kvlist == NULL)
		return 0;
	for (unsigned int i = 0; i < kvlist->count; i++)
		if (key == NULL || strcmp(key, kvlist->pairs[i].key) == 0)
			n++;
	return n;
}

const char *px_kvargs_get(const struct px_kvargs *kvlist, const char *key)
{
	if (kvlist == NULL || key == NULL)
		return NULL;
	for (unsigned int i = 0; i < kvlist->count; i++)
		if (strcmp(key, kvlist->pairs[i].key) == 0)
			return kvlist->pairs[i].value;
	return NULL;
}

int px_kvargs_process(const struct px_kvargs *kvlist, const char *key, px_kvargs_handler_t handler,
		      void *opaque)
{
	if (kvlist == NULL || handler == NULL)
		return -EINVAL;
	for (unsigned int i = 0; i < kvlist->count; i++) {
		const struct px_kvargs_pair *p = &kvlist->pairs[i];
		int ret;

		if (key != NULL && strcmp(key, p->key) != 0)
			continue;
		ret = handler(p->key, p->value, opaque);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int px_kvargs_get_u64(const struct px_kvargs *kvlist, const char *key, uint64_t min, uint64_t max,
		      uint64_t *val)
{
	const char *s = px_kvargs_get(kvlist, key);
	unsigned long long v;
	char *end;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*s < '0' || *s > '9' || *end != '\0' || errno == ERANGE) {
		VDEV_LOG(ERR, "%s=%s: not a number; write %s=<%" PRIu64 "..%" PRIu64 ">", key, s,
			 key, min, max);
		return -EINVAL;
	}
	if (v < min || v > max) {
		VDEV_LOG(ERR, "%s=%s: out of range %" PRIu64 "..%" PRIu64, key, s, min, max);
		return -ERANGE;
	}
	*val = v;
	return 0;
}

int px_kvargs_get_bool(const struct px_kvargs *kvlist, const char *key, bool *val)
{
	const char *s = px_kvargs_get(kvlist, key);

	if (s == NULL)
		return 0;
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0) {
		VDEV_LOG(ERR, "%s=%s: write %s=0 or %s=1", key, s, key, key);
		return -EINVAL;
	}
	*val = s[0] == '1';
	return 0;
}

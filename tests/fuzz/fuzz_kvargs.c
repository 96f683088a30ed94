/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target for the kvargs parser. Input: an optional first line of space-separated valid keys,
 * then the argument string ("size=1,list=[a,b]"); without a newline every key is valid. The
 * parser must never crash, leak or read out of bounds, and what it accepts must keep the
 * grammar's promises (checked below; a broken promise traps).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <px_kvargs.h>
#include <px_log.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_KEYS 16

static int count_pair(const char *key, const char *value, void *opaque)
{
	(void)key;
	(void)value;
	(*(unsigned int *)opaque)++;
	return 0;
}

/* The promises of px_kvargs.h about an accepted list. */
static void check(const struct px_kvargs *kv, const char *const *keys)
{
	unsigned int n = 0;

	if (kv->count > PX_KVARGS_MAX)
		__builtin_trap();
	for (unsigned int i = 0; i < kv->count; i++) {
		const struct px_kvargs_pair *p = &kv->pairs[i];
		bool known = keys == NULL;

		if (p->key[0] == '\0' || p->value[0] == '\0' || strchr(p->key, ','))
			__builtin_trap();
		for (unsigned int k = 0; keys && keys[k]; k++)
			known |= strcmp(keys[k], p->key) == 0;
		if (!known || px_kvargs_get(kv, p->key) == NULL || px_kvargs_count(kv, p->key) == 0)
			__builtin_trap();
	}
	if (px_kvargs_process(kv, NULL, count_pair, &n) != 0 || n != kv->count ||
	    px_kvargs_count(kv, NULL) != kv->count)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *keys[FUZZ_MAX_KEYS + 1] = {NULL};
	char *buf, *args, *nl, *save = NULL;
	struct px_kvargs *kv;
	unsigned int n = 0;

	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	args = buf;
	if (nl) {
		*nl = '\0';
		args = nl + 1;
		for (char *w = strtok_r(buf, " ", &save); w && n < FUZZ_MAX_KEYS;
		     w = strtok_r(NULL, " ", &save))
			keys[n++] = w;
	}
	px_log_set_global_level(PX_LOG_EMERG); /* errors are expected; keep the output quiet */
	kv = px_kvargs_parse(args, nl ? keys : NULL);
	if (kv)
		check(kv, nl ? keys : NULL);
	px_kvargs_free(kv);
	free(buf);
	return 0;
}

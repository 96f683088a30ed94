/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_kvargs.h
 * Driver arguments: "key=value,key=value,..." as in DPDK's rte_kvargs.
 *
 * Grammar: pairs separated by ','; each pair is KEY=VALUE. A key is letters, digits, '_', '-'
 * and '.'. A value is everything up to the next ',' outside brackets, so a list keeps its
 * commas: "queues=[0,1,2]"; brackets may nest and must balance. A value may contain '=' and may
 * not be empty. A key may be given more than once ("iface=a,iface=b"); every occurrence is kept
 * in order. Empty pairs (",,", a trailing ',') are ignored, as DPDK ignores them.
 */
#ifndef PX_KVARGS_H
#define PX_KVARGS_H

#ifdef __cplusplus
extern "C" {
#endif

/** The most pairs one argument string may hold. */
#define PX_KVARGS_MAX 32

/** One key=value pair; both strings live inside the px_kvargs that holds them. */
struct px_kvargs_pair {
	const char *key;
	const char *value;
};

/** A parsed argument string. Read it with the functions below, or walk pairs[0..count-1]. */
struct px_kvargs {
	char *str;          /**< the parser's copy of the string (internal) */
	unsigned int count; /**< number of pairs */
	struct px_kvargs_pair pairs[PX_KVARGS_MAX];
};

/**
 * Parse an argument string.
 *
 * On error one line is logged (component "vdev") naming the bad pair; for an unknown key it
 * lists @p valid_keys.
 * @param args       the string; NULL or "" gives an empty list
 * @param valid_keys NULL-terminated list of the keys allowed; NULL allows any key
 * @return the list, to be freed with px_kvargs_free(); NULL with errno set: EINVAL for a
 *         malformed pair or a key not in @p valid_keys, E2BIG for more than PX_KVARGS_MAX pairs,
 *         ENOMEM
 */
struct px_kvargs *px_kvargs_parse(const char *args, const char *const valid_keys[]);

/** Free a list from px_kvargs_parse(); NULL is ignored. */
void px_kvargs_free(struct px_kvargs *kvlist);

/**
 * Count the pairs with a given key.
 * @param kvlist the list (NULL counts 0)
 * @param key    the key; NULL counts every pair
 * @return the number of pairs
 */
unsigned int px_kvargs_count(const struct px_kvargs *kvlist, const char *key);

/**
 * The value of the first pair with a given key.
 * @return the value (valid until px_kvargs_free()), or NULL when @p key is absent
 */
const char *px_kvargs_get(const struct px_kvargs *kvlist, const char *key);

/**
 * Handle a pair: called by px_kvargs_process().
 * @return 0 to go on, or a negative errno to stop
 */
typedef int (*px_kvargs_handler_t)(const char *key, const char *value, void *opaque);

/**
 * Call @p handler for every pair with key @p key, in order.
 * @param kvlist  the list
 * @param key     the key; NULL for every pair
 * @param handler the function to call
 * @param opaque  passed to @p handler
 * @return 0 when every call returned 0 (or none was made); the first non-zero return of
 *         @p handler, which stops the walk; -EINVAL when @p kvlist or @p handler is NULL
 */
int px_kvargs_process(const struct px_kvargs *kvlist, const char *key, px_kvargs_handler_t handler,
		      void *opaque);

#ifdef __cplusplus
}
#endif

#endif /* PX_KVARGS_H */

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

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

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

/**
 * Read an unsigned number: the value of the first pair with key @p key, decimal or 0x hex.
 *
 * For a driver's "size=<int>": set the default in @p val, then call this.
 * @param kvlist the list
 * @param key    the key
 * @param min    smallest value allowed
 * @param max    largest value allowed
 * @param val    in: the default; out: the number (unchanged when @p key is absent or bad)
 * @return 0 (also when @p key is absent); -EINVAL when the value is not a number (logged with
 *         the key); -ERANGE when it is outside [@p min, @p max] (logged with the range)
 */
int px_kvargs_get_u64(const struct px_kvargs *kvlist, const char *key, uint64_t min, uint64_t max,
		      uint64_t *val);

/**
 * Read a flag "<0|1>": the value of the first pair with key @p key.
 * @param kvlist the list
 * @param key    the key
 * @param val    in: the default; out: false for "0", true for "1" (unchanged when absent or bad)
 * @return 0 (also when @p key is absent); -EINVAL when the value is not 0 or 1 (logged)
 */
int px_kvargs_get_bool(const struct px_kvargs *kvlist, const char *key, bool *val);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_KVARGS_H */

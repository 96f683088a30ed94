/* SPDX-License-Identifier: BSD-3-Clause */
/** @file rte_string_fns.h DPDK compatibility: bounded string copies and splitting. */
#ifndef POLLUX_RTE_STRING_FNS_H
#define POLLUX_RTE_STRING_FNS_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/**
 * Split @p string in place at each @p delim into at most @p maxtokens tokens.
 * @return the number of tokens; -1 with errno EINVAL for a NULL argument
 */
int rte_strsplit(char *string, int stringlen, char **tokens, int maxtokens, char delim);

/** Copy @p src into @p dst of @p size bytes, NUL-terminated. @return strlen(@p src). */
static inline size_t rte_strlcpy(char *dst, const char *src, size_t size)
{
	return (size_t)snprintf(dst, size, "%s", src);
}

/** Append @p src to @p dst within @p size bytes. @return the length it tried to create. */
static inline size_t rte_strlcat(char *dst, const char *src, size_t size)
{
	size_t l = strnlen(dst, size);

	if (l < size)
		return l + rte_strlcpy(&dst[l], src, size - l);
	return l + strlen(src);
}

/**
 * Copy @p src into @p dst of @p dsize bytes.
 * @return the length copied, or -E2BIG when it did not fit (dst then holds a truncated copy)
 */
ssize_t rte_strscpy(char *dst, const char *src, size_t dsize);

#if !defined(__GLIBC__) || !(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 38))
#ifndef strlcpy
#define strlcpy(dst, src, size) rte_strlcpy(dst, src, size)
#endif
#ifndef strlcat
#define strlcat(dst, src, size) rte_strlcat(dst, src, size)
#endif
#endif

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* POLLUX_RTE_STRING_FNS_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text helpers shared by px-devbind and px-hugepages: sizes with units on the command line and
 * in the output, and JSON strings. Not installed; no px_ prefix (STYLE.md: internal headers).
 */
#ifndef TEXT_UTIL_H
#define TEXT_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Parse "512M", "1G", "2048k", "4096" into bytes; -EINVAL on garbage or overflow. */
int parse_size(const char *s, unsigned long long *bytes);
/* "2M", "1G", "64K" for a size in bytes (buf of 16 is enough). */
const char *fmt_size(unsigned long long bytes, char *buf, size_t len);

/* Print s as a JSON string literal, quotes included. */
void json_str(FILE *f, const char *s);

#endif /* TEXT_UTIL_H */

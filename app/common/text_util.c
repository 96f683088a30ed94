/* SPDX-License-Identifier: BSD-3-Clause */
/* Text helpers for px-devbind and px-hugepages; see text_util.h. */
#include <errno.h>
#include <stdlib.h>

#include "text_util.h"

int parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	case 't':
	case 'T':
		mul = 1ULL << 40;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || (v && mul > ~0ULL / v))
		return -EINVAL;
	*bytes = v * mul;
	return 0;
}

const char *fmt_size(unsigned long long bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int i = -1;

	while (i < 3 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", bytes);
	else
		snprintf(buf, len, "%llu%c", bytes, units[i]);
	return buf;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* MAC addresses: formatting, parsing, random local addresses. */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "px_ether.h"

int px_ether_addr_format(char *buf, size_t size, const struct px_ether_addr *addr)
{
	const uint8_t *b = addr->addr_bytes;

	if (size < PX_ETHER_ADDR_FMT_SIZE) {
		if (size > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	snprintf(buf, size, "%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4], b[5]);
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read exactly @n hex digits at @s into @v. Returns 0 or -EINVAL. */
static int hex_group(const char *s, int n, unsigned int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		*v = *v << 4 | (unsigned int)d;
	}
	return 0;
}

/* "XX:XX:XX:XX:XX:XX" (17 chars) with one separator throughout, ':' or '-'. */
static int parse_six(const char *s, uint8_t out[PX_ETHER_ADDR_LEN])
{
	char sep = s[2];
	unsigned int v;

	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (size_t i = 0; i < PX_ETHER_ADDR_LEN; i++) {
		if (hex_group(s + 3 * i, 2, &v) < 0)
			return -EINVAL;
		if (i < PX_ETHER_ADDR_LEN - 1 && s[3 * i + 2] != sep)
			return -EINVAL;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* "XXXX.XXXX.XXXX" (14 chars) with one separator throughout, '.' or ':'. */
static int parse_three(const char *s, uint8_t out[PX_ETHER_ADDR_LEN])
{
	char sep = s[4];
	unsigned int v;

	if (sep != '.' && sep != ':')
		return -EINVAL;
	for (size_t i = 0; i < 3; i++) {
		if (hex_group(s + 5 * i, 4, &v) < 0)
			return -EINVAL;
		if (i < 2 && s[5 * i + 4] != sep)
			return -EINVAL;
		out[2 * i] = (uint8_t)(v >> 8);
		out[2 * i + 1] = (uint8_t)v;
	}
	return 0;
}

int px_ether_addr_parse(const char *str, struct px_ether_addr *addr)
{
	uint8_t b[PX_ETHER_ADDR_LEN];
	size_t len;
	int ret;

	if (str == NULL)
		return -EINVAL;
	len = strnlen(str, 18);
	if (len == 17)
		ret = parse_six(str, b);
	else if (len == 14)
		ret = parse_three(str, b);
	else
		ret = -EINVAL;
	if (ret == 0)
		memcpy(addr->addr_bytes, b, sizeof(b));
	return ret;
}

void px_ether_addr_random(struct px_ether_addr *addr)
{
	uint8_t *b = addr->addr_bytes;

	if (getrandom(b, PX_ETHER_ADDR_LEN, GRND_NONBLOCK) != PX_ETHER_ADDR_LEN) {
		/* no entropy yet (early boot): any varying value is good enough for a MAC */
		uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)addr;

		memcpy(b, &t, PX_ETHER_ADDR_LEN);
	}
	b[0] &= (uint8_t)~PX_ETHER_GROUP_ADDR;
	b[0] |= PX_ETHER_LOCAL_ADMIN_ADDR;
}

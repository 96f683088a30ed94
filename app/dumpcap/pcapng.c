/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pcapng blocks px-dumpcap writes, in host byte order (the byte-order magic of the section
 * header tells readers which), each built whole in a buffer and written with one fwrite.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "pcapng.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_ISB 0x00000005u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define LINKTYPE_ETHERNET 1

/* option codes */
#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_HARDWARE 2
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define IF_FILTER 11
#define EPB_FLAGS 2
#define EPB_QUEUE 6
#define ISB_IFRECV 4
#define ISB_IFDROP 5

struct block {
	uint8_t buf[PCAPNG_MAX_BLOCK];
	size_t len;
};

static void put(struct block *b, const void *p, size_t n)
{
	/* Past the end, only the length grows: finish() refuses the block. */
	if (n > 0 && b->len < sizeof(b->buf) && n <= sizeof(b->buf) - b->len)
		memcpy(&b->buf[b->len], p, n);
	b->len += n;
}

static void put32(struct block *b, uint32_t v)
{
	put(b, &v, 4);
}

static void pad4(struct block *b)
{
	static const uint8_t zero[4];

	put(b, zero, (size_t)(-b->len & 3));
}

static void opt(struct block *b, uint16_t code, const void *val, uint16_t len)
{
	put(b, &code, 2);
	put(b, &len, 2);
	put(b, val, len);
	pad4(b);
}

static void opt_str(struct block *b, uint16_t code, const char *s)
{
	size_t n = strlen(s);

	opt(b, code, s, (uint16_t)(n > 0xfff0 ? 0xfff0 : n));
}

/* Start a block of @type: its length is filled in by finish(). */
static void start(struct block *b, uint32_t type)
{
	b->len = 0;
	put32(b, type);
	put32(b, 0);
}

static int finish(struct block *b, FILE *f)
{
	uint32_t total;

	opt(b, OPT_END, NULL, 0);
	total = (uint32_t)b->len + 4;
	put32(b, total);
	if (b->len > sizeof(b->buf))
		return -EMSGSIZE;
	memcpy(b->buf + 4, &total, 4);
	return fwrite(b->buf, b->len, 1, f) == 1 ? 0 : -EIO;
}

static struct block blk; /* one block at a time; px-dumpcap is single-threaded */

int pcapng_write_shb(FILE *f, const char *appl)
{
	uint16_t major = 1, minor = 0;
	int64_t section_len = -1; /* not given */
	struct utsname u;
	char os[256];

	start(&blk, BT_SHB);
	put32(&blk, BYTE_ORDER_MAGIC);
	put(&blk, &major, 2);
	put(&blk, &minor, 2);
	put(&blk, &section_len, 8);
	if (uname(&u) == 0) {
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
		opt_str(&blk, SHB_HARDWARE, u.machine);
		opt_str(&blk, SHB_OS, os);
	}
	opt_str(&blk, SHB_USERAPPL, appl);
	return finish(&blk, f);
}

int pcapng_write_idb(FILE *f, const char *name, const char *descr, uint32_t snaplen,
		     const char *filter)
{
	uint16_t linktype = LINKTYPE_ETHERNET, reserved = 0;
	uint8_t tsresol = 9; /* 10^-9 s: nanoseconds */
	char fbuf[1024];

	start(&blk, BT_IDB);
	put(&blk, &linktype, 2);
	put(&blk, &reserved, 2);
	put32(&blk, snaplen);
	opt_str(&blk, IF_NAME, name);
	opt_str(&blk, IF_DESCRIPTION, descr);
	opt(&blk, IF_TSRESOL, &tsresol, 1);
	if (filter) {
		/* first byte 0: the filter as a libpcap string */
		fbuf[0] = 0;
		snprintf(fbuf + 1, sizeof(fbuf) - 1, "%s", filter);
		opt(&blk, IF_FILTER, fbuf, (uint16_t)(1 + strlen(fbuf + 1)));
	}
	return finish(&blk, f);
}

int pcapng_write_epb(FILE *f, uint32_t ifid, uint64_t ts_ns, const void *data, uint32_t cap_len,
		     uint32_t orig_len, uint32_t direction, uint32_t queue)
{
	start(&blk, BT_EPB);
	put32(&blk, ifid);
	put32(&blk, (uint32_t)(ts_ns >> 32));
	put32(&blk, (uint32_t)ts_ns);
	put32(&blk, cap_len);
	put32(&blk, orig_len);
	put(&blk, data, cap_len);
	pad4(&blk);
	opt(&blk, EPB_FLAGS, &direction, 4);
	opt(&blk, EPB_QUEUE, &queue, 4);
	return finish(&blk, f);
}

int pcapng_write_isb(FILE *f, uint32_t ifid, uint64_t ts_ns, uint64_t recv, uint64_t drop)
{
	start(&blk, BT_ISB);
	put32(&blk, ifid);
	put32(&blk, (uint32_t)(ts_ns >> 32));
	put32(&blk, (uint32_t)ts_ns);
	opt(&blk, ISB_IFRECV, &recv, 8);
	opt(&blk, ISB_IFDROP, &drop, 8);
	return finish(&blk, f);
}

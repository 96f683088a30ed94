/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The answer builder: JSON written straight into the reply buffer, one container stack deep
 * PX_TELEMETRY_MAX_DEPTH, never past the buffer's end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "telemetry_private.h"

static void put(struct px_tel_data *d, const char *s, size_t n)
{
	if (d->bad)
		return;
	if (d->len + n >= d->cap) { /* keep room for the NUL */
		d->bad = "the answer is longer than max_output_len";
		return;
	}
	memcpy(d->buf + d->len, s, n);
	d->len += n;
	d->buf[d->len] = '\0';
}

static void puts_(struct px_tel_data *d, const char *s)
{
	put(d, s, strlen(s));
}

static void put_string(struct px_tel_data *d, const char *s)
{
	char esc[8];

	put(d, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(d, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(d, esc, 6);
		} else {
			put(d, s, 1);
		}
	}
	put(d, "\"", 1);
}

/* The separator and key before a value; false (answer marked bad) for a misplaced value. */
static bool begin_value(struct px_tel_data *d, const char *key)
{
	bool in_dict = d->depth > 0 && d->close[d->depth - 1] == '}';

	if (d->bad)
		return false;
	if (d->depth == 0 && d->has_items[0]) {
		d->bad = "the handler wrote two top-level values";
		return false;
	}
	if ((key != NULL) != in_dict) {
		d->bad = in_dict ? "a value without a key in a dict" : "a key outside a dict";
		return false;
	}
	if (d->depth > 0 && d->has_items[d->depth])
		put(d, ",", 1);
	d->has_items[d->depth] = true;
	if (key) {
		put_string(d, key);
		put(d, ":", 1);
	}
	return true;
}

static void start(struct px_tel_data *d, const char *key, char open, char close)
{
	if (!begin_value(d, key))
		return;
	if (d->depth == PX_TELEMETRY_MAX_DEPTH) {
		d->bad = "containers nested too deep";
		return;
	}
	put(d, &open, 1);
	d->close[d->depth++] = close;
	d->has_items[d->depth] = false;
}

void px_tel_start_dict(struct px_tel_data *d, const char *key)
{
	start(d, key, '{', '}');
}

void px_tel_start_array(struct px_tel_data *d, const char *key)
{
	start(d, key, '[', ']');
}

void px_tel_end(struct px_tel_data *d)
{
	if (d->bad)
		return;
	if (d->depth == 0) {
		d->bad = "px_tel_end() without an open container";
		return;
	}
	d->depth--;
	put(d, &d->close[d->depth], 1);
}

void px_tel_add_int(struct px_tel_data *d, const char *key, int64_t v)
{
	char num[24];

	if (begin_value(d, key))
		put(d, num, (size_t)snprintf(num, sizeof(num), "%" PRId64, v));
}

void px_tel_add_uint(struct px_tel_data *d, const char *key, uint64_t v)
{
	char num[24];

	if (begin_value(d, key))
		put(d, num, (size_t)snprintf(num, sizeof(num), "%" PRIu64, v));
}

void px_tel_add_string(struct px_tel_data *d, const char *key, const char *s)
{
	if (!begin_value(d, key))
		return;
	if (s)
		put_string(d, s);
	else
		puts_(d, "null");
}

void tel_data_init(struct px_tel_data *d, char *buf, size_t cap, const char *prefix)
{
	memset(d, 0, sizeof(*d));
	d->buf = buf;
	d->cap = cap;
	puts_(d, prefix);
}

size_t tel_data_finish(struct px_tel_data *d, const char *prefix)
{
	while (!d->bad && d->depth > 0)
		px_tel_end(d);
	if (d->bad || !d->has_items[0]) {
		const char *why = d->bad;

		tel_data_init(d, d->buf, d->cap, prefix);
		puts_(d, "null");
		d->bad = why;
	}
	/* The closing brace always fits: init and the checks above keep one byte spare. */
	d->buf[d->len++] = '}';
	d->buf[d->len] = '\0';
	return d->len;
}

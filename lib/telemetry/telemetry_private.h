/* SPDX-License-Identifier: BSD-3-Clause */
/* What telemetry.c and telemetry_json.c share: the answer being built. Not installed. */
#ifndef TELEMETRY_PRIVATE_H
#define TELEMETRY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "px_telemetry.h"

struct px_tel_data {
	char *buf;
	size_t len;
	size_t cap;
	unsigned int depth;                         /* open containers */
	char close[PX_TELEMETRY_MAX_DEPTH];         /* '}' or ']' for each */
	bool has_items[PX_TELEMETRY_MAX_DEPTH + 1]; /* [0]: the top-level value is written */
	const char *bad;                            /* why the answer cannot be sent, or NULL */
};

/* Start an answer in @buf of @cap bytes with @prefix already written (e.g. {"/cmd":). */
void tel_data_init(struct px_tel_data *d, char *buf, size_t cap, const char *prefix);
/* Close what is open and the outer dict; null when nothing was written or the answer is bad.
 * Returns the length of the answer in the buffer. */
size_t tel_data_finish(struct px_tel_data *d, const char *prefix);

#endif /* TELEMETRY_PRIVATE_H */

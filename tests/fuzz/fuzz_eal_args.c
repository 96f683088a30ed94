/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target for the EAL argument parser. The input is a command line: arguments separated by
 * NUL or newline bytes. The parser must never crash, leak or read out of bounds, whatever it gets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[64];
	int argc = 0;
	cpu_set_t online;
	struct eal_cfg *cfg;

	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	cfg = malloc(sizeof(*cfg));
	if (buf == NULL || cfg == NULL)
		goto out;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "fuzz";
	for (char *p = buf; p < buf + size + 1 && argc < 63;) {
		char *end = p + strcspn(p, "\n");

		argv[argc++] = p;
		if (*end == '\0' && end == buf + size)
			break;
		*end = '\0';
		p = end + 1;
	}
	argv[argc] = NULL;
	CPU_ZERO(&online);
	for (int i = 0; i < 8; i++)
		CPU_SET(i, &online);
	px_log_set_global_level(PX_LOG_EMERG); /* errors are expected; keep the output quiet */
	if (eal_args_parse(cfg, argc, argv, &online) >= 0)
		eal_cfg_free(cfg);
out:
	free(cfg);
	free(buf);
	return 0;
}

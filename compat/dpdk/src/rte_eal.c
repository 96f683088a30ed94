/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK compatibility: EAL initialisation, rte_errno, rte_exit/rte_panic and the lcore queries
 * that have no Pollux twin (rte_eal.h, rte_errno.h, rte_debug.h, rte_lcore.h).
 */
#include <errno.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

RTE_DEFINE_PER_LCORE(int, _rte_errno);

const char *rte_strerror(int errnum)
{
	static __thread char buf[128];

	switch (errnum) {
	case E_RTE_SECONDARY:
		return "Invalid call in secondary process";
	case E_RTE_NO_CONFIG:
		return "Missing rte_config structure";
	default:
		/* GNU strerror_r returns the message, in buf or a static string. */
		return strerror_r(errnum, buf, sizeof(buf));
	}
}

int rte_eal_init(int argc, char **argv)
{
	int ret = px_eal_init(argc, argv);

	if (ret == -ECANCELED)
		exit(EXIT_SUCCESS); /* --help: DPDK prints the usage and exits the program */
	if (ret < 0) {
		rte_errno = -ret;
		return -1;
	}
	return ret;
}

int rte_eal_cleanup(void)
{
	return px_eal_cleanup();
}

void rte_dump_stack(void)
{
	void *frames[64];
	int n = backtrace(frames, (int)RTE_DIM(frames));

	backtrace_symbols_fd(frames, n, STDERR_FILENO);
}

void rte_exit(int exit_code, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	rte_vlog(RTE_LOG_CRIT, RTE_LOGTYPE_EAL, format, ap);
	va_end(ap);
	/* Only when the workers are idle: px_eal_cleanup() refuses otherwise, and exit() ends
	 * them anyway. */
	if (px_eal_initialized())
		(void)px_eal_cleanup();
	exit(exit_code);
}

void __rte_panic(const char *funcname, const char *format, ...)
{
	va_list ap;

	rte_log(RTE_LOG_CRIT, RTE_LOGTYPE_EAL, "PANIC in %s():\n", funcname);
	va_start(ap, format);
	rte_vlog(RTE_LOG_CRIT, RTE_LOGTYPE_EAL, format, ap);
	va_end(ap);
	rte_dump_stack();
	abort();
}

int rte_lcore_index(int lcore_id)
{
	unsigned int i, idx = 0;

	if (lcore_id < 0)
		lcore_id = (int)rte_lcore_id();
	if (lcore_id >= RTE_MAX_LCORE || !rte_lcore_is_enabled((unsigned int)lcore_id))
		return -1;
	RTE_LCORE_FOREACH(i)
	{
		if (i == (unsigned int)lcore_id)
			return (int)idx;
		idx++;
	}
	return -1;
}

unsigned int rte_socket_count(void)
{
	unsigned int i, n = 0;
	uint64_t seen = 0;

	RTE_LCORE_FOREACH(i)
	{
		int s = px_lcore_to_socket_id(i);

		if (s >= 0 && s < 64 && !(seen & (1ull << s))) {
			seen |= 1ull << s;
			n++;
		}
	}
	return n ? n : 1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px_eal_init() and px_eal_cleanup(): parse the options, then bring up, in order, logging, the
 * cycle counter, memory and the lcores; take them down in reverse.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "eal_private.h"
#include "eal_telemetry.h"

struct eal_cfg eal_config;
static bool eal_up;
static pthread_mutex_t eal_lock = PTHREAD_MUTEX_INITIALIZER;

int px_eal_initialized(void)
{
	return eal_up;
}

enum px_iova_mode px_eal_iova_mode(void)
{
	return eal_config.iova_mode;
}

const char *px_eal_file_prefix(void)
{
	return eal_config.file_prefix ? eal_config.file_prefix : "pollux";
}

static void *eal_cycles_thread(void *arg)
{
	(void)arg;
	eal_cycles_init();
	return NULL;
}

static int eal_bring_up(struct eal_cfg *cfg)
{
	pthread_t cycles;
	bool threaded;
	int ret;

	/* Calibrating the cycle counter may sleep (20 ms on x86): let it sleep on its own thread
	 * while memory is populated, which is most of what init costs. */
	threaded = px_ctrl_thread_create(&cycles, "px-cycles", eal_cycles_thread, NULL) == 0;
	if (!threaded)
		eal_cycles_init();
	ret = eal_mem_init(cfg);
	if (threaded)
		pthread_join(cycles, NULL);
	if (ret < 0)
		return ret;
	ret = eal_lcore_init(cfg);
	if (ret < 0)
		goto mem;
	ret = eal_bus_init();
	if (ret < 0)
		goto lcores;
	EAL_LOG(INFO, "%u lcore(s), main lcore %u, cycle counter %.3f MHz", cfg->lcore_count,
		cfg->main_lcore, px_get_tsc_hz() / 1e6);
	return 0;
lcores:
	eal_intr_cleanup();
	eal_lcore_cleanup();
mem:
	eal_mem_cleanup();
	return ret;
}

int px_eal_init(int argc, char **argv)
{
	cpu_set_t usable;
	int ret, consumed;

	pthread_mutex_lock(&eal_lock);
	if (eal_up) {
		EAL_LOG(ERR, "px_eal_init() called twice; call px_eal_cleanup() first");
		ret = -EALREADY;
		goto out;
	}
	ret = eal_cpus_usable(&usable);
	if (ret < 0) {
		EAL_LOG(ERR, "cannot read the CPU affinity: %s", strerror(-ret));
		goto out;
	}
	ret = eal_args_parse(&eal_config, argc, argv, &usable);
	if (ret < 0)
		goto out;
	consumed = ret - 1;
	if (eal_config.help || eal_config.log_help) {
		if (eal_config.help)
			px_eal_usage(stdout);
		else
			eal_log_usage(stdout);
		eal_cfg_free(&eal_config);
		ret = -ECANCELED;
		goto out;
	}
	eal_log_start(&eal_config, argv[0]);
	ret = eal_bring_up(&eal_config);
	if (ret < 0) {
		eal_log_stop();
		eal_cfg_free(&eal_config);
		goto out;
	}
	eal_telemetry_start(&eal_config, consumed + 1, argv);
	if (consumed > 0)
		argv[consumed] = argv[0];
	eal_up = true;
	ret = consumed;
out:
	pthread_mutex_unlock(&eal_lock);
	return ret;
}

int px_eal_cleanup(void)
{
	int ret = 0;

	pthread_mutex_lock(&eal_lock);
	if (!eal_up) {
		ret = -ENOENT;
		goto out;
	}
	if (eal_lcore_busy()) {
		EAL_LOG(ERR,
			"px_eal_cleanup(): a worker lcore is still running; call px_mp_wait_lcore() first");
		ret = -EBUSY;
		goto out;
	}
	eal_telemetry_stop();
	eal_bus_cleanup();
	eal_intr_cleanup();
	eal_lcore_cleanup();
	eal_mem_cleanup();
	eal_log_stop();
	eal_cfg_free(&eal_config);
	memset(&eal_config, 0, sizeof(eal_config));
	eal_up = false;
out:
	pthread_mutex_unlock(&eal_lock);
	return ret;
}

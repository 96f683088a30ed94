/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK compatibility: DPDK's log types on Pollux's log components (rte_log.h). The fixed types
 * 0-31 are components registered here; a registered type is its component id + 32.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <rte_log.h>

/* Names of DPDK's fixed log types; NULL: unused number. */
static const char *const fixed_names[RTE_LOGTYPE_FIRST_EXT_ID] = {
	[RTE_LOGTYPE_EAL] = "eal",     [RTE_LOGTYPE_MALLOC] = "malloc",
	[RTE_LOGTYPE_RING] = "ring",   [RTE_LOGTYPE_MEMPOOL] = "mempool",
	[RTE_LOGTYPE_TIMER] = "timer", [RTE_LOGTYPE_PMD] = "pmd",
	[RTE_LOGTYPE_HASH] = "hash",   [RTE_LOGTYPE_LPM] = "lpm",
	[RTE_LOGTYPE_KNI] = "kni",     [RTE_LOGTYPE_ACL] = "acl",
	[RTE_LOGTYPE_POWER] = "power", [RTE_LOGTYPE_METER] = "meter",
	[RTE_LOGTYPE_SCHED] = "sched", [RTE_LOGTYPE_PORT] = "port",
	[RTE_LOGTYPE_TABLE] = "table", [RTE_LOGTYPE_PIPELINE] = "pipeline",
	[RTE_LOGTYPE_MBUF] = "mbuf",   [RTE_LOGTYPE_CRYPTODEV] = "cryptodev",
	[RTE_LOGTYPE_EFD] = "efd",     [RTE_LOGTYPE_EVENTDEV] = "eventdev",
	[RTE_LOGTYPE_GSO] = "gso",     [RTE_LOGTYPE_USER1] = "user1",
	[RTE_LOGTYPE_USER2] = "user2", [RTE_LOGTYPE_USER3] = "user3",
	[RTE_LOGTYPE_USER4] = "user4", [RTE_LOGTYPE_USER5] = "user5",
	[RTE_LOGTYPE_USER6] = "user6", [RTE_LOGTYPE_USER7] = "user7",
	[RTE_LOGTYPE_USER8] = "user8",
};

static int fixed_ids[RTE_LOGTYPE_FIRST_EXT_ID];
static uint32_t global_level = RTE_LOG_DEBUG;

/* Before main(), so --log-level patterns given to rte_eal_init() reach these components too.
 * DPDK's fixed types start at INFO (the application's messages are shown). */
RTE_INIT(rte_log_fixed_types)
{
	for (unsigned int i = 0; i < RTE_LOGTYPE_FIRST_EXT_ID; i++)
		fixed_ids[i] = fixed_names[i] ? px_log_register(fixed_names[i], PX_LOG_INFO) : -1;
}

int rte_log_px_component(uint32_t logtype)
{
	if (logtype < RTE_LOGTYPE_FIRST_EXT_ID)
		return fixed_ids[logtype];
	if (logtype - RTE_LOGTYPE_FIRST_EXT_ID < PX_LOG_MAX_COMPONENTS)
		return (int)(logtype - RTE_LOGTYPE_FIRST_EXT_ID);
	return -1;
}

int rte_log_can_log(uint32_t logtype, uint32_t level)
{
	int id = rte_log_px_component(logtype);

	return id >= 0 && level <= global_level && px_log_enabled(id, (int)level);
}

int rte_vlog(uint32_t level, uint32_t logtype, const char *format, va_list ap)
{
	int id = rte_log_px_component(logtype);

	if (id < 0)
		return -1;
	if (level <= global_level && px_log_enabled(id, (int)level))
		px_log_vwrite(id, (int)level, format, ap);
	return 0;
}

int rte_log(uint32_t level, uint32_t logtype, const char *format, ...)
{
	va_list ap;
	int ret;

	va_start(ap, format);
	ret = rte_vlog(level, logtype, format, ap);
	va_end(ap);
	return ret;
}

int rte_log_register_type_and_pick_level(const char *name, uint32_t level_def)
{
	int id = px_log_register(name, (enum px_log_level)level_def);

	return id < 0 ? -1 : id + RTE_LOGTYPE_FIRST_EXT_ID;
}

int rte_log_register(const char *name)
{
	return rte_log_register_type_and_pick_level(name, RTE_LOG_INFO);
}

int rte_log_get_level(uint32_t logtype)
{
	int id = rte_log_px_component(logtype);
	int lvl = id < 0 ? -EINVAL : px_log_get_level(id);

	return lvl < 0 ? -1 : lvl;
}

int rte_log_set_level(uint32_t logtype, uint32_t level)
{
	int id = rte_log_px_component(logtype);

	if (id < 0 || level < RTE_LOG_EMERG || level > RTE_LOG_MAX || id >= PX_LOG_MAX_COMPONENTS)
		return -1;
	px_log_levels[id] = (uint8_t)level;
	return 0;
}

int rte_log_set_level_pattern(const char *pattern, uint32_t level)
{
	return px_log_set_level_pattern(pattern, (enum px_log_level)level) < 0 ? -1 : 0;
}

void rte_log_set_global_level(uint32_t level)
{
	global_level = level;
}

uint32_t rte_log_get_global_level(void)
{
	return global_level;
}

int rte_openlog_stream(FILE *f)
{
	px_log_set_stream(f);
	return 0;
}

void rte_log_dump(FILE *f)
{
	px_log_dump(f);
}

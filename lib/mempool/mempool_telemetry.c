/* SPDX-License-Identifier: BSD-3-Clause */
/* The /mempool/list and /mempool/info telemetry commands, with DPDK's names and answers. */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <px_telemetry.h>

#include "mempool_telemetry.h"
#include "px_mempool.h"

static void list_one(struct px_mempool *mp, void *arg)
{
	if (mp->ring != NULL) /* a pool being created has no ring yet */
		px_tel_add_string(arg, NULL, mp->name);
}

static int mempool_list_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	(void)cmd;
	(void)params;
	px_tel_start_array(d, NULL);
	px_mempool_walk(list_one, d);
	px_tel_end(d);
	return 0;
}

struct info_arg {
	const char *name;
	struct px_tel_data *d;
	bool found;
};

static void info_one(struct px_mempool *mp, void *arg)
{
	struct info_arg *a = arg;
	struct px_tel_data *d = a->d;
	unsigned int avail;

	if (a->found || mp->ring == NULL || strcmp(mp->name, a->name) != 0)
		return;
	a->found = true;
	px_tel_start_dict(d, NULL);
	px_tel_add_string(d, "name", mp->name);
	px_tel_add_uint(d, "flags", mp->flags);
	px_tel_add_int(d, "socket_id", mp->socket_id);
	px_tel_add_uint(d, "size", mp->size);
	px_tel_add_uint(d, "cache_size", mp->cache_size);
	px_tel_add_uint(d, "elt_size", mp->elt_size);
	px_tel_add_uint(d, "header_size", mp->header_size);
	px_tel_add_uint(d, "total_elt_size", mp->total_elt_size);
	px_tel_add_uint(d, "private_data_size", mp->private_data_size);
	px_tel_add_string(d, "ring_name", mp->ring->name);
	/* one count for both: read twice while lcores use the pool, they need not add up */
	avail = px_mempool_avail_count(mp);
	px_tel_add_uint(d, "avail_count", avail);
	px_tel_add_uint(d, "in_use_count", mp->size - avail);
	px_tel_end(d);
}

static int mempool_info_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	struct info_arg a = {params, d, false};

	(void)cmd;
	if (params[0] == '\0')
		return -EINVAL;
	px_mempool_walk(info_one, &a);
	return a.found ? 0 : -ENOENT;
}

static void register_once(void)
{
	px_telemetry_register_cmd("/mempool/list", mempool_list_cmd,
				  "Returns list of available mempool. Takes no parameters");
	px_telemetry_register_cmd("/mempool/info", mempool_info_cmd,
				  "Returns mempool info. Parameters: pool_name");
}

void mempool_telemetry_register(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, register_once);
}

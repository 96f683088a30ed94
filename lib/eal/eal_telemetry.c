/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry from px_eal_init(): the server (lib/telemetry) started in DPDK's runtime directory,
 * /dpdk/<file-prefix>/, and the EAL's own commands, /eal/params and /eal/lcore/list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <px_lcore.h>
#include <px_telemetry.h>
#include <telemetry_server.h>

#include "eal_private.h"
#include "eal_telemetry.h"

/* DPDK's default --file-prefix: a client with no -f looks here. */
#define EAL_TELEMETRY_DEFAULT_PREFIX "rte"

static char **eal_args;
static int eal_nargs;

static int eal_params_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	(void)cmd;
	(void)params;
	px_tel_start_array(d, NULL);
	for (int i = 0; i < eal_nargs; i++)
		px_tel_add_string(d, NULL, eal_args[i]);
	px_tel_end(d);
	return 0;
}

static int eal_lcore_list_cmd(const char *cmd, const char *params, struct px_tel_data *d)
{
	(void)cmd;
	(void)params;
	px_tel_start_array(d, NULL);
	for (unsigned int i = 0; i < PX_MAX_LCORE; i++)
		if (px_lcore_is_enabled(i))
			px_tel_add_int(d, NULL, i);
	px_tel_end(d);
	return 0;
}

static void eal_telemetry_log(int is_error, const char *line)
{
	if (is_error)
		EAL_LOG(WARNING, "%s", line);
	else
		EAL_LOG(DEBUG, "%s", line);
}

static void eal_telemetry_keep_args(int argc, char **argv)
{
	eal_args = calloc((size_t)argc, sizeof(*eal_args));
	if (eal_args == NULL)
		return;
	for (eal_nargs = 0; eal_nargs < argc; eal_nargs++) {
		eal_args[eal_nargs] = strdup(argv[eal_nargs]);
		if (eal_args[eal_nargs] == NULL)
			break;
	}
}

void eal_telemetry_start(const struct eal_cfg *cfg, int argc, char **argv)
{
	char dir[108];

	eal_telemetry_keep_args(argc, argv);
	/* Registration fails with -EEXIST after a px_eal_cleanup(): the commands stay. */
	px_telemetry_register_cmd("/eal/params", eal_params_cmd,
				  "Returns the EAL parameters. Takes no parameters");
	px_telemetry_register_cmd("/eal/lcore/list", eal_lcore_list_cmd,
				  "Returns the list of enabled lcores. Takes no parameters");
	if (cfg->no_telemetry)
		return;
	if (px_telemetry_runtime_dir(cfg->file_prefix ? cfg->file_prefix
						      : EAL_TELEMETRY_DEFAULT_PREFIX,
				     dir, sizeof(dir)) < 0) {
		EAL_LOG(WARNING, "telemetry: the runtime directory's path is too long; running "
				 "without telemetry (choose a shorter --file-prefix)");
		return;
	}
	telemetry_start(dir, eal_telemetry_log, px_ctrl_thread_create);
}

void eal_telemetry_stop(void)
{
	telemetry_stop();
	for (int i = 0; i < eal_nargs; i++)
		free(eal_args[i]);
	free(eal_args);
	eal_args = NULL;
	eal_nargs = 0;
}

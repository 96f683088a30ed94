/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * px-devbind: show network devices and move them between kernel drivers and vfio-pci, the
 * step every Pollux application needs first. Reads and writes sysfs directly; see
 * docs/devbind.md.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devbind.h"

static const char usage[] =
	"Usage: px-devbind --status [--json]\n"
	"       px-devbind --bind=DRIVER [--force] [--noiommu] [--uid=U] [--gid=G] DEVICE...\n"
	"       px-devbind --unbind [--force] DEVICE...\n"
	"       px-devbind --restore DEVICE...\n"
	"\n"
	"DEVICE is a PCI address (0000:01:00.0 or 01:00.0) or a network interface name.\n"
	"\n"
	"  -s, --status        list network devices: on vfio-pci, on a kernel driver, on none\n"
	"      --json          --status as JSON\n"
	"  -b, --bind=DRIVER   bind to DRIVER (vfio-pci) through driver_override, loading it\n"
	"  -u, --unbind        release the devices from their driver\n"
	"  -r, --restore       give the devices back to the kernel driver they had\n"
	"      --force         move a device even if its interface has addresses or routes\n"
	"      --noiommu       allow devices without an IOMMU group by enabling vfio's unsafe\n"
	"                      no-IOMMU mode: no DMA isolation at all\n"
	"      --uid=U, --gid=G  hand /dev/vfio/N to this user/group after binding\n"
	"      --dry-run       print the writes instead of doing them\n"
	"      --sysfs-root=DIR, --procfs-root=DIR, --devfs-root=DIR\n"
	"                      read and write a tree other than /sys, /proc, /dev (tests)\n"
	"      --state-dir=DIR where original drivers are remembered (/run/pollux/devbind;\n"
	"                      with --sysfs-root=DIR, DIR/../run/pollux/devbind)\n"
	"      --pci-ids=FILE  device name database (default /usr/share/misc/pci.ids,\n"
	"                      /usr/share/hwdata/pci.ids)\n"
	"  -h, --help          this text\n"
	"\n"
	"Exit codes:\n"
	"   0 success               1 internal error (out of memory)\n"
	"   2 bad command line      3 no such device or interface\n"
	"   4 interface is active (has addresses or routes); --force overrides\n"
	"   5 would leave an IOMMU group half-bound; bind the whole group\n"
	"   6 device has no IOMMU group; enable the IOMMU or use --noiommu\n"
	"   7 driver module not available     8 a sysfs write failed (not root?)\n"
	"   9 the kernel did not bind the device as asked (see dmesg)\n"
	"  10 --restore does not know the original driver\n"
	"  11 cannot hand /dev/vfio/N over (--uid/--gid)\n"
	"  12 sysfs unreadable\n";

enum cmd { CMD_NONE, CMD_STATUS, CMD_BIND, CMD_UNBIND, CMD_RESTORE };

enum opt_id {
	OPT_JSON = 256,
	OPT_FORCE,
	OPT_NOIOMMU,
	OPT_UID,
	OPT_GID,
	OPT_STATE,
	OPT_PCI_IDS,
};

static const struct option long_opts[] = {
	{"status", no_argument, NULL, 's'},
	{"bind", required_argument, NULL, 'b'},
	{"unbind", no_argument, NULL, 'u'},
	{"restore", no_argument, NULL, 'r'},
	{"help", no_argument, NULL, 'h'},
	{"json", no_argument, NULL, OPT_JSON},
	{"force", no_argument, NULL, OPT_FORCE},
	{"noiommu", no_argument, NULL, OPT_NOIOMMU},
	{"uid", required_argument, NULL, OPT_UID},
	{"gid", required_argument, NULL, OPT_GID},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT},
	{"procfs-root", required_argument, NULL, OPT_PROCFS_ROOT},
	{"devfs-root", required_argument, NULL, OPT_DEVFS_ROOT},
	{"state-dir", required_argument, NULL, OPT_STATE},
	{"pci-ids", required_argument, NULL, OPT_PCI_IDS},
	{NULL, 0, NULL, 0},
};

/*
 * A user or group name, or a number. Names come from /etc/passwd and /etc/group directly, not
 * getpwnam(): the tool is linked statically for lab guests, where glibc's NSS cannot load.
 * Users known only to a directory service (LDAP) need their number.
 */
static int parse_id(const char *s, bool user, unsigned int *id)
{
	char line[1024], *name, *num, *rest;
	FILE *f;
	int ret = -1;

	*id = strtoul(s, &name, 10);
	if (*s && !*name)
		return 0;
	f = fopen(user ? "/etc/passwd" : "/etc/group", "re");
	while (f && ret && fgets(line, sizeof(line), f)) {
		rest = line;
		name = strsep(&rest, ":");
		strsep(&rest, ":"); /* the password field, maybe empty */
		num = strsep(&rest, ":");
		if (name && num && !strcmp(name, s)) {
			*id = strtoul(num, NULL, 10);
			ret = 0;
		}
	}
	if (f)
		fclose(f);
	return ret;
}

static int set_cmd(enum cmd *cmd, enum cmd c)
{
	if (*cmd != CMD_NONE && *cmd != c) {
		fprintf(stderr, "px-devbind: give one of --status, --bind, --unbind, --restore\n");
		return -1;
	}
	*cmd = c;
	return 0;
}

/* The options that take an argument, and those that set roots (sysfs_util.h). */
static int parse_opt_arg(int id, const char *arg, struct devbind_opts *o)
{
	unsigned int v;

	switch (id) {
	case OPT_STATE:
		o->state_dir = arg;
		return 0;
	case OPT_PCI_IDS:
		o->pci_ids = arg;
		return 0;
	case OPT_UID:
	case OPT_GID:
		if (parse_id(arg, id == OPT_UID, &v)) {
			fprintf(stderr,
				"px-devbind: no such %s '%s' in /etc/%s; give its number "
				"(`getent %s %s`)\n",
				id == OPT_UID ? "user" : "group", arg,
				id == OPT_UID ? "passwd" : "group",
				id == OPT_UID ? "passwd" : "group", arg);
			return -1;
		}
		if (id == OPT_UID)
			o->uid = v, o->set_uid = true;
		else
			o->gid = v, o->set_gid = true;
		return 0;
	default:
		return roots_opt(id, arg) ? -1 : 0;
	}
}

static int parse_args(int argc, char **argv, struct devbind_opts *o, enum cmd *cmd,
		      const char **driver)
{
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, "sb:urh", long_opts, NULL)) != -1) {
		switch (c) {
		case 's':
			ret = set_cmd(cmd, CMD_STATUS);
			break;
		case 'b':
			ret = set_cmd(cmd, CMD_BIND);
			*driver = optarg;
			break;
		case 'u':
			ret = set_cmd(cmd, CMD_UNBIND);
			break;
		case 'r':
			ret = set_cmd(cmd, CMD_RESTORE);
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_NOIOMMU:
			o->noiommu = true;
			break;
		default:
			ret = parse_opt_arg(c, optarg, o);
			break;
		}
	}
	return ret;
}

static int check_args(enum cmd cmd, int nargs, const char *driver)
{
	if (cmd == CMD_NONE) {
		fprintf(stderr, "px-devbind: nothing to do; try `px-devbind --status` or --help\n");
		return -1;
	}
	if (cmd == CMD_STATUS && nargs) {
		fprintf(stderr, "px-devbind: --status takes no devices\n");
		return -1;
	}
	if (cmd != CMD_STATUS && !nargs) {
		fprintf(stderr, "px-devbind: name the devices, e.g. `px-devbind --bind=vfio-pci "
				"0000:01:00.0`; `px-devbind --status` lists them\n");
		return -1;
	}
	if (cmd == CMD_BIND && (!*driver || strchr(driver, '/'))) {
		fprintf(stderr, "px-devbind: --bind needs a driver name, e.g. --bind=vfio-pci\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct devbind_opts o = {.state_dir = NULL};
	char state_dir[PATH_MAX];
	const char *driver = NULL;
	enum cmd cmd = CMD_NONE;
	int ret;

	ret = parse_args(argc, argv, &o, &cmd, &driver);
	if (ret > 0)
		return DB_OK;
	if (ret || check_args(cmd, argc - optind, driver))
		return DB_EUSAGE;
	/* A fake sysfs keeps the state beside it (DIR/../run), never in the host's /run. */
	if (!o.state_dir) {
		snprintf(state_dir, sizeof(state_dir), "%s%s/run/pollux/devbind",
			 strcmp(roots.sys, "/sys") != 0 ? roots.sys : "",
			 strcmp(roots.sys, "/sys") != 0 ? "/.." : "");
		o.state_dir = state_dir;
	}
	switch (cmd) {
	case CMD_STATUS:
		return cmd_status(&o);
	case CMD_BIND:
		return cmd_bind(&o, driver, argv + optind, argc - optind);
	case CMD_UNBIND:
		return cmd_unbind(&o, argv + optind, argc - optind);
	case CMD_RESTORE:
		return cmd_restore(&o, argv + optind, argc - optind);
	default:
		return DB_EUSAGE;
	}
}

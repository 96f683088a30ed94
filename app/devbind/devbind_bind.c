/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --bind, --unbind, --restore. The kernel interface (Documentation/ABI/testing/sysfs-bus-pci):
 * write the driver's name to <dev>/driver_override so that only that driver may claim the
 * device, write the address to <dev>/driver/unbind to release it, then to
 * /sys/bus/pci/drivers_probe to let the kernel probe it again. An empty driver_override
 * ("\n") gives the choice back to the kernel's ID tables.
 *
 * Every check runs for every device before anything is written, so a refused command changes
 * nothing. With a fake sysfs (--sysfs-root) no kernel moves the driver symlinks, so the result
 * is not verified; with --dry-run the writes are only printed.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devbind.h"

extern char **environ;

struct target {
	struct pci_dev d;
	char want[DB_NAME_LEN]; /* driver after the command; "" = none or the kernel's choice */
	bool want_viable;       /* does `want` keep an IOMMU group viable? */
	bool done;              /* already where it should be */
};

struct plan {
	struct target *t;
	int n;
	const char *cmd; /* the command line that moves more devices, for error messages */
};

static struct target *plan_find(const struct plan *p, const char *addr)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (!strcmp(p->t[i].d.addr, addr))
			return &p->t[i];
	}
	return NULL;
}

/* A PCI address ("0000:00:02.0", or "00:02.0" in domain 0) or a network interface name. */
static int resolve_one(const char *arg, struct pci_dev *d)
{
	struct dev_list l = {0};
	char addr[DB_ADDR_LEN];
	int i, j, ret;

	snprintf(addr, sizeof(addr), "0000:%s", arg);
	if (is_pci_addr(arg) || is_pci_addr(addr))
		return dev_read(is_pci_addr(arg) ? arg : addr, d);
	ret = dev_scan(&l, true);
	for (i = 0; !ret && i < l.n; i++) {
		for (j = 0; j < l.devs[i].nifs; j++) {
			if (!strcmp(l.devs[i].ifs[j], arg)) {
				*d = l.devs[i];
				goto out;
			}
		}
	}
	if (!ret)
		ret = -ENODEV;
out:
	dev_list_free(&l);
	return ret;
}

static int plan_resolve(struct plan *p, char **args, int nargs)
{
	int i, ret;

	p->t = calloc(nargs, sizeof(*p->t));
	if (!p->t)
		return DB_EINTERNAL;
	for (i = 0; i < nargs; i++) {
		ret = resolve_one(args[i], &p->t[p->n].d);
		if (ret == -ENOMEM)
			return DB_EINTERNAL;
		if (ret) {
			fprintf(stderr,
				"px-devbind: no PCI device or network interface '%s'; "
				"list them with `px-devbind --status`\n",
				args[i]);
			return DB_ENODEV;
		}
		if (!plan_find(p, p->t[p->n].d.addr)) /* the same device named twice */
			p->n++;
	}
	return DB_OK;
}

/* Runs argv[0] from PATH and waits; never with a fake tree, where it would touch the host. */
static int run(const char *const argv[])
{
	int i, status;
	pid_t pid;

	if (roots.fake || roots.dry_run) {
		printf("%s:", roots.dry_run ? "dry-run: run" : "fake sysfs: would run");
		for (i = 0; argv[i]; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return 0;
	}
	if (posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ))
		return -ENOENT;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/* Makes sure <sysfs>/bus/pci/drivers/<drv> exists, loading its module when it does not. */
static int driver_load(const char *drv)
{
	const char *argv[] = {"modprobe", drv, NULL};
	char path[PATH_MAX];

	if (root_path(path, sizeof(path), roots.sys, "bus/pci/drivers/%s", drv))
		return DB_EINTERNAL;
	if (path_exists(path))
		return DB_OK;
	if (!run(argv) && (path_exists(path) || roots.dry_run))
		return DB_OK;
	fprintf(stderr,
		"px-devbind: driver %s is not available: %s%s does not exist and "
		"`modprobe %s` did not create it; install the kernel's modules "
		"(`apt install linux-image-$(uname -r)`) and run `modprobe %s`\n",
		drv, path, roots.fake ? " (fake sysfs: create it)" : "", drv, drv);
	return DB_EMODULE;
}

static int check_active(const struct plan *p, bool force)
{
	int i, ret = DB_OK;

	for (i = 0; i < p->n; i++) {
		const struct pci_dev *d = &p->t[i].d;

		if (p->t[i].done || !d->active)
			continue;
		if (force) {
			fprintf(stderr,
				"px-devbind: warning: %s (%s) is active (%s); going on "
				"because of --force\n",
				d->addr, d->ifs[0], d->reason);
			continue;
		}
		fprintf(stderr,
			"px-devbind: %s (%s) is active: it %s, and taking the device "
			"away cuts that traffic; take the interface down first "
			"(`ip addr flush dev %s && ip route flush dev %s && ip link set %s down`) "
			"or pass --force\n",
			d->addr, d->ifs[0], d->reason, d->ifs[0], d->ifs[0], d->ifs[0]);
		ret = DB_EACTIVE;
	}
	return ret;
}

static int check_iommu(const struct plan *p, bool noiommu)
{
	int i, ret = DB_OK;

	for (i = 0; i < p->n && !noiommu; i++) {
		const struct pci_dev *d = &p->t[i].d;

		if (p->t[i].done || d->group >= 0 || strcmp(p->t[i].want, VFIO_DRIVER) != 0)
			continue;
		fprintf(stderr,
			"px-devbind: %s has no IOMMU group: the IOMMU is off or absent, so "
			"vfio-pci cannot isolate its DMA; enable it on the kernel command line "
			"(`intel_iommu=on` or `amd_iommu=on`, then reboot), or give up isolation "
			"with `px-devbind --noiommu --bind=vfio-pci %s`\n",
			d->addr, d->addr);
		ret = DB_ENOIOMMU;
	}
	return ret;
}

/*
 * Must member m move too? A group is usable by VFIO only when every member is viable
 * (drivers/vfio/group.c: no driver, vfio-pci, pci-stub, or a bridge). A target going to
 * vfio-pci drags along every kernel-driven member; a target going back to a kernel driver drags
 * along every member still on vfio-pci. A group that was half-bound before stays the operator's
 * business: only conflicts the command creates are refused.
 */
static bool must_move(const struct plan *p, long group, const struct pci_dev *m)
{
	bool to_vfio = false, to_kernel = false;
	int i;

	if (plan_find(p, m->addr) || m->bridge)
		return false;
	for (i = 0; i < p->n; i++) {
		if (p->t[i].done || p->t[i].d.group != group)
			continue;
		to_vfio |= !strcmp(p->t[i].want, VFIO_DRIVER);
		to_kernel |= !p->t[i].want_viable;
	}
	return (to_vfio && !member_viable(m)) || (to_kernel && !strcmp(m->driver, VFIO_DRIVER));
}

/* Refuses to leave a group half-bound: lists what must move, and the command that moves it. */
static int check_group(const struct plan *p, long group)
{
	struct dev_list g = {0};
	int i, bad = 0, ret;

	ret = group_members(group, &g);
	for (i = 0; !ret && i < g.n; i++)
		bad += must_move(p, group, &g.devs[i]);
	if (ret || !bad)
		goto out;
	fprintf(stderr,
		"px-devbind: IOMMU group %ld would be left half-bound (a group is usable "
		"only when all its devices are on vfio-pci, pci-stub or no driver); "
		"these devices must move with it:\n",
		group);
	for (i = 0; i < g.n; i++) {
		if (must_move(p, group, &g.devs[i]))
			fprintf(stderr, "    %s (driver %s)\n", g.devs[i].addr,
				g.devs[i].driver[0] ? g.devs[i].driver : "none");
	}
	fprintf(stderr, "  run: `%s", p->cmd);
	for (i = 0; i < p->n; i++)
		fprintf(stderr, " %s", p->t[i].d.addr);
	for (i = 0; i < g.n; i++) {
		if (must_move(p, group, &g.devs[i]))
			fprintf(stderr, " %s", g.devs[i].addr);
	}
	fprintf(stderr, "`\n");
out:
	dev_list_free(&g);
	if (ret == -ENOMEM)
		return DB_EINTERNAL;
	return bad ? DB_EGROUP : DB_OK;
}

static int check_groups(const struct plan *p)
{
	int i, j, ret = DB_OK;

	for (i = 0; i < p->n && !ret; i++) {
		for (j = 0; j < i; j++) {
			if (p->t[j].d.group == p->t[i].d.group)
				break;
		}
		if (p->t[i].d.group >= 0 && j == i)
			ret = check_group(p, p->t[i].d.group);
	}
	return ret;
}

/* The original driver of each device is kept in <state_dir>/<address>, one line. */
static int state_path(const struct devbind_opts *o, const char *addr, char *buf, size_t len)
{
	return root_path(buf, len, o->state_dir, "%s", addr) ? -ENAMETOOLONG : 0;
}

/* Remembers the kernel driver a device had, unless an earlier command already did. */
static int state_save(const struct devbind_opts *o, const struct pci_dev *d)
{
	char path[PATH_MAX], line[DB_NAME_LEN + 1];
	int ret;

	if (!d->driver[0] || member_viable(d))
		return DB_OK;
	ret = state_path(o, d->addr, path, sizeof(path));
	if (ret || path_exists(path))
		return ret ? DB_EINTERNAL : DB_OK;
	ret = roots.dry_run ? 0 : mkdir_p(o->state_dir);
	snprintf(line, sizeof(line), "%s\n", d->driver);
	if (!ret)
		ret = write_file(path, line);
	if (!ret)
		return DB_OK;
	fprintf(stderr,
		"px-devbind: cannot remember %s's driver in %s: %s; run as root or "
		"pick another place with --state-dir\n",
		d->addr, path, strerror(-ret));
	return DB_EWRITE;
}

/* Writes s to <sysfs>/<fmt...>, saying which write failed and why. */
static int sys_write(const char *s, const char *fmt, const char *a, const char *b)
{
	char path[PATH_MAX], rel[PATH_MAX];
	int ret;

	snprintf(rel, sizeof(rel), fmt, a, b);
	ret = root_path(path, sizeof(path), roots.sys, "%s", rel);
	if (!ret)
		ret = write_str(path, s);
	if (ret)
		fprintf(stderr, "px-devbind: writing '%s' to %s failed: %s%s\n", s, path,
			strerror(-ret),
			ret == -EACCES || ret == -EPERM ? "; run as root (sudo)" : "");
	return ret ? DB_EWRITE : DB_OK;
}

/* After the kernel's part: is the device on the driver we asked for? */
static int verify(struct target *t)
{
	struct pci_dev now;
	bool ok;

	if (roots.fake || roots.dry_run)
		return DB_OK;
	if (dev_read(t->d.addr, &now))
		return DB_EBIND;
	ok = t->want[0] ? !strcmp(now.driver, t->want) : now.driver[0] != '\0';
	if (!ok)
		fprintf(stderr,
			"px-devbind: the kernel did not bind %s to %s (now: %s); "
			"see `dmesg | tail` for the driver's reason\n",
			t->d.addr, t->want[0] ? t->want : "its kernel driver",
			now.driver[0] ? now.driver : "no driver");
	else
		strcpy(t->want, now.driver);
	t->d.group = now.group; /* no-IOMMU mode makes the group at bind time */
	return ok ? DB_OK : DB_EBIND;
}

/* driver_override, unbind, drivers_probe: the kernel's documented way to move a device. */
static int move_device(struct target *t, const char *override)
{
	const char *a = t->d.addr;
	int ret;

	ret = sys_write(override, "bus/pci/devices/%s/driver_override", a, NULL);
	if (!ret && t->d.driver[0])
		ret = sys_write(a, "bus/pci/devices/%s/driver/unbind", a, NULL);
	if (!ret && t->want[0] && strcmp(t->want, override) != 0)
		ret = sys_write(a, "bus/pci/drivers/%s/bind", t->want, NULL);
	else if (!ret)
		ret = sys_write(a, "bus/pci/drivers_probe", NULL, NULL);
	return ret ? ret : verify(t);
}

/*
 * The group's character device: /dev/vfio/N, or /dev/vfio/noiommu-N for the groups vfio makes
 * in no-IOMMU mode (drivers/vfio/group.c names their iommu_group "vfio-noiommu").
 */
static int group_dev_path(long group, char *path, size_t len)
{
	char name[PATH_MAX], buf[32];
	bool noiommu;

	noiommu =
		!root_path(name, sizeof(name), roots.sys, "kernel/iommu_groups/%ld/name", group) &&
		read_str(name, buf, sizeof(buf)) > 0 && !strcmp(buf, "vfio-noiommu");
	return root_path(path, len, roots.dev, "vfio/%s%ld", noiommu ? "noiommu-" : "", group);
}

/* --uid/--gid: hand the group's character device to an unprivileged user. */
static int give_group(const struct devbind_opts *o, const struct target *t)
{
	int uid = o->set_uid ? (int)o->uid : -1, gid = o->set_gid ? (int)o->gid : -1;
	char path[PATH_MAX];
	int tries = 20;

	if (!o->set_uid && !o->set_gid)
		return DB_OK;
	if (t->d.group < 0) {
		fprintf(stderr,
			"px-devbind: %s has no IOMMU group, so no /dev/vfio node to hand "
			"over; check `px-devbind --status` and `ls -l /dev/vfio`\n",
			t->d.addr);
		return DB_EOWNER;
	}
	if (group_dev_path(t->d.group, path, sizeof(path)))
		return DB_EOWNER;
	if (roots.dry_run) {
		printf("dry-run: chown %d:%d %s\n", uid, gid, path);
		return DB_OK;
	}
	/* udev or devtmpfs creates the node just after the bind; give it a moment. */
	while (!path_exists(path) && tries-- && !roots.fake)
		usleep(100 * 1000);
	if (!chown(path, (uid_t)uid, (gid_t)gid))
		return DB_OK;
	fprintf(stderr,
		"px-devbind: cannot hand %s to %d:%d: %s; run as root, or check that "
		"the device is on vfio-pci (`px-devbind --status`)\n",
		path, uid, gid, strerror(errno));
	return DB_EOWNER;
}

static int enable_noiommu(void)
{
	int ret;

	fprintf(stderr,
		"px-devbind: WARNING: --noiommu enables vfio's unsafe no-IOMMU mode: the "
		"device's DMA is not isolated, so it (and any Pollux bug) can read and write "
		"all of memory, the kernel's included, and the process needs CAP_SYS_RAWIO. "
		"Use it only where no IOMMU exists (some VMs, embedded boards).\n");
	ret = sys_write("1", "module/vfio/parameters/enable_unsafe_noiommu_mode", NULL, NULL);
	if (ret)
		fprintf(stderr,
			"px-devbind: cannot enable no-IOMMU mode: is vfio built with "
			"CONFIG_VFIO_NOIOMMU? (`modprobe vfio enable_unsafe_noiommu_mode=1`)\n");
	return ret;
}

/* The checks every command shares; nothing is written before all of them pass. */
static int plan_check(const struct devbind_opts *o, struct plan *p, bool active_matters)
{
	int ret = DB_OK;

	if (active_matters)
		ret = check_active(p, o->force);
	if (!ret)
		ret = check_iommu(p, o->noiommu);
	if (!ret)
		ret = check_groups(p);
	return ret;
}

int cmd_bind(const struct devbind_opts *o, const char *driver, char **args, int nargs)
{
	struct plan p = {.cmd = NULL};
	char cmd[DB_NAME_LEN + 32];
	int i, ret;

	if (driver == NULL)
		return DB_EUSAGE;
	snprintf(cmd, sizeof(cmd), "px-devbind --bind=%s", driver);
	p.cmd = cmd;
	ret = plan_resolve(&p, args, nargs);
	for (i = 0; !ret && i < p.n; i++) {
		snprintf(p.t[i].want, sizeof(p.t[i].want), "%s", driver);
		p.t[i].want_viable = !strcmp(driver, VFIO_DRIVER) || !strcmp(driver, "pci-stub");
		p.t[i].done = !strcmp(p.t[i].d.driver, driver);
		if (p.t[i].done)
			printf("%s: already bound to %s\n", p.t[i].d.addr, driver);
	}
	if (!ret)
		ret = plan_check(o, &p, true);
	if (!ret)
		ret = driver_load(driver);
	if (!ret && o->noiommu)
		ret = enable_noiommu();
	for (i = 0; !ret && i < p.n; i++) {
		struct target *t = &p.t[i];

		if (!t->done) {
			ret = state_save(o, &t->d);
			if (!ret)
				ret = move_device(t, driver);
			if (!ret)
				printf("%s: %s -> %s\n", t->d.addr,
				       t->d.driver[0] ? t->d.driver : "none", driver);
		}
		if (!ret)
			ret = give_group(o, t);
	}
	for (i = 0; !ret && i < p.n; i++)
		printf("%sto keep %s on %s across reboots: driverctl set-override %s %s\n",
		       i ? "" : "\n", p.t[i].d.addr, driver, p.t[i].d.addr, driver);
	free(p.t);
	return ret;
}

int cmd_unbind(const struct devbind_opts *o, char **args, int nargs)
{
	struct plan p = {.cmd = "px-devbind --unbind"};
	int i, ret;

	ret = plan_resolve(&p, args, nargs);
	for (i = 0; !ret && i < p.n; i++) {
		p.t[i].want_viable = true;
		p.t[i].done = !p.t[i].d.driver[0];
		if (p.t[i].done)
			printf("%s: has no driver\n", p.t[i].d.addr);
	}
	if (!ret)
		ret = plan_check(o, &p, true);
	for (i = 0; !ret && i < p.n; i++) {
		if (p.t[i].done)
			continue;
		ret = state_save(o, &p.t[i].d);
		if (!ret)
			ret = sys_write(p.t[i].d.addr, "bus/pci/devices/%s/driver/unbind",
					p.t[i].d.addr, NULL);
		if (!ret)
			printf("%s: %s -> none\n", p.t[i].d.addr, p.t[i].d.driver);
	}
	free(p.t);
	return ret;
}

/*
 * Which kernel driver does a device go back to? The one remembered at bind time; failing that
 * (bound by another tool, or /run cleared by a reboot), the kernel's own choice by modalias.
 */
static int restore_target(const struct devbind_opts *o, struct target *t)
{
	char path[PATH_MAX], buf[256];
	const struct pci_dev *d = &t->d;

	t->want_viable = false;
	if (d->driver[0] && !member_viable(d) && !d->override[0]) {
		printf("%s: already on its kernel driver %s\n", d->addr, d->driver);
		t->done = true;
		return DB_OK;
	}
	if (!state_path(o, d->addr, path, sizeof(path)) &&
	    read_str(path, t->want, sizeof(t->want)) > 0 && !strchr(t->want, '/'))
		return DB_OK;
	t->want[0] = '\0';
	if (!root_path(path, sizeof(path), roots.sys, "bus/pci/devices/%s/modalias", d->addr) &&
	    read_str(path, buf, sizeof(buf)) > 0)
		return DB_OK; /* want "" = whatever the kernel's ID tables pick */
	fprintf(stderr,
		"px-devbind: %s: no remembered driver (%s/%s) and no modalias to find "
		"one; bind it by name, e.g. `px-devbind --bind=e1000e %s`\n",
		d->addr, o->state_dir, d->addr, d->addr);
	return DB_ERESTORE;
}

/* Loads the module for the driver a device goes back to. */
static int restore_load(const struct target *t)
{
	char path[PATH_MAX], alias[256];
	const char *argv[] = {"modprobe", "-q", alias, NULL};

	if (t->want[0])
		return driver_load(t->want);
	if (root_path(path, sizeof(path), roots.sys, "bus/pci/devices/%s/modalias", t->d.addr) ||
	    read_str(path, alias, sizeof(alias)) <= 0)
		return DB_ERESTORE;
	run(argv); /* no module for it is not an error here: the probe tells */
	return DB_OK;
}

static int restore_one(const struct devbind_opts *o, struct target *t)
{
	char path[PATH_MAX];
	int ret;

	ret = restore_load(t);
	if (!ret)
		ret = move_device(t, "\n");
	if (ret)
		return ret;
	printf("%s: %s -> %s\n", t->d.addr, t->d.driver[0] ? t->d.driver : "none",
	       t->want[0] ? t->want : "kernel's choice (modalias)");
	if (state_path(o, t->d.addr, path, sizeof(path)) || !path_exists(path))
		return DB_OK;
	if (roots.dry_run)
		printf("dry-run: remove %s\n", path);
	else
		unlink(path);
	return DB_OK;
}

int cmd_restore(const struct devbind_opts *o, char **args, int nargs)
{
	struct plan p = {.cmd = "px-devbind --restore"};
	int i, ret;

	ret = plan_resolve(&p, args, nargs);
	for (i = 0; !ret && i < p.n; i++)
		ret = restore_target(o, &p.t[i]);
	if (!ret)
		ret = plan_check(o, &p, false);
	for (i = 0; !ret && i < p.n; i++) {
		if (!p.t[i].done)
			ret = restore_one(o, &p.t[i]);
	}
	for (i = 0; !ret && i < p.n; i++)
		printf("%sif a binding was made permanent: driverctl unset-override %s\n",
		       i ? "" : "\n", p.t[i].d.addr);
	free(p.t);
	return ret;
}

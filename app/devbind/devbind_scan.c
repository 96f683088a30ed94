/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading PCI devices from sysfs (Documentation/ABI/testing/sysfs-bus-pci): one directory per
 * device under /sys/bus/pci/devices, IDs and class as hex text, the bound driver and the IOMMU
 * group as symlinks. Anything unreadable is recorded as unknown rather than failing the scan:
 * --status must still describe the rest of the machine.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devbind.h"

#define PCI_CLASS_NET 0x02
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_TYPE_BRIDGE 1

/* "0000:00:02.0": domain:bus:slot.function, as sysfs names devices. */
bool is_pci_addr(const char *s)
{
	static const char pat[] = "xxxx:xx:xx.x";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++) {
		if (pat[i] == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != pat[i])
			return false;
	}
	return true;
}

bool is_net_class(const struct pci_dev *d)
{
	return d->class_ok && (d->class >> 16) == PCI_CLASS_NET;
}

bool member_viable(const struct pci_dev *d)
{
	/* drivers/vfio/group.c: vfio_dev_driver_allowed() - no driver, vfio, pci-stub, bridges. */
	return !d->driver[0] || !strcmp(d->driver, VFIO_DRIVER) || !strcmp(d->driver, "pci-stub") ||
	       d->bridge;
}

/* Bridges keep their driver: the kernel decides by header type, so read it from config space. */
static bool dev_is_bridge(const char *dir, const struct pci_dev *d)
{
	unsigned char cfg[PCI_HEADER_TYPE + 1];
	char path[PATH_MAX];
	ssize_t n = -1;
	int fd;

	if (!root_path(path, sizeof(path), dir, "config")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, cfg, sizeof(cfg));
			close(fd);
		}
	}
	if (n == (ssize_t)sizeof(cfg))
		return (cfg[PCI_HEADER_TYPE] & 0x7f) == PCI_HEADER_TYPE_BRIDGE;
	/* No config space (a fake tree): PCI-to-PCI and semi-transparent bridge classes. */
	return d->class_ok && ((d->class >> 8) == 0x0604 || (d->class >> 8) == 0x0609);
}

static void add_ifs_in(struct pci_dev *d, const char *netdir)
{
	struct dirent *e;
	DIR *dir = opendir(netdir);

	if (!dir)
		return;
	while ((e = readdir(dir)) && d->nifs < DB_MAX_IFS) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= DB_NAME_LEN)
			continue;
		strcpy(d->ifs[d->nifs++], e->d_name);
	}
	closedir(dir);
}

/* Interfaces live in <dev>/net, or one level down for virtio-net (<dev>/virtio0/net). */
static void read_ifs(struct pci_dev *d, const char *devdir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;

	if (!root_path(path, sizeof(path), devdir, "net"))
		add_ifs_in(d, path);
	dir = opendir(devdir);
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "virtio", 6) != 0)
			continue;
		if (!root_path(path, sizeof(path), devdir, "%s/net", e->d_name))
			add_ifs_in(d, path);
	}
	closedir(dir);
}

static void read_links(struct pci_dev *d, const char *devdir)
{
	char path[PATH_MAX], buf[DB_NAME_LEN];
	char *end;

	if (root_path(path, sizeof(path), devdir, "driver") ||
	    link_basename(path, d->driver, sizeof(d->driver)))
		d->driver[0] = '\0';
	if (root_path(path, sizeof(path), devdir, "driver_override") ||
	    read_str(path, d->override, sizeof(d->override)) < 0 || !strcmp(d->override, "(null)"))
		d->override[0] = '\0';
	d->group = -1;
	if (!root_path(path, sizeof(path), devdir, "iommu_group") &&
	    !link_basename(path, buf, sizeof(buf))) {
		d->group = strtol(buf, &end, 10);
		if (*end || end == buf)
			d->group = -1;
	}
}

int dev_read(const char *addr, struct pci_dev *d)
{
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned long v, dv;
	int i;

	memset(d, 0, sizeof(*d));
	if (strlen(addr) >= sizeof(d->addr) ||
	    root_path(dir, sizeof(dir), roots.sys, "bus/pci/devices/%s", addr))
		return -ENAMETOOLONG;
	if (!path_exists(dir))
		return -ENODEV;
	strcpy(d->addr, addr);
	d->ids_ok = !root_path(path, sizeof(path), dir, "vendor") && !read_ulong(path, &v) &&
		    !root_path(path, sizeof(path), dir, "device") && !read_ulong(path, &dv) &&
		    v <= 0xffff && dv <= 0xffff;
	if (d->ids_ok) {
		d->vendor = v;
		d->device = dv;
	}
	d->class_ok = !root_path(path, sizeof(path), dir, "class") && !read_ulong(path, &d->class);
	d->bridge = dev_is_bridge(dir, d);
	if (root_path(path, sizeof(path), dir, "numa_node") || read_long(path, &d->numa))
		d->numa = -1;
	read_links(d, dir);
	read_ifs(d, dir);
	for (i = 0; i < d->nifs && !d->active; i++)
		d->active = if_active(d->ifs[i], d->reason, sizeof(d->reason));
	return 0;
}

static int dev_list_add(struct dev_list *l, const struct pci_dev *d)
{
	struct pci_dev *p;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		p = realloc(l->devs, l->cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		l->devs = p;
	}
	l->devs[l->n++] = *d;
	return 0;
}

void dev_list_free(struct dev_list *l)
{
	free(l->devs);
	memset(l, 0, sizeof(*l));
}

struct pci_dev *dev_find(struct dev_list *l, const char *addr)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->devs[i].addr, addr))
			return &l->devs[i];
	}
	return NULL;
}

static int cmp_addr(const void *a, const void *b)
{
	return strcmp(((const struct pci_dev *)a)->addr, ((const struct pci_dev *)b)->addr);
}

/* Read every PCI address listed in dirpath into l, sorted; net_only keeps class 0x02 only. */
static int scan_dir(const char *dirpath, struct dev_list *l, bool net_only)
{
	struct pci_dev d;
	struct dirent *e;
	int ret = 0;
	DIR *dir;

	dir = opendir(dirpath);
	if (!dir)
		return -errno;
	while (!ret && (e = readdir(dir))) {
		if (!is_pci_addr(e->d_name) || dev_read(e->d_name, &d))
			continue;
		if (net_only && !d.class_ok)
			fprintf(stderr,
				"px-devbind: warning: %s: class unreadable, skipped; "
				"check `ls -l %s/bus/pci/devices/%s/`\n",
				d.addr, roots.sys, d.addr);
		if (net_only && !is_net_class(&d))
			continue;
		ret = dev_list_add(l, &d);
	}
	closedir(dir);
	if (!ret)
		qsort(l->devs, l->n, sizeof(*l->devs), cmp_addr);
	return ret;
}

int dev_scan(struct dev_list *l, bool net_only)
{
	char path[PATH_MAX];
	int ret;

	ret = root_path(path, sizeof(path), roots.sys, "bus/pci/devices");
	return ret ? ret : scan_dir(path, l, net_only);
}

int group_members(long group, struct dev_list *out)
{
	char path[PATH_MAX];
	int ret;

	ret = root_path(path, sizeof(path), roots.sys, "kernel/iommu_groups/%ld/devices", group);
	return ret ? ret : scan_dir(path, out, false);
}

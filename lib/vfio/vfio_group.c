/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IOMMU groups: open /dev/vfio/N, check viability (every device of the group bound to vfio-pci
 * or to no driver; VFIO_GROUP_GET_STATUS), attach to a container.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "vfio_private.h"

/* The driver @dev (a sysfs device directory) is bound to, into @drv ("" when none). */
static void driver_of(const char *dev, char *drv, size_t sz)
{
	char link[PATH_MAX + 16], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/driver", dev);
	n = readlink(link, target, sizeof(target) - 1);
	drv[0] = '\0';
	if (n > 0) {
		const char *base;

		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		n = PX_MIN((size_t)strlen(base), sz - 1);
		memcpy(drv, base, n);
		drv[n] = '\0';
	}
}

/* Devices that keep a group from being viable: bound to a driver that is not vfio-pci. The
 * kernel also accepts pci-stub and pcieport (bridges) (drivers/vfio/vfio_main.c). */
static bool driver_blocks(const char *drv)
{
	return drv[0] && strcmp(drv, "vfio-pci") && strcmp(drv, "pci-stub") &&
	       strcmp(drv, "pcieport");
}

int vfio_group_explain(const char *sysfs, int no)
{
	char dir[PATH_MAX / 2], dev[PATH_MAX], drv[128], cmd[1024] = "";
	struct dirent *de;
	size_t off = 0;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/kernel/iommu_groups/%d/devices", sysfs, no);
	d = opendir(dir);
	if (d == NULL) {
		VFIO_LOG(ERR, "IOMMU group %d is not viable (cannot list %s)", no, dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dev, sizeof(dev), "%s/%s", dir, de->d_name);
		driver_of(dev, drv, sizeof(drv));
		if (!driver_blocks(drv))
			continue;
		VFIO_LOG(ERR, "IOMMU group %d is not viable: %s is bound to %s", no, de->d_name,
			 drv);
		if (off < sizeof(cmd))
			off += snprintf(cmd + off, sizeof(cmd) - off, " %s", de->d_name);
		n++;
	}
	closedir(d);
	if (n)
		VFIO_LOG(ERR,
			 "every device of IOMMU group %d must use vfio-pci: "
			 "px-devbind --bind=vfio-pci%s",
			 no, cmd);
	return n;
}

int vfio_group_attach_checked(struct px_vfio_container *c, int fd, int no, struct px_vfio_group *g,
			      bool viable, const char *sysfs)
{
	if (!viable) {
		/* VFIO_GROUP_GET_STATUS said not viable: attaching would fail (EPERM) anyway;
		 * say which devices and how to fix it, and change nothing. */
		vfio_group_explain(sysfs, no);
		return -EPERM;
	}
	return vfio_container_attach(c, fd, no, g);
}

int px_vfio_group_of(const char *addr)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", addr);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	return atoi(base ? base + 1 : target);
}

static int open_group_fd(int no)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/vfio/%d", no);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* noiommu groups are /dev/vfio/noiommu-N (vfio enable_unsafe_noiommu_mode) */
		snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", no);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			errno = ENOENT;
	}
	if (fd < 0) {
		int err = errno;

		if (err == ENOENT)
			VFIO_LOG(ERR,
				 "no /dev/vfio/%d: bind the group's devices to vfio-pci "
				 "(px-devbind --bind=vfio-pci ADDR)",
				 no);
		else if (err == EBUSY)
			VFIO_LOG(ERR, "/dev/vfio/%d is in use by another process", no);
		else
			VFIO_LOG(ERR, "/dev/vfio/%d: %s", no, strerror(err));
		errno = err;
	}
	return fd;
}

struct px_vfio_group *px_vfio_group_open(struct px_vfio_container *c, int no)
{
	struct vfio_group_status st = {.argsz = sizeof(st)};
	struct px_vfio_group *g;
	int err, fd = open_group_fd(no);

	if (fd < 0)
		return NULL;
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st)) {
		err = errno;
		goto close_fd;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL) {
		err = ENOMEM;
		goto close_fd;
	}
	g->c = c;
	g->fd = fd;
	g->no = no;
	err = -vfio_group_attach_checked(c, fd, no, g, st.flags & VFIO_GROUP_FLAGS_VIABLE, "/sys");
	if (err)
		goto free_group;
	return g;

free_group:
	free(g);
close_fd:
	close(fd);
	errno = err;
	return NULL;
}

void px_vfio_group_close(struct px_vfio_group *g)
{
	if (g == NULL)
		return;
	while (g->devices != NULL)
		px_vfio_device_close(g->devices);
	vfio_container_detach(g->c, g->fd);
	close(g->fd);
	free(g);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PCI bus: scan /sys/bus/pci/devices, match registered drivers' ID tables, and probe the
 * matching devices bound to vfio-pci through lib/vfio (one container for the process, one
 * group per IOMMU group). DMA memory is the EAL's: every hugepage segment is mapped into the
 * container by its memory events, so a driver's memzone carries a usable IOVA.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <bus_driver.h>
#include <px_intr.h>
#include <px_log.h>
#include <px_vfio.h>

#include "bus_pci_driver.h"
#include "pci_private.h"
#include "px_pci.h"

PX_LOG_REGISTER(pci_logtype, "pci", NOTICE)
#define PCI_LOG(lvl, ...) PX_LOG(lvl, pci_logtype, __VA_ARGS__)

/* A device and what only this file sees: its VFIO handles. */
struct pci_dev {
	struct px_pci_device pub;
	struct px_vfio_device *vdev;
	int fds[8];
	unsigned int nfds;
	int irq_index;
	/* device requests: the notifier's eventfd (lib/vfio's) while armed, the callback */
	int req_fd;
	px_pci_req_cb_t req_cb;
	void *req_arg;
	bool req_intr; /* req_fd watched by the interrupt thread for the driver's request hook */
	bool gone;     /* not in sysfs at the last px_pci_rescan(): not probed */
};

static struct px_pci_driver *drivers;
static struct px_pci_device *devices;
static struct px_vfio_container *container;
static struct {
	int no;
	struct px_vfio_group *g;
	struct px_vfio_container *own; /* its own container (sPAPR), else NULL */
} groups[32];
static unsigned int nr_groups;
static int req_epfd = -1; /* every armed device's request eventfd (px_pci_req_fd) */

void px_pci_driver_register(struct px_pci_driver *drv)
{
	drv->next = drivers;
	drivers = drv;
}

void pci_driver_register_builtin(struct px_pci_driver *drv)
{
	struct px_pci_driver **p = &drivers;

	while (*p)
		p = &(*p)->next;
	drv->next = NULL;
	*p = drv;
}

int px_pci_driver_unregister(struct px_pci_driver *drv)
{
	for (struct px_pci_driver **p = &drivers; *p; p = &(*p)->next)
		if (*p == drv) {
			*p = drv->next;
			drv->next = NULL;
			return 0;
		}
	return -ENOENT;
}

struct px_pci_device *px_pci_devices(void)
{
	return devices;
}

int px_pci_addr_parse(const char *s, struct px_pci_addr *a)
{
	unsigned int d = 0, b, dv, f;
	char tail;

	/* only hex digits and separators: %x alone would take "0x" prefixes and signs */
	if (s[strspn(s, "0123456789abcdefABCDEF:.")] != '\0')
		return -EINVAL;
	if (sscanf(s, "%x:%x:%x.%x%c", &d, &b, &dv, &f, &tail) != 4) {
		d = 0;
		if (sscanf(s, "%x:%x.%x%c", &b, &dv, &f, &tail) != 3)
			return -EINVAL;
	}
	if (b > 0xff || dv > 0x1f || f > 7)
		return -EINVAL;
	*a = (struct px_pci_addr){d, b, dv, f};
	return 0;
}

bool px_pci_id_match(const struct px_pci_id *t, const struct px_pci_id *id)
{
	return t->vendor_id == id->vendor_id &&
	       (t->device_id == PX_PCI_ANY_ID || t->device_id == id->device_id) &&
	       (t->subsystem_vendor_id == PX_PCI_ANY_ID || t->subsystem_vendor_id == 0 ||
		t->subsystem_vendor_id == id->subsystem_vendor_id) &&
	       (t->subsystem_device_id == PX_PCI_ANY_ID || t->subsystem_device_id == 0 ||
		t->subsystem_device_id == id->subsystem_device_id);
}

static unsigned long read_hex(const char *dir, const char *file, unsigned long dflt)
{
	char p[PATH_MAX + 64], buf[64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	f = fopen(p, "r");
	if (f == NULL)
		return dflt;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? strtoul(buf, NULL, 0) : dflt;
}

/* The basename of symlink @dir/@name into @out ("" when absent). */
static void link_base(const char *dir, const char *name, char *out, size_t sz)
{
	char p[PATH_MAX + 64], t[PATH_MAX];
	ssize_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	n = readlink(p, t, sizeof(t) - 1);
	out[0] = '\0';
	if (n > 0) {
		t[n] = '\0';
		snprintf(out, sz, "%.*s", (int)sz - 1, strrchr(t, '/') ? strrchr(t, '/') + 1 : t);
	}
}

/* Field by field: struct px_pci_addr has a padding byte, which memcmp() compared too (left
 * uninitialised by px_pci_addr_parse() on the caller's stack, so -a sometimes matched no
 * device: seen on aarch64, where an EAL brought up again probed nothing). */
static bool addr_eq(const struct px_pci_addr *x, const struct px_pci_addr *y)
{
	return x->domain == y->domain && x->bus == y->bus && x->devid == y->devid &&
	       x->function == y->function;
}

/* Bus order: domain, bus, device, function (as DPDK numbers its PCI ports). */
static bool addr_before(const struct px_pci_addr *x, const struct px_pci_addr *y)
{
	uint64_t kx =
		(uint64_t)x->domain << 24 | (uint32_t)x->bus << 16 | x->devid << 8 | x->function;
	uint64_t ky =
		(uint64_t)y->domain << 24 | (uint32_t)y->bus << 16 | y->devid << 8 | y->function;

	return kx < ky;
}

static struct pci_dev *find_dev(const struct px_pci_addr *a)
{
	for (struct px_pci_device *d = devices; d; d = d->next)
		if (addr_eq(&d->addr, a))
			return px_container_of(d, struct pci_dev, pub);
	return NULL;
}

/* Add the device @name of sysfs directory @root, or refresh what sysfs says of one known but
 * not open (it may have been unplugged and plugged again). An open one is left alone. */
static int scan_one(const char *root, const char *name)
{
	struct px_pci_addr a;
	struct pci_dev *pd;
	char dir[PATH_MAX / 2], grp[16];
	bool known;

	if (px_pci_addr_parse(name, &a))
		return 0;
	pd = find_dev(&a);
	known = pd != NULL;
	if (known && pd->vdev)
		return 0;
	if (known)
		pd->gone = false;
	if (!known) {
		pd = calloc(1, sizeof(*pd));
		if (pd == NULL)
			return -ENOMEM;
		pd->req_fd = -1;
		pd->pub.addr = a;
	}
	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	snprintf(pd->pub.name, sizeof(pd->pub.name), "%.15s", name);
	pd->pub.id.vendor_id = read_hex(dir, "vendor", 0);
	pd->pub.id.device_id = read_hex(dir, "device", 0);
	pd->pub.id.subsystem_vendor_id = read_hex(dir, "subsystem_vendor", 0);
	pd->pub.id.subsystem_device_id = read_hex(dir, "subsystem_device", 0);
	pd->pub.class_id = read_hex(dir, "class", 0);
	pd->pub.numa_node = (int)(long)read_hex(dir, "numa_node", (unsigned long)-1);
	link_base(dir, "driver", pd->pub.kdrv, sizeof(pd->pub.kdrv));
	link_base(dir, "iommu_group", grp, sizeof(grp));
	pd->pub.iommu_group = grp[0] ? atoi(grp) : -1;
	if (!known) { /* keep the list in bus order, so ports are numbered by address */
		struct px_pci_device **at = &devices;

		while (*at && addr_before(&(*at)->addr, &a))
			at = &(*at)->next;
		pd->pub.next = *at;
		*at = &pd->pub;
	}
	return 0;
}

int px_pci_scan_dir(const char *root)
{
	struct dirent *de;
	DIR *d = opendir(root);
	int ret = 0;

	if (d == NULL)
		return -errno;
	while (ret == 0 && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			ret = scan_one(root, de->d_name);
	closedir(d);
	return ret;
}

static int pci_scan(void)
{
	struct stat st;

	if (eal_bus_no_pci() || stat("/sys/bus/pci/devices", &st)) {
		PCI_LOG(INFO, "PCI bus skipped (%s)",
			eal_bus_no_pci() ? "--no-pci" : "no /sys/bus/pci");
		return 0;
	}
	return px_pci_scan_dir("/sys/bus/pci/devices");
}

/* -a lists the only devices to use; -b the devices not to use. */
static bool allowed(const struct px_pci_device *dev)
{
	struct px_pci_addr a;
	const char *s;

	for (unsigned int i = 0; (s = eal_bus_arg(EAL_BUS_BLOCK, i)) != NULL; i++)
		if (px_pci_addr_parse(s, &a) == 0 && addr_eq(&a, &dev->addr))
			return false;
	if (eal_bus_arg(EAL_BUS_ALLOW, 0) == NULL)
		return true;
	for (unsigned int i = 0; (s = eal_bus_arg(EAL_BUS_ALLOW, i)) != NULL; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%s", s);
		buf[strcspn(buf, ",")] = '\0'; /* devargs follow the address */
		if (px_pci_addr_parse(buf, &a) == 0 && addr_eq(&a, &dev->addr))
			return true;
	}
	return false;
}

int pci_bus_master(struct px_pci_device *dev, bool on)
{
	uint16_t cmd;
	int ret;

	ret = px_pci_cfg_read(dev, PCI_COMMAND, &cmd, sizeof(cmd));
	if (ret < 0)
		return ret;
	cmd = le16toh(cmd);
	cmd = on ? (cmd | PCI_COMMAND_MASTER) : (cmd & ~PCI_COMMAND_MASTER);
	cmd = htole16(cmd);
	return px_pci_cfg_write(dev, PCI_COMMAND, &cmd, sizeof(cmd));
}

const char *pci_devargs(const struct px_pci_device *dev)
{
	struct px_pci_addr a;
	const char *s;

	for (unsigned int i = 0; (s = eal_bus_arg(EAL_BUS_ALLOW, i)) != NULL; i++) {
		char buf[64];
		size_t n = strcspn(s, ",");

		snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
		if (px_pci_addr_parse(buf, &a) == 0 && addr_eq(&a, &dev->addr))
			return s[n] == ',' ? s + n + 1 : NULL;
	}
	return NULL;
}

static const struct px_pci_driver *match(const struct px_pci_device *dev)
{
	for (const struct px_pci_driver *drv = drivers; drv; drv = drv->next)
		for (const struct px_pci_id *t = drv->id_table; t && t->vendor_id; t++)
			if (px_pci_id_match(t, &dev->id))
				return drv;
	return NULL;
}

/*
 * On sPAPR every IOMMU group gets its own container. Measured on pseries (6.12, two PHBs, one
 * group each): with both groups in one container, MAP_DMA fails with EPERM. The EAL's memory
 * events map every segment into every container, so each group still sees all DMA memory.
 */
static bool spapr(struct px_vfio_container *c)
{
	const struct px_vfio_dma_caps *caps = px_vfio_container_caps(c);

	return caps != NULL && caps->type == PX_VFIO_IOMMU_SPAPR_V2;
}

static struct px_vfio_group *group_get(int no)
{
	struct px_vfio_container *c;
	struct px_vfio_group *g;

	for (unsigned int i = 0; i < nr_groups; i++)
		if (groups[i].no == no)
			return groups[i].g;
	if (nr_groups == PX_DIM(groups)) {
		errno = ENOSPC;
		return NULL;
	}
	if (container == NULL && (container = px_vfio_container_create()) == NULL)
		return NULL;
	c = container;
	if (nr_groups > 0 && spapr(container)) {
		c = px_vfio_container_create();
		if (c == NULL)
			return NULL;
	}
	g = px_vfio_group_open(c, no);
	if (g == NULL) {
		if (c != container)
			px_vfio_container_destroy(c);
		return NULL;
	}
	groups[nr_groups] = (typeof(groups[0])){no, g, c != container ? c : NULL};
	return groups[nr_groups++].g;
}

static void map_bars(struct pci_dev *pd)
{
	for (unsigned int i = 0; i < PX_PCI_MAX_BARS; i++) {
		struct px_vfio_region r;

		if (px_vfio_device_region(pd->vdev, i, &r) || r.size == 0 ||
		    !(r.flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		pd->pub.bar[i] = px_vfio_device_map_bar(pd->vdev, i, &pd->pub.bar_len[i]);
	}
}

/* The request notifier of a device whose driver has a request hook, on the interrupt thread. */
static void request_intr(int fd, void *arg)
{
	struct pci_dev *pd = arg;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return; /* drained already */
	PCI_LOG(NOTICE, "%s: the kernel asks for the device back (unbind or unplug)", pd->pub.name);
	if (pd->pub.driver && pd->pub.driver->request)
		pd->pub.driver->request(&pd->pub);
}

/* Arm the request notifier for the driver's request hook (nothing to do without one). */
static void request_arm(struct pci_dev *pd)
{
	int fd;

	if (pd->pub.driver->request == NULL ||
	    px_vfio_device_irq_count(pd->vdev, VFIO_PCI_REQ_IRQ_INDEX) < 1)
		return;
	fd = px_vfio_device_req_notifier(pd->vdev);
	if (fd < 0 || px_intr_callback_register(fd, request_intr, pd)) {
		PCI_LOG(WARNING,
			"%s: cannot arm the device-request notifier: an unplug will wait "
			"until the port is closed",
			pd->pub.name);
		return;
	}
	pd->req_fd = fd;
	pd->req_intr = true;
}

/* Stop watching for the driver's request hook (the application takes over, or release). */
static void request_disarm(struct pci_dev *pd)
{
	if (!pd->req_intr)
		return;
	px_intr_callback_unregister(pd->req_fd, request_intr, pd);
	pd->req_intr = false;
	pd->req_fd = -1;
}

static int probe_one(struct pci_dev *pd, struct px_pci_driver *drv)
{
	struct px_vfio_group *g;
	int ret;

	if (strcmp(pd->pub.kdrv, "vfio-pci")) {
		/* A warning with the fix where the user named the device (-a) or no driver holds
		 * it; a device the kernel drives and nobody named (often the machine's own NIC,
		 * which binding to vfio-pci would cut off) is left alone with a debug line. */
		int level = eal_bus_arg(EAL_BUS_ALLOW, 0) || !pd->pub.kdrv[0] ? PX_LOG_WARNING
									      : PX_LOG_DEBUG;

		if (px_log_enabled(pci_logtype, level))
			px_log_write(pci_logtype, level,
				     "%s (%04x:%04x) matches %s but is bound to %s: "
				     "px-devbind --bind=vfio-pci %s",
				     pd->pub.name, pd->pub.id.vendor_id, pd->pub.id.device_id,
				     drv->name, pd->pub.kdrv[0] ? pd->pub.kdrv : "no driver",
				     pd->pub.name);
		return 0;
	}
	g = group_get(pd->pub.iommu_group);
	if (g == NULL)
		return -errno;
	pd->vdev = px_vfio_device_open(g, pd->pub.name);
	if (pd->vdev == NULL)
		return -errno;
	map_bars(pd);
	ret = drv->probe(drv, &pd->pub);
	if (ret) {
		PCI_LOG(ERR, "%s: %s probe failed: %s", pd->pub.name, drv->name, strerror(-ret));
		px_vfio_device_close(pd->vdev);
		pd->vdev = NULL;
		memset(pd->pub.bar, 0, sizeof(pd->pub.bar));
		return ret;
	}
	pd->pub.driver = drv;
	request_arm(pd);
	return 0;
}

/* Probe every device a driver matches that is not open yet. @return how many were probed. */
static int probe_all(void)
{
	int n = 0;

	for (struct px_pci_device *dev = devices; dev; dev = dev->next) {
		struct pci_dev *pd = px_container_of(dev, struct pci_dev, pub);
		const struct px_pci_driver *drv = match(dev);
		int ret;

		if (drv == NULL || pd->vdev || pd->gone || !allowed(dev))
			continue;
		ret = probe_one(pd, (struct px_pci_driver *)drv);
		if (ret)
			return ret;
		n += dev->driver != NULL;
	}
	return n;
}

static int pci_probe(void)
{
	int ret = probe_all();

	return ret < 0 ? ret : 0;
}

int px_pci_rescan(void)
{
	int ret;

	/* a device released earlier and unplugged since is not in sysfs: the scan below finds
	 * again only what is there, and probe_all() leaves the rest alone */
	for (struct px_pci_device *d = devices; d; d = d->next) {
		struct pci_dev *pd = px_container_of(d, struct pci_dev, pub);

		pd->gone = pd->vdev == NULL;
	}
	ret = pci_scan();

	return ret < 0 ? ret : probe_all();
}

static void pci_cleanup(void)
{
	while (devices) {
		struct pci_dev *pd = px_container_of(devices, struct pci_dev, pub);

		devices = devices->next;
		if (pd->pub.driver && pd->pub.driver->remove)
			pd->pub.driver->remove(&pd->pub);
		request_disarm(pd);
		px_pci_intr_disable(&pd->pub);
		px_vfio_device_close(pd->vdev);
		free(pd);
	}
	for (unsigned int i = 0; i < nr_groups; i++)
		px_vfio_container_destroy(groups[i].own);
	px_vfio_container_destroy(container); /* closes the groups */
	container = NULL;
	nr_groups = 0;
	if (req_epfd >= 0)
		close(req_epfd);
	req_epfd = -1;
}

static struct eal_bus pci_bus = {
	.name = "pci",
	.scan = pci_scan,
	.probe = pci_probe,
	.cleanup = pci_cleanup,
};
EAL_BUS_REGISTER(pci_bus)

static struct px_vfio_device *vdev_of(struct px_pci_device *dev)
{
	return px_container_of(dev, struct pci_dev, pub)->vdev;
}

int px_pci_cfg_read(struct px_pci_device *dev, uint64_t off, void *buf, size_t len)
{
	return vdev_of(dev) ? px_vfio_device_cfg_read(vdev_of(dev), off, buf, len) : -ENODEV;
}

int px_pci_cfg_write(struct px_pci_device *dev, uint64_t off, const void *buf, size_t len)
{
	return vdev_of(dev) ? px_vfio_device_cfg_write(vdev_of(dev), off, buf, len) : -ENODEV;
}

int px_pci_reset(struct px_pci_device *dev)
{
	return vdev_of(dev) ? px_vfio_device_reset(vdev_of(dev)) : -ENODEV;
}

int px_pci_intr_enable(struct px_pci_device *dev, unsigned int n, int *fds)
{
	struct pci_dev *pd = px_container_of(dev, struct pci_dev, pub);
	static const int order[] = {VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX,
				    VFIO_PCI_INTX_IRQ_INDEX};
	unsigned int i;
	int idx = -1, ret;

	if (pd->vdev == NULL || n == 0 || n > PX_DIM(pd->fds) || pd->nfds)
		return pd->nfds ? -EBUSY : -EINVAL;
	for (i = 0; i < PX_DIM(order) && idx < 0; i++)
		if (px_vfio_device_irq_count(pd->vdev, order[i]) >= (int)n)
			idx = order[i];
	if (idx < 0)
		return -ENOTSUP;
	for (i = 0; i < n; i++) {
		pd->fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (pd->fds[i] < 0) {
			ret = -errno;
			goto close_fds;
		}
	}
	ret = px_vfio_device_set_irqs(pd->vdev, idx, 0, n, pd->fds);
	if (ret)
		goto close_fds;
	pd->nfds = n;
	pd->irq_index = idx;
	memcpy(fds, pd->fds, n * sizeof(int));
	return 0;

close_fds:
	while (i-- > 0)
		close(pd->fds[i]);
	return ret;
}

void px_pci_intr_disable(struct px_pci_device *dev)
{
	struct pci_dev *pd = px_container_of(dev, struct pci_dev, pub);

	if (pd->nfds == 0)
		return;
	px_vfio_device_set_irqs(pd->vdev, pd->irq_index, 0, 0, NULL);
	for (unsigned int i = 0; i < pd->nfds; i++)
		close(pd->fds[i]);
	pd->nfds = 0;
}

/* ---- Device requests ---- */

int px_pci_req_register(struct px_pci_device *dev, px_pci_req_cb_t cb, void *arg)
{
	struct pci_dev *pd = px_container_of(dev, struct pci_dev, pub);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = pd};
	int fd;

	if (pd->vdev == NULL)
		return -ENODEV;
	request_disarm(pd); /* the application's callback replaces the driver's hook */
	if (cb == NULL) {
		/* the kernel keeps its trigger: an eventfd nobody reads costs nothing */
		if (pd->req_fd >= 0)
			epoll_ctl(req_epfd, EPOLL_CTL_DEL, pd->req_fd, NULL);
		pd->req_fd = -1;
		pd->req_cb = NULL;
		return 0;
	}
	if (px_vfio_device_irq_count(pd->vdev, VFIO_PCI_REQ_IRQ_INDEX) < 1) {
		PCI_LOG(ERR, "%s: the kernel has no device-request interrupt for it", dev->name);
		return -ENOTSUP;
	}
	if (req_epfd < 0) {
		req_epfd = epoll_create1(EPOLL_CLOEXEC);
		if (req_epfd < 0)
			return -errno;
	}
	fd = px_vfio_device_req_notifier(pd->vdev);
	if (fd < 0)
		return fd;
	if (pd->req_fd < 0 && epoll_ctl(req_epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	pd->req_fd = fd;
	pd->req_cb = cb;
	pd->req_arg = arg;
	return 0;
}

int px_pci_req_fd(void)
{
	if (req_epfd < 0) {
		req_epfd = epoll_create1(EPOLL_CLOEXEC);
		if (req_epfd < 0)
			return -errno;
	}
	return req_epfd;
}

int px_pci_req_poll(int timeout_ms)
{
	struct epoll_event ev[8];
	int n, called = 0;

	if (req_epfd < 0)
		return 0; /* nothing armed */
	n = epoll_wait(req_epfd, ev, PX_DIM(ev), timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct pci_dev *pd = ev[i].data.ptr;
		uint64_t v;

		/* an earlier callback of this batch may have released it */
		if (pd->req_fd < 0 || pd->req_cb == NULL)
			continue;
		if (read(pd->req_fd, &v, sizeof(v)) != sizeof(v))
			continue; /* already drained */
		PCI_LOG(NOTICE, "%s: the kernel asks for the device back (unbind or unplug)",
			pd->pub.name);
		pd->req_cb(&pd->pub, pd->req_arg);
		called++;
	}
	return called;
}

/* Does another device of IOMMU group @no still have its VFIO device open? */
static bool group_in_use(int no)
{
	for (struct px_pci_device *d = devices; d; d = d->next)
		if (d->iommu_group == no && px_container_of(d, struct pci_dev, pub)->vdev)
			return true;
	return false;
}

/*
 * The last open device of group @no is being given back. When its last device leaves
 * vfio-pci the kernel detaches the group from its container itself (6.x,
 * vfio_device_remove_group), and with the container's last group its IOMMU context and every
 * mapping. So the group is detached here first, and a container of its own (sPAPR) is
 * destroyed, unmapping while the kernel still holds the maps: the tracker then still equals
 * the kernel. The other groups keep their maps.
 */
static void group_release(int no)
{
	for (unsigned int i = 0; i < nr_groups; i++) {
		if (groups[i].no != no)
			continue;
		if (groups[i].own)
			px_vfio_container_destroy(groups[i].own); /* closes the group */
		else
			px_vfio_group_close(groups[i].g);
		memmove(&groups[i], &groups[i + 1], (nr_groups - i - 1) * sizeof(groups[0]));
		nr_groups--;
		return;
	}
}

int px_pci_release(struct px_pci_device *dev)
{
	struct pci_dev *pd = px_container_of(dev, struct pci_dev, pub);
	struct px_vfio_device *vdev;
	int ret;

	if (pd->vdev == NULL)
		return -ENODEV;
	if (dev->driver && dev->driver->remove) {
		ret = dev->driver->remove(dev);
		if (ret)
			PCI_LOG(WARNING, "%s: %s remove: %s (released anyway)", dev->name,
				dev->driver->name, strerror(-ret));
	}
	dev->driver = NULL;
	px_pci_intr_disable(dev);
	px_pci_req_register(dev, NULL, NULL);
	vdev = pd->vdev;
	pd->vdev = NULL;
	if (group_in_use(dev->iommu_group))
		px_vfio_device_close(vdev); /* unmaps the BARs, closes the request eventfd */
	else
		group_release(dev->iommu_group); /* closes vdev with the group */
	memset(dev->bar, 0, sizeof(dev->bar));
	memset(dev->bar_len, 0, sizeof(dev->bar_len));
	PCI_LOG(INFO, "%s: released to the kernel", dev->name);
	return 0;
}

struct px_vfio_container *pci_container_of(const struct px_pci_device *dev)
{
	for (unsigned int i = 0; i < nr_groups; i++)
		if (groups[i].no == dev->iommu_group)
			return groups[i].own ? groups[i].own : container;
	return NULL;
}

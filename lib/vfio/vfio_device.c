/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devices: info, regions (with capability chains), BAR mmap, config space, interrupts
 * (VFIO_DEVICE_SET_IRQS with eventfds), reset and the device-request notifier.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vfio_private.h"
#include "vfio_group.h"

struct px_vfio_device *px_vfio_device_open(struct px_vfio_group *g, const char *addr)
{
	struct px_vfio_device *d = calloc(1, sizeof(*d));
	int err;

	if (d == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	d->req_fd = -1;
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	d->fd = ioctl(g->fd, VFIO_GROUP_GET_DEVICE_FD, addr);
	if (d->fd < 0) {
		err = errno;
		VFIO_LOG(ERR, "%s: VFIO_GROUP_GET_DEVICE_FD: %s", addr, strerror(err));
		goto free_dev;
	}
	d->info.argsz = sizeof(d->info);
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &d->info)) {
		err = errno;
		VFIO_LOG(ERR, "%s: VFIO_DEVICE_GET_INFO: %s", addr, strerror(err));
		goto close_fd;
	}
	d->g = g;
	d->next = g->devices;
	g->devices = d;
	return d;

close_fd:
	close(d->fd);
free_dev:
	free(d);
	errno = err;
	return NULL;
}

void px_vfio_device_close(struct px_vfio_device *d)
{
	struct px_vfio_device **pp;

	if (d == NULL)
		return;
	for (pp = &d->g->devices; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	for (unsigned int i = 0; i < VFIO_MAX_BARS; i++)
		if (d->bar[i] != NULL)
			munmap(d->bar[i], d->bar_size[i]);
	/* Closing the device fd disables its interrupts (vfio_pci_core_disable). */
	if (d->req_fd >= 0)
		close(d->req_fd);
	close(d->fd);
	free(d);
}

unsigned int px_vfio_device_num_regions(const struct px_vfio_device *d)
{
	return d->info.num_regions;
}

unsigned int px_vfio_device_num_irqs(const struct px_vfio_device *d)
{
	return d->info.num_irqs;
}

struct px_vfio_group *px_vfio_device_group(struct px_vfio_device *d)
{
	return d->g;
}

/* VFIO_DEVICE_GET_REGION_INFO; when the capability chain does not fit, the kernel sets argsz
 * to the size it needs and we ask again (vfio.h: "argsz ... may be larger"). */
static struct vfio_region_info *region_info(int fd, unsigned int index)
{
	uint32_t sz = sizeof(struct vfio_region_info);
	struct vfio_region_info *ri = calloc(1, sz);

	while (ri != NULL) {
		ri->argsz = sz;
		ri->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			free(ri);
			return NULL;
		}
		if (ri->argsz <= sz)
			return ri;
		sz = ri->argsz;
		free(ri);
		ri = calloc(1, sz);
	}
	errno = ENOMEM;
	return NULL;
}

static void region_sparse(const struct vfio_region_info *ri, struct px_vfio_region *r)
{
	uint32_t off = (ri->flags & VFIO_REGION_INFO_FLAG_CAPS) ? ri->cap_offset : 0;

	while (off && off + sizeof(struct vfio_info_cap_header) <= ri->argsz) {
		const struct vfio_info_cap_header *h = (const void *)((const char *)ri + off);

		if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			const struct vfio_region_info_cap_sparse_mmap *s = (const void *)h;

			r->nr_sparse = PX_MIN(s->nr_areas, PX_DIM(r->sparse));
			for (uint32_t i = 0; i < r->nr_sparse; i++) {
				r->sparse[i].offset = s->areas[i].offset;
				r->sparse[i].size = s->areas[i].size;
			}
		}
		off = h->next;
	}
}

int px_vfio_device_region(struct px_vfio_device *d, unsigned int index, struct px_vfio_region *r)
{
	struct vfio_region_info *ri = region_info(d->fd, index);

	if (ri == NULL)
		return -errno;
	memset(r, 0, sizeof(*r));
	r->index = index;
	r->flags = ri->flags;
	r->size = ri->size;
	r->offset = ri->offset;
	region_sparse(ri, r);
	free(ri);
	return 0;
}

/* Reserve the BAR's span, then map only the areas the kernel allows (the MSI-X table and PBA
 * are left out of the sparse list and stay PROT_NONE). */
static void *map_areas(struct px_vfio_device *d, const struct px_vfio_region *r)
{
	void *base = mmap(NULL, r->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED)
		return NULL;
	for (uint32_t i = 0; i < (r->nr_sparse ? r->nr_sparse : 1); i++) {
		uint64_t off = r->nr_sparse ? r->sparse[i].offset : 0;
		uint64_t sz = r->nr_sparse ? r->sparse[i].size : r->size;

		if (sz && mmap((char *)base + off, sz, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, d->fd, r->offset + off) == MAP_FAILED) {
			int err = errno;

			munmap(base, r->size);
			errno = err;
			return NULL;
		}
	}
	return base;
}

void *px_vfio_device_map_bar(struct px_vfio_device *d, unsigned int bar, uint64_t *size)
{
	struct px_vfio_region r;
	int ret;

	if (bar >= VFIO_MAX_BARS || bar >= d->info.num_regions) {
		errno = EINVAL;
		return NULL;
	}
	if (d->bar[bar] != NULL)
		goto out;
	ret = px_vfio_device_region(d, bar, &r);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	if (r.size == 0 || !(r.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		VFIO_LOG(ERR, "%s: BAR%u cannot be mmapped (size 0x%llx, flags 0x%x)", d->addr, bar,
			 (unsigned long long)r.size, r.flags);
		errno = ENOTSUP;
		return NULL;
	}
	d->bar[bar] = map_areas(d, &r);
	if (d->bar[bar] == NULL)
		return NULL;
	d->bar_size[bar] = r.size;
out:
	if (size)
		*size = d->bar_size[bar];
	return d->bar[bar];
}

static int region_io(struct px_vfio_device *d, unsigned int index, void *buf, size_t len,
		     uint64_t off, bool write)
{
	struct px_vfio_region r;
	ssize_t n;
	int ret = px_vfio_device_region(d, index, &r);

	if (ret)
		return ret;
	if (off > r.size || len > r.size - off)
		return -EINVAL;
	n = write ? pwrite(d->fd, buf, len, r.offset + off)
		  : pread(d->fd, buf, len, r.offset + off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int px_vfio_device_read(struct px_vfio_device *d, unsigned int index, void *buf, size_t len,
			uint64_t off)
{
	return region_io(d, index, buf, len, off, false);
}

int px_vfio_device_write(struct px_vfio_device *d, unsigned int index, const void *buf, size_t len,
			 uint64_t off)
{
	return region_io(d, index, (void *)buf, len, off, true);
}

int px_vfio_device_cfg_read(struct px_vfio_device *d, uint64_t off, void *buf, size_t len)
{
	return region_io(d, VFIO_PCI_CONFIG_REGION_INDEX, buf, len, off, false);
}

int px_vfio_device_cfg_write(struct px_vfio_device *d, uint64_t off, const void *buf, size_t len)
{
	return region_io(d, VFIO_PCI_CONFIG_REGION_INDEX, (void *)buf, len, off, true);
}

int px_vfio_device_irq_count(struct px_vfio_device *d, unsigned int index)
{
	struct vfio_irq_info ii = {.argsz = sizeof(ii), .index = index};

	if (ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii))
		return -errno;
	return (int)ii.count;
}

/* VFIO_DEVICE_SET_IRQS: DATA_EVENTFD|ACTION_TRIGGER with an fd per vector (-1 de-assigns
 * that vector); DATA_NONE|ACTION_TRIGGER with count 0 disables the index (vfio.h). */
int px_vfio_device_set_irqs(struct px_vfio_device *d, unsigned int index, unsigned int start,
			    unsigned int n, const int *fds)
{
	size_t sz = sizeof(struct vfio_irq_set) + n * sizeof(int);
	struct vfio_irq_set *s = calloc(1, sz);
	int ret = 0;

	if (s == NULL)
		return -ENOMEM;
	s->argsz = sz;
	s->index = index;
	s->start = start;
	s->count = n;
	s->flags = (n ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE) |
		   VFIO_IRQ_SET_ACTION_TRIGGER;
	if (n)
		memcpy(s->data, fds, n * sizeof(int));
	if (ioctl(d->fd, VFIO_DEVICE_SET_IRQS, s)) {
		ret = -errno;
		VFIO_LOG(ERR, "%s: VFIO_DEVICE_SET_IRQS index %u [%u,+%u): %s", d->addr, index,
			 start, n, strerror(-ret));
	}
	free(s);
	return ret;
}

/* INTx is level-triggered: the kernel masks it when it fires; unmask once the cause is
 * cleared (VFIO_IRQ_SET_ACTION_UNMASK). */
int px_vfio_device_intx_unmask(struct px_vfio_device *d)
{
	struct vfio_irq_set s = {.argsz = sizeof(s),
				 .flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
				 .index = VFIO_PCI_INTX_IRQ_INDEX,
				 .start = 0,
				 .count = 1};

	return ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &s) ? -errno : 0;
}

int px_vfio_device_reset(struct px_vfio_device *d)
{
	if (!(d->info.flags & VFIO_DEVICE_FLAGS_RESET))
		return -ENOTSUP;
	return ioctl(d->fd, VFIO_DEVICE_RESET) ? -errno : 0;
}

int px_vfio_device_req_notifier(struct px_vfio_device *d)
{
	int fd, ret;

	if (d->req_fd >= 0)
		return d->req_fd;
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	ret = px_vfio_device_set_irqs(d, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &fd);
	if (ret) {
		close(fd);
		return ret;
	}
	d->req_fd = fd;
	return fd;
}

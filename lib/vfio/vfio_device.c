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
#include <linux/pci_regs.h>

#include "vfio_private.h"

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

#define REGION_INFO_MAX_QUERIES 4
#define REGION_INFO_MAX_ARGSZ (64u << 10)

/* VFIO_DEVICE_GET_REGION_INFO; when the capability chain does not fit, the kernel sets
 * FLAG_CAPS, argsz to the size it needs and cap_offset to 0, and we ask again (vfio.h: "argsz
 * ... may be larger"). */
struct vfio_region_info *vfio_region_info_query(int fd, const char *who, unsigned int index,
						uint32_t first_argsz, size_t *len,
						unsigned int *queries)
{
	uint32_t sz = PX_MAX(first_argsz, (uint32_t)sizeof(struct vfio_region_info));
	struct vfio_region_info *ri;
	unsigned int q;
	int err;

	for (q = 1; q <= REGION_INFO_MAX_QUERIES; q++) {
		ri = calloc(1, sz);
		if (ri == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		ri->argsz = sz;
		ri->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			err = errno;
			free(ri);
			errno = err;
			return NULL;
		}
		if (ri->argsz <= sz) {
			*len = sz;
			if (queries)
				*queries = q;
			return ri;
		}
		VFIO_LOG(DEBUG, "%s: region %u: capabilities need argsz %u, not %u: asking again",
			 who, index, ri->argsz, sz);
		if (ri->argsz > REGION_INFO_MAX_ARGSZ) {
			VFIO_LOG(ERR, "%s: region %u: the kernel asks for argsz %u (over %u)", who,
				 index, ri->argsz, REGION_INFO_MAX_ARGSZ);
			free(ri);
			errno = E2BIG;
			return NULL;
		}
		sz = ri->argsz;
		free(ri);
	}
	VFIO_LOG(ERR, "%s: region %u: argsz still too small after %u queries", who, index,
		 REGION_INFO_MAX_QUERIES);
	errno = EPROTO;
	return NULL;
}

static int parse_sparse(const char *who, const struct vfio_info_cap_header *h, uint32_t off,
			uint32_t limit, struct px_vfio_region *r)
{
	const struct vfio_region_info_cap_sparse_mmap *s = (const void *)h;
	uint64_t need = sizeof(*s);

	if (off + need <= limit)
		need += (uint64_t)s->nr_areas * sizeof(s->areas[0]);
	if (off + need > limit) {
		VFIO_LOG(
			ERR,
			"%s: region %u: sparse mmap capability at %u runs past the end of the info (%u bytes)",
			who, r->index, off, limit);
		return -EPROTO;
	}
	if (s->nr_areas > PX_DIM(r->sparse)) {
		VFIO_LOG(ERR,
			 "%s: region %u: sparse mmap capability lists %u areas, at most %zu "
			 "are handled",
			 who, r->index, s->nr_areas, PX_DIM(r->sparse));
		return -E2BIG;
	}
	for (uint32_t i = 0; i < s->nr_areas; i++) {
		uint64_t ao = s->areas[i].offset, as = s->areas[i].size;

		if (ao > r->size || as > r->size - ao) {
			VFIO_LOG(ERR,
				 "%s: region %u: sparse area %u [0x%llx, +0x%llx) is outside "
				 "the region (size 0x%llx)",
				 who, r->index, i, (unsigned long long)ao, (unsigned long long)as,
				 (unsigned long long)r->size);
			return -EPROTO;
		}
		r->sparse[i].offset = ao;
		r->sparse[i].size = as;
	}
	r->nr_sparse = s->nr_areas;
	return 0;
}

int vfio_region_parse(const char *who, const void *buf, size_t len, struct px_vfio_region *r,
		      uint32_t *cap_ids)
{
	const struct vfio_region_info *ri = buf;
	uint32_t limit, off;
	int ret;

	*cap_ids = 0;
	memset(r, 0, sizeof(*r));
	if (len < sizeof(*ri)) {
		VFIO_LOG(ERR, "%s: region info of %zu bytes, shorter than its header", who, len);
		return -EPROTO;
	}
	r->index = ri->index;
	r->flags = ri->flags;
	r->size = ri->size;
	r->offset = ri->offset;
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS) || ri->cap_offset == 0)
		return 0;
	limit = (uint32_t)PX_MIN((size_t)ri->argsz, len);
	for (off = ri->cap_offset; off != 0;) {
		const struct vfio_info_cap_header *h = (const void *)((const char *)buf + off);

		if (off < sizeof(*ri) || off % 8) {
			VFIO_LOG(ERR, "%s: region %u: capability at offset %u is %s", who, r->index,
				 off, off % 8 ? "misaligned" : "inside the region info header");
			return -EPROTO;
		}
		if ((uint64_t)off + sizeof(*h) > limit) {
			VFIO_LOG(
				ERR,
				"%s: region %u: capability at offset %u runs past the end of the info (%u "
				"bytes): truncated chain",
				who, r->index, off, limit);
			return -EPROTO;
		}
		if (h->id < 32)
			*cap_ids |= 1u << h->id;
		if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			ret = parse_sparse(who, h, off, limit, r);
			if (ret)
				return ret;
		}
		if (h->next != 0 && h->next <= off) {
			VFIO_LOG(ERR, "%s: region %u: capability chain loops (next %u after %u)",
				 who, r->index, h->next, off);
			return -ELOOP;
		}
		off = h->next;
	}
	return 0;
}

/* Region @index with the capability ids seen. */
static int region_get(struct px_vfio_device *d, unsigned int index, struct px_vfio_region *r,
		      uint32_t *cap_ids)
{
	size_t len;
	struct vfio_region_info *ri = vfio_region_info_query(
		d->fd, d->addr, index, sizeof(struct vfio_region_info), &len, NULL);
	int ret;

	if (ri == NULL)
		return -errno;
	ret = vfio_region_parse(d->addr, ri, len, r, cap_ids);
	free(ri);
	return ret;
}

int px_vfio_device_region(struct px_vfio_device *d, unsigned int index, struct px_vfio_region *r)
{
	uint32_t cap_ids;

	return region_get(d, index, r, &cap_ids);
}

unsigned int vfio_msix_areas(uint64_t bar_size, uint64_t page, uint64_t tab_off, uint64_t tab_len,
			     struct px_vfio_region *r)
{
	uint64_t start = PX_ALIGN_FLOOR(tab_off, page);
	uint64_t end = PX_ALIGN_CEIL(tab_off + tab_len, page);

	r->nr_sparse = 0;
	if (start > 0) {
		r->sparse[r->nr_sparse].offset = 0;
		r->sparse[r->nr_sparse++].size = PX_MIN(start, bar_size);
	}
	if (end < bar_size) {
		r->sparse[r->nr_sparse].offset = end;
		r->sparse[r->nr_sparse++].size = bar_size - end;
	}
	return r->nr_sparse;
}

/* Where the MSI-X table is (PCI 3.0 §6.8.2): BAR, offset, size. -ENOENT without MSI-X. */
static int msix_table(struct px_vfio_device *d, unsigned int *bir, uint64_t *off, uint64_t *len)
{
	uint8_t pos = 0, id = 0;
	uint16_t status = 0, flags = 0;
	uint32_t table = 0;

	if (px_vfio_device_cfg_read(d, PCI_STATUS, &status, 2) || !(status & PCI_STATUS_CAP_LIST) ||
	    px_vfio_device_cfg_read(d, PCI_CAPABILITY_LIST, &pos, 1))
		return -ENOENT;
	for (int n = 0; pos >= 0x40 && n < 48; n++) {
		if (px_vfio_device_cfg_read(d, pos, &id, 1))
			return -ENOENT;
		if (id == PCI_CAP_ID_MSIX) {
			if (px_vfio_device_cfg_read(d, pos + PCI_MSIX_FLAGS, &flags, 2) ||
			    px_vfio_device_cfg_read(d, pos + PCI_MSIX_TABLE, &table, 4))
				return -ENOENT;
			*bir = table & PCI_MSIX_TABLE_BIR;
			*off = table & PCI_MSIX_TABLE_OFFSET;
			*len = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1u) * PCI_MSIX_ENTRY_SIZE;
			return 0;
		}
		if (px_vfio_device_cfg_read(d, pos + 1, &pos, 1))
			return -ENOENT;
	}
	return -ENOENT;
}

/*
 * Which parts of BAR @bar to map, as DPDK decides: the kernel's sparse areas when it lists
 * them; the whole BAR when the kernel says the MSI-X table may be mapped (MSIX_MAPPABLE, every
 * vfio-pci since 4.16) or the BAR has no MSI-X table; else the pages around the table (the
 * kernel refuses to map it). @return 0, or -ENOTSUP when no page may be mapped.
 */
static int bar_areas(struct px_vfio_device *d, unsigned int bar, struct px_vfio_region *r,
		     uint32_t cap_ids)
{
	unsigned int bir;
	uint64_t off, len;

	if (cap_ids & (1u << VFIO_REGION_INFO_CAP_SPARSE_MMAP))
		return r->nr_sparse ? 0 : -ENOTSUP;
	if ((cap_ids & (1u << VFIO_REGION_INFO_CAP_MSIX_MAPPABLE)) && !d->ignore_msix_mappable)
		return 0;
	if (msix_table(d, &bir, &off, &len) || bir != bar)
		return 0;
	if (vfio_msix_areas(r->size, (uint64_t)sysconf(_SC_PAGESIZE), off, len, r) == 0)
		return -ENOTSUP;
	VFIO_LOG(DEBUG, "%s: BAR%u: MSI-X table at 0x%llx (+0x%llx) left unmapped", d->addr, bar,
		 (unsigned long long)off, (unsigned long long)len);
	return 0;
}

/* Reserve the BAR's span, then map only the areas chosen (what is left out stays PROT_NONE:
 * an access through the pointer faults; use px_vfio_device_read/write there). */
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
	uint32_t cap_ids;
	int ret;

	if (bar >= VFIO_MAX_BARS || bar >= d->info.num_regions) {
		errno = EINVAL;
		return NULL;
	}
	if (d->bar[bar] != NULL)
		goto out;
	ret = region_get(d, bar, &r, &cap_ids);
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
	ret = bar_areas(d, bar, &r, cap_ids);
	if (ret) {
		VFIO_LOG(ERR,
			 "%s: BAR%u (0x%llx bytes) has no page outside its MSI-X table to map: "
			 "use px_vfio_device_read/write",
			 d->addr, bar, (unsigned long long)r.size);
		errno = -ret;
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

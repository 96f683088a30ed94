/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/vfio internals. Not installed. One section per file, in the order a reader meets them:
 *   vfio_container.c  containers: open, IOMMU type choice, groups joining and leaving, close
 *   vfio_dma.c        the DMA map tracker (one per container)
 *   vfio_iova.c       the EAL's memory: the IOVA of each segment, and memory events
 *   vfio_group.c      IOMMU groups: viability, attach
 *   vfio_device.c     devices: regions, BARs, config space, interrupts, reset
 *   vfio_kernel.c     the kernel backends (type1 v2, sPAPR TCE v2, noiommu): the ioctls
 * Tests include it to plug simulated backends in (vfio_container_new) and to reach the helpers.
 */
#ifndef VFIO_PRIVATE_H
#define VFIO_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#include <px_log.h>
#include <px_memory.h>
#include "px_vfio.h"

extern int vfio_logtype;
#define VFIO_LOG(lvl, ...) PX_LOG(lvl, vfio_logtype, __VA_ARGS__)

/* ---- vfio_container.c: containers ---- */

/*
 * The kernel, as a container sees it (vfio_kernel.c, or a simulated kernel in the tests). Every
 * function returns 0 or a negative errno exactly as the kernel would; the tracker never calls
 * one for a request it can refuse itself.
 */
struct vfio_backend_ops {
	const char *name;
	/* A group joins the container; @first: the IOMMU context must be created (SET_IOMMU). */
	int (*attach)(void *priv, int group_fd, bool first);
	/* A group leaves; @last: the kernel drops the IOMMU context and every mapping with it. */
	void (*detach)(void *priv, int group_fd, bool last);
	/* Read the capabilities (called after the first attach). */
	int (*caps)(void *priv, struct px_vfio_dma_caps *caps);
	int (*map)(void *priv, uint64_t va, uint64_t iova, uint64_t len);
	/* Unmap [iova, iova+len); *unmapped gets what the kernel says it unmapped. */
	int (*unmap)(void *priv, uint64_t iova, uint64_t len, uint64_t *unmapped);
	/* Native "unmap everything"; NULL when the backend has none. */
	int (*unmap_all)(void *priv, uint64_t *unmapped);
	/* sPAPR: replace the DMA window with one of @size bytes (or less where the IOMMU limits
	 * it), of the largest IOMMU page <= @max_page; nothing may be mapped. The tracker reads
	 * the caps again after. NULL where the usable ranges are fixed. */
	int (*new_window)(void *priv, uint64_t size, uint64_t max_page);
	void (*destroy)(void *priv);
};

struct vfio_extent {
	uint64_t va, iova, len;
};

struct vfio_group_ref {
	int fd;
	int no;
	struct px_vfio_group *group; /* NULL for groups attached by tests */
};

#define VFIO_MAX_GROUPS 32

struct px_vfio_container {
	int fd; /* /dev/vfio/vfio, -1 for a simulated backend */
	const struct vfio_backend_ops *ops;
	void *priv;
	pthread_mutex_t lock;
	struct px_vfio_dma_caps caps;
	bool have_caps;
	bool attaching; /* first attach under way: caps known, extents not replayed yet */
	/* The tracker (vfio_dma.c): sorted by iova, disjoint, one entry per kernel map call. */
	struct vfio_extent *ext;
	unsigned int n, cap;
	unsigned int max_extents;
	unsigned int reserve;
	bool warned;
	struct vfio_group_ref groups[VFIO_MAX_GROUPS];
	unsigned int nr_groups;
	struct px_vfio_container *next; /* vfio_containers */
};

/* Every container, for the IOVA choice (vfio_iova.c). Lock order: the EAL's memory lock,
 * vfio_containers_lock, a container's lock. */
extern pthread_mutex_t vfio_containers_lock;
extern struct px_vfio_container *vfio_containers;

/* A container around a backend; fd may be -1. Joins vfio_containers. NULL+errno. */
struct px_vfio_container *vfio_container_new(int fd, const struct vfio_backend_ops *ops,
					     void *priv);
/* Leave vfio_containers, destroy the backend, free. */
void vfio_container_free(struct px_vfio_container *c);
/* Attach/detach a group: the first attach sets the IOMMU up, reads the caps, lets the EAL move
 * its memory inside the usable ranges and replays the extents; rolls back on failure. */
int vfio_container_attach(struct px_vfio_container *c, int group_fd, int group_no,
			  struct px_vfio_group *g);
void vfio_container_detach(struct px_vfio_container *c, int group_fd);
/* The usable ranges, "0x0-0x3fffffff, ..." for the log. */
void vfio_ranges_str(const struct px_vfio_container *c, char *buf, size_t sz);

/* The kernel holds an IOMMU context (and so mappings) only while a group is attached. */
static inline bool vfio_kernel_live(const struct px_vfio_container *c)
{
	return c->nr_groups > 0 && c->caps.maps;
}

/* ---- vfio_dma.c: the DMA map tracker (c->lock held for all below) ---- */

#define VFIO_DMA_MAX_EXTENTS 65535 /* px_vfio_dma_set_limits() defaults */
#define VFIO_DMA_RESERVE 16

/* [iova, iova+len) lies inside one usable range (true while the ranges are unknown). */
bool vfio_in_ranges(const struct px_vfio_container *c, uint64_t iova, uint64_t len);
/* Index of the first extent that ends after @iova (c->n when none). */
unsigned int vfio_first_after(const struct px_vfio_container *c, uint64_t iova);
/* First IOVA >= @hint inside a usable range where @len bytes aligned to @align touch no extent */
int vfio_find_iova_locked(struct px_vfio_container *c, uint64_t hint, uint64_t len, uint64_t align,
			  uint64_t *iova);
/* Map every extent into a fresh IOMMU context (first attach); undo them all on a failure. */
int vfio_dma_replay(struct px_vfio_container *c);

/* ---- vfio_iova.c: the EAL's memory ---- */

/* The EAL as lib/vfio sees it; tests replace it (a fake arena, a fake refresh). */
struct vfio_mem_ops {
	int (*layout)(struct px_mem_layout *l); /* px_mem_layout_get */
	int (*refresh)(void);                   /* px_mem_iova_refresh */
};
extern struct vfio_mem_ops vfio_mem;
/* The EAL's IOVA provider (px_mem_iova_cb_t): IOVA = VA where it fits every container that
 * knows its usable ranges, else VA + one offset for the whole arena where the arena fits,
 * else the first place free in all of them; the same IOVA for every container. */
int vfio_iova_choose(const struct px_mem_iova_req *r, uint64_t *iova, void *arg);
/* sPAPR, first attach (c->lock held, nothing mapped): a DMA window that holds the arena @l. */
int vfio_iova_window(struct px_vfio_container *c, const struct px_mem_layout *l);
/* The one entry point of the EAL's memory events (px_mem_event_cb_t), for container @arg:
 * px_vfio_container_create() subscribes every container with it; the tests' fake EAL calls it
 * the same way. ADDED maps the segment as one extent; REMOVED unmaps what it covers, and an
 * error means a device could still write there (the memory must not be freed). */
int vfio_mem_event(enum px_mem_event type, void *va, uint64_t iova, size_t len, void *arg);

/* ---- vfio_group.c: IOMMU groups ---- */

struct px_vfio_group {
	struct px_vfio_container *c;
	int fd;
	int no;
	struct px_vfio_device *devices;
};

/* Explain why group @no is not viable: every device in it other than vfio-pci ones, their
 * drivers, and the px-devbind command. @sysfs: "/sys" (tests use a fake tree). Logs; returns
 * the number of devices that block. */
int vfio_group_explain(const char *sysfs, int no);
/* Attach group @fd (@no) when @viable, else explain (vfio_group_explain) and return -EPERM. */
int vfio_group_attach_checked(struct px_vfio_container *c, int fd, int no, struct px_vfio_group *g,
			      bool viable, const char *sysfs);

/* ---- vfio_device.c: devices ---- */

#define VFIO_MAX_BARS 6

struct px_vfio_device {
	struct px_vfio_group *g;
	struct px_vfio_device *next;
	int fd;
	char addr[32];
	struct vfio_device_info info;
	void *bar[VFIO_MAX_BARS];
	uint64_t bar_size[VFIO_MAX_BARS];
	int req_fd;
	/* Tests: map BARs as on a kernel without VFIO_REGION_INFO_CAP_MSIX_MAPPABLE (< 4.16), i.e.
	 * around the MSI-X table. */
	bool ignore_msix_mappable;
};

/* Region info with its capability chain (VFIO_DEVICE_GET_REGION_INFO), asked first with
 * @first_argsz bytes and again with what the kernel says it needs (at most 4 times, 64 KiB).
 * Returns the buffer (free it), its size in *len and the number of ioctls in *queries; NULL
 * with errno. */
struct vfio_region_info *vfio_region_info_query(int fd, const char *who, unsigned int index,
						uint32_t first_argsz, size_t *len,
						unsigned int *queries);

/* Fill @r from region info @buf of @len bytes, walking its capability chain. *@cap_ids gets a
 * bit per capability id seen (ids below 32). Refused with one log line naming the problem
 * (@who names the device): a chain starting inside the header or misaligned (-EPROTO), a cap
 * past argsz or the buffer (truncated, -EPROTO), a next offset that does not move forward
 * (loop, -ELOOP), a sparse cap with more areas than px_vfio_region holds (-E2BIG) or an area
 * outside the region (-EPROTO). */
int vfio_region_parse(const char *who, const void *buf, size_t len, struct px_vfio_region *r,
		      uint32_t *cap_ids);

/* The mmap-able areas of a BAR of @bar_size whose MSI-X table is [@tab_off, +@tab_len): the
 * pages before and after the page-aligned table (as vfio-pci listed them before 4.16). Fills
 * r->sparse and r->nr_sparse; returns the number of areas (0: no page is free of the table). */
unsigned int vfio_msix_areas(uint64_t bar_size, uint64_t page, uint64_t tab_off, uint64_t tab_len,
			     struct px_vfio_region *r);

/* ---- vfio_kernel.c: the kernel backends ---- */

extern const struct vfio_backend_ops vfio_type1_ops;
extern const struct vfio_backend_ops vfio_spapr_ops;
extern const struct vfio_backend_ops vfio_noiommu_ops;
/* The priv of a kernel backend on container fd @fd that will set IOMMU @type
 * (VFIO_TYPE1v2_IOMMU, ...); freed by the ops' destroy. NULL+errno. */
void *vfio_kbackend_new(int fd, int type);

/* One mapping as the kernel holds it (sPAPR's pieces; the simulated kernels' maps). */
struct vfio_piece {
	uint64_t va, iova, len;
};

#endif /* VFIO_PRIVATE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_vfio.h
 * VFIO containers, groups and devices, and the DMA map tracker.
 *
 * A container owns one IOMMU context (type1 v2, sPAPR TCE v2 or noiommu) and a tracker: an
 * interval map of extents, one extent per kernel map call, never merged. Every DMA mapping of
 * the container goes through the tracker, so the tracker always equals what the kernel holds.
 *
 * Unmap semantics (the 2011 debate, see docs/vfio.md):
 * - PX_DMA_UNMAP_EXACT: the range must be exactly one extent.
 * - PX_DMA_UNMAP_RANGE: every extent the range covers is removed; ranges with nothing mapped
 *   are fine (0 bytes). An extent the range only cuts is passed to the kernel where the backend
 *   splits page-granularly (sPAPR), split by unmap-and-remap of the remainders when the caller
 *   adds PX_DMA_UNMAP_ALLOW_SPLIT (type1 v2, iommufd), or refused with -EINVAL.
 *
 * Maps that overlap an existing extent, including exact duplicates, are refused with -EEXIST:
 * a mapping is owned by whoever made it, and a second owner would lose it at the first unmap.
 *
 * The library depends only on libc, the kernel uAPI and the EAL: its common macros and log
 * (px_common.h, px_log.h) and its memory API (px_memory.h: memory events, the IOVA provider,
 * the arena's layout; PX_BAD_IOVA from px_malloc.h). It takes plain addresses.
 */
#ifndef PX_VFIO_H
#define PX_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

struct px_vfio_container;
struct px_vfio_group;
struct px_vfio_device;

/** IOMMU backend of a container. */
enum px_vfio_iommu {
	PX_VFIO_IOMMU_NONE = 0, /**< not chosen yet (no group attached) */
	PX_VFIO_IOMMU_TYPE1V2,
	PX_VFIO_IOMMU_TYPE1,
	PX_VFIO_IOMMU_SPAPR_V2,
	PX_VFIO_IOMMU_NOIOMMU,
	PX_VFIO_IOMMU_IOMMUFD, /**< simulated only: the kernels we test on lack it */
};

#define PX_VFIO_MAX_IOVA_RANGES 16

/** One usable IOVA range, both ends inclusive (as the kernel reports them). */
struct px_vfio_iova_range {
	uint64_t start;
	uint64_t end;
};

/** What a container's IOMMU can do; read when the first group attaches. */
struct px_vfio_dma_caps {
	enum px_vfio_iommu type;
	uint64_t pgsizes;   /**< bitmap of supported IOMMU page sizes; lowest = alignment */
	uint32_t nr_ranges; /**< usable IOVA ranges (sorted, disjoint) */
	struct px_vfio_iova_range ranges[PX_VFIO_MAX_IOVA_RANGES];
	uint32_t dma_avail; /**< kernel map entries left at attach; UINT32_MAX: no limit */
	bool unmap_all;     /**< the backend has a native "unmap everything" */
	bool split;         /**< an unmap may cut a mapping (page-granular in the kernel) */
	bool maps; /**< false for noiommu: IOVA is the physical address, nothing is mapped */
};

/** @name Unmap flags */
/**@{*/
#define PX_DMA_UNMAP_EXACT 0x1       /**< the range is exactly one extent */
#define PX_DMA_UNMAP_RANGE 0x2       /**< every extent the range covers */
#define PX_DMA_UNMAP_ALLOW_SPLIT 0x4 /**< with RANGE: split cut extents by unmap + remap */
/**@}*/

/** Name of a backend ("type1v2", "spapr-tce-v2", ...). */
const char *px_vfio_iommu_name(enum px_vfio_iommu type);

/**
 * Open a VFIO container (/dev/vfio/vfio), check the API version and that at least one IOMMU
 * backend is available. The backend is chosen when the first group attaches.
 *
 * The container subscribes to the EAL's memory events (px_mem_event_register): every hugepage
 * segment, those reserved already and those to come, is mapped once, as one extent, at the IOVA
 * lib/vfio chose for it, and unmapped before it is released (an unmap the kernel refuses is
 * logged: the segment is still DMA-mapped). px_vfio_container_destroy() unsubscribes.
 * @return the container, or NULL with errno: ENOENT (vfio-pci not loaded; the log says
 *         "load vfio-pci: modprobe vfio-pci"), EACCES, EPROTO (unknown API version), ENODEV
 *         (no usable IOMMU backend), ENOMEM.
 */
struct px_vfio_container *px_vfio_container_create(void);

/**
 * Destroy a container: unmap everything, detach and close every group and device.
 */
void px_vfio_container_destroy(struct px_vfio_container *c);

/** @return the container's capabilities, or NULL before the first group attached. */
const struct px_vfio_dma_caps *px_vfio_container_caps(const struct px_vfio_container *c);

/** Print the backend and its capabilities (one line each). */
void px_vfio_container_dump(const struct px_vfio_container *c, FILE *f);

/**
 * Map [va, va+len) for device DMA at [iova, iova+len), as one extent.
 *
 * Before any group is attached the map is recorded and replayed at the first attach.
 * @return 0, or
 *   -EINVAL: len 0, va/iova/len not aligned to the smallest IOMMU page, a range that wraps
 *            past 2^64, or outside every usable IOVA range (the log names the ranges);
 *   -EEXIST: overlaps an existing extent (also an exact duplicate);
 *   -ENOSPC: the tracker is full, or the kernel's entries left fell to the reserve margin, or
 *            the kernel refused for its entry limit (log names dma_entry_limit and the fix);
 *   -ENOMEM: the kernel refused for RLIMIT_MEMLOCK (log names the limit and the fix);
 *   another negative errno from the kernel. Nothing is recorded on error.
 */
int px_vfio_dma_map(struct px_vfio_container *c, uint64_t va, uint64_t iova, uint64_t len);

/**
 * Unmap [iova, iova+len) with the semantics chosen by @p flags (see the file comment).
 * @param unmapped  when not NULL, receives the number of bytes unmapped (also on a partial
 *                  failure: what was unmapped stays unmapped and is no longer tracked)
 * @return 0, or
 *   -EINVAL: bad flags, len 0, wrap, misaligned; EXACT with the right IOVA but the wrong
 *            length; RANGE cutting an extent on a backend that cannot split, without
 *            ALLOW_SPLIT;
 *   -ENOENT: EXACT where nothing is mapped at @p iova;
 *   a negative errno from the kernel (the tracker still equals the kernel).
 */
int px_vfio_dma_unmap(struct px_vfio_container *c, uint64_t iova, uint64_t len, unsigned int flags,
		      uint64_t *unmapped);

/**
 * Unmap every extent, with the backend's native form (type1: VFIO_DMA_UNMAP_FLAG_ALL; sPAPR:
 * every window; iommufd: 0..UINT64_MAX), or extent by extent where there is none.
 * @return 0 or a negative errno; the tracker equals the kernel either way.
 */
int px_vfio_dma_unmap_all(struct px_vfio_container *c, uint64_t *unmapped);

/** Number of extents tracked. */
unsigned int px_vfio_dma_count(struct px_vfio_container *c);

/** One tracked extent. */
struct px_vfio_dma_extent {
	uint64_t va;
	uint64_t iova;
	uint64_t len;
};

/**
 * Copy up to @p n extents, in IOVA order, into @p out.
 * @return the total number of extents (may be more than @p n).
 */
unsigned int px_vfio_dma_list(struct px_vfio_container *c, struct px_vfio_dma_extent *out,
			      unsigned int n);

/**
 * Limit the tracker: at most @p max_extents extents, and keep @p reserve of the kernel's
 * entries unused (maps that would eat into it fail with -ENOSPC before the ioctl). A warning
 * is logged once when 80 % of either limit is used. Defaults: 65535 and 16.
 */
void px_vfio_dma_set_limits(struct px_vfio_container *c, unsigned int max_extents,
			    unsigned int reserve);

/**
 * Find the first usable IOVA at or above @p hint where @p len bytes aligned to @p align fit
 * without touching an extent.
 * @return 0 and *iova, or -ENOSPC.
 */
int px_vfio_dma_find_iova(struct px_vfio_container *c, uint64_t hint, uint64_t len, uint64_t align,
			  uint64_t *iova);

/* ---- Groups ---- */

/**
 * Open IOMMU group @p group_no (/dev/vfio/N, or /dev/vfio/noiommu-N) and attach it to @p c.
 *
 * The first group sets the IOMMU type (type1 v2 > type1 > sPAPR TCE v2 > noiommu), reads the
 * capabilities and replays the maps made so far; later groups see every extent.
 * @return the group, or NULL with errno: EPERM when the group is not viable (the log names
 *         every other device in the group, its driver and the px-devbind command that fixes
 *         it), ENOENT (no such group: the device is not bound to vfio-pci), EBUSY (in use by
 *         another process), or the error of a replay (the attach was undone).
 */
struct px_vfio_group *px_vfio_group_open(struct px_vfio_container *c, int group_no);

/** Detach and close a group (closes its devices first). */
void px_vfio_group_close(struct px_vfio_group *g);

/** @return the IOMMU group number of PCI device @p addr ("0000:00:02.0"), or -errno. */
int px_vfio_group_of(const char *addr);

/* ---- Devices ---- */

/** A device region (BAR, config space, ...), from VFIO_DEVICE_GET_REGION_INFO. */
struct px_vfio_region {
	uint32_t index;
	uint32_t flags; /**< VFIO_REGION_INFO_FLAG_* */
	uint64_t size;
	uint64_t offset;    /**< of the region in the device fd */
	uint32_t nr_sparse; /**< mmap-able areas (0: whole region when FLAG_MMAP) */
	struct {
		uint64_t offset, size;
	} sparse[8];
};

/**
 * Open device @p addr of group @p g (VFIO_GROUP_GET_DEVICE_FD) and read its info.
 * @return the device or NULL with errno.
 */
struct px_vfio_device *px_vfio_device_open(struct px_vfio_group *g, const char *addr);

/** Unmap its BARs, disable its interrupts and close it. */
void px_vfio_device_close(struct px_vfio_device *d);

/** @return number of regions and irq indexes (VFIO_DEVICE_GET_INFO). */
unsigned int px_vfio_device_num_regions(const struct px_vfio_device *d);
unsigned int px_vfio_device_num_irqs(const struct px_vfio_device *d);

/**
 * Read region @p index's info, following its capability chain (re-queried with the size the
 * kernel asks for when argsz was too small); sparse mmap areas are listed.
 * @return 0 or -errno.
 */
int px_vfio_device_region(struct px_vfio_device *d, unsigned int index, struct px_vfio_region *r);

/**
 * mmap BAR @p bar, as DPDK does: only the kernel's sparse areas when it lists them; all of it
 * when the kernel allows the MSI-X table to be mapped (VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
 * vfio-pci since 4.16) or the BAR has no MSI-X table; else the pages around the table. Parts
 * left out stay PROT_NONE (an access faults): reach them with px_vfio_device_read/write.
 * @return the BAR's address, or NULL with errno (ENOTSUP: not mmap-able, or no page of it is
 *         free of the MSI-X table).
 */
void *px_vfio_device_map_bar(struct px_vfio_device *d, unsigned int bar, uint64_t *size);

/** pread/pwrite @p len bytes of region @p index at @p off. @return 0 or -errno. */
int px_vfio_device_read(struct px_vfio_device *d, unsigned int index, void *buf, size_t len,
			uint64_t off);
int px_vfio_device_write(struct px_vfio_device *d, unsigned int index, const void *buf, size_t len,
			 uint64_t off);

/** Config space access (region VFIO_PCI_CONFIG_REGION_INDEX). @return 0 or -errno. */
int px_vfio_device_cfg_read(struct px_vfio_device *d, uint64_t off, void *buf, size_t len);
int px_vfio_device_cfg_write(struct px_vfio_device *d, uint64_t off, const void *buf, size_t len);

/** Interrupt count of irq @p index (VFIO_PCI_INTX/MSI/MSIX/REQ_IRQ_INDEX). -errno on error. */
int px_vfio_device_irq_count(struct px_vfio_device *d, unsigned int index);

/**
 * Route vectors [start, start+n) of irq @p index to eventfds @p fds (-1 removes one vector);
 * @p n == 0 disables the whole index (VFIO_DEVICE_SET_IRQS, DATA_EVENTFD|ACTION_TRIGGER).
 * @return 0 or -errno.
 */
int px_vfio_device_set_irqs(struct px_vfio_device *d, unsigned int index, unsigned int start,
			    unsigned int n, const int *fds);

/** Unmask INTx after an interrupt (the kernel masks it when it fires). @return 0 or -errno. */
int px_vfio_device_intx_unmask(struct px_vfio_device *d);

/** VFIO_DEVICE_RESET. @return 0, -ENOTSUP without a reset method, or -errno. */
int px_vfio_device_reset(struct px_vfio_device *d);

/**
 * Get an eventfd that fires when the kernel asks for the device back (unplug, unbind):
 * the device-request notifier (VFIO_PCI_REQ_IRQ_INDEX). @return the fd, or -errno.
 */
int px_vfio_device_req_notifier(struct px_vfio_device *d);

/** @return the device fd's group (for px_vfio_group_close). */
struct px_vfio_group *px_vfio_device_group(struct px_vfio_device *d);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_VFIO_H */

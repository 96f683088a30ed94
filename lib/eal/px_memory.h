/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_memory.h
 * Pollux memory segments: the hugepage mappings under the heap and memzones.
 *
 * A segment is one mapping of hugepages (one memfd or one --huge-dir file), contiguous in VA and
 * IOVA, on one NUMA socket. Segments are reserved at px_eal_init() (-m/--socket-mem) and when the
 * heap grows; a segment whose blocks are all free again is released (except those reserved at
 * init). Every reservation and release raises a memory event, so lib/vfio can map each segment
 * into the IOMMU exactly once, as one extent.
 */
#ifndef PX_MEMORY_H
#define PX_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <px_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** What happened to a segment. */
enum px_mem_event {
	PX_MEM_EVENT_ADDED = 0,   /**< a segment was reserved (not yet used by the heap) */
	PX_MEM_EVENT_REMOVED = 1, /**< a segment is about to be released (no block lives in it) */
};

/**
 * Memory event callback. Called with the memory lock held: it must not call the Pollux heap,
 * memzone or event API. @p iova is PX_BAD_IOVA under --no-huge.
 * @return 0; on ADDED a negative errno makes the reservation fail (the segment is released and
 * the callbacks that already saw ADDED see REMOVED). The return value on REMOVED is ignored.
 */
typedef int (*px_mem_event_cb_t)(enum px_mem_event type, void *va, uint64_t iova, size_t len,
				 void *arg);

/**
 * Subscribe to memory events. ADDED is replayed at once for every existing segment; if a replay
 * fails, the segments already replayed get REMOVED and the callback is not registered.
 * @return 0, -EINVAL (NULL cb), -EEXIST (same cb and arg already registered), -ENOMEM, or the
 * callback's error from the replay
 */
int px_mem_event_register(px_mem_event_cb_t cb, void *arg);

/** Unsubscribe (no REMOVED events are sent). @return 0 or -ENOENT. */
int px_mem_event_unregister(px_mem_event_cb_t cb, void *arg);

/** A segment as seen by px_memseg_walk(). */
struct px_memseg {
	void *addr;         /**< virtual address */
	uint64_t iova;      /**< device address of addr (PX_BAD_IOVA: none, --no-huge) */
	size_t len;         /**< bytes, a multiple of hugepage_sz */
	size_t hugepage_sz; /**< page size backing the segment */
	int socket_id;      /**< NUMA socket (0 without NUMA) */
	int fd; /**< the memfd or hugetlbfs file the segment maps, from offset 0: for sharing the
		     memory with another process (vhost-user). -1 under --no-huge (anonymous
		     memory). Owned by the EAL: do not close it. */
};

/** Segment walk callback: return 0 to go on, anything else stops the walk and is returned. */
typedef int (*px_memseg_walk_t)(const struct px_memseg *ms, void *arg);

/**
 * Call @p fn for every segment, in VA order, with the memory lock held (same rules as events).
 * @return 0, or the first non-zero value @p fn returned
 */
int px_memseg_walk(px_memseg_walk_t fn, void *arg);

/**
 * Give the segment that starts at @p va the device address @p iova. Subscribers are not told:
 * prefer px_mem_iova_refresh(), which moves only unused segments and announces the move.
 * @return 0, or -ENOENT when no segment starts at @p va
 */
int px_memseg_set_iova(const void *va, uint64_t iova);

/** A segment whose device address is being chosen (see px_mem_iova_cb_t). */
struct px_mem_iova_req {
	void *va;
	size_t len;
	size_t page_sz;  /**< its hugepage size: a new IOVA must be aligned to it */
	uint64_t cur;    /**< its IOVA now (its VA for a segment being reserved) */
	uintptr_t arena; /**< the EAL's VA arena: every segment lies in [arena, arena+arena_len) */
	size_t arena_len;
	int refresh; /**< 1: asked by px_mem_iova_refresh() (a refusal there is not an error) */
};

/**
 * IOVA provider: chooses the device address of a segment in va mode (lib/vfio installs one,
 * so that IOVAs fall inside every IOMMU's usable ranges). Called with the memory lock held
 * (same rules as memory events): when a segment is reserved, before ADDED is raised, and by
 * px_mem_iova_refresh().
 * @return 0 with *iova set, or a negative errno: the reservation fails with it (refresh: the
 * segment keeps its IOVA)
 */
typedef int (*px_mem_iova_cb_t)(const struct px_mem_iova_req *req, uint64_t *iova, void *arg);

/**
 * Install the IOVA provider (NULL: IOVA = VA). One provider per process; a second call
 * replaces the first. Not used in pa mode or under --no-huge.
 */
void px_mem_iova_provider_set(px_mem_iova_cb_t cb, void *arg);

/**
 * Ask the provider again for the IOVA of every segment that nothing uses yet (no heap block
 * allocated in it: no address of it was handed out). A segment whose IOVA changes is
 * announced as REMOVED with the old IOVA, then ADDED with the new one. lib/vfio calls this
 * when a container learns its usable ranges (first group attached), so that memory reserved
 * at init (-m) moves inside them before any device uses it.
 * @return the number of segments moved, or the first error of an ADDED callback (the segment
 * then keeps its old IOVA)
 */
int px_mem_iova_refresh(void);

/** The VA arena and the hugepage size of DMA memory. */
struct px_mem_layout {
	uintptr_t arena;
	size_t arena_len;
	size_t page_sz; /**< the smallest hugepage size segments use */
};

/**
 * @return 0 with *l filled when hugepage memory with IOVA = VA or a provided IOVA is up
 * (va mode); -ENODEV before px_eal_init(), in pa mode and under --no-huge
 */
int px_mem_layout_get(struct px_mem_layout *l);

/**
 * Cap the total bytes of hugepage memory Pollux may hold (0: no cap). Growing past the cap
 * fails with ENOMEM as if the hugepages had run out. For tests and for sharing a host.
 */
void px_mem_set_limit(uint64_t bytes);

/** Hugepages of one size on one NUMA node, from sysfs. */
struct px_hugepage_info {
	size_t page_sz;      /**< bytes */
	int node;            /**< NUMA node, or -1 for the system-wide count */
	unsigned long total; /**< nr_hugepages */
	unsigned long free;  /**< free_hugepages */
};

/**
 * List the hugepage sizes the kernel offers, per NUMA node (or system-wide where the kernel has
 * no per-node counts). Works before px_eal_init().
 * @return the number of entries (may exceed @p n; only @p n are written), or a negative errno
 */
int px_hugepage_info_get(struct px_hugepage_info *info, unsigned int n);

/**
 * Find the hugetlbfs mount for @p page_sz (0: any) in /proc/mounts.
 * @return 0 with the path in @p path, -ENOENT when there is none, -ENAMETOOLONG
 */
int px_hugetlbfs_mount(size_t page_sz, char *path, size_t pathsz);

/** Print the segments. */
void px_memseg_dump(FILE *f);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_MEMORY_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL's memory as lib/vfio sees it: the IOVA of each segment, the sPAPR DMA window that
 * holds the arena, and the memory events that map each segment into a container.
 *
 * IOVAs. The EAL asks (px_mem_iova_cb_t) when it reserves a segment and when a container learns
 * its usable ranges (px_mem_iova_refresh); the answer holds for every container, since a
 * segment has one IOVA (mbufs and descriptors carry it):
 *   1. IOVA = VA when [VA, VA+len) lies in the usable ranges of every container that knows
 *      them, free of other extents;
 *   2. else VA + one offset for the whole VA arena, when the arena fits one range of each
 *      container (sPAPR's DMA window at 2^59 in a pseries guest);
 *   3. else the first place, aligned to the segment's page, free in every container.
 * A segment already mapped in a kernel never moves: devices may be using it.
 *
 * Lock order: the EAL's memory lock (held by the caller), vfio_containers_lock, c->lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <px_malloc.h> /* PX_BAD_IOVA */

#include "vfio_private.h"

struct vfio_mem_ops vfio_mem = {px_mem_layout_get, px_mem_iova_refresh};

/* The container's usable ranges are known and it maps (noiommu has no ranges). */
static bool knows_ranges(const struct px_vfio_container *c)
{
	return c->have_caps && c->caps.maps && c->caps.nr_ranges > 0;
}

/* An extent other than the segment's own (same VA, IOVA and length) in [iova, iova+len). */
static bool overlaps_other(const struct px_vfio_container *c, uint64_t va, uint64_t iova,
			   uint64_t len)
{
	for (unsigned int i = vfio_first_after(c, iova); i < c->n && c->ext[i].iova < iova + len;
	     i++) {
		const struct vfio_extent *e = &c->ext[i];

		if (e->va != va || e->iova != iova || e->len != len)
			return true;
	}
	return false;
}

/* [iova, iova+len) is usable for the segment at @va in every container that knows its ranges */
static bool fits_all(uint64_t va, uint64_t iova, uint64_t len)
{
	bool ok = iova + len - 1 >= iova;

	for (struct px_vfio_container *c = vfio_containers; c != NULL && ok; c = c->next) {
		pthread_mutex_lock(&c->lock);
		ok = !knows_ranges(c) ||
		     (vfio_in_ranges(c, iova, len) && !overlaps_other(c, va, iova, len));
		pthread_mutex_unlock(&c->lock);
	}
	return ok;
}

/* The segment is mapped in some kernel at @iova: it must not move. */
static bool mapped_live(uint64_t va, uint64_t iova, uint64_t len)
{
	bool live = false;

	for (struct px_vfio_container *c = vfio_containers; c != NULL && !live; c = c->next) {
		unsigned int i;

		pthread_mutex_lock(&c->lock);
		i = vfio_first_after(c, iova);
		live = vfio_kernel_live(c) && i < c->n && c->ext[i].iova == iova &&
		       c->ext[i].va == va && c->ext[i].len == len;
		pthread_mutex_unlock(&c->lock);
	}
	return live;
}

/* One offset for the whole arena: its base goes to the lowest 1 GiB boundary of a range of
 * the first container that knows its ranges where the arena fits every container. */
static bool arena_offset(uintptr_t arena, uint64_t arena_len, uint64_t *base)
{
	struct px_vfio_container *ref = NULL;
	struct px_vfio_dma_caps caps;

	for (struct px_vfio_container *c = vfio_containers; c != NULL && ref == NULL; c = c->next) {
		pthread_mutex_lock(&c->lock);
		if (knows_ranges(c)) {
			ref = c;
			caps = c->caps;
		}
		pthread_mutex_unlock(&c->lock);
	}
	if (ref == NULL || arena_len == 0 || arena == 0)
		return false;
	for (uint32_t k = 0; k < caps.nr_ranges; k++) {
		uint64_t b = PX_ALIGN_CEIL(caps.ranges[k].start, 1ULL << 30);
		bool ok = b >= caps.ranges[k].start && b + arena_len - 1 >= b &&
			  b + arena_len - 1 <= caps.ranges[k].end;

		for (struct px_vfio_container *c = vfio_containers; c != NULL && ok; c = c->next) {
			pthread_mutex_lock(&c->lock);
			ok = !knows_ranges(c) || vfio_in_ranges(c, b, arena_len);
			pthread_mutex_unlock(&c->lock);
		}
		if (ok) {
			*base = b;
			return true;
		}
	}
	return false;
}

/* The lowest IOVA where @len bytes aligned to @align are free in every container: each
 * container moves the candidate up to its own first fit until they all agree. */
static int common_fit(uint64_t len, uint64_t align, uint64_t *iova)
{
	uint64_t h = 0;

	for (unsigned int round = 0; round < 4096; round++) {
		bool moved = false;

		for (struct px_vfio_container *c = vfio_containers; c != NULL; c = c->next) {
			uint64_t at = h;
			int ret = 0;

			pthread_mutex_lock(&c->lock);
			if (knows_ranges(c))
				ret = vfio_find_iova_locked(c, h, len, align, &at);
			pthread_mutex_unlock(&c->lock);
			if (ret)
				return ret;
			if (at != h) {
				h = at;
				moved = true;
			}
		}
		if (!moved) {
			*iova = h;
			return 0;
		}
	}
	return -ENOSPC;
}

static void log_no_iova(const struct px_mem_iova_req *r)
{
	char buf[768], one[256];
	size_t off = 0;

	buf[0] = '\0';
	for (struct px_vfio_container *c = vfio_containers; c != NULL && off < sizeof(buf);
	     c = c->next) {
		pthread_mutex_lock(&c->lock);
		if (knows_ranges(c)) {
			vfio_ranges_str(c, one, sizeof(one));
			off += snprintf(buf + off, sizeof(buf) - off, "%s%s: %s", off ? "; " : "",
					px_vfio_iommu_name(c->caps.type), one);
		}
		pthread_mutex_unlock(&c->lock);
	}
	VFIO_LOG(ERR,
		 "memory VA 0x%" PRIxPTR "+0x%zx: no free IOVA inside the usable IOVA ranges of "
		 "every container (%s): reserve less DMA memory (-m, px_mem_set_limit) or use "
		 "--iova-mode=pa",
		 (uintptr_t)r->va, r->len, buf);
}

int vfio_iova_choose(const struct px_mem_iova_req *r, uint64_t *iova, void *arg)
{
	uint64_t va = (uintptr_t)r->va, base, cand;
	bool any = false;
	int ret = 0;

	(void)arg;
	pthread_mutex_lock(&vfio_containers_lock);
	for (struct px_vfio_container *c = vfio_containers; c != NULL && !any; c = c->next) {
		pthread_mutex_lock(&c->lock);
		any = knows_ranges(c);
		pthread_mutex_unlock(&c->lock);
	}
	*iova = r->cur;
	if (!any || fits_all(va, r->cur, r->len))
		goto unlock;
	ret = -EBUSY;
	if (mapped_live(va, r->cur, r->len))
		goto unlock;
	ret = 0;
	if (va >= r->arena && arena_offset(r->arena, r->arena_len, &base)) {
		cand = base + (va - r->arena);
		if (fits_all(va, cand, r->len)) {
			*iova = cand;
			goto unlock;
		}
	}
	ret = common_fit(r->len, PX_MAX(r->page_sz, (size_t)4096), &cand);
	if (ret == 0)
		*iova = cand;
	else if (!r->refresh) /* at a refresh, the replay says it (one line) */
		log_no_iova(r);
unlock:
	pthread_mutex_unlock(&vfio_containers_lock);
	return ret;
}

static bool range_holds(const struct px_vfio_container *c, uint64_t len)
{
	for (uint32_t i = 0; i < c->caps.nr_ranges; i++)
		if (c->caps.ranges[i].end - c->caps.ranges[i].start >= len - 1)
			return true;
	return false;
}

/*
 * sPAPR: the default window (1 GiB at 0, 4 KiB pages) cannot hold the EAL's arena: replace it
 * with a window as large as the arena, of the arena's hugepage size, before anything is mapped
 * (the kernel refuses to remove a window with live TCEs). Its IOVAs are placed by
 * vfio_iova_choose (one offset for the whole arena). When that fails, keep the default window:
 * memory then has to fit in it.
 */
int vfio_iova_window(struct px_vfio_container *c, const struct px_mem_layout *l)
{
	uint64_t size = 1;
	char buf[256];
	int ret;

	if (c->caps.type != PX_VFIO_IOMMU_SPAPR_V2 || c->ops->new_window == NULL ||
	    range_holds(c, l->arena_len))
		return 0;
	while (size < l->arena_len)
		size <<= 1;
	ret = c->ops->new_window(c->priv, size, l->page_sz);
	if (ret == 0)
		return c->ops->caps(c->priv, &c->caps);
	c->ops->caps(c->priv, &c->caps);
	vfio_ranges_str(c, buf, sizeof(buf));
	VFIO_LOG(WARNING,
		 "sPAPR: no 0x%" PRIx64 " DMA window (%s): DMA memory must fit the window %s", size,
		 strerror(-ret), buf);
	return 0;
}

/*
 * Memory events, for one container: each hugepage segment is mapped once, as one extent, when
 * it is reserved (registration replays the existing ones), and unmapped before it is released.
 * Segments without an IOVA (--no-huge) are not for DMA. The EAL calls every container in turn
 * and undoes an ADDED in the others when one refuses it.
 */
int vfio_mem_event(enum px_mem_event type, void *va, uint64_t iova, size_t len, void *arg)
{
	struct px_vfio_container *c = arg;
	uint64_t b;
	int ret;

	if (iova == PX_BAD_IOVA)
		return 0;
	if (type == PX_MEM_EVENT_ADDED)
		return px_vfio_dma_map(c, (uintptr_t)va, iova, len);
	/* Release: unmap first; refuse the release while a device could still write. */
	ret = px_vfio_dma_unmap(c, iova, len, PX_DMA_UNMAP_RANGE | PX_DMA_UNMAP_ALLOW_SPLIT, &b);
	if (ret)
		VFIO_LOG(ERR,
			 "memory 0x%" PRIxPTR
			 "+0x%zx is still DMA-mapped (%s): it must not be freed",
			 (uintptr_t)va, len, strerror(-ret));
	return ret;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DMA map tracker: a per-container interval map of extents, one extent per kernel map call,
 * never merged. Everything the kernel could refuse for a reason we can see (length, alignment,
 * wrap, usable ranges, overlap, entry limits, cutting a mapping on a backend that cannot split)
 * is refused here, before any ioctl, so a refusal never leaves the kernel half-changed. The
 * kernel is reached only through c->ops, so the same code runs against the real ioctls and the
 * simulated backends of tests/unit/vfio_sim.c. Maps made while no group is attached are only
 * recorded; vfio_dma_replay() maps them when the first group attaches (vfio_container.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vfio_private.h"

static uint64_t min_page(const struct px_vfio_container *c)
{
	/* Before attach we do not know the IOMMU's pages: every backend supports 4 KiB. */
	if (!c->have_caps || c->caps.pgsizes == 0)
		return 4096;
	return c->caps.pgsizes & -c->caps.pgsizes;
}

static int check_span(const struct px_vfio_container *c, uint64_t iova, uint64_t len,
		      const char *what)
{
	uint64_t pg = min_page(c);

	if (len == 0) {
		VFIO_LOG(ERR, "%s: zero length at IOVA 0x%" PRIx64, what, iova);
		return -EINVAL;
	}
	if (iova + len - 1 < iova) {
		VFIO_LOG(ERR, "%s: IOVA 0x%" PRIx64 " + 0x%" PRIx64 " wraps past 2^64", what, iova,
			 len);
		return -EINVAL;
	}
	if ((iova | len) & (pg - 1)) {
		VFIO_LOG(ERR,
			 "%s: IOVA 0x%" PRIx64 " or length 0x%" PRIx64
			 " not aligned to the IOMMU page (0x%" PRIx64 ")",
			 what, iova, len, pg);
		return -EINVAL;
	}
	return 0;
}

static void log_ranges(const struct px_vfio_container *c, uint64_t iova, uint64_t len)
{
	char buf[512];

	vfio_ranges_str(c, buf, sizeof(buf));
	VFIO_LOG(ERR,
		 "map: IOVA 0x%" PRIx64 "-0x%" PRIx64
		 " is outside the usable IOVA ranges of %s (%s)"
		 ": choose an IOVA inside one (px_vfio_dma_find_iova)",
		 iova, iova + len - 1, px_vfio_iommu_name(c->caps.type), buf);
}

bool vfio_in_ranges(const struct px_vfio_container *c, uint64_t iova, uint64_t len)
{
	uint64_t last = iova + len - 1;

	if (!c->have_caps || c->caps.nr_ranges == 0)
		return true;
	for (uint32_t i = 0; i < c->caps.nr_ranges; i++)
		if (iova >= c->caps.ranges[i].start && last <= c->caps.ranges[i].end)
			return true;
	return false;
}

/* [iova, iova+len) must lie inside one usable range (holes are not usable). */
static int check_ranges(const struct px_vfio_container *c, uint64_t iova, uint64_t len)
{
	if (vfio_in_ranges(c, iova, len))
		return 0;
	log_ranges(c, iova, len);
	return -EINVAL;
}

/* Index of the first extent that ends after @iova (n when none). */
unsigned int vfio_first_after(const struct px_vfio_container *c, uint64_t iova)
{
	unsigned int lo = 0, hi = c->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (c->ext[mid].iova + c->ext[mid].len <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int insert_extent(struct px_vfio_container *c, unsigned int i, uint64_t va, uint64_t iova,
			 uint64_t len)
{
	if (c->n == c->cap) {
		unsigned int ncap = c->cap ? c->cap * 2 : 16;
		struct vfio_extent *e = realloc(c->ext, ncap * sizeof(*e));

		if (e == NULL)
			return -ENOMEM;
		c->ext = e;
		c->cap = ncap;
	}
	memmove(&c->ext[i + 1], &c->ext[i], (c->n - i) * sizeof(*c->ext));
	c->ext[i] = (struct vfio_extent){.va = va, .iova = iova, .len = len};
	c->n++;
	return 0;
}

static void remove_extents(struct px_vfio_container *c, unsigned int i, unsigned int count)
{
	memmove(&c->ext[i], &c->ext[i + count], (c->n - i - count) * sizeof(*c->ext));
	c->n -= count;
}

/* Refuse before the ioctl when the tracker or the kernel's entry budget is (nearly) spent. */
static int check_limits(struct px_vfio_container *c)
{
	uint64_t kleft = UINT64_MAX;

	if (c->n >= c->max_extents) {
		VFIO_LOG(ERR,
			 "map: tracker full (%u extents): map larger segments, or raise the "
			 "limit with px_vfio_dma_set_limits()",
			 c->max_extents);
		return -ENOSPC;
	}
	if (c->have_caps && c->caps.dma_avail != UINT32_MAX) {
		kleft = c->caps.dma_avail > c->n ? c->caps.dma_avail - c->n : 0;
		if (kleft <= c->reserve) {
			VFIO_LOG(ERR,
				 "map: only %" PRIu64 " of the kernel's DMA entries left "
				 "(reserve %u): raise vfio_iommu_type1's dma_entry_limit "
				 "module parameter or map larger segments",
				 kleft, c->reserve);
			return -ENOSPC;
		}
	}
	if (!c->warned && ((uint64_t)(c->n + 1) * 5 >= (uint64_t)c->max_extents * 4 ||
			   (c->have_caps && c->caps.dma_avail != UINT32_MAX &&
			    (uint64_t)(c->n + 1) * 5 >= (uint64_t)c->caps.dma_avail * 4))) {
		VFIO_LOG(WARNING, "map: 80%% of the DMA entry budget used (%u extents)", c->n + 1);
		c->warned = true;
	}
	return 0;
}

/* Say which limit the kernel hit and what fixes it. */
static int explain_map_error(int err, uint64_t iova, uint64_t len)
{
	if (err == -ENOMEM)
		VFIO_LOG(ERR,
			 "map 0x%" PRIx64 "+0x%" PRIx64 ": the kernel refused: RLIMIT_MEMLOCK "
			 "reached (pinned memory counts against it): raise it with "
			 "`ulimit -l unlimited` or LimitMEMLOCK= in the service",
			 iova, len);
	else if (err == -ENOSPC)
		VFIO_LOG(ERR,
			 "map 0x%" PRIx64 "+0x%" PRIx64 ": the kernel refused: dma_entry_limit"
			 " reached: raise /sys/module/vfio_iommu_type1/parameters/"
			 "dma_entry_limit or map fewer, larger segments",
			 iova, len);
	else if (err == -EBUSY || err == -EEXIST)
		err = -EEXIST; /* sPAPR says EBUSY for a TCE in use: the same fact */
	else
		VFIO_LOG(ERR, "map 0x%" PRIx64 "+0x%" PRIx64 ": %s", iova, len, strerror(-err));
	return err;
}

static int dma_map_locked(struct px_vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	unsigned int i;
	int ret;

	ret = check_span(c, iova, len, "map");
	if (ret == 0 && (va + len - 1 < va || (va & (min_page(c) - 1)))) {
		VFIO_LOG(ERR, "map: VA 0x%" PRIx64 " misaligned or wraps", va);
		ret = -EINVAL;
	}
	if (ret == 0)
		ret = check_ranges(c, iova, len);
	if (ret)
		return ret;
	i = vfio_first_after(c, iova);
	if (i < c->n && c->ext[i].iova < iova + len) {
		VFIO_LOG(DEBUG,
			 "map 0x%" PRIx64 "+0x%" PRIx64 ": overlaps extent 0x%" PRIx64
			 "+0x%" PRIx64,
			 iova, len, c->ext[i].iova, c->ext[i].len);
		return -EEXIST;
	}
	ret = check_limits(c);
	if (ret)
		return ret;
	if (vfio_kernel_live(c)) {
		ret = c->ops->map(c->priv, va, iova, len);
		if (ret)
			return explain_map_error(ret, iova, len);
	}
	ret = insert_extent(c, i, va, iova, len);
	if (ret && vfio_kernel_live(c))
		c->ops->unmap(c->priv, iova, len, NULL);
	return ret;
}

int px_vfio_dma_map(struct px_vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	int ret;

	if (c == NULL)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	ret = dma_map_locked(c, va, iova, len);
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static int kernel_unmap(struct px_vfio_container *c, uint64_t iova, uint64_t len,
			uint64_t *unmapped)
{
	uint64_t done = len;
	int ret;

	if (!vfio_kernel_live(c))
		return 0;
	ret = c->ops->unmap(c->priv, iova, len, &done);
	if (ret)
		VFIO_LOG(ERR, "unmap 0x%" PRIx64 "+0x%" PRIx64 ": %s", iova, len, strerror(-ret));
	else if (unmapped)
		*unmapped = done;
	return ret;
}

static int unmap_exact(struct px_vfio_container *c, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	unsigned int i = vfio_first_after(c, iova);
	int ret;

	if (i == c->n || c->ext[i].iova >= iova + len)
		return -ENOENT;
	if (c->ext[i].iova != iova || c->ext[i].len != len) {
		VFIO_LOG(ERR,
			 "unmap 0x%" PRIx64 "+0x%" PRIx64 ": not an extent (extent 0x%" PRIx64
			 "+0x%" PRIx64 "); use PX_DMA_UNMAP_RANGE to cut",
			 iova, len, c->ext[i].iova, c->ext[i].len);
		return -EINVAL;
	}
	ret = kernel_unmap(c, iova, len, NULL);
	if (ret)
		return ret;
	remove_extents(c, i, 1);
	*unmapped = len;
	return 0;
}

/*
 * Put back the parts of extent @e outside [lo, hi) as new extents (map calls of their own).
 * @kernel: also map them in the kernel (split by unmap + remap); otherwise the kernel kept
 * them (sPAPR cuts page-granularly) and only the tracker learns the new shape.
 */
static int add_remainders(struct px_vfio_container *c, const struct vfio_extent *e, uint64_t lo,
			  uint64_t hi, bool kernel)
{
	struct vfio_extent part[2];
	unsigned int np = 0;
	int ret = 0;

	if (e->iova < lo)
		part[np++] = (struct vfio_extent){e->va, e->iova, lo - e->iova};
	if (e->iova + e->len > hi)
		part[np++] =
			(struct vfio_extent){e->va + (hi - e->iova), hi, e->iova + e->len - hi};
	for (unsigned int k = 0; k < np; k++) {
		int r = 0;

		if (kernel && vfio_kernel_live(c))
			r = c->ops->map(c->priv, part[k].va, part[k].iova, part[k].len);
		if (r == 0)
			r = insert_extent(c, vfio_first_after(c, part[k].iova), part[k].va,
					  part[k].iova, part[k].len);
		if (r) {
			VFIO_LOG(ERR,
				 "unmap: remapping the remainder 0x%" PRIx64 "+0x%" PRIx64
				 " failed (%s): it is no longer mapped",
				 part[k].iova, part[k].len, strerror(-r));
			ret = ret ? ret : r;
		}
	}
	return ret;
}

static uint64_t clip_bytes(const struct vfio_extent *e, uint64_t lo, uint64_t hi)
{
	uint64_t s = PX_MAX(e->iova, lo), t = PX_MIN(e->iova + e->len, hi);

	return t > s ? t - s : 0;
}

static int unmap_range(struct px_vfio_container *c, uint64_t iova, uint64_t len, unsigned int flags,
		       uint64_t *unmapped)
{
	uint64_t end = iova + len, span_lo, span_hi, bytes = 0;
	unsigned int i = vfio_first_after(c, iova), j = i, count;
	struct vfio_extent first, last;
	bool cut, in_kernel;
	int ret;

	while (j < c->n && c->ext[j].iova < end)
		j++;
	count = j - i;
	if (count == 0)
		return 0; /* nothing mapped there: 0 bytes, no ioctl */
	first = c->ext[i];
	last = c->ext[j - 1];
	cut = first.iova < iova || last.iova + last.len > end;
	in_kernel = cut && c->have_caps && c->caps.split;
	if (cut && !in_kernel && !(flags & PX_DMA_UNMAP_ALLOW_SPLIT)) {
		VFIO_LOG(ERR,
			 "unmap 0x%" PRIx64 "+0x%" PRIx64 " cuts extent 0x%" PRIx64 "+0x%" PRIx64
			 ", which %s cannot split: unmap whole extents or pass "
			 "PX_DMA_UNMAP_ALLOW_SPLIT (unmap and remap the remainders)",
			 iova, len, first.iova < iova ? first.iova : last.iova,
			 first.iova < iova ? first.len : last.len,
			 c->have_caps ? px_vfio_iommu_name(c->caps.type) : "this container");
		return -EINVAL;
	}
	/* One kernel call: whole extents (with any holes between them), or the cut range. */
	span_lo = in_kernel ? PX_MAX(iova, first.iova) : first.iova;
	span_hi = in_kernel ? PX_MIN(end, last.iova + last.len) : last.iova + last.len;
	ret = kernel_unmap(c, span_lo, span_hi - span_lo, NULL);
	if (ret)
		return ret;
	for (unsigned int k = i; k < j; k++)
		bytes += clip_bytes(&c->ext[k], iova, end);
	remove_extents(c, i, count);
	*unmapped = bytes;
	ret = 0;
	if (first.iova < iova)
		ret = add_remainders(c, &first, iova, end, !in_kernel);
	if (last.iova + last.len > end && (count > 1 || first.iova >= iova))
		ret = add_remainders(c, &last, iova, end, !in_kernel) ?: ret;
	return ret;
}

int px_vfio_dma_unmap(struct px_vfio_container *c, uint64_t iova, uint64_t len, unsigned int flags,
		      uint64_t *unmapped)
{
	unsigned int mode = flags & (PX_DMA_UNMAP_EXACT | PX_DMA_UNMAP_RANGE);
	uint64_t bytes = 0;
	int ret;

	if (c == NULL ||
	    flags & ~(PX_DMA_UNMAP_EXACT | PX_DMA_UNMAP_RANGE | PX_DMA_UNMAP_ALLOW_SPLIT) ||
	    (mode != PX_DMA_UNMAP_EXACT && mode != PX_DMA_UNMAP_RANGE) ||
	    (mode == PX_DMA_UNMAP_EXACT && (flags & PX_DMA_UNMAP_ALLOW_SPLIT)))
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	ret = check_span(c, iova, len, "unmap");
	if (ret == 0 && mode == PX_DMA_UNMAP_EXACT)
		ret = unmap_exact(c, iova, len, &bytes);
	else if (ret == 0)
		ret = unmap_range(c, iova, len, flags, &bytes);
	pthread_mutex_unlock(&c->lock);
	if (unmapped)
		*unmapped = bytes;
	return ret;
}

static int unmap_all_locked(struct px_vfio_container *c, uint64_t *unmapped)
{
	uint64_t total = 0, done = 0;
	int ret = 0;

	for (unsigned int i = 0; i < c->n; i++)
		total += c->ext[i].len;
	if (vfio_kernel_live(c) && c->n > 0) {
		if (c->caps.unmap_all && c->ops->unmap_all)
			ret = c->ops->unmap_all(c->priv, &done);
		else
			ret = c->ops->unmap(c->priv, c->ext[0].iova,
					    c->ext[c->n - 1].iova + c->ext[c->n - 1].len -
						    c->ext[0].iova,
					    &done);
		if (ret) {
			VFIO_LOG(ERR, "unmap all: %s", strerror(-ret));
			return ret;
		}
	}
	c->n = 0;
	c->warned = false;
	*unmapped = total;
	return 0;
}

int px_vfio_dma_unmap_all(struct px_vfio_container *c, uint64_t *unmapped)
{
	uint64_t bytes = 0;
	int ret;

	if (c == NULL)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	ret = unmap_all_locked(c, &bytes);
	pthread_mutex_unlock(&c->lock);
	if (unmapped)
		*unmapped = bytes;
	return ret;
}

unsigned int px_vfio_dma_count(struct px_vfio_container *c)
{
	unsigned int n;

	pthread_mutex_lock(&c->lock);
	n = c->n;
	pthread_mutex_unlock(&c->lock);
	return n;
}

unsigned int px_vfio_dma_list(struct px_vfio_container *c, struct px_vfio_dma_extent *out,
			      unsigned int n)
{
	unsigned int total;

	pthread_mutex_lock(&c->lock);
	total = c->n;
	for (unsigned int i = 0; i < n && i < total; i++)
		out[i] = (struct px_vfio_dma_extent){c->ext[i].va, c->ext[i].iova, c->ext[i].len};
	pthread_mutex_unlock(&c->lock);
	return total;
}

void px_vfio_dma_set_limits(struct px_vfio_container *c, unsigned int max_extents,
			    unsigned int reserve)
{
	pthread_mutex_lock(&c->lock);
	c->max_extents = max_extents;
	c->reserve = reserve;
	c->warned = false;
	pthread_mutex_unlock(&c->lock);
}

/* First fit of [*at, *at+len) in usable range r, skipping extents. */
static bool fit_in_range(const struct px_vfio_container *c, uint64_t *at, uint64_t len,
			 uint64_t align, uint64_t rs, uint64_t re)
{
	uint64_t a = PX_ALIGN_CEIL(PX_MAX(*at, rs), align);

	while (a >= rs && a <= re && re - a >= len - 1) {
		unsigned int i = vfio_first_after(c, a);

		if (i == c->n || c->ext[i].iova >= a + len) {
			*at = a;
			return true;
		}
		a = PX_ALIGN_CEIL(c->ext[i].iova + c->ext[i].len, align);
	}
	return false;
}

int vfio_find_iova_locked(struct px_vfio_container *c, uint64_t hint, uint64_t len, uint64_t align,
			  uint64_t *iova)
{
	struct px_vfio_iova_range all = {0, UINT64_MAX};
	const struct px_vfio_iova_range *r = &all;
	uint32_t nr = 1;

	if (c->have_caps && c->caps.nr_ranges) {
		r = c->caps.ranges;
		nr = c->caps.nr_ranges;
	}
	for (uint32_t k = 0; k < nr; k++) {
		uint64_t at = hint;

		if (r[k].end >= hint && fit_in_range(c, &at, len, align, r[k].start, r[k].end)) {
			*iova = at;
			return 0;
		}
	}
	return -ENOSPC;
}

int px_vfio_dma_find_iova(struct px_vfio_container *c, uint64_t hint, uint64_t len, uint64_t align,
			  uint64_t *iova)
{
	int ret;

	if (len == 0 || align == 0 || !px_is_power_of_2(align))
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	ret = vfio_find_iova_locked(c, hint, len, align, iova);
	pthread_mutex_unlock(&c->lock);
	return ret;
}

/* Map every tracked extent into a fresh IOMMU context; undo them all on the first failure. */
int vfio_dma_replay(struct px_vfio_container *c)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < c->n && c->caps.maps; i++) {
		const struct vfio_extent *e = &c->ext[i];

		if (!vfio_in_ranges(c, e->iova, e->len)) {
			char buf[512];

			/* memory mapped before the ranges were known, which could not move */
			vfio_ranges_str(c, buf, sizeof(buf));
			VFIO_LOG(
				ERR,
				"attach: IOVA 0x%" PRIx64 "-0x%" PRIx64 " (VA 0x%" PRIx64
				") is outside the usable IOVA ranges of %s (%s) and could not move"
				" inside them (no room, in use, or live in another container): the "
				"group is not attached; reserve less DMA memory, open the devices "
				"before allocating it, or use --iova-mode=pa",
				e->iova, e->iova + e->len - 1, e->va,
				px_vfio_iommu_name(c->caps.type), buf);
			ret = -EINVAL;
			break;
		}
		ret = c->ops->map(c->priv, e->va, e->iova, e->len);
		if (ret) {
			ret = explain_map_error(ret, e->iova, e->len);
			VFIO_LOG(ERR,
				 "attach: replaying extent %u of %u failed: the group is not "
				 "attached",
				 i + 1, c->n);
			break;
		}
	}
	if (ret == 0)
		return 0;
	while (i-- > 0)
		c->ops->unmap(c->priv, c->ext[i].iova, c->ext[i].len, NULL);
	return ret;
}

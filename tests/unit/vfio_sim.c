/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Simulated kernel backends (see vfio_sim.h). Semantics from docs/vfio-checklist.md:
 *                 cut          empty range   overlap  limit
 *   type1 v2      EINVAL       0 bytes       EEXIST   dma_entry_limit (ENOSPC)
 *   sPAPR TCE v2  page-grain   0 bytes       EBUSY    window size
 *   iommufd       ENOENT       ENOENT        EEXIST   none
 *   noiommu       no maps at all
 * All: pinned bytes count against RLIMIT_MEMLOCK (ENOMEM).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>

#include "vfio_sim.h"

const char *sim_name(enum sim_kind k)
{
	static const char *const n[] = {"type1v2", "spapr-tce-v2", "iommufd", "noiommu"};

	return k < SIM_KINDS ? n[k] : "?";
}

static bool fail_now(int *after)
{
	if (*after < 0)
		return false;
	return (*after)-- == 0;
}

static int sim_attach(void *priv, int fd, bool first)
{
	struct sim *s = priv;

	(void)fd;
	s->groups++;
	if (first)
		s->context = true;
	return 0;
}

static void sim_detach(void *priv, int fd, bool last)
{
	struct sim *s = priv;

	(void)fd;
	s->groups--;
	if (last) { /* the kernel drops the IOMMU context and every mapping */
		s->context = false;
		s->n = 0;
		s->locked = 0;
	}
}

static void set_caps(struct sim *s)
{
	struct px_vfio_dma_caps *k = &s->caps;

	memset(k, 0, sizeof(*k));
	k->dma_avail = UINT32_MAX;
	k->maps = true;
	k->unmap_all = true;
	switch (s->kind) {
	case SIM_TYPE1V2: /* x86 with intel-iommu: MSI hole, 39-bit aperture */
		k->type = PX_VFIO_IOMMU_TYPE1V2;
		k->pgsizes = 0x40201000;
		k->nr_ranges = 2;
		k->ranges[0] = (struct px_vfio_iova_range){0, 0xfedfffff};
		k->ranges[1] = (struct px_vfio_iova_range){0xfef00000, (1ull << 39) - 1};
		break;
	case SIM_SPAPR: /* the default 32-bit window: 1 GiB at 0, 4 KiB TCEs */
		k->type = PX_VFIO_IOMMU_SPAPR_V2;
		k->pgsizes = 0x1000;
		k->nr_ranges = 1;
		k->ranges[0] = (struct px_vfio_iova_range){0, (1ull << 30) - 1};
		k->split = true;
		break;
	case SIM_IOMMUFD: /* arm64 SMMUv3 layout: MSI hole at 0x8000000 */
		k->type = PX_VFIO_IOMMU_IOMMUFD;
		k->pgsizes = 0x1000;
		k->nr_ranges = 2;
		k->ranges[0] = (struct px_vfio_iova_range){0, 0x7ffffff};
		k->ranges[1] = (struct px_vfio_iova_range){0x8100000, (1ull << 48) - 1};
		break;
	default:
		k->type = PX_VFIO_IOMMU_NOIOMMU;
		k->pgsizes = 0x1000;
		k->maps = false;
		k->unmap_all = false;
		k->split = true;
		break;
	}
	if (s->kind == SIM_SPAPR && s->win_size) {
		k->pgsizes = 1ull << s->win_shift;
		k->ranges[0] =
			(struct px_vfio_iova_range){s->win_start, s->win_start + s->win_size - 1};
	}
	if (s->aperture.end && s->kind != SIM_NOIOMMU) {
		k->nr_ranges = 1;
		k->ranges[0] = s->aperture;
	}
}

static int sim_caps(void *priv, struct px_vfio_dma_caps *caps)
{
	struct sim *s = priv;

	set_caps(s);
	/* type1 reports how many more DMA mappings it will accept (VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL)
	 */
	if (s->kind == SIM_TYPE1V2)
		s->caps.dma_avail = s->entry_limit - s->n;
	*caps = s->caps;
	return 0;
}

static bool in_ranges(const struct sim *s, uint64_t iova, uint64_t len)
{
	for (uint32_t i = 0; i < s->caps.nr_ranges; i++)
		if (iova >= s->caps.ranges[i].start && iova + len - 1 <= s->caps.ranges[i].end)
			return true;
	return false;
}

static unsigned int lower(const struct sim *s, uint64_t iova)
{
	unsigned int i = 0;

	while (i < s->n && s->maps[i].iova + s->maps[i].len <= iova)
		i++;
	return i;
}

static void insert(struct sim *s, uint64_t va, uint64_t iova, uint64_t len)
{
	unsigned int i = lower(s, iova);

	memmove(&s->maps[i + 1], &s->maps[i], (s->n - i) * sizeof(s->maps[0]));
	s->maps[i] = (struct vfio_piece){va, iova, len};
	s->n++;
}

static int map_locked(struct sim *s, uint64_t va, uint64_t iova, uint64_t len)
{
	unsigned int i;

	s->calls_map++;
	if (!s->context || s->kind == SIM_NOIOMMU)
		return -ENODEV; /* noiommu: there is no IOMMU to map into */
	if (fail_now(&s->fail_map_after))
		return -s->fail_errno;
	if (len == 0 || ((iova | len | va) & ((s->caps.pgsizes & -s->caps.pgsizes) - 1)) ||
	    !in_ranges(s, iova, len))
		return -EINVAL;
	i = lower(s, iova);
	if (i < s->n && s->maps[i].iova < iova + len)
		return s->kind == SIM_SPAPR ? -EBUSY : -EEXIST;
	if (s->kind == SIM_TYPE1V2 && s->n >= s->entry_limit)
		return -ENOSPC;
	if (s->locked + len > s->memlock)
		return -ENOMEM;
	insert(s, va, iova, len);
	s->locked += len;
	return 0;
}

static int sim_map(void *priv, uint64_t va, uint64_t iova, uint64_t len)
{
	struct sim *s = priv;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = map_locked(s, va, iova, len);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* Remove [lo, hi) from every mapping (sPAPR clears TCEs page by page), keeping remainders. */
static uint64_t clear_range(struct sim *s, uint64_t lo, uint64_t hi)
{
	uint64_t done = 0;

	for (unsigned int i = lower(s, lo); i < s->n && s->maps[i].iova < hi;) {
		struct vfio_piece p = s->maps[i];
		uint64_t a = PX_MAX(p.iova, lo), b = PX_MIN(p.iova + p.len, hi);

		done += b - a;
		memmove(&s->maps[i], &s->maps[i + 1], (s->n - i - 1) * sizeof(p));
		s->n--;
		if (p.iova < a)
			insert(s, p.va, p.iova, a - p.iova);
		if (b < p.iova + p.len)
			insert(s, p.va + (b - p.iova), b, p.iova + p.len - b);
		i = lower(s, b);
	}
	s->locked -= done;
	return done;
}

static int unmap_locked(struct sim *s, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	uint64_t hi = iova + len;
	unsigned int i, j;

	s->calls_unmap++;
	if (!s->context || s->kind == SIM_NOIOMMU)
		return -ENODEV;
	if (fail_now(&s->fail_unmap_after))
		return -s->fail_errno;
	if (len == 0 || ((iova | len) & 0xfff))
		return -EINVAL;
	if (s->kind != SIM_SPAPR) {
		i = lower(s, iova);
		for (j = i; j < s->n && s->maps[j].iova < hi; j++)
			;
		/* type1 v2: cutting a mapping is EINVAL; iommufd: ENOENT (iopt_unmap_iova_range) */
		if (i < j &&
		    (s->maps[i].iova < iova || s->maps[j - 1].iova + s->maps[j - 1].len > hi))
			return s->kind == SIM_TYPE1V2 ? -EINVAL : -ENOENT;
		if (i == j && s->kind == SIM_IOMMUFD)
			return -ENOENT;
	}
	*unmapped = clear_range(s, iova, hi);
	return 0;
}

static int sim_unmap(void *priv, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	struct sim *s = priv;
	uint64_t done = 0;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = unmap_locked(s, iova, len, &done);
	pthread_mutex_unlock(&s->lock);
	if (unmapped)
		*unmapped = done;
	return ret;
}

int sim_type1_unmap_flags(struct sim *s, uint64_t iova, uint64_t size, uint32_t flags,
			  uint64_t *unmapped)
{
	int ret;

	if (!(flags & VFIO_DMA_UNMAP_FLAG_ALL))
		return sim_unmap(s, iova, size, unmapped);
	/* vfio_iommu_type1.c: FLAG_ALL requires iova == 0 and size == 0 */
	if (iova || size)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	s->calls_unmap_all++;
	ret = s->context ? 0 : -ENODEV;
	if (ret == 0 && fail_now(&s->fail_unmap_after))
		ret = -s->fail_errno;
	if (ret == 0)
		*unmapped = clear_range(s, 0, UINT64_MAX);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int sim_unmap_all(void *priv, uint64_t *unmapped)
{
	struct sim *s = priv;
	uint64_t d = 0;
	int ret;

	switch (s->kind) {
	case SIM_TYPE1V2:
		return sim_type1_unmap_flags(s, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, unmapped);
	case SIM_SPAPR: /* walk the windows */
		ret = sim_unmap(s, s->caps.ranges[0].start,
				s->caps.ranges[0].end - s->caps.ranges[0].start + 1, unmapped);
		break;
	case SIM_IOMMUFD: /* IOMMU_IOAS_UNMAP with iova 0, length UINT64_MAX: everything */
		pthread_mutex_lock(&s->lock);
		ret = s->n ? 0 : -ENOENT;
		if (ret == 0 && fail_now(&s->fail_unmap_after))
			ret = -s->fail_errno;
		if (ret == 0)
			d = clear_range(s, 0, UINT64_MAX);
		pthread_mutex_unlock(&s->lock);
		*unmapped = d;
		break;
	default:
		return -ENODEV;
	}
	if (ret == 0)
		s->calls_unmap_all++;
	return ret;
}

/* sPAPR TCE_REMOVE + TCE_CREATE: pages 4K/64K/2M/16M (QEMU's pseries), the new window at
 * 2^59; refused while anything is mapped. */
static int sim_new_window(void *priv, uint64_t size, uint64_t max_page)
{
	struct sim *s = priv;
	unsigned int shift = 12;
	int ret = 0;

	pthread_mutex_lock(&s->lock);
	s->calls_window++;
	if (s->kind != SIM_SPAPR)
		ret = -ENOTTY;
	else if (s->n)
		ret = -EBUSY;
	else if (s->fail_window)
		ret = -s->fail_window;
	if (ret == 0) {
		for (unsigned int sh = 12; sh <= 24 && (1ull << sh) <= max_page; sh++)
			if ((0x1211000ull >> sh) & 1)
				shift = sh;
		s->win_start = 1ull << 59;
		s->win_size = size;
		s->win_shift = shift;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static void sim_destroy(void *priv)
{
	struct sim *s = priv;

	pthread_mutex_destroy(&s->lock);
	free(s);
}

const struct vfio_backend_ops sim_ops = {
	.name = "sim",
	.attach = sim_attach,
	.detach = sim_detach,
	.caps = sim_caps,
	.map = sim_map,
	.unmap = sim_unmap,
	.unmap_all = sim_unmap_all,
	.new_window = sim_new_window,
	.destroy = sim_destroy,
};

struct px_vfio_container *sim_container(enum sim_kind k, struct sim **out)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct px_vfio_container *c;

	if (s == NULL)
		return NULL;
	s->kind = k;
	s->entry_limit = 65535;
	s->memlock = UINT64_MAX;
	s->fail_map_after = -1;
	s->fail_unmap_after = -1;
	pthread_mutex_init(&s->lock, NULL);
	set_caps(s);
	c = vfio_container_new(-1, &sim_ops, s);
	if (c == NULL) {
		sim_destroy(s);
		return NULL;
	}
	*out = s;
	return c;
}

int sim_consistent(struct px_vfio_container *c, struct sim *s)
{
	struct px_vfio_dma_extent e[SIM_MAX_MAPS];
	unsigned int n = px_vfio_dma_list(c, e, SIM_MAX_MAPS);

	if (!s->context || s->kind == SIM_NOIOMMU)
		return s->n == 0;
	if (n != s->n) {
		fprintf(stderr, "tracker has %u extents, kernel %u\n", n, s->n);
		return 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (e[i].iova != s->maps[i].iova || e[i].len != s->maps[i].len ||
		    e[i].va != s->maps[i].va) {
			fprintf(stderr, "extent %u: tracker 0x%llx+0x%llx, kernel 0x%llx+0x%llx\n",
				i, (unsigned long long)e[i].iova, (unsigned long long)e[i].len,
				(unsigned long long)s->maps[i].iova,
				(unsigned long long)s->maps[i].len);
			return 0;
		}
	}
	return 1;
}

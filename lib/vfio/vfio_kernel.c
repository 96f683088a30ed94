/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel backends of the tracker: type1 v2 (x86, arm64), sPAPR TCE v2 (POWER) and noiommu.
 * Semantics cited from include/uapi/linux/vfio.h and drivers/vfio/vfio_iommu_{type1,spapr_tce}.c
 * (Linux 6.1/6.12), and measured in the lab (docs/vfio-checklist.md, docs/vfio.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "vfio_private.h"

/* sPAPR: memory pre-registered by VA range, referenced by every piece mapped from it */
struct vfio_prereg {
	uint64_t va, len;
	unsigned int refs;
};

/* priv of a kernel backend: the container fd and the type it will set */
struct vfio_kbackend {
	int fd;
	int type; /* VFIO_TYPE1v2_IOMMU, ... */
	/* sPAPR: pre-registrations, and the pieces mapped (as the TCE table holds them) */
	struct vfio_prereg *prereg;
	unsigned int nr_prereg;
	struct vfio_piece *pieces;
	unsigned int nr_pieces;
	uint64_t win_start, win_size; /* sPAPR DMA window */
	unsigned int win_shift;
	uint64_t ddw_pgsizes;
};

void *vfio_kbackend_new(int fd, int type)
{
	struct vfio_kbackend *kb = calloc(1, sizeof(*kb));

	if (kb == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	kb->fd = fd;
	kb->type = type;
	return kb;
}

static int kioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

/* VFIO_GROUP_SET_CONTAINER for every group; VFIO_SET_IOMMU once, after the first group
 * (the kernel needs a group in the container before it can pick an IOMMU driver). */
static int k_attach(void *priv, int group_fd, bool first)
{
	struct vfio_kbackend *kb = priv;
	int ret = kioctl(group_fd, VFIO_GROUP_SET_CONTAINER, &kb->fd);

	if (ret) {
		VFIO_LOG(ERR, "VFIO_GROUP_SET_CONTAINER: %s", strerror(-ret));
		return ret;
	}
	if (first && ioctl(kb->fd, VFIO_SET_IOMMU, (unsigned long)kb->type)) {
		ret = -errno;
		VFIO_LOG(ERR, "VFIO_SET_IOMMU(%d): %s", kb->type, strerror(-ret));
		ioctl(group_fd, VFIO_GROUP_UNSET_CONTAINER);
		return ret;
	}
	return 0;
}

static void k_detach(void *priv, int group_fd, bool last)
{
	(void)priv;
	(void)last; /* the kernel releases the IOMMU context with the last group */
	ioctl(group_fd, VFIO_GROUP_UNSET_CONTAINER);
}

static void k_destroy(void *priv)
{
	struct vfio_kbackend *kb = priv;

	free(kb->prereg);
	free(kb->pieces);
	free(kb);
}

/* ---- type1 v2 ---- */

/* VFIO_IOMMU_GET_INFO: the first call may report a larger argsz (capability chain follows the
 * struct); call again with that size. */
static struct vfio_iommu_type1_info *type1_info(int fd)
{
	struct vfio_iommu_type1_info *info = calloc(1, sizeof(*info));
	uint32_t sz = sizeof(*info);

	while (info != NULL) {
		info->argsz = sz;
		if (ioctl(fd, VFIO_IOMMU_GET_INFO, info)) {
			free(info);
			return NULL;
		}
		if (info->argsz <= sz)
			return info;
		sz = info->argsz;
		free(info);
		info = calloc(1, sz);
	}
	errno = ENOMEM;
	return NULL;
}

static void type1_cap(struct px_vfio_dma_caps *caps, const struct vfio_info_cap_header *h)
{
	if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
		const struct vfio_iommu_type1_info_cap_iova_range *r = (const void *)h;

		caps->nr_ranges = PX_MIN(r->nr_iovas, PX_VFIO_MAX_IOVA_RANGES);
		for (uint32_t i = 0; i < caps->nr_ranges; i++)
			caps->ranges[i] = (struct px_vfio_iova_range){r->iova_ranges[i].start,
								      r->iova_ranges[i].end};
	} else if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
		caps->dma_avail = ((const struct vfio_iommu_type1_info_dma_avail *)h)->avail;
	}
}

static int type1_caps(void *priv, struct px_vfio_dma_caps *caps)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_type1_info *info = type1_info(kb->fd);
	uint32_t off;

	if (info == NULL) {
		VFIO_LOG(ERR, "VFIO_IOMMU_GET_INFO: %s", strerror(errno));
		return -errno;
	}
	memset(caps, 0, sizeof(*caps));
	caps->type = kb->type == VFIO_TYPE1v2_IOMMU ? PX_VFIO_IOMMU_TYPE1V2 : PX_VFIO_IOMMU_TYPE1;
	caps->pgsizes = info->iova_pgsizes;
	caps->dma_avail = UINT32_MAX;
	caps->maps = true;
	caps->split = false; /* type1 v2: an unmap that cuts a mapping is EINVAL */
	caps->unmap_all = ioctl(kb->fd, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL) > 0;
	/* The chain: offsets from the start of info, 0 ends it (vfio.h, "capability chain"). */
	for (off = (info->flags & VFIO_IOMMU_INFO_CAPS) ? info->cap_offset : 0;
	     off && off + sizeof(struct vfio_info_cap_header) <= info->argsz;) {
		const struct vfio_info_cap_header *h = (const void *)((char *)info + off);

		type1_cap(caps, h);
		off = h->next;
	}
	free(info);
	return 0;
}

static int type1_map(void *priv, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_type1_dma_map m = {.argsz = sizeof(m),
					     .flags = VFIO_DMA_MAP_FLAG_READ |
						      VFIO_DMA_MAP_FLAG_WRITE,
					     .vaddr = va,
					     .iova = iova,
					     .size = len};

	return kioctl(kb->fd, VFIO_IOMMU_MAP_DMA, &m);
}

/* VFIO_IOMMU_UNMAP_DMA returns in size the bytes actually unmapped (vfio.h). */
static int type1_unmap(void *priv, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_type1_dma_unmap u = {.argsz = sizeof(u), .iova = iova, .size = len};
	int ret = kioctl(kb->fd, VFIO_IOMMU_UNMAP_DMA, &u);

	if (ret == 0 && unmapped)
		*unmapped = u.size;
	return ret;
}

/* VFIO_DMA_UNMAP_FLAG_ALL (5.12+): iova and size must be 0, else EINVAL. */
static int type1_unmap_all(void *priv, uint64_t *unmapped)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_type1_dma_unmap u = {.argsz = sizeof(u),
					       .flags = VFIO_DMA_UNMAP_FLAG_ALL};
	int ret = kioctl(kb->fd, VFIO_IOMMU_UNMAP_DMA, &u);

	if (ret == 0 && unmapped)
		*unmapped = u.size;
	return ret;
}

const struct vfio_backend_ops vfio_type1_ops = {
	.name = "type1",
	.attach = k_attach,
	.detach = k_detach,
	.caps = type1_caps,
	.map = type1_map,
	.unmap = type1_unmap,
	.unmap_all = type1_unmap_all,
	.destroy = k_destroy,
};

/* ---- sPAPR TCE v2 ---- */

static int spapr_caps(void *priv, struct px_vfio_dma_caps *caps)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_spapr_tce_info info = {.argsz = sizeof(info)};
	int ret = kioctl(kb->fd, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info);

	if (ret) {
		VFIO_LOG(ERR, "VFIO_IOMMU_SPAPR_TCE_GET_INFO: %s", strerror(-ret));
		return ret;
	}
	if (kb->win_size == 0) {
		kb->win_start = info.dma32_window_start;
		kb->win_size = info.dma32_window_size;
		kb->win_shift = 12; /* the default window has 4 KiB TCEs */
	}
	memset(caps, 0, sizeof(*caps));
	caps->type = PX_VFIO_IOMMU_SPAPR_V2;
	/* The window's TCE size is the IOMMU page; DDW could offer the others (info.ddw.pgsizes) */
	caps->pgsizes = 1ull << kb->win_shift;
	caps->nr_ranges = 1;
	caps->ranges[0] =
		(struct px_vfio_iova_range){kb->win_start, kb->win_start + kb->win_size - 1};
	caps->dma_avail = UINT32_MAX; /* the window size is the limit */
	caps->maps = true;
	caps->split = true;     /* TCEs are cleared page by page: any aligned range */
	caps->unmap_all = true; /* by unmapping the whole window */
	kb->ddw_pgsizes = info.ddw.pgsizes;
	return 0;
}

static struct vfio_prereg *prereg_find(struct vfio_kbackend *kb, uint64_t va, uint64_t len)
{
	for (unsigned int i = 0; i < kb->nr_prereg; i++)
		if (va >= kb->prereg[i].va && va + len <= kb->prereg[i].va + kb->prereg[i].len)
			return &kb->prereg[i];
	return NULL;
}

/* VFIO_IOMMU_SPAPR_REGISTER_MEMORY pins and accounts the memory (RLIMIT_MEMLOCK) before any
 * MAP_DMA of it; referenced by every piece mapped from it. */
static int prereg_get(struct vfio_kbackend *kb, uint64_t va, uint64_t len)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = va, .size = len};
	struct vfio_prereg *p = prereg_find(kb, va, len), *np;
	int ret;

	if (p != NULL) {
		p->refs++;
		return 0;
	}
	np = realloc(kb->prereg, (kb->nr_prereg + 1) * sizeof(*np));
	if (np == NULL)
		return -ENOMEM;
	kb->prereg = np;
	ret = kioctl(kb->fd, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg);
	if (ret) {
		VFIO_LOG(ERR, "SPAPR_REGISTER_MEMORY 0x%" PRIx64 "+0x%" PRIx64 ": %s", va, len,
			 strerror(-ret));
		return ret;
	}
	kb->prereg[kb->nr_prereg++] = (struct vfio_prereg){va, len, 1};
	return 0;
}

/* Drop one reference; unregister at zero (EBUSY from the kernel while still mapped). */
static void prereg_put(struct vfio_kbackend *kb, uint64_t va)
{
	struct vfio_prereg *p = prereg_find(kb, va, 1);
	struct vfio_iommu_spapr_register_memory reg = {.argsz = sizeof(reg)};

	if (p == NULL || --p->refs > 0)
		return;
	reg.vaddr = p->va;
	reg.size = p->len;
	if (ioctl(kb->fd, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg))
		VFIO_LOG(WARNING, "SPAPR_UNREGISTER_MEMORY 0x%" PRIx64 ": %s", p->va,
			 strerror(errno));
	*p = kb->prereg[--kb->nr_prereg];
}

static int piece_add(struct vfio_kbackend *kb, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_piece *np = realloc(kb->pieces, (kb->nr_pieces + 1) * sizeof(*np));

	if (np == NULL)
		return -ENOMEM;
	kb->pieces = np;
	kb->pieces[kb->nr_pieces++] = (struct vfio_piece){va, iova, len};
	return 0;
}

static int spapr_map(void *priv, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_type1_dma_map m = {.argsz = sizeof(m),
					     .flags = VFIO_DMA_MAP_FLAG_READ |
						      VFIO_DMA_MAP_FLAG_WRITE,
					     .vaddr = va,
					     .iova = iova,
					     .size = len};
	int ret = prereg_get(kb, va, len);

	if (ret)
		return ret;
	ret = piece_add(kb, va, iova, len);
	if (ret)
		goto put_prereg;
	ret = kioctl(kb->fd, VFIO_IOMMU_MAP_DMA, &m);
	if (ret == -ENODEV)
		/* measured in the lab: no window can be created there either, so say why */
		VFIO_LOG(ERR,
			 "sPAPR: MAP_DMA: ENODEV: the PHB is on the kernel's failed-DDW list "
			 "(a kernel driver's DMA window request failed before vfio-pci had the "
			 "device): boot with disable_ddw, or bind to vfio-pci before any driver");
	if (ret)
		goto drop_piece;
	return 0;

drop_piece:
	kb->nr_pieces--;
put_prereg:
	prereg_put(kb, va);
	return ret;
}

/* After the kernel cleared [lo, hi): trim the pieces; each remainder keeps a reference. */
static void pieces_cut(struct vfio_kbackend *kb, uint64_t lo, uint64_t hi)
{
	for (unsigned int i = 0; i < kb->nr_pieces;) {
		struct vfio_piece p = kb->pieces[i];

		if (p.iova >= hi || p.iova + p.len <= lo) {
			i++;
			continue;
		}
		kb->pieces[i] = kb->pieces[--kb->nr_pieces];
		if (p.iova < lo && piece_add(kb, p.va, p.iova, lo - p.iova) == 0)
			prereg_find(kb, p.va, 1)->refs++;
		if (p.iova + p.len > hi &&
		    piece_add(kb, p.va + (hi - p.iova), hi, p.iova + p.len - hi) == 0)
			prereg_find(kb, p.va, 1)->refs++;
		prereg_put(kb, p.va);
	}
}

static int spapr_unmap(void *priv, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	struct vfio_kbackend *kb = priv;
	struct vfio_iommu_type1_dma_unmap u = {.argsz = sizeof(u), .iova = iova, .size = len};
	int ret = kioctl(kb->fd, VFIO_IOMMU_UNMAP_DMA, &u);

	if (ret)
		return ret;
	pieces_cut(kb, iova, iova + len);
	if (unmapped)
		*unmapped = u.size;
	return 0;
}

static int spapr_unmap_all(void *priv, uint64_t *unmapped)
{
	struct vfio_kbackend *kb = priv;

	return spapr_unmap(priv, kb->win_start, kb->win_size, unmapped);
}

/* Detaching the last group drops the TCE tables; pre-registrations belong to the container
 * (mm) and stay, so forget only the pieces' references. */
static void spapr_detach(void *priv, int group_fd, bool last)
{
	struct vfio_kbackend *kb = priv;

	if (last)
		while (kb->nr_pieces)
			pieces_cut(kb, kb->pieces[0].iova, kb->pieces[0].iova + kb->pieces[0].len);
	k_detach(priv, group_fd, last);
}

/*
 * Replace the DMA window with one of @size bytes of 2^@shift pages (VFIO_IOMMU_SPAPR_TCE_REMOVE
 * then _CREATE): for memory the default 1 GiB 32-bit window cannot hold, and for pseries that
 * fails the default window with ENODEV ("failed DDW device list", seen in the lab).
 */
static int spapr_replace_window(struct vfio_kbackend *kb, uint64_t size, unsigned int shift)
{
	struct vfio_iommu_spapr_tce_remove rm = {.argsz = sizeof(rm), .start_addr = kb->win_start};
	struct vfio_iommu_spapr_tce_create cr = {
		.argsz = sizeof(cr), .page_shift = shift, .window_size = size, .levels = 1};
	struct vfio_iommu_spapr_tce_create old = {.argsz = sizeof(old),
						  .page_shift = kb->win_shift,
						  .window_size = kb->win_size,
						  .levels = 1};
	int ret;

	if (kb->nr_pieces) {
		VFIO_LOG(ERR, "sPAPR: cannot replace the DMA window while %u maps are live",
			 kb->nr_pieces);
		return -EBUSY;
	}
	ret = kioctl(kb->fd, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
	if (ret) {
		VFIO_LOG(ERR, "sPAPR: removing the DMA window at 0x%" PRIx64 ": %s", kb->win_start,
			 strerror(-ret));
		return ret;
	}
	ret = kioctl(kb->fd, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr);
	if (ret) {
		/* put the old window back (measured on pseries 6.12: a 4 KiB window after the
		 * default one was removed starts at 0 again) */
		int r2 = kioctl(kb->fd, VFIO_IOMMU_SPAPR_TCE_CREATE, &old);

		VFIO_LOG(ERR, "sPAPR: creating a 0x%" PRIx64 " window of 2^%u pages: %s%s", size,
			 shift, strerror(-ret),
			 r2 ? "; the old window could not be restored: nothing can be mapped" : "");
		if (r2 == 0)
			kb->win_start = old.start_addr;
		else
			kb->win_size = 0;
		return ret;
	}
	kb->win_start = cr.start_addr;
	kb->win_size = size;
	kb->win_shift = shift;
	VFIO_LOG(INFO, "sPAPR: DMA window 0x%" PRIx64 "+0x%" PRIx64 ", 2^%u pages", kb->win_start,
		 size, shift);
	return 0;
}

/* Largest page of the dynamic windows <= @max_page; at most 2^22 TCEs (measured: a 2^43
 * window of 2 MiB pages, levels 1, on pseries 6.12 under QEMU). */
static int spapr_new_window(void *priv, uint64_t size, uint64_t max_page)
{
	struct vfio_kbackend *kb = priv;
	unsigned int shift = 0;

	for (unsigned int s = 12; s < 64 && (1ULL << s) <= max_page; s++)
		if (kb->ddw_pgsizes & (1ULL << s))
			shift = s;
	if (shift == 0) {
		VFIO_LOG(WARNING,
			 "sPAPR: no DMA window page size (0x%" PRIx64 ") fits %" PRIu64
			 " KiB pages",
			 kb->ddw_pgsizes, max_page >> 10);
		return -ENOTSUP;
	}
	while ((size >> shift) > (1ULL << 22))
		size >>= 1;
	if (size <= kb->win_size)
		return -ENOSPC;
	return spapr_replace_window(kb, size, shift);
}

const struct vfio_backend_ops vfio_spapr_ops = {
	.name = "spapr-tce-v2",
	.attach = k_attach,
	.detach = spapr_detach,
	.caps = spapr_caps,
	.map = spapr_map,
	.unmap = spapr_unmap,
	.unmap_all = spapr_unmap_all,
	.new_window = spapr_new_window,
	.destroy = k_destroy,
};

/* ---- noiommu: the IOVA is the physical address; there is nothing to map ---- */

static int noiommu_caps(void *priv, struct px_vfio_dma_caps *caps)
{
	(void)priv;
	memset(caps, 0, sizeof(*caps));
	caps->type = PX_VFIO_IOMMU_NOIOMMU;
	caps->pgsizes = 4096;
	caps->dma_avail = UINT32_MAX;
	caps->split = true; /* nothing in the kernel to cut */
	return 0;
}

static int noiommu_refuse(void *priv, uint64_t a, uint64_t b, uint64_t c)
{
	(void)priv, (void)a, (void)b, (void)c;
	return -ENODEV; /* never called: caps.maps is false */
}

static int noiommu_unmap(void *priv, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	(void)priv, (void)iova, (void)len, (void)unmapped;
	return -ENODEV;
}

const struct vfio_backend_ops vfio_noiommu_ops = {
	.name = "noiommu",
	.attach = k_attach,
	.detach = k_detach,
	.caps = noiommu_caps,
	.map = noiommu_refuse,
	.unmap = noiommu_unmap,
	.destroy = k_destroy,
};

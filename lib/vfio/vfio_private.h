/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/vfio internals: the backend ops table the tracker reaches the kernel through, the
 * container, and group attach. Not installed. Tests use it to plug simulated backends in.
 */
#ifndef VFIO_PRIVATE_H
#define VFIO_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <px_log.h>
#include <px_memory.h>
#include "px_vfio.h"

extern int vfio_logtype;
#define VFIO_LOG(lvl, ...) PX_LOG(lvl, vfio_logtype, __VA_ARGS__)

/*
 * The kernel, as the tracker sees it. Every function returns 0 or a negative errno exactly as
 * the kernel would; the tracker never calls one for a request it can refuse itself.
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
	/* The tracker: sorted by iova, disjoint, one entry per kernel map call. */
	struct vfio_extent *ext;
	unsigned int n, cap;
	unsigned int max_extents;
	unsigned int reserve;
	bool warned;
	struct vfio_group_ref groups[VFIO_MAX_GROUPS];
	unsigned int nr_groups;
	struct px_vfio_container *next; /* list of containers, for memory events */
};

/* ---- vfio_dma.c: the tracker ---- */
/* A container around a backend; fd may be -1. NULL+errno. */
struct px_vfio_container *vfio_container_new(int fd, const struct vfio_backend_ops *ops,
					     void *priv);
void vfio_container_free(struct px_vfio_container *c);
/* Attach/detach a group: replays extents at the first attach; rolls back on failure. */
int vfio_container_attach(struct px_vfio_container *c, int group_fd, int group_no,
			  struct px_vfio_group *g);
void vfio_container_detach(struct px_vfio_container *c, int group_fd);

/* ---- vfio_iova.c: IOVAs of the EAL's memory ---- */
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
/* "0x0-0x3fffffff, ..." for the log */
void vfio_ranges_str(const struct px_vfio_container *c, char *buf, size_t sz);

/* ---- vfio_dma.c helpers shared with vfio_iova.c (c->lock held) ---- */
extern pthread_mutex_t vfio_containers_lock;
extern struct px_vfio_container *vfio_containers;
bool vfio_kernel_live(const struct px_vfio_container *c);
unsigned int vfio_first_after(const struct px_vfio_container *c, uint64_t iova);
/* First IOVA >= @hint inside a usable range where @len bytes aligned to @align touch no extent */
int vfio_find_iova_locked(struct px_vfio_container *c, uint64_t hint, uint64_t len, uint64_t align,
			  uint64_t *iova);

/* ---- vfio_group.c ---- */
/* Explain why group @no is not viable: every device in it other than vfio-pci ones, their
 * drivers, and the px-devbind command. @sysfs: "/sys" (tests use a fake tree). Logs; returns
 * the number of devices that block. */
int vfio_group_explain(const char *sysfs, int no);
/* Attach group @fd (@no) when @viable, else explain (vfio_group_explain) and return -EPERM. */
int vfio_group_attach_checked(struct px_vfio_container *c, int fd, int no, struct px_vfio_group *g,
			      bool viable, const char *sysfs);

/* ---- backends (vfio_type1.c, vfio_spapr.c, vfio_noiommu.c) ---- */
extern const struct vfio_backend_ops vfio_type1_ops;
extern const struct vfio_backend_ops vfio_spapr_ops;
extern const struct vfio_backend_ops vfio_noiommu_ops;
/* priv of a kernel backend: the container fd and the type it will set */
struct vfio_prereg {
	uint64_t va, len;
	unsigned int refs;
};
struct vfio_piece {
	uint64_t va, iova, len;
};
struct vfio_kbackend {
	int fd;
	int type; /* VFIO_TYPE1v2_IOMMU, ... */
	/* sPAPR: pre-registered memory by VA range, referenced by every piece mapped from it */
	struct vfio_prereg *prereg;
	unsigned int nr_prereg;
	struct vfio_piece *pieces;
	unsigned int nr_pieces;
	uint64_t win_start, win_size; /* sPAPR DMA window */
	unsigned int win_shift;
	uint64_t ddw_pgsizes;
};
int vfio_spapr_new_window(struct vfio_kbackend *kb, uint64_t size, unsigned int shift);

#endif /* VFIO_PRIVATE_H */

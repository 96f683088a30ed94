/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Simulated kernel backends for the DMA map tracker: one per kernel behaviour of
 * docs/vfio-checklist.md (type1 v2, sPAPR TCE v2, iommufd, noiommu). Each keeps the mappings
 * the "kernel" holds, counts calls, and fails on demand.
 */
#ifndef VFIO_SIM_H
#define VFIO_SIM_H

#include <stdint.h>
#include "vfio_private.h"

enum sim_kind { SIM_TYPE1V2, SIM_SPAPR, SIM_IOMMUFD, SIM_NOIOMMU, SIM_KINDS };

#define SIM_MAX_MAPS 4096

struct sim {
	enum sim_kind kind;
	struct vfio_piece maps[SIM_MAX_MAPS]; /* sorted by iova */
	unsigned int n;
	bool context; /* an IOMMU context exists (a group is attached) */
	unsigned int groups;
	unsigned int calls_map, calls_unmap, calls_unmap_all;
	unsigned int entry_limit; /* type1 dma_entry_limit */
	uint64_t memlock;         /* RLIMIT_MEMLOCK in bytes; pinned bytes count against it */
	uint64_t locked;
	int fail_map_after; /* >= 0: that many more maps succeed, then fail_errno */
	int fail_unmap_after;
	int fail_errno;
	struct px_vfio_dma_caps caps;
	pthread_mutex_t lock;
	/* a configured aperture instead of the kind's own: one usable range */
	struct px_vfio_iova_range aperture; /* used when aperture.end != 0 */
	/* sPAPR dynamic DMA window: created by new_window (start as pseries under QEMU: 2^59) */
	uint64_t win_start, win_size;
	unsigned int win_shift;
	int fail_window; /* errno new_window fails with (0: it works) */
	unsigned int calls_window;
};

extern const struct vfio_backend_ops sim_ops;
const char *sim_name(enum sim_kind k);
/* A container on a new simulated kernel of kind @k; *sim receives it. No group attached. */
struct px_vfio_container *sim_container(enum sim_kind k, struct sim **sim);
/* Raw type1 VFIO_IOMMU_UNMAP_DMA with flags (for FLAG_ALL's argument check). */
int sim_type1_unmap_flags(struct sim *s, uint64_t iova, uint64_t size, uint32_t flags,
			  uint64_t *unmapped);
/* 1 when the tracker of @c equals the simulated kernel (noiommu: the kernel holds nothing). */
int sim_consistent(struct px_vfio_container *c, struct sim *s);

#endif /* VFIO_SIM_H */

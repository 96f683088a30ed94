/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Containers on the kernel uAPI: /dev/vfio/vfio, the API version, the IOMMU backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include <px_malloc.h>
#include <px_memory.h>

#include "vfio_private.h"
#include "vfio_group.h"

const char *px_vfio_iommu_name(enum px_vfio_iommu type)
{
	switch (type) {
	case PX_VFIO_IOMMU_TYPE1V2:
		return "type1v2";
	case PX_VFIO_IOMMU_TYPE1:
		return "type1";
	case PX_VFIO_IOMMU_SPAPR_V2:
		return "spapr-tce-v2";
	case PX_VFIO_IOMMU_NOIOMMU:
		return "noiommu";
	case PX_VFIO_IOMMU_IOMMUFD:
		return "iommufd";
	default:
		return "none";
	}
}

/* Preference: type1 v2 > type1 (v1's size-0 and over-unmap quirks) > sPAPR TCE v2 > noiommu. */
static const struct {
	int type;
	const struct vfio_backend_ops *ops;
} backends[] = {
	{VFIO_TYPE1v2_IOMMU, &vfio_type1_ops},
	{VFIO_TYPE1_IOMMU, &vfio_type1_ops},
	{VFIO_SPAPR_TCE_v2_IOMMU, &vfio_spapr_ops},
	{VFIO_NOIOMMU_IOMMU, &vfio_noiommu_ops},
};

static int open_container(void)
{
	int fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	int api;

	if (fd < 0) {
		int err = errno;

		if (err == ENOENT)
			VFIO_LOG(ERR, "no /dev/vfio/vfio: load vfio-pci: modprobe vfio-pci");
		else
			VFIO_LOG(ERR, "/dev/vfio/vfio: %s", strerror(err));
		errno = err;
		return -1;
	}
	api = ioctl(fd, VFIO_GET_API_VERSION);
	if (api != VFIO_API_VERSION) {
		VFIO_LOG(ERR, "VFIO API version %d, expected %d", api, VFIO_API_VERSION);
		close(fd);
		errno = EPROTO;
		return -1;
	}
	return fd;
}

/*
 * EAL memory events for one container: each hugepage segment is mapped once, as one extent,
 * when it is reserved (registration replays the existing ones), and unmapped before it is
 * released. Segments without an IOVA (--no-huge) are not for DMA.
 */
static int mem_event_cb(enum px_mem_event type, void *va, uint64_t iova, size_t len, void *arg)
{
	struct px_vfio_container *c = arg;
	uint64_t b;

	if (iova == PX_BAD_IOVA)
		return 0;
	if (type == PX_MEM_EVENT_ADDED)
		return px_vfio_dma_map(c, (uintptr_t)va, iova, len);
	return px_vfio_dma_unmap(c, iova, len, PX_DMA_UNMAP_RANGE | PX_DMA_UNMAP_ALLOW_SPLIT, &b);
}

struct px_vfio_container *px_vfio_container_create(void)
{
	struct vfio_kbackend *kb;
	struct px_vfio_container *c;
	unsigned int i;
	int fd = open_container();

	if (fd < 0)
		return NULL;
	for (i = 0; i < PX_DIM(backends); i++)
		if (ioctl(fd, VFIO_CHECK_EXTENSION, backends[i].type) > 0)
			break;
	if (i == PX_DIM(backends)) {
		VFIO_LOG(ERR, "no usable IOMMU backend (type1, sPAPR TCE v2, noiommu): boot with "
			      "the IOMMU on (intel_iommu=on) or load vfio with "
			      "enable_unsafe_noiommu_mode=1");
		errno = ENODEV;
		goto close_fd;
	}
	kb = calloc(1, sizeof(*kb));
	if (kb == NULL) {
		errno = ENOMEM;
		goto close_fd;
	}
	kb->fd = fd;
	kb->type = backends[i].type;
	c = vfio_container_new(fd, backends[i].ops, kb);
	if (c == NULL)
		goto free_kb;
	/* IOVAs of the EAL's memory inside every container's usable ranges (vfio_iova.c) */
	px_mem_iova_provider_set(vfio_iova_choose, NULL);
	errno = -px_mem_event_register(mem_event_cb, c);
	if (errno) {
		VFIO_LOG(ERR, "container: mapping the EAL's memory: %s", strerror(errno));
		goto free_container;
	}
	VFIO_LOG(INFO, "container: backend %s", backends[i].ops->name);
	return c;

free_container:
	kb = NULL; /* vfio_container_free() destroys it with the backend */
	vfio_container_free(c);

free_kb:
	free(kb);
close_fd:
	close(fd);
	return NULL;
}

void px_vfio_container_destroy(struct px_vfio_container *c)
{
	uint64_t b;
	int fd;

	if (c == NULL)
		return;
	px_mem_event_unregister(mem_event_cb, c);
	px_vfio_dma_unmap_all(c, &b);
	while (c->nr_groups) {
		struct vfio_group_ref *r = &c->groups[c->nr_groups - 1];

		if (r->group != NULL)
			px_vfio_group_close(r->group);
		else
			vfio_container_detach(c, r->fd);
	}
	fd = c->fd;
	vfio_container_free(c);
	if (fd >= 0)
		close(fd);
}

void px_vfio_container_dump(const struct px_vfio_container *c, FILE *f)
{
	const struct px_vfio_dma_caps *k = &c->caps;

	if (!c->have_caps) {
		fprintf(f, "vfio: container with no group attached yet (%u extents deferred)\n",
			c->n);
		return;
	}
	fprintf(f, "vfio: backend %s\n", px_vfio_iommu_name(k->type));
	fprintf(f, "vfio: page sizes 0x%" PRIx64 "\n", k->pgsizes);
	for (uint32_t i = 0; i < k->nr_ranges; i++)
		fprintf(f, "vfio: usable IOVA 0x%" PRIx64 "-0x%" PRIx64 "\n", k->ranges[i].start,
			k->ranges[i].end);
	if (k->dma_avail == UINT32_MAX)
		fprintf(f, "vfio: DMA entries left: no limit reported\n");
	else
		fprintf(f, "vfio: DMA entries left: %u\n", k->dma_avail);
	fprintf(f, "vfio: unmap-all: %s, split-in-kernel: %s, maps: %s\n",
		k->unmap_all ? "yes" : "no", k->split ? "yes" : "no", k->maps ? "yes" : "no");
}

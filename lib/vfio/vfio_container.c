/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Containers: /dev/vfio/vfio, the API version and the IOMMU backend, the subscription to the
 * EAL's memory, groups joining (the first one sets the IOMMU up and the tracker's extents are
 * replayed into it) and leaving, and the close. The tracker itself is vfio_dma.c; the kernel
 * is reached only through c->ops (vfio_kernel.c, or a simulated kernel in the tests).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "vfio_private.h"

PX_LOG_REGISTER(vfio_logtype, "vfio", NOTICE)

pthread_mutex_t vfio_containers_lock = PTHREAD_MUTEX_INITIALIZER;
struct px_vfio_container *vfio_containers;

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

/* The first backend of the preference list the kernel offers (VFIO_CHECK_EXTENSION). */
static int choose_backend(int fd)
{
	for (unsigned int i = 0; i < PX_DIM(backends); i++)
		if (ioctl(fd, VFIO_CHECK_EXTENSION, backends[i].type) > 0)
			return (int)i;
	VFIO_LOG(ERR, "no usable IOMMU backend (type1, sPAPR TCE v2, noiommu): boot with "
		      "the IOMMU on (intel_iommu=on) or load vfio with "
		      "enable_unsafe_noiommu_mode=1");
	return -ENODEV;
}

struct px_vfio_container *vfio_container_new(int fd, const struct vfio_backend_ops *ops, void *priv)
{
	struct px_vfio_container *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->fd = fd;
	c->ops = ops;
	c->priv = priv;
	c->max_extents = VFIO_DMA_MAX_EXTENTS;
	c->reserve = VFIO_DMA_RESERVE;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_lock(&vfio_containers_lock);
	c->next = vfio_containers;
	vfio_containers = c;
	pthread_mutex_unlock(&vfio_containers_lock);
	return c;
}

void vfio_container_free(struct px_vfio_container *c)
{
	struct px_vfio_container **pp;

	pthread_mutex_lock(&vfio_containers_lock);
	for (pp = &vfio_containers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&vfio_containers_lock);
	if (c->ops->destroy)
		c->ops->destroy(c->priv);
	pthread_mutex_destroy(&c->lock);
	free(c->ext);
	free(c);
}

struct px_vfio_container *px_vfio_container_create(void)
{
	const struct vfio_backend_ops *ops;
	struct px_vfio_container *c;
	void *kb;
	int b, fd = open_container();

	if (fd < 0)
		return NULL;
	b = choose_backend(fd);
	if (b < 0) {
		errno = -b;
		goto close_fd;
	}
	ops = backends[b].ops;
	kb = vfio_kbackend_new(fd, backends[b].type);
	if (kb == NULL)
		goto close_fd;
	c = vfio_container_new(fd, ops, kb);
	if (c == NULL)
		goto destroy_kb;
	/* IOVAs of the EAL's memory inside every container's usable ranges, and each segment
	 * mapped once (the existing ones at once: registration replays them) (vfio_iova.c) */
	px_mem_iova_provider_set(vfio_iova_choose, NULL);
	errno = -px_mem_event_register(vfio_mem_event, c);
	if (errno) {
		VFIO_LOG(ERR, "container: mapping the EAL's memory: %s", strerror(errno));
		goto free_container;
	}
	VFIO_LOG(INFO, "container: backend %s", ops->name);
	return c;

free_container:
	vfio_container_free(c); /* destroys kb with the backend */
	goto close_fd;
destroy_kb:
	ops->destroy(kb);
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
	px_mem_event_unregister(vfio_mem_event, c);
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

int vfio_container_attach(struct px_vfio_container *c, int group_fd, int group_no,
			  struct px_vfio_group *g)
{
	struct px_mem_layout l;
	bool first, layout;
	int ret;

	/* before c->lock: the EAL's memory lock comes first */
	layout = vfio_mem.layout && vfio_mem.layout(&l) == 0;
	pthread_mutex_lock(&c->lock);
	ret = -ENOSPC;
	if (c->nr_groups == VFIO_MAX_GROUPS)
		goto unlock;
	ret = -EBUSY;
	if (c->attaching)
		goto unlock;
	first = c->nr_groups == 0;
	ret = c->ops->attach(c->priv, group_fd, first);
	if (ret)
		goto unlock;
	if (first) {
		ret = c->ops->caps(c->priv, &c->caps);
		if (ret == 0 && layout)
			ret = vfio_iova_window(c, &l);
		if (ret)
			goto detach_group;
		c->have_caps = true;
		/* The ranges are known: the EAL moves its unused memory inside them (events
		 * re-map it here, deferred: no group is counted yet), then everything is
		 * replayed. Without c->lock: the events take the memory lock first. */
		c->attaching = true;
		pthread_mutex_unlock(&c->lock);
		if (vfio_mem.refresh)
			vfio_mem.refresh();
		pthread_mutex_lock(&c->lock);
		c->attaching = false;
		ret = vfio_dma_replay(c);
		if (ret)
			goto detach_group;
	}
	c->groups[c->nr_groups++] = (struct vfio_group_ref){group_fd, group_no, g};
	pthread_mutex_unlock(&c->lock);
	return 0;

detach_group:
	c->ops->detach(c->priv, group_fd, first);
unlock:
	pthread_mutex_unlock(&c->lock);
	return ret;
}

void vfio_container_detach(struct px_vfio_container *c, int group_fd)
{
	pthread_mutex_lock(&c->lock);
	for (unsigned int i = 0; i < c->nr_groups; i++) {
		if (c->groups[i].fd != group_fd)
			continue;
		c->groups[i] = c->groups[--c->nr_groups];
		/* The last group out takes the kernel's IOMMU context and its mappings with it;
		 * the tracker keeps the extents to replay at the next attach. */
		c->ops->detach(c->priv, group_fd, c->nr_groups == 0);
		break;
	}
	pthread_mutex_unlock(&c->lock);
}

const struct px_vfio_dma_caps *px_vfio_container_caps(const struct px_vfio_container *c)
{
	return c->have_caps ? &c->caps : NULL;
}

void vfio_ranges_str(const struct px_vfio_container *c, char *buf, size_t sz)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < c->caps.nr_ranges && off < sz; i++)
		off += snprintf(buf + off, sz - off, "%s0x%" PRIx64 "-0x%" PRIx64, i ? ", " : "",
				c->caps.ranges[i].start, c->caps.ranges[i].end);
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

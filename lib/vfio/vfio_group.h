/* SPDX-License-Identifier: BSD-3-Clause */
/* Groups and devices, internal layout. Not installed. */
#ifndef VFIO_GROUP_H
#define VFIO_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#include "px_vfio.h"

struct px_vfio_group {
	struct px_vfio_container *c;
	int fd;
	int no;
	struct px_vfio_device *devices;
};

#define VFIO_MAX_BARS 6

struct px_vfio_device {
	struct px_vfio_group *g;
	struct px_vfio_device *next;
	int fd;
	char addr[32];
	struct vfio_device_info info;
	void *bar[VFIO_MAX_BARS];
	uint64_t bar_size[VFIO_MAX_BARS];
	int req_fd;
	/* Tests: map BARs as on a kernel without VFIO_REGION_INFO_CAP_MSIX_MAPPABLE (< 4.16), i.e.
	 * around the MSI-X table. */
	bool ignore_msix_mappable;
};

/* Region info with its capability chain (VFIO_DEVICE_GET_REGION_INFO), asked first with
 * @first_argsz bytes and again with what the kernel says it needs (at most 4 times, 64 KiB).
 * Returns the buffer (free it), its size in *len and the number of ioctls in *queries; NULL
 * with errno. */
struct vfio_region_info *vfio_region_info_query(int fd, const char *who, unsigned int index,
						uint32_t first_argsz, size_t *len,
						unsigned int *queries);

/* Fill @r from region info @buf of @len bytes, walking its capability chain. *@cap_ids gets a
 * bit per capability id seen (ids below 32). Refused with one log line naming the problem
 * (@who names the device): a chain starting inside the header or misaligned (-EPROTO), a cap
 * past argsz or the buffer (truncated, -EPROTO), a next offset that does not move forward
 * (loop, -ELOOP), a sparse cap with more areas than px_vfio_region holds (-E2BIG) or an area
 * outside the region (-EPROTO). */
int vfio_region_parse(const char *who, const void *buf, size_t len, struct px_vfio_region *r,
		      uint32_t *cap_ids);

/* The mmap-able areas of a BAR of @bar_size whose MSI-X table is [@tab_off, +@tab_len): the
 * pages before and after the page-aligned table (as vfio-pci listed them before 4.16). Fills
 * r->sparse and r->nr_sparse; returns the number of areas (0: no page is free of the table). */
unsigned int vfio_msix_areas(uint64_t bar_size, uint64_t page, uint64_t tab_off, uint64_t tab_len,
			     struct px_vfio_region *r);

#endif /* VFIO_GROUP_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/* Groups and devices, internal layout. Not installed. */
#ifndef VFIO_GROUP_H
#define VFIO_GROUP_H

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
};

#endif /* VFIO_GROUP_H */

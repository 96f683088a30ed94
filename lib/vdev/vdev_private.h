/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/vdev internals. Not installed. */
#ifndef VDEV_PRIVATE_H
#define VDEV_PRIVATE_H

#include <px_log.h>

extern int vdev_logtype;

#define VDEV_LOG(lvl, ...) PX_LOG(lvl, vdev_logtype, __VA_ARGS__)

#endif /* VDEV_PRIVATE_H */

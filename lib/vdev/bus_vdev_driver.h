/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vdev bus for the PMDs built into libpollux. Not installed for applications: they register
 * their own drivers with px_vdev_driver_register() or PX_VDEV_REGISTER (px_vdev.h).
 */
#ifndef BUS_VDEV_DRIVER_H
#define BUS_VDEV_DRIVER_H

#include "px_vdev.h"

/*
 * Define `void fn(void)`, which registers the built-in vdev PMD @p drv (a struct
 * px_vdev_driver): a driver's driver_init_<name>(), which px_eal_init() calls from the
 * generated driver table (drivers/CMakeLists.txt), or a function that one calls for a second
 * driver in its folder. As DPDK's RTE_PMD_REGISTER_VDEV, without a constructor.
 */
#define VDEV_DRIVER_INIT(fn, drv)                \
	void fn(void);                           \
	void fn(void)                            \
	{                                        \
		px_vdev_driver_register(&(drv)); \
	}

#endif /* BUS_VDEV_DRIVER_H */

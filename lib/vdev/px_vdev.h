/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_vdev.h
 * The virtual device bus: software ports created by name, as DPDK's --vdev.
 *
 * `--vdev net_null0,size=64,copy=1` asks for device "net_null0" with arguments "size=64,copy=1"
 * (px_kvargs.h gives the grammar). The device goes to the registered driver whose name is the
 * longest prefix of the device name ("net_null" takes "net_null0" and "net_null_a"). At
 * px_eal_init() the bus checks every --vdev (driver, argument keys, no two devices with one
 * name) before it probes any, then probes them in command-line order; px_eal_cleanup() removes
 * them in reverse order. px_vdev_init() and px_vdev_uninit() do the same at run time.
 */
#ifndef PX_VDEV_H
#define PX_VDEV_H

#include <px_kvargs.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

/** Longest device name, NUL included. */
#define PX_VDEV_NAME_MAX 64

/**
 * Create the device @p name. The driver keeps its state itself, found again by name.
 * @param name the device name, e.g. "net_null0"
 * @param args the parsed arguments; only keys of the driver's params are present. Valid during
 *             the call only.
 * @return 0, or a negative errno (the device is not created; log why)
 */
typedef int (*px_vdev_probe_t)(const char *name, const struct px_kvargs *args);

/**
 * Destroy the device @p name that probe created.
 * @return 0, or a negative errno (it is logged; the bus forgets the device anyway)
 */
typedef int (*px_vdev_remove_t)(const char *name);

/** A virtual device driver. */
struct px_vdev_driver {
	/** Name and device-name prefix, "net_" and the driver: "net_null". */
	const char *name;
	/** Its arguments, self-documenting: "size=<int> copy=<0|1> no-rx=<0|1>". Every
	 *  space-separated word is KEY=<what>; the keys are the only ones accepted. NULL or "":
	 *  the driver takes no arguments. */
	const char *params;
	px_vdev_probe_t probe;       /**< required */
	px_vdev_remove_t remove;     /**< may be NULL */
	struct px_vdev_driver *next; /**< internal */
};

/**
 * Register a driver (usually from PX_VDEV_REGISTER at start-up).
 * @param drv the driver; it must stay valid while registered
 * @return 0; -EINVAL when name or probe is missing, or params is not KEY=<...> words;
 *         -EEXIST when a driver with that name is registered
 */
int px_vdev_driver_register(struct px_vdev_driver *drv);

/**
 * Unregister a driver. Its devices must have been removed.
 * @return 0; -ENOENT when @p drv is not registered; -EBUSY when it still has devices
 */
int px_vdev_driver_unregister(struct px_vdev_driver *drv);

/** Register vdev driver @p drv (a struct px_vdev_driver) at start-up. */
#define PX_VDEV_REGISTER(drv)                                                 \
	__attribute__((constructor)) static void px_vdev_register_##drv(void) \
	{                                                                     \
		px_vdev_driver_register(&(drv));                              \
	}

/**
 * Create and probe a virtual device at run time.
 * @param name device name: letters, digits and '_', shorter than PX_VDEV_NAME_MAX
 * @param args its arguments ("key=value,..."), or NULL
 * @return 0; -EINVAL for a bad name or arguments (the log names the driver's keys); -ENODEV when
 *         no driver's name prefixes @p name (the log lists the drivers); -EEXIST when a device
 *         has that name; -ENOMEM; or what the driver's probe returned
 */
int px_vdev_init(const char *name, const char *args);

/**
 * Remove a virtual device.
 * @param name device name
 * @return 0; -ENOENT when there is no such device; or what the driver's remove returned (the
 *         device is gone all the same)
 */
int px_vdev_uninit(const char *name);

/** @return non-zero when a device called @p name exists (probed). */
int px_vdev_exists(const char *name);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_VDEV_H */

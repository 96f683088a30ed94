/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file px_pci.h
 * The PCI bus: devices found in sysfs, drivers matched by ID tables, probe of devices bound to
 * vfio-pci. Drivers see a device through this API only (BARs as pointers, config space,
 * interrupts as eventfds, DMA memory with its IOVA); they never touch VFIO file descriptors.
 */
#ifndef PX_PCI_H
#define PX_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The public API: exported from libpollux, where symbols are hidden by default. */
#pragma GCC visibility push(default)

#define PX_PCI_ANY_ID 0xffff
#define PX_PCI_MAX_BARS 6

/** A PCI address: domain:bus:device.function. */
struct px_pci_addr {
	uint32_t domain;
	uint8_t bus, devid, function;
};

/** One ID table entry; the table ends with an entry whose vendor_id is 0. */
struct px_pci_id {
	uint16_t vendor_id, device_id;
	uint16_t subsystem_vendor_id, subsystem_device_id; /**< PX_PCI_ANY_ID: any */
};

struct px_pci_driver;

/** A device found by the scan. */
struct px_pci_device {
	struct px_pci_addr addr;
	char name[16]; /**< "0000:00:02.0" */
	struct px_pci_id id;
	uint32_t class_id;          /**< class code, 0xCCSSPP */
	int numa_node;              /**< -1 when unknown */
	int iommu_group;            /**< -1 without one */
	char kdrv[32];              /**< the kernel driver it is bound to ("" when none) */
	void *bar[PX_PCI_MAX_BARS]; /**< mapped at probe (mmap-able BARs only) */
	uint64_t bar_len[PX_PCI_MAX_BARS];
	const struct px_pci_driver *driver; /**< set once probed */
	void *priv;                         /**< the driver's */
	struct px_pci_device *next;
};

/**
 * A PCI driver. probe returns 0 or -errno; remove undoes it. request (optional): the kernel
 * asks for the device back (hot unplug, unbind); the driver stops using it and tells its users,
 * who release it. lib/pci arms the request notifier for every device such a driver probed, and
 * the hook runs on the EAL's interrupt thread (px_intr.h); px_pci_req_register() takes the
 * device's requests over for the application instead.
 */
struct px_pci_driver {
	const char *name;
	const struct px_pci_id *id_table;
	int (*probe)(struct px_pci_driver *drv, struct px_pci_device *dev);
	int (*remove)(struct px_pci_device *dev);
	void (*request)(struct px_pci_device *dev);
	struct px_pci_driver *next;
};

/** Register a driver before px_eal_init(). It is matched before the PMDs built into libpollux. */
void px_pci_driver_register(struct px_pci_driver *drv);

/**
 * Remove a registered driver (while the EAL is not initialised: devices it probed are removed
 * by px_eal_cleanup()). For tests that register a driver of their own.
 * @return 0, or -ENOENT when @p drv is not registered
 */
int px_pci_driver_unregister(struct px_pci_driver *drv);

/** Parse "DDDD:BB:DD.F" or "BB:DD.F". @return 0 or -EINVAL. */
int px_pci_addr_parse(const char *s, struct px_pci_addr *a);

/** @return true when @p id matches table entry @p t. */
bool px_pci_id_match(const struct px_pci_id *t, const struct px_pci_id *id);

/** @return the first scanned device, or NULL (iterate with ->next; the list is in bus order:
 * domain, bus, device, function, and so is the probe, as in DPDK). */
struct px_pci_device *px_pci_devices(void);

/** Scan @p sysfs_devices (normally /sys/bus/pci/devices) into the device list. 0 or -errno. */
int px_pci_scan_dir(const char *sysfs_devices);

/** Config space access of a probed device. @return 0 or -errno. */
int px_pci_cfg_read(struct px_pci_device *dev, uint64_t off, void *buf, size_t len);
int px_pci_cfg_write(struct px_pci_device *dev, uint64_t off, const void *buf, size_t len);

/**
 * Route @p n MSI-X vectors (or MSI, or INTx when MSI-X is absent) to eventfds, created here.
 * @param fds receives the eventfds, one per vector
 * @return 0 or -errno
 */
int px_pci_intr_enable(struct px_pci_device *dev, unsigned int n, int *fds);
/** Disable the device's interrupts and close the eventfds. */
void px_pci_intr_disable(struct px_pci_device *dev);

/** Reset the device (VFIO_DEVICE_RESET). @return 0, -ENOTSUP or -errno. */
int px_pci_reset(struct px_pci_device *dev);

/* ---- Device requests: the kernel wants a device back (unbind from vfio-pci, hot unplug) ----
 *
 * The kernel cannot take a device away from a process: an unbind or unplug blocks until the
 * process closes the device, and meanwhile the kernel signals the device-request interrupt
 * (VFIO_PCI_REQ_IRQ_INDEX), again every 10 s. A device probed by a driver with a request
 * hook (every PMD: the port raises PX_ETH_EVENT_INTR_RMV, and closing it releases the device)
 * is watched on the EAL's interrupt thread. To handle requests itself, an application arms
 * px_pci_req_register() for the device and waits, either by calling px_pci_req_poll() from a
 * control thread or by adding px_pci_req_fd() to its own epoll loop and calling
 * px_pci_req_poll(0) when it is readable. The callback runs there; it stops whatever uses the
 * device (every lcore!) and calls px_pci_release(), after which the kernel completes the
 * unbind. */

/** Called from px_pci_req_poll() when the kernel asks for @p dev back. */
typedef void (*px_pci_req_cb_t)(struct px_pci_device *dev, void *arg);

/**
 * Be told when the kernel asks for @p dev back: arms the device-request notifier.
 * @p cb NULL disarms it.
 * @return 0, -ENODEV (not probed or released), -ENOTSUP (the kernel has no request
 *         interrupt for it), or -errno.
 */
int px_pci_req_register(struct px_pci_device *dev, px_pci_req_cb_t cb, void *arg);

/** @return an epoll fd, readable while a request is pending (for the application's loop), or
 *          -errno. Owned by lib/pci: do not close it. */
int px_pci_req_fd(void);

/**
 * Wait up to @p timeout_ms (0: do not wait, -1: forever) for device requests and call the
 * callback of each device that has one pending (once, however many times the kernel asked).
 * @return the number of callbacks called, or -errno.
 */
int px_pci_req_poll(int timeout_ms);

/**
 * Give a device back to the kernel: the driver's remove(), interrupts off, BARs unmapped,
 * the VFIO device closed. When it was the last open device of its IOMMU group, the group is
 * detached from its container as well (the kernel does that itself when the device leaves
 * vfio-pci) and a container of the group's own (sPAPR) is destroyed; the DMA maps of every
 * other group stay. The px_pci_device stays in the list with driver and bar[] NULL;
 * px_pci_cfg_read() and the like return -ENODEV. Call it only when nothing uses the device.
 * @return 0, or -ENODEV when it is not open.
 */
int px_pci_release(struct px_pci_device *dev);

/**
 * Look at the bus again (after a hot plug): devices new in sysfs are added, and those not
 * open (new, or released earlier and back, e.g. unplugged and plugged again) are probed when
 * a driver matches, they are bound to vfio-pci and allowed by -a/-b; a device not bound to
 * vfio-pci is named with the px-devbind command that binds it.
 * @return the number of devices probed, or -errno (the first probe that failed)
 */
int px_pci_rescan(void);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* PX_PCI_H */

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

/** A PCI driver. probe returns 0 or -errno; remove undoes it. */
struct px_pci_driver {
	const char *name;
	const struct px_pci_id *id_table;
	int (*probe)(struct px_pci_driver *drv, struct px_pci_device *dev);
	int (*remove)(struct px_pci_device *dev);
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

/** @return the first scanned device, or NULL (iterate with ->next). */
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

#ifdef __cplusplus
}
#endif

#endif /* PX_PCI_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PCI bus for the PMDs built into libpollux. Not installed for applications: they register
 * their own drivers with px_pci_driver_register() (px_pci.h).
 */
#ifndef BUS_PCI_DRIVER_H
#define BUS_PCI_DRIVER_H

#include "px_pci.h"

/* Register a built-in PMD: it goes to the end of the list, so a driver the application
 * registers itself (before or after px_eal_init()) is matched first. Called from the driver's
 * driver_init_<name>(), which px_eal_init() calls from the generated driver table. */
void pci_driver_register_builtin(struct px_pci_driver *drv);

/* PCI_COMMAND.MASTER on or off: the device may DMA only while it is set.
 * @return 0 or -errno */
int pci_bus_master(struct px_pci_device *dev, bool on);

/* The device arguments given with the device's -a ("-a 0000:00:03.0,key=val,..."): the text
 * after the address's comma, or NULL when there are none. Valid until px_eal_cleanup(). */
const char *pci_devargs(const struct px_pci_device *dev);

#endif /* BUS_PCI_DRIVER_H */

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

#endif /* BUS_PCI_DRIVER_H */

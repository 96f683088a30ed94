/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/pci internals for tests. Not installed. */
#ifndef PCI_PRIVATE_H
#define PCI_PRIVATE_H

#include <px_pci.h>
#include <px_vfio.h>

/* The VFIO container holding @dev's IOMMU group (its DMA maps), or NULL. */
struct px_vfio_container *pci_container_of(const struct px_pci_device *dev);

#endif /* PCI_PRIVATE_H */

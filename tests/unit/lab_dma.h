/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Two e1000e on vfio-pci probed by lib/pci with the EAL, driven by raw register writes
 * (test_vfio_lab_dma.c); shared with the device tests of test_vfio_lab_dev.c.
 */
#ifndef LAB_DMA_H
#define LAB_DMA_H

#include <stddef.h>
#include <stdint.h>

#include <px_memzone.h>
#include <px_pci.h>

struct e1000e_tx_desc; /* e1000e_regs.h */
struct e1000e_rx_desc;

/* The ports' BAR0, a memzone with both rings, one TX buffer and the RX buffers. */
struct dma_lab {
	const struct px_memzone *mz;
	/* reserved before mz (vfio_lab_dma_high_autotest), or NULL */
	const struct px_memzone *filler;
	volatile uint32_t *bar[2]; /* set to NULL for a port released during the test */
	volatile struct e1000e_tx_desc *txr;
	volatile struct e1000e_rx_desc *rxr;
	uint8_t *txb, *rxb;
};

/* The two ports probed, in probe order (port 0 sends, port 1 receives). */
extern struct px_pci_device *lab_dma_ports[2];

/* Skip (77) without two NICs on vfio-pci; else set up (EAL, probe, memzone, both ports reset
 * with link up), run @body and tear down whatever @body returned. */
int lab_dma_run(int (*body)(struct dma_lab *), const char *name);
/* Send a fresh frame 0 -> 1 and compare the bytes received. PX_TEST_OK or PX_TEST_FAILED. */
int lab_dma_send_and_compare(struct dma_lab *l, uint8_t seed);
/* Software reset (CTRL.RST) and link up; 0 or -errno. */
int lab_dma_port_reset(volatile uint32_t *bar);
/* Memory space and bus mastering on in PCI_COMMAND; 0 or -errno. */
int lab_dma_bus_master(struct px_pci_device *dev);

/* The first device bound to vfio-pci, into @addr; -ENODEV when there is none
 * (test_vfio_lab_irq.c). */
int lab_first_vfio_pci(char *addr, size_t sz);

#endif /* LAB_DMA_H */

# Device regions (checklist case 19), reset and device-request (case 21) in the lab
# (tests/unit/test_vfio_lab_dev.c, docs/vfio.md "Regions" and "Reset and device requests").
# Case 19: BAR3 of an e1000e (its MSI-X table) asked with a header-only argsz, re-queried for its
# capability chain, mapped as the kernel allows and, as on a kernel without MSIX_MAPPABLE,
# around the table; the rest through the region's file offset.
px_add_lab_test(NAME lab_<arch>_vfio_region ARCH all COMMAND px-test vfio_lab_region_autotest)
# Case 21: VFIO_DEVICE_RESET of both ports with DMA maps live; then another process unbinds the
# second port from vfio-pci: the request interrupt fires (twice: the kernel asks again after
# 10 s), the device is released, the unbind completes, the maps stay. The port is bound back to
# vfio-pci and vfio_lab_dma_autotest shows both ports work again.
px_add_lab_test(NAME lab_<arch>_vfio_reset_req ARCH all TIMEOUT 300
                COMMAND px-test vfio_lab_reset_autotest vfio_lab_req_autotest vfio_lab_dma_autotest)

# IOVA placement and sPAPR DMA windows in the lab (issue 5, docs/vfio.md "IOVAs of the EAL's
# memory"). vfio_lab_dma_autotest and vfio_lab_dma_isolation_autotest (CMakeLists.txt) run in va mode.
#
# DMA memory larger than sPAPR's default 1 GiB window: a 2 GiB guest with 640 hugepages, the
# EAL reserves 1200 MiB (-m) and the rings and buffers sit above its first GiB; a frame must
# still cross from one e1000e to the other. On ppc64le lib/vfio replaces the default window
# with one that holds the whole arena; elsewhere IOVA = VA. The _noddw variant boots with
# disable_ddw (used by lab tests with virtio NICs and by the shared-PHB test): VFIO's windows
# must work there too.
function(_px_lab_iova_test name arch)
    _px_lab_build_fixture(${arch})
    add_test(NAME ${name}
        COMMAND "${PX_LAB_RUN}" --arch ${arch} --nics e1000e,e1000e --mem 2048 ${ARGN}
                --build-dir "${PROJECT_BINARY_DIR}/lab-${arch}"
                --timeout ${PX_LAB_TIMEOUT}
                -- "echo 640 > /proc/sys/vm/nr_hugepages && px-test vfio_lab_dma_high_autotest")
    math(EXPR _t "${PX_LAB_TIMEOUT} + 30")
    set_tests_properties(${name} PROPERTIES
        LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
        SKIP_RETURN_CODE 77 TIMEOUT ${_t})
endfunction()

if(PX_LAB)
    foreach(arch IN LISTS PX_LAB_ARCHES)
        _px_lab_iova_test(lab_${arch}_vfio_iova_high ${arch})
    endforeach()
    if("ppc64le" IN_LIST PX_LAB_ARCHES)
        _px_lab_iova_test(lab_ppc64le_vfio_iova_high_noddw ppc64le --append disable_ddw)
    endif()
endif()

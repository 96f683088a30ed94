# DPDK's own examples/skeleton (dpdk-doc), copied untouched and built by its Makefile against the
# lab build's libdpdk.pc (compat/dpdk; static, each arch's compiler), forwarding between two
# e1000e NICs in the lab: the guest kernel's e1000e on a third and fourth NIC send ARP requests
# and answers through it, counted at both far ends (tests/compat/lab_example.sh; 77 without
# dpdk-doc). One boot per arch.
if(PX_LAB)
    foreach(arch IN LISTS PX_LAB_ARCHES)
        _px_lab_build_fixture(${arch})
        add_test(NAME lab_${arch}_dpdk_skeleton
            COMMAND ${PROJECT_SOURCE_DIR}/tests/compat/lab_example.sh skeleton ${arch}
                    ${PROJECT_BINARY_DIR}/lab-${arch})
        math(EXPR _t "${PX_LAB_TIMEOUT} + 60")
        set_tests_properties(lab_${arch}_dpdk_skeleton PROPERTIES
            LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
            SKIP_RETURN_CODE 77 TIMEOUT ${_t})
    endforeach()
endif()

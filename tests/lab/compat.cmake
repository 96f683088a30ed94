# DPDK's own examples skeleton and link_status_interrupt (dpdk-doc), copied untouched and built
# by their Makefiles against the lab build's libdpdk.pc (compat/dpdk; static, each arch's
# compiler), each forwarding between two e1000e NICs in one lab boot: the guest kernel's e1000e
# on a third and fourth NIC send frames through them, counted at both far ends, and QEMU's
# set_link must reach link_status_interrupt's LSC callback (tests/compat/lab_example.sh; 77
# without dpdk-doc). One boot per arch, ~50 s.
if(PX_LAB)
    foreach(arch IN LISTS PX_LAB_ARCHES)
        _px_lab_build_fixture(${arch})
        add_test(NAME lab_${arch}_dpdk_examples
            COMMAND ${PROJECT_SOURCE_DIR}/tests/compat/lab_example.sh ${arch}
                    ${PROJECT_BINARY_DIR}/lab-${arch})
        math(EXPR _t "${PX_LAB_TIMEOUT} + 60")
        set_tests_properties(lab_${arch}_dpdk_examples PROPERTIES
            LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
            SKIP_RETURN_CODE 77 TIMEOUT ${_t})
    endforeach()
endif()

# A QEMU guest as net_vhost's frontend (docs/vhost.md): the guest kernel's virtio_net on two
# vhost-user NICs (run.sh --net vhost-user) whose backends are net_vhost ports of two px-fwd
# processes on the host (this build's): 100 pings to icmpecho with 0 % loss and pings up to
# 9000-byte frames; UDP datagrams of 1..8972 bytes (and 9000..20000, fragmented) through 5tswap
# and back, byte for byte (px-lab-udp). tests/lab/vhost_user_guest.sh. One boot per arch.
if(PX_LAB AND TARGET px-fwd)
    foreach(arch IN LISTS PX_LAB_ARCHES)
        _px_lab_build_fixture(${arch})
        add_test(NAME lab_${arch}_vhost_user_guest
            COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/vhost_user_guest.sh ${arch}
                    ${PROJECT_BINARY_DIR}/lab-${arch} $<TARGET_FILE:px-fwd>)
        math(EXPR _t "${PX_LAB_TIMEOUT} + 30")
        set_tests_properties(lab_${arch}_vhost_user_guest PROPERTIES
            LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
            ENVIRONMENT "PX_LAB_TIMEOUT=${PX_LAB_TIMEOUT}"
            SKIP_RETURN_CODE 77 TIMEOUT ${_t})
    endforeach()
endif()

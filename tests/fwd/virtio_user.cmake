# net_virtio_user against DPDK 22.11's dpdk-testpmd on net_vhost (virtio_user.sh: needs
# dpdk-testpmd and free hugepages, else skipped). Included by CMakeLists.txt.
if(TARGET px_net_virtio)
    fwd_cases(virtio_user.sh virtio_user SERIAL CASES
              tx_split tx_packed tx_jumbo tx_jumbo_packed rx_split rx_packed rx_jumbo
              rx_jumbo_packed rx_mrg_off tx_split_ooo tx_jumbo_ooo rx_split_ooo rx_jumbo_ooo
              tx_packed_ooo rx_jumbo_packed_ooo
              tx_2q tx_2q_packed rx_2q rx_2q_packed restart
              restart_packed restart_kill bad_devargs)
    add_executable(virtio-user-intr-test test_virtio_user_intr.c)
    target_compile_definitions(virtio-user-intr-test PRIVATE _GNU_SOURCE)
    target_link_libraries(virtio-user-intr-test PRIVATE pollux_static)
    add_test(NAME fwd_virtio_user_rx_intr
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/virtio_user.sh $<TARGET_FILE:px-fwd> rx_intr
                     $<TARGET_FILE:virtio-user-intr-test>)
    set_tests_properties(fwd_virtio_user_rx_intr PROPERTIES LABELS fast SKIP_RETURN_CODE 77
                         RUN_SERIAL ON)
endif()

# net_af_xdp on a veth pair in a network namespace the test makes (af_xdp.sh; root, iproute2
# and AF_XDP, else skipped): the kernel's raw sockets, its ping and DPDK's dpdk-testpmd as the
# peers; test_af_xdp_ctl.c through the ethdev API. Included by CMakeLists.txt.
if(TARGET px_net_af_xdp)
    fwd_cases(af_xdp.sh af_xdp SERIAL CASES
              tx_to_kernel rx_from_kernel modes echo rxonly_check io io_2q spread_2q icmpecho testpmd_tx testpmd_rx
              xdp_prog bad_prog pool_too_small queue_busy tx_backlog bad_devargs)
    add_executable(af-xdp-ctl-test test_af_xdp_ctl.c)
    target_compile_definitions(af-xdp-ctl-test PRIVATE _GNU_SOURCE)
    target_link_libraries(af-xdp-ctl-test PRIVATE pollux_static)
    add_test(NAME fwd_af_xdp_ctl
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/af_xdp.sh $<TARGET_FILE:px-fwd> ctl
                     $<TARGET_FILE:af-xdp-ctl-test>)
    set_tests_properties(fwd_af_xdp_ctl PROPERTIES LABELS fast SKIP_RETURN_CODE 77 RUN_SERIAL ON)
endif()

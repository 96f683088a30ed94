# net_vhost against a vhost-user frontend in another process (vhost.sh): DPDK 22.11's
# dpdk-testpmd on net_virtio_user (dpdk_*, else 77), Pollux's own net_virtio_user (pollux_*).
# No root needed. Included by CMakeLists.txt.
if(TARGET px_net_virtio)
    fwd_cases(vhost.sh vhost SERIAL CASES
              dpdk_tx_split dpdk_tx_packed dpdk_tx_split_2q dpdk_tx_packed_2q dpdk_tx_split_jumbo
              dpdk_tx_packed_jumbo dpdk_rx_split dpdk_rx_packed dpdk_rx_split_nomrg
              dpdk_rx_packed_nomrg dpdk_rx_split_2q dpdk_rx_packed_2q dpdk_rx_split_jumbo
              dpdk_rx_packed_jumbo dpdk_restart_split dpdk_restart_packed dpdk_reconnect_client bad_devargs
              pollux_split pollux_packed pollux_split_nomrg pollux_packed_nomrg pollux_split_2q
              pollux_packed_2q pollux_split_jumbo pollux_packed_jumbo pollux_split_ooo
              pollux_split_nomrg_ooo pollux_split_jumbo_ooo pollux_packed_ooo)
endif()

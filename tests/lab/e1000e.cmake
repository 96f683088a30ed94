# The e1000e PMD (docs/e1000e.md) on two 82574L ports that share one hub, every arch.
px_add_lab_test(NAME lab_<arch>_e1000e ARCH all
                COMMAND px-test e1000e_txrx_autotest e1000e_stopstart_autotest
                        e1000e_promisc_autotest e1000e_rx_intr_autotest e1000e_lsc_autotest
                        e1000e_jumbo_autotest e1000e_cksum_autotest
                        e1000e_dma_isolation_autotest e1000e_mac_filter_autotest)
# px-fwd txonly on one port: 500 frames of 64 bytes must be fetched by the device (tx_bytes is
# the hardware's GOTC; QEMU 7.2 leaves the FCS out of it). This one runs --iova-mode=pa (IOVA =
# guest-physical address) so that mode is proven end to end too; the others use the default va.
px_add_lab_test(NAME lab_<arch>_e1000e_fwd_txonly ARCH all
                COMMAND "p=\${PX_LAB_PORTS%% *}; px-fwd -l 0-1 -m 64 --iova-mode=pa -a $p -- --forward-mode=txonly --tx-max=500 --duration=3 --rxd=128 --txd=128 --total-num-mbufs=512 --stats-json=/tmp/s.json || exit 1; cat /tmp/s.json; grep -q '\"tx_packets\": 500,.*\"tx_bytes\": 32000,' /tmp/s.json")
# A real, independent peer: the kernel's e1000e on the second port (MTU 9000) pings Pollux's
# icmpecho on the first (ARP and ICMP both ways): 100 echo requests, 0 % loss, with px-fwd's
# defaults (MTU 1500, one 2 KiB buffer per frame); then px-fwd again with --max-pkt-len=9018
# --enable-scatter (MTU 9000 through ethdev's configure, scattered RX, the reply a TX chain) and
# 5 jumbo pings of 8972 bytes, 0 % loss. Busybox's ping has no -M do; the kernel's default
# (IP_PMTUDISC_WANT) sends a 9000-byte packet unfragmented at MTU 9000 with DF set, and px-fwd's
# counters prove it: at most 7 frames (the 5 requests and ARP) of 5 x 9014 bytes or more.
px_add_lab_test(NAME lab_<arch>_e1000e_kernel_ping ARCH all
                COMMAND "set -e; p0=\${PX_LAB_PORTS%% *}; p1=\${PX_LAB_PORTS##* }; ifc=$(px-lab-kbind --up $p1 e1000e); ip addr add 10.9.0.1/24 dev $ifc; ip link set dev $ifc mtu 9000; fwd() { exec px-fwd -l 0-1 -m 64 -a $p0 -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --duration=60 --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=512 \"$@\"; }; up() { i=0; until [ \"$(cat /sys/class/net/$ifc/carrier)\" = 1 ]; do [ $i -lt 100 ] || return 1; i=$((i+1)); sleep 0.1; done; }; fwd --enable-rx-cksum >/tmp/fwd.log 2>&1 & f=$!; sleep 3; up; ping -c 100 -i 0.1 -W 2 10.9.0.2 >/tmp/ping.log || true; kill -TERM $f; r1=0; wait $f || r1=$?; fwd --max-pkt-len=9018 --enable-scatter --stats-json=/tmp/j.json >/tmp/fwdj.log 2>&1 & f=$!; sleep 3; ping -c 5 -i 0.2 -W 2 -s 8972 10.9.0.2 >/tmp/pj.log || true; kill -TERM $f; r2=0; wait $f || r2=$?; cat /tmp/ping.log /tmp/fwd.log /tmp/pj.log /tmp/fwdj.log /tmp/j.json; set -- $(sed -n 's/.*\"rx_packets\": \\([0-9]*\\),.*\"rx_bytes\": \\([0-9]*\\),.*/\\1 \\2/p' /tmp/j.json); echo \"px-fwd rc $r1 $r2; jumbo run: $1 frames, $2 bytes received\"; [ $r1 = 0 ] && [ $r2 = 0 ] && grep -q '100 packets transmitted, 100 packets received, 0% packet loss' /tmp/ping.log && grep -q '5 packets transmitted, 5 packets received, 0% packet loss' /tmp/pj.log && [ $1 -ge 5 ] && [ $1 -le 7 ] && [ $2 -ge 45070 ]")
# ppc64le with both ports behind one PHB, so in one IOMMU group: the two-port tests run there
# too (the default placement, one PHB per NIC, needs a container per group in lib/pci).
# px_add_lab_test has no per-test QEMU arguments, so this one is added directly.
if(PX_LAB AND "ppc64le" IN_LIST PX_LAB_ARCHES)
    set(_e1k_nic "")
    foreach(i 0 1)
        list(APPEND _e1k_nic --qemu-arg -netdev --qemu-arg hubport,id=p${i},hubid=0
                             --qemu-arg -device --qemu-arg e1000e,netdev=p${i},romfile=,bus=pci.0)
    endforeach()
    add_test(NAME lab_ppc64le_e1000e_one_group
        COMMAND "${PX_LAB_RUN}" --arch ppc64le --nics none ${_e1k_nic}
                --build-dir "${PROJECT_BINARY_DIR}/lab-ppc64le" --timeout ${PX_LAB_TIMEOUT}
                -- px-test e1000e_txrx_autotest e1000e_stopstart_autotest
                   e1000e_promisc_autotest e1000e_rx_intr_autotest e1000e_lsc_autotest
                   e1000e_jumbo_autotest e1000e_cksum_autotest
                   e1000e_dma_isolation_autotest e1000e_mac_filter_autotest)
    math(EXPR _e1k_timeout "${PX_LAB_TIMEOUT} + 30")
    set_tests_properties(lab_ppc64le_e1000e_one_group PROPERTIES
        LABELS "lab;lab-ppc64le" FIXTURES_REQUIRED lab_ppc64le_build
        SKIP_RETURN_CODE 77 TIMEOUT ${_e1k_timeout})
endif()
# px-fwd io forwarding in both directions between the two e1000e ports (one hub): 2 x 32 frames
# put on the wire with --tx-first keep circulating; both ports must receive and forward them
# all, none dropped.
px_add_lab_test(NAME lab_<arch>_e1000e_fwd_io ARCH all
                COMMAND "set -- $PX_LAB_PORTS; px-fwd -l 0-1 -m 64 -a $1 -a $2 -- --forward-mode=io --tx-first --duration=4 --stats-period=1 --rxd=128 --txd=128 --total-num-mbufs=640 --stats-json=/tmp/io.json || exit 1; cat /tmp/io.json; [ $(grep -c '\"drops\": 0,' /tmp/io.json) = 2 ] && sed -n 's/.*\"rx_packets\": \\([0-9]*\\),.*/\\1/p' /tmp/io.json | awk '$1 < 1000 { bad = 1 } END { exit NR != 2 || bad }'")
# px-fwd txonly on port 0 and rxonly --check on port 1, two processes (two EALs, --file-prefix):
# all 2000 frames counted by the receiver, each one's payload checked and every sequence number
# seen exactly once (QEMU's hub may reorder a few: docs/fwd.md).
px_add_lab_test(NAME lab_<arch>_e1000e_fwd_tx_rx ARCH all
                COMMAND "set -- $PX_LAB_PORTS; px-fwd -l 0 -m 32 --file-prefix rx -a $2 -- --forward-mode=rxonly --check --duration=8 --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=512 --stats-json=/tmp/rx.json > /tmp/rx.log 2>&1 & r=$!; sleep 3; px-fwd -l 1 -m 32 --file-prefix tx -a $1 -- --forward-mode=txonly --tx-max=2000 --duration=3 --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=512 --stats-json=/tmp/tx.json; t=$?; wait $r; rc=$?; cat /tmp/rx.log /tmp/tx.json /tmp/rx.json; [ $t = 0 ] && [ $rc = 0 ] && grep -q '\"tx_packets\": 2000,' /tmp/tx.json && grep -q '\"rx_packets\": 2000,.*\"rx_bad\": 0,' /tmp/rx.json")
# Hot unplug and plug (e1000e_hotplug_autotest): the second NIC sits in a hot-pluggable slot
# (_px_lab_hotplug_slot: a PCIe root port, on pseries a PHB) so that QEMU's device_del and
# device_add (px-lab-monitor) can take it away and give it back while the first keeps working.
function(_px_lab_hotplug_test arch)
    _px_lab_build_fixture(${arch})
    _px_lab_hotplug_slot(${arch} _slot _bus)
    set(_dev e1000e,netdev=hp1,id=nic1,bus=${_bus},romfile=)
    add_test(NAME lab_${arch}_e1000e_hotplug
        COMMAND "${PX_LAB_RUN}" --arch ${arch} --nics e1000e ${_slot}
                --qemu-arg -netdev --qemu-arg hubport,id=hp1,hubid=0
                --qemu-arg -device --qemu-arg ${_dev}
                --build-dir "${PROJECT_BINARY_DIR}/lab-${arch}" --timeout ${PX_LAB_TIMEOUT}
                -- "PX_LAB_HOTPLUG='nic1 ${_dev}' px-test e1000e_hotplug_autotest")
    math(EXPR _t "${PX_LAB_TIMEOUT} + 30")
    set_tests_properties(lab_${arch}_e1000e_hotplug PROPERTIES
        LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
        SKIP_RETURN_CODE 77 TIMEOUT ${_t})
endfunction()
if(PX_LAB)
    foreach(arch x86_64 aarch64 ppc64le)
        if(arch IN_LIST PX_LAB_ARCHES)
            _px_lab_hotplug_test(${arch})
        endif()
    endforeach()
endif()
# px-dumpcap on e1000e (docs/dumpcap.md): px-fwd icmpecho on the first port answers 20 pings of
# the kernel's e1000e on the second while px-dumpcap (the static build, without -f, which it
# refuses) captures the port; the pcapng comes back over the console and capinfos and tshark
# read it on the host: every packet px-fwd counted, in its direction (tests/telemetry/lab_dumpcap.sh).
if(PX_LAB)
    foreach(arch IN LISTS PX_LAB_ARCHES)
        _px_lab_build_fixture(${arch})
        add_test(NAME lab_${arch}_e1000e_dumpcap
            COMMAND ${PROJECT_SOURCE_DIR}/tests/telemetry/lab_dumpcap.sh ${arch}
                    ${PROJECT_BINARY_DIR}/lab-${arch})
        math(EXPR _t "${PX_LAB_TIMEOUT} + 30")
        set_tests_properties(lab_${arch}_e1000e_dumpcap PROPERTIES
            LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
            SKIP_RETURN_CODE 77 TIMEOUT ${_t})
    endforeach()
endif()

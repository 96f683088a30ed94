# px-fwd's testpmd options, engines and interactive prompt (docs/fwd.md): included by
# tests/fwd/CMakeLists.txt. opts.sh: each option's effect in --stats-json or px-fwd's output, and
# refusals with exit 2 naming the port and the capability; the engines' frames byte by byte
# through net_pcap files where net_pcap is built. prompt.py: every prompt command through a pty.
set(fwd_has_pcap "")
if(TARGET px_net_pcap)
    set(fwd_has_pcap 1)
endif()
set(fwd_opt_cases jumbo offloads portmask topology record nb_cores csum_ring 5tswap_ring csum 5tswap
                  flowgen bad_values)
if(TARGET px_net_tap) # the kernel's jumbo ping through a tap (root, else 77)
    list(APPEND fwd_opt_cases jumbo_ping_tap csum_offload_tap)
endif()
foreach(c ${fwd_opt_cases})
    add_test(NAME fwd_opt_${c} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/opts.sh $<TARGET_FILE:px-fwd> ${c})
    set_tests_properties(fwd_opt_${c} PROPERTIES LABELS fast SKIP_RETURN_CODE 77
                         ENVIRONMENT "PX_FWD_HAS_PCAP=${fwd_has_pcap}")
endforeach()
if(TARGET px_net_tap)
    set_tests_properties(fwd_opt_jumbo_ping_tap fwd_opt_csum_offload_tap PROPERTIES RUN_SERIAL ON)
endif()
foreach(c commands errors topology auto_start)
    add_test(NAME fwd_prompt_${c}
             COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/prompt.py $<TARGET_FILE:px-fwd> ${c})
    set_tests_properties(fwd_prompt_${c} PROPERTIES LABELS fast SKIP_RETURN_CODE 77)
endforeach()
# txonly and rxonly --check over chains of segments (--enable-scatter), on a port over one
# ring: no software port has RX scatter to run it end to end.
fwd_engine_test(fwd-scatter-test test_fwd_scatter.c)
add_test(NAME fwd_scatter_chains COMMAND fwd-scatter-test -l 0-1 --no-huge -m 64)
set_tests_properties(fwd_scatter_chains PROPERTIES LABELS fast)

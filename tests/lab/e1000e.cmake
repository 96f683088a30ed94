# The e1000e PMD (docs/e1000e.md) on two 82574L ports that share one hub, every arch.
px_add_lab_test(NAME lab_<arch>_e1000e ARCH all
                COMMAND px-test e1000e_txrx_autotest e1000e_stopstart_autotest
                        e1000e_promisc_autotest)

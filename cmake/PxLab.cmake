# PxLab.cmake - CTest tests that run inside the lab (tools/lab/run.sh): Debian's
# kernel under QEMU with a virtual IOMMU and emulated NICs bound to vfio-pci.
#
#   include(PxLab)                 # after enable_testing()
#   px_add_lab_smoke_tests()       # lab_<arch>_smoke for every arch in PX_LAB_ARCHES
#   px_add_lab_test(NAME lab_x86_64_eal ARCH x86_64 NICS e1000e e1000e
#                   COMMAND px-test eal_vfio)
#   px_add_lab_test(NAME lab_<arch>_vfio_dma ARCH all COMMAND px-test vfio_dma)
#
# Every lab test is labelled "lab" and "lab-<arch>", exits 77 (skipped) when the
# lab cannot be set up on this machine, and requires the fixture test
# lab_<arch>_build, which fetches the guest kernel (once, into the lab cache)
# and builds Pollux for <arch> (static, PX_NUMA=OFF) in ${PROJECT_BINARY_DIR}/lab-<arch>.
# So each architecture's guest is built once per ctest run, however many tests use it.
#
# Run:   ctest -L lab            (or -L lab-aarch64 for one architecture)
# Skip:  ctest -LE lab, or PX_LAB_SKIP=1 ctest (every lab test exits 77 at once),
#        or configure with -DPX_LAB=OFF (no lab tests at all).

include_guard(GLOBAL)

set(_px_lab_default ON)
if(CMAKE_CROSSCOMPILING OR NOT CMAKE_HOST_SYSTEM_NAME STREQUAL "Linux")
    set(_px_lab_default OFF)
endif()
option(PX_LAB "Register lab tests (QEMU guests with VFIO, see docs/lab.md)" ${_px_lab_default})
set(PX_LAB_ARCHES "x86_64;aarch64;ppc64le" CACHE STRING
    "Architectures whose lab tests are registered (x86_64, aarch64, ppc64le)")
set(PX_LAB_TIMEOUT 120 CACHE STRING "Default time limit of one lab boot, in seconds")
set(PX_LAB_BUILD_TIMEOUT 1800 CACHE STRING
    "Time limit of lab_<arch>_build (first fetch of the guest plus the cross build), in seconds")

set(PX_LAB_RUN "${CMAKE_CURRENT_LIST_DIR}/../tools/lab/run.sh")
get_filename_component(PX_LAB_RUN "${PX_LAB_RUN}" ABSOLUTE)

# The fixture that fetches and builds the guest for <arch>; added once per
# project, whichever directory asks first (if(TEST) sees one directory only).
function(_px_lab_build_fixture arch)
    get_property(done GLOBAL PROPERTY _PX_LAB_FIXTURE_${arch})
    if(done)
        return()
    endif()
    set_property(GLOBAL PROPERTY _PX_LAB_FIXTURE_${arch} ON)
    add_test(NAME lab_${arch}_build
        COMMAND "${PX_LAB_RUN}" --arch ${arch} --build-only
                --build-dir "${PROJECT_BINARY_DIR}/lab-${arch}")
    set_tests_properties(lab_${arch}_build PROPERTIES
        LABELS "lab;lab-${arch}"
        FIXTURES_SETUP lab_${arch}_build
        SKIP_RETURN_CODE 77
        TIMEOUT ${PX_LAB_BUILD_TIMEOUT}
        # Builds of different architectures share the host's two cores and apt.
        RESOURCE_LOCK px_lab_build)
endfunction()

# px_add_lab_test(NAME <name> ARCH <arch>... [NICS <model>...] [TIMEOUT <s>]
#                 [RUN_ARGS <run.sh option>...] COMMAND <guest command>...)
# ARCH: one or more of x86_64, aarch64, ppc64le, or "all"; with several, NAME
# must contain "<arch>", replaced per architecture (lab_<arch>_vfio_dma).
# Architectures not in PX_LAB_ARCHES are left out.
# NICS: e1000e, e1000, virtio, vmxnet3 (default: two e1000e on one hub).
# RUN_ARGS: more run.sh options, e.g. --net tap:2 --nic-props 1 guest_tso4=off.
# COMMAND runs in the guest with the build's binaries on PATH; one argument is
# run as a shell script, several as an argv. Its exit status is the test's.
function(px_add_lab_test)
    cmake_parse_arguments(PARSE_ARGV 0 LAB "" "NAME;TIMEOUT" "ARCH;NICS;RUN_ARGS;COMMAND")
    if(NOT LAB_NAME OR NOT LAB_ARCH OR NOT LAB_COMMAND)
        message(FATAL_ERROR "px_add_lab_test: NAME, ARCH and COMMAND are required")
    endif()
    if(LAB_ARCH STREQUAL "all")
        set(LAB_ARCH x86_64 aarch64 ppc64le)
    endif()
    list(LENGTH LAB_ARCH narch)
    if(narch GREATER 1 AND NOT LAB_NAME MATCHES "<arch>")
        message(FATAL_ERROR "px_add_lab_test(${LAB_NAME}): several ARCHes need <arch> in NAME")
    endif()
    foreach(arch IN LISTS LAB_ARCH)
        if(NOT arch MATCHES "^(x86_64|aarch64|ppc64le)$")
            message(FATAL_ERROR "px_add_lab_test(${LAB_NAME}): unknown ARCH ${arch}")
        endif()
        if(PX_LAB AND arch IN_LIST PX_LAB_ARCHES)
            string(REPLACE "<arch>" "${arch}" name "${LAB_NAME}")
            _px_lab_add_one(${name} ${arch})
        endif()
    endforeach()
endfunction()

# One test of px_add_lab_test; reads its LAB_* variables.
function(_px_lab_add_one LAB_NAME LAB_ARCH)
    if(NOT LAB_NICS)
        set(LAB_NICS e1000e e1000e)
    endif()
    if(NOT LAB_TIMEOUT)
        set(LAB_TIMEOUT ${PX_LAB_TIMEOUT})
    endif()
    string(REPLACE ";" "," nics "${LAB_NICS}")
    _px_lab_build_fixture(${LAB_ARCH})
    add_test(NAME ${LAB_NAME}
        COMMAND "${PX_LAB_RUN}" --arch ${LAB_ARCH} --nics ${nics} ${LAB_RUN_ARGS}
                --build-dir "${PROJECT_BINARY_DIR}/lab-${LAB_ARCH}"
                --timeout ${LAB_TIMEOUT} -- ${LAB_COMMAND})
    # run.sh kills QEMU at LAB_TIMEOUT; ctest's limit is the backstop.
    math(EXPR ctest_timeout "${LAB_TIMEOUT} + 30")
    set_tests_properties(${LAB_NAME} PROPERTIES
        LABELS "lab;lab-${LAB_ARCH}"
        FIXTURES_REQUIRED lab_${LAB_ARCH}_build
        SKIP_RETURN_CODE 77
        TIMEOUT ${ctest_timeout})
endfunction()

# lab_<arch>_smoke: two e1000e bound to vfio-pci, two VFIO groups that open with
# the architecture's IOMMU backend (hello-vfio), and px-test --list when built.
function(px_add_lab_smoke_tests)
    foreach(arch IN LISTS PX_LAB_ARCHES)
        px_add_lab_test(NAME lab_${arch}_smoke ARCH ${arch} NICS e1000e e1000e
                        COMMAND px-lab-smoke 2)
    endforeach()
endfunction()

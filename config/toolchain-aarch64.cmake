# CMake toolchain file: cross-compile Pollux for aarch64 Linux with Debian's
# cross compiler (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross).
#
#   cmake -S . -B build/aarch64 -DCMAKE_TOOLCHAIN_FILE=config/toolchain-aarch64.cmake
#
# Used by the lab (tools/lab/run.sh) for static guest builds. Libraries are
# searched only in the cross sysroot (/usr/aarch64-linux-gnu) and in
# PX_CROSS_SYSROOT (e.g. an unpacked libnuma-dev:arm64 in the lab cache), never
# in the host's /usr/lib.

set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(PX_CROSS_TRIPLE aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-debian-cross.cmake)

# CMake toolchain file: cross-compile Pollux for ppc64le Linux with Debian's
# cross compiler (apt-get install gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross).
#
#   cmake -S . -B build/ppc64le -DCMAKE_TOOLCHAIN_FILE=config/toolchain-ppc64le.cmake
#
# Used by the lab (tools/lab/run.sh) for static guest builds. Libraries are
# searched only in the cross sysroot (/usr/powerpc64le-linux-gnu) and in
# PX_CROSS_SYSROOT (e.g. an unpacked libnuma-dev:ppc64el in the lab cache), never
# in the host's /usr/lib.

set(CMAKE_SYSTEM_PROCESSOR ppc64le)
set(PX_CROSS_TRIPLE powerpc64le-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-debian-cross.cmake)

# Shared body of Pollux's toolchain files (config/toolchain-<arch>.cmake) for Debian's cross
# compilers: the includer sets CMAKE_SYSTEM_PROCESSOR and PX_CROSS_TRIPLE first. Libraries are
# searched only in the cross sysroot (/usr/<triple>) and in PX_CROSS_SYSROOT, never in the host's
# /usr/lib.
set(CMAKE_SYSTEM_NAME Linux)

set(CMAKE_C_COMPILER ${PX_CROSS_TRIPLE}-gcc)
# ar, ranlib and strip are found from the compiler name (PX_CROSS_TRIPLE-ar, ...).

# Extra sysroot prefixes (a list); also passed to try_compile projects.
set(PX_CROSS_SYSROOT "$ENV{PX_CROSS_SYSROOT}" CACHE PATH "extra target prefixes")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PX_CROSS_SYSROOT)

set(CMAKE_FIND_ROOT_PATH /usr/${PX_CROSS_TRIPLE} ${PX_CROSS_SYSROOT})
# Programs (code generators, ...) run on the host; libraries, headers and
# packages come from the target prefixes only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: only the target's .pc files (never the host's /usr/lib/pkgconfig).
set(_px_pc /usr/${PX_CROSS_TRIPLE}/lib/pkgconfig)
foreach(_px_root IN LISTS PX_CROSS_SYSROOT)
    list(APPEND _px_pc ${_px_root}/usr/lib/${PX_CROSS_TRIPLE}/pkgconfig ${_px_root}/usr/lib/pkgconfig)
endforeach()
string(REPLACE ";" ":" _px_pc "${_px_pc}")
set(ENV{PKG_CONFIG_LIBDIR} "${_px_pc}")
if(PX_CROSS_SYSROOT)
    list(GET PX_CROSS_SYSROOT 0 _px_root)
    set(ENV{PKG_CONFIG_SYSROOT_DIR} "${_px_root}")
endif()

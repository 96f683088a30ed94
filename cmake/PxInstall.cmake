# Installation: libpollux (shared and static), headers flat under include/pollux/, a CMake
# package (find_package(Pollux) -> Pollux::pollux, Pollux::pollux_static) and pollux.pc.
include(CMakePackageConfigHelpers)

get_property(px_headers GLOBAL PROPERTY PX_PUBLIC_HEADERS)
install(FILES ${px_headers} ${CMAKE_BINARY_DIR}/include/px_config.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pollux)

set(px_targets pollux_static)
if(PX_BUILD_SHARED)
    list(APPEND px_targets pollux)
endif()
install(TARGETS ${px_targets} EXPORT PolluxTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pollux)
install(EXPORT PolluxTargets NAMESPACE Pollux::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Pollux)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/PolluxConfig.cmake.in
    ${CMAKE_BINARY_DIR}/PolluxConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Pollux)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/PolluxConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/PolluxConfig.cmake ${CMAKE_BINARY_DIR}/PolluxConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Pollux)

# pkg-config: Libs.private lists what a static link needs.
set(PX_PC_LIBS_PRIVATE "-pthread")
if(PX_HAVE_NUMA)
    string(APPEND PX_PC_LIBS_PRIVATE " -lnuma")
endif()
get_property(px_link_libs GLOBAL PROPERTY PX_LINK_LIBS)
foreach(l IN LISTS px_link_libs)
    if(l MATCHES "^-")
        string(APPEND PX_PC_LIBS_PRIVATE " ${l}")
    elseif(NOT l MATCHES "::")
        string(APPEND PX_PC_LIBS_PRIVATE " -l${l}")
    endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/pollux.pc.in ${CMAKE_BINARY_DIR}/pollux.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/pollux.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

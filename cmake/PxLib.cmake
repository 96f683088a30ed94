# px_library(<name> SOURCES <src...> HEADERS <public headers...> [LIBS <private link deps...>])
#
# Adds one component (lib/<name>) to libpollux. Every component is compiled into the single
# object library `pollux_obj`; libpollux.so and libpollux.a are made from it. Public headers are
# installed flat under include/pollux/.
function(px_library name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;HEADERS;LIBS")
    target_sources(pollux_obj PRIVATE ${ARG_SOURCES})
    target_include_directories(pollux_obj PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}>)
    foreach(h IN LISTS ARG_HEADERS)
        set_property(GLOBAL APPEND PROPERTY PX_PUBLIC_HEADERS ${CMAKE_CURRENT_SOURCE_DIR}/${h})
    endforeach()
    foreach(l IN LISTS ARG_LIBS)
        set_property(GLOBAL APPEND PROPERTY PX_LINK_LIBS ${l})
    endforeach()
    set_property(GLOBAL APPEND PROPERTY PX_COMPONENTS ${name})
endfunction()

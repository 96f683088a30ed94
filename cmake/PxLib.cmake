# px_library(<name> [DEPS <components...>] SOURCES <src...> [HEADERS <public headers...>]
#            [DRIVER_HEADERS <headers...>] [LIBS <private link deps...>])
#
# Adds one component (lib/<name>, or a driver through px_driver()) as its own object library,
# px_<name>. It sees its own folder (PRIVATE: its internal headers stay inside it) and, through
# DEPS, the headers of the components below it; nothing else. So an include of a higher layer
# from a lower one fails to build. What the components above it see is a folder of links to its
# HEADERS (the public API, installed flat under include/pollux/) and DRIVER_HEADERS (the API for
# the components and drivers above, not installed). The objects of every component are combined
# into the one libpollux (shared and static) in lib/CMakeLists.txt.
#
# Symbols are hidden by default; public headers mark their declarations visible with
# PX_API_BEGIN/PX_API_END (px_common.h), and lib/pollux.map exports the px_ ones.
function(px_library name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;HEADERS;DRIVER_HEADERS;DEPS;LIBS")
    set(t px_${name})
    add_library(${t} OBJECT ${ARG_SOURCES})
    set_target_properties(${t} PROPERTIES POSITION_INDEPENDENT_CODE ON
                                          C_VISIBILITY_PRESET hidden)
    target_compile_definitions(${t} PRIVATE _GNU_SOURCE PX_BUILDING_LIBRARY)
    target_include_directories(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    set(view ${CMAKE_BINARY_DIR}/px-include/${name})
    file(REMOVE_RECURSE ${view})
    file(MAKE_DIRECTORY ${view})
    foreach(h IN LISTS ARG_HEADERS ARG_DRIVER_HEADERS)
        if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${h})
            message(FATAL_ERROR "${name}: header ${h} does not exist")
        endif()
        file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${h} ${view}/${h} SYMBOLIC)
    endforeach()
    target_include_directories(${t} PUBLIC $<BUILD_INTERFACE:${view}>
                                           $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include>)
    foreach(d IN LISTS ARG_DEPS)
        if(NOT TARGET px_${d})
            message(FATAL_ERROR "${name} depends on ${d}, which is not defined before it")
        endif()
        target_link_libraries(${t} PUBLIC px_${d})
    endforeach()
    foreach(h IN LISTS ARG_HEADERS)
        set_property(GLOBAL APPEND PROPERTY PX_PUBLIC_HEADERS ${CMAKE_CURRENT_SOURCE_DIR}/${h})
    endforeach()
    foreach(l IN LISTS ARG_LIBS)
        set_property(GLOBAL APPEND PROPERTY PX_LINK_LIBS ${l})
    endforeach()
    set_property(GLOBAL APPEND PROPERTY PX_COMPONENTS ${name})
    set_property(GLOBAL APPEND PROPERTY PX_INTERNAL_DIRS ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()

# The firmware leg: the library outside include/ctnn/io/ must compile with the flags of a
# bare-metal build. Boost.Test needs exceptions, so in this mode only the compile-only tests
# (static, compile-fail, and one TU per non-io header) are created, with CTNN_FIRMWARE_FLAGS.
#   ctnn_firmware_skip(<out> <source>)   <out> is TRUE when <source> is not built in this mode
#   ctnn_firmware_target(<target>)       give a compile-only target the firmware flags
# Tests created in this mode carry the label `firmware`; target `ctnn_firmware` builds them all.

option(CTNN_FIRMWARE_FLAGS_ONLY
       "Build only the compile-only tests, with CTNN_FIRMWARE_FLAGS (no Boost.Test, no io/)" OFF)
set(CTNN_FIRMWARE_FLAGS "-fno-exceptions;-fno-rtti" CACHE STRING
    "Compile options of the firmware leg (a ;-list)")

if(CTNN_FIRMWARE_FLAGS_ONLY AND NOT TARGET ctnn_firmware)
    add_custom_target(ctnn_firmware)
endif()

# ctnn_firmware_skip(<out> <source>)
function(ctnn_firmware_skip out source)
    set(skip FALSE)
    if(CTNN_FIRMWARE_FLAGS_ONLY)
        # test/ mirrors include/: tests of the host-only io/ headers live under test/io/.
        file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${source})
        if(rel MATCHES "(^|/)io/")
            set(skip TRUE)
        endif()
    endif()
    set(${out} ${skip} PARENT_SCOPE)
endfunction()

# ctnn_firmware_target(<target> [TEST <test>...] [IN_ALL])
function(ctnn_firmware_target target)
    if(NOT CTNN_FIRMWARE_FLAGS_ONLY)
        return()
    endif()
    cmake_parse_arguments(arg "IN_ALL" "" "TEST" ${ARGN})
    target_compile_options(${target} PRIVATE ${CTNN_FIRMWARE_FLAGS})
    foreach(test IN LISTS arg_TEST)
        set_property(TEST ${test} APPEND PROPERTY LABELS firmware)
    endforeach()
    if(arg_IN_ALL)
        add_dependencies(ctnn_firmware ${target})
    endif()
endfunction()

# One TU per firmware-subset header (everything under include/ctnn/ except io/), compiled twice
# over, like the header self-sufficiency target but with the firmware flags.
function(ctnn_add_firmware_header_test)
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
         ${PROJECT_SOURCE_DIR}/include/ctnn/*.hpp)
    list(FILTER headers EXCLUDE REGEX "^ctnn/io/")
    ctnn_add_header_test(firmware_headers HEADERS ${headers} LIBRARIES ctnn::ctnn)
    ctnn_firmware_target(firmware_headers TEST firmware_headers IN_ALL)
endfunction()

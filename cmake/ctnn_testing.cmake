# Helpers that register ctnn's three kinds of test with CTest:
#   ctnn_add_unit_test(<name> <source> [args...]) a Boost.Test executable (run with args)
#   ctnn_add_static_test(<name> <source>)        a TU of static_asserts; compiling it is the test
#   ctnn_add_compile_fail_test(<name> <source>)  one source, built as `ok` (must compile) and
#                                                with -DCTNN_KO (must fail with the message given
#                                                by the source's `// expect: <regex>` line)

option(CTNN_WERROR "Treat warnings as errors in ctnn's own targets" ON)

# The firmware leg (-fno-exceptions -fno-rtti, compile-only tests): see ctnn_firmware.cmake.
include(ctnn_firmware)

# ctnn_warnings(<target>)
function(ctnn_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion
                           $<$<BOOL:${CTNN_WERROR}>:-Werror>)
endfunction()

# Constant evaluation of whole training runs needs more than the default budget; only the
# targets that ask for it get the raised limits. XOR training (test/constexpr_training_static.cpp)
# needs between 2^25 and 2^26 GCC operations and between 5 and 10 million Clang steps; the
# limits leave four times that.
function(ctnn_raise_constexpr_limits target)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(${target} PRIVATE -fconstexpr-ops-limit=268435456)
    elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        target_compile_options(${target} PRIVATE -fconstexpr-steps=40000000)
    endif()
endfunction()

# ctnn_add_header_test(<name> HEADERS <header>... LIBRARIES <target>...)
# The object library <name>, one translation unit per header (included twice: each compiles
# on its own and is guarded), and the test <name> that builds it.
function(ctnn_add_header_test name)
    cmake_parse_arguments(arg "" "" "HEADERS;LIBRARIES" ${ARGN})
    set(sources)
    foreach(header IN LISTS arg_HEADERS)
        string(MAKE_C_IDENTIFIER ${header} id)
        set(tu ${CMAKE_CURRENT_BINARY_DIR}/${name}/${id}.cpp)
        file(CONFIGURE OUTPUT ${tu} CONTENT "#include <${header}>\n#include <${header}>\n")
        list(APPEND sources ${tu})
    endforeach()
    add_library(${name} OBJECT ${sources})
    target_link_libraries(${name} PRIVATE ${arg_LIBRARIES})
    ctnn_warnings(${name})
    add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${name})
    set_tests_properties(${name} PROPERTIES RESOURCE_LOCK ctnn_build_tree LABELS static)
endfunction()

set(_ctnn_cmake_dir ${CMAKE_CURRENT_LIST_DIR})

# The build tree is shared by every test that invokes the build tool, so those run one at a time.
set(_ctnn_build_lock ctnn_build_tree)

function(ctnn_add_unit_test name source)
    if(CTNN_FIRMWARE_FLAGS_ONLY) # Boost.Test needs exceptions and RTTI
        return()
    endif()
    add_executable(${name} ${source})
    target_link_libraries(${name} PRIVATE ctnn::ctnn Boost::unit_test_framework)
    target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
    ctnn_warnings(${name})
    add_test(NAME ${name} COMMAND ${name} --report_level=short --log_level=warning ${ARGN})
endfunction()

function(ctnn_add_static_test name source)
    ctnn_firmware_skip(skip ${source})
    if(skip)
        return()
    endif()
    add_library(${name} OBJECT ${source})
    target_link_libraries(${name} PRIVATE ctnn::ctnn)
    ctnn_warnings(${name})
    add_test(NAME ${name}
             COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${name})
    set_tests_properties(${name} PROPERTIES RESOURCE_LOCK ${_ctnn_build_lock} LABELS static)
    ctnn_firmware_target(${name} TEST ${name} IN_ALL)
endfunction()

function(ctnn_add_compile_fail_test name source)
    ctnn_firmware_skip(skip ${source})
    if(skip)
        return()
    endif()
    file(STRINGS ${source} expect_line REGEX "^// expect: ")
    if(NOT expect_line)
        message(FATAL_ERROR "${source}: a compile-fail test needs a `// expect: <regex>` line")
    endif()
    string(REGEX REPLACE "^// expect: " "" expected "${expect_line}")
    foreach(variant ok ko)
        add_library(${name}_${variant} OBJECT EXCLUDE_FROM_ALL ${source})
        target_link_libraries(${name}_${variant} PRIVATE ctnn::ctnn)
        ctnn_warnings(${name}_${variant})
    endforeach()
    target_compile_definitions(${name}_ko PRIVATE CTNN_KO)
    add_test(NAME ${name}_ok COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${name}_ok)
    # The ko build must fail with the expected message as its only error: a
    # mistake should cost the user one diagnostic, not a cascade.
    add_test(NAME ${name}_ko
             COMMAND ${CMAKE_COMMAND} -DBINARY_DIR=${CMAKE_BINARY_DIR} -DTARGET=${name}_ko
                     "-DEXPECTED=${expected}" -P ${_ctnn_cmake_dir}/ctnn_expect_compile_error.cmake)
    foreach(variant ok ko)
        set_tests_properties(${name}_${variant} PROPERTIES RESOURCE_LOCK ${_ctnn_build_lock}
                             LABELS compile_fail)
        ctnn_firmware_target(${name}_${variant} TEST ${name}_${variant})
    endforeach()
endfunction()

if(CTNN_FIRMWARE_FLAGS_ONLY AND NOT TARGET firmware_headers) # examples/ includes this file too
    ctnn_add_firmware_header_test()
endif()

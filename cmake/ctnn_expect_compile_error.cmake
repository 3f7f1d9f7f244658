# cmake -DBINARY_DIR=<build> -DTARGET=<target> -DEXPECTED=<regex> -P ctnn_expect_compile_error.cmake
#
# Passes when building TARGET fails with exactly one compiler error, and that
# error's text matches EXPECTED.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target ${TARGET}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(APPEND out "${err}")
string(REPLACE ";" "," out "${out}") # keep CMake from splitting messages into list items
if(status EQUAL 0)
    message(FATAL_ERROR "${TARGET} compiled, but it should have failed with: ${EXPECTED}")
endif()
string(REGEX MATCHALL "[^\n]*error:[^\n]*" errors "${out}")
list(LENGTH errors count)
if(NOT out MATCHES "${EXPECTED}")
    message(FATAL_ERROR "${TARGET} failed without the expected message '${EXPECTED}':\n${out}")
endif()
if(NOT count EQUAL 1)
    message(FATAL_ERROR "${TARGET} failed with ${count} errors instead of one:\n${out}")
endif()
message(STATUS "${TARGET}: one error, as expected: ${errors}")

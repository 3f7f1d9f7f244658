# Runs a firmware ELF under qemu-system-arm (semihosting) and checks the run.
#   -DQEMU=... -DMACHINE=<board> -DELF=...   required (MACHINE: mps2-an386, mps3-an547, ...)
#   -DEXPECT_STATUS=<n>           the exit status wanted (default 0)
#   -DEXPECT_OUTPUT=<regex>       must appear in the output
#   -DCOMPARE=<exe> -DEXPECTED=<file> -DREFERENCE=<file>
#                                 then `<exe> <EXPECTED> <REFERENCE> <output file>` must succeed
#   -DICOUNT=ON                   deterministic instruction counting (-icount shift=0)
#   -DSECONDS=<n>                 a run longer than this is a hang (default 20)
#   -DEXPECT_TIMEOUT=ON           the run must hang (proves that hangs are caught)
# A fault ends the run with status 1 (the fault handlers), a hang with a timeout: both fail.
if(NOT DEFINED EXPECT_STATUS)
    set(EXPECT_STATUS 0)
endif()
if(NOT DEFINED SECONDS)
    set(SECONDS 20)
endif()
set(extra)
if(ICOUNT)
    set(extra -icount shift=0)
endif()
execute_process(
    COMMAND ${QEMU} -M ${MACHINE} ${extra} -display none -monitor none -serial none
            -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0 -kernel ${ELF}
    INPUT_FILE /dev/null
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status
    TIMEOUT ${SECONDS})
message("${out}")
if(err)
    message("stderr: ${err}")
endif()
if(EXPECT_TIMEOUT)
    if(status MATCHES "^[0-9]+$")
        message(FATAL_ERROR "${ELF}: expected a hang, but the run ended with status ${status}")
    endif()
    message("hang detected as expected: ${status}")
    return()
endif()
if(NOT status STREQUAL "${EXPECT_STATUS}")
    message(FATAL_ERROR "${ELF}: exit status '${status}', expected ${EXPECT_STATUS} "
                        "(1 = fault, 97 = heap allocation, a message = timeout: hang)")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "${ELF}: the output does not match '${EXPECT_OUTPUT}'")
endif()
if(COMPARE)
    get_filename_component(name ${ELF} NAME_WE)
    set(actual ${CMAKE_CURRENT_BINARY_DIR}/${name}${ICOUNT}.out)
    file(WRITE ${actual} "${out}")
    execute_process(COMMAND ${COMPARE} ${EXPECTED} ${REFERENCE} ${actual} RESULT_VARIABLE cmp)
    if(NOT cmp EQUAL 0)
        message(FATAL_ERROR "${ELF}: the predictions differ from the host's")
    endif()
endif()

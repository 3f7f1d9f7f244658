# Compiles vectorised_sqrt.cpp with CXX at each set of FLAGS_LIST (';'-separated sets, each
# '|'-separated flags) and fails unless each object holds the packed square root (sqrtps,
# vsqrtps): a loop of scalar roots, which -fmath-errno keeps from vectorising, would hold only
# sqrtss and calls to sqrtf.
# cmake -DCXX=... -DSOURCE=... -DINCLUDES=a;b -DOBJDUMP=... -DWORK=dir -P check_vectorised_sqrt.cmake
set(include_flags)
foreach(dir IN LISTS INCLUDES)
    if(NOT dir STREQUAL "/usr/include") # a system directory already, and named again it breaks #include_next
        list(APPEND include_flags -I${dir})
    endif()
endforeach()
file(MAKE_DIRECTORY ${WORK})
set(sets "-O2" "-O3" "-O2|-march=x86-64-v3" "-O3|-march=x86-64-v4")
set(index 0)
foreach(set IN LISTS sets)
    string(REPLACE "|" ";" flags "${set}")
    set(object ${WORK}/vectorised_sqrt_${index}.o)
    math(EXPR index "${index} + 1")
    execute_process(COMMAND ${CXX} -std=c++20 ${flags} ${include_flags} -c ${SOURCE} -o ${object}
                    RESULT_VARIABLE status ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "compiling with ${flags} failed:\n${errors}")
    endif()
    execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn ${object} OUTPUT_VARIABLE disassembly
                    RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "objdump failed on ${object}")
    endif()
    string(REGEX MATCHALL "[ \t]v?sqrtps[ \t]" packed "${disassembly}")
    list(LENGTH packed count)
    if(count EQUAL 0)
        message(FATAL_ERROR "${CXX} ${flags}: no packed square root in the optimizers' steps")
    endif()
    message(STATUS "${flags}: ${count} packed square roots")
endforeach()

# cmake -DIN=<header> -DOUT=<header> -P corrupt_golden.cmake
# Copies a header written by ctnn-import with the expected value of its first golden check
# moved by 1/16, far more than the tolerances of the test's models.
file(READ ${IN} text)
string(REGEX MATCH "::within\\(([^,]+), ([^,]+), " first "${text}")
if(NOT first)
    message(FATAL_ERROR "${IN} has no golden check")
endif()
string(REPLACE "${first}" "::within(${CMAKE_MATCH_1}, ${CMAKE_MATCH_2} + 0x1p-4, " moved "${first}")
string(FIND "${text}" "${first}" at)
string(LENGTH "${first}" length)
string(SUBSTRING "${text}" 0 ${at} before)
math(EXPR rest "${at} + ${length}")
string(SUBSTRING "${text}" ${rest} -1 after)
file(WRITE ${OUT} "${before}${moved}${after}")

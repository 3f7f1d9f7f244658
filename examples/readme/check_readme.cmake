# Fails unless README.md contains EXAMPLE's text verbatim inside a ```cpp block.
file(READ ${README} readme)
file(READ ${EXAMPLE} example)
string(FIND "${readme}" "```cpp\n${example}```" position)
if(position EQUAL -1)
    message(FATAL_ERROR "README.md's C++ example differs from ${EXAMPLE}: update one from the other")
endif()

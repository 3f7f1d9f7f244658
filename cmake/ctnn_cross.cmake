# Cross builds for Cortex-M cores (run on QEMU's MPS2/MPS3 boards) from inside the host build:
# the host compiler builds the project as usual, and these custom commands drive
# arm-none-eabi-g++ for the firmware programs (no toolchain file, no second configure).
#   ctnn_find_cross_tools()          find the tools; FATAL_ERROR when one is missing
#   ctnn_cross_compile(<out-object> <source> CORE <name> CPU <flags...> [C]
#                      [DEFINES d...] [INCLUDES dir...] [DEPENDS f...])
#   ctnn_cross_link(<out-elf> CORE <name> CPU <flags...> SCRIPTS <ld...> OBJECTS <o...>)
#                                    link with newlib + semihosting, heap trapped
# CPU is the core's code generation flags (-mcpu=... -mthumb -mfloat-abi=...); CORE names it in
# the build's messages. Variables: CTNN_ARM_CXX, CTNN_ARM_CC, CTNN_ARM_NM, CTNN_ARM_SIZE,
# CTNN_QEMU_ARM, CTNN_CROSS_CXX_FLAGS; cache variable CTNN_FIRMWARE_OPTIMIZATION (-O2).

# ctnn_find_cross_tools()
macro(ctnn_find_cross_tools)
    find_program(CTNN_ARM_CXX arm-none-eabi-g++)
    find_program(CTNN_ARM_CC arm-none-eabi-gcc)
    find_program(CTNN_ARM_NM arm-none-eabi-nm)
    find_program(CTNN_ARM_SIZE arm-none-eabi-size)
    find_program(CTNN_QEMU_ARM qemu-system-arm)
    foreach(tool CTNN_ARM_CXX CTNN_ARM_CC CTNN_ARM_NM CTNN_ARM_SIZE CTNN_QEMU_ARM)
        if(NOT ${tool})
            message(FATAL_ERROR
                "CTNN_BUILD_FIRMWARE is ON but ${tool} was not found. Install the Debian packages "
                "gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib "
                "qemu-system-arm (tools/dependencies.sh lists them), or configure with "
                "-DCTNN_BUILD_FIRMWARE=OFF.")
        endif()
    endforeach()
    # The cross C++ library must be there too (libstdc++-arm-none-eabi-newlib).
    execute_process(COMMAND ${CTNN_ARM_CXX} -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
                            -print-file-name=libstdc++.a
                    OUTPUT_VARIABLE _ctnn_libstdcxx OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${_ctnn_libstdcxx}")
        message(FATAL_ERROR "CTNN_BUILD_FIRMWARE is ON but ${CTNN_ARM_CXX} has no libstdc++: install "
                            "libstdc++-arm-none-eabi-newlib and libnewlib-arm-none-eabi.")
    endif()

    # Boost's headers for the cross compiler without -isystem /usr/include (which would
    # bring in the host's C library headers): a directory holding only a `boost` symlink.
    set(CTNN_CROSS_BOOST_DIR ${CMAKE_BINARY_DIR}/ctnn_cross_boost)
    set(_ctnn_boost_root "")
    foreach(dir IN LISTS Boost_INCLUDE_DIRS)
        if(EXISTS ${dir}/boost/hana.hpp)
            set(_ctnn_boost_root ${dir})
            break()
        endif()
    endforeach()
    if(NOT _ctnn_boost_root)
        message(FATAL_ERROR "ctnn_cross: Boost.Hana not found in Boost_INCLUDE_DIRS (${Boost_INCLUDE_DIRS})")
    endif()
    file(MAKE_DIRECTORY ${CTNN_CROSS_BOOST_DIR})
    file(CREATE_LINK ${_ctnn_boost_root}/boost ${CTNN_CROSS_BOOST_DIR}/boost SYMBOLIC)

    set(CTNN_FIRMWARE_OPTIMIZATION -O2 CACHE STRING
        "Optimisation flag of the firmware programs (-O2, -Os, ...)")
    # -ffp-contract=off: no fused multiply-adds, so the device rounds exactly as the host does.
    # -Wno-psabi: GCC notes that sym::constant (a double with an empty base) is passed as
    # GCC 10.1 changed it to be; that matters only when linking with code from older GCCs.
    set(CTNN_CROSS_CXX_FLAGS -std=c++20 ${CTNN_FIRMWARE_OPTIMIZATION} -fno-exceptions -fno-rtti
        -fno-threadsafe-statics -ffunction-sections -fdata-sections -ffp-contract=off -fstack-usage
        -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Werror -Wno-psabi
        -isystem ${CTNN_CROSS_BOOST_DIR} -I${PROJECT_SOURCE_DIR}/include)
endmacro()

# ctnn_cross_compile(<out-object> <source> CORE <name> CPU <flags...> [C] [DEFINES d...]
#                    [INCLUDES dir...] [DEPENDS f...])
function(ctnn_cross_compile out source)
    cmake_parse_arguments(arg "C" "CORE" "CPU;DEFINES;INCLUDES;DEPENDS" ${ARGN})
    set(flags)
    foreach(d IN LISTS arg_DEFINES)
        list(APPEND flags -D${d})
    endforeach()
    foreach(dir IN LISTS arg_INCLUDES)
        list(APPEND flags -I${dir})
    endforeach()
    if(arg_C)
        set(compiler ${CTNN_ARM_CC})
        list(PREPEND flags ${arg_CPU} -std=c11 ${CTNN_FIRMWARE_OPTIMIZATION} -ffunction-sections
             -fdata-sections -Wall -Wextra -Werror)
    else()
        set(compiler ${CTNN_ARM_CXX})
        list(PREPEND flags ${arg_CPU} ${CTNN_CROSS_CXX_FLAGS})
    endif()
    get_filename_component(out_dir ${out} DIRECTORY)
    add_custom_command(OUTPUT ${out}
        COMMAND ${compiler} ${flags} -MD -MF ${out}.d -c ${source} -o ${out}
        DEPENDS ${source} ${arg_DEPENDS}
        DEPFILE ${out}.d
        WORKING_DIRECTORY ${out_dir}
        COMMENT "Cross-compiling (${arg_CORE}) ${source}"
        VERBATIM COMMAND_EXPAND_LISTS)
endfunction()

# ctnn_cross_link(<out-elf> CORE <name> CPU <flags...> SCRIPTS <ld...> OBJECTS <o...>)
# The linker scripts accumulate in order (a memory map, then the sections). Allocation entry
# points are wrapped: the objects must define __wrap__malloc_r & co.
function(ctnn_cross_link out)
    cmake_parse_arguments(arg "" "CORE" "CPU;SCRIPTS;OBJECTS" ${ARGN})
    set(scripts)
    foreach(script IN LISTS arg_SCRIPTS)
        list(APPEND scripts -T ${script})
    endforeach()
    add_custom_command(OUTPUT ${out}
        COMMAND ${CTNN_ARM_CXX} ${arg_CPU} --specs=rdimon.specs -nostartfiles ${scripts}
                -Wl,--gc-sections -Wl,-Map=${out}.map
                -Wl,--wrap=_malloc_r,--wrap=_free_r,--wrap=_calloc_r,--wrap=_realloc_r
                ${arg_OBJECTS} -o ${out}
        DEPENDS ${arg_OBJECTS} ${arg_SCRIPTS}
        COMMENT "Linking (${arg_CORE}) ${out}"
        VERBATIM COMMAND_EXPAND_LISTS)
endfunction()

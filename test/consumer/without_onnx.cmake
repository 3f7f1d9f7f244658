# cmake -DSOURCE_DIR=<ctnn> -DWORK=<scratch> -DGENERATOR=<g> -DMAKE_PROGRAM=<p> -DCXX=<c++>
#       -DPROJECT=<test/consumer/project> -P without_onnx.cmake
# ctnn configured as if the ONNX libraries (then protobuf) were missing: configuring succeeds
# and says what is not built and why; the package installs without ctnn::onnx and ctnn-import;
# a consumer of ctnn::ctnn builds and runs; find_package(ctnn COMPONENTS onnx) fails, saying why.
file(REMOVE_RECURSE ${WORK})

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(output "${out}${err}" PARENT_SCOPE)
    set(status ${status} PARENT_SCOPE)
endfunction()

set(configure_options -G ${GENERATOR} -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_CXX_COMPILER=${CXX}
    -DCTNN_BUILD_TESTS=OFF -DCTNN_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release)
foreach(missing IN ITEMS Protobuf ONNX)
    run(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK}/no_${missing} ${configure_options}
        -DCMAKE_DISABLE_FIND_PACKAGE_${missing}=ON)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "configuring without ${missing} failed:\n${output}")
    endif()
    if(missing STREQUAL "ONNX")
        set(expected "ONNX \\(Debian package libonnx-dev\\) not found")
    else()
        set(expected "protobuf \\(Debian package libprotobuf-dev\\) not found")
    endif()
    string(REGEX REPLACE "[ \n]+" " " output "${output}") # CMake wraps a warning's lines
    if(NOT output MATCHES "ctnn: ONNX import and export \\(ctnn::onnx, ctnn-import\\) are not built: [^.]*${expected}")
        message(FATAL_ERROR "configuring without ${missing} did not say so:\n${output}")
    endif()
    message(STATUS "without ${missing}: configured, and said why import is not built")
endforeach()

set(prefix ${WORK}/prefix)
run(install ${CMAKE_COMMAND} --install ${WORK}/no_ONNX --prefix ${prefix})
if(NOT status EQUAL 0)
    message(FATAL_ERROR "installing failed:\n${output}")
endif()
foreach(file IN ITEMS bin/ctnn-import share/cmake/ctnn/ctnnOnnxTargets.cmake)
    if(EXISTS ${prefix}/${file})
        message(FATAL_ERROR "installed without ONNX: ${file}")
    endif()
endforeach()

run(consumer ${CMAKE_CTEST_COMMAND} --build-and-test ${PROJECT} ${WORK}/consumer --build-generator ${GENERATOR}
    --build-makeprogram ${MAKE_PROGRAM} --build-options -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
    -DCTNN_CONSUMER_MODE=find_package -DCMAKE_PREFIX_PATH=${prefix} --test-command consumer)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "a consumer of ctnn::ctnn did not build or run without ONNX:\n${output}")
endif()

run(onnx_consumer ${CMAKE_COMMAND} -S ${PROJECT} -B ${WORK}/onnx_consumer -G ${GENERATOR}
    -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_CXX_COMPILER=${CXX} -DCTNN_CONSUMER_MODE=find_package
    -DCTNN_CONSUMER_ONNX=ON -DCMAKE_PREFIX_PATH=${prefix})
if(status EQUAL 0 OR NOT output MATCHES "this ctnn was built without ONNX import and export")
    message(FATAL_ERROR "find_package(ctnn COMPONENTS onnx) did not fail with the reason:\n${output}")
endif()
message(STATUS "a consumer of ctnn::ctnn builds; one of ctnn::onnx is told why not")

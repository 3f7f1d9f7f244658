# cmake -DBUILD_DIR=<ctnn build tree> -DPREFIX=<empty prefix> -DONNX=ON|OFF -DIMPORT_TOOL=ON|OFF
#       -P install.cmake
# Installs ctnn from the build tree into a fresh prefix and checks the package files and the
# licence are there; ctnn::onnx's export set exactly when the ONNX libraries were found (ONNX),
# bin/ctnn-import exactly when it was built (IMPORT_TOOL).
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${result}")
endif()
foreach(file IN ITEMS
        include/ctnn/detail/constant_evaluated.hpp
        share/cmake/ctnn/ctnnConfig.cmake
        share/cmake/ctnn/ctnnConfigVersion.cmake
        share/cmake/ctnn/ctnnTargets.cmake
        share/doc/ctnn/LICENSE)
    if(NOT EXISTS ${PREFIX}/${file})
        message(FATAL_ERROR "not installed: ${file}")
    endif()
endforeach()
if(NOT EXISTS ${PREFIX}/include/ctnn/io/onnx.hpp) # the headers are installed whole
    message(FATAL_ERROR "not installed: include/ctnn/io/onnx.hpp")
endif()
foreach(check IN ITEMS "ONNX;share/cmake/ctnn/ctnnOnnxTargets.cmake;the ONNX libraries"
                       "IMPORT_TOOL;bin/ctnn-import;ctnn-import built")
    list(GET check 0 expected)
    list(GET check 1 file)
    list(GET check 2 condition)
    if(${expected} AND NOT EXISTS ${PREFIX}/${file})
        message(FATAL_ERROR "not installed: ${file}")
    elseif(NOT ${expected} AND EXISTS ${PREFIX}/${file})
        message(FATAL_ERROR "installed without ${condition}: ${file}")
    endif()
endforeach()

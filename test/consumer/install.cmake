# cmake -DBUILD_DIR=<ctnn build tree> -DPREFIX=<empty prefix> -DONNX=ON|OFF -P install.cmake
# Installs ctnn from the build tree into a fresh prefix and checks the package files and the
# licence are there (with ONNX, also ctnn::onnx's export set and bin/ctnn-import).
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
foreach(file IN ITEMS bin/ctnn-import share/cmake/ctnn/ctnnOnnxTargets.cmake include/ctnn/io/onnx.hpp)
    if(ONNX AND NOT EXISTS ${PREFIX}/${file})
        message(FATAL_ERROR "not installed: ${file}")
    elseif(NOT ONNX AND EXISTS ${PREFIX}/${file} AND NOT file MATCHES "\\.hpp$")
        message(FATAL_ERROR "installed without the ONNX libraries: ${file}")
    endif()
endforeach()

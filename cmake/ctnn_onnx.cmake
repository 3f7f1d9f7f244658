# ONNX import and export (include/ctnn/io/onnx.hpp, docs/import.md): the target ctnn::onnx,
# defined when Debian's libonnx-dev (ONNX's CMake package, whose target onnx_proto holds the
# generated protobuf classes) and libprotobuf-dev (CMake's FindProtobuf) are found. Without
# them the rest of ctnn is built as usual and configuring says what is missing.
# Sets CTNN_HAVE_ONNX.

option(CTNN_ONNX "Build ONNX import and export (ctnn::onnx, ctnn-import) if the ONNX libraries are found" ON)
# Their tests and the pytorch_to_firmware example compile protobuf's headers and run PyTorch: the
# CI builds them in the dev and clang legs only (the presets of the others turn this off).
option(CTNN_TEST_ONNX "Build the tests and the example of ONNX import and export (with the tests and examples)" ON)
set(CTNN_HAVE_ONNX OFF)
# As a subproject, a missing library is the parent's business: a status line, not a warning.
if(PROJECT_IS_TOP_LEVEL)
    set(_ctnn_onnx_missing_level WARNING)
else()
    set(_ctnn_onnx_missing_level STATUS)
endif()

if(NOT CTNN_ONNX)
    message(STATUS "ctnn: ONNX import and export (ctnn::onnx, ctnn-import) are not built: CTNN_ONNX is OFF")
else()
    find_package(Protobuf QUIET)
    # ONNX's package file does not look for protobuf itself; its onnx_proto target links
    # protobuf::libprotobuf, which FindProtobuf defines.
    find_package(ONNX CONFIG QUIET)
    set(_ctnn_onnx_missing)
    if(NOT Protobuf_FOUND OR NOT TARGET protobuf::libprotobuf)
        list(APPEND _ctnn_onnx_missing "protobuf (Debian package libprotobuf-dev)")
    endif()
    if(NOT ONNX_FOUND OR NOT TARGET onnx_proto)
        list(APPEND _ctnn_onnx_missing "ONNX (Debian package libonnx-dev)")
    endif()
    if(_ctnn_onnx_missing)
        list(JOIN _ctnn_onnx_missing " and " _ctnn_onnx_missing)
        message(${_ctnn_onnx_missing_level}
                "ctnn: ONNX import and export (ctnn::onnx, ctnn-import) are not built: ${_ctnn_onnx_missing} "
                "not found. Install libonnx-dev and libprotobuf-dev (tools/dependencies.sh lists them), or "
                "configure with -DCTNN_ONNX=OFF to silence this. The rest of ctnn does not need them.")
    else()
        set(CTNN_HAVE_ONNX ON)
        message(STATUS "ctnn: ONNX import and export: ONNX ${ONNX_VERSION}, protobuf ${Protobuf_VERSION}")
        add_library(ctnn_onnx INTERFACE)
        add_library(ctnn::onnx ALIAS ctnn_onnx)
        set_target_properties(ctnn_onnx PROPERTIES EXPORT_NAME onnx)
        # onnx_proto brings protobuf::libprotobuf and ONNX's definitions (ONNX_ML, ONNX_NAMESPACE).
        target_link_libraries(ctnn_onnx INTERFACE ctnn onnx_proto)
    endif()
endif()

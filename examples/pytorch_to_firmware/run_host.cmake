# cmake -DPROGRAM=<host build> -DCOMPARE=<compare_with_pytorch> -DEXPECTED=<PyTorch's> -DOUTPUT=<file>
#       -P run_host.cmake
# Runs the host build of sine_firmware.cpp and checks its predictions against PyTorch's.
execute_process(COMMAND ${PROGRAM} OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM}: exit status ${status}")
endif()
execute_process(COMMAND ${COMPARE} ${EXPECTED} ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "the host's predictions differ from PyTorch's")
endif()

# Runs ctnn-import (IMPORT) on MODEL into WORK and fails unless the header it writes is HEADER,
# byte for byte: the header docs/import.md shows is what the command writes.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
get_filename_component(name ${HEADER} NAME_WE)
get_filename_component(model_name ${MODEL} NAME)
file(COPY ${MODEL} DESTINATION ${WORK}) # the header names the model's file
execute_process(COMMAND ${IMPORT} ${model_name} --name ${name} -o ${name}.hpp
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "ctnn-import ${MODEL} failed (${status})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/${name}.hpp ${HEADER} RESULT_VARIABLE differs)
if(differs)
    message(FATAL_ERROR "${HEADER} is not what ctnn-import writes for ${MODEL} (${WORK}/${name}.hpp): "
                        "regenerate it: ctnn-import ${model_name} --name ${name} -o ${name}.hpp")
endif()

# Labelled corpora and their peers (issue 6), label `interop`:
#   interop.diff.botocore-*   `spe diff` replays a generated corpus through
#                             interop/botocore_adapter.py (botocore's own
#                             ParamValidator and model) and the documented
#                             relation must hold (interop/relation.cmake);
#   interop.jsonschema.*      the corpus judged by Debian's python3-jsonschema
#                             against `spe schema --format json-schema` agrees
#                             with the labels outside the documented classes.
# The GoogleTest suites that drive the spe binary (cli_corpus_test: gen and
# the committed corpora; cli_diff_test: the diff protocol) need it built.

foreach(_t cli_corpus_test cli_diff_test)
  if(TARGET ${_t})
    add_dependencies(${_t} spe_cli)
  endif()
endforeach()

# tests/interop.cmake defines these; kept working if it is included later.
if(NOT SPE_PYTHON3)
  find_program(SPE_PYTHON3 NAMES python3 REQUIRED)
endif()
if(NOT SPE_DEBIAN_PYTHON3)
  set(SPE_DEBIAN_PYTHON3 /usr/bin/python3)
endif()

set(_spe_interop_dir ${CMAKE_CURRENT_BINARY_DIR}/interop-corpora)
foreach(_pair "botocore-1.29|${SPE_DEBIAN_PYTHON3}" "botocore-1.43|${SPE_PYTHON3}")
  string(REPLACE "|" ";" _pair "${_pair}")
  list(GET _pair 0 _rev)
  list(GET _pair 1 _python)
  add_test(NAME interop.diff.${_rev}
    COMMAND ${CMAKE_COMMAND} -DSPE=$<TARGET_FILE:spe_cli> -DPYTHON=${_python}
            -DADAPTER=${PROJECT_SOURCE_DIR}/interop/botocore_adapter.py
            -DCLASSES=${PROJECT_SOURCE_DIR}/interop/botocore_classes.json
            -DREVISION=${_rev} -DOUT=${_spe_interop_dir}/diff-${_rev} -DSEED=1 -DRANDOM=200
            -P ${PROJECT_SOURCE_DIR}/interop/relation.cmake)
  set_tests_properties(interop.diff.${_rev} PROPERTIES LABELS interop TIMEOUT 120)
endforeach()

foreach(_rev seed botocore-1.29 botocore-1.43)
  # The committed corpus (the boundary set + 200 random bodies) is the input.
  add_test(NAME interop.jsonschema.${_rev}
    COMMAND ${SPE_DEBIAN_PYTHON3} ${PROJECT_SOURCE_DIR}/interop/jsonschema_check.py
            --spe $<TARGET_FILE:spe_cli> --revision ${_rev}
            --corpus ${PROJECT_SOURCE_DIR}/corpus/labelled/${_rev})
  set_tests_properties(interop.jsonschema.${_rev} PROPERTIES LABELS interop TIMEOUT 120)
endforeach()

# How an error body's __type is read (qualified, suffixed, both): botocore
# 1.43's JSONParser against spe canon --shape error, spelling by spelling.
add_test(NAME interop.error-type.botocore-1.43
  COMMAND ${SPE_PYTHON3} ${PROJECT_SOURCE_DIR}/interop/error_type_check.py
          --spe $<TARGET_FILE:spe_cli> --revision botocore-1.43)
set_tests_properties(interop.error-type.botocore-1.43 PROPERTIES LABELS interop TIMEOUT 120)

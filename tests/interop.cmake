# Interop with botocore (label `interop`): the committed models/botocore-*.json
# must say exactly what the installed botocore packages say, read through
# botocore's own model API by interop/check_models.py, and scripts/regen-models
# must reproduce them byte for byte. Debian's python3-botocore (1.29) is
# reached through /usr/bin/python3 and the image's pip botocore (1.43) through
# the python3 on PATH; each check refuses a botocore of another major.minor.

find_program(SPE_PYTHON3 NAMES python3 REQUIRED
  DOC "The image's python3, with pip's botocore 1.43")
set(SPE_DEBIAN_PYTHON3 /usr/bin/python3 CACHE FILEPATH
  "Debian's python3, with python3-botocore 1.29")

set(_spe_check ${PROJECT_SOURCE_DIR}/interop/check_models.py)
add_test(NAME interop.botocore-1.29
  COMMAND ${SPE_DEBIAN_PYTHON3} ${_spe_check} compare --botocore 1.29
          --model ${PROJECT_SOURCE_DIR}/models/botocore-1.29.json)
add_test(NAME interop.botocore-1.43
  COMMAND ${SPE_PYTHON3} ${_spe_check} compare --botocore 1.43
          --model ${PROJECT_SOURCE_DIR}/models/botocore-1.43.json)
add_test(NAME interop.regen-models
  COMMAND ${SPE_PYTHON3} ${_spe_check} regen --source-dir ${PROJECT_SOURCE_DIR})
set_tests_properties(interop.botocore-1.29 interop.botocore-1.43 interop.regen-models
  PROPERTIES LABELS interop)

# tests/model_botocore_test.cpp loads the full service-2.json of each
# installed botocore (the image's is gzip-compressed: zlib reads both forms)
# and needs to know which interpreter holds which botocore.
if(TARGET model_botocore_test)
  find_package(ZLIB REQUIRED)
  target_link_libraries(model_botocore_test PRIVATE ZLIB::ZLIB simdjson::simdjson)
  target_compile_definitions(model_botocore_test PRIVATE
    SPE_PYTHON3="${SPE_PYTHON3}" SPE_DEBIAN_PYTHON3="${SPE_DEBIAN_PYTHON3}")
endif()

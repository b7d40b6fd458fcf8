# cmake -DSPE=path/to/spe -DOUT=seed.schema.json -P schema.cmake
#
# Writes the JSON Schema of revision seed, as `spe schema` prints it, for the
# JSON Schema peers of the benchmark. If spe cannot print one, OUT is left
# empty and the bench reports those peers as not run (rather than failing
# the whole build over two peers). Written through a temporary file so that
# an unchanged schema does not trigger a rebuild.
execute_process(
  COMMAND ${SPE} schema --format json-schema --revision seed
  OUTPUT_FILE ${OUT}.tmp
  ERROR_VARIABLE _err
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(WARNING "spe schema --format json-schema failed (${_rc}): ${_err}")
  file(WRITE ${OUT}.tmp "")
endif()
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)

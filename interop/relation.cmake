# The botocore relation, as a ctest (cmake -P; tests/interop_corpus.cmake
# registers one per botocore revision):
#   1. `spe gen` writes a corpus of REVISION (the boundary set + RANDOM bodies);
#   2. `spe diff --batch` replays it through interop/botocore_adapter.py under
#      PYTHON (the interpreter holding that botocore), with the documented
#      classes of difference (interop/botocore_classes.json);
#   3. the run must leave no disagreement unexplained, and the relation must
#      hold: whatever botocore rejects, spe rejects -- except where a class
#      says botocore is the stricter one (null optional members, unknown
#      members) -- and the classes the relation rests on must have fired
#      (a corpus that never tests a pattern proves nothing).
#
# Variables: SPE, PYTHON, ADAPTER, CLASSES, REVISION, OUT, SEED, RANDOM.

foreach(v SPE PYTHON ADAPTER CLASSES REVISION OUT SEED RANDOM)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "relation.cmake needs -D${v}=...")
  endif()
endforeach()

execute_process(
  COMMAND "${SPE}" gen --revision "${REVISION}" --out "${OUT}/corpus" --seed "${SEED}"
          --random "${RANDOM}" --force
  RESULT_VARIABLE rc OUTPUT_VARIABLE gen_out ERROR_VARIABLE gen_err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "spe gen failed (${rc}): ${gen_out}${gen_err}")
endif()
message(STATUS "${gen_out}")

execute_process(
  COMMAND "${SPE}" diff --batch --timeout 30 --against "'${PYTHON}' '${ADAPTER}'"
          --expect-classes "${CLASSES}" --json "${OUT}/corpus"
  RESULT_VARIABLE rc OUTPUT_VARIABLE report ERROR_VARIABLE diff_err)
file(WRITE "${OUT}/diff.json" "${report}")
string(JSON bodies ERROR_VARIABLE bad GET "${report}" bodies)
if(bad)
  message(FATAL_ERROR "spe diff printed no report (exit ${rc}): ${diff_err}")
endif()
string(JSON agree GET "${report}" agree)
string(JSON unexplained GET "${report}" unexplained)

# The table of classes, for the README.
message(STATUS "${REVISION}: ${bodies} bodies, ${agree} agree with botocore")
string(JSON nclasses LENGTH "${report}" classes)
math(EXPR last "${nclasses} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${report}" classes ${i} class)
  string(JSON count GET "${report}" classes ${i} bodies)
  set(count_${name} ${count})
  message(STATUS "  ${name}: ${count}")
endforeach()

set(problems "")
string(JSON n LENGTH "${report}" disagreements)
if(n GREATER 0)
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON file GET "${report}" disagreements ${i} file)
    string(JSON explained GET "${report}" disagreements ${i} explained)
    string(JSON expect GET "${report}" disagreements ${i} expect)
    string(JSON peer GET "${report}" disagreements ${i} peer)
    string(JSON kind GET "${report}" disagreements ${i} kind)
    if(NOT explained)
      string(JSON detail GET "${report}" disagreements ${i})
      string(APPEND problems "  unexplained: ${detail}\n")
      continue()
    endif()
    # botocore rejects what spe accepts: only in the botocore-stricter classes.
    if(expect STREQUAL "valid" AND NOT peer STREQUAL "valid")
      string(JSON nc LENGTH "${report}" disagreements ${i} classes)
      math(EXPR lc "${nc} - 1")
      foreach(k RANGE ${lc})
        string(JSON c GET "${report}" disagreements ${i} classes ${k})
        if(NOT c MATCHES "^(null-optional|unknown-member)$")
          string(APPEND problems "  botocore rejects, spe accepts (${c}): ${file}\n")
        endif()
      endforeach()
    endif()
  endforeach()
endif()

foreach(needed no-pattern no-max-length any-python-int unknown-member)
  if(NOT count_${needed} GREATER 0)
    string(APPEND problems "  class ${needed} never fired: the corpus does not test it\n")
  endif()
endforeach()
if(NOT agree GREATER 0)
  string(APPEND problems "  no body agreed: the adapter is not working\n")
endif()
if(NOT rc EQUAL 0 OR NOT unexplained EQUAL 0 OR problems)
  message(FATAL_ERROR "botocore relation broken for ${REVISION} (spe diff exit ${rc}, "
                      "${unexplained} unexplained; report in ${OUT}/diff.json):\n${problems}")
endif()

# The installed package (label `install`): tests/support/install_check.cmake
# installs this build into a fresh prefix, then checks that the installed
# `spe` runs and that examples/consumer/ -- a project of its own that only
# knows find_package(spe CONFIG) -- configures, builds against spe::spe and
# spe::gen, and judges every example request exactly as the installed `spe`
# does; and so does the same program compiled with `pkg-config --cflags
# --libs spe` alone. Instrumented builds hand their flags on, so that the
# consumer links.
if(NOT SPE_INSTALL)
  return()
endif()
set(_spe_consumer_flags "")
if(SPE_SANITIZE)
  string(REPLACE ";" "," _spe_san "${SPE_SANITIZE}")
  string(APPEND _spe_consumer_flags " -fsanitize=${_spe_san}")
endif()
if(SPE_COVERAGE)
  string(APPEND _spe_consumer_flags " -fprofile-instr-generate -fcoverage-mapping")
endif()
add_test(NAME install.consumer
  COMMAND ${CMAKE_COMMAND}
          -DBUILD=${PROJECT_BINARY_DIR} -DSOURCE=${PROJECT_SOURCE_DIR}
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/install-check
          -DCXX=${CMAKE_CXX_COMPILER} -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
          "-DFLAGS=${_spe_consumer_flags}"
          -P ${PROJECT_SOURCE_DIR}/tests/support/install_check.cmake)
set_tests_properties(install.consumer PROPERTIES LABELS install TIMEOUT 600)

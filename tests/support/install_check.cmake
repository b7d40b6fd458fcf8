# cmake -DBUILD=<build dir> -DSOURCE=<source dir> -DWORK=<scratch dir>
#       -DCXX=<compiler> -DLIBDIR=<CMAKE_INSTALL_LIBDIR>
#       [-DFLAGS=<compile and link flags>] -P install_check.cmake
# (registered by tests/install.cmake; each step stops the test with the
# step's output when it fails).
cmake_minimum_required(VERSION 3.25)
foreach(v BUILD SOURCE WORK CXX LIBDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_check: -D${v}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})

foreach(f bin/spe include/spe/validate.hpp include/spe/gen.hpp ${LIBDIR}/cmake/spe/spe-config.cmake
          ${LIBDIR}/cmake/spe/spe-config-version.cmake ${LIBDIR}/cmake/spe/spe-targets.cmake
          ${LIBDIR}/pkgconfig/spe.pc)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "the install has no ${f}")
  endif()
endforeach()

run("configuring examples/consumer against the install"
    ${CMAKE_COMMAND} -S ${SOURCE}/examples/consumer -B ${WORK}/consumer
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX}
    "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
run("building examples/consumer" ${CMAKE_COMMAND} --build ${WORK}/consumer)

# The same program built without CMake, from what pkg-config says.
find_program(PKG_CONFIG NAMES pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs spe RESULT_VARIABLE rc
                OUTPUT_VARIABLE pc_flags ERROR_VARIABLE pc_err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs spe failed:\n${pc_err}")
endif()
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
separate_arguments(extra_flags UNIX_COMMAND "${FLAGS}")
run("compiling examples/consumer with pkg-config's flags"
    ${CXX} -std=c++20 ${extra_flags} ${SOURCE}/examples/consumer/main.cpp ${pc_flags}
    -o ${WORK}/spe_consumer_pc)

# The library, reached through the package, judges each example request as
# the installed command does: same verdict, same exception, same message.
file(GLOB requests ${SOURCE}/examples/request-*.json)
list(LENGTH requests n)
if(n LESS 3)
  message(FATAL_ERROR "expected the example requests under ${SOURCE}/examples, found ${n}")
endif()
set(rejected 0)
foreach(consumer ${WORK}/consumer/spe_consumer ${WORK}/spe_consumer_pc)
  foreach(body IN LISTS requests)
    foreach(revision seed botocore-1.43)
      execute_process(COMMAND ${prefix}/bin/spe validate --revision ${revision} ${body}
                      RESULT_VARIABLE spe_rc OUTPUT_VARIABLE spe_out)
      execute_process(COMMAND ${consumer} --revision ${revision} ${body}
                      RESULT_VARIABLE lib_rc OUTPUT_VARIABLE lib_out ERROR_VARIABLE lib_err)
      if(NOT spe_out STREQUAL lib_out)
        message(FATAL_ERROR "${body} (${revision}): the installed spe printed\n${spe_out}"
                            "${consumer} printed\n${lib_out}${lib_err}")
      endif()
      # spe: 0 valid, 1 invalid, 2 malformed; the consumer: 0 valid, 1 not.
      if((spe_rc EQUAL 0) AND NOT (lib_rc EQUAL 0) OR (spe_rc GREATER 0) AND NOT (lib_rc EQUAL 1))
        message(FATAL_ERROR "${body} (${revision}): spe exit ${spe_rc}, ${consumer} exit ${lib_rc}")
      endif()
      if(NOT spe_rc EQUAL 0)
        math(EXPR rejected "${rejected} + 1")
      endif()
    endforeach()
  endforeach()
endforeach()
if(rejected EQUAL 0)
  message(FATAL_ERROR "no example request was rejected: the comparison saw only valid bodies")
endif()

# spe::gen through the package: a drawn request is valid.
set(consumer ${WORK}/consumer/spe_consumer)
run("spe_consumer --draw" ${consumer} --draw 7)
execute_process(COMMAND ${consumer} --draw 7 OUTPUT_VARIABLE drawn)
if(NOT drawn MATCHES "\ndrawn: valid\n$")
  message(FATAL_ERROR "a request drawn by spe::gen was not judged valid:\n${drawn}")
endif()
message(STATUS "installed into ${prefix}; ${n} example requests x 2 revisions judged alike "
               "by spe, the CMake-built and the pkg-config-built consumer")

# Build-wide switches: sanitizers and coverage must reach every object file
# (the library, the tests and the fuzzers alike), so they are set here once;
# warnings are per target (spe_warnings) so embedders keep their own.

if(SPE_SANITIZE)
  string(REPLACE ";" "," _spe_san "${SPE_SANITIZE}")
  add_compile_options(-fsanitize=${_spe_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_spe_san})
endif()

if(SPE_COVERAGE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SPE_COVERAGE needs clang (llvm-cov source coverage)")
  endif()
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate -fcoverage-mapping)
endif()

if(SPE_LIBFUZZER)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SPE_LIBFUZZER needs clang")
  endif()
  # Everything is instrumented for coverage feedback; only the targets link
  # the libFuzzer main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(spe_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wconversion -Wsign-conversion -Wnon-virtual-dtor -Wold-style-cast
    -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
endfunction()

#!/bin/bash -eu
# Copyright 2026 the spe authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
#
################################################################################
# OSS-Fuzz (and ClusterFuzzLite) build script for spe.
#
# Everything comes from the standard environment: $CC $CXX $CFLAGS $CXXFLAGS
# (sanitizer and coverage instrumentation), $LIB_FUZZING_ENGINE (the engine's
# link flags or library), $SRC (spe is checked out at $SRC/spe), $WORK
# (scratch) and $OUT (where the fuzzers go). No compiler is named here:
# OSS-Fuzz brings its own clang. fuzz/oss-fuzz-check runs this very file on
# a workstation, without Docker.
#
# Writes to $OUT, for each target of fuzz/CMakeLists.txt: the binary,
# <target>.options (dict, max_len, timeout), the dictionary it names, and
# <target>_seed_corpus.zip (corpus/<target>/ and corpus/regressions/<target>/).
# The one shared library the targets need that is not in the runner image,
# the distribution's libsimdjson, goes to $OUT/lib (the targets look there:
# rpath $ORIGIN/lib); PCRE2 is linked statically.

# The distribution's simdjson (libsimdjson-dev) is built against libstdc++;
# OSS-Fuzz's CXXFLAGS ask for libc++, which would put two C++ standard
# libraries in one binary. spe and its fuzzers are built against libstdc++:
# right for ASan and UBSan; MSan would need every library instrumented, so
# project.yaml does not ask for it.
CXXFLAGS="${CXXFLAGS//-stdlib=libc++/}"
export CXXFLAGS

cd "$SRC/spe"
targets=$(sed -n 's/^set(SPE_FUZZ_TARGETS \(.*\))$/\1/p' fuzz/CMakeLists.txt)
[[ -n $targets ]] || { echo "build.sh: no targets found in fuzz/CMakeLists.txt" >&2; exit 1; }

# CMAKE_BUILD_TYPE OSSFuzz: a type CMake has no flags for, so that only
# $CFLAGS/$CXXFLAGS decide optimisation and instrumentation.
cmake -S . -B "$WORK/spe-build" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_BUILD_TYPE=OSSFuzz \
  -DSPE_FUZZ=ON -DSPE_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DSPE_FUZZ_STATIC_PCRE2=ON
cmake --build "$WORK/spe-build" --target fuzz_all -j"$(nproc)"

# A fresh $OUT/lib: a build into an $OUT that holds an earlier one (helper.py
# build_fuzzers keeps $OUT) would otherwise find ldd pointing at the old copy
# and `cp` refusing to copy a file onto itself.
rm -rf "$OUT/lib"
mkdir -p "$OUT/lib"
for t in $targets; do
  cp "$WORK/spe-build/fuzz/$t" "$OUT/$t"
  cp "fuzz/$t.options" "$OUT/$t.options"
  dict=$(sed -n 's/^[[:space:]]*dict[[:space:]]*=[[:space:]]*//p' "fuzz/$t.options")
  [[ -n $dict ]] && cp "fuzz/$dict" "$OUT/$dict"
  rm -f "$OUT/${t}_seed_corpus.zip"
  # -j: flat names. A file in both folders (a fixed crash that a merge
  # later found again) has the same SHA-1 name and bytes in each: it is
  # zipped once, as zip refuses a name twice.
  files=$(find "corpus/$t" "corpus/regressions/$t" -maxdepth 1 -type f ! -name '.*' 2>/dev/null |
            awk -F/ '!seen[$NF]++' || true)
  if [[ -n $files ]]; then
    echo "$files" | zip -q -j -@ "$OUT/${t}_seed_corpus.zip"
  fi
done

# Shared libraries outside the base system, next to the targets.
for lib in $(ldd "$OUT/validate" | awk '/=> \// && /simdjson/ {print $3}'); do
  cp -L "$lib" "$OUT/lib/"
done

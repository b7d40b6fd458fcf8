#!/bin/bash -eu
# ClusterFuzzLite builds spe exactly as OSS-Fuzz does: one build script.
exec "$SRC/spe/oss-fuzz/build.sh"

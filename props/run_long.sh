#!/bin/sh
# props-long: one property binary with many cases and a fresh seed.
# Usage: run_long.sh BINARY CASES. The seed is printed first so that any
# failure can be replayed; SPE_PROPS_SEED in the environment pins it.
set -eu
bin=$1
cases=$2
seed=${SPE_PROPS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
params="seed=$seed max_success=$cases"
echo "props-long: RC_PARAMS=\"$params\" $bin"
RC_PARAMS=$params SPE_RC_EXPECT=$params exec "$bin"

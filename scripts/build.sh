#!/usr/bin/env bash
# Configures and builds flashsynth in build/ (executables in build/bin/, the
# model plugin in build/lib/). Installs missing Debian packages first.
#
# Usage: scripts/build.sh [--target TARGET]... [CMAKE_ARG]...
#   --target  build only these targets (default: everything: tools, tests,
#             benchmarks); e.g. --target flashsynth builds the command and
#             the model plugin it opens
#   CMAKE_ARG passed to the configure step, e.g. -DFLASHSYNTH_WITH_TORCH=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
configure=()
while (($#)); do
  case $1 in
    --target) targets+=(--target "$2"); shift 2 ;;
    *) configure+=("$1"); shift ;;
  esac
done
scripts/setup.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "${configure[@]}" >/dev/null
cmake --build build -j"$(nproc)" "${targets[@]}"

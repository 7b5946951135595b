#!/usr/bin/env bash
# Configures and builds flashsynth in build/ (all executables in build/bin/).
# Extra arguments go to cmake's configure step, e.g. -DFLASHSYNTH_WITH_TORCH=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$(nproc)"

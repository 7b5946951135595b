#!/usr/bin/env bash
# README command (b): install, build, run the whole test suite, then a short
# smoke run of each fuzzer (scripts/fuzz.sh runs them longer).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
scripts/fuzz.sh "${FLASHSYNTH_FUZZ_SMOKE_SECONDS:-10}"

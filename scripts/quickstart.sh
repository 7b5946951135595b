#!/usr/bin/env bash
# README command (a): install what is missing, build, fill a shipped example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
build/bin/flashsynth examples/names.csv

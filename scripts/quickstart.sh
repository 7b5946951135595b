#!/usr/bin/env bash
# README command (a): install what is missing, build the flashsynth command
# (and the model plugin it opens when a run needs the model), fill a shipped
# example. scripts/test.sh builds the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh --target flashsynth
build/bin/flashsynth examples/names.csv

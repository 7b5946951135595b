#!/bin/bash
# Reproduces the neural figures of README.md and neural/README.md (issue 5):
# the model alone on the RobustFill conformance tasks (beams 10 and 100) and
# on the synthetic 4+6 set, then symbolic / neural / hybrid with
# flashsynth-bench on SyGuS 2017 generalize@3 and on the synthetic set.
#
# Usage: scripts/neural_figures.sh [MODEL] [OUT_DIR]
#   MODEL    default neural/models/robustfill.fsnn
#   OUT_DIR  default benchmarks/results/neural (JSON and Markdown reports)
# Environment: BIN (default build/bin), SHARED (default ../shared/benchmarks),
#   LIMIT (tasks per set for the slow parts, default 200), JOBS (default 1).
# Needs a build with LibTorch and benchmarks (scripts/build.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-neural/models/robustfill.fsnn}
out=${2:-benchmarks/results/neural}
bin=${BIN:-build/bin}
shared=${SHARED:-../shared/benchmarks}
limit=${LIMIT:-200}
jobs=${JOBS:-1}
mkdir -p "$out"
evalset=$(mktemp -d)
trap 'rm -rf "$evalset"' EXIT

# The synthetic test set: 4 observed + 6 held-out rows per task, seed 7.
"$bin/flashsynth-make-evalset" --out "$evalset/evalset-7" --tasks 1000 --seed 7
mapfile -t evaltasks < <(ls "$evalset"/evalset-7/*.csv | head -n "$limit")

echo "== the model alone: conformance (first $limit tasks), beams 10 and 100" >&2
"$bin/flashsynth-neural-eval" --model "$model" --conformance "$shared/robustfill-conformance" \
    --limit "$limit" --beam 10 --beam 100 --threads 2 --json "$out/conformance.json"
echo "== the model alone: synthetic 4+6 set (first $limit tasks), beam 100" >&2
"$bin/flashsynth-neural-eval" --model "$model" --eval-set "$evalset/evalset-7" \
    --limit "$limit" --beam 100 --threads 2 --json "$out/evalset-7.json"

for engine in symbolic neural hybrid; do
  echo "== $engine: SyGuS 2017 generalize@3" >&2
  "$bin/flashsynth-bench" "$shared/sygus-pbe-strings-2017" --mode generalize --k 3 \
      --jobs "$jobs" --engine "$engine" --model "$model" \
      --json "$out/sygus2017-generalize3-$engine.json" --markdown "$out/sygus2017-generalize3-$engine.md"
  echo "== $engine: synthetic 4+6 set, generalize@4" >&2
  "$bin/flashsynth-bench" "${evaltasks[@]}" --mode generalize --k 4 \
      --jobs "$jobs" --engine "$engine" --model "$model" \
      --json "$out/evalset7-generalize4-$engine.json" --markdown "$out/evalset7-generalize4-$engine.md"
done
echo "reports in $out" >&2

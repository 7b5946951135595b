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
#   LIMIT (conformance tasks at beam 100, default all 1000), EVAL_LIMIT (tasks of
#   the synthetic set, default 100), JOBS (tasks in parallel, default 2).
# Needs a build with LibTorch and benchmarks (scripts/build.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-neural/models/robustfill.fsnn}
out=${2:-benchmarks/results/neural}
bin=${BIN:-build/bin}
shared=${SHARED:-../shared/benchmarks}
limit=${LIMIT:-1000}
eval_limit=${EVAL_LIMIT:-100}
jobs=${JOBS:-2}
mkdir -p "$out"
evalset=$(mktemp -d)
trap 'rm -rf "$evalset"' EXIT

# The synthetic test set: 4 observed + 6 held-out rows per task, seed 7.
"$bin/flashsynth-make-evalset" --out "$evalset/evalset-7" --tasks 1000 --seed 7
mapfile -t evaltasks < <(ls "$evalset"/evalset-7/*.csv | head -n "$eval_limit")

echo "== the model alone: conformance, beam 10 (all 1000 tasks)" >&2
"$bin/flashsynth-neural-eval" robustfill --model "$model" --conformance "$shared/robustfill-conformance" \
    --beam 10 --jobs "$jobs" --threads 1 --json "$out/conformance-beam10.json"
echo "== the model alone: conformance, beam 100 ($limit tasks)" >&2
"$bin/flashsynth-neural-eval" robustfill --model "$model" --conformance "$shared/robustfill-conformance" \
    --limit "$limit" --beam 100 --jobs "$jobs" --threads 1 --json "$out/conformance-beam100.json"
# Three times: on a shared 2-core machine one run's median can be 30% off.
for run in 1 2 3; do
  echo "== latency: beam 100 on 2 threads, one task at a time (first 50 conformance tasks), run $run" >&2
  "$bin/flashsynth-neural-eval" robustfill --model "$model" --conformance "$shared/robustfill-conformance" \
      --limit 50 --beam 100 --jobs 1 --threads 2 --json "$out/latency-beam100-$run.json"
done
echo "== the model alone: synthetic 4+6 set (first $eval_limit tasks), beam 100" >&2
"$bin/flashsynth-neural-eval" robustfill --model "$model" --eval-set "$evalset/evalset-7" \
    --limit "$eval_limit" --beam 100 --jobs "$jobs" --threads 1 --json "$out/evalset7-beam100.json"

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

#!/bin/bash
# Reproduces the induction baselines' figures of README.md (issue 6):
#   1. the Neural GPU on binary addition at 20, 200 and 2000 bits and on
#      multiplication at 3, 4, 20 and 200 bits, with Price et al.'s hard
#      cases;
#   2. the synthetic 4+6 sets with inputs about 10, 20 and 50 characters long
#      (1x = the length the induction models were trained on, 2x, 5x): the
#      three induction models next to the symbolic, neural and hybrid
#      synthesizers;
#   3. SyGuS 2017 generalize@3 for the induction models (the synthesizers'
#      figures for it come from scripts/neural_figures.sh).
#
# Usage: scripts/induction_figures.sh [OUT_DIR]
#   OUT_DIR  default benchmarks/results/induction (JSON and Markdown reports)
# Environment: BIN (default build/bin), SHARED (default ../shared/benchmarks),
#   MODELS (default neural/models), TASKS (tasks per synthetic set, default
#   100), JOBS (tasks in parallel, default 2), EXAMPLES_2000 (tapes at 2000
#   bits, default 3: each runs 4001 steps over a 4 x 4001 grid, minutes on a
#   CPU), PARTS (default "gpu sets sygus").
# Needs a build with LibTorch and benchmarks (scripts/build.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results/induction}
bin=${BIN:-build/bin}
shared=${SHARED:-../shared/benchmarks}
models=${MODELS:-neural/models}
tasks=${TASKS:-100}
jobs=${JOBS:-2}
examples_2000=${EXAMPLES_2000:-3}
parts=${PARTS:-gpu sets sygus}
mkdir -p "$out"
sets=$(mktemp -d)
trap 'rm -rf "$sets"' EXIT
induction_models=(induction-lstm induction-pointer neural-gpu-strings)

if [[ " $parts " == *" gpu "* ]]; then
  echo "== Neural GPU, badd: 20 and 200 bits, then 2000 bits" >&2
  "$bin/flashsynth-neural-eval" neural-gpu --model "$models/neural-gpu-badd.fsnn" --bits 20 --bits 200 \
      --examples 100 --hard --json "$out/neural-gpu-badd.json" | tee "$out/neural-gpu-badd.txt"
  "$bin/flashsynth-neural-eval" neural-gpu --model "$models/neural-gpu-badd.fsnn" --bits 2000 \
      --examples "$examples_2000" --hard --json "$out/neural-gpu-badd-2000.json" \
      | tee "$out/neural-gpu-badd-2000.txt"
  # The shipped bmul model learned 3- and 4-bit products only: no 2000-bit run.
  echo "== Neural GPU, bmul: 3, 4, 20 and 200 bits" >&2
  "$bin/flashsynth-neural-eval" neural-gpu --model "$models/neural-gpu-bmul.fsnn" --bits 3 --bits 4 \
      --bits 20 --bits 200 --examples 100 --examples-at 200=20 --hard \
      --json "$out/neural-gpu-bmul.json" | tee "$out/neural-gpu-bmul.txt"
fi

if [[ " $parts " == *" sets "* ]]; then
  # name, characters per input cell at most, token slots per cell
  for spec in "1x 10 5" "2x 20 10" "5x 50 25"; do
    read -r name length slots <<<"$spec"
    set_dir="$sets/len-$name"
    "$bin/flashsynth-make-evalset" --out "$set_dir" --tasks "$tasks" --seed 7 \
        --max-input-length "$length" --max-input-tokens "$slots" --max-output-chars 500
    for m in "${induction_models[@]}"; do
      echo "== $m on the $name set" >&2
      "$bin/flashsynth-neural-eval" induction --model "$models/$m.fsnn" --tasks "$set_dir" --observed 4 \
          --jobs "$jobs" --json "$out/len-$name-$m.json"
    done
    for engine in symbolic neural hybrid; do
      echo "== $engine synthesizer on the $name set" >&2
      "$bin/flashsynth-bench" "$set_dir" --mode generalize --k 4 --jobs "$jobs" \
          --engine "$engine" --model "$models/robustfill.fsnn" \
          --json "$out/len-$name-$engine.json" --markdown "$out/len-$name-$engine.md"
    done
  done
fi

if [[ " $parts " == *" sygus "* ]]; then
  for m in "${induction_models[@]}"; do
    echo "== $m on SyGuS 2017 generalize@3" >&2
    "$bin/flashsynth-neural-eval" induction --model "$models/$m.fsnn" \
        --tasks "$shared/sygus-pbe-strings-2017" --observed 3 --min-examples 6 \
        --jobs "$jobs" --json "$out/sygus2017-generalize3-$m.json"
  done
fi
echo "reports in $out" >&2

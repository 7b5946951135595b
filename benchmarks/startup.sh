#!/usr/bin/env bash
# benchmarks/startup.sh: whole-process time of flashsynth, with hyperfine.
#
# Usage: benchmarks/startup.sh [BIN_DIR] [OUT_DIR]
#   BIN_DIR  the build's bin/ (default build/bin)
#   OUT_DIR  where the reports go (default benchmarks/results/startup)
#
# 1. `flashsynth --help`, `flashsynth examples/names.csv` (the default
#    engine), `--engine symbolic` and `--engine neural` on the same file:
#    hyperfine, 3 warm-up runs, then RUNS (default 20) runs each.
# 2. One process per task over SyGuS PBE strings 2017 (108 tasks, each
#    task's .csv: every row an example, so flashsynth learns and checks):
#    hyperfine, TASK_RUNS (default 5) runs of each task; the median over the
#    tasks of each task's median, and the same over the tasks it solves
#    (exit 0).
# With cvc5 on PATH (Debian package cvc5), `cvc5 --version` is timed beside
# them as a reference for a process that does next to nothing. (cvc5 1.0.3
# reads only SyGuS v2, and these .sl files are v1: timing cvc5 per task
# needs converted copies, see ../shared/benchmarks/README.md, section 6.)
#
# Prints a Markdown table and writes hyperfine's JSON and CSV into OUT_DIR.
# Environment: RUNS, TASK_RUNS, SHARED (default ../shared/benchmarks), LABEL
# (a word put in the report names, e.g. "before").
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin}
out=${2:-benchmarks/results/startup}
runs=${RUNS:-20}
task_runs=${TASK_RUNS:-5}
shared=${SHARED:-../shared/benchmarks}
label=${LABEL:-}
suffix=${label:+-$label}
command -v hyperfine >/dev/null || { echo "startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[[ -x $bin/flashsynth ]] || { echo "startup.sh: no $bin/flashsynth (build it first)" >&2; exit 2; }
mkdir -p "$out"
fs=$(realpath "$bin/flashsynth")
names=$(realpath examples/names.csv)

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max[,parameter_*]
median_column() { awk -F, 'NR > 1 { print $4 }' "$1" | sort -g; }
median_of() { awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
                   m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f", m }'; }

reference=()
command -v cvc5 >/dev/null && reference=(-n "cvc5 --version" "cvc5 --version")
echo "== startup: $fs" >&2
hyperfine -N --warmup 3 --runs "$runs" --style basic \
    --export-json "$out/startup$suffix.json" --export-csv "$out/startup$suffix.csv" \
    -n "flashsynth --help" "$fs --help" \
    -n "flashsynth examples/names.csv" "$fs $names" \
    -n "flashsynth --engine symbolic examples/names.csv" "$fs --engine symbolic $names" \
    -n "flashsynth --engine neural examples/names.csv" "$fs --engine neural $names" \
    "${reference[@]}" >&2

# The SyGuS tasks, one process each; exit status noted once per task.
tasks=()
solved=()
for csv in "$shared"/sygus-pbe-strings-2017/*.csv; do
  tasks+=("$(realpath "$csv")")
  if "$fs" "$csv" >/dev/null 2>&1; then solved+=("$(basename "$csv" .csv)"); fi
done
list=$(IFS=,; echo "${tasks[*]}")
echo "== one process per SyGuS 2017 task (${#tasks[@]} tasks, ${#solved[@]} solved)" >&2
hyperfine -N --warmup 1 --runs "$task_runs" --style none -i \
    --export-csv "$out/sygus2017-per-task$suffix.csv" \
    --parameter-list task "$list" "$fs {task}" >&2
printf '%s\n' "${solved[@]}" >"$out/sygus2017-solved$suffix.txt"
per_task_all=$(median_column "$out/sygus2017-per-task$suffix.csv" | median_of)
solved_medians() {  # $1: the per-task CSV, $2: file of solved task names
  awk -F, 'NR == FNR { ok[$1] = 1; next } FNR > 1 { n = $NF; sub(/.*\//, "", n); sub(/\.(csv|sl)$/, "", n)
           if (n in ok) print $4 }' "$2" "$1" | sort -g | median_of
}
per_task_solved=$(solved_medians "$out/sygus2017-per-task$suffix.csv" "$out/sygus2017-solved$suffix.txt")


{
  echo "| what | median |"
  echo "|---|---|"
  awk -F, 'NR > 1 { printf "| `%s` | %.4f s |\n", $1, $4 }' "$out/startup$suffix.csv"
  echo "| SyGuS 2017, one process per task, all ${#tasks[@]} tasks (median of each task's median) | $per_task_all s |"
  echo "| same, the ${#solved[@]} tasks flashsynth solves | $per_task_solved s |"
} | tee "$out/startup$suffix.md"

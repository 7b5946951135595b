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
#    (exit 0). With cvc5 on PATH (Debian package cvc5) and CVC5=1, the same
#    for `cvc5 --lang=sygus2 TASK.sl` with a CVC5_TIMEOUT (default 10 s)
#    limit, and both medians over the tasks both solve.
#
# Prints a Markdown table and writes hyperfine's JSON and CSV into OUT_DIR.
# Environment: RUNS, TASK_RUNS, SHARED (default ../shared/benchmarks), CVC5,
# CVC5_TIMEOUT, LABEL (a word put in the report names, e.g. "before").
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

echo "== startup: $fs" >&2
hyperfine -N --warmup 3 --runs "$runs" --style basic \
    --export-json "$out/startup$suffix.json" --export-csv "$out/startup$suffix.csv" \
    -n "flashsynth --help" "$fs --help" \
    -n "flashsynth examples/names.csv" "$fs $names" \
    -n "flashsynth --engine symbolic examples/names.csv" "$fs --engine symbolic $names" \
    -n "flashsynth --engine neural examples/names.csv" "$fs --engine neural $names" >&2

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

cvc5_row=""
if [[ ${CVC5:-0} == 1 ]] && command -v cvc5 >/dev/null; then
  limit=${CVC5_TIMEOUT:-10}
  sls=()
  cvc5_solved=()
  for sl in "$shared"/sygus-pbe-strings-2017/*.sl; do
    sls+=("$(realpath "$sl")")
    if timeout "$limit" cvc5 --lang=sygus2 "$sl" 2>/dev/null | grep -q '(define-fun'; then
      cvc5_solved+=("$(basename "$sl" .sl)")
    fi
  done
  printf '%s\n' "${cvc5_solved[@]}" >"$out/sygus2017-cvc5-solved$suffix.txt"
  echo "== cvc5, one process per task (${#cvc5_solved[@]} solved within $limit s)" >&2
  sl_list=$(IFS=,; echo "${sls[*]}")
  hyperfine -N --runs 1 --style none -i --export-csv "$out/sygus2017-cvc5-per-task$suffix.csv" \
      --parameter-list task "$sl_list" "timeout $limit cvc5 --lang=sygus2 {task}" >&2
  sort "$out/sygus2017-solved$suffix.txt" "$out/sygus2017-cvc5-solved$suffix.txt" | uniq -d \
      >"$out/sygus2017-both-solved$suffix.txt"
  both=$(wc -l <"$out/sygus2017-both-solved$suffix.txt")
  cvc5_both=$(solved_medians "$out/sygus2017-cvc5-per-task$suffix.csv" "$out/sygus2017-both-solved$suffix.txt")
  fs_both=$(solved_medians "$out/sygus2017-per-task$suffix.csv" "$out/sygus2017-both-solved$suffix.txt")
  cvc5_row="| SyGuS 2017, the $both tasks both solve: median process (flashsynth / cvc5 $(cvc5 --version | head -1 | grep -o '[0-9][0-9.]*' | head -1)) | $fs_both s / $cvc5_both s |"
fi

{
  echo "| what | median |"
  echo "|---|---|"
  awk -F, 'NR > 1 { printf "| `%s` | %.4f s |\n", $1, $4 }' "$out/startup$suffix.csv"
  echo "| SyGuS 2017, one process per task, all ${#tasks[@]} tasks (median of each task's median) | $per_task_all s |"
  echo "| same, the ${#solved[@]} tasks flashsynth solves | $per_task_solved s |"
  [[ -n $cvc5_row ]] && echo "$cvc5_row"
} | tee "$out/startup$suffix.md"

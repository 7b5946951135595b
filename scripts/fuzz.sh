#!/usr/bin/env bash
# scripts/fuzz.sh: builds the libFuzzer targets with ASan+UBSan and runs them.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  how long each fuzzer runs (default 60)
#   TARGET   csv_fuzzer, parser_fuzzer, decimal_fuzzer (default: each one whose source exists)
#
# Configures build-fuzz/ with clang, every file compiled with
# -fsanitize=fuzzer-no-link,address,undefined, and installs clang and
# libFuzzer's runtime (libclang-rt-14-dev) when they are missing. Corpora
# live in build-fuzz/corpus/<target>, crash inputs in build-fuzz/artifacts/,
# logs in build-fuzz/<target>.log. Prints one line per target, e.g.
#   csv_fuzzer: 60 s, 1234567 runs, clean
# and exits non-zero if any fuzzer crashed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly kAllTargets=(csv_fuzzer parser_fuzzer decimal_fuzzer)
readonly kBuild=build-fuzz
readonly kSharedCsvs=../shared/benchmarks/sygus-pbe-strings-2017

usage() {
  sed -n '4,6s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

ensure_packages() {
  local missing=()
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  command -v clang++ >/dev/null 2>&1 || missing+=(clang)
  dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || missing+=(libclang-rt-14-dev)
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  echo "fuzz.sh: installing ${missing[*]}" >&2
  if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null; then
    "${sudo[@]}" apt-get update -qq >/dev/null
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
  fi
}

build() {
  CC=clang CXX=clang++ cmake -S . -B "$kBuild" -DCMAKE_BUILD_TYPE=Debug \
      -DFLASHSYNTH_FUZZ=ON -DFLASHSYNTH_WITH_TORCH=OFF \
      -DFLASHSYNTH_BUILD_TESTS=OFF -DFLASHSYNTH_BUILD_BENCHMARKS=OFF \
      -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g -O1" \
      >"$kBuild/configure.log" 2>&1 || { cat "$kBuild/configure.log" >&2; return 1; }
  cmake --build "$kBuild" --target "$@" -j "$(nproc)"
}

# Copies up to $1 files matching the rest into the corpus folder $corpus.
seed() {
  local limit=$1 n=0 f
  shift
  for f in "$@"; do
    [[ -f $f ]] || continue
    ((n++ < limit)) || break
    cp -f "$f" "$corpus/seed-$(basename "$f")"
  done
}

seed_corpus() {
  local target=$1
  corpus=$kBuild/corpus/$target
  mkdir -p "$corpus"
  case $target in
    csv_fuzzer)
      seed 20 examples/*.csv
      seed 20 "$kSharedCsvs"/*.csv
      printf 'a,b\r\n"x,1","say ""hi"""\r\n\r\n"multi\nline",\n' \
          >"$corpus/seed-quoted.csv"
      printf '\xef\xbb\xbfname,initials\nAda Lovelace,A.L.\nAlan Turing,\n' \
          >"$corpus/seed-bom.csv"
      ;;
    parser_fuzzer)
      seed 20 tests/fuzz/parser_seeds/*.program
      ;;
    decimal_fuzzer)
      seed 20 tests/fuzz/decimal_seeds/*.txt
      ;;
  esac
}

# Runs one fuzzer for $seconds; prints its summary line; fails on a crash.
run_one() {
  local target=$1
  local log=$kBuild/$target.log rc=0 runs secs
  seed_corpus "$target"
  mkdir -p "$kBuild/artifacts"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$kBuild/bin/$target" -max_total_time="$seconds" -max_len=4096 \
      -timeout=10 -artifact_prefix="$kBuild/artifacts/$target-" \
      "$corpus" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log")
  secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log")
  if ((rc == 0)) && [[ -n $runs ]]; then
    echo "$target: $secs s, $runs runs, clean"
    return 0
  fi
  runs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
  tail -n 40 "$log" >&2
  echo "$target: CRASHED (exit $rc) after ${runs:-?} runs; see $log and" \
       "$kBuild/artifacts/$target-*"
  return 1
}

main() {
  seconds=${1:-60}
  [[ $seconds =~ ^[0-9]+$ ]] || usage
  shift $(($# > 0 ? 1 : 0))
  local targets=("$@") t
  if ((${#targets[@]} == 0)); then
    for t in "${kAllTargets[@]}"; do
      [[ -f tests/fuzz/$t.cc ]] && targets+=("$t")
    done
  fi
  for t in "${targets[@]}"; do
    [[ -f tests/fuzz/$t.cc ]] || { echo "fuzz.sh: no tests/fuzz/$t.cc" >&2; exit 2; }
  done
  ensure_packages
  mkdir -p "$kBuild"
  build "${targets[@]}"
  local failed=0
  for t in "${targets[@]}"; do
    run_one "$t" || failed=1
  done
  return "$failed"
}

main "$@"

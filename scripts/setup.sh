#!/usr/bin/env bash
# Installs the Debian 12 packages flashsynth needs; silent when all are there.
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libabsl-dev libboost-dev libicu-dev nlohmann-json3-dev libcli11-dev
  libz3-dev libtorch-dev libopenblas0-pthread  # Debian's libtorch on OpenBLAS, not reference BLAS
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev                     # libFuzzer with ASan and UBSan
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
log=$(mktemp)
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
         --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "setup: apt-get failed" >&2
  exit 1
fi
rm -f "$log"

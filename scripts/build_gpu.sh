#!/usr/bin/env bash
# Builds flashsynth-train and the neural evaluation tools against the LibTorch
# inside a CUDA PyTorch, on a machine with PyTorch, CMake and a C++ compiler
# but no internet (the GPU machines this project is lent). The Debian
# libraries the DSL needs (Abseil, Boost headers, ICU, nlohmann-json, CLI11)
# travel as .deb files and are unpacked into a private prefix, never into /.
#
# STATUS: UNTESTED ON A GPU MACHINE. Written without one; the steps that
# could be checked here were (fetch-debs; the standalone CMake project with
# the unpacked prefix and Debian's CPU LibTorch). What rests on documents,
# not runs: pip torch's TorchConfig.cmake on a CUDA wheel, the manual link
# fallback, and Debian 12 .debs on the GPU image (Ubuntu-like, newer glibc
# and libstdc++: expected to work, since both are backward compatible).
# Read ../shared/reference/libtorch_notes.md (sections 3 and 4) first.
#
# Two steps:
#
#   1. Here (Debian 12, with apt): fetch the .deb files into .gpu-debs/
#        scripts/build_gpu.sh fetch-debs [DIR]        # default DIR: .gpu-debs
#      DIR must not travel in git: .gitignore lists /.gpu-debs/. About 31 MB.
#
#   2. There, in the repository root (the device tool's run, with
#      carry: [".gpu-debs"]):
#        scripts/build_gpu.sh build [DIR] [BUILD_DIR]   # default BUILD_DIR: build-gpu
#      then e.g.
#        build-gpu/bin/flashsynth-train --device cuda --threads 4 ...
#
# ABI: the Debian libraries are built with _GLIBCXX_USE_CXX11_ABI=1. PyTorch
# wheels use ABI 1 from 2.7 on (earlier ones mostly 0); `build` reads
# torch.compiled_with_cxx11_abi() and stops with an explanation on 0, since
# one binary cannot mix the two ABIs across std::string interfaces.
#
# Environment: PYTHON (default python3, the one with torch), JOBS (default
# nproc), DEPS_PREFIX (default /tmp/flashsynth-deps), CMAKE_BUILD_TYPE
# (default Release).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
DEPS_PREFIX=${DEPS_PREFIX:-/tmp/flashsynth-deps}
PACKAGES=(
  libabsl-dev libabsl20220623  # Abseil 20220623 (headers, CMake config, shared libraries)
  libboost1.74-dev             # Boost.Spirit X3 (headers only)
  libicu-dev libicu72          # ICU 72 (Unicode classes and case mapping in dsl/)
  nlohmann-json3-dev           # JSON (dsl/json.cc, the tools' reports)
  libcli11-dev                 # command lines
)

die() { echo "build_gpu.sh: $*" >&2; exit 1; }

fetch_debs() {
  local dir=${1:-$ROOT/.gpu-debs}
  command -v apt-get >/dev/null || die "fetch-debs needs apt-get (run it on the Debian 12 machine)"
  mkdir -p "$dir"
  (cd "$dir" && apt-get download "${PACKAGES[@]}")
  echo "fetched into $dir:"
  ls -la "$dir"
  du -sh "$dir"
}

# Unpacks every .deb of $1 into DEPS_PREFIX (dpkg -x: no scripts, no database).
unpack_debs() {
  local dir=$1
  local debs=("$dir"/*.deb)
  [[ -e "${debs[0]}" ]] || die "no .deb files in $dir (run 'scripts/build_gpu.sh fetch-debs' first, and carry the folder)"
  mkdir -p "$DEPS_PREFIX"
  for deb in "${debs[@]}"; do
    if command -v dpkg-deb >/dev/null; then
      dpkg-deb -x "$deb" "$DEPS_PREFIX"
    else
      # ar + tar fallback for an image without dpkg.
      local tmp; tmp=$(mktemp -d)
      (cd "$tmp" && ar x "$deb" && tar -xf data.tar.* -C "$DEPS_PREFIX")
      rm -rf "$tmp"
    fi
  done
  echo "unpacked ${#debs[@]} packages into $DEPS_PREFIX"
}

build() {
  local dir=${1:-$ROOT/.gpu-debs}
  local build_dir=${2:-$ROOT/build-gpu}
  command -v cmake >/dev/null || die "cmake not found (pip's cmake works: $PYTHON -m pip show cmake)"
  command -v "${CXX:-g++}" >/dev/null || die "no C++ compiler (${CXX:-g++}); install g++ or set CXX"
  cmake --version | head -1
  "${CXX:-g++}" --version | head -1

  local info
  info=$("$PYTHON" - <<'PYEOF'
import os, torch
print(os.path.dirname(torch.__file__), torch.utils.cmake_prefix_path,
      int(torch.compiled_with_cxx11_abi()), torch.__version__, torch.version.cuda,
      int(torch.cuda.is_available()))
PYEOF
  ) || die "$PYTHON cannot import torch (set PYTHON to the interpreter that has it)"
  local torch_dir torch_cmake abi version cuda cuda_ok
  read -r torch_dir torch_cmake abi version cuda cuda_ok <<<"$info"
  echo "torch $version (CUDA $cuda, GPU visible: $cuda_ok, cxx11 ABI: $abi) at $torch_dir"
  if [[ "$abi" != 1 ]]; then
    die "this torch uses the pre-cxx11 ABI (_GLIBCXX_USE_CXX11_ABI=0) but Debian's Abseil and ICU
use the new one: their std::string interfaces cannot be linked together. Use a torch >= 2.7
(cxx11 ABI), or build Abseil and the DSL's dependencies from source with -D_GLIBCXX_USE_CXX11_ABI=0."
  fi

  unpack_debs "$dir"
  local usr=$DEPS_PREFIX/usr
  local multiarch=$usr/lib/x86_64-linux-gnu
  export LD_LIBRARY_PATH="$multiarch${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  local common=(
    -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}"
    -DICU_ROOT="$usr"
    -DBoost_NO_SYSTEM_PATHS=ON -DBOOST_ROOT="$usr" -DBoost_DIR="$multiarch/cmake/Boost-1.74.0"
    -DCMAKE_BUILD_RPATH="$multiarch"
  )
  local gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)

  # (A) TorchConfig.cmake; a CUDA wheel needs the CUDA toolkit for it.
  rm -rf "$build_dir"
  if cmake -S "$ROOT/neural/standalone" -B "$build_dir" "${gen[@]}" "${common[@]}" \
       -DCMAKE_PREFIX_PATH="$usr;$torch_cmake" >"$ROOT/cmake-gpu-findpackage.log" 2>&1; then
    echo "configured with find_package(Torch)"
  else
    # (B) Link torch's libraries directly (--no-as-needed keeps libtorch_cuda).
    echo "find_package(Torch) failed (see cmake-gpu-findpackage.log); linking LibTorch directly"
    rm -rf "$build_dir"
    cmake -S "$ROOT/neural/standalone" -B "$build_dir" "${gen[@]}" "${common[@]}" \
      -DCMAKE_PREFIX_PATH="$usr" -DTORCH_MANUAL=ON -DTORCH_ROOT="$torch_dir" -DTORCH_CXX11_ABI="$abi"
  fi
  cmake --build "$build_dir" -j"${JOBS:-$(nproc)}" \
    --target flashsynth-train flashsynth-neural-eval flashsynth-make-evalset

  # The pip CUDA runtime libraries (nvidia/*/lib) are found through
  # libtorch_cuda.so's own RPATH in current wheels; if the check below says
  # CUDA is missing although torch sees the GPU, put them on LD_LIBRARY_PATH:
  #   export LD_LIBRARY_PATH=$(ls -d $torch_dir/../nvidia/*/lib | paste -sd:):$LD_LIBRARY_PATH
  echo "built:"
  ls -la "$build_dir/bin"
  echo "check: a few training steps on the GPU"
  "$build_dir/bin/flashsynth-train" --device auto --steps 3 --log-every 1 --eval-every 0 \
    --eval-tasks 4 --no-decode --hidden 64 --embedding 32 || \
    die "the smoke test failed (see above)"
  "$build_dir/bin/flashsynth-train" --device auto --steps 3 --log-every 1 --eval-every 0 \
    neural-gpu --task badd --eval-examples 4 || die "the Neural GPU smoke test failed"
  "$build_dir/bin/flashsynth-train" --device auto --steps 3 --log-every 1 --eval-every 0 \
    induction --embedding 16 --hidden 32 --eval-tasks 4 || die "the induction smoke test failed"
  echo "ok: run $build_dir/bin/flashsynth-train --device cuda ... (libraries: LD_LIBRARY_PATH=$multiarch)"
}

case "${1:-}" in
  fetch-debs) shift; fetch_debs "$@" ;;
  build) shift; build "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

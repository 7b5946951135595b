// Includes only the small CUDA and threading headers of LibTorch, so this
// file compiles in seconds.
#include "neural/device.h"

#include <dlfcn.h>

#include <atomic>

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"

namespace flashsynth::neural {

absl::StatusOr<DeviceKind> ParseDeviceKind(std::string_view name) {
  if (name == "cpu") return DeviceKind::kCpu;
  if (name == "cuda") return DeviceKind::kCuda;
  if (name == "auto") return DeviceKind::kAuto;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown device \"", ToAbsl(name), "\": expected cpu, cuda or auto"));
}

std::string_view DeviceKindName(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kCpu: return "cpu";
    case DeviceKind::kCuda: return "cuda";
    case DeviceKind::kAuto: return "auto";
  }
  return "?";
}

bool CudaAvailable() { return torch::cuda::is_available(); }

absl::StatusOr<DeviceKind> ResolveDevice(DeviceKind kind) {
  const bool cuda = CudaAvailable();
  if (kind == DeviceKind::kAuto) return cuda ? DeviceKind::kCuda : DeviceKind::kCpu;
  if (kind == DeviceKind::kCuda && !cuda) {
    return absl::FailedPreconditionError(
        "device cuda: this LibTorch sees no CUDA device (build with a CUDA LibTorch, or use cpu)");
  }
  return kind;
}

namespace {

// Set by SetNumThreads(); 0 until then.
std::atomic<int> threads_set{0};

// OpenBLAS, Debian's BLAS behind LibTorch, keeps its own thread pool (a
// thread per core by default) that at::set_num_threads does not reach, and
// the two pools at once fight over the cores. Measured on 2 cores with a
// temporary build that set each pool (LibTorch threads / OpenBLAS threads):
// beam-100 decoding median 1.27 s (2/2), 0.46 s (2/1), 0.35-0.40 s (1/2),
// 0.50 s (1/1); RobustFill training 9.2 programs/s (2/2), 32 (2/1 and 1/2),
// 26.5 (1/1). So the threads go to OpenBLAS, whose matrix products are most
// of the work, and LibTorch's own pool stays at one. Found by name: another
// BLAS (e.g. MKL inside a CUDA PyTorch) shares LibTorch's pool, and then
// LibTorch gets the threads. Returns whether this BLAS is OpenBLAS.
bool SetOpenBlasThreads(int n) {
  using SetThreads = void (*)(int);
  auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (set == nullptr) return false;
  set(n);
  return true;
}

}  // namespace

void SetNumThreads(int n) {
  n = n < 1 ? 1 : n;
  at::set_num_threads(SetOpenBlasThreads(n) ? 1 : n);
  threads_set = n;
}

int NumThreads() {
  const int n = threads_set;
  return n > 0 ? n : at::get_num_threads();
}

}  // namespace flashsynth::neural

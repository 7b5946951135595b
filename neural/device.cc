// Includes only the small CUDA and threading headers of LibTorch, so this
// file compiles in seconds.
#include "neural/device.h"

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

void SetNumThreads(int n) { at::set_num_threads(n < 1 ? 1 : n); }
int NumThreads() { return at::get_num_threads(); }

}  // namespace flashsynth::neural

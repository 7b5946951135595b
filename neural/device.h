// neural/device.h: where the models run, chosen at run time.
//
// One build serves CPU and CUDA: a LibTorch with CUDA uses the GPU when asked
// (or on kAuto when one is there); a CPU-only LibTorch says kCuda is missing.
//
// Example:
//   absl::StatusOr<DeviceKind> d = ParseDeviceKind("auto");
//   absl::StatusOr<DeviceKind> where = ResolveDevice(*d);  // kCuda or kCpu
//   SetNumThreads(1);  // tests and small models: see ../shared/reference/libtorch_notes.md
#ifndef FLASHSYNTH_NEURAL_DEVICE_H_
#define FLASHSYNTH_NEURAL_DEVICE_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace flashsynth::neural {

enum class DeviceKind { kCpu, kCuda, kAuto };

// "cpu", "cuda" or "auto"; anything else is kInvalidArgument.
absl::StatusOr<DeviceKind> ParseDeviceKind(std::string_view name);
std::string_view DeviceKindName(DeviceKind kind);

// Whether LibTorch sees a CUDA device.
bool CudaAvailable();

// kAuto becomes kCuda when CudaAvailable(), else kCpu. kCuda without a CUDA
// device is kFailedPrecondition.
absl::StatusOr<DeviceKind> ResolveDevice(DeviceKind kind);

// The CPU threads the models compute with; `n` >= 1. With OpenBLAS (Debian's
// LibTorch) they are OpenBLAS's threads and LibTorch's own pool keeps one
// thread, as both pools at once were up to 3.5x slower (device.cc has the
// figures); with another BLAS, torch::set_num_threads(n). Process-wide. On a
// busy machine more threads can be much slower.
void SetNumThreads(int n);
// The last SetNumThreads() value, else LibTorch's thread count.
int NumThreads();

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_DEVICE_H_

// neural/internal/module_weights.h: a LibTorch module's weights in model and
// checkpoint files, and on a device. Every model family saves, loads and
// moves its network through these, so that their files and errors agree:
// errors name the file, LibTorch's exceptions become a Status. Brings in
// Torch headers.
//
// Example (a family's Save() and Load()):
//   std::map<std::string, std::string> fields = {{"family", "neural-gpu"}, ...};
//   absl::StatusOr<std::string> bytes = WriteModelFile(*net, fields);
//   FS_ASSIGN_OR_RETURN(Container c, ReadModelContainer(*bytes, "m.fsnn"));
//   ... a fresh net of the configuration in c.fields ...
//   FS_RETURN_IF_ERROR(ReadModelWeights(c, *fresh, "m.fsnn"));
#ifndef FLASHSYNTH_NEURAL_INTERNAL_MODULE_WEIGHTS_H_
#define FLASHSYNTH_NEURAL_INTERNAL_MODULE_WEIGHTS_H_

#include <torch/nn/module.h>
#include <torch/serialize/archive.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neural/device.h"
#include "neural/internal/container.h"

namespace flashsynth::neural::internal {

// Reads `archive` into `module`, refusing (kInvalidArgument naming
// `source_name`) missing or differently shaped tensors. Catches c10::Error.
absl::Status LoadModuleWeights(torch::serialize::InputArchive& archive, torch::nn::Module& module,
                               std::string_view source_name);

// The bytes of a model file: container kind "model" with `fields` in its
// header, `module`'s weights as the payload's archive "model". kInternal
// when LibTorch fails.
absl::StatusOr<std::string> WriteModelFile(const torch::nn::Module& module,
                                           std::map<std::string, std::string> fields);

// The envelope of a file that holds a model: kind "model", or "checkpoint"
// (whose archive "model" is the model too). ReadContainer()'s errors, and
// kInvalidArgument "`source_name`: a "<kind>" file, not a model".
absl::StatusOr<Container> ReadModelContainer(std::string_view bytes, std::string_view source_name);

// Reads the archive "model" of `c`'s payload into `module`, on the CPU.
// kInvalidArgument naming `source_name` when there is none, it cannot be
// read, or its tensors do not fit (LoadModuleWeights()).
absl::Status ReadModelWeights(const Container& c, torch::nn::Module& module,
                              std::string_view source_name);

// The LibTorch device of kCpu or kCuda.
torch::Device TorchDevice(DeviceKind kind);
// Where `module`'s first parameter lives (the CPU when it has none).
torch::Device ModuleDevice(const torch::nn::Module& module);

// Moves `module` to `device` (kAuto resolved by ResolveDevice(), whose
// errors it returns) and sets *torch_device. kInternal when LibTorch fails.
// Returns the device used.
absl::StatusOr<DeviceKind> MoveModule(torch::nn::Module& module, DeviceKind device,
                                      torch::Device* torch_device);

// The number of numbers in `module`'s parameters.
int64_t CountParameters(const torch::nn::Module& module);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_MODULE_WEIGHTS_H_

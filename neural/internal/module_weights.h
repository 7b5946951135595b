// neural/internal/module_weights.h: reading a LibTorch module's weights
// from a model or checkpoint file, with errors that name the file. Shared
// by the Neural GPU and the induction models. Brings in Torch headers.
#ifndef FLASHSYNTH_NEURAL_INTERNAL_MODULE_WEIGHTS_H_
#define FLASHSYNTH_NEURAL_INTERNAL_MODULE_WEIGHTS_H_

#include <torch/nn/module.h>
#include <torch/serialize/archive.h>

#include <string_view>

#include "absl/status/status.h"

namespace flashsynth::neural::internal {

// Reads `archive` into `module`, refusing (kInvalidArgument naming
// `source_name`) missing or differently shaped tensors. Catches c10::Error.
absl::Status LoadModuleWeights(torch::serialize::InputArchive& archive, torch::nn::Module& module,
                               std::string_view source_name);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_MODULE_WEIGHTS_H_

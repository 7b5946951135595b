#include "neural/internal/module_weights.h"

#include <torch/serialize.h>
#include <torch/types.h>

#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"
#include "neural/internal/torch_error.h"

namespace flashsynth::neural::internal {

absl::Status LoadModuleWeights(torch::serialize::InputArchive& archive, torch::nn::Module& module,
                               std::string_view source_name) {
  std::map<std::string, std::vector<int64_t>> expected;
  for (const auto& p : module.named_parameters()) expected[p.key()] = p.value().sizes().vec();
  try {
    module.load(archive);
  } catch (const c10::Error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source_name), ": the weights do not fit the configuration: ",
        e.what_without_backtrace()));
  }
  for (const auto& p : module.named_parameters()) {
    if (p.value().sizes().vec() != expected[p.key()] || p.value().scalar_type() != torch::kFloat) {
      return absl::InvalidArgumentError(absl::StrCat(
          ToAbsl(source_name), ": weight \"", p.key(), "\" has shape [",
          absl::StrJoin(p.value().sizes().vec(), ", "), "], the configuration needs [",
          absl::StrJoin(expected[p.key()], ", "), "]"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> WriteModelFile(const torch::nn::Module& module,
                                           std::map<std::string, std::string> fields) {
  try {
    torch::serialize::OutputArchive root, weights;
    module.save(weights);
    root.write("model", weights);
    std::ostringstream out;
    root.save_to(out);
    return WriteContainer(Container{"model", std::move(fields), out.str()});
  } catch (const c10::Error& e) {
    return TorchError("saving the model", e);
  }
}

absl::StatusOr<Container> ReadModelContainer(std::string_view bytes, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(Container c, ReadContainer(bytes, source_name));
  if (c.kind != "model" && c.kind != "checkpoint") {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": a \"", c.kind, "\" file, not a model"));
  }
  return c;
}

absl::Status ReadModelWeights(const Container& c, torch::nn::Module& module,
                              std::string_view source_name) {
  try {
    torch::serialize::InputArchive root, weights;
    root.load_from(c.payload.data(), c.payload.size(), torch::Device(torch::kCPU));
    if (!root.try_read("model", weights)) {
      return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source_name), ": no weights inside"));
    }
    return LoadModuleWeights(weights, module, source_name);
  } catch (const c10::Error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source_name), ": cannot read the weights: ", e.what_without_backtrace()));
  }
}

torch::Device TorchDevice(DeviceKind kind) {
  return kind == DeviceKind::kCuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

torch::Device ModuleDevice(const torch::nn::Module& module) {
  const std::vector<torch::Tensor> parameters = module.parameters();
  return parameters.empty() ? torch::Device(torch::kCPU) : parameters.front().device();
}

absl::StatusOr<DeviceKind> MoveModule(torch::nn::Module& module, DeviceKind device,
                                      torch::Device* torch_device) {
  FS_ASSIGN_OR_RETURN(DeviceKind resolved, ResolveDevice(device));
  try {
    *torch_device = TorchDevice(resolved);
    module.to(*torch_device);
  } catch (const c10::Error& e) {
    return TorchError("moving the model", e);
  }
  return resolved;
}

int64_t CountParameters(const torch::nn::Module& module) {
  int64_t n = 0;
  for (const torch::Tensor& p : module.parameters()) n += p.numel();
  return n;
}

}  // namespace flashsynth::neural::internal

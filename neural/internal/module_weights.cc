#include "neural/internal/module_weights.h"

#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"

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

}  // namespace flashsynth::neural::internal

#include "neural/induction/output_predictor.h"

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "neural/induction/induction.h"
#include "neural/internal/container.h"
#include "neural/induction/neural_gpu.h"

namespace flashsynth::neural {

absl::StatusOr<std::unique_ptr<OutputPredictor>> LoadOutputPredictor(std::string_view bytes,
                                                                     std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadContainer(bytes, source_name));
  if (c.kind != "model") {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": a \"", c.kind, "\" file, not a model"));
  }
  auto family = c.fields.find("family");
  // RobustFill model files predate the field.
  const std::string name = family == c.fields.end() ? "robustfill" : family->second;
  if (name == "induction") {
    FS_ASSIGN_OR_RETURN(std::unique_ptr<InductionModel> m, InductionModel::Load(bytes, source_name));
    return std::unique_ptr<OutputPredictor>(std::move(m));
  }
  if (name == "neural-gpu") {
    FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralGpuModel> m, NeuralGpuModel::Load(bytes, source_name));
    if (m->config().task != NeuralGpuTask::kStrings) {
      return absl::InvalidArgumentError(absl::StrCat(
          ToAbsl(source_name), ": a Neural GPU trained on ", ToAbsl(NeuralGpuTaskName(m->config().task)),
          ", not on string tasks"));
    }
    return std::unique_ptr<OutputPredictor>(std::move(m));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      ToAbsl(source_name), ": a ", name, " model, not an induction model"));
}

}  // namespace flashsynth::neural

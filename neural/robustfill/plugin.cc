// neural/robustfill/plugin.cc: the RobustFill proposer as a plugin
// (neural/plugin_api.h), built into libflashsynth-robustfill.so. The host
// (synth/hybrid/) opens it with dlopen() when a model is first needed, so
// that the executables never load LibTorch otherwise.
#include <torch/version.h>

#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/parser.h"
#include "dsl/status_macros.h"
#include "neural/plugin_api.h"
#include "neural/robustfill/proposer.h"

namespace flashsynth::neural {
namespace {

std::vector<PluginProgram> ToText(std::vector<Proposal> proposals) {
  std::vector<PluginProgram> out;
  out.reserve(proposals.size());
  for (Proposal& p : proposals) out.push_back({p.program.ToString(), p.log_likelihood});
  return out;
}

class RobustFillPluginModel : public PluginModel {
 public:
  explicit RobustFillPluginModel(std::unique_ptr<NeuralProposer> model) : model_(std::move(model)) {}

  absl::StatusOr<PluginProposals> Propose(const IoExamples& task,
                                          const PluginProposeOptions& options) const override {
    ProposeOptions o;
    o.beam_size = options.beam_size;
    o.max_programs = options.max_programs;
    o.model_examples = options.model_examples;
    o.near_misses = options.near_misses;
    o.deadline = options.deadline;
    o.cancel = options.cancel;
    FS_ASSIGN_OR_RETURN(Proposals found, model_->Propose(task, o));
    PluginProposals out;
    out.programs = ToText(std::move(found.programs));
    out.near_misses = ToText(std::move(found.near_misses));
    out.timed_out = found.timed_out;
    return out;
  }

  absl::StatusOr<std::vector<double>> Score(const IoExamples& task,
                                            const std::vector<std::string>& programs,
                                            int model_examples) const override {
    // A text that does not parse scores as a program the model cannot write.
    std::vector<dsl::Program> parsed;
    std::vector<int> slot(programs.size(), -1);
    for (size_t i = 0; i < programs.size(); ++i) {
      absl::StatusOr<dsl::Program> p = dsl::Parse(programs[i]);
      if (!p.ok()) continue;
      slot[i] = static_cast<int>(parsed.size());
      parsed.push_back(*std::move(p));
    }
    FS_ASSIGN_OR_RETURN(std::vector<double> scores, model_->ScorePrograms(task, parsed, model_examples));
    std::vector<double> out(programs.size(), -std::numeric_limits<double>::infinity());
    for (size_t i = 0; i < programs.size(); ++i) {
      if (slot[i] >= 0) out[i] = scores[slot[i]];
    }
    return out;
  }

  std::string Describe() const override { return model_->Describe(); }

 private:
  std::unique_ptr<NeuralProposer> model_;
};

absl::StatusOr<std::unique_ptr<PluginModel>> LoadModel(std::string_view bytes,
                                                       std::string_view source_name, int num_threads) {
  LoadOptions options;
  options.num_threads = num_threads;
  FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralProposer> model,
                      NeuralProposer::FromBytes(bytes, source_name, options));
  return std::unique_ptr<PluginModel>(new RobustFillPluginModel(std::move(model)));
}

const PluginApi kApi = {kPluginAbiVersion, "RobustFill proposer (LibTorch " TORCH_VERSION ")", &LoadModel};

}  // namespace
}  // namespace flashsynth::neural

extern "C" __attribute__((visibility("default"))) const flashsynth::neural::PluginApi*
flashsynth_neural_plugin() {
  return &flashsynth::neural::kApi;
}

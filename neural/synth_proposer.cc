#include "neural/synth_proposer.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "dsl/interpreter.h"
#include "solver/sketch.h"
#include "synth/synthesizer.h"

namespace flashsynth::neural {

namespace {

IoExamples ToIoExamples(absl::Span<const synth::Example> examples) {
  IoExamples task;
  for (const synth::Example& e : examples) {
    task.inputs.push_back(e.inputs);
    task.outputs.push_back(e.output);
  }
  return task;
}

class RobustFillProposer : public synth::ProgramProposer {
 public:
  RobustFillProposer(std::unique_ptr<NeuralProposer> model, const SynthProposerOptions& options)
      : model_(std::move(model)), options_(options) {}

  absl::StatusOr<std::vector<synth::ProposedProgram>> Propose(
      absl::Span<const synth::Example> examples, absl::Time deadline,
      const std::atomic<bool>* cancel) const override {
    const IoExamples task = ToIoExamples(examples);
    ProposeOptions o;
    o.beam_size = options_.beam_size;
    o.max_programs = options_.max_programs;
    o.model_examples = options_.model_examples;
    o.near_misses = options_.structures_to_complete;
    o.deadline = deadline;
    o.cancel = cancel;
    absl::StatusOr<Proposals> found = model_->Propose(task, o);
    if (!found.ok()) return found.status();
    std::vector<synth::ProposedProgram> out;
    for (Proposal& p : found->programs) out.push_back({std::move(p.program), p.log_likelihood});
    for (const Proposal& miss : found->near_misses) {
      if (absl::Now() >= deadline) break;
      const absl::Duration timeout = std::min(options_.fill_timeout, deadline - absl::Now());
      if (std::optional<dsl::Program> filled = CompleteStructure(miss.program, task, timeout)) {
        // Scored afresh: the model's view of the completed program.
        absl::StatusOr<double> ll = model_->ScoreProgram(task, *filled, options_.model_examples);
        if (ll.ok()) out.push_back({std::move(*filled), *ll});
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.log_likelihood > b.log_likelihood;
    });
    return out;
  }

  absl::StatusOr<std::vector<double>> Score(absl::Span<const synth::Example> examples,
                                            absl::Span<const dsl::Program> programs) const override {
    return model_->ScorePrograms(ToIoExamples(examples), programs, options_.model_examples);
  }

 private:
  std::unique_ptr<NeuralProposer> model_;
  SynthProposerOptions options_;
};

}  // namespace

std::optional<dsl::Program> CompleteStructure(const dsl::Program& program, const IoExamples& task,
                                              absl::Duration timeout) {
  const solver::Sketch sketch =
      solver::BlankArguments(program, {dsl::ArgKind::kPosition, dsl::ArgKind::kString});
  if (sketch.holes.empty() || timeout <= absl::ZeroDuration()) return std::nullopt;
  solver::SolverOptions options;
  options.timeout = timeout;
  absl::StatusOr<std::optional<dsl::Program>> filled =
      solver::FillHoles(sketch, task.inputs, task.outputs, options);
  if (!filled.ok() || !filled->has_value()) return std::nullopt;
  return **filled;
}

std::unique_ptr<synth::ProgramProposer> MakeSynthProposer(std::unique_ptr<NeuralProposer> model,
                                                          const SynthProposerOptions& options) {
  return std::make_unique<RobustFillProposer>(std::move(model), options);
}

}  // namespace flashsynth::neural

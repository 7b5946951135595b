// flashsynth-train's `induction` subcommand: the LSTM-with-attention and
// pointer-network induction baselines (induction_trainer.h).
//
//   flashsynth-train --steps 5000 --checkpoint ind.ckpt --save-model ind.fsnn
//       induction --architecture pointer --embedding 64 --hidden 128 --max-input-length 10
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "neural/induction/induction.h"
#include "neural/induction/induction_trainer.h"
#include "neural/tools/train_command.h"

namespace flashsynth::neural {

namespace {

struct InductionFlags {
  InductionTrainOptions options;
  std::string architecture = "lstm-attention";
  bool extended = false;

  // The options for a run; `common` supplies the device and seed.
  InductionTrainOptions Options(const CommonTrainFlags& common) const {
    InductionTrainOptions o = options;
    // The flag's value was checked by CLI::IsMember.
    o.model.architecture =
        InductionArchitectureByName(architecture).value_or(InductionArchitecture::kLstmAttention);
    if (extended) o.sampler = ExtendedSampler(o.sampler);
    o.device = common.device;
    o.seed = common.seed;
    return o;
  }
};

void AddFlags(CLI::App& sub, InductionFlags& f) {
  InductionTrainOptions& o = f.options;
  sub.add_option("--architecture", f.architecture, "lstm-attention or pointer")
      ->check(CLI::IsMember({"lstm-attention", "pointer"}));
  sub.add_option("--embedding", o.model.embedding_size, "Embedding size E");
  sub.add_option("--hidden", o.model.hidden_size, "Hidden size H");
  sub.add_option("--layers", o.model.num_layers, "Stacked LSTM layers");
  sub.add_option("--max-chars", o.model.max_chars,
                 "Characters read per input row and written per output (set it to the longest "
                 "test rows; training cost follows the sampled strings)");
  sub.add_option("--batch-size", o.batch_size, "Tasks per update");
  sub.add_option("--queries", o.queries, "Rows per task whose outputs the model writes");
  sub.add_option("--observed", o.observed, "Example rows the model reads");
  sub.add_option("--lr", o.optimizer.learning_rate, "Adam learning rate");
  sub.add_option("--clip", o.optimizer.clip_norm, "Global gradient-norm clip (0: none)");
  sub.add_option("--max-input-length", o.sampler.max_input_length, "Characters per input cell");
  sub.add_option("--max-expressions", o.sampler.max_expressions, "Concat length, at most");
  sub.add_flag("--extended", f.extended, "Sample the DSL extensions (columns, Switch, ...)");
  sub.add_option("--eval-tasks", o.eval_tasks, "Size of the fixed evaluation set");
}

}  // namespace

void AddInductionCommand(CLI::App& app, std::vector<TrainCommand>* commands) {
  // Owned by the callbacks, which outlive this function.
  auto flags = std::make_shared<InductionFlags>();
  CLI::App* sub = app.add_subcommand(
      "induction", "Induction baselines: LSTM with attention or pointer network (issue 6)");
  AddFlags(*sub, *flags);
  TrainCommand command;
  command.app = sub;
  command.create = [flags](const CommonTrainFlags& common) {
    return CreateInductionJob(flags->Options(common));
  };
  command.resume = [flags](const CommonTrainFlags& common, std::string_view checkpoint,
                           std::string_view source_name) {
    return ResumeInductionJob(flags->Options(common), checkpoint, source_name);
  };
  commands->push_back(std::move(command));
}

}  // namespace flashsynth::neural

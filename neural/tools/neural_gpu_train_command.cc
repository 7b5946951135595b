// flashsynth-train's `neural-gpu` subcommand (see train_command.h).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "neural/induction/neural_gpu.h"
#include "neural/tools/train_command.h"

namespace flashsynth::neural {

namespace {

struct NeuralGpuFlags {
  NeuralGpuTrainOptions options;
  std::string task = "badd";
  bool extended = false;
};

absl::Status FinishOptions(NeuralGpuFlags& f, const CommonTrainFlags& common) {
  std::optional<NeuralGpuTask> task = NeuralGpuTaskByName(f.task);
  if (!task) return absl::InvalidArgumentError(absl::StrCat("unknown task \"", f.task, "\""));
  f.options.model.task = *task;
  if (*task == NeuralGpuTask::kStrings) {
    f.options.model.height = f.options.observed + 1;
    if (f.extended) f.options.sampler = ExtendedSampler(f.options.sampler);
  }
  f.options.device = common.device;
  f.options.seed = common.seed;
  return absl::OkStatus();
}

}  // namespace

void AddNeuralGpuCommand(CLI::App& app, std::vector<TrainCommand>* commands) {
  auto flags = std::make_shared<NeuralGpuFlags>();
  NeuralGpuTrainOptions& o = flags->options;
  CLI::App* sub = app.add_subcommand(
      "neural-gpu", "The Neural GPU (Kaiser & Sutskever 2016) on a binary task or string tasks");
  sub->add_option("--task", flags->task, "badd, bmul, copy, reverse, duplicate or strings");
  sub->add_option("--maps", o.model.maps, "Numbers per cell m (paper: 24)");
  sub->add_option("--height", o.model.height, "Rows of the grid (paper: 4; strings: observed + 1)");
  sub->add_option("--layers", o.model.layers, "CGRUs per step");
  sub->add_option("--relax-sets", o.model.relax_sets, "Parameter-sharing relaxation copies (1: none)");
  sub->add_option("--cutoff", o.model.cutoff, "Gate sigmoid scale");
  sub->add_option("--batch-size", o.batch_size, "Tapes per update");
  sub->add_option("--lr", o.optimizer.learning_rate, "Adam learning rate");
  sub->add_option("--adam-epsilon", o.optimizer.adam_epsilon, "Adam epsilon (paper: 1e-4)");
  sub->add_option("--clip", o.optimizer.clip_norm, "Global gradient-norm clip (0: none)");
  sub->add_option("--max-bits", o.max_bits, "Operand length at the end of the curriculum");
  sub->add_option("--curriculum-start", o.curriculum_start, "Operand length at the start");
  sub->add_option("--curriculum-every", o.curriculum_every, "Steps between curriculum checks");
  sub->add_option("--curriculum-bound", o.curriculum_bound, "Advance when fewer tapes are wrong");
  sub->add_option("--dropout", o.dropout, "State dropout, scaled by 8 / length");
  sub->add_option("--grad-noise", o.grad_noise, "Gradient noise scale (0: off)");
  sub->add_option("--hard-share", o.hard_share,
                  "badd: share of training tapes with long carry chains (Price et al.; 0: none)");
  sub->add_option("--pull", o.pull, "Relaxation pull at the start");
  sub->add_option("--pull-factor", o.pull_factor, "Pull multiplier at each curriculum step");
  sub->add_option("--lr-decay", o.lr_decay, "After the curriculum: learning-rate factor when "
                  "a probe at twice the length gets worse (1: none)");
  sub->add_option("--eval-bits", o.eval_bits, "Operand lengths of the evaluation (repeatable)");
  sub->add_option("--eval-examples", o.eval_examples, "Tapes per evaluation length");
  sub->add_option("--observed", o.observed, "Strings: observed examples per task");
  sub->add_option("--max-chars", o.model.max_chars, "Strings: characters per row and answer");
  sub->add_option("--max-expressions", o.sampler.max_expressions, "Strings: Concat length, at most");
  sub->add_option("--max-input-length", o.sampler.max_input_length, "Strings: characters per input cell");
  sub->add_flag("--extended", flags->extended, "Strings: sample the DSL extensions");

  TrainCommand command;
  command.app = sub;
  command.create = [flags](const CommonTrainFlags& common)
      -> absl::StatusOr<std::unique_ptr<TrainingJob>> {
    FS_RETURN_IF_ERROR(FinishOptions(*flags, common));
    return CreateNeuralGpuJob(flags->options);
  };
  command.resume = [flags](const CommonTrainFlags& common, std::string_view bytes,
                           std::string_view source) -> absl::StatusOr<std::unique_ptr<TrainingJob>> {
    FS_RETURN_IF_ERROR(FinishOptions(*flags, common));
    return ResumeNeuralGpuJob(flags->options, bytes, source);
  };
  commands->push_back(std::move(command));
}

}  // namespace flashsynth::neural

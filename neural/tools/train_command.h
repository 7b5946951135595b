// neural/tools/train_command.h: flashsynth-train's subcommands, one per model kind
// other than the RobustFill proposer (whose flags sit on the command itself,
// so `flashsynth-train --hidden 64 ...` trains it).
//
//   flashsynth-train [loop flags] neural-gpu --task badd ...
//   flashsynth-train [loop flags] induction --architecture pointer ...
//
// Tool code: includes CLI11, and nothing in the libraries depends on it.
// Each kind's file adds its subcommand, whose flags write into options that
// the returned callbacks own; train_main.cc parses, then calls the chosen
// command's `create` or, with --resume and an existing checkpoint, `resume`.
// The loop flags (--steps, --checkpoint, --max-seconds, ...) may also follow
// the subcommand's name.
#ifndef FLASHSYNTH_NEURAL_TOOLS_TRAIN_COMMAND_H_
#define FLASHSYNTH_NEURAL_TOOLS_TRAIN_COMMAND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "dsl/sampler.h"
#include "neural/device.h"
#include "neural/training_job.h"

namespace flashsynth::neural {

// The flags every kind shares, parsed before `create` or `resume` runs.
struct CommonTrainFlags {
  DeviceKind device = DeviceKind::kCpu;
  uint64_t seed = 1;  // weights and training data
};

struct TrainCommand {
  CLI::App* app = nullptr;  // the subcommand
  std::function<absl::StatusOr<std::unique_ptr<TrainingJob>>(const CommonTrainFlags&)> create;
  // Continues a checkpoint written by the job's Checkpoint(); errors name
  // `source_name`. The file's own configuration wins over the flags'.
  std::function<absl::StatusOr<std::unique_ptr<TrainingJob>>(
      const CommonTrainFlags&, std::string_view checkpoint, std::string_view source_name)>
      resume;
};

// `narrow` with the DSL extensions on (dsl::SamplerOptions::Extended():
// columns, Switch, non-ASCII, ...), keeping the lengths its flags set:
// min_expressions, max_expressions and max_input_length. Every kind's
// --extended flag. Defined in train_main.cc.
dsl::SamplerOptions ExtendedSampler(const dsl::SamplerOptions& narrow);

// neural/tools/neural_gpu_train_command.cc: `neural-gpu`.
void AddNeuralGpuCommand(CLI::App& app, std::vector<TrainCommand>* commands);
// neural/tools/induction_train_command.cc: `induction`.
void AddInductionCommand(CLI::App& app, std::vector<TrainCommand>* commands);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_TOOLS_TRAIN_COMMAND_H_

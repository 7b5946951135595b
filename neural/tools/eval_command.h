// neural/tools/eval_command.h: flashsynth-neural-eval's subcommands, one per
// model kind (eval_main.cc parses and runs the chosen one).
//
//   flashsynth-neural-eval robustfill --model M (--conformance DIR | --eval-set DIR) ...
//       a RobustFill model's beam search (eval_robustfill.cc)
//   flashsynth-neural-eval neural-gpu --model M --bits 20 --bits 200 ...
//       a Neural GPU on binary tasks at given lengths (eval_neural_gpu.cc)
//   flashsynth-neural-eval induction --model M --tasks DIR ...
//       any induction model on a folder of tasks (eval_induction.cc)
//
// Tool code: includes CLI11. Each kind's file adds its subcommand, whose
// flags write into options that the returned `run` owns.
#ifndef FLASHSYNTH_NEURAL_TOOLS_EVAL_COMMAND_H_
#define FLASHSYNTH_NEURAL_TOOLS_EVAL_COMMAND_H_

#include <functional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace flashsynth::neural {

struct EvalCommand {
  CLI::App* app = nullptr;  // the subcommand
  // Runs it once parsed. `command_line` (the tool's arguments, joined) goes
  // into the JSON report. An error means the run could not be completed
  // (exit status 1): a model or folder that cannot be read, a report that
  // cannot be written.
  std::function<absl::Status(const std::string& command_line)> run;
};

// eval_robustfill.cc: `robustfill`.
void AddRobustFillEvalCommand(CLI::App& app, std::vector<EvalCommand>* commands);
// eval_neural_gpu.cc: `neural-gpu`.
void AddNeuralGpuEvalCommand(CLI::App& app, std::vector<EvalCommand>* commands);
// eval_induction.cc: `induction`.
void AddInductionEvalCommand(CLI::App& app, std::vector<EvalCommand>* commands);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_TOOLS_EVAL_COMMAND_H_

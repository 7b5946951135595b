// flashsynth-neural-eval: evaluates a trained model, one subcommand per kind
// (eval_command.h):
//
//   flashsynth-neural-eval robustfill --model M --conformance DIR | --eval-set DIR [...]
//   flashsynth-neural-eval neural-gpu --model M --bits 20 --bits 200 [...]
//   flashsynth-neural-eval induction --model M --tasks DIR [...]
//
// `flashsynth-neural-eval KIND --help` lists a kind's flags. Progress goes to
// stderr, the summary to stdout, and with --json FILE the summary and
// per-task results to FILE (atomically). Exit status: 0 when the run
// completed, 1 when the model or the tasks cannot be read or the report
// cannot be written, 2 for bad usage.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_join.h"
#include "io/command_line.h"
#include "neural/tools/eval_command.h"

namespace {

constexpr char kTool[] = "flashsynth-neural-eval";
constexpr int kExitFailed = 1;

}  // namespace

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{"Evaluates a trained model: a RobustFill model's beam search, a Neural GPU on "
               "binary tasks, or an induction model on a folder of tasks (one subcommand each)."};
  std::vector<EvalCommand> commands;
  AddRobustFillEvalCommand(app, &commands);
  AddNeuralGpuEvalCommand(app, &commands);
  AddInductionEvalCommand(app, &commands);
  app.require_subcommand(1);
  if (std::optional<int> exit = flashsynth::io::ParseCommandLine(app, argc, argv)) {
    if (*exit == flashsynth::io::kExitBadUsage && app.get_subcommands().empty()) {
      std::cerr << kTool << ": name the kind first: " << kTool
                << " robustfill|neural-gpu|induction --model M ...\n";
    }
    return *exit;
  }
  for (const EvalCommand& c : commands) {
    if (!c.app->parsed()) continue;
    std::vector<std::string> args(argv, argv + argc);
    args[0] = kTool;
    const absl::Status s = c.run(absl::StrJoin(args, " "));
    if (!s.ok()) {
      std::cerr << kTool << " " << c.app->get_name() << ": " << s.message() << "\n";
      return kExitFailed;
    }
  }
  return flashsynth::io::kExitOk;
}

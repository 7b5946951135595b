// flashsynth-neural-eval neural-gpu: how far a trained Neural GPU generalizes.
//
//   flashsynth-neural-eval neural-gpu --model badd.fsnn --bits 20 --bits 200 --bits 2000 \
//       --examples 100 [--hard] [--json report.json]
//
// For each length d: the share of `--examples` random tapes with d-bit
// operands (seeded by --seed and d, the same on every machine) whose whole
// answer is right (the paper's Table 1 measure); with --hard also Price et
// al.'s hard cases at each length (neural_gpu_tasks.h). --examples-at D=N
// (repeatable) sets another count for one length: a 2000-bit tape runs
// 4001 steps over a 4 x 4001 grid and takes minutes on a CPU. Results go to
// stdout, progress to stderr.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "dsl/status_macros.h"
#include "io/command_line.h"
#include "neural/device.h"
#include "neural/induction/neural_gpu.h"
#include "neural/tools/eval_command.h"
#include "neural/tools/eval_common.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

struct Flags {
  internal::ModelFlags model;
  std::vector<int> bits;
  int examples = 100;
  std::vector<std::string> examples_at;
  bool hard = false;
  uint64_t seed = 2016;
  int batch_size = 16;
};

absl::StatusOr<std::map<int, int>> ParseExamplesAt(const std::vector<std::string>& specs) {
  std::map<int, int> out;
  for (const std::string& s : specs) {
    std::vector<std::string> parts = absl::StrSplit(s, '=');
    int bits = 0, count = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &bits) ||
        !absl::SimpleAtoi(parts[1], &count) || bits < 1 || count < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--examples-at wants BITS=COUNT, not \"", s, "\""));
    }
    out[bits] = count;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<NeuralGpuModel>> LoadModel(const Flags& f) {
  using Models = std::vector<std::unique_ptr<NeuralGpuModel>>;
  FS_ASSIGN_OR_RETURN(Models models,
                      internal::LoadCopies<NeuralGpuModel>(
                          f.model.model, internal::kMaxModelBytes, 1, [&](const std::string& bytes, int) {
                            return NeuralGpuModel::Load(bytes, f.model.model);
                          }));
  return std::move(models[0]);
}

// Length `bits`: the random tapes, then (with --hard) the hard cases; one
// line each on stdout, and into `report`.
absl::Status EvaluateLength(const Flags& f, NeuralGpuModel& model, int bits, int count,
                            nlohmann::json& report) {
  const std::string task(NeuralGpuTaskName(model.config().task));
  std::cerr << absl::StrFormat("%s @ %d bits: %d tapes...\n", task, bits, count);
  FS_ASSIGN_OR_RETURN(SequenceAccuracy acc, EvaluateBinary(model, bits, count, f.seed, f.batch_size));
  std::cout << absl::StrFormat("%s @ %d bits: %d/%d right (%.1f%%)  [%.1f s]\n", task, bits,
                               acc.correct, acc.examples,
                               acc.examples ? 100.0 * acc.correct / acc.examples : 0.0, acc.seconds);
  report["lengths"].push_back({{"bits", bits},
                               {"examples", acc.examples},
                               {"correct", acc.correct},
                               {"seconds", acc.seconds}});
  if (!f.hard) return absl::OkStatus();
  for (const HardCase& h : HardCases(model.config().task, bits, model.config().height)) {
    FS_ASSIGN_OR_RETURN(std::vector<std::vector<int>> rows, model.Run({h.tape}));
    const bool right = TapeCorrect(h.tape, rows[0]);
    std::cout << absl::StrFormat("%s @ %d bits, %s: %s\n", task, bits, h.name, right ? "right" : "WRONG");
    report["hard_cases"].push_back({{"bits", bits}, {"case", h.name}, {"right", right}});
  }
  return absl::OkStatus();
}

absl::Status Run(const Flags& f, const std::string& command) {
  using CountAt = std::map<int, int>;
  FS_ASSIGN_OR_RETURN(CountAt counts, ParseExamplesAt(f.examples_at));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralGpuModel> model, LoadModel(f));
  FS_ASSIGN_OR_RETURN(DeviceKind device, ParseDeviceKind(f.model.device));
  FS_RETURN_IF_ERROR(model->MoveTo(device).status());
  SetNumThreads(f.model.threads);
  if (model->config().task == NeuralGpuTask::kStrings) {
    return absl::InvalidArgumentError(absl::StrCat(
        f.model.model, ": trained on string tasks; flashsynth-neural-eval induction evaluates those"));
  }
  std::cerr << model->Describe() << ", " << NumThreads() << " thread(s)\n";
  // nlohmann::json (sorted keys), as the reports in benchmarks/results have them.
  nlohmann::json report = {{"command", command},
                           {"model", f.model.model},
                           {"describe", model->Describe()},
                           {"seed", f.seed},
                           {"lengths", nlohmann::json::array()},
                           {"hard_cases", nlohmann::json::array()}};
  for (int bits : f.bits) {
    const int count = counts.count(bits) ? counts[bits] : f.examples;
    FS_RETURN_IF_ERROR(EvaluateLength(f, *model, bits, count, report));
  }
  if (f.model.json_file.empty()) return absl::OkStatus();
  return internal::WriteJsonReport(f.model.json_file, report, 2);
}

}  // namespace

void AddNeuralGpuEvalCommand(CLI::App& app, std::vector<EvalCommand>* commands) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "neural-gpu", "A Neural GPU trained on a binary task, at given operand lengths");
  internal::AddModelFlags(sub, &f->model, "Model file (flashsynth-train neural-gpu --save-model)");
  sub->add_option("--bits", f->bits, "Operand length d (repeat for several)")
      ->required()
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--examples", f->examples, "Random tapes per length")->check(CLI::NonNegativeNumber);
  sub->add_option("--examples-at", f->examples_at, "BITS=COUNT: another count for one length");
  sub->add_flag("--hard", f->hard, "Also Price et al.'s hard cases at each length");
  sub->add_option("--seed", f->seed, "Seed of the random tapes")->check(io::WholeNumber());
  sub->add_option("--batch-size", f->batch_size, "Tapes run together")->check(CLI::PositiveNumber);
  commands->push_back({sub, [f](const std::string& command) { return Run(*f, command); }});
}

}  // namespace flashsynth::neural

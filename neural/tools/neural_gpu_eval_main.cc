// flashsynth-neural-gpu-eval: how far a trained Neural GPU generalizes.
//
//   flashsynth-neural-gpu-eval --model badd.fsnn --bits 20 --bits 200 --bits 2000 \
//       --examples 100 [--hard] [--json report.json]
//
// For each length d: the share of `--examples` random tapes with d-bit
// operands (seeded by --seed and d, the same on every machine) whose whole
// answer is right (the paper's Table 1 measure); with --hard also Price et
// al.'s hard cases at each length (neural_gpu_tasks.h). --examples-at D=N
// (repeatable) sets another count for one length: a 2000-bit tape runs
// 4001 steps over a 4 x 4001 grid and takes minutes on a CPU. Results go to
// stdout, progress to stderr. Exit status: 0 when the run completed, 1 when
// the model cannot be read or run, 2 for bad usage.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dsl/status_macros.h"
#include "io/files.h"
#include "neural/device.h"
#include "neural/induction/neural_gpu.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

constexpr size_t kMaxModelBytes = size_t{1} << 30;

struct Flags {
  std::string model;
  std::vector<int> bits;
  int examples = 100;
  std::vector<std::string> examples_at;
  bool hard = false;
  uint64_t seed = 2016;
  int batch_size = 16;
  int threads = 1;
  std::string device = "cpu";
  std::string json_file;
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

absl::Status Run(const Flags& f, const std::string& command) {
  using CountAt = std::map<int, int>;
  FS_ASSIGN_OR_RETURN(CountAt counts, ParseExamplesAt(f.examples_at));
  FS_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(f.model, kMaxModelBytes));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralGpuModel> model, NeuralGpuModel::Load(bytes, f.model));
  FS_ASSIGN_OR_RETURN(DeviceKind device, ParseDeviceKind(f.device));
  FS_RETURN_IF_ERROR(model->MoveTo(device).status());
  SetNumThreads(f.threads);
  if (model->config().task == NeuralGpuTask::kStrings) {
    return absl::InvalidArgumentError(absl::StrCat(
        f.model, ": trained on string tasks; flashsynth-induction-eval evaluates those"));
  }
  std::cerr << model->Describe() << ", " << NumThreads() << " thread(s)\n";
  nlohmann::json report = {{"command", command},
                           {"model", f.model},
                           {"describe", model->Describe()},
                           {"seed", f.seed},
                           {"lengths", nlohmann::json::array()},
                           {"hard_cases", nlohmann::json::array()}};
  const std::string task(NeuralGpuTaskName(model->config().task));
  for (int bits : f.bits) {
    const int count = counts.count(bits) ? counts[bits] : f.examples;
    std::cerr << absl::StrFormat("%s @ %d bits: %d tapes...\n", task, bits, count);
    FS_ASSIGN_OR_RETURN(SequenceAccuracy acc, EvaluateBinary(*model, bits, count, f.seed, f.batch_size));
    std::cout << absl::StrFormat("%s @ %d bits: %d/%d right (%.1f%%)  [%.1f s]\n", task, bits,
                                 acc.correct, acc.examples,
                                 acc.examples ? 100.0 * acc.correct / acc.examples : 0.0, acc.seconds);
    report["lengths"].push_back({{"bits", bits},
                                 {"examples", acc.examples},
                                 {"correct", acc.correct},
                                 {"seconds", acc.seconds}});
    if (!f.hard) continue;
    for (const HardCase& h : HardCases(model->config().task, bits, model->config().height)) {
      FS_ASSIGN_OR_RETURN(std::vector<std::vector<int>> rows, model->Run({h.tape}));
      const bool right = TapeCorrect(h.tape, rows[0]);
      std::cout << absl::StrFormat("%s @ %d bits, %s: %s\n", task, bits, h.name,
                                   right ? "right" : "WRONG");
      report["hard_cases"].push_back({{"bits", bits}, {"case", h.name}, {"right", right}});
    }
  }
  if (!f.json_file.empty()) FS_RETURN_IF_ERROR(io::WriteFileAtomically(f.json_file, report.dump(2) + "\n"));
  return absl::OkStatus();
}

}  // namespace
}  // namespace flashsynth::neural

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{"Evaluates a Neural GPU trained on a binary task at given operand lengths."};
  Flags f;
  app.add_option("--model", f.model, "Model file (flashsynth-train neural-gpu --save-model)")->required();
  app.add_option("--bits", f.bits, "Operand length d (repeat for several)")
      ->required()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--examples", f.examples, "Random tapes per length")->check(CLI::NonNegativeNumber);
  app.add_option("--examples-at", f.examples_at, "BITS=COUNT: another count for one length");
  app.add_flag("--hard", f.hard, "Also Price et al.'s hard cases at each length");
  app.add_option("--seed", f.seed, "Seed of the random tapes");
  app.add_option("--batch-size", f.batch_size, "Tapes run together")->check(CLI::PositiveNumber);
  app.add_option("--threads", f.threads, "LibTorch CPU threads")->check(CLI::PositiveNumber);
  app.add_option("--device", f.device, "cpu, cuda or auto");
  app.add_option("--json", f.json_file, "Also write the results here");
  CLI11_PARSE(app, argc, argv);
  std::vector<std::string> args(argv, argv + argc);
  args[0] = "flashsynth-neural-gpu-eval";
  const absl::Status s = Run(f, absl::StrJoin(args, " "));
  if (!s.ok()) {
    std::cerr << "flashsynth-neural-gpu-eval: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

// flashsynth-make-evalset: writes a fixed synthetic test set with
// RobustFill's protocol (neural/eval_set.h): per task, 4 observed + 6
// held-out examples of a program drawn by the DSL sampler.
//
//   flashsynth-make-evalset --out evalset-7 --tasks 1000 --seed 7
//
// writes evalset-7/0000.csv ... 0999.csv (header in1..inK,output; the first
// 4 rows are observed), a NNNN.json sidecar beside each with the sampled
// program, and evalset-7/manifest.json with the options. The same flags give
// the same files on every machine. Read them with
//   flashsynth-neural-eval robustfill --model M --eval-set evalset-7
//   flashsynth-bench --mode generalize --k 4 evalset-7
// Torch-free.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"
#include "neural/eval_set.h"
#include "io/command_line.h"
#include "io/files.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

namespace fs = std::filesystem;

struct Flags {
  std::string out;
  int tasks = 1000;
  uint64_t seed = 7;
  bool extended = false;
  bool force = false;
  EvalSetOptions options;
};

absl::Status CheckOutDir(const Flags& f) {
  std::error_code ec;
  fs::create_directories(f.out, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat(f.out, ": cannot create: ", ec.message()));
  if (f.force) return absl::OkStatus();
  for (const fs::directory_entry& e : fs::directory_iterator(f.out, ec)) {
    if (e.path().extension() == ".csv") {
      return absl::InvalidArgumentError(absl::StrCat(
          f.out, " already holds task files (", e.path().filename().string(),
          "); choose another folder or pass --force to overwrite"));
    }
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat(f.out, ": cannot list: ", ec.message()));
  return absl::OkStatus();
}

std::string Manifest(const Flags& f, const std::string& command) {
  const dsl::SamplerOptions& s = f.options.sampler;
  nlohmann::ordered_json j;
  j["generator"] = "flashsynth-make-evalset";
  j["command"] = command;
  j["tasks"] = f.tasks;
  j["seed"] = f.seed;
  j["observed"] = f.options.observed;
  j["held_out"] = f.options.held_out;
  j["max_output_chars"] = f.options.max_output_chars;
  j["sampler"] = {{"extended", f.extended},
                  {"min_expressions", s.min_expressions},
                  {"max_expressions", s.max_expressions},
                  {"max_input_length", s.max_input_length},
                  {"max_input_tokens", s.max_input_tokens},
                  {"max_columns", s.max_columns}};
  j["protocol"] =
      "learn from the first `observed` rows of each NNNN.csv; a task generalizes when the "
      "program reproduces every one of the other rows exactly (RobustFill, ICML 2017, 3.1)";
  return j.dump(1) + "\n";
}

absl::Status Write(Flags& f, const std::string& command) {
  if (f.extended) {
    const dsl::SamplerOptions given = f.options.sampler;
    f.options.sampler = dsl::SamplerOptions::Extended();
    f.options.sampler.min_expressions = given.min_expressions;
    f.options.sampler.max_expressions = given.max_expressions;
    f.options.sampler.max_input_length = given.max_input_length;
    f.options.sampler.max_input_tokens = given.max_input_tokens;
  }
  FS_RETURN_IF_ERROR(ValidateEvalSetOptions(f.options));
  if (f.tasks < 1) return absl::InvalidArgumentError("--tasks must be >= 1");
  FS_RETURN_IF_ERROR(CheckOutDir(f));
  const bool tty = isatty(STDERR_FILENO) != 0;
  for (int i = 0; i < f.tasks; ++i) {
    FS_ASSIGN_OR_RETURN(EvalTask t, MakeEvalTask(f.options, f.seed, i));
    const fs::path stem = fs::path(f.out) / EvalTaskName(i);
    FS_RETURN_IF_ERROR(io::WriteFileAtomically(stem.string() + ".csv", FormatEvalTaskCsv(t)));
    FS_RETURN_IF_ERROR(io::WriteFileAtomically(stem.string() + ".json",
                                                     FormatEvalTaskJson(t, f.options, f.seed)));
    if (tty && ((i + 1) % 100 == 0 || i + 1 == f.tasks)) {
      std::cerr << "\rwrote " << (i + 1) << "/" << f.tasks << " tasks" << std::flush;
    }
  }
  std::cerr << (tty ? "\n" : "") << "wrote " << f.tasks << " tasks to " << f.out << "\n";
  return io::WriteFileAtomically((fs::path(f.out) / "manifest.json").string(),
                                       Manifest(f, command));
}

}  // namespace
}  // namespace flashsynth::neural

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{
      "Writes a fixed synthetic test set (RobustFill protocol: 4 observed + 6 held-out "
      "examples per task) as flashsynth-bench CSV files."};
  Flags f;
  app.add_option("--out", f.out, "Folder to write (created if missing)")->required();
  app.add_option("--tasks", f.tasks, "Number of tasks");
  app.add_option("--seed", f.seed, "Seed; task i depends only on (options, seed, i)")
      ->check(flashsynth::io::WholeNumber());
  app.add_option("--observed", f.options.observed, "Rows a synthesizer learns from");
  app.add_option("--held-out", f.options.held_out, "Rows that judge its program");
  app.add_option("--min-expressions", f.options.sampler.min_expressions, "Concat length, at least");
  app.add_option("--max-expressions", f.options.sampler.max_expressions, "Concat length, at most");
  app.add_option("--max-input-length", f.options.sampler.max_input_length,
                 "Characters per input cell");
  app.add_option("--max-input-tokens", f.options.sampler.max_input_tokens,
                 "Token slots per input cell (with --max-input-length: how long inputs get)");
  app.add_option("--max-output-chars", f.options.max_output_chars,
                 "Redraw tasks with a longer output (RobustFill: 100)");
  app.add_flag("--extended", f.extended, "Sample the DSL extensions (columns, Switch, ...)");
  app.add_flag("--force", f.force, "Overwrite task files already in --out");
  if (std::optional<int> exit = flashsynth::io::ParseCommandLine(app, argc, argv)) return *exit;
  std::vector<std::string> args(argv, argv + argc);
  args[0] = "flashsynth-make-evalset";
  const absl::Status s = Write(f, absl::StrJoin(args, " "));
  if (!s.ok()) {
    std::cerr << "flashsynth-make-evalset: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

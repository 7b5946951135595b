// flashsynth-induction-eval: how often an induction model (LSTM with
// attention, pointer network, Neural GPU on strings; output_predictor.h)
// writes the held-out outputs of a folder of tasks exactly.
//
//   flashsynth-induction-eval --model M --tasks evalset-7
//       (written by flashsynth-make-evalset) the model reads the first 4
//       rows of each task and writes the outputs of the 6 others
//   flashsynth-induction-eval --model M --tasks ../shared/benchmarks/sygus-pbe-strings-2017 --observed 3
//       SyGuS generalize@3
//
// Per task, every held-out row is a query, decoded independently (nothing
// checks the answers). The summary on stdout: tasks, tasks with held-out
// rows, generalization accuracy (every held-out output exact; RobustFill
// section 6), average-example accuracy (mean share of held-out rows right,
// RobustFill Fig. 7) and the per-task latency (median, p90). Tasks without
// held-out rows are skipped and counted; a task file that cannot be read is
// named on stderr and counts as wrong.
//
// Options: --observed K (default 4), --min-examples N (skip tasks with
// fewer rows, as flashsynth-bench does), --limit N (first N tasks by file
// name), --beam N (the LSTM and pointer models' beam, default 3; other
// models decode their own way), --threads N (LibTorch CPU threads), --jobs
// N (tasks in parallel, one model copy each), --device, --json FILE
// (summary and per-task rows). Exit status: 0 when the run completed, 1
// when the model or the folder cannot be read, 2 for bad usage.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "io/files.h"
#include "neural/device.h"
#include "neural/eval_set.h"
#include "neural/tools/task_folder.h"
#include "neural/induction/induction.h"
#include "neural/induction/output_predictor.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

using internal::Percentile;
using internal::TaskInput;

constexpr size_t kMaxModelBytes = size_t{4} << 30;
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadUsage = 2;

struct Flags {
  std::string model;
  std::string tasks;
  int observed = 4;
  int min_examples = 0;
  int limit = -1;
  int beam = 3;
  int threads = 1;
  int jobs = 1;
  std::string device = "cpu";
  std::string json_file;
};

struct TaskResult {
  std::string name;
  std::string error;       // non-empty: the task could not be read or run
  int held_out = 0;
  int held_out_right = 0;
  size_t longest_input = 0;  // characters of the longest input row, separators included
  double seconds = 0;
  std::vector<std::string> expected, predicted;

  bool skipped() const { return error.empty() && held_out == 0; }
  bool generalizes() const { return error.empty() && held_out > 0 && held_out_right == held_out; }
};

struct Summary {
  int tasks = 0, errors = 0, skipped = 0, with_held_out = 0, generalized = 0;
  double average_example_accuracy = 0;
  double median = 0, p90 = 0, mean = 0, max = 0, total = 0;  // seconds per task
};

double Rate(int n, int of) { return of == 0 ? 0 : static_cast<double>(n) / of; }

size_t LongestInput(const LabeledTask& task) {
  size_t longest = 0;
  for (const IoExamples* part : {&task.observed, &task.held_out}) {
    for (const dsl::Row& row : part->inputs) {
      size_t n = row.empty() ? 0 : row.size() - 1;
      for (const std::string& cell : row) {
        n += dsl::IsValidUtf8(cell) ? dsl::CountChars(cell) : cell.size();
      }
      longest = std::max(longest, n);
    }
  }
  return longest;
}

// A task with fewer than `min_examples` rows in all is skipped, as
// flashsynth-bench --min-examples skips it.
TaskResult RunTask(OutputPredictor& model, const TaskInput& input, int min_examples) {
  TaskResult r;
  r.name = input.name;
  if (!input.task.ok()) {
    r.error = std::string(input.task.status().message());
    return r;
  }
  const LabeledTask& task = *input.task;
  r.held_out = static_cast<int>(task.held_out.inputs.size());
  r.longest_input = LongestInput(task);
  if (static_cast<int>(task.observed.inputs.size()) + r.held_out < min_examples) r.held_out = 0;
  if (r.held_out == 0) return r;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<std::string>> predicted =
      model.PredictOutputs(task.observed, task.held_out.inputs);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!predicted.ok()) {
    r.error = std::string(predicted.status().message());
    return r;
  }
  r.expected = task.held_out.outputs;
  r.predicted = *std::move(predicted);
  for (size_t i = 0; i < r.expected.size() && i < r.predicted.size(); ++i) {
    r.held_out_right += r.predicted[i] == r.expected[i];
  }
  return r;
}

Summary Summarize(const std::vector<TaskResult>& results) {
  Summary s;
  std::vector<double> seconds;
  double accuracy_sum = 0;
  for (const TaskResult& r : results) {
    ++s.tasks;
    if (r.skipped()) {
      ++s.skipped;
      continue;
    }
    // A task that could not be read or run counts as wrong.
    ++s.with_held_out;
    if (!r.error.empty()) {
      ++s.errors;
      continue;
    }
    s.generalized += r.generalizes();
    accuracy_sum += static_cast<double>(r.held_out_right) / r.held_out;
    seconds.push_back(r.seconds);
  }
  s.average_example_accuracy = s.with_held_out == 0 ? 0 : accuracy_sum / s.with_held_out;
  s.median = Percentile(seconds, 50);
  s.p90 = Percentile(seconds, 90);
  for (double x : seconds) {
    s.total += x;
    s.max = std::max(s.max, x);
  }
  s.mean = seconds.empty() ? 0 : s.total / static_cast<double>(seconds.size());
  return s;
}

std::vector<std::string> SummaryLines(const Summary& s) {
  std::vector<std::string> lines;
  lines.push_back(absl::StrFormat(
      "%d tasks, %d with held-out rows (%d skipped: none held out, or under --min-examples rows)%s", s.tasks, s.with_held_out,
      s.skipped, s.errors > 0 ? absl::StrFormat(", %d could not be run (counted wrong)", s.errors)
                              : std::string()));
  lines.push_back(absl::StrFormat(
      "generalization accuracy %.1f%% (%d/%d tasks with every held-out output exact); "
      "average-example accuracy %.1f%%",
      100 * Rate(s.generalized, s.with_held_out), s.generalized, s.with_held_out,
      100 * s.average_example_accuracy));
  lines.push_back(absl::StrFormat("per task: median %.3f s, p90 %.3f s, mean %.3f s, max %.3f s",
                                  s.median, s.p90, s.mean, s.max));
  return lines;
}

// Runs every task on `models.size()` threads.
std::vector<TaskResult> RunAll(const std::vector<std::unique_ptr<OutputPredictor>>& models,
                               const std::vector<TaskInput>& tasks, int min_examples, bool tty) {
  std::vector<TaskResult> results(tasks.size());
  std::atomic<size_t> next{0};
  std::mutex mu;
  int done = 0, right = 0;
  const auto start = std::chrono::steady_clock::now();
  auto work = [&](OutputPredictor& model) {
    for (size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      results[i] = RunTask(model, tasks[i], min_examples);
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      right += results[i].generalizes();
      if (!results[i].error.empty()) {
        std::cerr << (tty ? "\r\033[K" : "") << tasks[i].name << ": " << results[i].error << "\n";
      }
      if (tty || done % 50 == 0 || done == static_cast<int>(tasks.size())) {
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cerr << (tty ? "\r\033[K" : "")
                  << absl::StrFormat("%d/%d tasks, %d all right, %.1f s", done, tasks.size(),
                                     right, elapsed)
                  << (tty ? "" : "\n") << std::flush;
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t j = 1; j < models.size(); ++j) threads.emplace_back(work, std::ref(*models[j]));
  work(*models[0]);
  for (std::thread& t : threads) t.join();
  if (tty) std::cerr << "\n";
  return results;
}

nlohmann::ordered_json TaskJson(const TaskResult& r) {
  nlohmann::ordered_json j;
  j["name"] = r.name;
  if (!r.error.empty()) j["error"] = r.error;
  j["held_out"] = r.held_out;
  j["held_out_right"] = r.held_out_right;
  j["generalizes"] = r.generalizes();
  j["longest_input"] = r.longest_input;
  j["seconds"] = r.seconds;
  j["rows"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < r.predicted.size() && i < r.expected.size(); ++i) {
    // Model output may be invalid UTF-8 (copied bytes): dumped with replacement.
    j["rows"].push_back({{"expected", r.expected[i]}, {"predicted", r.predicted[i]}});
  }
  return j;
}

nlohmann::ordered_json SummaryJson(const Summary& s) {
  nlohmann::ordered_json j;
  j["tasks"] = s.tasks;
  j["with_held_out"] = s.with_held_out;
  j["skipped_without_held_out"] = s.skipped;
  j["errors"] = s.errors;
  j["generalized"] = s.generalized;
  j["generalization_accuracy"] = Rate(s.generalized, s.with_held_out);
  j["average_example_accuracy"] = s.average_example_accuracy;
  j["seconds"] = {{"median", s.median}, {"p90", s.p90}, {"mean", s.mean}, {"max", s.max},
                  {"total", s.total}};
  return j;
}

// One model copy per job, each on `device` with the beam (when the model
// has one).
absl::StatusOr<std::vector<std::unique_ptr<OutputPredictor>>> LoadModels(const Flags& f,
                                                                         DeviceKind device) {
  FS_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(f.model, kMaxModelBytes));
  std::vector<std::unique_ptr<OutputPredictor>> models;
  for (int j = 0; j < f.jobs; ++j) {
    FS_ASSIGN_OR_RETURN(std::unique_ptr<OutputPredictor> m, LoadOutputPredictor(bytes, f.model));
    if (auto* induction = dynamic_cast<InductionModel*>(m.get())) {
      InductionDecodeOptions decode = induction->decode_options();
      decode.beam_size = f.beam;
      FS_RETURN_IF_ERROR(induction->SetDecodeOptions(decode));
      FS_RETURN_IF_ERROR(induction->MoveTo(device).status());
    } else if (j == 0 && device != DeviceKind::kCpu) {
      std::cerr << "flashsynth-induction-eval: note: --device applies to the LSTM and pointer "
                   "models only; this one runs where it loads\n";
    }
    models.push_back(std::move(m));
  }
  return models;
}

absl::Status Run(const Flags& f, const std::string& command) {
  FS_ASSIGN_OR_RETURN(DeviceKind device, ParseDeviceKind(f.device));
  SetNumThreads(f.threads);
  FS_ASSIGN_OR_RETURN(std::vector<TaskInput> tasks, internal::ReadTaskFolder(f.tasks, f.observed, f.limit));
  FS_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<OutputPredictor>> models, LoadModels(f, device));
  const std::string description = models[0]->Describe();
  std::cerr << "model " << f.model << ": " << description << "; " << tasks.size()
            << " tasks from " << f.tasks << ", " << f.jobs << " job(s), " << NumThreads()
            << " LibTorch thread(s)\n";
  const std::vector<TaskResult> results = RunAll(models, tasks, f.min_examples, isatty(STDERR_FILENO) != 0);
  const Summary s = Summarize(results);
  std::cout << "model " << f.model << " (" << description << ")\n"
            << "tasks " << f.tasks << ", " << f.observed << " observed rows, beam " << f.beam
            << "\n";
  for (const std::string& line : SummaryLines(s)) std::cout << line << "\n";
  if (f.json_file.empty()) return absl::OkStatus();
  nlohmann::ordered_json report;
  report["tool"] = "flashsynth-induction-eval";
  report["command"] = command;
  report["model"] = f.model;
  report["model_description"] = description;
  report["dir"] = f.tasks;
  report["observed"] = f.observed;
  report["min_examples"] = f.min_examples;
  report["beam"] = f.beam;
  report["jobs"] = f.jobs;
  report["threads"] = NumThreads();
  report["summary"] = SummaryJson(s);
  report["per_task"] = nlohmann::ordered_json::array();
  for (const TaskResult& r : results) report["per_task"].push_back(TaskJson(r));
  return io::WriteFileAtomically(
      f.json_file, report.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace
}  // namespace flashsynth::neural

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{"Scores an induction model's predicted outputs on a folder of task CSVs."};
  Flags f;
  app.add_option("--model", f.model, "Induction model file (flashsynth-train --save-model)")
      ->required();
  app.add_option("--tasks", f.tasks,
                 "Folder of task CSVs (flashsynth-make-evalset, or the SyGuS CSV folder)")
      ->required();
  app.add_option("--observed", f.observed, "Rows the model reads; the rest are held out")
      ->check(CLI::PositiveNumber);
  app.add_option("--min-examples", f.min_examples,
                 "Skip tasks with fewer rows (flashsynth-bench's generalize@3 runs use 6)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--limit", f.limit, "Only the first N tasks (by file name)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--beam", f.beam, "Beam of the LSTM and pointer models (1: greedy)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--threads", f.threads, "LibTorch CPU threads")->check(CLI::PositiveNumber);
  app.add_option("--jobs", f.jobs, "Tasks in parallel (one model copy each)")
      ->check(CLI::Range(1, 256));
  app.add_option("--device", f.device, "cpu, cuda or auto");
  app.add_option("--json", f.json_file, "Also write the summary and per-task rows here");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitBadUsage;
  }
  std::vector<std::string> args(argv, argv + argc);
  args[0] = "flashsynth-induction-eval";
  const absl::Status s = Run(f, absl::StrJoin(args, " "));
  if (!s.ok()) {
    std::cerr << "flashsynth-induction-eval: " << s.message() << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

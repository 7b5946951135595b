// flashsynth-neural-eval induction: how often an induction model (LSTM with
// attention, pointer network, Neural GPU on strings; output_predictor.h)
// writes the held-out outputs of a folder of tasks exactly.
//
//   flashsynth-neural-eval induction --model M --tasks evalset-7
//       (written by flashsynth-make-evalset) the model reads the first 4
//       rows of each task and writes the outputs of the 6 others
//   flashsynth-neural-eval induction --model M --tasks ../shared/benchmarks/sygus-pbe-strings-2017 --observed 3
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
// (summary and per-task rows).
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "neural/device.h"
#include "neural/eval_set.h"
#include "neural/induction/induction.h"
#include "neural/induction/output_predictor.h"
#include "neural/tools/eval_command.h"
#include "neural/tools/eval_common.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

using internal::Latency;
using internal::Rate;
using internal::TaskInput;

struct Flags {
  internal::ModelFlags model;
  internal::TaskFlags tasks;
  std::string dir;  // --tasks
  int min_examples = 0;
  int beam = 3;
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
  Latency latency;
};

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
  s.latency = internal::SummarizeLatency(seconds);
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
  lines.push_back("per task: " + internal::LatencyText(s.latency));
  return lines;
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
  j["seconds"] = internal::LatencyJson(s.latency);
  return j;
}

nlohmann::ordered_json Report(const Flags& f, const std::string& command, const std::string& description,
                              const Summary& s, const std::vector<TaskResult>& results) {
  nlohmann::ordered_json report;
  report["tool"] = "flashsynth-induction-eval";  // the report's kind, as before the subcommands
  report["command"] = command;
  report["model"] = f.model.model;
  report["model_description"] = description;
  report["dir"] = f.dir;
  report["observed"] = f.tasks.observed;
  report["min_examples"] = f.min_examples;
  report["beam"] = f.beam;
  report["jobs"] = f.tasks.jobs;
  report["threads"] = NumThreads();
  report["summary"] = SummaryJson(s);
  report["per_task"] = nlohmann::ordered_json::array();
  for (const TaskResult& r : results) report["per_task"].push_back(TaskJson(r));
  return report;
}

// One model copy per job, each on `device` with the beam (when the model
// has one).
absl::StatusOr<std::vector<std::unique_ptr<OutputPredictor>>> LoadModels(const Flags& f,
                                                                         DeviceKind device) {
  return internal::LoadCopies<OutputPredictor>(
      f.model.model, internal::kMaxModelBytes, f.tasks.jobs,
      [&](const std::string& bytes, int copy) -> absl::StatusOr<std::unique_ptr<OutputPredictor>> {
        FS_ASSIGN_OR_RETURN(std::unique_ptr<OutputPredictor> m, LoadOutputPredictor(bytes, f.model.model));
        if (auto* induction = dynamic_cast<InductionModel*>(m.get())) {
          InductionDecodeOptions decode = induction->decode_options();
          decode.beam_size = f.beam;
          FS_RETURN_IF_ERROR(induction->SetDecodeOptions(decode));
          FS_RETURN_IF_ERROR(induction->MoveTo(device).status());
        } else if (copy == 0 && device != DeviceKind::kCpu) {
          std::cerr << "flashsynth-neural-eval induction: note: --device applies to the LSTM and "
                       "pointer models only; this one runs where it loads\n";
        }
        return m;
      });
}

absl::Status Run(const Flags& f, const std::string& command) {
  FS_ASSIGN_OR_RETURN(DeviceKind device, ParseDeviceKind(f.model.device));
  SetNumThreads(f.model.threads);
  FS_ASSIGN_OR_RETURN(std::vector<TaskInput> tasks,
                      internal::ReadTaskFolder(f.dir, f.tasks.observed, f.tasks.limit));
  FS_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<OutputPredictor>> models, LoadModels(f, device));
  const std::string description = models[0]->Describe();
  std::cerr << internal::FolderBanner(f.model.model, description, tasks.size(), f.dir, f.tasks.jobs)
            << "\n";
  std::vector<TaskResult> results(tasks.size());
  internal::RunTasks(tasks, f.tasks.jobs, "", "all right", [&](size_t i, int worker) {
    results[i] = RunTask(*models[worker], tasks[i], f.min_examples);
    return internal::TaskProgress{results[i].error, results[i].generalizes()};
  });
  const Summary s = Summarize(results);
  std::cout << "model " << f.model.model << " (" << description << ")\n"
            << "tasks " << f.dir << ", " << f.tasks.observed << " observed rows, beam " << f.beam
            << "\n";
  for (const std::string& line : SummaryLines(s)) std::cout << line << "\n";
  if (f.model.json_file.empty()) return absl::OkStatus();
  return internal::WriteJsonReport(f.model.json_file, Report(f, command, description, s, results), 1);
}

}  // namespace

void AddInductionEvalCommand(CLI::App& app, std::vector<EvalCommand>* commands) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "induction", "An induction model's predicted outputs on a folder of task CSVs");
  internal::AddModelFlags(sub, &f->model, "Induction model file (flashsynth-train --save-model)");
  internal::AddTaskFlags(sub, &f->tasks);
  sub->add_option("--tasks", f->dir,
                  "Folder of task CSVs (flashsynth-make-evalset, or the SyGuS CSV folder)")
      ->required();
  sub->add_option("--min-examples", f->min_examples,
                  "Skip tasks with fewer rows (flashsynth-bench's generalize@3 runs use 6)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--beam", f->beam, "Beam of the LSTM and pointer models (1: greedy)")
      ->check(CLI::Range(1, 1000));
  commands->push_back({sub, [f](const std::string& command) { return Run(*f, command); }});
}

}  // namespace flashsynth::neural

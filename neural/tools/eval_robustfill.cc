// flashsynth-neural-eval robustfill: how often a trained RobustFill model's
// beam search (NeuralProposer, DP-Beam) solves a folder of tasks, and how
// fast.
//
//   flashsynth-neural-eval robustfill --model M --conformance ../shared/benchmarks/robustfill-conformance
//       share of the 1000 tasks (4 examples each) where the search finds a
//       program consistent with every example, at beam 10 and at beam 100
//   flashsynth-neural-eval robustfill --model M --eval-set evalset-7
//       (written by flashsynth-make-evalset) generalization accuracy at beam
//       100: the program learnt from the first 4 rows must reproduce all 6
//       others exactly (RobustFill's protocol), and consistency as above
//
// Options: --beam N (repeatable), --limit N (first N tasks), --threads N
// (LibTorch CPU threads), --jobs N (tasks in parallel, one model copy each),
// --task-seconds S (per-task deadline), --device, --json FILE. Progress goes
// to stderr, the summary to stdout. A task that cannot be read (malformed
// CSV) counts as unsolved and is named in the summary; cells may hold any
// UTF-8 and be of any length.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "dsl/interpreter.h"
#include "dsl/status_macros.h"
#include "neural/device.h"
#include "neural/eval_set.h"
#include "neural/robustfill/proposer.h"
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
  std::string conformance;
  std::string eval_set;
  std::vector<int> beams;
  int max_tokens = 100;
  int model_examples = 0;
  double task_seconds = 0;
  bool no_guidance = false;
};

struct TaskResult {
  std::string name;
  std::string error;         // non-empty: the task could not be read or searched
  bool found = false;        // a program consistent with every observed row
  int held_out = 0;          // held-out rows
  int held_out_right = 0;    // ... that the best program reproduces
  bool timed_out = false;
  int decoder_steps = 0;
  double seconds = 0;
  std::string program;       // the best program, when found
  double log_likelihood = 0;

  bool generalizes() const { return found && held_out > 0 && held_out_right == held_out; }
};

struct Summary {
  int beam = 0;
  int tasks = 0, errors = 0, found = 0, generalized = 0, timed_out = 0, with_held_out = 0;
  double average_example_accuracy = 0;  // mean share of held-out rows right (RobustFill 6.2)
  Latency latency;
};

// `task_seconds` > 0: the search's deadline, counted from its start.
TaskResult RunTask(const NeuralProposer& proposer, const TaskInput& input,
                   const ProposeOptions& options, double task_seconds) {
  TaskResult r;
  r.name = input.name;
  if (!input.task.ok()) {
    r.error = std::string(input.task.status().message());
    return r;
  }
  const LabeledTask& task = *input.task;
  r.held_out = static_cast<int>(task.held_out.inputs.size());
  ProposeOptions o = options;
  if (task_seconds > 0) o.deadline = absl::Now() + absl::Seconds(task_seconds);
  absl::StatusOr<Proposals> found = proposer.Propose(task.observed, o);
  if (!found.ok()) {
    r.error = std::string(found.status().message());
    return r;
  }
  r.seconds = found->seconds;
  r.timed_out = found->timed_out;
  r.decoder_steps = found->decoder_steps;
  if (found->programs.empty()) return r;
  // RobustFill: the highest-scoring program consistent with the observed rows.
  const Proposal& best = found->programs.front();
  r.found = true;
  r.program = best.program.ToString();
  r.log_likelihood = best.log_likelihood;
  for (size_t i = 0; i < task.held_out.inputs.size(); ++i) {
    r.held_out_right += dsl::Evaluate(best.program, task.held_out.inputs[i]) == task.held_out.outputs[i];
  }
  return r;
}

Summary Summarize(int beam, const std::vector<TaskResult>& results) {
  Summary s;
  s.beam = beam;
  std::vector<double> seconds;
  double accuracy_sum = 0;
  for (const TaskResult& r : results) {
    ++s.tasks;
    s.errors += !r.error.empty();
    s.found += r.found;
    s.timed_out += r.timed_out;
    if (r.held_out > 0 || !r.error.empty()) {
      // A task that could not be read counts against generalization too.
      ++s.with_held_out;
      s.generalized += r.generalizes();
      if (r.held_out > 0 && r.found) accuracy_sum += static_cast<double>(r.held_out_right) / r.held_out;
    }
    if (r.error.empty()) seconds.push_back(r.seconds);
  }
  s.average_example_accuracy = s.with_held_out == 0 ? 0 : accuracy_sum / s.with_held_out;
  s.latency = internal::SummarizeLatency(seconds);
  return s;
}

std::string SummaryLine(const Summary& s, bool held_out) {
  std::string line = absl::StrFormat("beam %4d: found a consistent program for %d/%d tasks (%.1f%%)",
                                     s.beam, s.found, s.tasks, 100 * Rate(s.found, s.tasks));
  if (held_out) {
    absl::StrAppendFormat(&line, "; generalizes on %d/%d (%.1f%%), average-example accuracy %.1f%%",
                          s.generalized, s.with_held_out, 100 * Rate(s.generalized, s.with_held_out),
                          100 * s.average_example_accuracy);
  }
  absl::StrAppend(&line, "; per task ", internal::LatencyText(s.latency));
  if (s.timed_out > 0) absl::StrAppendFormat(&line, "; %d hit --task-seconds", s.timed_out);
  if (s.errors > 0) absl::StrAppendFormat(&line, "; %d could not be run", s.errors);
  return line;
}

// Runs every task at `beam` on `proposers.size()` threads.
std::vector<TaskResult> RunBeam(const std::vector<std::unique_ptr<NeuralProposer>>& proposers,
                                const std::vector<TaskInput>& tasks, const ProposeOptions& options,
                                double task_seconds) {
  std::vector<TaskResult> results(tasks.size());
  internal::RunTasks(tasks, static_cast<int>(proposers.size()),
                     absl::StrCat("beam ", options.beam_size, ": "), "found",
                     [&](size_t i, int worker) {
                       results[i] = RunTask(*proposers[worker], tasks[i], options, task_seconds);
                       return internal::TaskProgress{results[i].error, results[i].found};
                     });
  return results;
}

nlohmann::ordered_json TaskJson(const TaskResult& r, bool held_out) {
  nlohmann::ordered_json j;
  j["name"] = r.name;
  if (!r.error.empty()) j["error"] = r.error;
  j["found"] = r.found;
  if (held_out) {
    j["generalizes"] = r.generalizes();
    j["held_out_right"] = r.held_out_right;
    j["held_out"] = r.held_out;
  }
  j["seconds"] = r.seconds;
  j["decoder_steps"] = r.decoder_steps;
  if (r.timed_out) j["timed_out"] = true;
  if (r.found) {
    j["program"] = r.program;
    j["log_likelihood"] = r.log_likelihood;
  }
  return j;
}

nlohmann::ordered_json SummaryJson(const Summary& s, bool held_out) {
  nlohmann::ordered_json j;
  j["beam"] = s.beam;
  j["tasks"] = s.tasks;
  j["errors"] = s.errors;
  j["found"] = s.found;
  j["found_rate"] = Rate(s.found, s.tasks);
  if (held_out) {
    j["generalized"] = s.generalized;
    j["generalization_rate"] = Rate(s.generalized, s.with_held_out);
    j["average_example_accuracy"] = s.average_example_accuracy;
  }
  j["timed_out"] = s.timed_out;
  j["seconds"] = internal::LatencyJson(s.latency);
  return j;
}

// The report's fields before the results.
nlohmann::ordered_json ReportHeader(const Flags& f, const std::string& command,
                                    const NeuralProposer& proposer, const std::string& dir,
                                    size_t tasks) {
  nlohmann::ordered_json report;
  report["tool"] = "flashsynth-neural-eval";
  report["command"] = command;
  report["model"] = f.model.model;
  report["model_description"] = proposer.Describe();
  report["mode"] = f.conformance.empty() ? "eval-set" : "conformance";
  report["dir"] = dir;
  report["observed"] = f.tasks.observed;
  report["tasks"] = tasks;
  report["jobs"] = f.tasks.jobs;
  report["threads"] = NumThreads();
  report["device"] = std::string(DeviceKindName(proposer.device()));
  report["max_tokens"] = f.max_tokens;
  report["execution_guided"] = !f.no_guidance;
  report["task_seconds"] = f.task_seconds;
  report["results"] = nlohmann::ordered_json::array();
  return report;
}

absl::Status Run(const Flags& f, const std::string& command) {
  const bool conformance = !f.conformance.empty();
  const std::string dir = conformance ? f.conformance : f.eval_set;
  std::vector<int> beams = f.beams;
  if (beams.empty()) beams = conformance ? std::vector<int>{10, 100} : std::vector<int>{100};
  FS_ASSIGN_OR_RETURN(DeviceKind device, ParseDeviceKind(f.model.device));
  SetNumThreads(f.model.threads);
  FS_ASSIGN_OR_RETURN(std::vector<TaskInput> tasks,
                      internal::ReadTaskFolder(dir, f.tasks.observed, f.tasks.limit));
  bool held_out = false;
  for (const TaskInput& t : tasks) held_out = held_out || (t.task.ok() && !t.task->held_out.inputs.empty());

  LoadOptions load;
  load.device = device;
  using Proposers = std::vector<std::unique_ptr<NeuralProposer>>;
  FS_ASSIGN_OR_RETURN(Proposers proposers,
                      internal::LoadCopies<NeuralProposer>(
                          f.model.model, internal::kMaxModelBytes, f.tasks.jobs,
                          [&](const std::string& bytes, int) {
                            return NeuralProposer::FromBytes(bytes, f.model.model, load);
                          }));
  const std::string description = proposers[0]->Describe();
  std::cerr << internal::FolderBanner(f.model.model, description, tasks.size(), dir, f.tasks.jobs)
            << "\n";

  ProposeOptions options;
  options.max_tokens = f.max_tokens;
  options.execution_guided = !f.no_guidance;
  options.model_examples = f.model_examples;
  options.max_programs = 1;  // RobustFill: the best consistent program answers

  nlohmann::ordered_json report = ReportHeader(f, command, *proposers[0], dir, tasks.size());
  std::vector<std::string> lines;
  for (int beam : beams) {
    options.beam_size = beam;
    std::vector<TaskResult> results = RunBeam(proposers, tasks, options, f.task_seconds);
    const Summary s = Summarize(beam, results);
    lines.push_back(SummaryLine(s, held_out));
    std::cerr << lines.back() << "\n";
    nlohmann::ordered_json j = SummaryJson(s, held_out);
    j["per_task"] = nlohmann::ordered_json::array();
    for (const TaskResult& r : results) j["per_task"].push_back(TaskJson(r, held_out));
    report["results"].push_back(std::move(j));
  }
  std::cout << "model " << f.model.model << " (" << description << ")\n"
            << (conformance ? "conformance " : "eval set ") << dir << ", " << tasks.size()
            << " tasks, " << f.tasks.observed << " observed rows\n";
  for (const std::string& line : lines) std::cout << line << "\n";
  if (f.model.json_file.empty()) return absl::OkStatus();
  return internal::WriteJsonReport(f.model.json_file, report, 1);
}

}  // namespace

void AddRobustFillEvalCommand(CLI::App& app, std::vector<EvalCommand>* commands) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "robustfill", "A RobustFill model's beam search (DP-Beam) on a folder of tasks");
  internal::AddModelFlags(sub, &f->model, "Model file (flashsynth-train --save-model)");
  internal::AddTaskFlags(sub, &f->tasks);
  auto* conf = sub->add_option("--conformance", f->conformance,
                               "Folder of 4-example tasks (../shared/benchmarks/robustfill-conformance): "
                               "consistency at beams 10 and 100");
  auto* eval = sub->add_option("--eval-set", f->eval_set,
                               "Folder from flashsynth-make-evalset: generalization at beam 100");
  conf->excludes(eval);
  eval->excludes(conf);
  sub->add_option("--beam", f->beams, "Beam size (repeat for several)")->check(CLI::Range(1, 100000));
  sub->add_option("--max-tokens", f->max_tokens, "Longest program in tokens")->check(CLI::PositiveNumber);
  sub->add_option("--model-examples", f->model_examples, "Examples the model reads (0: all observed)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--task-seconds", f->task_seconds, "Per-task deadline (0: none)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-guidance", f->no_guidance, "Plain beam search, without DP-Beam pruning");
  sub->parse_complete_callback([f] {
    if (f->conformance.empty() && f->eval_set.empty()) {
      throw CLI::ValidationError("robustfill", "give --conformance DIR or --eval-set DIR");
    }
  });
  commands->push_back({sub, [f](const std::string& command) { return Run(*f, command); }});
}

}  // namespace flashsynth::neural
